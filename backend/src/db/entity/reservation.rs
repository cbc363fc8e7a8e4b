//! Units of a bin set aside for a shipment line.
use sea_orm::entity::prelude::*;

/// A reservation is released or consumed exactly once: both are conditional on `Active`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum ReservationState {
    #[sea_orm(string_value = "ACTIVE")]
    Active,
    #[sea_orm(string_value = "RELEASED")]
    Released,
    #[sea_orm(string_value = "CONSUMED")]
    Consumed,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reservations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub shipment_line_id: Uuid,
    pub stock_id: Uuid,
    pub sku: String,
    pub quantity: i32,
    pub state: ReservationState,
    pub created_at: DateTimeUtc,
    pub released_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
