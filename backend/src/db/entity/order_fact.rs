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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
