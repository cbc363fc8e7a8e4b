//! Delivery exceptions: customer service's queue, the contacts it records and the outcome that
//! closes a task.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use orderly_shared::ContactParty;
use serde_json::json;

/// Everything an agent needs to work a task without opening the order.
const TASK_FIELDS: &str = "id code source status detail openedAt \
    shipment { id status carrier trackingNumber } \
    order { id number paymentMethod total { amount currency } customer { name email phone } \
    shippingAddress { recipient phone country region city district line1 line2 postalCode } } \
    contacts { party note by at }";

/// The open tasks, oldest first (the queue is worked from the oldest).
pub async fn open_exception_tasks(
    token: &str,
    first: u32,
) -> Result<Connection<ExceptionTask>, ApiError> {
    let q = format!(
        "query ExceptionTasks($first: Int) {{ result: exceptionTasks(first: $first, filter: {{ status: [OPEN] }}) {{ nodes {{ {TASK_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(&q, json!({ "first": first }), Some(token)).await
}

pub async fn record_exception_contact(
    token: &str,
    task_id: &str,
    party: ContactParty,
    note: &str,
) -> Result<ExceptionTask, ApiError> {
    let q = format!(
        "mutation RecordExceptionContact($taskId: ID!, $party: ContactParty!, $note: String!) {{ result: recordExceptionContact(taskId: $taskId, party: $party, note: $note) {{ {TASK_FIELDS} }} }}"
    );
    run(
        &q,
        json!({ "taskId": task_id, "party": party, "note": note }),
        Some(token),
    )
    .await
}

pub async fn resolve_exception_task(
    token: &str,
    task_id: &str,
    input: &ResolveExceptionInput,
) -> Result<ExceptionTask, ApiError> {
    let q = format!(
        "mutation ResolveExceptionTask($taskId: ID!, $input: ResolveExceptionInput!) {{ result: resolveExceptionTask(taskId: $taskId, input: $input) {{ {TASK_FIELDS} }} }}"
    );
    run(
        &q,
        json!({ "taskId": task_id, "input": input }),
        Some(token),
    )
    .await
}
