//! Working an exception task: contacts with the customer or the carrier, then the outcome.

use super::queue_event;
use crate::db::entity::{exception_contact, exception_task, order, shipment, shipment_line};
use crate::domain::auth::Actor;
use crate::domain::exceptions::{self, ExceptionError, ResolutionRequest};
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{AddressDraft, validate_address};
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use crate::service::aftersales::replacement;
use crate::service::orders::stored;
use crate::service::orders::timeline::{self, EventKind, actor_of};
use crate::service::refunds::request::{NewRefund, record};
use crate::service::shipping::status;
use chrono::Utc;
use orderly_shared::{ContactParty, ExceptionOutcome, ExceptionTaskStatus};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
    TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

/// Records a call, message or chat about the task.
pub async fn record_contact(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    task_id: Uuid,
    party: ContactParty,
    note: &str,
) -> AppResult<exception_contact::Model> {
    exceptions::check_note(note)
        .map_err(|e| AppError::invalid("note", code_of(&e), e.to_string()))?;
    let who = actor_of(actor);
    let note = note.trim().to_string();
    let hub = realtime.clone();
    let (contact, event) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let (t, o) = load(txn, task_id).await?;
                if t.status != ExceptionTaskStatus::Open {
                    return Err(AppError::InvalidTransition(
                        "The task is resolved: contacts are recorded while it is open.".into(),
                    ));
                }
                let contact = exception_contact::Model {
                    id: Uuid::now_v7(),
                    task_id: t.id,
                    party,
                    note: note.clone(),
                    actor_label: who.1.clone(),
                    at: Utc::now(),
                };
                exception_contact::Entity::insert(contact.clone().into_active_model())
                    .exec(txn)
                    .await?;
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: o.id,
                        kind: EventKind::Exception,
                        from: None,
                        to: None,
                        actor: (who.0, who.1.clone()),
                        reason: Some(format!("contacted the {}: {note}", party_word(party))),
                    },
                )
                .await?;
                let event = queue_event(&t, &o.number, "CONTACTED");
                hub.queues().stage(txn, &event).await?;
                Ok((contact, event))
            })
        })
        .await?;
    realtime.queues().committed([event]);
    Ok(contact)
}

/// How the agent closes the task.
pub struct Outcome {
    pub outcome: ExceptionOutcome,
    pub note: String,
    /// REDELIVER: the address the customer gave, replacing the order's.
    pub corrected_address: Option<AddressDraft>,
    /// REFUND: the amount, a decimal in the order's currency.
    pub refund_amount: Option<String>,
    /// REFUND of a cash-on-delivery order: where the money goes.
    pub payout_reference: Option<String>,
}

