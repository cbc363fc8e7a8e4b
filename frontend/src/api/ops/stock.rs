//! Stock: warehouses, levels per bin, receipts and counted corrections, the ledger, and unmet
//! demand.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use orderly_shared::StockMovementKind;
use serde_json::json;

const STOCK_LEVEL_FIELDS: &str = "id warehouse bin sku onHand reserved available blocked";

/// Every warehouse (a merchant has a handful; one page of the largest size holds them).
pub async fn warehouses(token: &str) -> Result<Vec<Warehouse>, ApiError> {
    let q = "query Warehouses { result: warehouses(first: 100) { nodes { id code name country region city active } pageInfo { hasNextPage endCursor } } }";
    run::<Connection<Warehouse>>(q, json!({}), Some(token))
        .await
        .map(|c| c.nodes)
}

/// Stock per bin; absent filters do not filter.
pub async fn stock_levels(
    token: &str,
    first: u32,
    after: Option<String>,
    warehouse: Option<String>,
    sku: Option<String>,
) -> Result<Connection<StockLevel>, ApiError> {
    let q = format!(
        "query StockLevels($first: Int, $after: String, $warehouse: String, $sku: String) {{ result: stockLevels(first: $first, after: $after, warehouse: $warehouse, sku: $sku) {{ nodes {{ {STOCK_LEVEL_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(
        &q,
        json!({ "first": first, "after": after, "warehouse": warehouse, "sku": sku }),
        Some(token),
    )
    .await
}

/// Receives goods (`RECEIPT`) or enters a counted correction (`ADJUSTMENT`).
pub async fn change_stock(
    token: &str,
    kind: StockMovementKind,
    input: &StockChangeInput,
) -> Result<StockLevel, ApiError> {
    let field = match kind {
        StockMovementKind::Adjustment => "adjustStock",
        _ => "receiveStock",
    };
    let q = format!(
        "mutation ChangeStock($input: StockChangeInput!) {{ result: {field}(input: $input) {{ {STOCK_LEVEL_FIELDS} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}

/// The stock ledger, newest first, for one SKU or every SKU.
pub async fn stock_ledger(
    token: &str,
    first: u32,
    after: Option<String>,
    sku: Option<String>,
) -> Result<Connection<StockMovement>, ApiError> {
    let q = "query StockLedger($first: Int, $after: String, $sku: String) { result: stockLedger(first: $first, after: $after, sku: $sku) { nodes { id at kind sku onHandDelta reservedDelta reason reference actor } pageInfo { hasNextPage endCursor } } }";
    run(
        q,
        json!({ "first": first, "after": after, "sku": sku }),
        Some(token),
    )
    .await
}

/// Demand stock could not meet, per SKU; `after` is the last SKU of the previous page.
pub async fn unmet_demand(
    token: &str,
    first: u32,
    after: Option<String>,
) -> Result<Vec<UnmetDemand>, ApiError> {
    let q = "query UnmetDemand($first: Int, $after: String) { result: unmetDemand(first: $first, after: $after) { sku shortUnits waitingUnits waitingOrders } }";
    run(q, json!({ "first": first, "after": after }), Some(token)).await
}
