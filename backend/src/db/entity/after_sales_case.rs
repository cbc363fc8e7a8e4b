//! An after-sales case: why the customer came back, what they get, and where it stands.
use orderly_shared::{CaseKind, CaseReason, CaseStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "after_sales_cases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `AS` + yymmdd + `-` + random characters, to read over the phone.
    pub number: String,
    pub order_id: Uuid,
    /// The order's channel: partners see their own channel's cases.
    pub channel_id: Uuid,
    pub reason: CaseReason,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub description: Option<String>,
    pub opened_by_kind: String,
    pub opened_by_label: String,
    /// Why it was approved, rejected or closed.
    pub decision_note: Option<String>,
    pub decided_by_label: Option<String>,
    /// Cash on delivery: the bank account or wallet the refund goes to.
    pub payout_reference: Option<String>,
    pub return_carrier: Option<String>,
    pub return_service: Option<String>,
    /// The return label's tracking number, scanned when the parcel arrives.
    pub return_tracking_number: Option<String>,
    /// Where the return goes: the warehouse that shipped the order.
    pub return_warehouse_id: Option<Uuid>,
    pub refund_id: Option<Uuid>,
    pub replacement_order_id: Option<Uuid>,
    /// The refund the case computed, shipping included.
    pub refund_minor: i64,
    pub shipping_refund_minor: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub resolved_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
