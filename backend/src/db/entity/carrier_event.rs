//! A carrier tracking event as it arrived.
use orderly_shared::ShipmentStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "carrier_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub carrier_code: String,
    pub event_id: String,
    pub tracking_number: String,
    pub shipment_id: Uuid,
    /// The shipment status the event reports.
    pub status: ShipmentStatus,
    pub exception_code: Option<String>,
    pub occurred_at: DateTimeUtc,
    pub received_at: DateTimeUtc,
    /// Whether it moved the shipment (false: it arrived after a later event).
    pub applied: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
