//! Payment confirmation: gateway callbacks recorded in the payments ledger (idempotent by the
//! provider's event id) and applied to the order through the state machine. A callback whose
//! amount or currency differs from the order total puts the order on hold — never accepted
//! silently.

use crate::db::entity::{order, payment};
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{HoldReason, OrderCommand, decide, on_capture};
use crate::error::{AppError, AppResult};
use crate::jobs::outbox;
use crate::realtime::Realtime;
use crate::service::allocation::Locking;
use crate::service::orders::intake::{ORDER_CONFIRMED, moved};
use crate::service::orders::timeline::{self, EventKind};
use crate::service::review;
use chrono::Utc;
use orderly_shared::{OrderStatus, PaymentKind, PaymentStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    TryInsertResult, sea_query::Expr,
};
use uuid::Uuid;

/// What the gateway says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackStatus {
    Succeeded,
    Failed,
}

/// A verified callback from a payment provider.
#[derive(Debug, Clone)]
pub struct PaymentCallback {
    pub provider: String,
    pub event_id: String,
    pub order_number: String,
    pub status: CallbackStatus,
    pub amount: String,
    pub currency: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackOutcome {
    /// Recorded and applied.
    Applied,
    /// This event id was seen before: nothing changed.
    Duplicate,
}

/// Records and applies one callback, all or nothing.
pub async fn apply(
    db: &DatabaseConnection,
    realtime: &Realtime,
    cb: PaymentCallback,
) -> AppResult<CallbackOutcome> {
    let currency = Currency::parse(&cb.currency)
        .map_err(|e| AppError::invalid("currency", "INVALID_CURRENCY", e.to_string()))?;
    let paid = Money::parse(&cb.amount, currency)
        .map_err(|e| AppError::invalid("amount", "INVALID_AMOUNT", e.to_string()))?;
    let paid_minor = paid.to_minor().map_err(AppError::internal)?;
    if cb.event_id.trim().is_empty() || cb.event_id.len() > 128 {
        return Err(AppError::invalid(
            "eventId",
            "INVALID_EVENT_ID",
            "must be 1 to 128 characters",
        ));
    }
    let found = order::Entity::find()
        .filter(order::Column::Number.eq(cb.order_number.trim().to_uppercase()))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No order numbered {}.", cb.order_number)))?;
    let hub = realtime.clone();
    let outcome = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let kind = match cb.status {
                    CallbackStatus::Succeeded => PaymentKind::Capture,
                    CallbackStatus::Failed => PaymentKind::CaptureFailed,
                };
                let inserted = payment::Entity::insert(payment::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    order_id: Set(found.id),
                    provider: Set(cb.provider.clone()),
                    provider_event_id: Set(cb.event_id.clone()),
                    kind: Set(kind),
                    amount_minor: Set(paid_minor),
                    currency: Set(currency.code().into()),
                    at: Set(Utc::now()),
                    detail: Set(None),
                })
                .on_conflict_do_nothing_on([
                    payment::Column::Provider,
                    payment::Column::ProviderEventId,
                ])
                .exec(txn)
                .await?;
                if matches!(inserted, TryInsertResult::Conflicted) {
                    return Ok((CallbackOutcome::Duplicate, vec![]));
                }
                let actor = ("PROVIDER", format!("payment provider {}", cb.provider));
                let note = |kind, reason: String| timeline::Entry {
                    order_id: found.id,
                    kind,
                    from: None,
                    to: None,
                    actor: actor.clone(),
                    reason: Some(reason),
                };
                if cb.status == CallbackStatus::Failed {
                    timeline::record(
                        txn,
                        note(
                            EventKind::PaymentFailed,
                            format!("payment of {paid} failed ({})", cb.event_id),
                        ),
                    )
                    .await?;
                    return Ok((CallbackOutcome::Applied, vec![]));
                }
                let expected = Money::from_minor(
                    found.total_minor,
                    Currency::parse(&found.currency).map_err(AppError::internal)?,
                );
                timeline::record(
                    txn,
                    note(
                        EventKind::PaymentReceived,
                        format!("received {paid} ({})", cb.event_id),
                    ),
                )
                .await?;
                if found.status != OrderStatus::PendingPayment {
                    // Money for an order no longer waiting for it (expired, cancelled, paid twice):
                    // kept in the ledger and on the timeline for finance to refund.
                    timeline::record(
                        txn,
                        note(
                            EventKind::PaymentReceived,
                            format!("order is {}: refund due", found.status),
                        ),
                    )
                    .await?;
                    return Ok((CallbackOutcome::Applied, vec![]));
                }
                let command = on_capture(paid, expected);
                let matches = command == OrderCommand::ConfirmPayment;
                let to = decide(found.status, &command)
                    .map_err(|e| AppError::Conflict(e.to_string()))?;
                let (payment_status, holds) = match &command {
                    OrderCommand::Hold { reasons } => {
                        (PaymentStatus::Unpaid, hold_reasons_json(reasons))
                    }
                    _ => (PaymentStatus::Paid, "[]".to_string()),
                };
                let now = Utc::now();
                // Conditional on the status read above: a concurrent change makes this a conflict
                // and the provider retries, rather than two decisions both applying.
                let updated = order::Entity::update_many()
                    .col_expr(order::Column::Status, Expr::value(to))
                    .col_expr(order::Column::PaymentStatus, Expr::value(payment_status))
                    .col_expr(order::Column::HoldReasons, Expr::value(holds))
                    .col_expr(order::Column::UpdatedAt, Expr::value(now))
                    .filter(order::Column::Id.eq(found.id))
                    .filter(order::Column::Status.eq(found.status))
                    .exec(txn)
                    .await?;
                if updated.rows_affected != 1 {
                    return Err(AppError::Conflict(
                        "The order changed meanwhile; retry.".into(),
                    ));
                }
                let reason = if matches {
                    "payment confirmed".to_string()
                } else {
                    "payment does not match the order total".to_string()
                };
                timeline::record(
                    txn,
                    timeline::Entry {
                        from: Some(found.status),
                        to: Some(to),
                        kind: EventKind::StatusChanged,
                        ..note(EventKind::StatusChanged, reason)
                    },
                )
                .await?;
                if matches {
                    outbox::enqueue(
                        txn,
                        ORDER_CONFIRMED,
                        found.id,
                        &serde_json::json!({ "orderId": found.id }),
                    )
                    .await?;
                }
                let event = moved(&found, to, now);
                hub.stage(txn, &event).await?;
                let mut events = vec![event];
                if matches {
                    // Paid: the automatic review (and allocation) runs in this transaction.
                    let confirmed = order::Entity::find_by_id(found.id)
                        .one(txn)
                        .await?
                        .ok_or_else(|| AppError::NotFound("The order vanished.".into()))?;
                    // Pessimistic: a provider retrying a failed callback is slower than a wait.
                    let (_, more) =
                        review::review_confirmed(txn, &hub, &confirmed, Locking::Pessimistic, None)
                            .await?;
                    events.extend(more);
                }
                Ok((CallbackOutcome::Applied, events))
            })
        })
        .await?;
    realtime.committed(outcome.1);
    Ok(outcome.0)
}

/// The stored form of hold reasons: `[{code, message}]`.
pub fn hold_reasons_json(reasons: &[HoldReason]) -> String {
    let items: Vec<serde_json::Value> = reasons
        .iter()
        .map(|r| serde_json::json!({ "code": r.code, "message": r.message }))
        .collect();
    serde_json::Value::Array(items).to_string()
}
