//! One stop on a pick list: a bin, a SKU and how many to take, with the scan progress.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pick_tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub wave_id: Uuid,
    pub list_no: i32,
    pub shipment_id: Option<Uuid>,
    pub seq: i32,
    pub stock_id: Uuid,
    pub bin_code: String,
    pub sku: String,
    pub name: String,
    /// JSON array of accepted barcodes.
    pub barcodes: String,
    pub quantity: i32,
    pub picked: i32,
    pub bin_confirmed: bool,
    pub awaiting_confirmation: bool,
    pub short_quantity: i32,
    pub fragile: bool,
    pub high_value: bool,
    pub done: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
