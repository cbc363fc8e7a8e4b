//! One HTTP attempt of a webhook delivery and what the endpoint answered.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub delivery_id: Uuid,
    pub attempt: i32,
    pub at: DateTimeUtc,
    /// The `Orderly-Signature` header sent.
    pub signature: String,
    pub response_status: Option<i32>,
    /// The first 1000 characters of the answer.
    pub response_body: Option<String>,
    /// Why no answer came (refused, timed out).
    pub error: Option<String>,
    pub duration_ms: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
