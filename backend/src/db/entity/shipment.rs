//! What one warehouse ships for an order.
use orderly_shared::ShipmentStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "shipments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub warehouse_id: Uuid,
    pub status: ShipmentStatus,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// JSON array of special-request instructions for the warehouse and carrier.
    pub instructions: String,
    pub wave_id: Option<Uuid>,
    /// The put-wall slot of a batch wave's shipment.
    pub wall_slot: Option<i32>,
    pub service_code: Option<String>,
    pub packaging_code: Option<String>,
    pub packed_weight_g: Option<i32>,
    pub shipping_cost_minor: Option<i64>,
    pub manifest_id: Option<Uuid>,
    pub handed_over_at: Option<DateTimeUtc>,
    /// The carrier's exception code while the shipment is in EXCEPTION.
    pub exception_code: Option<String>,
    /// Set when the shipment was called off (its order cancelled, or every unit short-picked);
    /// it keeps its last status.
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
