//! Refunds from request to payout: customer service (or a cancellation, a rejection, an
//! after-sales case) requests one; finance approves or rejects it — never the requester, and two
//! different approvers above the merchant's threshold; the approved refund is executed through
//! the payment provider from the outbox, idempotently (one payout per refund, whoever retries).
//! What was paid and refunded is read from the payments ledger, so refunds add up and never
//! exceed the payment.

pub mod decide;
pub mod execute;
pub mod query;
pub mod request;

use crate::db::entity::{payment, refund};
use crate::domain::refunds::{RefundPolicy, holds_amount};
use crate::error::AppResult;
use crate::realtime::{QueueEvent, WorkQueue};
use chrono::Utc;
use orderly_shared::PaymentKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// The outbox topic that executes an approved refund.
pub const EXECUTE_REFUND: &str = "refund.execute";
/// The merchant's refund controls ([`RefundPolicy`]).
pub const REFUND_POLICY: &str = "finance.refund_policy";

/// What an order was paid and what went back, from the payments ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paid {
    pub paid_minor: i64,
    pub refunded_minor: i64,
}

pub async fn paid(conn: &impl ConnectionTrait, order_id: Uuid) -> AppResult<Paid> {
    use PaymentKind::{Capture, CodCollected, Refund};
    let rows = payment::Entity::find()
        .filter(payment::Column::OrderId.eq(order_id))
        .filter(payment::Column::Kind.is_in([Capture, CodCollected, Refund]))
        .all(conn)
        .await?;
    let sum = |kinds: &[PaymentKind]| {
        rows.iter()
            .filter(|p| kinds.contains(&p.kind))
            .map(|p| p.amount_minor)
            .sum::<i64>()
    };
    Ok(Paid {
        paid_minor: sum(&[Capture, CodCollected]),
        refunded_minor: sum(&[Refund]),
    })
}

/// What the order's refunds already hold of the payment (all but rejected ones).
pub async fn held_minor(conn: &impl ConnectionTrait, order_id: Uuid) -> AppResult<i64> {
    let rows = refund::Entity::find()
        .filter(refund::Column::OrderId.eq(order_id))
        .all(conn)
        .await?;
    Ok(rows
        .iter()
        .filter(|r| holds_amount(r.status))
        .map(|r| r.amount_minor)
        .sum())
}

pub async fn policy(conn: &impl ConnectionTrait) -> AppResult<RefundPolicy> {
    crate::service::settings_json::get(conn, REFUND_POLICY).await
}

/// The finance queue's live event for a refund.
pub fn queue_event(r: &refund::Model, order_number: &str, kind: &str) -> QueueEvent {
    QueueEvent {
        queue: WorkQueue::Refunds,
        item_id: r.id,
        order_id: r.order_id,
        order_number: order_number.to_string(),
        kind: kind.to_string(),
        at: Utc::now(),
    }
}
