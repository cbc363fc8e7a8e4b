//! One event on its way to one endpoint, retried until delivered or given up.
use orderly_shared::{WebhookDeliveryStatus, WebhookEventType};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub endpoint_id: Uuid,
    /// The payload's `id`, the same on every retry and resend.
    pub event_id: Uuid,
    pub event_type: WebhookEventType,
    pub payload: String,
    pub status: WebhookDeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub claimed_until: Option<DateTimeUtc>,
    pub last_response_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    /// Retries run for 24 hours from here: the event, or the admin's resend.
    pub retry_from: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
