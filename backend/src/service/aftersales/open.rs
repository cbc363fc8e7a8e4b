//! Opening a case: on delivered lines of an order, by customer service or by the order's
//! partner for its customer; checked against what is left to claim and the return window.

use super::{note, policy, queue_event};
use crate::db::entity::{after_sales_case, after_sales_case_line, order, order_line};
use crate::domain::aftersales::{CaseError, LineFacts, OpenRequest, OrderFacts, check_open};
use crate::domain::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::realtime::QueueLive;
use crate::service::orders::OrderScope;
use crate::service::orders::intake::document_number;
use crate::service::orders::timeline::actor_of;
use crate::service::refunds::request::valid_payout_reference;
use chrono::Utc;
use orderly_shared::{CaseKind, CaseReason, CaseStatus, FieldProblem};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QuerySelect, TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A case as customer service or a partner opens it.
pub struct NewCase {
    pub order_id: Uuid,
    pub reason: CaseReason,
    pub kind: CaseKind,
    /// Order line ids and how many of their units.
    pub lines: Vec<(Uuid, i32)>,
    pub description: Option<String>,
    /// Cash on delivery: the bank account or wallet a refund goes to.
    pub payout_reference: Option<String>,
}

pub async fn open(
    db: &DatabaseConnection,
    queues: &QueueLive,
    actor: &Actor,
    new: NewCase,
) -> AppResult<after_sales_case::Model> {
    let who = actor_of(actor);
    let scope = OrderScope::of(actor);
    let hub = queues.clone();
    let (case, event) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                // The order's row lock serialises cases on one order, so two cannot both claim
                // its last units.
                let o = order::Entity::find_by_id(new.order_id)
                    .lock_exclusive()
                    .one(txn)
                    .await?
                    .filter(|o| scope.admits(o.channel_id))
                    .ok_or_else(|| {
                        AppError::NotFound(format!("No order with id {}.", new.order_id))
                    })?;
                let facts = line_facts(txn, o.id).await?;
                let description = new
                    .description
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(str::to_string);
                let request = OpenRequest {
                    reason: new.reason,
                    kind: new.kind,
                    lines: &new.lines,
                    description: description.as_deref(),
                };
                let order_facts = OrderFacts {
                    status: o.status,
                    delivered_at: o.delivered_at,
                };
                let mut problems = Vec::new();
                if let Err(found) = check_open(
                    &policy(txn).await?,
                    order_facts,
                    &facts,
                    &request,
                    Utc::now(),
                ) {
                    problems.extend(found.into_iter().map(|(i, e)| problem(i, &e)));
                }
                let payout_reference = new
                    .payout_reference
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_string);
                if payout_reference
                    .as_deref()
                    .is_some_and(|r| !valid_payout_reference(r))
                {
                    problems.push(FieldProblem::new(
                        "payoutReference",
                        "INVALID_PAYOUT_REFERENCE",
                        "4 to 64 letters, digits, spaces, '-', '@' or '.'",
                    ));
                }
                if !problems.is_empty() {
                    return Err(AppError::Validation(problems));
                }
                let now = Utc::now();
                let case = after_sales_case::Model {
                    id: Uuid::now_v7(),
                    number: document_number("AS", now)?,
                    order_id: o.id,
                    channel_id: o.channel_id,
                    reason: new.reason,
                    kind: new.kind,
                    status: CaseStatus::Requested,
                    description,
                    opened_by_kind: who.0.to_string(),
                    opened_by_label: who.1.clone(),
                    decision_note: None,
                    decided_by_label: None,
                    payout_reference,
                    return_carrier: None,
                    return_service: None,
                    return_tracking_number: None,
                    return_warehouse_id: None,
                    refund_id: None,
                    replacement_order_id: None,
                    refund_minor: 0,
                    shipping_refund_minor: 0,
                    created_at: now,
                    updated_at: now,
                    resolved_at: None,
                };
                after_sales_case::Entity::insert(case.clone().into_active_model())
                    .exec(txn)
                    .await?;
                let mut described = Vec::new();
                let rows: Vec<after_sales_case_line::ActiveModel> = new
                    .lines
                    .iter()
                    .map(|(line_id, quantity)| {
                        let sku = facts
                            .get(line_id)
                            .map(|f| f.sku.clone())
                            .unwrap_or_default();
                        described.push(format!("{quantity} × {sku}"));
                        after_sales_case_line::Model {
                            id: Uuid::now_v7(),
                            case_id: case.id,
                            order_line_id: *line_id,
                            sku,
                            quantity: *quantity,
                            passed: 0,
                            scrapped: 0,
                            sent_back: 0,
                            inspection_notes: "[]".into(),
                            refund_minor: 0,
                        }
                        .into_active_model()
                    })
                    .collect();
                after_sales_case_line::Entity::insert_many(rows)
                    .exec(txn)
                    .await?;
                note(
                    txn,
                    o.id,
                    &who,
                    format!(
                        "case {} opened: {} {}, {}",
                        case.number,
                        case.reason,
                        case.kind,
                        described.join(", ")
                    ),
                )
                .await?;
                let event = queue_event(&case, &o.number, "REQUESTED");
                hub.stage(txn, &event).await?;
                Ok((case, event))
            })
        })
        .await?;
    queues.committed([event]);
    Ok(case)
}

/// The order's lines with what reached the customer and what other cases already claim.
pub(crate) async fn line_facts(
    conn: &impl ConnectionTrait,
    order_id: Uuid,
) -> AppResult<HashMap<Uuid, LineFacts>> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(order_id))
        .all(conn)
        .await?;
    let cases: Vec<Uuid> = after_sales_case::Entity::find()
        .select_only()
        .column(after_sales_case::Column::Id)
        .filter(after_sales_case::Column::OrderId.eq(order_id))
        .filter(after_sales_case::Column::Status.ne(CaseStatus::Rejected))
        .into_tuple()
        .all(conn)
        .await?;
    let claimed = after_sales_case_line::Entity::find()
        .filter(after_sales_case_line::Column::CaseId.is_in(cases))
        .all(conn)
        .await?;
    Ok(lines
        .into_iter()
        .map(|l| {
            let claimed = claimed
                .iter()
                .filter(|c| c.order_line_id == l.id)
                .map(|c| c.quantity)
                .sum();
            let facts = LineFacts {
                sku: l.sku.clone(),
                shipped: l.quantity - l.cancelled_quantity,
                claimed,
            };
            (l.id, facts)
        })
        .collect())
}

fn problem(index: usize, e: &CaseError) -> FieldProblem {
    let line = |field: &str| format!("lines[{index}].{field}");
    let (path, code) = match e {
        CaseError::NotDelivered(_) => ("orderId".to_string(), "ORDER_NOT_DELIVERED"),
        CaseError::WindowClosed { .. } => ("reason".into(), "RETURN_WINDOW_CLOSED"),
        CaseError::KindNotForReason { .. } => ("kind".into(), "NOT_FOR_REASON"),
        CaseError::NoteTooLong => ("description".into(), "TOO_LONG"),
        CaseError::NoLines => ("lines".into(), "REQUIRED"),
        CaseError::DuplicateLine(_) => (line("orderLineId"), "DUPLICATE"),
        CaseError::UnknownLine(_) => (line("orderLineId"), "UNKNOWN_LINE"),
        CaseError::QuantityNotPositive => (line("quantity"), "MUST_BE_POSITIVE"),
        CaseError::ExceedsShipped { .. } => (line("quantity"), "EXCEEDS_SHIPPED"),
        _ => ("input".into(), "INVALID"),
    };
    FieldProblem::new(path, code, e.to_string())
}
