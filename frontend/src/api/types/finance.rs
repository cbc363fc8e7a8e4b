//! Finance: the payments ledger and cash-on-delivery reconciliation.

use super::{Money, OrderRef};
use orderly_shared::{CodFinding, PaymentKind};
use serde::{Deserialize, Serialize};

/// One row of the payments ledger.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerEntry {
    pub id: String,
    pub kind: PaymentKind,
    pub provider: String,
    pub reference: String,
    pub amount: Money,
    pub at: String,
    pub detail: Option<String>,
    pub order: OrderRef,
}

/// The ledger's filters as the GraphQL `PaymentFilter` (and the export's query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LedgerFilter {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub kinds: Vec<PaymentKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// RFC 3339, inclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// RFC 3339, exclusive.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One carrier's cash on delivery in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodBalance {
    pub carrier: String,
    pub collected: Money,
    pub remitted: Money,
    pub outstanding: Money,
    pub outstanding_orders: i64,
    pub difference: Money,
}

/// A carrier's recorded statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodRemittance {
    pub id: String,
    pub carrier: String,
    pub reference: String,
    pub total: Money,
    pub expected: Money,
    pub difference: Money,
    pub note: Option<String>,
    pub recorded_at: String,
    pub recorded_by: String,
    pub lines: Vec<CodRemittanceLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CodRemittanceLine {
    pub line: i32,
    pub tracking_number: String,
    pub order: OrderRef,
    pub expected: Money,
    pub remitted: Money,
    pub difference: Money,
    pub finding: CodFinding,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodRemittanceInput {
    pub carrier: String,
    pub reference: String,
    pub currency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub lines: Vec<CodRemittanceLineInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CodRemittanceLineInput {
    pub tracking_number: String,
    pub amount: String,
}
