//! Customer service decides a case. Approving does what the kind asks at once: a return gets its
//! label from the carrier (the case then waits for the parcel), a refund-only case's refund goes
//! to finance, a reship places its replacement order. Rejecting and closing need a reason.

use super::{Step, advance, lines, load, refund, replacement};
use crate::carrier::{BookingRequest, CarrierAdapter};
use crate::db::entity::{after_sales_case, order, shipment, shipment_line, warehouse};
use crate::domain::aftersales::{CaseCommand, CaseError, KindExt, MAX_NOTE, next};
use crate::domain::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use crate::service::orders::timeline::actor_of;
use crate::service::refunds::request::valid_payout_reference;
use orderly_shared::{CaseKind, PaymentMethod, ShipmentStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

/// Customer service's approval.
pub struct Approval {
    pub note: Option<String>,
    /// Cash on delivery: the account or wallet the refund goes to, if the case has none yet.
    pub payout_reference: Option<String>,
}

/// Where a return goes and how: booked with the carrier of the original parcel.
struct ReturnBooking {
    warehouse_id: Uuid,
    carrier: String,
    service: String,
    tracking_number: String,
}

pub async fn approve(
    db: &DatabaseConnection,
    carriers: &dyn CarrierAdapter,
    realtime: &Realtime,
    actor: &Actor,
    case_id: Uuid,
    approval: Approval,
) -> AppResult<after_sales_case::Model> {
    let who = actor_of(actor);
    let approval_note = checked_note(approval.note.as_deref(), false)?;
    let (c, o) = load(db, case_id).await?;
    next(c.kind, c.status, CaseCommand::Approve)
        .map_err(|e| AppError::InvalidTransition(format!("After-sales case {}: {e}.", c.number)))?;
    let payout_reference = approval
        .payout_reference
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .or(c.payout_reference.clone());
    if let Some(r) = &payout_reference
        && !valid_payout_reference(r)
    {
        return Err(AppError::invalid(
            "payoutReference",
            "INVALID_PAYOUT_REFERENCE",
            "4 to 64 letters, digits, spaces, '-', '@' or '.'",
        ));
    }
    if c.kind.refunds()
        && o.payment_method == PaymentMethod::CashOnDelivery
        && payout_reference.is_none()
    {
        return Err(AppError::invalid(
            "payoutReference",
            "REQUIRED_FOR_CASH_ON_DELIVERY",
            "the customer paid cash: give the bank account or wallet to refund to",
        ));
    }
    // The carrier is asked before anything is written: a refused booking changes nothing.
    let booking = if c.kind.needs_return() {
        Some(book_return(db, carriers, &c, &o).await?)
    } else {
        None
    };
    let booked = booking.as_ref().map(|b| b.tracking_number.clone());
    let hub = realtime.clone();
    let approved = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let (c, o) = load(txn, case_id).await?;
                let said = match &approval_note {
                    Some(n) => format!("approved: {n}"),
                    None => "approved".into(),
                };
                let (mut c, first) = advance(
                    txn,
                    hub.queues(),
                    Step {
                        case: &c,
                        order: &o,
                        command: CaseCommand::Approve,
                        who: &who,
                        said,
                        columns: vec![
                            (
                                after_sales_case::Column::DecisionNote,
                                Expr::value(approval_note.clone()),
                            ),
                            (
                                after_sales_case::Column::DecidedByLabel,
                                Expr::value(Some(who.1.clone())),
                            ),
                            (
                                after_sales_case::Column::PayoutReference,
                                Expr::value(payout_reference.clone()),
                            ),
                        ],
                    },
                )
                .await?;
                let mut queue_events = vec![first];
                let mut order_events = Vec::new();
                match c.kind {
                    CaseKind::ReturnAndRefund | CaseKind::Exchange => {
                        let b = booking.as_ref().ok_or_else(|| {
                            AppError::Internal("a return without its booking".into())
                        })?;
                        let (stored, event) = advance(
                            txn,
                            hub.queues(),
                            Step {
                                case: &c,
                                order: &o,
                                command: CaseCommand::AwaitReturn,
                                who: &who,
                                said: format!(
                                    "return label {} with {} issued",
                                    b.tracking_number, b.carrier
                                ),
                                columns: vec![
                                    (
                                        after_sales_case::Column::ReturnCarrier,
                                        Expr::value(Some(b.carrier.clone())),
                                    ),
                                    (
                                        after_sales_case::Column::ReturnService,
                                        Expr::value(Some(b.service.clone())),
                                    ),
                                    (
                                        after_sales_case::Column::ReturnTrackingNumber,
                                        Expr::value(Some(b.tracking_number.clone())),
                                    ),
                                    (
                                        after_sales_case::Column::ReturnWarehouseId,
                                        Expr::value(Some(b.warehouse_id)),
                                    ),
                                ],
                            },
                        )
                        .await?;
                        c = stored;
                        queue_events.push(event);
                    }
                    CaseKind::RefundOnly => {
                        let all = lines(txn, c.id).await?;
                        let accepted: Vec<_> = all
                            .into_iter()
                            .map(|l| {
                                let n = l.quantity;
                                (l, n)
                            })
                            .collect();
                        match refund::request(txn, hub.queues(), &c, &o, &accepted).await? {
                            Some((_, event)) => queue_events.push(event),
                            None => {
                                let (stored, event) = advance(
                                    txn,
                                    hub.queues(),
                                    Step {
                                        case: &c,
                                        order: &o,
                                        command: CaseCommand::Resolve,
                                        who: &who,
                                        said: "nothing is left to refund".into(),
                                        columns: Vec::new(),
                                    },
                                )
                                .await?;
                                c = stored;
                                queue_events.push(event);
                            }
                        }
                    }
                    CaseKind::Reship => {
                        let units: Vec<(Uuid, i32)> = lines(txn, c.id)
                            .await?
                            .iter()
                            .map(|l| (l.order_line_id, l.quantity))
                            .collect();
                        let (placed, events) = replacement::place(
                            txn,
                            &hub,
                            &replacement::Cause::case(&c),
                            &o,
                            &units,
                        )
                        .await?;
                        order_events.extend(events);
                        let (stored, event) = advance(
                            txn,
                            hub.queues(),
                            Step {
                                case: &c,
                                order: &o,
                                command: CaseCommand::Resolve,
                                who: &who,
                                said: format!("replacement order {} placed", placed.number),
                                columns: vec![(
                                    after_sales_case::Column::ReplacementOrderId,
                                    Expr::value(Some(placed.id)),
                                )],
                            },
                        )
                        .await?;
                        c = stored;
                        queue_events.push(event);
                    }
                }
                let c = after_sales_case::Entity::find_by_id(c.id)
                    .one(txn)
                    .await?
                    .unwrap_or(c);
                Ok((c, queue_events, order_events))
            })
        })
        .await;
    let (case, queue_events, order_events) = match approved {
        Ok(done) => done,
        Err(e) => {
            // Nothing was approved (a concurrent decision won, say): the label must not stay
            // booked with the carrier.
            if let Some(tracking) = booked
                && let Err(why) = carriers.cancel(&tracking).await
            {
                tracing::warn!(%tracking, error = %why, "could not cancel an unused return label");
            }
            return Err(e.into());
        }
    };
    realtime.queues().committed(queue_events);
    realtime.committed(order_events);
    Ok(case)
}

