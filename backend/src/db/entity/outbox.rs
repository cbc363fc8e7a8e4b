//! A message to deliver after the transaction that wrote it commits.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub topic: String,
    pub aggregate_id: Uuid,
    pub payload: String,
    pub created_at: DateTimeUtc,
    pub available_at: DateTimeUtc,
    pub attempts: i32,
    pub claimed_until: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
