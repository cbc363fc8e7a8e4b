//! The warehouse takes a return back: it scans the return label's tracking number (the case is
//! RECEIVED), then inspects the units one scan at a time. A unit that passes goes back into
//! stock (RETURN_RESTOCK in the ledger); one the merchant takes back but cannot sell is received
//! and scrapped (both in the ledger); one sent back never enters stock. After the last unit the
//! case is INSPECTED: a return-and-refund case sends its refund to finance, an exchange places
//! its replacement order.

use super::{Step, advance, lines, load, note, refund, replacement};
use crate::db::entity::{after_sales_case, after_sales_case_line, warehouse};
use crate::domain::aftersales::{CaseCommand, Inspected, KindExt, check_inspection_note};
use crate::domain::auth::Actor;
use crate::domain::stock::Movement;
use crate::error::{AppError, AppResult};
use crate::realtime::{OrderStatusEvent, QueueEvent, Realtime};
use crate::service::orders::timeline::actor_of;
use crate::service::orders::transition::ActorLabel;
use crate::service::stock::{Place, ledger, locate};
use orderly_shared::{CaseKind, CaseStatus, InspectionVerdict, StockMovementKind};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use uuid::Uuid;

/// Where returned units that pass inspection go when the inspector names no bin.
pub const RETURNS_BIN: &str = "RET-01-01-01";

/// The parcel arrived: the scanned return tracking number finds its case.
pub async fn receive(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    tracking_number: &str,
) -> AppResult<after_sales_case::Model> {
    let scanned = tracking_number.trim().to_ascii_uppercase();
    if scanned.is_empty() {
        return Err(AppError::invalid(
            "trackingNumber",
            "REQUIRED",
            "scan the return label",
        ));
    }
    let who = actor_of(actor);
    let actor = actor.clone();
    let hub = realtime.clone();
    let (case, event) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let id = after_sales_case::Entity::find()
                    .filter(after_sales_case::Column::ReturnTrackingNumber.eq(scanned.clone()))
                    .one(txn)
                    .await?
                    .map(|c| c.id)
                    .ok_or_else(|| {
                        AppError::NotFound(format!("No return is expected with {scanned}."))
                    })?;
                let (c, o) = load(txn, id).await?;
                let wh = return_warehouse(txn, &actor, &c).await?;
                advance(
                    txn,
                    hub.queues(),
                    Step {
                        case: &c,
                        order: &o,
                        command: CaseCommand::Receive,
                        who: &who,
                        said: format!("return parcel {scanned} received at {}", wh.code),
                        columns: Vec::new(),
                    },
                )
                .await
            })
        })
        .await?;
    realtime.queues().committed([event]);
    Ok(case)
}

/// One inspected unit, as the inspector scans it.
pub struct UnitInspection {
    pub case_id: Uuid,
    pub sku: String,
    pub verdict: InspectionVerdict,
    /// What was wrong: required unless the unit passed.
    pub note: Option<String>,
    /// Where a passed unit goes (default [`RETURNS_BIN`]).
    pub bin: Option<String>,
}

