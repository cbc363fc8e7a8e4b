//! A short pick: the bin held fewer units than the system said.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_discrepancies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub warehouse_id: Uuid,
    pub stock_id: Uuid,
    pub bin_code: String,
    pub sku: String,
    pub expected: i32,
    pub found: i32,
    pub wave_id: Option<Uuid>,
    pub task_id: Option<Uuid>,
    pub cycle_count_id: Uuid,
    pub reported_by: String,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
