//! Partners' outbound webhooks: the endpoints an admin registers and the log of every delivery
//! with each attempt.

use orderly_shared::{WebhookDeliveryStatus, WebhookEventType};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpoint {
    pub id: String,
    /// The partner's channel code.
    pub channel: String,
    pub url: String,
    pub events: Vec<WebhookEventType>,
    pub active: bool,
    pub created_at: String,
    pub created_by: String,
}

/// A new endpoint with its signing secret, which the server shows only in this answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CreatedWebhookEndpoint {
    pub endpoint: WebhookEndpoint,
    pub secret: String,
}

/// The input of `createWebhookEndpoint`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreateWebhookEndpointInput {
    pub channel: String,
    pub url: String,
    pub events: Vec<WebhookEventType>,
}

/// One event sent (or being sent) to one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDelivery {
    pub id: String,
    pub endpoint_id: String,
    /// The payload's `id`, the same on every attempt and resend.
    pub event_id: String,
    pub event_type: WebhookEventType,
    pub payload: String,
    pub status: WebhookDeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: Option<String>,
    pub last_response_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub delivered_at: Option<String>,
    pub attempt_log: Vec<WebhookAttempt>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttempt {
    pub attempt: i64,
    pub at: String,
    pub response_status: Option<i64>,
    /// Why there was no answer (refused, timed out).
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// The input of `webhookDeliveries(filter:)`; absent parts do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDeliveryFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<WebhookDeliveryStatus>>,
}
