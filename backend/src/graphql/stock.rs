//! Warehouses and stock: levels per bin, the ledger, receipts and adjustments, unmet demand and
//! the out-of-stock policy.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::{actor, state};
use crate::db::entity::{stock_ledger, stockout, warehouse};
use crate::error::AppError;
use crate::service::allocation::{StockPolicy, waiting};
use crate::service::page::{MAX_PAGE, PageRequest};
use crate::service::settings_json::{self, STOCK_POLICY};
use crate::service::stock::{self, Place, StockChange, query};
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use orderly_shared::{Operation, OutOfStockPolicy, StockMovementKind};
use std::collections::BTreeSet;

#[derive(SimpleObject)]
pub struct Warehouse {
    id: ID,
    code: String,
    name: String,
    country: String,
    region: Option<String>,
    city: String,
    postal_code: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    active: bool,
}

impl From<warehouse::Model> for Warehouse {
    fn from(w: warehouse::Model) -> Warehouse {
        Warehouse {
            id: ID(w.id.to_string()),
            code: w.code,
            name: w.name,
            country: w.country,
            region: w.region,
            city: w.city,
            postal_code: w.postal_code,
            latitude: w.latitude,
            longitude: w.longitude,
            active: w.active,
        }
    }
}

/// One SKU in one bin.
#[derive(SimpleObject)]
pub struct StockLevel {
    id: ID,
    warehouse: String,
    /// `ZONE-AISLE-RACK-LEVEL`.
    bin: String,
    sku: String,
    on_hand: i32,
    reserved: i32,
    /// On hand less reserved (zero while blocked).
    available: i32,
    /// Blocked after a short pick until counted.
    blocked: bool,
}

impl From<query::StockLevelRow> for StockLevel {
    fn from(r: query::StockLevelRow) -> StockLevel {
        let s = r.stock;
        StockLevel {
            id: ID(s.id.to_string()),
            warehouse: r.warehouse_code,
            bin: r.bin_code,
            sku: s.sku,
            on_hand: s.on_hand,
            reserved: s.reserved,
            available: if s.blocked { 0 } else { s.on_hand - s.reserved },
            blocked: s.blocked,
        }
    }
}

/// One row of the stock ledger.
#[derive(SimpleObject)]
pub struct StockMovement {
    id: ID,
    at: DateTime<Utc>,
    kind: StockMovementKind,
    sku: String,
    on_hand_delta: i32,
    reserved_delta: i32,
    reason: String,
    /// An order number, a file, a count.
    reference: String,
    actor: String,
}

impl From<stock_ledger::Model> for StockMovement {
    fn from(m: stock_ledger::Model) -> StockMovement {
        StockMovement {
            id: ID(m.id.to_string()),
            at: m.at,
            kind: m.kind,
            sku: m.sku,
            on_hand_delta: m.on_hand_delta,
            reserved_delta: m.reserved_delta,
            reason: m.reason,
            reference: m.reference,
            actor: m.actor_label,
        }
    }
}

/// Demand for a SKU that stock could not meet.
#[derive(SimpleObject)]
pub struct UnmetDemand {
    sku: String,
    /// Every unit ever short.
    short_units: i64,
    /// Units orders are still waiting for.
    waiting_units: i64,
    waiting_orders: i64,
}

/// One registered stockout: an order wanted units that were not there.
#[derive(SimpleObject)]
pub struct Stockout {
    id: ID,
    order_id: ID,
    sku: String,
    quantity: i32,
    policy: OutOfStockPolicy,
    expected_on: Option<NaiveDate>,
    open: bool,
    at: DateTime<Utc>,
    resolution: Option<String>,
}

impl From<stockout::Model> for Stockout {
    fn from(s: stockout::Model) -> Stockout {
        Stockout {
            id: ID(s.id.to_string()),
            order_id: ID(s.order_id.to_string()),
            sku: s.sku,
            quantity: s.quantity,
            policy: s.policy,
            expected_on: s.expected_on,
            open: s.open,
            at: s.at,
            resolution: s.resolution,
        }
    }
}

