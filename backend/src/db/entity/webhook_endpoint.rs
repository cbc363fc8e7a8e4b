//! A partner's endpoint for outbound webhooks.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub channel_id: Uuid,
    pub url: String,
    /// Signs every delivery (`Orderly-Signature`); shown once when the endpoint is created.
    pub secret: String,
    /// JSON list of the event types it receives.
    pub events: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub created_by_label: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
