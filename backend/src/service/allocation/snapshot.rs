//! What allocation decides from, loaded in the caller's transaction: the rules, the warehouses,
//! and the stock of the order's SKUs — locked (`FOR UPDATE`, in id order so concurrent orders
//! cannot deadlock) on PostgreSQL; SQLite runs one writer at a time anyway.

use super::rules::{load_rule_set, shipping_costs};
use crate::db::entity::{bin, order, order_line, product, stock, warehouse};
use crate::domain::allocation::{
    Destination, LineFacts, OrderFacts, RuleSet, ShippingCosts, SpecialRequestKind, StockSnapshot,
    WarehouseInfo,
};
use crate::domain::orders::SpecialRequests;
use crate::error::AppResult;
use crate::service::orders::stored;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// A bin's stock row as allocation may reserve from it.
#[derive(Debug, Clone)]
pub struct BinStock {
    pub stock: stock::Model,
    pub bin_code: String,
}

/// Everything one allocation needs.
pub struct Snapshot {
    pub rules: RuleSet,
    pub warehouses: Vec<warehouse::Model>,
    pub costs: ShippingCosts,
    pub stock: StockSnapshot,
    /// Unblocked bins per (warehouse code, SKU), with units available.
    pub bins: HashMap<(String, String), Vec<BinStock>>,
}

impl Snapshot {
    /// Warehouses as the domain sees them.
    pub fn warehouse_infos(&self) -> Vec<WarehouseInfo> {
        self.warehouses
            .iter()
            .map(|w| WarehouseInfo {
                code: w.code.clone(),
                country: w.country.clone(),
                region: w.region.clone(),
            })
            .collect()
    }

    /// The warehouse row by code.
    pub fn warehouse(&self, code: &str) -> Option<&warehouse::Model> {
        self.warehouses.iter().find(|w| w.code == code)
    }
}

/// Loads rules, warehouses and the stock of `skus`; with `lock`, the stock rows stay locked
/// until the transaction ends (a dry run does not lock).
pub async fn load(conn: &impl ConnectionTrait, skus: &[String], lock: bool) -> AppResult<Snapshot> {
    let rules = load_rule_set(conn).await?;
    let costs = shipping_costs(conn).await?;
    let warehouses = warehouse::Entity::find()
        .filter(warehouse::Column::Active.eq(true))
        .order_by_asc(warehouse::Column::Code)
        .all(conn)
        .await?;
    let mut q = stock::Entity::find()
        .filter(stock::Column::Sku.is_in(skus.to_vec()))
        .order_by_asc(stock::Column::Id);
    if lock {
        q = q.lock_exclusive();
    }
    let rows = q.all(conn).await?;
    let bin_ids: Vec<Uuid> = rows.iter().map(|s| s.bin_id).collect();
    let bin_codes: HashMap<Uuid, String> = if bin_ids.is_empty() {
        HashMap::new()
    } else {
        bin::Entity::find()
            .filter(bin::Column::Id.is_in(bin_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|b| (b.id, b.code))
            .collect()
    };
    let codes: HashMap<Uuid, String> = warehouses.iter().map(|w| (w.id, w.code.clone())).collect();
    let mut units: HashMap<(String, String), u32> = HashMap::new();
    let mut bins: HashMap<(String, String), Vec<BinStock>> = HashMap::new();
    for row in rows {
        let Some(code) = codes.get(&row.warehouse_id) else {
            continue; // an inactive warehouse ships nothing
        };
        let available = (row.on_hand - row.reserved).max(0) as u32;
        if row.blocked || available == 0 {
            continue;
        }
        let key = (code.clone(), row.sku.clone());
        *units.entry(key.clone()).or_default() += available;
        bins.entry(key).or_default().push(BinStock {
            bin_code: bin_codes.get(&row.bin_id).cloned().unwrap_or_default(),
            stock: row,
        });
    }
    let stock = units
        .into_iter()
        .map(|((wh, sku), n)| (wh, sku, n))
        .collect();
    Ok(Snapshot {
        rules,
        warehouses,
        costs,
        stock,
        bins,
    })
}

/// What is still to allocate of each line: ordered, less cancelled, less already in shipments.
pub struct Remaining {
    pub line: order_line::Model,
    pub quantity: u32,
}

/// The order as allocation sees it, for the lines still to allocate.
pub async fn order_facts(
    conn: &impl ConnectionTrait,
    o: &order::Model,
    remaining: &[Remaining],
    channel_code: &str,
) -> AppResult<OrderFacts> {
    let skus: Vec<String> = remaining.iter().map(|r| r.line.sku.clone()).collect();
    let products: HashMap<String, product::Model> = product::Entity::find()
        .filter(product::Column::Sku.is_in(skus))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect();
    Ok(OrderFacts {
        channel: channel_code.to_string(),
        destination: Destination {
            country: o.ship_country.clone(),
            region: o.ship_region.clone(),
        },
        tags: stored::tags(o),
        special_requests: request_kinds(&stored::special_requests(o)),
        lines: remaining
            .iter()
            .map(|r| {
                let p = products.get(&r.line.sku);
                LineFacts {
                    sku: r.line.sku.clone(),
                    category: p.map(|p| p.category.clone()).unwrap_or_default(),
                    quantity: r.quantity,
                    unit_weight_g: p.map(|p| p.weight_g.max(0) as u32).unwrap_or(0),
                }
            })
            .collect(),
    })
}

/// Which kinds of special request an order made.
pub fn request_kinds(r: &SpecialRequests) -> Vec<SpecialRequestKind> {
    let mut kinds = Vec::new();
    if r.delivery_window.is_some() {
        kinds.push(SpecialRequestKind::DeliveryWindow);
    }
    if r.gift_wrap {
        kinds.push(SpecialRequestKind::GiftWrap);
    }
    if r.gift_message.is_some() {
        kinds.push(SpecialRequestKind::GiftMessage);
    }
    if r.invoice.is_some() {
        kinds.push(SpecialRequestKind::Invoice);
    }
    kinds
}
