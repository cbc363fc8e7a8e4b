//! Cash a carrier paid over for the cash-on-delivery parcels it delivered.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cod_remittances")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub carrier: String,
    /// The carrier's statement number; unique per carrier.
    pub reference: String,
    pub currency: String,
    /// What the carrier paid.
    pub total_minor: i64,
    /// What our ledger says it collected for the same orders.
    pub expected_minor: i64,
    pub note: Option<String>,
    pub recorded_at: DateTimeUtc,
    pub recorded_by_label: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
