//! The allocation decision: the first matching rule (or the default) picks the strategy and
//! split policy, and the result carries the whole reasoning — every rule's verdict and the
//! strategy's remarks — so the console's dry run can answer "which rule, why, and what would it
//! do" from the same code that allocates for real.

use super::facts::{OrderFacts, ShippingCosts, StockSnapshot, WarehouseInfo};
use super::plan::{Plan, fill, rank};
use super::rules::{RuleSet, RuleTrace};

/// Which rule decided an order's allocation, why, and the resulting plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The id of the rule that applied.
    pub rule_id: String,
    /// Its name.
    pub rule_name: String,
    /// Whether no rule matched and the default applied.
    pub is_default: bool,
    /// Every rule of the set, in order: the ones tried and why they failed, the match, and the
    /// ones after it (not evaluated).
    pub trace: Vec<RuleTrace>,
    /// Remarks on the ranking and the filling, e.g. skipped warehouses or why the order splits.
    pub notes: Vec<String>,
    /// Where the units would come from.
    pub plan: Plan,
}

/// Decides where an order's units come from. Pure: the caller reserves what the plan says, and
/// must cope with the stock having moved since the snapshot.
pub fn allocate(
    order: &OrderFacts,
    rules: &RuleSet,
    warehouses: &[WarehouseInfo],
    stock: &StockSnapshot,
    costs: &ShippingCosts,
) -> Decision {
    let mut trace = Vec::with_capacity(rules.rules.len());
    let mut matched = None;
    for rule in &rules.rules {
        if matched.is_some() {
            trace.push(RuleTrace::not_evaluated(rule));
            continue;
        }
        let verdict = rule.evaluate(order);
        if verdict.matched {
            matched = Some(rule);
        }
        trace.push(verdict);
    }
    let mut notes = Vec::new();
    let rule = match matched {
        Some(rule) => rule,
        None => {
            notes.push(format!(
                "no rule matched, so the default rule {} applies",
                rules.default.name
            ));
            &rules.default
        }
    };
    let ranking = rank(&rule.strategy, order, warehouses, stock, costs);
    notes.extend(ranking.notes);
    let filling = fill(&order.lines, &ranking.warehouses, &rule.split, stock);
    notes.extend(filling.notes);
    Decision {
        rule_id: rule.id.clone(),
        rule_name: rule.name.clone(),
        is_default: matched.is_none(),
        trace,
        notes,
        plan: Plan {
            ranking: ranking.warehouses,
            shipments: filling.shipments,
            unfilled: filling.unfilled,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::domain::allocation::facts::{Destination, LineFacts};
    use crate::domain::allocation::plan::{PlannedLine, PlannedShipment};
    use crate::domain::allocation::rules::{Conditions, Rule, SplitPolicy, Strategy};
    use crate::domain::allocation::testkit::{
        codes, costs, fixed, line, order, rule, stock, warehouse,
    };

    fn warehouses() -> Vec<WarehouseInfo> {
        vec![
            warehouse("SH1", "CN", Some("Shanghai")),
            warehouse("BJ1", "CN", Some("Beijing")),
        ]
    }

    fn to_us() -> Conditions {
        Conditions {
            countries: codes(&["US"]),
            ..Conditions::default()
        }
    }

    fn tea() -> Conditions {
        Conditions {
            categories: codes(&["tea"]),
            ..Conditions::default()
        }
    }

    fn default_rule() -> Rule {
        Rule {
            name: "Default".into(),
            ..rule(
                "default",
                to_us(),
                Strategy::Nearest,
                SplitPolicy::AllowSplit,
            )
        }
    }

    fn tea_order() -> OrderFacts {
        order(vec![line("TEA-01", "tea", 3)])
    }

    #[test]
    fn the_first_matching_rule_decides_and_later_rules_are_not_evaluated() {
        let rules = RuleSet {
            rules: vec![
                rule("r1", to_us(), fixed(&["BJ1"]), SplitPolicy::AllowSplit),
                rule(
                    "r2",
                    tea(),
                    fixed(&["BJ1", "SH1"]),
                    SplitPolicy::ShipComplete,
                ),
                rule(
                    "r3",
                    Conditions::default(),
                    fixed(&["SH1"]),
                    SplitPolicy::AllowSplit,
                ),
            ],
            default: default_rule(),
        };
        let snapshot = stock(&[("SH1", "TEA-01", 9), ("BJ1", "TEA-01", 3)]);
        let decision = allocate(&tea_order(), &rules, &warehouses(), &snapshot, &costs());
        assert_eq!(
            decision,
            Decision {
                rule_id: "r2".into(),
                rule_name: "rule r2".into(),
                is_default: false,
                trace: vec![
                    RuleTrace {
                        rule_id: "r1".into(),
                        rule_name: "rule r1".into(),
                        matched: false,
                        reasons: vec!["country CN is not one of US".into()],
                    },
                    RuleTrace {
                        rule_id: "r2".into(),
                        rule_name: "rule r2".into(),
                        matched: true,
                        reasons: vec!["line TEA-01 is in category tea".into()],
                    },
                    RuleTrace {
                        rule_id: "r3".into(),
                        rule_name: "rule r3".into(),
                        matched: false,
                        reasons: vec!["not evaluated: an earlier rule matched".into()],
                    },
                ],
                notes: vec!["BJ1 can ship the whole order".into()],
                plan: Plan {
                    ranking: codes(&["BJ1", "SH1"]),
                    shipments: vec![PlannedShipment {
                        warehouse: "BJ1".into(),
                        lines: vec![PlannedLine {
                            sku: "TEA-01".into(),
                            quantity: 3,
                        }],
                    }],
                    unfilled: vec![],
                },
            }
        );
    }

    #[test]
    fn rule_order_decides_when_several_rules_match() {
        let rules = RuleSet {
            rules: vec![
                rule(
                    "r1",
                    Conditions::default(),
                    fixed(&["SH1"]),
                    SplitPolicy::AllowSplit,
                ),
                rule("r2", tea(), fixed(&["BJ1"]), SplitPolicy::AllowSplit),
            ],
            default: default_rule(),
        };
        let decision = allocate(&tea_order(), &rules, &warehouses(), &stock(&[]), &costs());
        assert_eq!(decision.rule_id, "r1");
        assert_eq!(decision.plan.ranking, ["SH1"]);
        assert_eq!(
            decision.trace[1].reasons,
            ["not evaluated: an earlier rule matched"]
        );
    }

    #[test]
    fn the_default_rule_applies_when_no_rule_matches_whatever_its_own_conditions() {
        let rules = RuleSet {
            rules: vec![
                rule("r1", to_us(), fixed(&["BJ1"]), SplitPolicy::AllowSplit),
                rule(
                    "r2",
                    Conditions {
                        channels: codes(&["tmall"]),
                        ..tea()
                    },
                    fixed(&["BJ1"]),
                    SplitPolicy::AllowSplit,
                ),
            ],
            // Its condition (to the US) would fail: it applies anyway.
            default: default_rule(),
        };
        let snapshot = stock(&[("SH1", "TEA-01", 2), ("BJ1", "TEA-01", 2)]);
        let decision = allocate(&tea_order(), &rules, &warehouses(), &snapshot, &costs());
        assert_eq!(decision.rule_id, "default");
        assert_eq!(decision.rule_name, "Default");
        assert!(decision.is_default);
        assert_eq!(
            decision.trace,
            [
                RuleTrace {
                    rule_id: "r1".into(),
                    rule_name: "rule r1".into(),
                    matched: false,
                    reasons: vec!["country CN is not one of US".into()],
                },
                RuleTrace {
                    rule_id: "r2".into(),
                    rule_name: "rule r2".into(),
                    matched: false,
                    reasons: vec!["channel demo-store is not one of tmall".into()],
                },
            ]
        );
        assert_eq!(
            decision.notes,
            [
                "no rule matched, so the default rule Default applies",
                "nearest first: SH1 (same region), BJ1 (same country)",
                "no single warehouse can ship the whole order; split across 2",
            ]
        );
        assert_eq!(decision.plan.ranking, ["SH1", "BJ1"]);
        assert_eq!(decision.plan.shipments.len(), 2);
        assert!(decision.plan.is_complete());
    }

    #[test]
    fn with_no_rules_at_all_the_default_decides_with_an_empty_trace() {
        let rules = RuleSet {
            rules: vec![],
            default: default_rule(),
        };
        let decision = allocate(&tea_order(), &rules, &warehouses(), &stock(&[]), &costs());
        assert!(decision.is_default);
        assert!(decision.trace.is_empty());
        assert_eq!(
            decision.notes,
            [
                "no rule matched, so the default rule Default applies",
                "nearest first: SH1 (same region), BJ1 (same country)",
                "none of the ranked warehouses has any of the ordered items",
            ]
        );
        assert_eq!(
            decision.plan.unfilled,
            [PlannedLine {
                sku: "TEA-01".into(),
                quantity: 3
            }]
        );
    }

    #[test]
    fn unknown_warehouses_in_a_fixed_list_are_skipped_and_named_in_the_notes() {
        let rules = RuleSet {
            rules: vec![rule(
                "r1",
                tea(),
                fixed(&["XY9", "BJ1", "SH9", "SH1"]),
                SplitPolicy::AllowSplit,
            )],
            default: default_rule(),
        };
        let snapshot = stock(&[
            ("XY9", "TEA-01", 9),
            ("BJ1", "TEA-01", 1),
            ("SH1", "TEA-01", 2),
        ]);
        let decision = allocate(&tea_order(), &rules, &warehouses(), &snapshot, &costs());
        assert_eq!(decision.plan.ranking, ["BJ1", "SH1"]);
        assert_eq!(
            decision.notes,
            [
                "warehouse XY9 is not known; skipped",
                "warehouse SH9 is not known; skipped",
                "no single warehouse can ship the whole order; split across 2",
            ]
        );
        let from: Vec<&str> = decision
            .plan
            .shipments
            .iter()
            .map(|s| s.warehouse.as_str())
            .collect();
        assert_eq!(from, ["BJ1", "SH1"]);
    }

    /// A tiny deterministic random source, so the property test needs no new dependency.
    struct Dice(u64);

    impl Dice {
        fn roll(&mut self, sides: u64) -> u64 {
            // xorshift64
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % sides
        }

        fn pick<T: Copy>(&mut self, options: &[T]) -> T {
            options[self.roll(options.len() as u64) as usize]
        }
    }

    const REGIONS: [Option<&str>; 3] = [Some("East"), Some("West"), None];

    #[test]
    fn every_plan_accounts_for_every_unit_and_respects_stock_and_the_split_policy() {
        let mut dice = Dice(0x9E37_79B9_7F4A_7C15);
        let mut plans = 0;
        for _case in 0..400 {
            let mut known = Vec::new();
            for code in ["W1", "W2", "W3", "W4"] {
                if dice.roll(4) > 0 {
                    let country = dice.pick(&["CN", "US"]);
                    known.push(warehouse(code, country, dice.pick(&REGIONS)));
                }
            }
            let mut order = order(
                (0..dice.roll(5))
                    .map(|_| LineFacts {
                        sku: dice.pick(&["A", "B", "C"]).to_string(),
                        category: "any".into(),
                        quantity: dice.roll(6) as u32,
                        unit_weight_g: dice.roll(1500) as u32,
                    })
                    .collect(),
            );
            order.destination = Destination {
                country: dice.pick(&["CN", "US"]).to_string(),
                region: dice.pick(&REGIONS).map(str::to_string),
            };
            let mut snapshot = StockSnapshot::new();
            for code in ["W1", "W2", "W3", "W4", "X9"] {
                for sku in ["A", "B", "C"] {
                    if dice.roll(3) > 0 {
                        snapshot.set(code, sku, dice.roll(7) as u32);
                    }
                }
            }
            let listed: Vec<&str> = (0..dice.roll(5))
                .map(|_| dice.pick(&["W1", "W2", "W3", "W4", "X9"]))
                .collect();
            let strategies = [
                fixed(&listed),
                Strategy::Nearest,
                Strategy::MostStock,
                Strategy::LowestCost,
            ];
            let policies = [
                SplitPolicy::ShipComplete,
                SplitPolicy::AllowSplit,
                SplitPolicy::AtMost { shipments: 1 },
                SplitPolicy::AtMost { shipments: 2 },
                SplitPolicy::AtMost { shipments: 3 },
            ];
            for strategy in &strategies {
                for policy in &policies {
                    let rules = RuleSet {
                        rules: vec![],
                        default: rule("d", Conditions::default(), strategy.clone(), policy.clone()),
                    };
                    let decision = allocate(&order, &rules, &known, &snapshot, &costs());
                    check_plan(&order, &known, &snapshot, policy, &decision.plan);
                    plans += 1;
                }
            }
        }
        assert_eq!(plans, 400 * 4 * 5);
    }

    fn check_plan(
        order: &OrderFacts,
        known: &[WarehouseInfo],
        stock: &StockSnapshot,
        policy: &SplitPolicy,
        plan: &Plan,
    ) {
        let context = format!("{policy:?} on {order:?} from {known:?}: {plan:?}");
        let mut ordered: BTreeMap<&str, u64> = BTreeMap::new();
        for line in &order.lines {
            *ordered.entry(&line.sku).or_default() += u64::from(line.quantity);
        }
        let mut delivered: BTreeMap<&str, u64> = BTreeMap::new();
        let mut taken: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        let mut from = BTreeSet::new();
        for shipment in &plan.shipments {
            assert!(!shipment.lines.is_empty(), "empty shipment in {context}");
            assert!(
                plan.ranking.contains(&shipment.warehouse),
                "shipment from an unranked warehouse in {context}"
            );
            assert!(
                from.insert(&shipment.warehouse),
                "two shipments from one warehouse in {context}"
            );
            for line in &shipment.lines {
                assert!(line.quantity > 0, "zero line in {context}");
                *delivered.entry(&line.sku).or_default() += u64::from(line.quantity);
                *taken.entry((&shipment.warehouse, &line.sku)).or_default() +=
                    u64::from(line.quantity);
            }
        }
        for line in &plan.unfilled {
            assert!(line.quantity > 0, "zero unfilled line in {context}");
            *delivered.entry(&line.sku).or_default() += u64::from(line.quantity);
        }
        ordered.retain(|_, units| *units > 0);
        assert_eq!(
            delivered, ordered,
            "shipped + unfilled ≠ ordered in {context}"
        );
        for ((warehouse, sku), units) in &taken {
            assert!(
                *units <= u64::from(stock.available(warehouse, sku)),
                "{warehouse} ships more {sku} than it has in {context}"
            );
        }
        match policy {
            SplitPolicy::ShipComplete => assert!(plan.shipments.len() <= 1, "{context}"),
            SplitPolicy::AtMost { shipments } => {
                assert!(plan.shipments.len() <= *shipments as usize, "{context}")
            }
            SplitPolicy::AllowSplit => {
                // Splitting freely ships everything the ranked warehouses hold together.
                let enough = ordered.iter().all(|(sku, units)| {
                    let held: u64 = plan
                        .ranking
                        .iter()
                        .map(|w| u64::from(stock.available(w, sku)))
                        .sum();
                    held >= *units
                });
                assert_eq!(plan.is_complete(), enough, "{context}");
            }
        }
        let one_can_ship_all = plan.ranking.iter().any(|w| {
            ordered
                .iter()
                .all(|(sku, units)| u64::from(stock.available(w, sku)) >= *units)
        });
        if one_can_ship_all && !ordered.is_empty() {
            assert_eq!(plan.shipments.len(), 1, "{context}");
            assert!(plan.is_complete(), "{context}");
        }
        let known_codes: BTreeSet<&String> = known.iter().map(|w| &w.code).collect();
        assert!(
            plan.ranking.iter().all(|w| known_codes.contains(w)),
            "unknown warehouse ranked in {context}"
        );
    }
}
