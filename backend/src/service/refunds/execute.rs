//! Paying an approved refund out through the payment provider, exactly once.
//!
//! Three things make retries safe: a lease on the refund row (one worker talks to the provider
//! at a time, on any replica), the refund id as the provider's idempotency key (a provider that
//! paid but whose answer was lost answers the retry with the same receipt), and the conditional
//! APPROVED → EXECUTED update that alone writes the ledger row.

use super::{paid, queue_event};
use crate::db::entity::{order, outbox as outbox_row, payment, refund};
use crate::domain::refunds::{self, Execution};
use crate::error::{AppError, AppResult};
use crate::gateway::{RefundFailure, RefundGateway, RefundRequest};
use crate::jobs::{outbox, worker::Channels};
use crate::realtime::QueueLive;
use crate::service::orders::timeline::{self, EventKind};
use chrono::{TimeDelta, Utc};
use orderly_shared::RefundStatus;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

/// How long one worker may talk to the provider before another may try.
const LEASE: TimeDelta = TimeDelta::seconds(60);

/// What an execution attempt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Executed {
    /// Paid out now (or the provider confirmed an earlier payout).
    Paid,
    /// The provider declined: the refund FAILED.
    Declined(String),
    /// The provider did not answer: try again later.
    Unavailable(String),
    /// Another worker is executing it right now.
    Busy,
    /// Nothing to do: the refund is not approved (already executed, failed, …).
    NotDue(RefundStatus),
}

/// Executes the refund if it is approved and nobody else is.
pub async fn execute(
    db: &DatabaseConnection,
    gateway: &dyn RefundGateway,
    queues: &QueueLive,
    refund_id: Uuid,
) -> AppResult<Executed> {
    let now = Utc::now();
    let claimed = refund::Entity::update_many()
        .col_expr(
            refund::Column::ExecutionLeaseUntil,
            Expr::value(now + LEASE),
        )
        .col_expr(
            refund::Column::Attempts,
            Expr::col(refund::Column::Attempts).add(1),
        )
        .filter(refund::Column::Id.eq(refund_id))
        .filter(refund::Column::Status.eq(RefundStatus::Approved))
        .filter(
            sea_orm::Condition::any()
                .add(refund::Column::ExecutionLeaseUntil.is_null())
                .add(refund::Column::ExecutionLeaseUntil.lt(now)),
        )
        .exec_with_returning(db)
        .await?;
    let Some(r) = claimed.into_iter().next() else {
        let current = refund::Entity::find_by_id(refund_id)
            .one(db)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("No refund with id {refund_id}.")))?;
        return Ok(match current.status {
            RefundStatus::Approved => Executed::Busy,
            other => Executed::NotDue(other),
        });
    };
    let o = order::Entity::find_by_id(r.order_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("refunded order vanished".into()))?;
    let request = RefundRequest {
        idempotency_key: r.id.to_string(),
        order_number: o.number.clone(),
        amount_minor: r.amount_minor,
        currency: r.currency.clone(),
        payout_reference: r.payout_reference.clone(),
    };
    match gateway.refund(&request).await {
        Ok(receipt) => {
            settle(db, queues, &r, &o, Execution::Paid, &receipt.reference).await?;
            Ok(Executed::Paid)
        }
        Err(RefundFailure::Declined(why)) => {
            settle(db, queues, &r, &o, Execution::Declined, &why).await?;
            Ok(Executed::Declined(why))
        }
        Err(RefundFailure::Unavailable(why)) => {
            // Let the next attempt in at once; the outbox decides when that is.
            refund::Entity::update_many()
                .col_expr(
                    refund::Column::ExecutionLeaseUntil,
                    Expr::value(Option::<chrono::DateTime<Utc>>::None),
                )
                .col_expr(refund::Column::FailureReason, Expr::value(why.clone()))
                .filter(refund::Column::Id.eq(r.id))
                .exec(db)
                .await?;
            Ok(Executed::Unavailable(why))
        }
    }
}

