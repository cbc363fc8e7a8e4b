//! One status change of a shipment, for analytics: the warehouse stages (picked, packed) and the
//! carrier's, with the warehouse and carrier they happened at. The order's timeline shows the
//! same steps with who did them.
use orderly_shared::ShipmentStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shipment_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub shipment_id: Uuid,
    pub order_id: Uuid,
    pub warehouse_id: Uuid,
    pub carrier: Option<String>,
    pub at: DateTimeUtc,
    pub from_status: Option<ShipmentStatus>,
    pub to_status: ShipmentStatus,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