/// Records one unit's verdict and its stock movement; after the last unit, finishes the case.
pub async fn inspect(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    unit: UnitInspection,
) -> AppResult<after_sales_case::Model> {
    check_inspection_note(unit.verdict, unit.note.as_deref())
        .map_err(|e| AppError::invalid("note", "REQUIRED", e.to_string()))?;
    let who = actor_of(actor);
    let actor = actor.clone();
    let hub = realtime.clone();
    let verdict = unit.verdict;
    let (case, queue_events, order_events, restocked_sku) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let (c, o) = load(txn, unit.case_id).await?;
                if c.status != CaseStatus::Received {
                    return Err(AppError::InvalidTransition(format!(
                        "After-sales case {} is {}: units are inspected once the return is received.",
                        c.number, c.status
                    )));
                }
                let wh = return_warehouse(txn, &actor, &c).await?;
                let sku = unit.sku.trim().to_string();
                let all = lines(txn, c.id).await?;
                let Some(line) = all
                    .iter()
                    .find(|l| l.sku.eq_ignore_ascii_case(&sku) && inspected(l).total() < l.quantity)
                else {
                    let (code, message) = if all.iter().any(|l| l.sku.eq_ignore_ascii_case(&sku)) {
                        ("ALL_INSPECTED", format!("every returned {sku} is inspected already"))
                    } else {
                        ("NOT_IN_RETURN", format!("{sku} is not in this return"))
                    };
                    return Err(AppError::invalid("sku", code, message));
                };
                let note_text = unit.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
                let bin = unit.bin.as_deref().map(str::trim).filter(|b| !b.is_empty());
                let reference = c.number.clone();
                let stock_said = match unit.verdict {
                    InspectionVerdict::SendBack => "not accepted, sent back to the customer".into(),
                    verdict => {
                        let place = Place {
                            warehouse_code: wh.code.clone(),
                            bin: bin.unwrap_or(RETURNS_BIN).to_string(),
                            sku: line.sku.clone(),
                        };
                        let row = locate(txn, &place, StockMovementKind::Receipt).await?;
                        let restock = Movement::new(StockMovementKind::ReturnRestock, 1)
                            .map_err(AppError::internal)?;
                        let why = format!("return of case {}", c.number);
                        let row = ledger::post(txn, &row, restock, &why, &reference, &actor).await?;
                        if verdict == InspectionVerdict::Scrap {
                            let scrap = Movement::new(StockMovementKind::Scrap, 1)
                                .map_err(AppError::internal)?;
                            let why = format!(
                                "failed inspection (case {}): {}",
                                c.number,
                                note_text.unwrap_or_default()
                            );
                            ledger::post(txn, &row, scrap, &why, &reference, &actor).await?;
                            format!("received and scrapped in {}", place.bin)
                        } else {
                            format!("back in stock in {} {}", wh.code, place.bin)
                        }
                    }
                };
                record_verdict(txn, line, unit.verdict, note_text).await?;
                let line_sku = line.sku.clone();
                let said = match note_text {
                    Some(n) => format!("case {}: {} {}: {stock_said} ({n})", c.number, line.sku, unit.verdict),
                    None => format!("case {}: {} {}: {stock_said}", c.number, line.sku, unit.verdict),
                };
                note(txn, o.id, &who, said).await?;
                let all = lines(txn, c.id).await?;
                let mut queue_events = Vec::new();
                let mut order_events = Vec::new();
                if all.iter().all(|l| inspected(l).total() >= l.quantity) {
                    finish(txn, &hub, &c, &o, &who, &all, &mut queue_events, &mut order_events)
                        .await?;
                }
                let c = after_sales_case::Entity::find_by_id(c.id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::Internal("after-sales case vanished".into()))?;
                Ok((c, queue_events, order_events, line_sku))
            })
        })
        .await?;
    realtime.queues().committed(queue_events);
    realtime.committed(order_events);
    // A unit back on the shelf serves orders waiting for its SKU, as any receipt does.
    if verdict == InspectionVerdict::Pass {
        let skus = std::collections::BTreeSet::from([restocked_sku]);
        if let Err(err) = crate::service::allocation::waiting::serve(db, realtime, &skus).await {
            tracing::error!(error = %err, "serving waiting orders after a return failed");
        }
    }
    Ok(case)
}

