//! Rebuilding the analytics rollups from the events (`orderly analytics rebuild`), and checking
//! the stored rollups against a full recomputation (`orderly analytics check`, and the tests).

use super::rollup::{self, facts_of, history, parse_codes};
use crate::db::entity::{order, order_fact};
use crate::domain::analytics::{Facts, Happening};
use crate::error::AppResult;
use orderly_shared::OrderStatus;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Iterable, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Orders folded per transaction: bounded memory however many orders there are.
const BATCH: u64 = 500;

/// Folds each order's whole history into its rollup.
pub async fn fold_orders(
    conn: &impl ConnectionTrait,
    orders: &[order::Model],
) -> AppResult<HashMap<Uuid, Facts>> {
    let ids: Vec<Uuid> = orders.iter().map(|o| o.id).collect();
    let (events, parcels) = history(conn, &ids).await?;
    let mut facts: HashMap<Uuid, Facts> = HashMap::new();
    let placed: HashMap<Uuid, OrderStatus> = events
        .iter()
        .filter(|e| e.from_status.is_none())
        .filter_map(|e| Some((e.order_id, OrderStatus::parse(e.to_status.as_deref()?)?)))
        .collect();
    for o in orders {
        let first = placed.get(&o.id).copied().unwrap_or(o.status);
        facts.insert(o.id, Facts::placed(o.created_at, first));
    }
    for e in events.iter().filter(|e| e.from_status.is_some()) {
        let (Some(f), Some(to)) = (
            facts.get_mut(&e.order_id),
            e.to_status.as_deref().and_then(OrderStatus::parse),
        ) else {
            continue;
        };
        let codes = parse_codes(e.codes.as_deref());
        f.apply(&Happening::Order {
            at: e.at,
            to,
            codes: &codes,
        });
    }
    for p in &parcels {
        if let Some(f) = facts.get_mut(&p.order_id) {
            f.apply(&Happening::Shipment {
                at: p.at,
                to: p.to_status,
                warehouse_id: p.warehouse_id,
                carrier: p.carrier.as_deref(),
            });
        }
    }
    Ok(facts)
}

/// Recomputes every order's rollup from its events; returns how many orders it folded.
pub async fn rebuild(db: &DatabaseConnection) -> AppResult<u64> {
    let mut after: Option<Uuid> = None;
    let mut done = 0;
    loop {
        let txn = db.begin().await?;
        let orders = page(&txn, after).await?;
        let Some(last) = orders.last() else {
            txn.commit().await?;
            return Ok(done);
        };
        after = Some(last.id);
        // Lock the stored rollups first: an event landing meanwhile waits, then folds into
        // the rebuilt row instead of being overwritten by it.
        order_fact::Entity::find()
            .filter(order_fact::Column::OrderId.is_in(orders.iter().map(|o| o.id)))
            .lock_exclusive()
            .all(&txn)
            .await?;
        let facts = fold_orders(&txn, &orders).await?;
        let rows = orders
            .iter()
            .filter_map(|o| facts.get(&o.id).map(|f| rollup::row(o, f)));
        order_fact::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(order_fact::Column::OrderId)
                    .update_columns(
                        order_fact::Column::iter()
                            .filter(|c| !matches!(c, order_fact::Column::OrderId)),
                    )
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
        done += orders.len() as u64;
    }
}

/// The orders whose stored rollup differs from a recomputation from their events (or is
/// missing), in id order.
pub async fn drift(db: &DatabaseConnection) -> AppResult<Vec<Uuid>> {
    let mut after: Option<Uuid> = None;
    let mut drifted = Vec::new();
    loop {
        let orders = page(db, after).await?;
        let Some(last) = orders.last() else {
            return Ok(drifted);
        };
        after = Some(last.id);
        let stored: HashMap<Uuid, order_fact::Model> = order_fact::Entity::find()
            .filter(order_fact::Column::OrderId.is_in(orders.iter().map(|o| o.id)))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.order_id, r))
            .collect();
        let recomputed = fold_orders(db, &orders).await?;
        for o in &orders {
            let same = match (stored.get(&o.id), recomputed.get(&o.id)) {
                (Some(s), Some(r)) => facts_of(s)? == *r && s.durations() == rollup::durations(r),
                _ => false,
            };
            if !same {
                drifted.push(o.id);
            }
        }
    }
}

async fn page(conn: &impl ConnectionTrait, after: Option<Uuid>) -> AppResult<Vec<order::Model>> {
    let mut q = order::Entity::find().order_by_asc(order::Column::Id);
    if let Some(after) = after {
        q = q.filter(order::Column::Id.gt(after));
    }
    Ok(q.limit(BATCH).all(conn).await?)
}
