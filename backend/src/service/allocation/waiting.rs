//! Back in stock: orders waiting for a SKU are served first come, first served. An older order
//! that still cannot be served keeps its place: younger orders wanting the same SKU wait behind
//! it rather than overtaking it.

use super::{Locking, Mode, allocate};
use crate::db::entity::{order, stockout};
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use crate::service::orders::transition::system;
use orderly_shared::OrderStatus;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::{BTreeSet, HashSet};
use uuid::Uuid;

/// Tries the orders waiting for any of `skus`, oldest demand first; returns how many got stock.
pub async fn serve(
    db: &DatabaseConnection,
    realtime: &Realtime,
    skus: &BTreeSet<String>,
) -> AppResult<usize> {
    if skus.is_empty() {
        return Ok(0);
    }
    let waiting = stockout::Entity::find()
        .filter(stockout::Column::Sku.is_in(skus.iter().cloned()))
        .filter(stockout::Column::Open.eq(true))
        .order_by_asc(stockout::Column::Id)
        .all(db)
        .await?;
    let mut seen = HashSet::new();
    let queue: Vec<Uuid> = waiting
        .iter()
        .filter(|s| seen.insert(s.order_id))
        .map(|s| s.order_id)
        .collect();
    let mut blocked: HashSet<String> = HashSet::new();
    let mut served = 0;
    for order_id in queue {
        let wants: Vec<String> = waiting
            .iter()
            .filter(|s| s.order_id == order_id)
            .map(|s| s.sku.clone())
            .collect();
        if wants.iter().any(|sku| blocked.contains(sku)) {
            blocked.extend(wants);
            continue;
        }
        let hub = realtime.clone();
        let result = db
            .transaction::<_, _, AppError>(|txn| {
                Box::pin(async move {
                    let Some(o) = order::Entity::find_by_id(order_id).one(txn).await? else {
                        return Ok(None);
                    };
                    if !matches!(
                        o.status,
                        OrderStatus::Backordered
                            | OrderStatus::Allocated
                            | OrderStatus::InFulfillment
                    ) {
                        return Ok(None);
                    }
                    let outcome = allocate(
                        txn,
                        &hub,
                        &o,
                        Mode::Waiting,
                        Locking::Pessimistic,
                        &system(),
                    )
                    .await?;
                    Ok(Some(outcome))
                })
            })
            .await?;
        match result {
            Some(outcome) if outcome.reserved => {
                served += 1;
                realtime.committed(outcome.events);
            }
            _ => blocked.extend(wants),
        }
    }
    Ok(served)
}
