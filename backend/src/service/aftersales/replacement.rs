//! The replacement order of an exchange or a reship (or of a parcel lost in delivery): the same items to the same customer and
//! address at price zero, in the original order's channel, placed through the normal flow —
//! review, allocation, picking, packing, shipping — so the warehouse treats it like any order.

use super::case_actor;
use crate::db::entity::{after_sales_case, order, order_line};
use crate::error::{AppError, AppResult};
use crate::realtime::{OrderStatusEvent, Realtime};
use crate::service::allocation::Locking;
use crate::service::orders::intake::{order_number, status_event};
use crate::service::orders::timeline::{self, EventKind};
use crate::service::orders::transition::ActorLabel;
use crate::service::{analytics, review};
use chrono::Utc;
use orderly_shared::{OrderStatus, PaymentMethod, PaymentStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Why a replacement is placed, and for whom.
pub struct Cause {
    /// Unique per cause within the channel (`after-sales:<case id>`, `exception:<task id>`):
    /// the channel's unique idempotency key allows one replacement per cause.
    pub key: String,
    pub actor: ActorLabel,
    /// For the replacement's timeline, e.g. `case AS…, DAMAGED_IN_TRANSIT`.
    pub why: String,
}

impl Cause {
    pub fn case(c: &after_sales_case::Model) -> Cause {
        Cause {
            key: format!("after-sales:{}", c.id),
            actor: case_actor(c),
            why: format!("case {}, {}", c.number, c.reason),
        }
    }
}

/// Places the replacement for `units` per order line of `o`.
pub(crate) async fn place(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    cause: &Cause,
    o: &order::Model,
    units: &[(Uuid, i32)],
) -> AppResult<(order::Model, Vec<OrderStatusEvent>)> {
    let originals: HashMap<Uuid, order_line::Model> = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(o.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    let now = Utc::now();
    let mut row = o.clone().into_active_model();
    row.id = Set(Uuid::now_v7());
    row.number = Set(order_number(now)?);
    row.idempotency_key = Set(cause.key.clone());
    row.request_digest = Set(format!("replacement of {}", o.number));
    row.status = Set(OrderStatus::Confirmed);
    row.payment_status = Set(PaymentStatus::Paid);
    row.payment_method = Set(PaymentMethod::Prepaid);
    for money in [
        &mut row.subtotal_minor,
        &mut row.discount_minor,
        &mut row.shipping_minor,
        &mut row.tax_minor,
        &mut row.total_minor,
    ] {
        *money = Set(0);
    }
    row.coupon_codes = Set("[]".into());
    row.hold_reasons = Set("[]".into());
    row.payment_due_at = Set(None);
    row.tags = Set(serde_json::json!(["replacement"]).to_string());
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row.delivered_at = Set(None);
    let replacement = order::Entity::insert(row).exec_with_returning(conn).await?;
    analytics::rollup::opened(conn, &replacement).await?;
    let mut lines = Vec::new();
    for (i, (line_id, quantity)) in units.iter().filter(|(_, q)| *q > 0).enumerate() {
        let original = originals
            .get(line_id)
            .ok_or_else(|| AppError::Internal("case line outside its order".into()))?;
        lines.push(order_line::ActiveModel {
            id: Set(Uuid::now_v7()),
            order_id: Set(replacement.id),
            line_no: Set(i as i32 + 1),
            product_id: Set(original.product_id),
            sku: Set(original.sku.clone()),
            name: Set(original.name.clone()),
            quantity: Set(*quantity),
            unit_price_minor: Set(0),
            discount_minor: Set(0),
            line_total_minor: Set(0),
            cancelled_quantity: Set(0),
        });
    }
    order_line::Entity::insert_many(lines).exec(conn).await?;
    let (who_kind, who) = cause.actor.clone();
    timeline::record(
        conn,
        timeline::Entry {
            order_id: replacement.id,
            kind: EventKind::StatusChanged,
            from: None,
            to: Some(OrderStatus::Confirmed),
            actor: (who_kind, who.clone()),
            reason: Some(format!(
                "replacement for order {} ({}), nothing to pay",
                o.number, cause.why
            )),
        },
    )
    .await?;
    let event = status_event(&replacement, None);
    realtime.stage(conn, &event).await?;
    let mut events = vec![event];
    let (reviewed, more) =
        review::review_confirmed(conn, realtime, &replacement, Locking::Pessimistic, None).await?;
    events.extend(more);
    Ok((reviewed, events))
}
