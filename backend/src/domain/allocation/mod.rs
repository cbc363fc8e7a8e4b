//! Warehouse allocation (SPEC §2.2): which warehouse(s) ship an approved order. Managers
//! configure ordered rules — conditions on the order, a strategy that ranks warehouses, a split
//! policy — and the first rule that matches decides; a default rule catches the rest. Pure
//! logic over a snapshot of stock: the service loads the facts, reserves what the plan says and
//! stores the rules, whose parts serialise to JSON.

mod bins;
mod decision;
mod facts;
mod plan;
mod rules;
mod validate;

#[cfg(test)]
mod testkit;

pub use bins::pick_bins;
pub use decision::{Decision, allocate};
pub use facts::{
    Destination, LineFacts, OrderFacts, ShippingCosts, SpecialRequestKind, StockSnapshot,
    WarehouseInfo,
};
pub use plan::{Plan, PlannedLine, PlannedShipment};
pub use rules::{Conditions, Rule, RuleSet, RuleTrace, SplitPolicy, Strategy};
pub use validate::{MAX_RULE_NAME_CHARS, RuleDraft, validate_rule};
