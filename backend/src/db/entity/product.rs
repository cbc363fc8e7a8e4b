use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "products")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price_minor: i64,
    pub currency: String,
    pub gtin: Option<String>,
    /// JSON object of variant attributes (size, colour, …).
    pub attributes: String,
    pub weight_g: i32,
    pub length_mm: i32,
    pub width_mm: i32,
    pub height_mm: i32,
    pub fragile: bool,
    pub liquid: bool,
    pub high_value: bool,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
