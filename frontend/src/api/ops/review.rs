//! The review: the queue of held orders, what reviewers and customer service do with them, and
//! the risk configuration.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use orderly_shared::{BlocklistKind, HoldReasonCode, VerificationOutcome};
use serde_json::json;

/// What a queued order shows: who, how much, how old, where to, and every reason it waits.
const QUEUE_FIELDS: &str = "id number status paymentStatus paymentMethod channel createdAt \
    total { amount currency } customer { name email phone } \
    shippingAddress { recipient phone country region city district line1 line2 postalCode } \
    holdReasons { code message }";
/// What the queue needs to know after an action: where the order is now.
const REVIEWED_FIELDS: &str = "id number status holdReasons { code message }";
const RISK_RULE_FIELDS: &str = "id name type weight enabled position limit windowMinutes \
    windowDays maxCustomers amount { amount currency }";
const BLOCKLIST_FIELDS: &str = "id kind value reason createdBy";
const REMOTE_AREA_FIELDS: &str = "country region postalPrefix label";

/// Orders on hold with their reasons, oldest first.
pub async fn review_queue(
    token: &str,
    first: u32,
    after: Option<String>,
) -> Result<Connection<QueuedOrder>, ApiError> {
    let q = format!(
        "query ReviewQueue($first: Int, $after: String) {{ result: reviewQueue(first: $first, after: $after) {{ nodes {{ {QUEUE_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(&q, json!({ "first": first, "after": after }), Some(token)).await
}

/// A reviewer approves a held order; the server allocates it at once (or it waits for stock).
pub async fn approve_order(
    token: &str,
    id: &str,
    note: Option<String>,
) -> Result<ReviewedOrder, ApiError> {
    let q = format!(
        "mutation ApproveOrder($id: ID!, $note: String) {{ result: approveOrder(id: $id, note: $note) {{ {REVIEWED_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "note": note }), Some(token)).await
}

/// A reviewer rejects an order; it ends cancelled, with a refund recorded if it was paid.
pub async fn reject_order(token: &str, id: &str, reason: &str) -> Result<ReviewedOrder, ApiError> {
    let q = format!(
        "mutation RejectOrder($id: ID!, $reason: String!) {{ result: rejectOrder(id: $id, reason: $reason) {{ {REVIEWED_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "reason": reason }), Some(token)).await
}

/// Customer service cancels an order before it ships.
pub async fn cancel_order(token: &str, id: &str, reason: &str) -> Result<ReviewedOrder, ApiError> {
    let q = format!(
        "mutation CancelOrder($id: ID!, $reason: String!) {{ result: cancelOrder(id: $id, reason: $reason) {{ {REVIEWED_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "reason": reason }), Some(token)).await
}

/// Customer service clears holds that are theirs to clear.
pub async fn release_hold(
    token: &str,
    id: &str,
    codes: &[HoldReasonCode],
    note: &str,
) -> Result<ReviewedOrder, ApiError> {
    let q = format!(
        "mutation ReleaseHold($id: ID!, $codes: [HoldReasonCode!]!, $note: String!) {{ result: releaseHold(id: $id, codes: $codes, note: $note) {{ {REVIEWED_FIELDS} }} }}"
    );
    run(
        &q,
        json!({ "id": id, "codes": codes, "note": note }),
        Some(token),
    )
    .await
}

/// Customer service records a call to verify the address; `corrected` goes with CORRECTED.
pub async fn record_verification_call(
    token: &str,
    id: &str,
    outcome: VerificationOutcome,
    note: &str,
    corrected: Option<&Address>,
) -> Result<ReviewedOrder, ApiError> {
    let q = format!(
        "mutation RecordCall($id: ID!, $outcome: VerificationOutcome!, $note: String!, $address: VerificationAddressInput) {{ result: recordVerificationCall(id: $id, outcome: $outcome, note: $note, correctedAddress: $address) {{ {REVIEWED_FIELDS} }} }}"
    );
    run(
        &q,
        json!({ "id": id, "outcome": outcome, "note": note, "address": corrected }),
        Some(token),
    )
    .await
}

pub async fn risk_rules(token: &str) -> Result<Vec<RiskRule>, ApiError> {
    let q = format!("query RiskRules {{ result: riskRules {{ {RISK_RULE_FIELDS} }} }}");
    run(&q, json!({}), Some(token)).await
}

pub async fn save_risk_rule(token: &str, input: &RiskRuleInput) -> Result<RiskRule, ApiError> {
    let q = format!(
        "mutation SaveRiskRule($input: RiskRuleInput!) {{ result: saveRiskRule(input: $input) {{ {RISK_RULE_FIELDS} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}

pub async fn risk_thresholds(token: &str) -> Result<Thresholds, ApiError> {
    let q = "query RiskThresholds { result: riskThresholds { holdAt rejectAt } }";
    run(q, json!({}), Some(token)).await
}

pub async fn set_risk_thresholds(
    token: &str,
    hold_at: i32,
    reject_at: i32,
) -> Result<Thresholds, ApiError> {
    let q = "mutation SetRiskThresholds($holdAt: Int!, $rejectAt: Int!) { result: setRiskThresholds(holdAt: $holdAt, rejectAt: $rejectAt) { holdAt rejectAt } }";
    run(
        q,
        json!({ "holdAt": hold_at, "rejectAt": reject_at }),
        Some(token),
    )
    .await
}

pub async fn blocklist(token: &str) -> Result<Vec<BlocklistEntry>, ApiError> {
    let q = format!("query Blocklist {{ result: blocklist {{ {BLOCKLIST_FIELDS} }} }}");
    run(&q, json!({}), Some(token)).await
}

pub async fn add_to_blocklist(
    token: &str,
    kind: BlocklistKind,
    value: &str,
    reason: &str,
) -> Result<BlocklistEntry, ApiError> {
    let q = format!(
        "mutation AddToBlocklist($kind: BlocklistKind!, $value: String!, $reason: String!) {{ result: addToBlocklist(kind: $kind, value: $value, reason: $reason) {{ {BLOCKLIST_FIELDS} }} }}"
    );
    run(
        &q,
        json!({ "kind": kind, "value": value, "reason": reason }),
        Some(token),
    )
    .await
}

pub async fn remove_from_blocklist(token: &str, id: &str) -> Result<bool, ApiError> {
    let q = "mutation RemoveFromBlocklist($id: ID!) { result: removeFromBlocklist(id: $id) }";
    run(q, json!({ "id": id }), Some(token)).await
}

pub async fn remote_areas(token: &str) -> Result<Vec<RemoteArea>, ApiError> {
    let q = format!("query RemoteAreas {{ result: remoteAreas {{ {REMOTE_AREA_FIELDS} }} }}");
    run(&q, json!({}), Some(token)).await
}

/// Replaces the whole list of remote areas.
pub async fn set_remote_areas(
    token: &str,
    areas: &[RemoteArea],
) -> Result<Vec<RemoteArea>, ApiError> {
    let q = format!(
        "mutation SetRemoteAreas($areas: [RemoteAreaInput!]!) {{ result: setRemoteAreas(areas: $areas) {{ {REMOTE_AREA_FIELDS} }} }}"
    );
    run(&q, json!({ "areas": areas }), Some(token)).await
}
