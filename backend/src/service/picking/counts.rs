//! Cycle counts: a bin blocked by a short pick is counted; the difference to the system's number
//! becomes a ledger adjustment, the bin is unblocked, and orders waiting for the SKU get their
//! turn.

use crate::db::entity::{cycle_count, stock, stock_discrepancy};
use crate::domain::auth::Actor;
use crate::domain::stock::Movement;
use crate::error::{AppError, AppResult};
use crate::realtime::{Realtime, WarehouseLive};
use crate::service::allocation::waiting;
use crate::service::audit::{self, AuditAction};
use crate::service::orders::timeline::actor_of;
use crate::service::page::{Page, PageRequest};
use crate::service::stock::ledger;
use chrono::Utc;
use orderly_shared::{CycleCountStatus, StockMovementKind};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait, sea_query::Expr,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Cycle counts, newest first, optionally by warehouses and status.
pub async fn list(
    conn: &impl ConnectionTrait,
    warehouses: Option<&[Uuid]>,
    status: Option<CycleCountStatus>,
    page: PageRequest,
) -> AppResult<Page<cycle_count::Model>> {
    let mut q = cycle_count::Entity::find().order_by_desc(cycle_count::Column::Id);
    if let Some(ids) = warehouses {
        q = q.filter(cycle_count::Column::WarehouseId.is_in(ids.iter().copied()));
    }
    if let Some(status) = status {
        q = q.filter(cycle_count::Column::Status.eq(status));
    }
    if let Some(after) = page.after {
        q = q.filter(cycle_count::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Recorded discrepancies, newest first.
pub async fn discrepancies(
    conn: &impl ConnectionTrait,
    warehouses: Option<&[Uuid]>,
    page: PageRequest,
) -> AppResult<Page<stock_discrepancy::Model>> {
    let mut q = stock_discrepancy::Entity::find().order_by_desc(stock_discrepancy::Column::Id);
    if let Some(ids) = warehouses {
        q = q.filter(stock_discrepancy::Column::WarehouseId.is_in(ids.iter().copied()));
    }
    if let Some(after) = page.after {
        q = q.filter(stock_discrepancy::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Records the count: on hand becomes `counted` through an adjustment, and the bin is unblocked.
pub async fn complete(
    db: &DatabaseConnection,
    realtime: &Realtime,
    live: &WarehouseLive,
    actor: &Actor,
    id: Uuid,
    counted: i32,
) -> AppResult<cycle_count::Model> {
    if counted < 0 {
        return Err(AppError::invalid(
            "counted",
            "MUST_NOT_BE_NEGATIVE",
            format!("a count is 0 or more (got {counted})"),
        ));
    }
    let actor = actor.clone();
    let (count, event) = db
        .transaction::<_, _, AppError>(|txn| {
            let live = live.clone();
            Box::pin(async move {
                let count = cycle_count::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::NotFound("No such cycle count.".into()))?;
                crate::service::stock::scope::check(txn, &actor, count.warehouse_id).await?;
                if count.status != CycleCountStatus::Open {
                    return Err(AppError::InvalidTransition(format!(
                        "bin {} was already counted ({} units)",
                        count.bin_code,
                        count.counted.unwrap_or_default()
                    )));
                }
                let row = stock::Entity::find_by_id(count.stock_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::Internal("counted stock row vanished".into()))?;
                if counted < row.reserved {
                    return Err(AppError::invalid(
                        "counted",
                        "BELOW_RESERVED",
                        format!(
                            "{} units in {} are still reserved for orders not yet picked; a count of {counted} cannot cover them — pick or re-allocate those orders first",
                            row.reserved, count.bin_code
                        ),
                    ));
                }
                let adjustment = counted - row.on_hand;
                let (actor_kind, actor_label) = actor_of(&actor);
                if adjustment != 0 {
                    let movement = Movement::new(StockMovementKind::Adjustment, adjustment)
                        .map_err(AppError::internal)?;
                    ledger::post_as(
                        txn,
                        &row,
                        movement,
                        &format!("cycle count: counted {counted}, system had {}", row.on_hand),
                        &count.id.to_string(),
                        (actor_kind, &actor_label),
                    )
                    .await?;
                }
                stock::Entity::update_many()
                    .col_expr(stock::Column::Blocked, Expr::value(false))
                    .col_expr(stock::Column::UpdatedAt, Expr::value(Utc::now()))
                    .filter(stock::Column::Id.eq(row.id))
                    .exec(txn)
                    .await?;
                let done = cycle_count::Entity::update_many()
                    .col_expr(
                        cycle_count::Column::Status,
                        Expr::value(CycleCountStatus::Counted),
                    )
                    .col_expr(cycle_count::Column::Counted, Expr::value(counted))
                    .col_expr(cycle_count::Column::Adjustment, Expr::value(adjustment))
                    .col_expr(cycle_count::Column::CountedBy, Expr::value(actor_label))
                    .col_expr(cycle_count::Column::CountedAt, Expr::value(Utc::now()))
                    .filter(cycle_count::Column::Id.eq(count.id))
                    .filter(cycle_count::Column::Status.eq(CycleCountStatus::Open))
                    .exec_with_returning(txn)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| AppError::Conflict("Counted meanwhile; reload.".into()))?;
                audit::record(
                    txn,
                    &actor,
                    AuditAction::CycleCountCompleted,
                    "STOCK",
                    Some(row.id.to_string()),
                    Some(serde_json::json!({
                        "bin": count.bin_code,
                        "sku": count.sku,
                        "counted": counted,
                        "adjustment": adjustment,
                    })),
                )
                .await?;
                let event = super::stage_event(
                    txn,
                    &live,
                    count.warehouse_id,
                    None,
                    None,
                    "CYCLE_COUNTED",
                )
                .await?;
                Ok((done, event))
            })
        })
        .await?;
    live.committed([event]);
    // The bin is back: orders waiting for the SKU are served in their order.
    waiting::serve(db, realtime, &BTreeSet::from([count.sku.clone()])).await?;
    Ok(count)
}
