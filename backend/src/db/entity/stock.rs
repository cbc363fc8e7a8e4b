//! Units of one SKU in one bin: on hand, and how many of them are reserved for orders.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub warehouse_id: Uuid,
    pub bin_id: Uuid,
    pub product_id: Uuid,
    pub sku: String,
    pub on_hand: i32,
    pub reserved: i32,
    /// Blocked after a short pick until counted: not available for allocation.
    pub blocked: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
