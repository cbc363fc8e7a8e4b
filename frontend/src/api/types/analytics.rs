//! Operations analytics: the dashboard's figures for one filter, and the orders behind them.

use super::Money;
use orderly_shared::{CaseReason, HoldReasonCode, OrderStatus, RefundStatus, Stage};
use serde::{Deserialize, Serialize};

/// The GraphQL `AnalyticsFilter`: orders placed in `[from, to)`, on a channel, with a carrier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carrier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Figures {
    pub from: String,
    pub to: String,
    pub volume: Vec<VolumePoint>,
    pub lead_times: Vec<LeadTimeGroup>,
    pub bottleneck: Option<Bottleneck>,
    pub waiting: Vec<StageBacklog>,
    pub holds: HoldRates,
    pub carriers: Vec<CarrierRates>,
    pub returns: ReturnRates,
    pub returns_by_sku: Vec<SkuReturnRate>,
    pub refunds: RefundRates,
    pub ratings: RatingSummary,
    pub stockouts: Vec<StockoutDemand>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VolumePoint {
    /// `YYYY-MM-DD`.
    pub period: String,
    pub channel: String,
    pub orders: i64,
    pub value: Money,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadTimeGroup {
    pub group: Option<String>,
    pub stages: Vec<StageLeadTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageLeadTime {
    pub stage: Stage,
    pub orders: i64,
    pub p50_seconds: i64,
    pub p90_seconds: i64,
    pub p99_seconds: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bottleneck {
    pub stage: Stage,
    pub p90_seconds: i64,
    pub previous_p90_seconds: Option<i64>,
    pub change_seconds: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StageBacklog {
    pub stage: Stage,
    pub orders: i64,
    pub oldest_since: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldRates {
    pub orders: i64,
    pub held: i64,
    pub rate: f64,
    pub by_reason: Vec<HoldReasonRate>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HoldReasonRate {
    pub code: HoldReasonCode,
    pub orders: i64,
    pub rate: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarrierRates {
    pub carrier: String,
    pub shipped: i64,
    pub delivered: i64,
    pub with_exceptions: i64,
    pub exception_rate: f64,
    pub sla_breached: i64,
    pub sla_breach_rate: f64,
    pub returned: i64,
    pub return_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnRates {
    pub delivered: i64,
    pub returned: i64,
    pub rate: f64,
    pub by_reason: Vec<ReturnReasonCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReturnReasonCount {
    pub reason: CaseReason,
    pub cases: i64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SkuReturnRate {
    pub sku: String,
    pub sold_units: i64,
    pub returned_units: i64,
    pub rate: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRates {
    pub orders: i64,
    pub refunded: i64,
    pub rate: f64,
    pub totals: Vec<RefundTotal>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundTotal {
    pub status: RefundStatus,
    pub refunds: i64,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RatingSummary {
    pub ratings: i64,
    pub average: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockoutDemand {
    pub sku: String,
    pub orders: i64,
    pub units: i64,
    pub waiting_units: i64,
}

/// An order waiting in a stage, for the drill-down from a figure.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StuckOrder {
    pub stage: Option<Stage>,
    pub since: Option<String>,
    pub order: StuckOrderRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StuckOrderRef {
    pub number: String,
    pub status: OrderStatus,
}
