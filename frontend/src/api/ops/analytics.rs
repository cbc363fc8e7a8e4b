//! Analytics: the dashboard's figures for a filter, and the orders waiting behind a figure.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use orderly_shared::Stage;
use serde_json::json;

const FIGURES: &str = "query Analytics($filter: AnalyticsFilter) { result: analytics(filter: $filter) { \
    from to \
    volume { period channel orders value { amount currency } } \
    leadTimes { group stages { stage orders p50Seconds p90Seconds p99Seconds } } \
    bottleneck { stage p90Seconds previousP90Seconds changeSeconds } \
    waiting { stage orders oldestSince } \
    holds { orders held rate byReason { code orders rate } } \
    carriers { carrier shipped delivered withExceptions exceptionRate slaBreached slaBreachRate returned returnRate } \
    returns { delivered returned rate byReason { reason cases } } \
    returnsBySku(first: 5) { sku soldUnits returnedUnits rate } \
    refunds { orders refunded rate totals { status refunds amount { amount currency } } } \
    ratings { ratings average } \
    stockouts(first: 5) { sku orders units waitingUnits } } }";

pub async fn analytics(token: &str, filter: &AnalyticsFilter) -> Result<Figures, ApiError> {
    run(FIGURES, json!({ "filter": filter }), Some(token)).await
}

/// Runs `q`, whose answer is `analytics { result: … }`, and reads `result`.
async fn within_analytics<T: serde::de::DeserializeOwned>(
    q: &str,
    vars: serde_json::Value,
    token: &str,
) -> Result<T, ApiError> {
    let mut data: serde_json::Value = crate::api::execute(q, vars, Some(token)).await?;
    let result = data
        .get_mut("analytics")
        .and_then(|a| a.get_mut("result"))
        .map(serde_json::Value::take)
        .unwrap_or_default();
    serde_json::from_value(result)
        .map_err(|e| ApiError::transport(format!("unexpected answer from the server: {e}")))
}

/// Orders waiting in each stage now (warehouse staff: at their warehouses).
pub async fn waiting_now(token: &str) -> Result<Vec<StageBacklog>, ApiError> {
    let q = "query Waiting { analytics { result: waiting { stage orders oldestSince } } }";
    within_analytics(q, json!({}), token).await
}

/// Orders waiting in `stage` for at least `minutes`, longest first.
pub async fn stuck_orders(
    token: &str,
    filter: &AnalyticsFilter,
    stage: Option<Stage>,
    minutes: u32,
    first: u32,
    after: Option<String>,
) -> Result<Connection<StuckOrder>, ApiError> {
    let q = "query Stuck($filter: AnalyticsFilter, $stage: Stage, $minutes: Int, $first: Int, $after: String) { analytics(filter: $filter) { result: stuckOrders(stage: $stage, olderThanMinutes: $minutes, first: $first, after: $after) { nodes { stage since order { number status } } pageInfo { hasNextPage endCursor } } } }";
    let vars = json!({ "filter": filter, "stage": stage, "minutes": minutes, "first": first, "after": after });
    within_analytics(q, vars, token).await
}

/// `/exports/orders.csv` with the dashboard's filter.
pub fn orders_export_path(filter: &AnalyticsFilter) -> String {
    let params: Vec<String> = [
        ("from", &filter.from),
        ("to", &filter.to),
        ("channel", &filter.channel),
        ("carrier", &filter.carrier),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        value
            .as_ref()
            .map(|v| format!("{name}={}", String::from(js_sys::encode_uri_component(v))))
    })
    .collect();
    match params.is_empty() {
        true => "/exports/orders.csv".to_string(),
        false => format!("/exports/orders.csv?{}", params.join("&")),
    }
}
