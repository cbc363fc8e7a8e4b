//! One order's cash in a carrier's remittance, beside what our ledger says was collected.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cod_remittance_lines")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub remittance_id: Uuid,
    /// Position in the carrier's statement, from 1.
    pub line: i32,
    pub tracking_number: String,
    /// Unique: an order's cash is remitted once.
    pub order_id: Uuid,
    /// The COD_COLLECTED payment this line settles; none if the ledger has no collection.
    pub payment_id: Option<Uuid>,
    pub expected_minor: i64,
    pub remitted_minor: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
