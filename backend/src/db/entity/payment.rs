//! The payments ledger: one row per provider event (capture, failure, refund).
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub provider: String,
    pub provider_event_id: String,
    pub kind: orderly_shared::PaymentKind,
    pub amount_minor: i64,
    pub currency: String,
    pub at: DateTimeUtc,
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