/// Records the provider's final answer: the refund's status, and for a payout the ledger row and
/// the order's payment status, in one transaction.
async fn settle(
    db: &DatabaseConnection,
    queues: &QueueLive,
    r: &refund::Model,
    o: &order::Model,
    outcome: Execution,
    detail: &str,
) -> AppResult<()> {
    let to = refunds::settle(r.status, outcome)
        .map_err(|e| AppError::InvalidTransition(e.to_string()))?;
    let (r, o, detail) = (r.clone(), o.clone(), detail.to_string());
    let hub = queues.clone();
    let event = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let now = Utc::now();
                let mut update = refund::Entity::update_many()
                    .col_expr(refund::Column::Status, Expr::value(to))
                    .col_expr(refund::Column::UpdatedAt, Expr::value(now))
                    .col_expr(
                        refund::Column::ExecutionLeaseUntil,
                        Expr::value(Option::<chrono::DateTime<Utc>>::None),
                    )
                    .filter(refund::Column::Id.eq(r.id))
                    .filter(refund::Column::Status.eq(RefundStatus::Approved));
                update = match outcome {
                    Execution::Paid => update
                        .col_expr(refund::Column::ProviderReference, Expr::value(detail.clone()))
                        .col_expr(refund::Column::ExecutedAt, Expr::value(now))
                        .col_expr(
                            refund::Column::FailureReason,
                            Expr::value(Option::<String>::None),
                        ),
                    Execution::Declined => {
                        update.col_expr(refund::Column::FailureReason, Expr::value(detail.clone()))
                    }
                };
                let Some(stored) = update.exec_with_returning(txn).await?.into_iter().next() else {
                    return Ok(Vec::new()); // settled meanwhile by another worker
                };
                let mut events = Vec::new();
                let amount = super::decide::amount_text(&stored)?;
                let note = match outcome {
                    Execution::Paid => {
                        payment::Entity::insert(payment::ActiveModel {
                            id: Set(Uuid::now_v7()),
                            order_id: Set(o.id),
                            provider: Set("simulated".into()),
                            provider_event_id: Set(format!("refund:{}", stored.id)),
                            kind: Set(orderly_shared::PaymentKind::Refund),
                            amount_minor: Set(stored.amount_minor),
                            currency: Set(stored.currency.clone()),
                            at: Set(now),
                            detail: Set(Some(detail.clone())),
                        })
                        .exec(txn)
                        .await?;
                        let ledger = paid(txn, o.id).await?;
                        let status = refunds::payment_status_after(
                            o.payment_method,
                            ledger.paid_minor,
                            ledger.refunded_minor,
                        );
                        order::Entity::update_many()
                            .col_expr(order::Column::PaymentStatus, Expr::value(status))
                            .col_expr(order::Column::UpdatedAt, Expr::value(now))
                            .filter(order::Column::Id.eq(o.id))
                            .exec(txn)
                            .await?;
                        let to = match &stored.payout_reference {
                            Some(account) => format!(" to {account}"),
                            None => String::new(),
                        };
                        format!("refund of {amount} paid out{to} (provider reference {detail}); payment {status}")
                    }
                    Execution::Declined => {
                        format!("refund of {amount} failed: the provider declined ({detail})")
                    }
                };
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: o.id,
                        kind: EventKind::Refund,
                        from: None,
                        to: None,
                        actor: ("SYSTEM", "payment provider".into()),
                        reason: Some(note),
                    },
                )
                .await?;
                let event = queue_event(
                    &stored,
                    &o.number,
                    if to == RefundStatus::Executed { "EXECUTED" } else { "FAILED" },
                );
                hub.stage(txn, &event).await?;
                events.push(event);
                // The case that asked for this money is done with it.
                if let (Execution::Paid, Some(case_id)) = (outcome, stored.case_id) {
                    events.extend(
                        crate::service::aftersales::refund_paid(txn, &hub, case_id, &amount)
                            .await?,
                    );
                }
                Ok(events)
            })
        })
        .await?;
    queues.committed(event);
    Ok(())
}

/// The outbox's handler for [`super::EXECUTE_REFUND`]: done once the refund is settled; an
/// unanswered or busy attempt is an error, so the outbox retries it with backoff.
pub async fn from_outbox(
    db: &DatabaseConnection,
    channels: &Channels,
    message: &outbox_row::Model,
) -> Result<(), String> {
    let id = serde_json::from_str::<serde_json::Value>(&message.payload)
        .ok()
        .and_then(|v| v.get("refundId")?.as_str().and_then(|s| s.parse().ok()))
        .ok_or_else(|| format!("refund message {} has no refund id", message.id))?;
    let outcome = execute(db, &*channels.refunds, &channels.queues, id)
        .await
        .map_err(|e| e.to_string())?;
    match outcome {
        Executed::Paid | Executed::Declined(_) | Executed::NotDue(_) => {
            outbox::delivered(db, message.id)
                .await
                .map_err(|e| e.to_string())
        }
        Executed::Unavailable(why) => Err(format!("refund {id}: {why}")),
        Executed::Busy => Err(format!("refund {id} is being executed by another worker")),
    }
}
