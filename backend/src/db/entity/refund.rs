//! Money owed back to a customer: requested, decided by finance, executed through the payment
//! provider.
use orderly_shared::RefundStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refunds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub order_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    pub status: RefundStatus,
    pub reason: String,
    pub requested_by_kind: String,
    pub requested_by_label: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// 2 above the merchant's threshold, else 1 (fixed when requested).
    pub approvals_needed: i32,
    pub first_approver_kind: Option<String>,
    pub first_approver_label: Option<String>,
    pub first_approved_at: Option<DateTimeUtc>,
    /// Who gave the final approval, or rejected.
    pub decided_by_label: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub decision_note: Option<String>,
    /// Cash on delivery: the bank account or wallet the money goes to.
    pub payout_reference: Option<String>,
    pub provider_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub executed_at: Option<DateTimeUtc>,
    pub execution_lease_until: Option<DateTimeUtc>,
    pub attempts: i32,
    /// The after-sales case that computed the refund.
    pub case_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
