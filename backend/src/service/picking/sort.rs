//! The put-wall sort of a batch wave: every picked unit is scanned once more and goes to the
//! lowest-numbered slot whose shipment still needs it. The wave is ready to pack when every
//! slot holds its whole shipment.

use super::{move_wave, refused, stage_event};
use crate::db::entity::{order, product, shipment, shipment_line, wave};
use crate::domain::auth::Actor;
use crate::domain::picking::{PutWall, SlotLine, SortOutcome, WallSlot, WaveCommand};
use crate::error::{AppError, AppResult};
use crate::realtime::WarehouseLive;
use orderly_shared::WaveStatus;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Where a scanned unit went, for the sorter's screen.
#[derive(Debug, Clone)]
pub struct SortResult {
    pub outcome: SortOutcome,
    pub order_number: String,
    pub wave: wave::Model,
}

/// The wave's put wall as it stands: expected = picked units, put = sorted units.
pub async fn wall(conn: &impl ConnectionTrait, w: &wave::Model) -> AppResult<PutWall> {
    let shipments = shipment::Entity::find()
        .filter(shipment::Column::WaveId.eq(w.id))
        .filter(shipment::Column::CancelledAt.is_null())
        .all(conn)
        .await?;
    let lines = shipment_line::Entity::find()
        .filter(shipment_line::Column::ShipmentId.is_in(shipments.iter().map(|s| s.id)))
        .all(conn)
        .await?;
    let gtins: HashMap<String, Option<String>> = product::Entity::find()
        .filter(product::Column::Sku.is_in(lines.iter().map(|l| l.sku.clone())))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku, p.gtin))
        .collect();
    let mut slots = Vec::new();
    for s in shipments {
        let Some(slot) = s.wall_slot else { continue };
        let mut by_sku: BTreeMap<String, (u32, u32)> = BTreeMap::new();
        for l in lines.iter().filter(|l| l.shipment_id == s.id) {
            let e = by_sku.entry(l.sku.clone()).or_default();
            e.0 += std::cmp::max(l.picked_quantity, 0) as u32;
            e.1 += std::cmp::max(l.sorted_quantity, 0) as u32;
        }
        slots.push(WallSlot {
            slot: slot as u32,
            shipment_id: s.id,
            lines: by_sku
                .into_iter()
                .filter(|(_, (expected, _))| *expected > 0)
                .map(|(sku, (expected, put))| SlotLine {
                    barcodes: match gtins.get(&sku).cloned().flatten() {
                        Some(gtin) => vec![gtin, sku.clone()],
                        None => vec![sku.clone()],
                    },
                    sku,
                    expected,
                    put,
                })
                .collect(),
        });
    }
    slots.sort_by_key(|s| s.slot);
    Ok(PutWall { slots })
}

/// Units picked but not yet sorted into the wall.
pub async fn unsorted_units(conn: &impl ConnectionTrait, w: &wave::Model) -> AppResult<u32> {
    Ok(wall(conn, w).await?.unsorted_units())
}

/// Sorts one scanned unit of a batch wave into its slot.
pub async fn scan(
    db: &DatabaseConnection,
    live: &WarehouseLive,
    actor: &Actor,
    wave_id: Uuid,
    code: String,
) -> AppResult<SortResult> {
    let actor = actor.clone();
    let (result, event) = db
        .transaction::<_, _, AppError>(|txn| {
            let live = live.clone();
            Box::pin(async move {
                let w = super::wave(txn, wave_id).await?;
                crate::service::stock::scope::check(txn, &actor, w.warehouse_id).await?;
                if w.status != WaveStatus::Sorting {
                    return Err(AppError::InvalidTransition(format!(
                        "wave {} is {}: only a batch wave whose picking is done is sorted",
                        w.number, w.status
                    )));
                }
                let mut wall = wall(txn, &w).await?;
                let outcome = wall
                    .sort_scan(&code)
                    .map_err(|e| refused("code", e.code(), e.to_string()))?;
                let line = shipment_line::Entity::find()
                    .filter(shipment_line::Column::ShipmentId.eq(outcome.shipment_id))
                    .filter(shipment_line::Column::Sku.eq(outcome.sku.clone()))
                    .filter(
                        Expr::col(shipment_line::Column::SortedQuantity)
                            .lt(Expr::col(shipment_line::Column::PickedQuantity)),
                    )
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::Internal("sorted line vanished".into()))?;
                let put = shipment_line::Entity::update_many()
                    .col_expr(
                        shipment_line::Column::SortedQuantity,
                        Expr::col(shipment_line::Column::SortedQuantity).add(1),
                    )
                    .filter(shipment_line::Column::Id.eq(line.id))
                    .filter(shipment_line::Column::SortedQuantity.eq(line.sorted_quantity))
                    .exec(txn)
                    .await?;
                if put.rows_affected != 1 {
                    return Err(AppError::Conflict(
                        "That unit was sorted elsewhere meanwhile; scan the next one.".into(),
                    ));
                }
                let w = if outcome.wall_complete {
                    move_wave(txn, &w, &WaveCommand::FinishSorting { unsorted_units: 0 }).await?
                } else {
                    w
                };
                let s = shipment::Entity::find_by_id(outcome.shipment_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::Internal("sorted shipment vanished".into()))?;
                let number = order::Entity::find_by_id(s.order_id)
                    .one(txn)
                    .await?
                    .map(|o| o.number)
                    .unwrap_or_default();
                let event =
                    stage_event(txn, &live, w.warehouse_id, Some(w.id), Some(s.id), "SORTED")
                        .await?;
                Ok((
                    SortResult {
                        outcome,
                        order_number: number,
                        wave: w,
                    },
                    event,
                ))
            })
        })
        .await?;
    live.committed([event]);
    Ok(result)
}
