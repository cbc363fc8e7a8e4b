//! Order timeline entries: every status change, payment and message, with actor and reason.

use crate::db::entity::order_event;
use crate::domain::auth::Actor;
use crate::error::AppResult;
use crate::service::analytics::rollup;
use chrono::Utc;
use orderly_shared::{HoldReasonCode, OrderStatus};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// What a timeline entry records. The stored names are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    StatusChanged,
    PaymentReceived,
    PaymentFailed,
    NotificationSent,
    NotificationFailed,
    VerificationCall,
    /// A warehouse step: a wave, a short pick, packing, a label, a hand-over, a re-allocation.
    Fulfilment,
    /// A refund requested, decided, paid out or failed.
    Refund,
    /// Received, confirmed, rated: what the customer did after delivery.
    Completion,
    /// A delivery exception opened, worked or resolved by customer service.
    Exception,
    /// An after-sales case opened, decided, its return received and inspected, resolved.
    AfterSales,
    /// The carrier paid over the cash it collected at the door (or a different amount).
    CodRemitted,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::StatusChanged => "STATUS_CHANGED",
            EventKind::PaymentReceived => "PAYMENT_RECEIVED",
            EventKind::PaymentFailed => "PAYMENT_FAILED",
            EventKind::NotificationSent => "NOTIFICATION_SENT",
            EventKind::NotificationFailed => "NOTIFICATION_FAILED",
            EventKind::VerificationCall => "VERIFICATION_CALL",
            EventKind::Fulfilment => "FULFILMENT",
            EventKind::Refund => "REFUND",
            EventKind::Completion => "COMPLETION",
            EventKind::Exception => "EXCEPTION",
            EventKind::AfterSales => "AFTER_SALES",
            EventKind::CodRemitted => "COD_REMITTED",
        }
    }
}

/// Who did it, as the timeline shows it.
pub fn actor_of(actor: &Actor) -> (&'static str, String) {
    let (kind, _, label) = actor.audit_identity();
    (kind, label)
}

pub struct Entry<'a> {
    pub order_id: Uuid,
    pub kind: EventKind,
    pub from: Option<OrderStatus>,
    pub to: Option<OrderStatus>,
    pub actor: (&'a str, String),
    pub reason: Option<String>,
}

pub async fn record(conn: &impl ConnectionTrait, entry: Entry<'_>) -> AppResult<()> {
    record_with_codes(conn, entry, &[]).await
}

/// [`record`], for the entry that puts an order on hold: keeps the hold reason codes on it, so
/// analytics can count holds by reason from the timeline alone. A status change also moves the
/// order's analytics rollup, in the same transaction and at the same time.
pub async fn record_with_codes(
    conn: &impl ConnectionTrait,
    entry: Entry<'_>,
    codes: &[HoldReasonCode],
) -> AppResult<()> {
    let at = Utc::now();
    let moved = match (entry.kind, entry.from, entry.to) {
        (EventKind::StatusChanged, Some(_), Some(to)) => Some(to),
        _ => None,
    };
    order_event::Entity::insert(order_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        order_id: Set(entry.order_id),
        at: Set(at),
        kind: Set(entry.kind.as_str().to_string()),
        from_status: Set(entry.from.map(|s| s.as_str().to_string())),
        to_status: Set(entry.to.map(|s| s.as_str().to_string())),
        actor_kind: Set(entry.actor.0.to_string()),
        actor_label: Set(entry.actor.1),
        reason: Set(entry.reason),
        codes: Set(rollup::codes_json(codes)),
    })
    .exec(conn)
    .await?;
    if let Some(to) = moved {
        // Boxed: every use case awaits this, and an inline future would grow all of theirs.
        Box::pin(rollup::order_moved(conn, entry.order_id, at, to, codes)).await?;
    }
    Ok(())
}
