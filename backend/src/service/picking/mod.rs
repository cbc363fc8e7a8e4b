//! Picking: waves of allocated shipments, their pick lists, the handheld's scans (which consume
//! the reservations as the units leave the bins), short picks with their cycle counts, and the
//! put-wall sort of batch waves. Every step is on the order timeline and on the live warehouse
//! feed.

pub mod counts;
pub mod scan;
pub mod short;
pub mod sort;
pub mod waves;

use crate::db::entity::{pick_task, wave};
use crate::domain::picking::{PickingErrorCode, TaskScan, WaveCommand, decide};
use crate::domain::stock::BinCode;
use crate::error::{AppError, AppResult};
use crate::realtime::{WarehouseEvent, WarehouseLive};
use chrono::Utc;
use orderly_shared::FieldProblem;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use uuid::Uuid;

/// A refused scan or request: VALIDATION with the domain's stable code on `path`.
pub(crate) fn refused(path: &str, code: PickingErrorCode, message: impl Into<String>) -> AppError {
    AppError::Validation(vec![FieldProblem::new(path, code.as_str(), message)])
}

/// The wave by id, or NOT_FOUND.
pub async fn wave(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<wave::Model> {
    wave::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such wave.".into()))
}

/// Moves the wave by `command`, conditional on its current status.
pub(crate) async fn move_wave(
    conn: &impl ConnectionTrait,
    w: &wave::Model,
    command: &WaveCommand,
) -> AppResult<wave::Model> {
    let to =
        decide(w.kind, w.status, command).map_err(|e| refused("wave", e.code(), e.to_string()))?;
    let updated = wave::Entity::update_many()
        .col_expr(wave::Column::Status, Expr::value(to))
        .col_expr(wave::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(wave::Column::Id.eq(w.id))
        .filter(wave::Column::Status.eq(w.status))
        .exec_with_returning(conn)
        .await?;
    updated
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Conflict("The wave changed meanwhile; reload and retry.".into()))
}

/// The task's scanning state as the domain sees it.
pub fn task_scan(t: &pick_task::Model) -> AppResult<TaskScan> {
    let count = |n: i32| u32::try_from(n).map_err(AppError::internal);
    Ok(TaskScan {
        bin_code: BinCode::parse(&t.bin_code)
            .map_err(|e| AppError::Internal(format!("pick task bin: {e}").into()))?,
        sku: t.sku.clone(),
        name: t.name.clone(),
        barcodes: serde_json::from_str(&t.barcodes).map_err(AppError::internal)?,
        high_value: t.high_value,
        quantity: count(t.quantity)?,
        bin_confirmed: t.bin_confirmed,
        picked: count(t.picked)?,
        pending_confirmation: t.awaiting_confirmation,
        short: count(t.short_quantity)?,
    })
}

/// Stages a warehouse event in the transaction; publish it with `live.committed` after commit.
pub async fn stage_event(
    conn: &impl ConnectionTrait,
    live: &WarehouseLive,
    warehouse_id: Uuid,
    wave_id: Option<Uuid>,
    shipment_id: Option<Uuid>,
    kind: &str,
) -> AppResult<WarehouseEvent> {
    let event = WarehouseEvent {
        warehouse_id,
        wave_id,
        shipment_id,
        kind: kind.to_string(),
        at: Utc::now(),
    };
    live.stage(conn, &event).await?;
    Ok(event)
}
