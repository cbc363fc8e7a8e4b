//! A delivery exception customer service works: the parcel, what went wrong, and how it ended.
use orderly_shared::{ExceptionOutcome, ExceptionSource, ExceptionTaskStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exception_tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub shipment_id: Uuid,
    pub order_id: Uuid,
    /// The shipment while the task is open (unique: one open task per parcel), else NULL.
    pub open_shipment_id: Option<Uuid>,
    /// The carrier's exception code, e.g. `ADDRESS_UNKNOWN` (`DELAYED` for the SLA check).
    pub code: String,
    pub source: ExceptionSource,
    pub status: ExceptionTaskStatus,
    /// What the carrier or the check said, for the agent.
    pub detail: String,
    pub outcome: Option<ExceptionOutcome>,
    pub resolution_note: Option<String>,
    /// The refund requested by a REFUND outcome.
    pub refund_id: Option<Uuid>,
    pub opened_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
    pub resolved_by_label: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
