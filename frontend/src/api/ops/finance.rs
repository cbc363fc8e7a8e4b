//! Finance: the payments ledger (and its CSV export's address), cash-on-delivery balances,
//! collections waiting for a statement, and recording a carrier's statement.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use serde_json::json;

const LEDGER_FIELDS: &str =
    "id kind provider reference amount { amount currency } at detail order { number }";
const REMITTANCE_FIELDS: &str = "id carrier reference total { amount currency } \
    expected { amount currency } difference { amount currency } note recordedAt recordedBy \
    lines { line trackingNumber order { number } expected { amount currency } \
    remitted { amount currency } difference { amount currency } finding }";

/// A page of the ledger, newest first.
pub async fn payments(
    token: &str,
    filter: &LedgerFilter,
    first: u32,
    after: Option<String>,
) -> Result<Connection<LedgerEntry>, ApiError> {
    let q = format!(
        "query Payments($first: Int, $after: String, $filter: PaymentFilter) {{ result: payments(first: $first, after: $after, filter: $filter) {{ nodes {{ {LEDGER_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let vars = json!({ "first": first, "after": after, "filter": filter });
    run(&q, vars, Some(token)).await
}

/// `/exports/payments.csv` with the same filters as the list.
pub fn payments_export_path(filter: &LedgerFilter) -> String {
    let mut params = Vec::new();
    if !filter.kinds.is_empty() {
        let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
        params.push(format!("kinds={}", kinds.join(",")));
    }
    for (name, value) in [
        ("provider", &filter.provider),
        ("from", &filter.from),
        ("to", &filter.to),
    ] {
        if let Some(v) = value {
            params.push(format!(
                "{name}={}",
                String::from(js_sys::encode_uri_component(v))
            ));
        }
    }
    match params.is_empty() {
        true => "/exports/payments.csv".to_string(),
        false => format!("/exports/payments.csv?{}", params.join("&")),
    }
}

pub async fn cod_balances(token: &str) -> Result<Vec<CodBalance>, ApiError> {
    let q = "query CodBalances { result: codBalances { carrier collected { amount currency } remitted { amount currency } outstanding { amount currency } outstandingOrders difference { amount currency } } }";
    run(q, json!({}), Some(token)).await
}

/// Collections no statement names yet, oldest first.
pub async fn cod_outstanding(
    token: &str,
    carrier: Option<String>,
    first: u32,
    after: Option<String>,
) -> Result<Connection<LedgerEntry>, ApiError> {
    let q = format!(
        "query CodOutstanding($carrier: String, $first: Int, $after: String) {{ result: codOutstanding(carrier: $carrier, first: $first, after: $after) {{ nodes {{ {LEDGER_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let vars = json!({ "carrier": carrier, "first": first, "after": after });
    run(&q, vars, Some(token)).await
}

/// Recorded statements, newest first.
pub async fn cod_remittances(
    token: &str,
    first: u32,
    after: Option<String>,
) -> Result<Connection<CodRemittance>, ApiError> {
    let q = format!(
        "query CodRemittances($first: Int, $after: String) {{ result: codRemittances(first: $first, after: $after) {{ nodes {{ {REMITTANCE_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(&q, json!({ "first": first, "after": after }), Some(token)).await
}

pub async fn record_cod_remittance(
    token: &str,
    input: &CodRemittanceInput,
) -> Result<CodRemittance, ApiError> {
    let q = format!(
        "mutation RecordCodRemittance($input: CodRemittanceInput!) {{ result: recordCodRemittance(input: $input) {{ {REMITTANCE_FIELDS} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}
