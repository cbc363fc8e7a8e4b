//! Allocation rules for people: strategies, split policies, special requests, and one-line
//! summaries of what a rule applies to and what it does.

use crate::api::types::{AllocationRule, RuleConditions};
use orderly_shared::{AllocationStrategyKind, SpecialRequestKind, SplitPolicyKind};

pub fn strategy_label(kind: AllocationStrategyKind) -> &'static str {
    match kind {
        AllocationStrategyKind::FixedList => "Fixed list of warehouses",
        AllocationStrategyKind::Nearest => "Nearest to the customer",
        AllocationStrategyKind::MostStock => "Most stock",
        AllocationStrategyKind::LowestCost => "Lowest shipping cost",
    }
}

pub fn split_label(kind: SplitPolicyKind) -> &'static str {
    match kind {
        SplitPolicyKind::ShipComplete => "Ship complete from one warehouse",
        SplitPolicyKind::AllowSplit => "Split allowed",
        SplitPolicyKind::AtMost => "At most N shipments",
    }
}

pub fn special_request_label(kind: SpecialRequestKind) -> &'static str {
    match kind {
        SpecialRequestKind::DeliveryWindow => "Delivery window",
        SpecialRequestKind::GiftWrap => "Gift wrap",
        SpecialRequestKind::GiftMessage => "Gift message",
        SpecialRequestKind::Invoice => "Invoice",
    }
}

/// Which orders a rule applies to: `countries CN · regions Guangdong`, or `every order`.
pub fn conditions_summary(c: &RuleConditions) -> String {
    let requests: Vec<String> = c
        .special_requests
        .iter()
        .map(|r| special_request_label(*r).to_lowercase())
        .collect();
    let parts: Vec<String> = [
        ("countries", &c.countries),
        ("regions", &c.regions),
        ("categories", &c.categories),
        ("SKUs", &c.skus),
        ("channels", &c.channels),
        ("tags", &c.tags),
        ("special requests", &requests),
    ]
    .into_iter()
    .filter(|(_, values)| !values.is_empty())
    .map(|(name, values)| format!("{name} {}", values.join(", ")))
    .collect();
    if parts.is_empty() {
        "every order".to_string()
    } else {
        parts.join(" · ")
    }
}

/// How a rule ranks warehouses: `Fixed list: SH1 → GZ1`, `Nearest to the customer`.
pub fn strategy_summary(rule: &AllocationRule) -> String {
    match rule.strategy {
        AllocationStrategyKind::FixedList => format!("Fixed list: {}", rule.warehouses.join(" → ")),
        other => strategy_label(other).to_string(),
    }
}

/// How a rule fills the order: `At most 2 shipments`, `Split allowed`.
pub fn split_summary(split: SplitPolicyKind, max_shipments: Option<i32>) -> String {
    match (split, max_shipments) {
        (SplitPolicyKind::AtMost, Some(1)) => "At most 1 shipment".to_string(),
        (SplitPolicyKind::AtMost, Some(n)) => format!("At most {n} shipments"),
        (other, _) => split_label(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_read_as_one_line() {
        assert_eq!(
            conditions_summary(&RuleConditions::default()),
            "every order"
        );
        let c = RuleConditions {
            countries: vec!["CN".into()],
            regions: vec!["Guangdong".into(), "Fujian".into()],
            special_requests: vec![SpecialRequestKind::GiftWrap],
            ..RuleConditions::default()
        };
        assert_eq!(
            conditions_summary(&c),
            "countries CN · regions Guangdong, Fujian · special requests gift wrap"
        );
    }

    #[test]
    fn strategies_and_splits_read_for_people() {
        let rule = AllocationRule {
            id: "r".into(),
            name: "South from Shanghai".into(),
            position: 1,
            enabled: true,
            is_default: false,
            conditions: RuleConditions::default(),
            strategy: AllocationStrategyKind::FixedList,
            warehouses: vec!["SH1".into(), "GZ1".into()],
            split: SplitPolicyKind::AtMost,
            max_shipments: Some(2),
        };
        assert_eq!(strategy_summary(&rule), "Fixed list: SH1 → GZ1");
        assert_eq!(
            split_summary(rule.split, rule.max_shipments),
            "At most 2 shipments"
        );
        assert_eq!(
            split_summary(SplitPolicyKind::AllowSplit, None),
            "Split allowed"
        );
        for k in AllocationStrategyKind::ALL {
            assert!(!strategy_label(*k).is_empty());
        }
    }
}
