//! Finance's decisions on a refund: approve (the second approval where two are needed), reject,
//! and retry a failed execution. Each decision is a conditional update on the state the
//! decision was made on, so two finance users acting at once cannot both decide.

use super::{EXECUTE_REFUND, queue_event};
use crate::db::entity::{order, refund};
use crate::domain::auth::Actor;
use crate::domain::money::{Currency, Money};
use crate::domain::refunds::{self, Approval, Person, RefundState};
use crate::error::{AppError, AppResult};
use crate::jobs::outbox;
use crate::realtime::QueueLive;
use crate::service::orders::timeline::{self, EventKind};
use chrono::Utc;
use orderly_shared::RefundStatus;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
    sea_query::Expr,
};
use uuid::Uuid;

/// What finance decided.
pub enum Decision {
    Approve { note: Option<String> },
    Reject { reason: String },
    Retry,
}

/// Applies `decision` to the refund; returns it as stored now.
pub async fn decide(
    db: &DatabaseConnection,
    queues: &QueueLive,
    actor: &Actor,
    refund_id: Uuid,
    decision: Decision,
) -> AppResult<refund::Model> {
    let (kind, label) = timeline::actor_of(actor);
    let hub = queues.clone();
    let (stored, event) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let r = refund::Entity::find_by_id(refund_id)
                    .lock_exclusive()
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("No refund with id {refund_id}.")))?;
                let o = order::Entity::find_by_id(r.order_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::Internal("refunded order vanished".into()))?;
                let person = Person::new(kind, label.clone());
                let amount = amount_text(&r)?;
                let now = Utc::now();
                let mut update = refund::Entity::update_many()
                    .col_expr(refund::Column::UpdatedAt, Expr::value(now))
                    .filter(refund::Column::Id.eq(r.id))
                    .filter(refund::Column::Status.eq(r.status));
                let (note, event_kind, execute) = match decision {
                    Decision::Approve { note } => match refunds::approve(&state_of(&r), &person)
                        .map_err(|e| refused(&r, e))?
                    {
                        Approval::FirstOfTwo => {
                            update = update
                                .col_expr(refund::Column::FirstApproverKind, Expr::value(kind))
                                .col_expr(
                                    refund::Column::FirstApproverLabel,
                                    Expr::value(label.clone()),
                                )
                                .col_expr(refund::Column::FirstApprovedAt, Expr::value(now))
                                .filter(refund::Column::FirstApproverLabel.is_null());
                            let text = format!(
                                "refund of {amount}: first approval by {label}; a second \
                                 finance approval is needed{}",
                                suffix(note.as_deref())
                            );
                            (text, "FIRST_APPROVAL", false)
                        }
                        Approval::Approved => {
                            update = decided(update, RefundStatus::Approved, &label, note.clone());
                            let text =
                                format!("refund of {amount} approved{}", suffix(note.as_deref()));
                            (text, "APPROVED", true)
                        }
                    },
                    Decision::Reject { reason } => {
                        let to = refunds::reject(r.status, &reason).map_err(|e| refused(&r, e))?;
                        let reason = reason.trim().to_string();
                        update = decided(update, to, &label, Some(reason.clone()));
                        (
                            format!("refund of {amount} rejected: {reason}"),
                            "REJECTED",
                            false,
                        )
                    }
                    Decision::Retry => {
                        let to = refunds::retry(r.status).map_err(|e| refused(&r, e))?;
                        update = update
                            .col_expr(refund::Column::Status, Expr::value(to))
                            .col_expr(
                                refund::Column::FailureReason,
                                Expr::value(Option::<String>::None),
                            );
                        (
                            format!("refund of {amount}: execution retried"),
                            "RETRIED",
                            true,
                        )
                    }
                };
                let stored = update
                    .exec_with_returning(txn)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| {
                        AppError::Conflict(
                            "The refund was decided meanwhile; reload and look again.".into(),
                        )
                    })?;
                if execute {
                    outbox::enqueue(
                        txn,
                        EXECUTE_REFUND,
                        stored.id,
                        &serde_json::json!({ "refundId": stored.id }),
                    )
                    .await?;
                }
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: o.id,
                        kind: EventKind::Refund,
                        from: None,
                        to: None,
                        actor: (kind, label.clone()),
                        reason: Some(note),
                    },
                )
                .await?;
                let event = queue_event(&stored, &o.number, event_kind);
                hub.stage(txn, &event).await?;
                Ok((stored, event))
            })
        })
        .await?;
    queues.committed([event]);
    Ok(stored)
}

fn decided(
    update: sea_orm::UpdateMany<refund::Entity>,
    to: RefundStatus,
    by: &str,
    note: Option<String>,
) -> sea_orm::UpdateMany<refund::Entity> {
    update
        .col_expr(refund::Column::Status, Expr::value(to))
        .col_expr(refund::Column::DecidedByLabel, Expr::value(by.to_string()))
        .col_expr(refund::Column::DecidedAt, Expr::value(Utc::now()))
        .col_expr(refund::Column::DecisionNote, Expr::value(note))
}

/// The refund as the rules see it.
pub fn state_of(r: &refund::Model) -> RefundState {
    RefundState {
        status: r.status,
        requested_by: Person::new(r.requested_by_kind.clone(), r.requested_by_label.clone()),
        approvals_needed: u8::try_from(r.approvals_needed).unwrap_or(2),
        first_approver: r
            .first_approver_label
            .clone()
            .map(|l| Person::new(r.first_approver_kind.clone().unwrap_or_default(), l)),
    }
}

/// Segregation of duties is a permission matter; the rest are invalid transitions.
fn refused(r: &refund::Model, e: refunds::RefundError) -> AppError {
    use refunds::RefundError as E;
    match e {
        E::OwnRequest { .. } | E::SecondApprovalBySamePerson { .. } => {
            AppError::Forbidden(format!("{e}."))
        }
        E::ReasonRequired => AppError::invalid("reason", "REQUIRED", e.to_string()),
        _ => AppError::InvalidTransition(format!("Refund {}: {e}.", r.id)),
    }
}

pub fn amount_text(r: &refund::Model) -> AppResult<String> {
    let currency = Currency::parse(&r.currency).map_err(AppError::internal)?;
    Ok(Money::from_minor(r.amount_minor, currency).to_string())
}

fn suffix(note: Option<&str>) -> String {
    match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => format!(": {n}"),
        None => String::new(),
    }
}