/// Closes the task with its outcome, all in one transaction.
pub async fn resolve(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    task_id: Uuid,
    outcome: Outcome,
) -> AppResult<exception_task::Model> {
    let who = actor_of(actor);
    let hub = realtime.clone();
    let (task, events, order_events) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let (t, o) = load(txn, task_id).await?;
                let plan = exceptions::resolve(
                    t.status,
                    &ResolutionRequest {
                        outcome: outcome.outcome,
                        note: &outcome.note,
                        has_corrected_address: outcome.corrected_address.is_some(),
                        has_refund_amount: outcome.refund_amount.is_some(),
                    },
                )
                .map_err(|e| match e {
                    ExceptionError::AlreadyResolved => {
                        AppError::InvalidTransition(format!("Exception task {}: {e}.", t.id))
                    }
                    other => AppError::invalid(path_of(&other), code_of(&other), other.to_string()),
                })?;
                let note = outcome.note.trim().to_string();
                let mut said = format!("exception resolved: {}: {note}", outcome.outcome);
                let mut events = Vec::new();
                let mut order_events = Vec::new();
                if let Some(draft) = &outcome.corrected_address {
                    let mut problems = Vec::new();
                    let Some(a) = validate_address("input.correctedAddress", draft, &mut problems)
                        .filter(|_| problems.is_empty())
                    else {
                        return Err(AppError::Validation(problems));
                    };
                    said.push_str(&format!("; address corrected to {}, {}", a.line1, a.city));
                    let mut row = o.clone().into_active_model();
                    stored::set_address(&mut row, a);
                    order::Entity::update(row).exec(txn).await?;
                }
                if let Some(command) = &plan.shipment {
                    let s = shipment::Entity::find_by_id(t.shipment_id)
                        .one(txn)
                        .await?
                        .ok_or_else(|| AppError::Internal("exception parcel vanished".into()))?;
                    status::apply(txn, &s, command).await?;
                }
                if plan.reship {
                    let units: Vec<(Uuid, i32)> = shipment_line::Entity::find()
                        .filter(shipment_line::Column::ShipmentId.eq(t.shipment_id))
                        .all(txn)
                        .await?
                        .iter()
                        .map(|l| (l.order_line_id, l.quantity))
                        .collect();
                    let cause = replacement::Cause {
                        key: format!("exception:{}", t.id),
                        actor: (who.0, who.1.clone()),
                        why: format!("delivery exception {} of parcel {}", t.code, t.shipment_id),
                    };
                    let (placed, events) =
                        replacement::place(txn, &hub, &cause, &o, &units).await?;
                    said.push_str(&format!("; replacement order {} placed", placed.number));
                    order_events.extend(events);
                }
                let mut refund_id = None;
                if plan.refund {
                    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
                    let text = outcome.refund_amount.as_deref().unwrap_or_default();
                    let minor = Money::parse(text, currency)
                        .and_then(|m| m.to_minor())
                        .map_err(|e| {
                            AppError::invalid("input.refundAmount", "INVALID_AMOUNT", e.to_string())
                        })?;
                    let reason = format!("delivery exception ({}): {note}", t.code);
                    let (r, event) = record(
                        txn,
                        hub.queues(),
                        NewRefund {
                            order: &o,
                            amount_minor: minor,
                            reason: &reason,
                            payout_reference: outcome.payout_reference.clone(),
                            requested_by: &who,
                            case_id: None,
                        },
                    )
                    .await?;
                    refund_id = Some(r.id);
                    events.push(event);
                }
                let now = Utc::now();
                let task = exception_task::Entity::update_many()
                    .col_expr(
                        exception_task::Column::Status,
                        Expr::value(ExceptionTaskStatus::Resolved),
                    )
                    .col_expr(
                        exception_task::Column::OpenShipmentId,
                        Expr::value(Option::<Uuid>::None),
                    )
                    .col_expr(
                        exception_task::Column::Outcome,
                        Expr::value(Some(outcome.outcome)),
                    )
                    .col_expr(
                        exception_task::Column::ResolutionNote,
                        Expr::value(Some(note)),
                    )
                    .col_expr(exception_task::Column::RefundId, Expr::value(refund_id))
                    .col_expr(exception_task::Column::ResolvedAt, Expr::value(Some(now)))
                    .col_expr(
                        exception_task::Column::ResolvedByLabel,
                        Expr::value(Some(who.1.clone())),
                    )
                    .filter(exception_task::Column::Id.eq(t.id))
                    .filter(exception_task::Column::Status.eq(ExceptionTaskStatus::Open))
                    .exec_with_returning(txn)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| AppError::Conflict("The task was resolved meanwhile.".into()))?;
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: o.id,
                        kind: EventKind::Exception,
                        from: None,
                        to: None,
                        actor: (who.0, who.1.clone()),
                        reason: Some(said),
                    },
                )
                .await?;
                let event = queue_event(&task, &o.number, "RESOLVED");
                hub.queues().stage(txn, &event).await?;
                events.push(event);
                Ok((task, events, order_events))
            })
        })
        .await?;
    realtime.queues().committed(events);
    realtime.committed(order_events);
    Ok(task)
}

/// The task (locked) and its order.
async fn load(
    conn: &impl sea_orm::ConnectionTrait,
    task_id: Uuid,
) -> AppResult<(exception_task::Model, order::Model)> {
    let t = exception_task::Entity::find_by_id(task_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No exception task with id {task_id}.")))?;
    let o = order::Entity::find_by_id(t.order_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("exception order vanished".into()))?;
    Ok((t, o))
}

fn party_word(p: ContactParty) -> &'static str {
    match p {
        ContactParty::Customer => "customer",
        ContactParty::Carrier => "carrier",
    }
}

fn path_of(e: &ExceptionError) -> &'static str {
    match e {
        ExceptionError::NoteRequired | ExceptionError::NoteTooLong => "input.note",
        ExceptionError::AmountRequired | ExceptionError::AmountNotAllowed => "input.refundAmount",
        ExceptionError::AddressNotAllowed => "input.correctedAddress",
        ExceptionError::AlreadyResolved => "taskId",
    }
}

fn code_of(e: &ExceptionError) -> &'static str {
    match e {
        ExceptionError::NoteRequired | ExceptionError::AmountRequired => "REQUIRED",
        ExceptionError::NoteTooLong => "TOO_LONG",
        ExceptionError::AddressNotAllowed | ExceptionError::AmountNotAllowed => "NOT_ALLOWED",
        ExceptionError::AlreadyResolved => "ALREADY_RESOLVED",
    }
}
