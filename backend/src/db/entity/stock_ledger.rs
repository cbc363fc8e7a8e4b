//! One stock movement. Append-only (enforced by triggers); on hand and reserved are its sums.
use orderly_shared::StockMovementKind;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "stock_ledger")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub stock_id: Uuid,
    pub warehouse_id: Uuid,
    pub sku: String,
    pub kind: StockMovementKind,
    pub on_hand_delta: i32,
    pub reserved_delta: i32,
    pub reason: String,
    /// What caused it: an order number, a file name, a count task.
    pub reference: String,
    pub actor_kind: String,
    pub actor_label: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
