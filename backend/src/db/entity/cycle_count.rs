//! A task to count one SKU in one bin; its result becomes a ledger adjustment.
use orderly_shared::CycleCountStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cycle_counts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub warehouse_id: Uuid,
    pub stock_id: Uuid,
    pub bin_code: String,
    pub sku: String,
    pub status: CycleCountStatus,
    pub reason: String,
    pub counted: Option<i32>,
    pub adjustment: Option<i32>,
    pub counted_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub counted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
