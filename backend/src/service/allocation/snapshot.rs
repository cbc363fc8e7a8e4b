//! What allocation decides from: the rules and warehouses of the shop's configuration, and the
//! stock of the order's SKUs, loaded in the caller's transaction — locked (`FOR UPDATE`, in id
//! order so concurrent orders cannot deadlock) on PostgreSQL; SQLite runs one writer at a time.

use super::rules::shipping_costs;
use crate::db::entity::{order, order_line, product, stock, warehouse};
use crate::domain::allocation::{
    Destination, LineFacts, OrderFacts, RuleSet, ShippingCosts, SpecialRequestKind, StockSnapshot,
    WarehouseInfo,
};
use crate::domain::orders::SpecialRequests;
use crate::error::AppResult;
use crate::service::orders::stored;
use crate::service::shop_config::ShopConfig;
use sea_orm::sea_query::Expr;
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

/// A stock row with its bin's code.
#[derive(sea_orm::FromQueryResult)]
struct StockRow {
    #[sea_orm(nested)]
    stock: stock::Model,
    bin_code: String,
}

/// Takes rules and warehouses from `shop` and loads the stock of `skus` with its bins' codes;
/// with `lock`, the stock rows stay locked until the transaction ends (a dry run does not lock).
pub async fn load(
    conn: &impl ConnectionTrait,
    shop: &ShopConfig,
    skus: &[String],
    lock: bool,
) -> AppResult<Snapshot> {
    let rules = shop.allocation_rules.clone();
    let costs = shipping_costs();
    let warehouses = shop.warehouses.clone();
    // The code by a subquery, not a join: a lock then covers the stock rows only.
    let mut q = stock::Entity::find()
        .column_as(
            Expr::cust("(SELECT code FROM bins WHERE bins.id = stock.bin_id)"),
            "bin_code",
        )
        .filter(stock::Column::Sku.is_in(skus.to_vec()))
        .order_by_asc(stock::Column::Id);
    if lock {
        q = q.lock_exclusive();
    }
    let rows = q.into_model::<StockRow>().all(conn).await?;
    let codes: HashMap<Uuid, String> = warehouses.iter().map(|w| (w.id, w.code.clone())).collect();
    let mut units: HashMap<(String, String), u32> = HashMap::new();
    let mut bins: HashMap<(String, String), Vec<BinStock>> = HashMap::new();
    for StockRow {
        stock: row,
        bin_code,
    } in rows
    {
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
            bin_code,
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

/// The order as allocation sees it, for the lines still to allocate (their products read unless
/// `known`).
pub async fn order_facts(
    conn: &impl ConnectionTrait,
    o: &order::Model,
    remaining: &[Remaining],
    channel_code: &str,
    known: Option<&HashMap<String, product::Model>>,
) -> AppResult<OrderFacts> {
    let loaded: HashMap<String, product::Model>;
    let products = match known {
        Some(products) => products,
        None => {
            let skus: Vec<String> = remaining.iter().map(|r| r.line.sku.clone()).collect();
            loaded = product::Entity::find()
                .filter(product::Column::Sku.is_in(skus))
                .all(conn)
                .await?
                .into_iter()
                .map(|p| (p.sku.clone(), p))
                .collect();
            &loaded
        }
    };
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
