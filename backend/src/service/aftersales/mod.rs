//! After-sales cases from the customer's complaint to the money back or the replacement parcel:
//! customer service (or a partner, for its customer) opens a case on delivered lines; customer
//! service approves or rejects it; a return gets a label from the carrier; the warehouse scans
//! the parcel in and inspects every unit (pass → restock, fail → scrap or send back, through the
//! stock ledger); the refund the case computes goes to finance; an exchange or a reship places a
//! replacement order at price zero that runs through review, allocation and fulfilment like any
//! other. Every step is on the order's timeline and in the live after-sales queue.

pub mod decide;
pub mod open;
pub mod query;
pub mod refund;
pub mod replacement;
pub mod returns;

use crate::db::entity::{after_sales_case, after_sales_case_line, order};
use crate::domain::aftersales::{AfterSalesPolicy, CaseCommand, CaseError, next};
use crate::error::{AppError, AppResult};
use crate::realtime::{QueueEvent, QueueLive, WorkQueue};
use crate::service::orders::timeline::{self, EventKind};
use crate::service::orders::transition::ActorLabel;
use chrono::Utc;
use orderly_shared::CaseStatus;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, SimpleExpr},
};
use uuid::Uuid;

/// The merchant's after-sales settings ([`AfterSalesPolicy`]).
pub const AFTER_SALES_POLICY: &str = "after_sales.policy";

pub async fn policy(conn: &impl ConnectionTrait) -> AppResult<AfterSalesPolicy> {
    crate::service::settings_json::get(conn, AFTER_SALES_POLICY).await
}

/// The after-sales queue's live event for a case.
pub fn queue_event(c: &after_sales_case::Model, order_number: &str, kind: &str) -> QueueEvent {
    QueueEvent {
        queue: WorkQueue::AfterSales,
        item_id: c.id,
        order_id: c.order_id,
        order_number: order_number.to_string(),
        kind: kind.to_string(),
        at: Utc::now(),
    }
}

/// The case (row-locked on PostgreSQL, so steps on one case run one at a time) and its order.
pub(crate) async fn load(
    conn: &impl ConnectionTrait,
    case_id: Uuid,
) -> AppResult<(after_sales_case::Model, order::Model)> {
    let c = after_sales_case::Entity::find_by_id(case_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No after-sales case with id {case_id}.")))?;
    let o = order::Entity::find_by_id(c.order_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("after-sales order vanished".into()))?;
    Ok((c, o))
}

pub(crate) async fn lines(
    conn: &impl ConnectionTrait,
    case_id: Uuid,
) -> AppResult<Vec<after_sales_case_line::Model>> {
    Ok(after_sales_case_line::Entity::find()
        .filter(after_sales_case_line::Column::CaseId.eq(case_id))
        .order_by_asc(after_sales_case_line::Column::Id)
        .all(conn)
        .await?)
}

/// One step of the case: the state machine decides; a conditional update applies it with the
/// step's other columns (a concurrent step makes it a CONFLICT); the timeline says what
/// happened; the queue's event is staged for after commit.
pub(crate) async fn advance(
    conn: &impl ConnectionTrait,
    queues: &QueueLive,
    step: Step<'_>,
) -> AppResult<(after_sales_case::Model, QueueEvent)> {
    let Step {
        case: c,
        order: o,
        command,
        who,
        said,
        mut columns,
    } = step;
    let to = next(c.kind, c.status, command).map_err(|e| invalid_transition(c, &e))?;
    let now = Utc::now();
    if to == CaseStatus::Resolved {
        columns.push((after_sales_case::Column::ResolvedAt, Expr::value(Some(now))));
    }
    let mut update = after_sales_case::Entity::update_many()
        .col_expr(after_sales_case::Column::Status, Expr::value(to))
        .col_expr(after_sales_case::Column::UpdatedAt, Expr::value(now));
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    let stored = update
        .filter(after_sales_case::Column::Id.eq(c.id))
        .filter(after_sales_case::Column::Status.eq(c.status))
        .exec_with_returning(conn)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| {
            AppError::Conflict(format!(
                "After-sales case {} changed meanwhile; reload and retry.",
                c.number
            ))
        })?;
    note(
        conn,
        o.id,
        who,
        format!("case {}: {} → {to}: {said}", c.number, c.status),
    )
    .await?;
    let event = queue_event(&stored, &o.number, to.as_str());
    queues.stage(conn, &event).await?;
    Ok((stored, event))
}

/// What [`advance`] applies.
pub(crate) struct Step<'a> {
    pub case: &'a after_sales_case::Model,
    pub order: &'a order::Model,
    pub command: CaseCommand,
    pub who: &'a ActorLabel,
    /// For the timeline: what happened and why.
    pub said: String,
    pub columns: Vec<(after_sales_case::Column, SimpleExpr)>,
}

/// An after-sales entry on the order's timeline.
pub(crate) async fn note(
    conn: &impl ConnectionTrait,
    order_id: Uuid,
    who: &ActorLabel,
    said: String,
) -> AppResult<()> {
    timeline::record(
        conn,
        timeline::Entry {
            order_id,
            kind: EventKind::AfterSales,
            from: None,
            to: None,
            actor: (who.0, who.1.clone()),
            reason: Some(said),
        },
    )
    .await
}

fn invalid_transition(c: &after_sales_case::Model, e: &CaseError) -> AppError {
    AppError::InvalidTransition(format!("After-sales case {}: {e}.", c.number))
}

/// The system's label for what a case does on its own (its refund request, its replacement).
pub(crate) fn case_actor(c: &after_sales_case::Model) -> ActorLabel {
    ("SYSTEM", format!("after-sales case {}", c.number))
}

/// A refund paid out: the case it belongs to (if it is waiting for it) is resolved. Runs in the
/// payout's transaction.
pub(crate) async fn refund_paid(
    conn: &impl ConnectionTrait,
    queues: &QueueLive,
    case_id: Uuid,
    amount: &str,
) -> AppResult<Option<QueueEvent>> {
    let (c, o) = load(conn, case_id).await?;
    if !matches!(c.status, CaseStatus::Approved | CaseStatus::Inspected) {
        return Ok(None);
    }
    let who: ActorLabel = ("SYSTEM", "payment provider".into());
    let (_, event) = advance(
        conn,
        queues,
        Step {
            case: &c,
            order: &o,
            command: CaseCommand::Resolve,
            who: &who,
            said: format!("the refund of {amount} was paid out"),
            columns: Vec::new(),
        },
    )
    .await?;
    Ok(Some(event))
}
