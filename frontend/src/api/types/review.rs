//! The review: held orders as the queue shows them, and the risk configuration reviewers keep.

use super::{Address, Customer, HoldReason, Money};
use orderly_shared::{BlocklistKind, OrderStatus, PaymentMethod, PaymentStatus, RiskRuleType};
use serde::{Deserialize, Serialize};

/// One held order as the review queue shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueuedOrder {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub payment_method: PaymentMethod,
    pub channel: String,
    pub total: Money,
    pub customer: Customer,
    pub shipping_address: Address,
    pub hold_reasons: Vec<HoldReason>,
    pub created_at: String,
}

/// An order as a review action leaves it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewedOrder {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub hold_reasons: Vec<HoldReason>,
}

/// A risk rule: its type, the parameters that type uses, and its weight in the score.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskRule {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: RiskRuleType,
    pub weight: i32,
    pub enabled: bool,
    pub position: i32,
    pub limit: Option<i32>,
    pub window_minutes: Option<i32>,
    pub window_days: Option<i32>,
    pub max_customers: Option<i32>,
    pub amount: Option<Money>,
}

/// An amount as entered: a decimal string and its currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoneyInput {
    pub amount: String,
    pub currency: String,
}

/// The input of `saveRiskRule`: no id creates a rule. Parameters its type does not use are sent
/// as null.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskRuleInput {
    pub id: Option<String>,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: RiskRuleType,
    pub weight: i32,
    pub enabled: bool,
    pub position: Option<i32>,
    pub limit: Option<i32>,
    pub window_minutes: Option<i32>,
    pub window_days: Option<i32>,
    pub max_customers: Option<i32>,
    pub amount: Option<MoneyInput>,
}

/// The score thresholds: at `hold_at` an order waits for a reviewer, at `reject_at` it is
/// rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    pub hold_at: i32,
    pub reject_at: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlocklistEntry {
    pub id: String,
    pub kind: BlocklistKind,
    pub value: String,
    pub reason: String,
    pub created_by: String,
}

/// An area whose orders are held for address verification; the same shape is sent back.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteArea {
    pub country: String,
    pub region: Option<String>,
    pub postal_prefix: Option<String>,
    pub label: String,
}
