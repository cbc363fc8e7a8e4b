//! An order line in an after-sales case: how many units, and what inspection found in them.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "after_sales_case_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub order_line_id: Uuid,
    pub sku: String,
    pub quantity: i32,
    pub passed: i32,
    pub scrapped: i32,
    pub sent_back: i32,
    /// JSON list of `{verdict, note}` for the units that failed, in inspection order.
    pub inspection_notes: String,
    /// This line's part of the case's refund.
    pub refund_minor: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
