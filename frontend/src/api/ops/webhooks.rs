//! Partners' outbound webhooks, for admins: endpoints, the delivery log, resending.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use serde_json::json;

const ENDPOINT_FIELDS: &str = "id channel url events active createdAt createdBy";
/// The attempt log comes with each delivery (one batched read on the server), so opening it
/// costs no request.
const DELIVERY_FIELDS: &str = "id endpointId eventId eventType payload status attempts \
    nextAttemptAt lastResponseStatus lastError createdAt deliveredAt \
    attemptLog { attempt at responseStatus error durationMs }";

/// Endpoints in the order they were registered.
pub async fn webhook_endpoints(
    token: &str,
    first: u32,
    after: Option<String>,
) -> Result<Connection<WebhookEndpoint>, ApiError> {
    let q = format!(
        "query WebhookEndpoints($first: Int, $after: String) {{ result: webhookEndpoints(first: $first, after: $after) {{ nodes {{ {ENDPOINT_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(&q, json!({ "first": first, "after": after }), Some(token)).await
}

/// Registers an endpoint; the answer carries its signing secret, shown only now.
pub async fn create_webhook_endpoint(
    token: &str,
    input: &CreateWebhookEndpointInput,
) -> Result<CreatedWebhookEndpoint, ApiError> {
    let q = format!(
        "mutation CreateWebhookEndpoint($input: CreateWebhookEndpointInput!) {{ result: createWebhookEndpoint(input: $input) {{ secret endpoint {{ {ENDPOINT_FIELDS} }} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}

pub async fn deactivate_webhook_endpoint(
    token: &str,
    id: &str,
) -> Result<WebhookEndpoint, ApiError> {
    let q = format!(
        "mutation DeactivateWebhookEndpoint($id: ID!) {{ result: deactivateWebhookEndpoint(id: $id) {{ {ENDPOINT_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id }), Some(token)).await
}

/// The delivery log, newest first.
pub async fn webhook_deliveries(
    token: &str,
    first: u32,
    after: Option<String>,
    filter: &WebhookDeliveryFilter,
) -> Result<Connection<WebhookDelivery>, ApiError> {
    let q = format!(
        "query WebhookDeliveries($first: Int, $after: String, $filter: WebhookDeliveryFilter) {{ result: webhookDeliveries(first: $first, after: $after, filter: $filter) {{ nodes {{ {DELIVERY_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(
        &q,
        json!({ "first": first, "after": after, "filter": filter }),
        Some(token),
    )
    .await
}

/// Sends a delivery again now, with the same event id.
pub async fn resend_webhook_delivery(token: &str, id: &str) -> Result<WebhookDelivery, ApiError> {
    let q = format!(
        "mutation ResendWebhookDelivery($id: ID!) {{ result: resendWebhookDelivery(id: $id) {{ {DELIVERY_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id }), Some(token)).await
}
