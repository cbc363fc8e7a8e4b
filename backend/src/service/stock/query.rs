//! Reading stock back: warehouses, stock levels per bin and the ledger, a page at a time, with
//! the warehouse and bin codes fetched once per page.

use crate::db::entity::{bin, stock, stock_ledger, warehouse};
use crate::error::AppResult;
use crate::service::page::{Page, PageRequest};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// Warehouses by code, a page at a time.
pub async fn warehouses(
    conn: &impl ConnectionTrait,
    page: PageRequest,
) -> AppResult<Page<warehouse::Model>> {
    let mut q = warehouse::Entity::find().order_by_asc(warehouse::Column::Id);
    if let Some(after) = page.after {
        q = q.filter(warehouse::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// A bin's stock of one SKU with the codes people use.
#[derive(Debug, Clone)]
pub struct StockLevelRow {
    pub stock: stock::Model,
    pub warehouse_code: String,
    pub bin_code: String,
}

/// Which stock to list.
#[derive(Debug, Clone, Default)]
pub struct StockFilter {
    pub warehouse_code: Option<String>,
    pub sku: Option<String>,
}

/// Stock rows, oldest first, filtered by warehouse and SKU.
pub async fn levels(
    conn: &impl ConnectionTrait,
    filter: &StockFilter,
    page: PageRequest,
) -> AppResult<Page<StockLevelRow>> {
    let mut q = stock::Entity::find().order_by_asc(stock::Column::Id);
    if let Some(code) = &filter.warehouse_code {
        let found = warehouse::Entity::find()
            .filter(warehouse::Column::Code.eq(code.trim().to_ascii_uppercase()))
            .one(conn)
            .await?;
        let Some(found) = found else {
            return Ok(Page {
                items: vec![],
                has_next: false,
            });
        };
        q = q.filter(stock::Column::WarehouseId.eq(found.id));
    }
    if let Some(sku) = &filter.sku {
        q = q.filter(stock::Column::Sku.eq(sku.trim()));
    }
    if let Some(after) = page.after {
        q = q.filter(stock::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    let page = Page::from_overfetch(rows, page.first);
    let (warehouses, bins) = codes(
        conn,
        page.items.iter().map(|s| s.warehouse_id).collect(),
        page.items.iter().map(|s| s.bin_id).collect(),
    )
    .await?;
    Ok(Page {
        items: page
            .items
            .into_iter()
            .map(|s| StockLevelRow {
                warehouse_code: warehouses.get(&s.warehouse_id).cloned().unwrap_or_default(),
                bin_code: bins.get(&s.bin_id).cloned().unwrap_or_default(),
                stock: s,
            })
            .collect(),
        has_next: page.has_next,
    })
}

/// Warehouse and bin codes by id, one query each.
pub async fn codes(
    conn: &impl ConnectionTrait,
    warehouse_ids: Vec<Uuid>,
    bin_ids: Vec<Uuid>,
) -> AppResult<(HashMap<Uuid, String>, HashMap<Uuid, String>)> {
    let warehouses = if warehouse_ids.is_empty() {
        HashMap::new()
    } else {
        warehouse::Entity::find()
            .filter(warehouse::Column::Id.is_in(warehouse_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|w| (w.id, w.code))
            .collect()
    };
    let bins = if bin_ids.is_empty() {
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
    Ok((warehouses, bins))
}

/// Ledger rows, newest first, for a SKU (all warehouses) or everything.
pub async fn ledger(
    conn: &impl ConnectionTrait,
    sku: Option<&str>,
    page: PageRequest,
) -> AppResult<Page<stock_ledger::Model>> {
    let mut q = stock_ledger::Entity::find().order_by_desc(stock_ledger::Column::Id);
    if let Some(sku) = sku {
        q = q.filter(stock_ledger::Column::Sku.eq(sku.trim()));
    }
    if let Some(after) = page.after {
        q = q.filter(stock_ledger::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Unmet demand for one SKU: units short over all time, units still waiting, orders waiting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demand {
    pub sku: String,
    pub short_units: i64,
    pub waiting_units: i64,
    pub waiting_orders: i64,
}

/// Unmet demand per SKU (most units still waiting first), `first` SKUs after `after_sku` by name.
pub async fn unmet_demand(
    conn: &impl ConnectionTrait,
    first: u64,
    after_sku: Option<&str>,
) -> AppResult<Page<Demand>> {
    use crate::db::entity::stockout;
    use sea_orm::sea_query::Expr;
    let mut q = stockout::Entity::find()
        .select_only()
        .column(stockout::Column::Sku)
        .column_as(Expr::cust("SUM(quantity)"), "short_units")
        .column_as(
            Expr::cust("SUM(CASE WHEN \"open\" THEN quantity ELSE 0 END)"),
            "waiting_units",
        )
        .column_as(
            Expr::cust("COUNT(DISTINCT CASE WHEN \"open\" THEN order_id END)"),
            "waiting_orders",
        )
        .group_by(stockout::Column::Sku)
        .order_by_asc(stockout::Column::Sku);
    if let Some(after) = after_sku {
        q = q.filter(stockout::Column::Sku.gt(after));
    }
    let rows: Vec<(String, i64, i64, i64)> = q.limit(first + 1).into_tuple().all(conn).await?;
    let rows = rows
        .into_iter()
        .map(|(sku, short_units, waiting_units, waiting_orders)| Demand {
            sku,
            short_units,
            waiting_units,
            waiting_orders,
        })
        .collect();
    Ok(Page::from_overfetch(rows, first))
}

/// Stockout rows, newest first, for a SKU or all.
pub async fn stockouts(
    conn: &impl ConnectionTrait,
    sku: Option<&str>,
    open_only: bool,
    page: PageRequest,
) -> AppResult<Page<crate::db::entity::stockout::Model>> {
    use crate::db::entity::stockout;
    let mut q = stockout::Entity::find().order_by_desc(stockout::Column::Id);
    if let Some(sku) = sku {
        q = q.filter(stockout::Column::Sku.eq(sku.trim()));
    }
    if open_only {
        q = q.filter(stockout::Column::Open.eq(true));
    }
    if let Some(after) = page.after {
        q = q.filter(stockout::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}