/// Refuses the case; the reason is what the customer is told.
pub async fn reject(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    case_id: Uuid,
    reason: &str,
) -> AppResult<after_sales_case::Model> {
    decide_with_reason(db, realtime, actor, case_id, reason, CaseCommand::Reject).await
}

/// Closes an approved case by hand (the customer withdrew, the parcel never came, finance
/// refused the refund): it stops blocking the order's completion.
pub async fn close(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    case_id: Uuid,
    reason: &str,
) -> AppResult<after_sales_case::Model> {
    decide_with_reason(db, realtime, actor, case_id, reason, CaseCommand::Close).await
}

async fn decide_with_reason(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    case_id: Uuid,
    reason: &str,
    command: CaseCommand,
) -> AppResult<after_sales_case::Model> {
    let reason = checked_note(Some(reason), true)?.unwrap_or_default();
    let who = actor_of(actor);
    let hub = realtime.clone();
    let (case, event) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let (c, o) = load(txn, case_id).await?;
                advance(
                    txn,
                    hub.queues(),
                    Step {
                        case: &c,
                        order: &o,
                        command,
                        who: &who,
                        said: reason.clone(),
                        columns: vec![
                            (
                                after_sales_case::Column::DecisionNote,
                                Expr::value(Some(reason.clone())),
                            ),
                            (
                                after_sales_case::Column::DecidedByLabel,
                                Expr::value(Some(who.1.clone())),
                            ),
                        ],
                    },
                )
                .await
            })
        })
        .await?;
    realtime.queues().committed([event]);
    Ok(case)
}