#[derive(SimpleObject)]
pub struct StockPolicyOut {
    policy: OutOfStockPolicy,
    backorder_days: i32,
}

#[derive(Default)]
pub struct StockQuery;

#[Object]
impl StockQuery {
    #[graphql(guard = "Require(Operation::ReadStock)")]
    async fn warehouses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Warehouse>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = query::warehouses(&state(ctx).db, page).await.extend()?;
        Ok(connection(
            rows,
            page.after.is_some(),
            |w| w.id,
            Warehouse::from,
        ))
    }

    /// Stock per bin, filtered by warehouse code and SKU.
    #[graphql(guard = "Require(Operation::ReadStock)")]
    async fn stock_levels(
        &self,
        ctx: &Context<'_>,
        warehouse: Option<String>,
        sku: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<StockLevel>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let filter = query::StockFilter {
            warehouse_code: warehouse,
            sku,
        };
        let rows = query::levels(&state(ctx).db, &filter, page)
            .await
            .extend()?;
        Ok(connection(
            rows,
            page.after.is_some(),
            |r| r.stock.id,
            StockLevel::from,
        ))
    }

    /// The stock ledger, newest first.
    #[graphql(guard = "Require(Operation::ReadStock)")]
    async fn stock_ledger(
        &self,
        ctx: &Context<'_>,
        sku: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<StockMovement>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = query::ledger(&state(ctx).db, sku.as_deref(), page)
            .await
            .extend()?;
        Ok(connection(
            rows,
            page.after.is_some(),
            |m| m.id,
            StockMovement::from,
        ))
    }

    /// Demand stock could not meet, per SKU (by SKU; `after` is the last SKU of the previous page).
    #[graphql(guard = "Require(Operation::ReadStockouts)")]
    async fn unmet_demand(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Vec<UnmetDemand>> {
        let first = match first {
            None => 50,
            Some(n) if (1..=MAX_PAGE as i32).contains(&n) => n as u64,
            Some(n) => {
                return Err(AppError::invalid(
                    "first",
                    "OUT_OF_RANGE",
                    format!("must be between 1 and {MAX_PAGE} (got {n})"),
                )
                .extend());
            }
        };
        let page = query::unmet_demand(&state(ctx).db, first, after.as_deref())
            .await
            .extend()?;
        Ok(page
            .items
            .into_iter()
            .map(|d| UnmetDemand {
                sku: d.sku,
                short_units: d.short_units,
                waiting_units: d.waiting_units,
                waiting_orders: d.waiting_orders,
            })
            .collect())
    }

    /// Registered stockouts, newest first.
    #[graphql(guard = "Require(Operation::ReadStockouts)")]
    async fn stockouts(
        &self,
        ctx: &Context<'_>,
        sku: Option<String>,
        open_only: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Stockout>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = query::stockouts(
            &state(ctx).db,
            sku.as_deref(),
            open_only.unwrap_or(false),
            page,
        )
        .await
        .extend()?;
        Ok(connection(
            rows,
            page.after.is_some(),
            |s| s.id,
            Stockout::from,
        ))
    }

    /// The merchant's out-of-stock policy.
    #[graphql(guard = "Require(Operation::ReadStockouts)")]
    async fn stock_policy(&self, ctx: &Context<'_>) -> async_graphql::Result<StockPolicyOut> {
        let p: StockPolicy = settings_json::get(&state(ctx).db, STOCK_POLICY)
            .await
            .extend()?;
        Ok(StockPolicyOut {
            policy: p.policy,
            backorder_days: p.backorder_days as i32,
        })
    }
}

