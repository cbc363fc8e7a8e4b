//! Demand that stock could not meet: what an order wanted and did not get when it asked.
use orderly_shared::OutOfStockPolicy;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stockouts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub order_line_id: Uuid,
    pub sku: String,
    pub quantity: i32,
    pub policy: OutOfStockPolicy,
    pub expected_on: Option<Date>,
    /// Still waiting for stock (backorder and split remainders).
    pub open: bool,
    pub at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    /// ALLOCATED, CANCELLED or HELD.
    pub resolution: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
