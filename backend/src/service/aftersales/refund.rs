//! The money a case sends back: each accepted unit at its line's price less its share of the
//! order's discounts, plus the shipping fee when the policy says so — never more than the
//! payments leave to refund. The refund goes to finance like any other.

use super::{case_actor, policy};
use crate::db::entity::{after_sales_case, after_sales_case_line, order, order_line, refund};
use crate::domain::aftersales::{KindExt, LinePrice, shipping_refund};
use crate::error::AppResult;
use crate::realtime::{QueueEvent, QueueLive};
use crate::service::refunds::request::{NewRefund, record};
use crate::service::refunds::{held_minor, paid};
use orderly_shared::CaseStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use std::collections::HashMap;
use uuid::Uuid;

/// What a case refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRefund {
    /// Per case line: its part.
    pub lines: Vec<(Uuid, i64)>,
    pub shipping_minor: i64,
    pub total_minor: i64,
}

/// Computes the case's refund for `accepted` units per case line, records it on the case and its
/// lines, and requests it from finance. `None` when there is nothing to refund.
pub(crate) async fn request(
    conn: &impl ConnectionTrait,
    queues: &QueueLive,
    c: &after_sales_case::Model,
    o: &order::Model,
    accepted: &[(after_sales_case_line::Model, i32)],
) -> AppResult<Option<(refund::Model, QueueEvent)>> {
    let computed = compute(conn, c, o, accepted).await?;
    // What an earlier refund (by hand, or a cancellation) already took is not paid twice.
    let left = paid(conn, o.id).await?.paid_minor - held_minor(conn, o.id).await?;
    let amount = computed.total_minor.min(left.max(0));
    for (line_id, minor) in &computed.lines {
        after_sales_case_line::Entity::update_many()
            .col_expr(
                after_sales_case_line::Column::RefundMinor,
                Expr::value(*minor),
            )
            .filter(after_sales_case_line::Column::Id.eq(*line_id))
            .exec(conn)
            .await?;
    }
    after_sales_case::Entity::update_many()
        .col_expr(after_sales_case::Column::RefundMinor, Expr::value(amount))
        .col_expr(
            after_sales_case::Column::ShippingRefundMinor,
            Expr::value(computed.shipping_minor),
        )
        .filter(after_sales_case::Column::Id.eq(c.id))
        .exec(conn)
        .await?;
    if amount <= 0 {
        return Ok(None);
    }
    let units: Vec<String> = accepted
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{n} × {}", l.sku))
        .collect();
    let reason = format!(
        "after-sales case {} ({}): {}",
        c.number,
        c.reason,
        units.join(", ")
    );
    let who = case_actor(c);
    let (r, event) = record(
        conn,
        queues,
        NewRefund {
            order: o,
            amount_minor: amount,
            reason: &reason,
            payout_reference: c.payout_reference.clone(),
            requested_by: &who,
            case_id: Some(c.id),
        },
    )
    .await?;
    after_sales_case::Entity::update_many()
        .col_expr(after_sales_case::Column::RefundId, Expr::value(Some(r.id)))
        .filter(after_sales_case::Column::Id.eq(c.id))
        .exec(conn)
        .await?;
    Ok(Some((r, event)))
}

/// The refund for `accepted` units, given what the order's other cases already refunded.
async fn compute(
    conn: &impl ConnectionTrait,
    c: &after_sales_case::Model,
    o: &order::Model,
    accepted: &[(after_sales_case_line::Model, i32)],
) -> AppResult<CaseRefund> {
    let order_lines: HashMap<Uuid, order_line::Model> = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(o.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let others = after_sales_case::Entity::find()
        .filter(after_sales_case::Column::OrderId.eq(o.id))
        .filter(after_sales_case::Column::Id.ne(c.id))
        .filter(after_sales_case::Column::Status.ne(CaseStatus::Rejected))
        .all(conn)
        .await?;
    let shipping_back_before = others.iter().any(|x| x.shipping_refund_minor > 0);
    let refunded_cases: Vec<&after_sales_case::Model> = others
        .iter()
        .filter(|x| x.refund_id.is_some() && x.kind.refunds())
        .collect();
    let their_lines = after_sales_case_line::Entity::find()
        .filter(after_sales_case_line::Column::CaseId.is_in(refunded_cases.iter().map(|x| x.id)))
        .all(conn)
        .await?;
    // Units of each order line refunded before: cancelled ones and other cases' accepted ones.
    let mut before: HashMap<Uuid, i32> = order_lines
        .values()
        .map(|l| (l.id, l.cancelled_quantity))
        .collect();
    for l in &their_lines {
        let kind = refunded_cases
            .iter()
            .find(|x| x.id == l.case_id)
            .map(|x| x.kind);
        let units = match kind {
            Some(orderly_shared::CaseKind::RefundOnly) => l.quantity,
            _ => l.passed + l.scrapped,
        };
        *before.entry(l.order_line_id).or_default() += units;
    }
    let mut lines = Vec::new();
    let mut total = 0;
    let mut after = before.clone();
    for (case_line, units) in accepted {
        let Some(ol) = order_lines.get(&case_line.order_line_id) else {
            continue;
        };
        let price = LinePrice {
            quantity: ol.quantity,
            unit_price_minor: ol.unit_price_minor,
            discount_minor: ol.discount_minor,
            refunded_units: after.get(&ol.id).copied().unwrap_or_default(),
        };
        let minor = price.refund_for(*units);
        *after.entry(ol.id).or_default() += units;
        lines.push((case_line.id, minor));
        total += minor;
    }
    let everything_back = order_lines
        .values()
        .all(|l| after.get(&l.id).copied().unwrap_or_default() >= l.quantity);
    let shipping_minor = shipping_refund(
        policy(conn).await?.shipping_refund,
        c.reason,
        o.shipping_minor,
        shipping_back_before,
        everything_back,
    );
    Ok(CaseRefund {
        lines,
        shipping_minor,
        total_minor: total + shipping_minor,
    })
}
