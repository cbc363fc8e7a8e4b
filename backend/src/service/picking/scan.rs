//! The handheld's scans on one pick task. A refused scan changes nothing; an accepted one is
//! stored conditionally on the task as it was read (two handhelds on one task cannot both count
//! a unit). When a task completes, its units leave the bin: the reservations are consumed
//! through the ledger, and the shipments and the wave move on when all their tasks are done.

use super::{move_wave, refused, stage_event, task_scan};
use crate::db::entity::reservation::{self, ReservationState};
use crate::db::entity::{order, pick_task, pick_task_part, shipment, shipment_line, stock, wave};
use crate::domain::auth::Actor;
use crate::domain::picking::{ScanOutcome, TaskScan, WaveCommand};
use crate::domain::shipping::ShipmentCommand;
use crate::domain::stock::Movement;
use crate::error::{AppError, AppResult};
use crate::realtime::{WarehouseEvent, WarehouseLive};
use crate::service::orders::timeline::{self, EventKind, actor_of};
use crate::service::shipping::status;
use crate::service::stock::ledger;
use crate::service::stock::scope;
use chrono::Utc;
use orderly_shared::{StockMovementKind, WaveKind, WaveStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use std::collections::HashMap;
use uuid::Uuid;

/// What a scan did, with the task and wave as they are now.
#[derive(Debug, Clone)]
pub struct PickScanResult {
    pub outcome: ScanOutcome,
    pub task: pick_task::Model,
    pub wave: wave::Model,
}

/// What the picker did on the handheld.
#[derive(Debug, Clone)]
enum Step {
    Scan(String),
    Confirm,
}

/// A scan of the bin label or of one unit.
pub async fn scan(
    db: &DatabaseConnection,
    live: &WarehouseLive,
    actor: &Actor,
    task_id: Uuid,
    code: String,
) -> AppResult<PickScanResult> {
    run(db, live, actor, task_id, Step::Scan(code)).await
}

/// The explicit second confirmation of a high-value unit.
pub async fn confirm(
    db: &DatabaseConnection,
    live: &WarehouseLive,
    actor: &Actor,
    task_id: Uuid,
) -> AppResult<PickScanResult> {
    run(db, live, actor, task_id, Step::Confirm).await
}

async fn run(
    db: &DatabaseConnection,
    live: &WarehouseLive,
    actor: &Actor,
    task_id: Uuid,
    step: Step,
) -> AppResult<PickScanResult> {
    let actor = actor.clone();
    let (result, events) = db
        .transaction::<_, _, AppError>(|txn| {
            let live = live.clone();
            Box::pin(async move {
                let (task, w) = open_task(txn, task_id).await?;
                scope::check(txn, &actor, w.warehouse_id).await?;
                let mut state = task_scan(&task)?;
                let outcome = match &step {
                    Step::Scan(code) => state.scan(code),
                    Step::Confirm => state.confirm(),
                }
                .map_err(|e| refused("code", e.code(), e.to_string()))?;
                let task = store(txn, &task, &state).await?;
                let mut events = Vec::new();
                let w = if w.status == WaveStatus::Released {
                    move_wave(txn, &w, &WaveCommand::StartPicking).await?
                } else {
                    w
                };
                let w = if task.done {
                    finish_task(txn, &task, &actor).await?;
                    advance(txn, &live, &actor, &w, &task, &mut events).await?
                } else {
                    w
                };
                events.push(
                    stage_event(txn, &live, w.warehouse_id, Some(w.id), None, "PICK_SCANNED")
                        .await?,
                );
                Ok((
                    PickScanResult {
                        outcome,
                        task,
                        wave: w,
                    },
                    events,
                ))
            })
        })
        .await?;
    live.committed(events);
    Ok(result)
}

/// The task and its wave, refusing a task that is not open for picking.
pub(super) async fn open_task(
    conn: &impl ConnectionTrait,
    task_id: Uuid,
) -> AppResult<(pick_task::Model, wave::Model)> {
    let task = pick_task::Entity::find_by_id(task_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such pick task.".into()))?;
    let w = super::wave(conn, task.wave_id).await?;
    if !matches!(w.status, WaveStatus::Released | WaveStatus::Picking) {
        return Err(AppError::InvalidTransition(format!(
            "wave {} is {}: its picking is over",
            w.number, w.status
        )));
    }
    Ok((task, w))
}

/// Writes the scanning state, conditional on the row as it was read.
pub(super) async fn store(
    conn: &impl ConnectionTrait,
    before: &pick_task::Model,
    state: &TaskScan,
) -> AppResult<pick_task::Model> {
    let updated = pick_task::Entity::update_many()
        .col_expr(
            pick_task::Column::BinConfirmed,
            Expr::value(state.bin_confirmed),
        )
        .col_expr(pick_task::Column::Picked, Expr::value(state.picked as i32))
        .col_expr(
            pick_task::Column::AwaitingConfirmation,
            Expr::value(state.pending_confirmation),
        )
        .col_expr(
            pick_task::Column::ShortQuantity,
            Expr::value(state.short as i32),
        )
        .col_expr(pick_task::Column::Done, Expr::value(state.is_complete()))
        .col_expr(pick_task::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(pick_task::Column::Id.eq(before.id))
        .filter(pick_task::Column::Picked.eq(before.picked))
        .filter(pick_task::Column::BinConfirmed.eq(before.bin_confirmed))
        .filter(pick_task::Column::AwaitingConfirmation.eq(before.awaiting_confirmation))
        .filter(pick_task::Column::Done.eq(false))
        .exec_with_returning(conn)
        .await?;
    updated.into_iter().next().ok_or_else(|| {
        AppError::Conflict("The task was scanned elsewhere meanwhile; reload it.".into())
    })
}

/// Units of a finished task that did not come out of the bin, per shipment line.
#[derive(Debug, Clone)]
pub(super) struct Missing {
    pub order_id: Uuid,
    pub order_number: String,
    pub units: u32,
}

/// Consumes what a finished task picked, part by part in wave order; a short task's missing
/// units are released from the parts that got none of them, and leave their shipment lines.
/// Parts of orders that ended meanwhile are skipped (their reservations are gone).
pub(super) async fn finish_task(
    conn: &impl ConnectionTrait,
    task: &pick_task::Model,
    actor: &Actor,
) -> AppResult<Vec<Missing>> {
    let (actor_kind, actor_label) = actor_of(actor);
    let parts = pick_task_part::Entity::find()
        .filter(pick_task_part::Column::TaskId.eq(task.id))
        .order_by_asc(pick_task_part::Column::Id)
        .all(conn)
        .await?;
    let shipments: HashMap<Uuid, shipment::Model> = shipment::Entity::find()
        .filter(shipment::Column::Id.is_in(parts.iter().map(|p| p.shipment_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let numbers: HashMap<Uuid, String> = order::Entity::find()
        .filter(order::Column::Id.is_in(shipments.values().map(|s| s.order_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.number))
        .collect();
    let row = stock::Entity::find_by_id(task.stock_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("pick task's stock row vanished".into()))?;
    let mut left = std::cmp::max(task.picked, 0);
    let mut missing = Vec::new();
    let active: std::collections::HashSet<Uuid> = reservation::Entity::find()
        .filter(reservation::Column::Id.is_in(parts.iter().map(|p| p.reservation_id)))
        .filter(reservation::Column::State.eq(ReservationState::Active))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    for part in parts {
        // The order ended while its units were being picked: they go back to the bin, nothing
        // is consumed for it.
        if !active.contains(&part.reservation_id) {
            continue;
        }
        let take = std::cmp::min(part.quantity, left);
        left -= take;
        let short = part.quantity - take;
        let s = shipments
            .get(&part.shipment_id)
            .ok_or_else(|| AppError::Internal("pick part without its shipment".into()))?;
        let number = numbers.get(&s.order_id).cloned().unwrap_or_default();
        let by = (actor_kind, actor_label.as_str());
        if take > 0 {
            let movement =
                Movement::new(StockMovementKind::Pick, take).map_err(AppError::internal)?;
            ledger::post_as(conn, &row, movement, "picked", &number, by).await?;
        }
        if short > 0 {
            let movement =
                Movement::new(StockMovementKind::Release, short).map_err(AppError::internal)?;
            ledger::post_as(conn, &row, movement, "short pick", &number, by).await?;
        }
        let state = if take > 0 {
            ReservationState::Consumed
        } else {
            ReservationState::Released
        };
        let mut update = reservation::Entity::update_many()
            .col_expr(reservation::Column::State, Expr::value(state))
            .col_expr(reservation::Column::ReleasedAt, Expr::value(Utc::now()));
        if take > 0 {
            update = update.col_expr(reservation::Column::Quantity, Expr::value(take));
        }
        let claimed = update
            .filter(reservation::Column::Id.eq(part.reservation_id))
            .filter(reservation::Column::State.eq(ReservationState::Active))
            .exec(conn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(AppError::Conflict(format!(
                "The reservation of order {number} was released meanwhile (cancelled?); the units go back to the bin."
            )));
        }
        pick_task_part::Entity::update_many()
            .col_expr(pick_task_part::Column::Picked, Expr::value(take))
            .filter(pick_task_part::Column::Id.eq(part.id))
            .exec(conn)
            .await?;
        shipment_line::Entity::update_many()
            .col_expr(
                shipment_line::Column::PickedQuantity,
                Expr::col(shipment_line::Column::PickedQuantity).add(take),
            )
            .col_expr(
                shipment_line::Column::Quantity,
                Expr::col(shipment_line::Column::Quantity).sub(short),
            )
            .filter(shipment_line::Column::Id.eq(part.shipment_line_id))
            .exec(conn)
            .await?;
        if short > 0 {
            missing.push(Missing {
                order_id: s.order_id,
                order_number: number,
                units: short as u32,
            });
        }
    }
    Ok(missing)
}

/// After a task finished: its shipments are picked when all their tasks are (a discrete list's
/// own shipment; every shipment of a batch wave), and the wave moves on when nothing is open.
pub(super) async fn advance(
    conn: &impl ConnectionTrait,
    live: &WarehouseLive,
    actor: &Actor,
    w: &wave::Model,
    task: &pick_task::Model,
    events: &mut Vec<WarehouseEvent>,
) -> AppResult<wave::Model> {
    let tasks = super::waves::tasks(conn, w.id).await?;
    let open_in_list = tasks
        .iter()
        .filter(|t| t.list_no == task.list_no && !t.done)
        .count();
    let open_tasks = tasks.iter().filter(|t| !t.done).count() as u32;
    let finished: Vec<Uuid> = match (w.kind, task.shipment_id) {
        (WaveKind::Discrete, Some(id)) if open_in_list == 0 => vec![id],
        (WaveKind::Batch, _) if open_tasks == 0 => shipment::Entity::find()
            .filter(shipment::Column::WaveId.eq(w.id))
            .all(conn)
            .await?
            .into_iter()
            .map(|s| s.id)
            .collect(),
        _ => Vec::new(),
    };
    for id in finished {
        let s = shipment::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::Internal("wave shipment vanished".into()))?;
        if s.cancelled_at.is_some() {
            continue; // its order ended meanwhile
        }
        let units: i32 = shipment_line::Entity::find()
            .filter(shipment_line::Column::ShipmentId.eq(id))
            .all(conn)
            .await?
            .iter()
            .map(|l| l.quantity)
            .sum();
        // Every unit short: nothing left to pack; the units were re-allocated or wait.
        let command = if units == 0 {
            ShipmentCommand::Cancel
        } else {
            ShipmentCommand::FinishPicking
        };
        status::apply(conn, &s, &command).await?;
        let (actor_kind, actor_label) = actor_of(actor);
        let what = if units == 0 {
            format!(
                "nothing left to ship from wave {}: every unit was short",
                w.number
            )
        } else {
            format!("picked in wave {} ({units} units)", w.number)
        };
        timeline::record(
            conn,
            timeline::Entry {
                order_id: s.order_id,
                kind: EventKind::Fulfilment,
                from: None,
                to: None,
                actor: (actor_kind, actor_label),
                reason: Some(what),
            },
        )
        .await?;
        events.push(stage_event(conn, live, w.warehouse_id, Some(w.id), Some(id), "PICKED").await?);
    }
    if open_tasks > 0 {
        return Ok(w.clone());
    }
    let w = move_wave(conn, w, &WaveCommand::FinishPicking { open_tasks }).await?;
    if w.status == WaveStatus::Sorting && super::sort::unsorted_units(conn, &w).await? == 0 {
        return move_wave(conn, &w, &WaveCommand::FinishSorting { unsorted_units: 0 }).await;
    }
    Ok(w)
}
