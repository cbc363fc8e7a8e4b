//! Calling off the shipments of an order that ends before it ships (cancelled or rejected):
//! they are marked cancelled so nobody packs them, and units already picked for them go back to
//! the bins they came from, through the ledger.

use super::status;
use crate::db::entity::{order, pick_task, pick_task_part, shipment, shipment_line, stock};
use crate::domain::shipping::{ShipmentCommand, has_left_warehouse};
use crate::domain::stock::Movement;
use crate::error::{AppError, AppResult};
use crate::service::orders::transition::ActorLabel;
use crate::service::stock::ledger;
use orderly_shared::StockMovementKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeSet, HashMap};

/// Cancels the order's shipments still in the warehouse; returns the SKUs restocked.
pub async fn call_off(
    conn: &impl ConnectionTrait,
    o: &order::Model,
    actor: &ActorLabel,
) -> AppResult<BTreeSet<String>> {
    let shipments = shipment::Entity::find()
        .filter(shipment::Column::OrderId.eq(o.id))
        .filter(shipment::Column::CancelledAt.is_null())
        .all(conn)
        .await?;
    let mut restocked = BTreeSet::new();
    for s in shipments.iter().filter(|s| !has_left_warehouse(s.status)) {
        status::apply(conn, s, &ShipmentCommand::Cancel).await?;
        let lines = shipment_line::Entity::find()
            .filter(shipment_line::Column::ShipmentId.eq(s.id))
            .filter(shipment_line::Column::PickedQuantity.gt(0))
            .all(conn)
            .await?;
        if lines.is_empty() {
            continue;
        }
        let parts = pick_task_part::Entity::find()
            .filter(pick_task_part::Column::ShipmentLineId.is_in(lines.iter().map(|l| l.id)))
            .filter(pick_task_part::Column::Picked.gt(0))
            .all(conn)
            .await?;
        let bins: HashMap<uuid::Uuid, uuid::Uuid> = pick_task::Entity::find()
            .filter(pick_task::Column::Id.is_in(parts.iter().map(|p| p.task_id)))
            .all(conn)
            .await?
            .into_iter()
            .map(|t| (t.id, t.stock_id))
            .collect();
        for part in parts {
            let Some(stock_id) = bins.get(&part.task_id) else {
                continue;
            };
            let row = stock::Entity::find_by_id(*stock_id)
                .one(conn)
                .await?
                .ok_or_else(|| AppError::Internal("picked-from stock row vanished".into()))?;
            let movement = Movement::new(StockMovementKind::ReturnRestock, part.picked)
                .map_err(AppError::internal)?;
            ledger::post_as(
                conn,
                &row,
                movement,
                "order ended after picking: units back to their bin",
                &o.number,
                (actor.0, &actor.1),
            )
            .await?;
            restocked.insert(row.sku);
        }
    }
    Ok(restocked)
}
