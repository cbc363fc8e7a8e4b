//! Allocation rules as warehouse managers edit them, and the dry run that explains a decision.

use orderly_shared::{AllocationStrategyKind, SpecialRequestKind, SplitPolicyKind};
use serde::{Deserialize, Serialize};

/// When a rule applies: each list empty means any; inside a list any one value; across lists
/// all. The same shape is sent back when a rule is saved.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleConditions {
    pub countries: Vec<String>,
    pub regions: Vec<String>,
    pub categories: Vec<String>,
    pub skus: Vec<String>,
    pub channels: Vec<String>,
    pub tags: Vec<String>,
    pub special_requests: Vec<SpecialRequestKind>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationRule {
    pub id: String,
    pub name: String,
    pub position: i32,
    pub enabled: bool,
    /// The rule that applies when no other matches; always tried last.
    pub is_default: bool,
    pub conditions: RuleConditions,
    pub strategy: AllocationStrategyKind,
    /// FIXED_LIST: the warehouse codes in priority order.
    pub warehouses: Vec<String>,
    pub split: SplitPolicyKind,
    /// AT_MOST: the most shipments.
    pub max_shipments: Option<i32>,
}

/// The input of `saveAllocationRule`: no id creates a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationRuleInput {
    pub id: Option<String>,
    pub name: String,
    pub position: Option<i32>,
    pub enabled: Option<bool>,
    pub conditions: RuleConditions,
    pub strategy: AllocationStrategyKind,
    pub warehouses: Vec<String>,
    pub split: SplitPolicyKind,
    pub max_shipments: Option<i32>,
}

/// Units of one SKU: a line of a described order, of a planned shipment, or left unfilled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlannedLine {
    pub sku: String,
    pub quantity: i64,
}

/// An order described by hand for a dry run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DryRunOrderInput {
    pub channel: Option<String>,
    pub country: String,
    pub region: Option<String>,
    pub tags: Vec<String>,
    pub special_requests: Vec<SpecialRequestKind>,
    pub lines: Vec<PlannedLine>,
}

/// How one rule fared in a dry run.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleTrace {
    pub rule_id: String,
    pub rule_name: String,
    pub matched: bool,
    /// Why it matched, or which conditions failed, with the values.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct PlannedShipment {
    pub warehouse: String,
    pub lines: Vec<PlannedLine>,
}

/// What allocation would do, and why.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AllocationDecision {
    pub rule_id: String,
    pub rule_name: String,
    pub is_default: bool,
    pub trace: Vec<RuleTrace>,
    pub notes: Vec<String>,
    /// The warehouses the strategy considered, best first.
    pub ranking: Vec<String>,
    pub shipments: Vec<PlannedShipment>,
    /// Units no warehouse could ship.
    pub unfilled: Vec<PlannedLine>,
}
