//! A packaging catalogue entry: cartons and bags with their inner size, limit and cost.
use orderly_shared::PackagingKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "packagings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub kind: PackagingKind,
    pub inner_length_mm: i32,
    pub inner_width_mm: i32,
    pub inner_height_mm: i32,
    pub max_weight_g: i32,
    pub tare_weight_g: i32,
    pub cost_minor: i64,
    pub currency: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
