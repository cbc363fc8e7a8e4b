//! Allocation rules and the dry run.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use serde_json::json;

const RULE_FIELDS: &str = "id name position enabled isDefault \
    conditions { countries regions categories skus channels tags specialRequests } \
    strategy warehouses split maxShipments";
const DECISION_FIELDS: &str = "ruleId ruleName isDefault \
    trace { ruleId ruleName matched reasons } notes ranking \
    shipments { warehouse lines { sku quantity } } unfilled { sku quantity }";

/// The rules in the order they are tried, the default last.
pub async fn allocation_rules(token: &str) -> Result<Vec<AllocationRule>, ApiError> {
    let q = format!("query AllocationRules {{ result: allocationRules {{ {RULE_FIELDS} }} }}");
    run(&q, json!({}), Some(token)).await
}

pub async fn save_allocation_rule(
    token: &str,
    input: &AllocationRuleInput,
) -> Result<AllocationRule, ApiError> {
    let q = format!(
        "mutation SaveAllocationRule($input: AllocationRuleInput!) {{ result: saveAllocationRule(input: $input) {{ {RULE_FIELDS} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}

pub async fn delete_allocation_rule(token: &str, id: &str) -> Result<bool, ApiError> {
    let q = "mutation DeleteAllocationRule($id: ID!) { result: deleteAllocationRule(id: $id) }";
    run(q, json!({ "id": id }), Some(token)).await
}

/// What allocation would do for an order described by hand, reserving nothing.
pub async fn dry_run_described(
    token: &str,
    order: &DryRunOrderInput,
) -> Result<AllocationDecision, ApiError> {
    let q = format!(
        "query DryRun($order: DryRunOrderInput) {{ result: allocationDryRun(order: $order) {{ {DECISION_FIELDS} }} }}"
    );
    run(&q, json!({ "order": order }), Some(token)).await
}

/// What allocation would do for an existing order, reserving nothing.
pub async fn dry_run_order(token: &str, order_id: &str) -> Result<AllocationDecision, ApiError> {
    let q = format!(
        "query DryRun($orderId: ID) {{ result: allocationDryRun(orderId: $orderId) {{ {DECISION_FIELDS} }} }}"
    );
    run(&q, json!({ "orderId": order_id }), Some(token)).await
}

/// The id of the order with this number, for staff who may read orders.
pub async fn order_id_by_number(token: &str, number: &str) -> Result<Option<String>, ApiError> {
    #[derive(serde::Deserialize)]
    struct Found {
        id: String,
    }
    let q = "query OrderId($number: String) { result: order(number: $number) { id } }";
    run::<Option<Found>>(q, json!({ "number": number }), Some(token))
        .await
        .map(|found| found.map(|f| f.id))
}