/// Every unit is inspected: the case is INSPECTED, then its refund goes to finance or its
/// replacement is placed (or, when nothing was accepted, it is resolved at once).
#[allow(clippy::too_many_arguments)]
async fn finish(
    txn: &impl ConnectionTrait,
    hub: &Realtime,
    c: &after_sales_case::Model,
    o: &crate::db::entity::order::Model,
    who: &ActorLabel,
    all: &[after_sales_case_line::Model],
    queue_events: &mut Vec<QueueEvent>,
    order_events: &mut Vec<OrderStatusEvent>,
) -> AppResult<()> {
    let totals = all.iter().fold(Inspected::default(), |t, l| {
        let i = inspected(l);
        Inspected {
            passed: t.passed + i.passed,
            scrapped: t.scrapped + i.scrapped,
            sent_back: t.sent_back + i.sent_back,
        }
    });
    let (c, event) = advance(
        txn,
        hub.queues(),
        Step {
            case: c,
            order: o,
            command: CaseCommand::FinishInspection,
            who,
            said: format!(
                "inspected: {} passed, {} scrapped, {} sent back",
                totals.passed, totals.scrapped, totals.sent_back
            ),
            columns: Vec::new(),
        },
    )
    .await?;
    queue_events.push(event);
    let accepted: Vec<(after_sales_case_line::Model, i32)> = all
        .iter()
        .map(|l| (l.clone(), inspected(l).accepted()))
        .collect();
    let resolution = match c.kind {
        k if k.refunds() => match refund::request(txn, hub.queues(), &c, o, &accepted).await? {
            Some((_, event)) => {
                queue_events.push(event);
                None
            }
            None => Some(("nothing accepted is left to refund".to_string(), None)),
        },
        CaseKind::Exchange if totals.accepted() > 0 => {
            let units: Vec<(Uuid, i32)> = accepted
                .iter()
                .map(|(l, n)| (l.order_line_id, *n))
                .collect();
            let (placed, events) =
                replacement::place(txn, hub, &replacement::Cause::case(&c), o, &units).await?;
            order_events.extend(events);
            Some((
                format!("replacement order {} placed", placed.number),
                Some(placed.id),
            ))
        }
        _ => Some(("no unit was accepted: nothing to replace".to_string(), None)),
    };
    if let Some((said, replacement_id)) = resolution {
        let (_, event) = advance(
            txn,
            hub.queues(),
            Step {
                case: &c,
                order: o,
                command: CaseCommand::Resolve,
                who,
                said,
                columns: vec![(
                    after_sales_case::Column::ReplacementOrderId,
                    Expr::value(replacement_id),
                )],
            },
        )
        .await?;
        queue_events.push(event);
    }
    Ok(())
}

fn inspected(l: &after_sales_case_line::Model) -> Inspected {
    Inspected {
        passed: l.passed,
        scrapped: l.scrapped,
        sent_back: l.sent_back,
    }
}

/// Counts the unit on its line (conditionally: never more verdicts than units) with its note.
async fn record_verdict(
    conn: &impl ConnectionTrait,
    line: &after_sales_case_line::Model,
    verdict: InspectionVerdict,
    note: Option<&str>,
) -> AppResult<()> {
    let column = match verdict {
        InspectionVerdict::Pass => after_sales_case_line::Column::Passed,
        InspectionVerdict::Scrap => after_sales_case_line::Column::Scrapped,
        InspectionVerdict::SendBack => after_sales_case_line::Column::SentBack,
    };
    let mut notes: Vec<serde_json::Value> =
        serde_json::from_str(&line.inspection_notes).unwrap_or_default();
    if let Some(n) = note {
        notes.push(serde_json::json!({ "verdict": verdict, "note": n }));
    }
    use sea_orm::sea_query::ExprTrait;
    let counted = after_sales_case_line::Entity::update_many()
        .col_expr(column, Expr::col(column).add(1))
        .col_expr(
            after_sales_case_line::Column::InspectionNotes,
            Expr::value(serde_json::Value::Array(notes).to_string()),
        )
        .filter(after_sales_case_line::Column::Id.eq(line.id))
        .filter(
            Expr::col(after_sales_case_line::Column::Passed)
                .add(Expr::col(after_sales_case_line::Column::Scrapped))
                .add(Expr::col(after_sales_case_line::Column::SentBack))
                .lt(line.quantity),
        )
        .exec(conn)
        .await?;
    if counted.rows_affected == 0 {
        return Err(AppError::Conflict(
            "The unit was inspected meanwhile; scan the next one.".into(),
        ));
    }
    Ok(())
}

/// The warehouse the return goes to, if the actor works there.
async fn return_warehouse(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    c: &after_sales_case::Model,
) -> AppResult<warehouse::Model> {
    let id = c.return_warehouse_id.ok_or_else(|| {
        AppError::InvalidTransition(format!("After-sales case {} expects no return.", c.number))
    })?;
    crate::service::stock::scope::check(conn, actor, id).await
}
