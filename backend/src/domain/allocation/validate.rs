//! What a valid allocation rule is, as a warehouse manager enters it in the console. Every
//! problem is reported at once with a field path, and condition values are tidied (trimmed,
//! de-duplicated, countries upper-cased) so that what is stored is what matching compares.

use orderly_shared::FieldProblem;

use super::rules::{Conditions, Rule, SplitPolicy, Strategy, same_place};

/// The longest rule name, in characters.
pub const MAX_RULE_NAME_CHARS: usize = 100;

/// A rule as entered, before validation; the id is given separately.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDraft {
    /// The name managers will know it by.
    pub name: String,
    /// Which orders it applies to.
    pub conditions: Conditions,
    /// How it ranks warehouses.
    pub strategy: Strategy,
    /// How it fills the order from the ranking.
    pub split: SplitPolicy,
}

/// Validates a draft into the rule stored under `id`. `known_warehouses` are the codes a fixed
/// list may name; they are matched case-insensitively and stored as spelled there.
pub fn validate_rule(
    id: String,
    draft: RuleDraft,
    known_warehouses: &[String],
) -> Result<Rule, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let name = draft.name.trim().to_string();
    if name.is_empty() {
        problems.push(FieldProblem::new("name", "REQUIRED", "is required"));
    } else if name.chars().count() > MAX_RULE_NAME_CHARS {
        problems.push(FieldProblem::new(
            "name",
            "TOO_LONG",
            format!("must be at most {MAX_RULE_NAME_CHARS} characters"),
        ));
    }
    let strategy = match draft.strategy {
        Strategy::FixedList { warehouses } => Strategy::FixedList {
            warehouses: fixed_list(&warehouses, known_warehouses, &mut problems),
        },
        other => other,
    };
    if draft.split == (SplitPolicy::AtMost { shipments: 0 }) {
        problems.push(FieldProblem::new(
            "split.shipments",
            "MUST_BE_POSITIVE",
            "must allow at least 1 shipment",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Rule {
        id,
        name,
        conditions: normalise(draft.conditions),
        strategy,
        split: draft.split,
    })
}

/// The fixed list with each code spelled as the warehouse is known; problems for blank,
/// unknown and repeated codes.
fn fixed_list(
    listed: &[String],
    known: &[String],
    problems: &mut Vec<FieldProblem>,
) -> Vec<String> {
    if listed.is_empty() {
        problems.push(FieldProblem::new(
            "strategy.warehouses",
            "REQUIRED",
            "list at least one warehouse",
        ));
    }
    let mut codes: Vec<String> = Vec::with_capacity(listed.len());
    for (i, code) in listed.iter().enumerate() {
        let path = format!("strategy.warehouses[{i}]");
        let code = code.trim();
        if code.is_empty() {
            problems.push(FieldProblem::new(path, "REQUIRED", "give a warehouse code"));
            continue;
        }
        let Some(known) = known.iter().find(|k| k.trim().eq_ignore_ascii_case(code)) else {
            problems.push(FieldProblem::new(
                path,
                "UNKNOWN_WAREHOUSE",
                format!("warehouse {code} is not known"),
            ));
            continue;
        };
        let known = known.trim().to_string();
        if codes.contains(&known) {
            problems.push(FieldProblem::new(
                path,
                "DUPLICATE",
                format!("warehouse {known} is already in the list"),
            ));
            continue;
        }
        codes.push(known);
    }
    codes
}

/// Trimmed values without blanks or repeats; countries upper-cased, regions de-duplicated the
/// way they are matched (case-insensitively).
fn normalise(conditions: Conditions) -> Conditions {
    let countries: Vec<String> = conditions
        .countries
        .iter()
        .map(|c| c.trim().to_uppercase())
        .collect();
    let mut special_requests = Vec::new();
    for kind in conditions.special_requests {
        if !special_requests.contains(&kind) {
            special_requests.push(kind);
        }
    }
    Conditions {
        countries: tidy(countries, |a, b| a == b),
        regions: tidy(conditions.regions, same_place),
        categories: tidy(conditions.categories, |a, b| a == b),
        skus: tidy(conditions.skus, |a, b| a == b),
        channels: tidy(conditions.channels, |a, b| a == b),
        tags: tidy(conditions.tags, |a, b| a == b),
        special_requests,
    }
}

/// Trims, drops blanks and keeps the first of values that are `same`.
fn tidy(values: Vec<String>, same: fn(&str, &str) -> bool) -> Vec<String> {
    let mut kept: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let value = value.trim();
        if !value.is_empty() && !kept.iter().any(|k| same(k, value)) {
            kept.push(value.to_string());
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::allocation::facts::SpecialRequestKind as K;
    use crate::domain::allocation::testkit::{codes, fixed};

    fn known() -> Vec<String> {
        codes(&["SH1", "BJ1", "GZ1"])
    }

    fn draft() -> RuleDraft {
        RuleDraft {
            name: "Shanghai tea".into(),
            conditions: Conditions::default(),
            strategy: Strategy::Nearest,
            split: SplitPolicy::AllowSplit,
        }
    }

    /// `(path, code)` of each problem, in order.
    fn problems(draft: RuleDraft) -> Vec<(String, String)> {
        validate_rule("r1".into(), draft, &known())
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(path, code)| (path.to_string(), code.to_string()))
            .collect()
    }

    #[test]
    fn a_valid_draft_becomes_the_rule_with_its_id_and_trimmed_name() {
        let rule = validate_rule(
            "r1".into(),
            RuleDraft {
                name: "  Shanghai tea ".into(),
                ..draft()
            },
            &known(),
        )
        .unwrap();
        assert_eq!(
            rule,
            Rule {
                id: "r1".into(),
                name: "Shanghai tea".into(),
                conditions: Conditions::default(),
                strategy: Strategy::Nearest,
                split: SplitPolicy::AllowSplit,
            }
        );
    }

    #[test]
    fn condition_values_are_trimmed_deduplicated_and_countries_upper_cased() {
        let rule = validate_rule(
            "r1".into(),
            RuleDraft {
                conditions: Conditions {
                    countries: codes(&[" cn", "CN", "", "hk "]),
                    regions: codes(&["Shanghai", " shanghai ", "  ", "Zhejiang"]),
                    categories: codes(&["tea ", "tea", "Tea"]),
                    skus: codes(&["", " TEA-01"]),
                    channels: codes(&["tmall", "tmall", " jd"]),
                    tags: codes(&[" vip", "vip "]),
                    special_requests: vec![K::GiftWrap, K::Invoice, K::GiftWrap],
                },
                ..draft()
            },
            &known(),
        )
        .unwrap();
        assert_eq!(
            rule.conditions,
            Conditions {
                countries: codes(&["CN", "HK"]),
                regions: codes(&["Shanghai", "Zhejiang"]),
                categories: codes(&["tea", "Tea"]),
                skus: codes(&["TEA-01"]),
                channels: codes(&["tmall", "jd"]),
                tags: codes(&["vip"]),
                special_requests: vec![K::GiftWrap, K::Invoice],
            }
        );
    }

    #[test]
    fn a_fixed_list_is_stored_as_the_warehouses_are_known() {
        let rule = validate_rule(
            "r1".into(),
            RuleDraft {
                strategy: fixed(&[" bj1", "SH1"]),
                ..draft()
            },
            &known(),
        )
        .unwrap();
        assert_eq!(rule.strategy, fixed(&["BJ1", "SH1"]));
    }

    #[test]
    fn a_rule_needs_a_name_of_at_most_100_characters() {
        let named = |name: &str| RuleDraft {
            name: name.into(),
            ..draft()
        };
        assert_eq!(problems(named("   ")), pairs(&[("name", "REQUIRED")]));
        assert_eq!(
            problems(named(&"仓".repeat(101))),
            pairs(&[("name", "TOO_LONG")])
        );
        assert!(validate_rule("r1".into(), named(&"仓".repeat(100)), &known()).is_ok());
        let too_long = validate_rule("r1".into(), named(&"x".repeat(101)), &known()).unwrap_err();
        assert_eq!(too_long[0].message, "must be at most 100 characters");
    }

    #[test]
    fn a_fixed_list_needs_at_least_one_warehouse() {
        let problems = validate_rule(
            "r1".into(),
            RuleDraft {
                strategy: fixed(&[]),
                ..draft()
            },
            &known(),
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [FieldProblem::new(
                "strategy.warehouses",
                "REQUIRED",
                "list at least one warehouse"
            )]
        );
    }

    #[test]
    fn a_fixed_list_may_name_only_known_warehouses_each_once() {
        let problems = validate_rule(
            "r1".into(),
            RuleDraft {
                strategy: fixed(&["SH1", "XY9", "sh1", " ", "BJ1"]),
                ..draft()
            },
            &known(),
        )
        .unwrap_err();
        assert_eq!(
            problems,
            [
                FieldProblem::new(
                    "strategy.warehouses[1]",
                    "UNKNOWN_WAREHOUSE",
                    "warehouse XY9 is not known"
                ),
                FieldProblem::new(
                    "strategy.warehouses[2]",
                    "DUPLICATE",
                    "warehouse SH1 is already in the list"
                ),
                FieldProblem::new(
                    "strategy.warehouses[3]",
                    "REQUIRED",
                    "give a warehouse code"
                ),
            ]
        );
    }

    #[test]
    fn at_most_needs_at_least_one_shipment() {
        let at_most = |shipments| RuleDraft {
            split: SplitPolicy::AtMost { shipments },
            ..draft()
        };
        assert_eq!(
            problems(at_most(0)),
            pairs(&[("split.shipments", "MUST_BE_POSITIVE")])
        );
        assert!(validate_rule("r1".into(), at_most(1), &known()).is_ok());
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let all_wrong = RuleDraft {
            name: String::new(),
            conditions: Conditions::default(),
            strategy: fixed(&["XY9", "XY9"]),
            split: SplitPolicy::AtMost { shipments: 0 },
        };
        assert_eq!(
            problems(all_wrong),
            pairs(&[
                ("name", "REQUIRED"),
                ("strategy.warehouses[0]", "UNKNOWN_WAREHOUSE"),
                ("strategy.warehouses[1]", "UNKNOWN_WAREHOUSE"),
                ("split.shipments", "MUST_BE_POSITIVE"),
            ])
        );
    }

    #[test]
    fn strategies_without_a_list_need_no_warehouses() {
        for strategy in [Strategy::Nearest, Strategy::MostStock, Strategy::LowestCost] {
            let rule = validate_rule(
                "r1".into(),
                RuleDraft {
                    strategy: strategy.clone(),
                    ..draft()
                },
                &[],
            )
            .unwrap();
            assert_eq!(rule.strategy, strategy);
        }
    }
}
