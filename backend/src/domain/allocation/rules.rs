//! Allocation rules as warehouse managers configure them: conditions an order must meet, a
//! strategy that ranks the warehouses and a split policy that fills the order from the ranking.
//! Conditions explain themselves, because the console's dry run has to say in plain sentences
//! why each rule did or did not match.

use serde::{Deserialize, Serialize};

use super::facts::{OrderFacts, SpecialRequestKind, special_request_label};

/// The conditions a rule puts on an order. An empty list accepts any order; a non-empty list
/// holds when the order has any one of its values; the rule matches when every list holds.
///
/// - `countries`, `regions`: the destination's country and region, compared trimmed and
///   case-insensitively. A destination without a region fails a region condition.
/// - `categories`: at least one order line is in one of the categories.
/// - `skus`: at least one order line has one of the SKUs.
/// - `channels`: the order came through one of the channels (by channel code).
/// - `tags`: the order has at least one of the tags.
/// - `special_requests`: the order has at least one of the special request kinds.
///
/// Categories, SKUs, channels and tags are codes: compared trimmed, but case-sensitively.
/// Stored as JSON in camelCase; a missing list reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Conditions {
    /// ISO country codes of the destination, e.g. `CN`.
    pub countries: Vec<String>,
    /// Regions (provinces, states) of the destination.
    pub regions: Vec<String>,
    /// Product category codes.
    pub categories: Vec<String>,
    /// Product SKUs.
    pub skus: Vec<String>,
    /// Sales channel codes.
    pub channels: Vec<String>,
    /// Order tags.
    pub tags: Vec<String>,
    /// Special request kinds.
    pub special_requests: Vec<SpecialRequestKind>,
}

/// How a rule ranks the warehouses it may ship from. Every strategy breaks ties by warehouse
/// code, ascending, so the same facts always give the same ranking.
///
/// Stored as JSON tagged by `kind`: `{"kind":"FIXED_LIST","warehouses":["SH1","BJ1"]}`,
/// `{"kind":"NEAREST"}`, `{"kind":"MOST_STOCK"}`, `{"kind":"LOWEST_COST"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Strategy {
    /// The listed warehouses in list order; codes no known warehouse has are skipped.
    FixedList {
        /// Warehouse codes, highest priority first.
        warehouses: Vec<String>,
    },
    /// Nearest zone first: same country and region, then same country, then abroad.
    Nearest,
    /// Most of the order's units available first.
    MostStock,
    /// Cheapest to ship the whole order's weight first (see `ShippingCosts`).
    LowestCost,
}

/// How a rule fills the order from its ranking. A single warehouse that can ship the whole order
/// always wins, whatever the policy; the policy decides what happens when none can.
///
/// Stored as JSON tagged by `kind`: `{"kind":"SHIP_COMPLETE"}`, `{"kind":"ALLOW_SPLIT"}`,
/// `{"kind":"AT_MOST","shipments":2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SplitPolicy {
    /// One shipment from one warehouse; anything less is a shortage.
    ShipComplete,
    /// As many shipments as it takes, from the warehouses in rank order.
    AllowSplit,
    /// As `AllowSplit`, but never more than `shipments` shipments; the rest stays unfilled.
    AtMost {
        /// The most shipments the order may leave in; at least 1.
        shipments: u32,
    },
}

/// One allocation rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Its id, as stored.
    pub id: String,
    /// The name managers know it by.
    pub name: String,
    /// Which orders it applies to.
    pub conditions: Conditions,
    /// How it ranks warehouses.
    pub strategy: Strategy,
    /// How it fills the order from the ranking.
    pub split: SplitPolicy,
}

/// Ordered rules (only enabled ones are passed in) and the default rule that applies when none
/// matches (the default's conditions are ignored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    /// Tried in order; the first that matches decides.
    pub rules: Vec<Rule>,
    /// Applies when no rule matches.
    pub default: Rule,
}

/// Whether one rule matched an order, and why, in sentences for a warehouse manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleTrace {
    /// The rule's id.
    pub rule_id: String,
    /// The rule's name.
    pub rule_name: String,
    /// Whether the rule matched.
    pub matched: bool,
    /// For a match, why each condition holds; otherwise which conditions failed, with values.
    pub reasons: Vec<String>,
}

impl RuleTrace {
    /// The trace of a rule never looked at because an earlier one matched.
    pub(super) fn not_evaluated(rule: &Rule) -> RuleTrace {
        RuleTrace {
            rule_id: rule.id.clone(),
            rule_name: rule.name.clone(),
            matched: false,
            reasons: vec!["not evaluated: an earlier rule matched".to_string()],
        }
    }
}

