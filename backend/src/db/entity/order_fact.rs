//! The analytics rollup of one order: when it reached each milestone, where it waits now, and
//! what went wrong on the way. Maintained from the order's events as they are written, and
//! rebuildable from them (`orderly analytics rebuild`).
use orderly_shared::{OrderStatus, Stage};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "order_facts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub order_id: Uuid,
    pub channel_id: Uuid,
    pub currency: String,
    pub total_minor: i64,
    pub placed_at: DateTimeUtc,
    /// `YYYY-MM-DD` (UTC) of `placed_at`.
    pub placed_day: String,
    pub paid_at: Option<DateTimeUtc>,
    pub approved_at: Option<DateTimeUtc>,
    pub allocated_at: Option<DateTimeUtc>,
    pub picked_at: Option<DateTimeUtc>,
    pub packed_at: Option<DateTimeUtc>,
    pub shipped_at: Option<DateTimeUtc>,
    pub delivered_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    /// When it was cancelled or expired.
    pub ended_at: Option<DateTimeUtc>,
    pub status: OrderStatus,
    pub status_at: DateTimeUtc,
    pub stage: Option<Stage>,
    pub stage_since: Option<DateTimeUtc>,
    pub holds: i32,
    /// JSON array of every hold reason code the order was held for.
    pub hold_codes: String,
    pub exceptions: i32,
    pub warehouse_id: Option<Uuid>,
    pub carrier: Option<String>,
    /// How long each stage took, in whole seconds, once it is over (see [`seconds_column`]).
    pub payment_seconds: Option<i64>,
    pub review_seconds: Option<i64>,
    pub allocation_seconds: Option<i64>,
    pub picking_seconds: Option<i64>,
    pub packing_seconds: Option<i64>,
    pub shipping_seconds: Option<i64>,
    pub delivery_seconds: Option<i64>,
    pub completion_seconds: Option<i64>,
}

/// The column holding how long `stage` took.
pub fn seconds_column(stage: Stage) -> Column {
    match stage {
        Stage::Payment => Column::PaymentSeconds,
        Stage::Review => Column::ReviewSeconds,
        Stage::Allocation => Column::AllocationSeconds,
        Stage::Picking => Column::PickingSeconds,
        Stage::Packing => Column::PackingSeconds,
        Stage::Shipping => Column::ShippingSeconds,
        Stage::Delivery => Column::DeliverySeconds,
        Stage::Completion => Column::CompletionSeconds,
    }
}

impl Model {
    /// The stored stage durations, by [`Stage::index`].
    pub fn durations(&self) -> [Option<i64>; 8] {
        [
            self.payment_seconds,
            self.review_seconds,
            self.allocation_seconds,
            self.picking_seconds,
            self.packing_seconds,
            self.shipping_seconds,
            self.delivery_seconds,
            self.completion_seconds,
        ]
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