/// Units into (or, adjusting, out of) a bin.
#[derive(InputObject)]
pub struct StockChangeInput {
    warehouse: String,
    /// `ZONE-AISLE-RACK-LEVEL`; a receipt may open a new bin.
    bin: String,
    sku: String,
    /// Receipts: positive. Adjustments: the signed correction, e.g. -2.
    quantity: i32,
    reason: String,
    /// A delivery note, count sheet or similar.
    reference: Option<String>,
}

#[derive(Default)]
pub struct StockMutation;

#[Object]
impl StockMutation {
    /// Goods arrived: adds units to a bin; orders waiting for the SKU are served first come,
    /// first served.
    #[graphql(guard = "Require(Operation::ChangeStock)")]
    async fn receive_stock(
        &self,
        ctx: &Context<'_>,
        input: StockChangeInput,
    ) -> async_graphql::Result<StockLevel> {
        change(ctx, input, StockMovementKind::Receipt).await
    }

    /// A counted correction with its reason (never below what is reserved).
    #[graphql(guard = "Require(Operation::ChangeStock)")]
    async fn adjust_stock(
        &self,
        ctx: &Context<'_>,
        input: StockChangeInput,
    ) -> async_graphql::Result<StockLevel> {
        change(ctx, input, StockMovementKind::Adjustment).await
    }

    /// Sets the merchant's out-of-stock policy.
    #[graphql(guard = "Require(Operation::ManageStockPolicy)")]
    async fn set_stock_policy(
        &self,
        ctx: &Context<'_>,
        policy: OutOfStockPolicy,
        backorder_days: i32,
    ) -> async_graphql::Result<StockPolicyOut> {
        if !(0..=365).contains(&backorder_days) {
            return Err(
                AppError::invalid("backorderDays", "OUT_OF_RANGE", "must be 0 to 365").extend(),
            );
        }
        let s = state(ctx);
        let value = StockPolicy {
            policy,
            backorder_days: backorder_days as u32,
        };
        crate::service::allocation::set_policy(&s.db, &s.bus, actor(ctx)?, &value)
            .await
            .extend()?;
        Ok(StockPolicyOut {
            policy,
            backorder_days,
        })
    }

    /// Overrides the out-of-stock policy for one channel (none: the merchant's applies).
    #[graphql(guard = "Require(Operation::ManageStockPolicy)")]
    async fn set_channel_stock_policy(
        &self,
        ctx: &Context<'_>,
        channel: String,
        policy: Option<OutOfStockPolicy>,
    ) -> async_graphql::Result<bool> {
        let s = state(ctx);
        crate::service::allocation::set_channel_policy(
            &s.db,
            &s.bus,
            actor(ctx)?,
            &channel,
            policy,
        )
        .await
        .extend()?;
        Ok(true)
    }
}

async fn change(
    ctx: &Context<'_>,
    input: StockChangeInput,
    kind: StockMovementKind,
) -> async_graphql::Result<StockLevel> {
    let s = state(ctx);
    let change = StockChange {
        place: Place {
            warehouse_code: input.warehouse.clone(),
            bin: input.bin,
            sku: input.sku,
        },
        kind,
        quantity: input.quantity,
        reason: input.reason,
        reference: input.reference.unwrap_or_default(),
    };
    let row = stock::change(&s.db, &s.bus, actor(ctx)?, change)
        .await
        .extend()?;
    if row.on_hand - row.reserved > 0 {
        let skus: BTreeSet<String> = [row.sku.clone()].into();
        if let Err(err) = waiting::serve(&s.db, &s.realtime, &skus).await {
            tracing::error!(error = %err, "serving waiting orders failed");
        }
    }
    let rows = query::levels(
        &s.db,
        &query::StockFilter {
            warehouse_code: Some(input.warehouse),
            sku: Some(row.sku.clone()),
        },
        PageRequest {
            first: MAX_PAGE,
            after: None,
        },
    )
    .await
    .extend()?;
    rows.items
        .into_iter()
        .find(|r| r.stock.id == row.id)
        .map(StockLevel::from)
        .ok_or_else(|| AppError::NotFound("The stock row is gone.".into()).extend())
}