impl Rule {
    /// Checks the rule's conditions against an order. A failing rule reports every condition
    /// that failed, not just the first, so a manager fixes the rule in one go.
    pub fn evaluate(&self, order: &OrderFacts) -> RuleTrace {
        let checks = self.conditions.check(order);
        let matched = checks.iter().all(Result::is_ok);
        let reasons = if checks.is_empty() {
            vec!["the rule has no conditions, so every order matches".to_string()]
        } else if matched {
            checks.into_iter().filter_map(Result::ok).collect()
        } else {
            checks.into_iter().filter_map(Result::err).collect()
        };
        RuleTrace {
            rule_id: self.id.clone(),
            rule_name: self.name.clone(),
            matched,
            reasons,
        }
    }
}

impl Conditions {
    /// One verdict per non-empty condition: `Ok(why it holds)` or `Err(why it fails)`.
    fn check(&self, order: &OrderFacts) -> Vec<Result<String, String>> {
        let mut checks = Vec::new();
        let destination = &order.destination;
        if !self.countries.is_empty() {
            let country = destination.country.trim().to_uppercase();
            checks.push(one_of("country", &country, &self.countries, same_place));
        }
        if !self.regions.is_empty() {
            checks.push(match destination.region.as_deref().map(str::trim) {
                Some(region) if !region.is_empty() => {
                    one_of("region", region, &self.regions, same_place)
                }
                _ => Err(format!(
                    "the destination has no region (the rule needs one of {})",
                    self.regions.join(", ")
                )),
            });
        }
        if !self.categories.is_empty() {
            let hit = order.lines.iter().find(|line| {
                self.categories
                    .iter()
                    .any(|category| same_code(category, &line.category))
            });
            checks.push(match hit {
                Some(line) => Ok(format!(
                    "line {} is in category {}",
                    line.sku.trim(),
                    line.category.trim()
                )),
                None => Err(format!(
                    "no line is in category {} (lines: {})",
                    self.categories.join(" or "),
                    listed(distinct(order.lines.iter().map(|l| l.category.trim())))
                )),
            });
        }
        if !self.skus.is_empty() {
            let hit = order
                .lines
                .iter()
                .find(|line| self.skus.iter().any(|sku| same_code(sku, &line.sku)));
            checks.push(match hit {
                Some(line) => Ok(format!("SKU {} is ordered", line.sku.trim())),
                None => Err(format!(
                    "no line has SKU {} (lines: {})",
                    self.skus.join(" or "),
                    listed(distinct(order.lines.iter().map(|l| l.sku.trim())))
                )),
            });
        }
        if !self.channels.is_empty() {
            checks.push(one_of(
                "channel",
                order.channel.trim(),
                &self.channels,
                same_code,
            ));
        }
        if !self.tags.is_empty() {
            let hit = order
                .tags
                .iter()
                .find(|tag| self.tags.iter().any(|wanted| same_code(wanted, tag)));
            checks.push(match hit {
                Some(tag) => Ok(format!("the order is tagged {}", tag.trim())),
                None => Err(format!(
                    "the order is not tagged {} (tags: {})",
                    self.tags.join(" or "),
                    listed(distinct(order.tags.iter().map(|t| t.trim())))
                )),
            });
        }
        if !self.special_requests.is_empty() {
            let hit = order
                .special_requests
                .iter()
                .find(|kind| self.special_requests.contains(kind));
            checks.push(match hit {
                Some(kind) => Ok(format!(
                    "the order has special request {}",
                    special_request_label(*kind)
                )),
                None => Err(format!(
                    "no special request is {} (requests: {})",
                    labels(&self.special_requests).join(" or "),
                    listed(distinct(
                        order
                            .special_requests
                            .iter()
                            .map(|k| special_request_label(*k))
                    ))
                )),
            });
        }
        checks
    }
}

/// `"{what} {value} is one of …"`, or `"… is not one of …"` when no listed value is the same.
fn one_of(
    what: &str,
    value: &str,
    allowed: &[String],
    same: fn(&str, &str) -> bool,
) -> Result<String, String> {
    let list = allowed.join(", ");
    if allowed.iter().any(|candidate| same(candidate, value)) {
        Ok(format!("{what} {value} is one of {list}"))
    } else {
        Err(format!("{what} {value} is not one of {list}"))
    }
}

