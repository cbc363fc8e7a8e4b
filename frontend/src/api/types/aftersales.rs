//! After-sales: cases with their lines and inspection, and the refunds finance decides.

use super::Money;
use orderly_shared::{CaseKind, CaseReason, CaseStatus, OrderStatus, RefundStatus};
use serde::{Deserialize, Serialize};

/// One after-sales case as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AfterSalesCase {
    pub id: String,
    pub number: String,
    pub order_number: String,
    pub reason: CaseReason,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub description: Option<String>,
    pub opened_by: String,
    pub opened_at: String,
    pub decision_note: Option<String>,
    pub return_carrier: Option<String>,
    pub return_tracking_number: Option<String>,
    pub return_label_url: Option<String>,
    pub refund_amount: Money,
    pub lines: Vec<CaseLine>,
    /// Only for those who may read refunds (not the warehouse).
    #[serde(default)]
    pub refund: Option<CaseRefund>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseLine {
    pub sku: String,
    pub quantity: i64,
    pub passed: i64,
    pub scrapped: i64,
    pub sent_back: i64,
    pub to_inspect: i64,
    pub refund: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct CaseRefund {
    pub id: String,
    pub status: RefundStatus,
}

/// An order as the case form needs it: its lines, by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseOrder {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub lines: Vec<CaseOrderLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct CaseOrderLine {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CaseLineInput {
    pub order_line_id: String,
    pub quantity: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenCaseInput {
    pub order_id: String,
    pub reason: CaseReason,
    pub kind: CaseKind,
    pub lines: Vec<CaseLineInput>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payout_reference: Option<String>,
}

/// A refund as finance's queue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    pub id: String,
    pub order: OrderRef,
    pub amount: Money,
    pub status: RefundStatus,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub approvals_needed: i64,
    pub first_approved_by: Option<String>,
    pub decided_by: Option<String>,
    pub payout_reference: Option<String>,
    pub provider_reference: Option<String>,
    pub failure_reason: Option<String>,
    pub attempts: i64,
}

/// The order a refund is for, by number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct OrderRef {
    pub number: String,
}
