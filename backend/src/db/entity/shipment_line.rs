//! Units of one order line in one shipment.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shipment_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub shipment_id: Uuid,
    pub order_line_id: Uuid,
    pub sku: String,
    pub quantity: i32,
    /// Units taken from the bins so far.
    pub picked_quantity: i32,
    /// Units put into the shipment's put-wall slot (batch waves).
    pub sorted_quantity: i32,
    /// Units scanned at the pack station.
    pub packed_quantity: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