/// Countries and regions: people type `cn` or ` Shanghai`; both mean the same place.
pub(super) fn same_place(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Codes (SKUs, categories, channels, tags) are exact, but stray spaces are not meaningful.
fn same_code(a: &str, b: &str) -> bool {
    a.trim() == b.trim()
}

fn labels(kinds: &[SpecialRequestKind]) -> Vec<&'static str> {
    kinds
        .iter()
        .map(|kind| special_request_label(*kind))
        .collect()
}

/// The values once each, in first-seen order.
fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = Vec::new();
    for value in values {
        if !seen.contains(&value) {
            seen.push(value);
        }
    }
    seen
}

/// The order's own values for an explanation: comma-separated, or `none`.
fn listed(values: Vec<&str>) -> String {
    if values.is_empty() {
        "none".to_string()
    } else {
        values.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::allocation::testkit::{codes, line, order, rule};
    use SpecialRequestKind as K;

    /// An order of cups and a kettle, to Shanghai, through demo-store.
    fn cups_and_kettle() -> OrderFacts {
        order(vec![
            line("CUP-1", "cups", 2),
            line("CUP-2", "cups", 1),
            line("KET-2", "kettles", 1),
        ])
    }

    fn evaluate(conditions: Conditions, order: &OrderFacts) -> RuleTrace {
        rule("r1", conditions, Strategy::Nearest, SplitPolicy::AllowSplit).evaluate(order)
    }

    /// The reasons of a rule that must match.
    fn holds(conditions: Conditions, order: &OrderFacts) -> Vec<String> {
        let trace = evaluate(conditions, order);
        assert!(trace.matched, "expected a match: {:?}", trace.reasons);
        trace.reasons
    }

    /// The reasons of a rule that must not match.
    fn fails(conditions: Conditions, order: &OrderFacts) -> Vec<String> {
        let trace = evaluate(conditions, order);
        assert!(!trace.matched, "expected no match: {:?}", trace.reasons);
        trace.reasons
    }

    fn countries(values: &[&str]) -> Conditions {
        Conditions {
            countries: codes(values),
            ..Conditions::default()
        }
    }

    fn regions(values: &[&str]) -> Conditions {
        Conditions {
            regions: codes(values),
            ..Conditions::default()
        }
    }

    fn categories(values: &[&str]) -> Conditions {
        Conditions {
            categories: codes(values),
            ..Conditions::default()
        }
    }

    fn skus(values: &[&str]) -> Conditions {
        Conditions {
            skus: codes(values),
            ..Conditions::default()
        }
    }

    fn channels(values: &[&str]) -> Conditions {
        Conditions {
            channels: codes(values),
            ..Conditions::default()
        }
    }

    fn tags(values: &[&str]) -> Conditions {
        Conditions {
            tags: codes(values),
            ..Conditions::default()
        }
    }

    fn requests(values: &[SpecialRequestKind]) -> Conditions {
        Conditions {
            special_requests: values.to_vec(),
            ..Conditions::default()
        }
    }

    #[test]
    fn a_rule_without_conditions_matches_every_order() {
        let trace = evaluate(Conditions::default(), &cups_and_kettle());
        assert_eq!(
            trace,
            RuleTrace {
                rule_id: "r1".into(),
                rule_name: "rule r1".into(),
                matched: true,
                reasons: vec!["the rule has no conditions, so every order matches".into()],
            }
        );
        assert!(evaluate(Conditions::default(), &order(vec![])).matched);
    }

    #[test]
    fn country_compares_with_the_destination_ignoring_case_and_spaces() {
        let mut to_cn = cups_and_kettle();
        to_cn.destination.country = " cn ".into();
        assert_eq!(
            holds(countries(&["HK", "CN"]), &to_cn),
            ["country CN is one of HK, CN"]
        );
        assert_eq!(
            fails(countries(&["US", "CA"]), &to_cn),
            ["country CN is not one of US, CA"]
        );
    }

    #[test]
    fn region_compares_with_the_destination_ignoring_case_and_spaces() {
        let mut order = cups_and_kettle();
        order.destination.region = Some(" shanghai".into());
        assert_eq!(
            holds(regions(&["Beijing", "Shanghai"]), &order),
            ["region shanghai is one of Beijing, Shanghai"]
        );
        order.destination.region = Some("Zhejiang".into());
        assert_eq!(
            fails(regions(&["Shanghai", "Beijing"]), &order),
            ["region Zhejiang is not one of Shanghai, Beijing"]
        );
    }

    #[test]
    fn a_destination_without_a_region_fails_a_region_condition() {
        for region in [None, Some("  ".to_string())] {
            let mut order = cups_and_kettle();
            order.destination.region = region;
            assert_eq!(
                fails(regions(&["Shanghai"]), &order),
                ["the destination has no region (the rule needs one of Shanghai)"]
            );
        }
    }

    #[test]
    fn category_holds_when_any_line_is_in_one_of_the_categories() {
        let order = cups_and_kettle();
        assert_eq!(
            holds(categories(&["tea", "kettles"]), &order),
            ["line KET-2 is in category kettles"]
        );
        assert_eq!(
            fails(categories(&["tea"]), &order),
            ["no line is in category tea (lines: cups, kettles)"]
        );
        assert_eq!(
            fails(categories(&["tea", "coffee"]), &order),
            ["no line is in category tea or coffee (lines: cups, kettles)"]
        );
    }

    #[test]
    fn categories_skus_channels_and_tags_are_codes_compared_with_their_case() {
        let mut order = cups_and_kettle();
        order.tags = codes(&["vip"]);
        fails(categories(&["Cups"]), &order);
        fails(skus(&["cup-1"]), &order);
        fails(channels(&["Demo-Store"]), &order);
        fails(tags(&["VIP"]), &order);
        holds(categories(&[" cups "]), &order);
    }

    #[test]
    fn an_order_without_lines_fails_line_conditions_and_says_it_has_none() {
        let empty = order(vec![]);
        assert_eq!(
            fails(categories(&["tea"]), &empty),
            ["no line is in category tea (lines: none)"]
        );
        assert_eq!(
            fails(skus(&["TEA-01"]), &empty),
            ["no line has SKU TEA-01 (lines: none)"]
        );
    }

    #[test]
    fn sku_holds_when_any_line_has_one_of_the_skus() {
        let order = cups_and_kettle();
        assert_eq!(
            holds(skus(&["KET-2", "CUP-2"]), &order),
            ["SKU CUP-2 is ordered"]
        );
        assert_eq!(
            fails(skus(&["TEA-01", "TEA-02"]), &order),
            ["no line has SKU TEA-01 or TEA-02 (lines: CUP-1, CUP-2, KET-2)"]
        );
    }

    #[test]
    fn channel_compares_with_the_orders_channel_code() {
        let mut order = cups_and_kettle();
        assert_eq!(
            fails(channels(&["tmall"]), &order),
            ["channel demo-store is not one of tmall"]
        );
        order.channel = "tmall".into();
        assert_eq!(
            holds(channels(&["jd", "tmall"]), &order),
            ["channel tmall is one of jd, tmall"]
        );
    }

    #[test]
    fn tag_holds_when_the_order_has_any_of_the_tags() {
        let mut order = cups_and_kettle();
        assert_eq!(
            fails(tags(&["vip"]), &order),
            ["the order is not tagged vip (tags: none)"]
        );
        order.tags = codes(&["rush", "vip"]);
        assert_eq!(
            holds(tags(&["gift", "vip"]), &order),
            ["the order is tagged vip"]
        );
        order.tags = codes(&["rush"]);
        assert_eq!(
            fails(tags(&["vip", "gift"]), &order),
            ["the order is not tagged vip or gift (tags: rush)"]
        );
    }

    #[test]
    fn special_request_holds_when_the_order_has_any_of_the_kinds() {
        let mut order = cups_and_kettle();
        assert_eq!(
            fails(requests(&[K::GiftWrap, K::Invoice]), &order),
            ["no special request is gift wrap or invoice (requests: none)"]
        );
        order.special_requests = vec![K::DeliveryWindow];
        assert_eq!(
            fails(requests(&[K::GiftWrap, K::GiftMessage]), &order),
            ["no special request is gift wrap or gift message (requests: delivery window)"]
        );
        order.special_requests = vec![K::DeliveryWindow, K::Invoice];
        assert_eq!(
            holds(requests(&[K::GiftWrap, K::Invoice]), &order),
            ["the order has special request invoice"]
        );
    }

    #[test]
    fn a_match_needs_every_condition_and_lists_why_each_holds() {
        let mut order = cups_and_kettle();
        order.channel = "tmall".into();
        order.tags = codes(&["vip"]);
        order.special_requests = vec![K::GiftWrap];
        let all = Conditions {
            countries: codes(&["CN"]),
            regions: codes(&["Shanghai"]),
            categories: codes(&["kettles"]),
            skus: codes(&["CUP-1"]),
            channels: codes(&["tmall"]),
            tags: codes(&["vip"]),
            special_requests: vec![K::GiftWrap],
        };
        assert_eq!(
            holds(all.clone(), &order),
            [
                "country CN is one of CN",
                "region Shanghai is one of Shanghai",
                "line KET-2 is in category kettles",
                "SKU CUP-1 is ordered",
                "channel tmall is one of tmall",
                "the order is tagged vip",
                "the order has special request gift wrap",
            ]
        );
        let one_off = Conditions {
            channels: codes(&["jd"]),
            ..all
        };
        assert_eq!(fails(one_off, &order), ["channel tmall is not one of jd"]);
    }

    #[test]
    fn a_failing_rule_names_every_condition_that_failed() {
        let conditions = Conditions {
            countries: codes(&["US"]),
            categories: codes(&["cups"]),
            channels: codes(&["tmall"]),
            tags: codes(&["vip"]),
            ..Conditions::default()
        };
        assert_eq!(
            fails(conditions, &cups_and_kettle()),
            [
                "country CN is not one of US",
                "channel demo-store is not one of tmall",
                "the order is not tagged vip (tags: none)",
            ]
        );
    }

    #[test]
    fn conditions_are_stored_as_camel_case_json_and_missing_lists_read_as_empty() {
        let conditions = Conditions {
            countries: codes(&["CN"]),
            special_requests: vec![K::GiftWrap, K::DeliveryWindow],
            ..Conditions::default()
        };
        let json = serde_json::to_value(&conditions).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "countries": ["CN"],
                "regions": [],
                "categories": [],
                "skus": [],
                "channels": [],
                "tags": [],
                "specialRequests": ["GIFT_WRAP", "DELIVERY_WINDOW"],
            })
        );
        assert_eq!(
            serde_json::from_value::<Conditions>(json).unwrap(),
            conditions
        );
        let sparse: Conditions = serde_json::from_str(
            r#"{"countries":["CN"],"specialRequests":["GIFT_WRAP","DELIVERY_WINDOW"]}"#,
        )
        .unwrap();
        assert_eq!(sparse, conditions);
        assert_eq!(
            serde_json::from_str::<Conditions>("{}").unwrap(),
            Conditions::default()
        );
    }

    #[test]
    fn strategies_and_split_policies_are_stored_as_json_tagged_by_kind() {
        let shapes = [
            (
                serde_json::to_string(&Strategy::FixedList {
                    warehouses: codes(&["SH1", "BJ1"]),
                }),
                r#"{"kind":"FIXED_LIST","warehouses":["SH1","BJ1"]}"#,
            ),
            (
                serde_json::to_string(&Strategy::Nearest),
                r#"{"kind":"NEAREST"}"#,
            ),
            (
                serde_json::to_string(&Strategy::MostStock),
                r#"{"kind":"MOST_STOCK"}"#,
            ),
            (
                serde_json::to_string(&Strategy::LowestCost),
                r#"{"kind":"LOWEST_COST"}"#,
            ),
            (
                serde_json::to_string(&SplitPolicy::ShipComplete),
                r#"{"kind":"SHIP_COMPLETE"}"#,
            ),
            (
                serde_json::to_string(&SplitPolicy::AllowSplit),
                r#"{"kind":"ALLOW_SPLIT"}"#,
            ),
            (
                serde_json::to_string(&SplitPolicy::AtMost { shipments: 2 }),
                r#"{"kind":"AT_MOST","shipments":2}"#,
            ),
        ];
        for (serialised, expected) in shapes {
            assert_eq!(serialised.unwrap(), expected);
        }
        for strategy in [
            Strategy::FixedList {
                warehouses: codes(&["SH1", "BJ1"]),
            },
            Strategy::Nearest,
            Strategy::MostStock,
            Strategy::LowestCost,
        ] {
            let json = serde_json::to_string(&strategy).unwrap();
            assert_eq!(serde_json::from_str::<Strategy>(&json).unwrap(), strategy);
        }
        for split in [
            SplitPolicy::ShipComplete,
            SplitPolicy::AllowSplit,
            SplitPolicy::AtMost { shipments: 3 },
        ] {
            let json = serde_json::to_string(&split).unwrap();
            assert_eq!(serde_json::from_str::<SplitPolicy>(&json).unwrap(), split);
        }
    }

    #[test]
    fn special_request_kinds_are_stored_in_screaming_snake_case() {
        let all = [K::DeliveryWindow, K::GiftWrap, K::GiftMessage, K::Invoice];
        let json = serde_json::to_string(&all).unwrap();
        assert_eq!(
            json,
            r#"["DELIVERY_WINDOW","GIFT_WRAP","GIFT_MESSAGE","INVOICE"]"#
        );
        assert_eq!(
            serde_json::from_str::<Vec<SpecialRequestKind>>(&json).unwrap(),
            all
        );
    }
}
