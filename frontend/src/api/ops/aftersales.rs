//! After-sales: cases (customer service decides, the warehouse receives and inspects returns)
//! and the refunds finance approves.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use orderly_shared::{CaseStatus, InspectionVerdict, RefundStatus};
use serde_json::json;

/// What every reader of cases sees, the warehouse included.
macro_rules! case_fields {
    () => {
        "id number orderNumber reason kind status description openedBy openedAt decisionNote \
         returnCarrier returnTrackingNumber returnLabelUrl refundAmount { amount currency } \
         lines { sku quantity passed scrapped sentBack toInspect refund { amount currency } }"
    };
}
const CASE_FIELDS: &str = case_fields!();
/// Customer service also sees where the case's refund stands.
const CS_CASE_FIELDS: &str = concat!(case_fields!(), " refund { id status }");
const REFUND_FIELDS: &str = "id order { number } amount { amount currency } status reason \
    requestedBy requestedAt approvalsNeeded firstApprovedBy decidedBy payoutReference \
    providerReference failureReason attempts";

/// Something changed in a work queue (`REFUNDS`, `EXCEPTIONS`, `AFTER_SALES`).
pub const QUEUE_CHANGED: &str = "subscription QueueChanged($queue: WorkQueue!) { queueChanged(queue: $queue) { queue itemId orderNumber kind at } }";

/// Cases in the given statuses, oldest first; `with_refund` selects the refund's status too.
pub async fn after_sales_cases(
    token: &str,
    statuses: &[CaseStatus],
    with_refund: bool,
    first: u32,
) -> Result<Connection<AfterSalesCase>, ApiError> {
    let fields = if with_refund {
        CS_CASE_FIELDS
    } else {
        CASE_FIELDS
    };
    let q = format!(
        "query Cases($first: Int, $filter: AfterSalesCaseFilter) {{ result: afterSalesCases(first: $first, filter: $filter) {{ nodes {{ {fields} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let filter = json!({ "status": statuses });
    run(&q, json!({ "first": first, "filter": filter }), Some(token)).await
}

/// An order's lines by id, for the case form.
pub async fn case_order(token: &str, number: &str) -> Result<Option<CaseOrder>, ApiError> {
    let q = "query CaseOrder($number: String) { result: order(number: $number) { id number status lines { id sku name quantity } } }";
    run(q, json!({ "number": number }), Some(token)).await
}

pub async fn open_case(token: &str, input: &OpenCaseInput) -> Result<AfterSalesCase, ApiError> {
    let q = format!(
        "mutation OpenCase($input: OpenAfterSalesCaseInput!) {{ result: openAfterSalesCase(input: $input) {{ {CS_CASE_FIELDS} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}

pub async fn approve_case(
    token: &str,
    id: &str,
    note: Option<String>,
) -> Result<AfterSalesCase, ApiError> {
    let q = format!(
        "mutation ApproveCase($id: ID!, $input: ApproveAfterSalesCaseInput) {{ result: approveAfterSalesCase(id: $id, input: $input) {{ {CS_CASE_FIELDS} }} }}"
    );
    run(
        &q,
        json!({ "id": id, "input": { "note": note } }),
        Some(token),
    )
    .await
}

pub async fn reject_case(token: &str, id: &str, reason: &str) -> Result<AfterSalesCase, ApiError> {
    let q = format!(
        "mutation RejectCase($id: ID!, $reason: String!) {{ result: rejectAfterSalesCase(id: $id, reason: $reason) {{ {CS_CASE_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "reason": reason }), Some(token)).await
}

/// The warehouse scans a returned parcel's tracking number.
pub async fn receive_return(token: &str, tracking: &str) -> Result<AfterSalesCase, ApiError> {
    let q = format!(
        "mutation ReceiveReturn($trackingNumber: String!) {{ result: receiveReturn(trackingNumber: $trackingNumber) {{ {CASE_FIELDS} }} }}"
    );
    run(&q, json!({ "trackingNumber": tracking }), Some(token)).await
}

/// The verdict on one returned unit, by its scanned SKU.
pub async fn inspect_return(
    token: &str,
    case_id: &str,
    sku: &str,
    verdict: InspectionVerdict,
    note: Option<String>,
) -> Result<AfterSalesCase, ApiError> {
    let q = format!(
        "mutation InspectReturn($input: InspectReturnInput!) {{ result: inspectReturn(input: $input) {{ {CASE_FIELDS} }} }}"
    );
    let input = json!({ "caseId": case_id, "sku": sku, "verdict": verdict, "note": note });
    run(&q, json!({ "input": input }), Some(token)).await
}

/// Refunds in the given statuses, oldest first.
pub async fn refunds(
    token: &str,
    statuses: &[RefundStatus],
    first: u32,
) -> Result<Connection<Refund>, ApiError> {
    let q = format!(
        "query Refunds($first: Int, $filter: RefundFilter) {{ result: refunds(first: $first, filter: $filter) {{ nodes {{ {REFUND_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    let filter = json!({ "status": statuses });
    run(&q, json!({ "first": first, "filter": filter }), Some(token)).await
}

pub async fn approve_refund(
    token: &str,
    id: &str,
    note: Option<String>,
) -> Result<Refund, ApiError> {
    let q = format!(
        "mutation ApproveRefund($id: ID!, $note: String) {{ result: approveRefund(id: $id, note: $note) {{ {REFUND_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "note": note }), Some(token)).await
}

pub async fn reject_refund(token: &str, id: &str, reason: &str) -> Result<Refund, ApiError> {
    let q = format!(
        "mutation RejectRefund($id: ID!, $reason: String!) {{ result: rejectRefund(id: $id, reason: $reason) {{ {REFUND_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "reason": reason }), Some(token)).await
}

/// Runs a failed refund's payout again (the gateway is asked idempotently).
pub async fn retry_refund(token: &str, id: &str) -> Result<Refund, ApiError> {
    let q = format!(
        "mutation RetryRefund($id: ID!) {{ result: retryRefund(id: $id) {{ {REFUND_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id }), Some(token)).await
}