/// A trimmed note, `None` when empty; an error when required and empty, or too long.
fn checked_note(note: Option<&str>, required: bool) -> AppResult<Option<String>> {
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    match note {
        None if required => Err(AppError::invalid(
            "reason",
            "REQUIRED",
            CaseError::NoteRequired.to_string(),
        )),
        Some(n) if n.chars().count() > MAX_NOTE => Err(AppError::invalid(
            "reason",
            "TOO_LONG",
            CaseError::NoteTooLong.to_string(),
        )),
        other => Ok(other.map(str::to_string)),
    }
}

/// Books the return with the carrier of the parcel that brought the case's first line, back to
/// the warehouse that shipped it.
async fn book_return(
    conn: &impl ConnectionTrait,
    carriers: &dyn CarrierAdapter,
    c: &after_sales_case::Model,
    o: &order::Model,
) -> AppResult<ReturnBooking> {
    let case_lines = lines(conn, c.id).await?;
    let shipments = shipment::Entity::find()
        .filter(shipment::Column::OrderId.eq(o.id))
        .filter(shipment::Column::Status.eq(ShipmentStatus::Delivered))
        .order_by_asc(shipment::Column::Id)
        .all(conn)
        .await?;
    let carried = shipment_line::Entity::find()
        .filter(shipment_line::Column::ShipmentId.is_in(shipments.iter().map(|s| s.id)))
        .filter(
            shipment_line::Column::OrderLineId.is_in(case_lines.iter().map(|l| l.order_line_id)),
        )
        .all(conn)
        .await?;
    let parcel = carried
        .first()
        .and_then(|l| shipments.iter().find(|s| s.id == l.shipment_id))
        .or(shipments.first())
        .ok_or_else(|| {
            AppError::InvalidTransition(format!(
                "Order {} has no delivered parcel to send back.",
                o.number
            ))
        })?;
    let (Some(carrier), Some(service)) = (parcel.carrier.clone(), parcel.service_code.clone())
    else {
        return Err(AppError::Internal(
            "a delivered parcel without its carrier".into(),
        ));
    };
    let wh = warehouse::Entity::find_by_id(parcel.warehouse_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("the parcel's warehouse vanished".into()))?;
    let booking = carriers
        .book(&BookingRequest {
            carrier_code: carrier.clone(),
            service_code: service.clone(),
            order_number: c.number.clone(),
            recipient: wh.name.clone(),
            phone: o.ship_phone.clone(),
            country: wh.country.clone(),
            postal_code: wh.postal_code.clone(),
            weight_g: parcel.packed_weight_g.unwrap_or(500).max(1) as u32,
            cod: None,
        })
        .await
        .map_err(|e| AppError::Conflict(format!("carrier {carrier}: {e}")))?;
    Ok(ReturnBooking {
        warehouse_id: wh.id,
        carrier,
        service,
        tracking_number: booking.tracking_number,
    })
}
