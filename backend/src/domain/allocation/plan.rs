//! From a rule to a plan: the strategy ranks the warehouses, then the split policy fills the
//! order from that ranking. Both leave notes on what they did, for the console's dry run.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use super::facts::{
    Destination, LineFacts, OrderFacts, ShippingCosts, StockSnapshot, WarehouseInfo,
};
use super::rules::{SplitPolicy, Strategy, same_place};

/// Units of one SKU: a line of a shipment, or what could not be shipped of an order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedLine {
    /// The SKU.
    pub sku: String,
    /// Units; never 0.
    pub quantity: u32,
}

/// One shipment: what leaves one warehouse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedShipment {
    /// The warehouse's code.
    pub warehouse: String,
    /// In order-line order; never empty.
    pub lines: Vec<PlannedLine>,
}

/// Where an order's units would come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The warehouse codes the strategy considered, best first.
    pub ranking: Vec<String>,
    /// At most one per warehouse, in rank order.
    pub shipments: Vec<PlannedShipment>,
    /// Units no shipment covers, per order line, in order-line order.
    pub unfilled: Vec<PlannedLine>,
}

impl Plan {
    /// Whether every ordered unit has a shipment.
    pub fn is_complete(&self) -> bool {
        self.unfilled.is_empty()
    }
}

/// Warehouse codes in the order a strategy considers them, with remarks for the dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ranking {
    pub(super) warehouses: Vec<String>,
    pub(super) notes: Vec<String>,
}

/// Ranks the known warehouses by the strategy; ties go to the lower warehouse code.
pub(super) fn rank(
    strategy: &Strategy,
    order: &OrderFacts,
    warehouses: &[WarehouseInfo],
    stock: &StockSnapshot,
    costs: &ShippingCosts,
) -> Ranking {
    match strategy {
        Strategy::FixedList { warehouses: listed } => {
            let mut ranking: Vec<String> = Vec::with_capacity(listed.len());
            let mut notes = Vec::new();
            for code in listed {
                if !warehouses.iter().any(|w| w.code == *code) {
                    notes.push(format!("warehouse {code} is not known; skipped"));
                } else if !ranking.contains(code) {
                    // Validation refuses repeats; one that reached storage anyway ranks once.
                    ranking.push(code.clone());
                }
            }
            Ranking {
                warehouses: ranking,
                notes,
            }
        }
        Strategy::Nearest => {
            let ranked = ranked_by(warehouses, |w| Zone::of(w, &order.destination));
            explained("nearest first", ranked, |zone| zone.label().to_string())
        }
        Strategy::MostStock => {
            let demand = demand(&order.lines);
            let ordered: u64 = demand.values().map(|&q| u64::from(q)).sum();
            let ranked = ranked_by(warehouses, |w| {
                let units: u64 = demand
                    .iter()
                    .map(|(sku, &q)| u64::from(stock.available(&w.code, sku).min(q)))
                    .sum();
                Reverse(units)
            });
            explained("most stock first", ranked, |Reverse(units)| {
                format!("{units} of {}", units_text(ordered))
            })
        }
        Strategy::LowestCost => {
            let kg = order.weight_g().div_ceil(1000);
            let weight_cost = costs
                .per_kg_minor
                .saturating_mul(i64::try_from(kg).unwrap_or(i64::MAX));
            let ranked = ranked_by(warehouses, |w| {
                Zone::of(w, &order.destination)
                    .base(costs)
                    .saturating_add(weight_cost)
            });
            explained(&format!("cheapest first for {kg} kg"), ranked, |cost| {
                format!("costs {cost}")
            })
        }
    }
}

/// How far a warehouse is from the destination, nearest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    SameRegion,
    SameCountry,
    Abroad,
}

impl Zone {
    fn of(warehouse: &WarehouseInfo, destination: &Destination) -> Zone {
        if !same_place(&warehouse.country, &destination.country) {
            return Zone::Abroad;
        }
        match (&warehouse.region, &destination.region) {
            (Some(a), Some(b)) if same_place(a, b) => Zone::SameRegion,
            _ => Zone::SameCountry,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Zone::SameRegion => "same region",
            Zone::SameCountry => "same country",
            Zone::Abroad => "abroad",
        }
    }

    fn base(self, costs: &ShippingCosts) -> i64 {
        match self {
            Zone::SameRegion => costs.same_region_minor,
            Zone::SameCountry => costs.same_country_minor,
            Zone::Abroad => costs.international_minor,
        }
    }
}

/// The warehouses with their sort key, by key and then code.
fn ranked_by<K: Ord>(
    warehouses: &[WarehouseInfo],
    key: impl Fn(&WarehouseInfo) -> K,
) -> Vec<(String, K)> {
    let mut ranked: Vec<(String, K)> = warehouses
        .iter()
        .map(|w| (w.code.clone(), key(w)))
        .collect();
    ranked.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    ranked
}

/// A ranking with one note listing each warehouse and what placed it there.
fn explained<K>(heading: &str, ranked: Vec<(String, K)>, why: impl Fn(&K) -> String) -> Ranking {
    let mut notes = Vec::new();
    if !ranked.is_empty() {
        let each: Vec<String> = ranked
            .iter()
            .map(|(code, key)| format!("{code} ({})", why(key)))
            .collect();
        notes.push(format!("{heading}: {}", each.join(", ")));
    }
    Ranking {
        warehouses: ranked.into_iter().map(|(code, _)| code).collect(),
        notes,
    }
}

/// Units ordered per SKU; an order may list one SKU on several lines.
fn demand(lines: &[LineFacts]) -> BTreeMap<&str, u32> {
    let mut demand = BTreeMap::new();
    for line in lines {
        let units: &mut u32 = demand.entry(line.sku.as_str()).or_default();
        *units = units.saturating_add(line.quantity);
    }
    demand
}

/// Shipments and shortfall of an order under a split policy, with remarks for the dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Filling {
    pub(super) shipments: Vec<PlannedShipment>,
    pub(super) unfilled: Vec<PlannedLine>,
    pub(super) notes: Vec<String>,
}

/// Fills the order from the ranked warehouses. One warehouse that can ship everything wins
/// under every policy, even below warehouses that rank higher but can ship only part: one
/// parcel beats several. Only when none can does the split policy decide.
pub(super) fn fill(
    lines: &[LineFacts],
    ranking: &[String],
    split: &SplitPolicy,
    stock: &StockSnapshot,
) -> Filling {
    let ordered: Vec<u32> = lines.iter().map(|line| line.quantity).collect();
    let total = sum(&ordered);
    if total == 0 {
        return Filling {
            shipments: Vec::new(),
            unfilled: Vec::new(),
            notes: Vec::new(),
        };
    }
    if let Some(index) = ranking
        .iter()
        .position(|w| offer(w, lines, &ordered, stock) == ordered)
    {
        let warehouse = &ranking[index];
        let note = match &ranking[..index] {
            [] => format!("{warehouse} can ship the whole order"),
            [one] => {
                format!("{warehouse} can ship the whole order alone; {one} ranks higher but cannot")
            }
            higher => format!(
                "{warehouse} can ship the whole order alone; {} rank higher but cannot",
                higher.join(", ")
            ),
        };
        return Filling {
            shipments: vec![shipment(warehouse, lines, &ordered)],
            unfilled: Vec::new(),
            notes: vec![note],
        };
    }

    let mut shipments: Vec<PlannedShipment> = Vec::new();
    let mut missing = ordered.clone();
    let mut notes = Vec::new();
    match split {
        SplitPolicy::ShipComplete => {
            // The partial plan: the one warehouse covering the most units (the higher-ranked
            // on a tie), for the out-of-stock policies to weigh against waiting.
            let mut best: Option<(&String, Vec<u32>)> = None;
            for warehouse in ranking {
                let offered = offer(warehouse, lines, &ordered, stock);
                if sum(&offered) > best.as_ref().map_or(0, |(_, b)| sum(b)) {
                    best = Some((warehouse, offered));
                }
            }
            if let Some((warehouse, offered)) = best {
                take(&mut missing, &offered);
                notes.push(format!(
                    "no single warehouse can ship the whole order, and the rule ships complete \
                     only; {warehouse} can ship the most: {} of {}",
                    sum(&offered),
                    units_text(total)
                ));
                shipments.push(shipment(warehouse, lines, &offered));
            }
        }
        SplitPolicy::AllowSplit | SplitPolicy::AtMost { .. } => {
            let limit = match split {
                // Validation refuses 0; a stored 0 still lets one shipment go, as the
                // single-warehouse case above always does.
                SplitPolicy::AtMost { shipments } => Some((*shipments).max(1)),
                _ => None,
            };
            let mut stopped_by_limit = false;
            for warehouse in ranking {
                if sum(&missing) == 0 {
                    break;
                }
                let offered = offer(warehouse, lines, &missing, stock);
                if sum(&offered) == 0 {
                    continue;
                }
                if limit.is_some_and(|n| shipments.len() >= n as usize) {
                    stopped_by_limit = true;
                    break;
                }
                take(&mut missing, &offered);
                shipments.push(shipment(warehouse, lines, &offered));
            }
            match shipments.as_slice() {
                [] => {}
                [only] => notes.push(format!(
                    "no single warehouse can ship the whole order; {} ships what it can",
                    only.warehouse
                )),
                several => notes.push(format!(
                    "no single warehouse can ship the whole order; split across {}",
                    several.len()
                )),
            }
            let short = sum(&missing);
            if short > 0 && !shipments.is_empty() {
                let why = match limit {
                    Some(n) if stopped_by_limit => format!(
                        "the rule allows at most {}",
                        plural(u64::from(n), "shipment", "shipments")
                    ),
                    _ => "the ranked warehouses do not hold enough".to_string(),
                };
                notes.push(format!(
                    "{short} of {} stay unfilled: {why}",
                    units_text(total)
                ));
            }
        }
    }
    if shipments.is_empty() {
        notes.push(if ranking.is_empty() {
            "no warehouse to ship from".to_string()
        } else {
            "none of the ranked warehouses has any of the ordered items".to_string()
        });
    }
    Filling {
        shipments,
        unfilled: planned_lines(lines, &missing),
        notes,
    }
}

/// What `warehouse` can give towards `wanted`, per line. Lines of one SKU share its stock, so
/// two lines never count the same unit twice.
fn offer(warehouse: &str, lines: &[LineFacts], wanted: &[u32], stock: &StockSnapshot) -> Vec<u32> {
    let mut left: BTreeMap<&str, u32> = BTreeMap::new();
    lines
        .iter()
        .zip(wanted)
        .map(|(line, &want)| {
            let have = left
                .entry(line.sku.as_str())
                .or_insert_with(|| stock.available(warehouse, &line.sku));
            let give = want.min(*have);
            *have -= give;
            give
        })
        .collect()
}

fn take(missing: &mut [u32], taken: &[u32]) {
    for (m, t) in missing.iter_mut().zip(taken) {
        *m -= t;
    }
}

fn shipment(warehouse: &str, lines: &[LineFacts], quantities: &[u32]) -> PlannedShipment {
    PlannedShipment {
        warehouse: warehouse.to_string(),
        lines: planned_lines(lines, quantities),
    }
}

/// The lines with a non-zero quantity, in order-line order.
fn planned_lines(lines: &[LineFacts], quantities: &[u32]) -> Vec<PlannedLine> {
    lines
        .iter()
        .zip(quantities)
        .filter(|(_, q)| **q > 0)
        .map(|(line, &quantity)| PlannedLine {
            sku: line.sku.clone(),
            quantity,
        })
        .collect()
}

fn sum(quantities: &[u32]) -> u64 {
    quantities.iter().map(|&q| u64::from(q)).sum()
}

fn units_text(n: u64) -> String {
    plural(n, "unit", "units")
}

fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::allocation::testkit::{codes, costs, fixed, line, order, stock, warehouse};

    /// SH1, SH2 in Shanghai, BJ1 in Beijing, GZ1 in China without a region, US1 abroad.
    fn warehouses() -> Vec<WarehouseInfo> {
        vec![
            warehouse("SH2", "CN", Some("Shanghai")),
            warehouse("US1", "US", Some("California")),
            warehouse("BJ1", "CN", Some("Beijing")),
            warehouse("SH1", "cn", Some("shanghai")),
            warehouse("GZ1", "CN", None),
        ]
    }

    fn ranked(strategy: &Strategy, order: &OrderFacts, stock: &StockSnapshot) -> Ranking {
        rank(strategy, order, &warehouses(), stock, &costs())
    }

    fn shipment_of(warehouse: &str, lines: &[(&str, u32)]) -> PlannedShipment {
        PlannedShipment {
            warehouse: warehouse.to_string(),
            lines: planned(lines),
        }
    }

    fn planned(lines: &[(&str, u32)]) -> Vec<PlannedLine> {
        lines
            .iter()
            .map(|(sku, quantity)| PlannedLine {
                sku: sku.to_string(),
                quantity: *quantity,
            })
            .collect()
    }

    const ALL_POLICIES: [SplitPolicy; 4] = [
        SplitPolicy::ShipComplete,
        SplitPolicy::AllowSplit,
        SplitPolicy::AtMost { shipments: 1 },
        SplitPolicy::AtMost { shipments: 2 },
    ];

    #[test]
    fn a_fixed_list_ranks_in_list_order_and_skips_unknown_warehouses() {
        let ranking = ranked(
            &fixed(&["US1", "XY9", "SH2", "BJ1", "ZZ1"]),
            &order(vec![line("TEA", "tea", 1)]),
            &stock(&[]),
        );
        assert_eq!(ranking.warehouses, ["US1", "SH2", "BJ1"]);
        assert_eq!(
            ranking.notes,
            [
                "warehouse XY9 is not known; skipped",
                "warehouse ZZ1 is not known; skipped",
            ]
        );
    }

    #[test]
    fn a_warehouse_repeated_in_a_stored_fixed_list_ranks_once() {
        let ranking = ranked(
            &fixed(&["BJ1", "SH1", "BJ1"]),
            &order(vec![line("TEA", "tea", 1)]),
            &stock(&[]),
        );
        assert_eq!(ranking.warehouses, ["BJ1", "SH1"]);
        assert!(ranking.notes.is_empty());
    }

    #[test]
    fn nearest_ranks_same_region_then_same_country_then_abroad_with_ties_by_code() {
        let ranking = ranked(
            &Strategy::Nearest,
            &order(vec![line("TEA", "tea", 1)]),
            &stock(&[]),
        );
        assert_eq!(ranking.warehouses, ["SH1", "SH2", "BJ1", "GZ1", "US1"]);
        assert_eq!(
            ranking.notes,
            [
                "nearest first: SH1 (same region), SH2 (same region), BJ1 (same country), \
              GZ1 (same country), US1 (abroad)"
            ]
        );
    }

    #[test]
    fn nearest_to_a_destination_without_region_treats_the_whole_country_alike() {
        let mut to_cn = order(vec![line("TEA", "tea", 1)]);
        to_cn.destination.region = None;
        let ranking = ranked(&Strategy::Nearest, &to_cn, &stock(&[]));
        assert_eq!(ranking.warehouses, ["BJ1", "GZ1", "SH1", "SH2", "US1"]);
    }

    #[test]
    fn most_stock_counts_units_capped_at_what_is_ordered_with_ties_by_code() {
        let order = order(vec![line("TEA", "tea", 3), line("CUP", "cups", 2)]);
        let snapshot = stock(&[
            // 100 tea but no cups still counts only the 3 ordered.
            ("US1", "TEA", 100),
            ("SH2", "TEA", 3),
            ("SH2", "CUP", 1),
            ("BJ1", "TEA", 2),
            ("BJ1", "CUP", 2),
            ("GZ1", "CUP", 2),
        ]);
        let ranking = ranked(&Strategy::MostStock, &order, &snapshot);
        assert_eq!(ranking.warehouses, ["BJ1", "SH2", "US1", "GZ1", "SH1"]);
        assert_eq!(
            ranking.notes,
            [
                "most stock first: BJ1 (4 of 5 units), SH2 (4 of 5 units), US1 (3 of 5 units), \
              GZ1 (2 of 5 units), SH1 (0 of 5 units)"
            ]
        );
    }

    #[test]
    fn most_stock_adds_up_lines_of_the_same_sku_before_capping() {
        let order = order(vec![line("TEA", "tea", 2), line("TEA", "tea", 2)]);
        let snapshot = stock(&[("SH1", "TEA", 3), ("BJ1", "TEA", 4), ("US1", "TEA", 9)]);
        let ranking = ranked(&Strategy::MostStock, &order, &snapshot);
        assert_eq!(ranking.warehouses[..3], ["BJ1", "US1", "SH1"]);
    }

    #[test]
    fn lowest_cost_ranks_by_zone_base_plus_started_kilograms_with_ties_by_code() {
        // 3 × 500 g = 1.5 kg: 2 started kilograms at 3.00 each.
        let order = order(vec![line("TEA", "tea", 3)]);
        let ranking = ranked(&Strategy::LowestCost, &order, &stock(&[]));
        assert_eq!(ranking.warehouses, ["SH1", "SH2", "BJ1", "GZ1", "US1"]);
        assert_eq!(
            ranking.notes,
            [
                "cheapest first for 2 kg: SH1 (costs 1400), SH2 (costs 1400), BJ1 (costs 1800), \
              GZ1 (costs 1800), US1 (costs 5600)"
            ]
        );
    }

    #[test]
    fn lowest_cost_follows_the_prices_not_the_distance() {
        let odd_prices = ShippingCosts {
            same_region_minor: 2000,
            same_country_minor: 1000,
            international_minor: 1500,
            per_kg_minor: 100,
        };
        let order = order(vec![line("TEA", "tea", 1)]);
        let ranking = rank(
            &Strategy::LowestCost,
            &order,
            &warehouses(),
            &stock(&[]),
            &odd_prices,
        );
        assert_eq!(ranking.warehouses, ["BJ1", "GZ1", "US1", "SH1", "SH2"]);
        assert_eq!(
            ranking.notes,
            [
                "cheapest first for 1 kg: BJ1 (costs 1100), GZ1 (costs 1100), US1 (costs 1600), \
              SH1 (costs 2100), SH2 (costs 2100)"
            ]
        );
    }

    #[test]
    fn weight_is_charged_per_started_kilogram() {
        for (grams, kg) in [(0, 0), (1, 1), (1000, 1), (1001, 2), (2500, 3)] {
            let mut order = order(vec![line("TEA", "tea", 1)]);
            order.lines[0].unit_weight_g = grams;
            let ranking = rank(
                &Strategy::LowestCost,
                &order,
                &[warehouse("SH1", "CN", Some("Shanghai"))],
                &stock(&[]),
                &costs(),
            );
            assert_eq!(
                ranking.notes,
                [format!(
                    "cheapest first for {kg} kg: SH1 (costs {})",
                    800 + 300 * kg
                )],
                "{grams} g"
            );
        }
    }

    #[test]
    fn a_computed_ranking_of_no_warehouses_is_empty_and_silent() {
        for strategy in [Strategy::Nearest, Strategy::MostStock, Strategy::LowestCost] {
            let ranking = rank(
                &strategy,
                &order(vec![line("TEA", "tea", 1)]),
                &[],
                &stock(&[]),
                &costs(),
            );
            assert_eq!(
                ranking,
                Ranking {
                    warehouses: vec![],
                    notes: vec![]
                }
            );
        }
    }

    #[test]
    fn one_warehouse_that_can_ship_everything_wins_over_a_split_under_every_policy() {
        let lines = vec![line("TEA", "tea", 4), line("CUP", "cups", 2)];
        // SH1 ranks first but has only part; BJ1 has it all.
        let snapshot = stock(&[
            ("SH1", "TEA", 4),
            ("SH1", "CUP", 1),
            ("BJ1", "TEA", 5),
            ("BJ1", "CUP", 2),
            ("GZ1", "TEA", 9),
            ("GZ1", "CUP", 9),
        ]);
        for policy in ALL_POLICIES {
            let filling = fill(&lines, &codes(&["SH1", "BJ1", "GZ1"]), &policy, &snapshot);
            assert_eq!(
                filling,
                Filling {
                    shipments: vec![shipment_of("BJ1", &[("TEA", 4), ("CUP", 2)])],
                    unfilled: vec![],
                    notes: vec![
                        "BJ1 can ship the whole order alone; SH1 ranks higher but cannot".into()
                    ],
                },
                "{policy:?}"
            );
        }
        let later = fill(
            &lines,
            &codes(&["SH1", "US1", "GZ1"]),
            &SplitPolicy::AllowSplit,
            &snapshot,
        );
        assert_eq!(
            later.notes,
            ["GZ1 can ship the whole order alone; SH1, US1 rank higher but cannot"]
        );
    }

    #[test]
    fn the_first_ranked_warehouse_that_can_ship_everything_ships_it() {
        let lines = vec![line("TEA", "tea", 2)];
        let snapshot = stock(&[("SH1", "TEA", 2), ("BJ1", "TEA", 2)]);
        let filling = fill(
            &lines,
            &codes(&["BJ1", "SH1"]),
            &SplitPolicy::ShipComplete,
            &snapshot,
        );
        assert_eq!(filling.shipments, [shipment_of("BJ1", &[("TEA", 2)])]);
        assert_eq!(filling.notes, ["BJ1 can ship the whole order"]);
    }

    #[test]
    fn allow_split_splits_one_line_across_warehouses_in_rank_order() {
        let lines = vec![line("TEA", "tea", 10), line("CUP", "cups", 1)];
        let snapshot = stock(&[("SH1", "TEA", 6), ("BJ1", "TEA", 9), ("BJ1", "CUP", 1)]);
        let filling = fill(
            &lines,
            &codes(&["SH1", "BJ1"]),
            &SplitPolicy::AllowSplit,
            &snapshot,
        );
        assert_eq!(
            filling,
            Filling {
                shipments: vec![
                    shipment_of("SH1", &[("TEA", 6)]),
                    shipment_of("BJ1", &[("TEA", 4), ("CUP", 1)]),
                ],
                unfilled: vec![],
                notes: vec!["no single warehouse can ship the whole order; split across 2".into()],
            }
        );
    }

    #[test]
    fn warehouses_with_nothing_left_to_give_get_no_shipment() {
        let lines = vec![line("TEA", "tea", 3), line("CUP", "cups", 3)];
        let snapshot = stock(&[
            ("SH1", "TEA", 3),
            ("SH2", "TEA", 5),
            ("SH2", "CUP", 0),
            ("BJ1", "CUP", 3),
        ]);
        let filling = fill(
            &lines,
            &codes(&["SH1", "SH2", "GZ1", "BJ1"]),
            &SplitPolicy::AllowSplit,
            &snapshot,
        );
        assert_eq!(
            filling.shipments,
            [
                shipment_of("SH1", &[("TEA", 3)]),
                shipment_of("BJ1", &[("CUP", 3)]),
            ]
        );
    }

    #[test]
    fn allow_split_leaves_unfilled_what_no_ranked_warehouse_holds() {
        let lines = vec![line("TEA", "tea", 5), line("CUP", "cups", 2)];
        let snapshot = stock(&[("SH1", "TEA", 2), ("BJ1", "TEA", 1), ("US1", "CUP", 9)]);
        let filling = fill(
            &lines,
            &codes(&["SH1", "BJ1"]),
            &SplitPolicy::AllowSplit,
            &snapshot,
        );
        assert_eq!(
            filling,
            Filling {
                shipments: vec![
                    shipment_of("SH1", &[("TEA", 2)]),
                    shipment_of("BJ1", &[("TEA", 1)]),
                ],
                unfilled: planned(&[("TEA", 2), ("CUP", 2)]),
                notes: vec![
                    "no single warehouse can ship the whole order; split across 2".into(),
                    "4 of 7 units stay unfilled: the ranked warehouses do not hold enough".into(),
                ],
            }
        );
    }

    #[test]
    fn at_most_stops_at_the_limit_and_leaves_the_rest_unfilled() {
        let lines = vec![line("TEA", "tea", 6)];
        let snapshot = stock(&[("SH1", "TEA", 2), ("BJ1", "TEA", 2), ("GZ1", "TEA", 2)]);
        let ranking = codes(&["SH1", "BJ1", "GZ1"]);
        let two = fill(
            &lines,
            &ranking,
            &SplitPolicy::AtMost { shipments: 2 },
            &snapshot,
        );
        assert_eq!(
            two,
            Filling {
                shipments: vec![
                    shipment_of("SH1", &[("TEA", 2)]),
                    shipment_of("BJ1", &[("TEA", 2)]),
                ],
                unfilled: planned(&[("TEA", 2)]),
                notes: vec![
                    "no single warehouse can ship the whole order; split across 2".into(),
                    "2 of 6 units stay unfilled: the rule allows at most 2 shipments".into(),
                ],
            }
        );
        let one = fill(
            &lines,
            &ranking,
            &SplitPolicy::AtMost { shipments: 1 },
            &snapshot,
        );
        assert_eq!(one.shipments, [shipment_of("SH1", &[("TEA", 2)])]);
        assert_eq!(
            one.notes,
            [
                "no single warehouse can ship the whole order; SH1 ships what it can",
                "4 of 6 units stay unfilled: the rule allows at most 1 shipment",
            ]
        );
        let three = fill(
            &lines,
            &ranking,
            &SplitPolicy::AtMost { shipments: 3 },
            &snapshot,
        );
        assert_eq!(three.shipments.len(), 3);
        assert!(three.unfilled.is_empty());
    }

    #[test]
    fn at_most_blames_the_stock_when_the_limit_was_not_what_stopped_it() {
        let lines = vec![line("TEA", "tea", 6)];
        let snapshot = stock(&[("SH1", "TEA", 2), ("BJ1", "TEA", 2)]);
        let filling = fill(
            &lines,
            &codes(&["SH1", "BJ1", "GZ1"]),
            &SplitPolicy::AtMost { shipments: 2 },
            &snapshot,
        );
        assert_eq!(
            filling.notes[1],
            "2 of 6 units stay unfilled: the ranked warehouses do not hold enough"
        );
    }

    #[test]
    fn a_stored_limit_of_zero_shipments_still_lets_one_go() {
        let lines = vec![line("TEA", "tea", 4)];
        let snapshot = stock(&[("SH1", "TEA", 2), ("BJ1", "TEA", 2)]);
        let filling = fill(
            &lines,
            &codes(&["SH1", "BJ1"]),
            &SplitPolicy::AtMost { shipments: 0 },
            &snapshot,
        );
        assert_eq!(filling.shipments, [shipment_of("SH1", &[("TEA", 2)])]);
    }

    #[test]
    fn ship_complete_short_of_stock_plans_what_the_best_single_warehouse_can_ship() {
        let lines = vec![line("TEA", "tea", 4), line("CUP", "cups", 2)];
        let snapshot = stock(&[
            ("SH1", "TEA", 1),
            ("SH1", "CUP", 2),
            ("BJ1", "TEA", 3),
            ("BJ1", "CUP", 1),
            ("GZ1", "TEA", 4),
        ]);
        // BJ1 and GZ1 can both ship 4 of 6; BJ1 ranks higher.
        let filling = fill(
            &lines,
            &codes(&["SH1", "BJ1", "GZ1"]),
            &SplitPolicy::ShipComplete,
            &snapshot,
        );
        assert_eq!(
            filling,
            Filling {
                shipments: vec![shipment_of("BJ1", &[("TEA", 3), ("CUP", 1)])],
                unfilled: planned(&[("TEA", 1), ("CUP", 1)]),
                notes: vec![
                    "no single warehouse can ship the whole order, and the rule ships complete \
                     only; BJ1 can ship the most: 4 of 6 units"
                        .into()
                ],
            }
        );
    }

    #[test]
    fn with_no_stock_anywhere_nothing_ships_under_any_policy() {
        let lines = vec![line("TEA", "tea", 1), line("CUP", "cups", 2)];
        for policy in ALL_POLICIES {
            let filling = fill(&lines, &codes(&["SH1", "BJ1"]), &policy, &stock(&[]));
            assert_eq!(
                filling,
                Filling {
                    shipments: vec![],
                    unfilled: planned(&[("TEA", 1), ("CUP", 2)]),
                    notes: vec![
                        "none of the ranked warehouses has any of the ordered items".into()
                    ],
                },
                "{policy:?}"
            );
        }
    }

    #[test]
    fn with_no_warehouse_ranked_everything_is_unfilled() {
        let lines = vec![line("TEA", "tea", 1)];
        for policy in ALL_POLICIES {
            let filling = fill(&lines, &[], &policy, &stock(&[("SH1", "TEA", 5)]));
            assert!(filling.shipments.is_empty());
            assert_eq!(filling.unfilled, planned(&[("TEA", 1)]));
            assert_eq!(filling.notes, ["no warehouse to ship from"]);
        }
    }

    #[test]
    fn lines_of_the_same_sku_share_a_warehouses_stock() {
        let lines = vec![
            line("TEA", "tea", 2),
            line("CUP", "cups", 1),
            line("TEA", "tea", 2),
        ];
        // SH1 has 3 tea: enough for either tea line, not for both.
        let snapshot = stock(&[("SH1", "TEA", 3), ("SH1", "CUP", 1), ("BJ1", "TEA", 1)]);
        let filling = fill(
            &lines,
            &codes(&["SH1", "BJ1"]),
            &SplitPolicy::AllowSplit,
            &snapshot,
        );
        assert_eq!(
            filling.shipments,
            [
                shipment_of("SH1", &[("TEA", 2), ("CUP", 1), ("TEA", 1)]),
                shipment_of("BJ1", &[("TEA", 1)]),
            ]
        );
        assert!(filling.unfilled.is_empty());
    }

    #[test]
    fn an_order_with_nothing_to_ship_is_complete_without_shipments() {
        for lines in [vec![], vec![line("TEA", "tea", 0)]] {
            for policy in ALL_POLICIES {
                let filling = fill(
                    &lines,
                    &codes(&["SH1"]),
                    &policy,
                    &stock(&[("SH1", "TEA", 1)]),
                );
                assert_eq!(
                    filling,
                    Filling {
                        shipments: vec![],
                        unfilled: vec![],
                        notes: vec![]
                    }
                );
            }
        }
    }

    #[test]
    fn zero_quantity_lines_appear_in_no_shipment() {
        let lines = vec![line("TEA", "tea", 0), line("CUP", "cups", 1)];
        let filling = fill(
            &lines,
            &codes(&["SH1"]),
            &SplitPolicy::ShipComplete,
            &stock(&[("SH1", "CUP", 1)]),
        );
        assert_eq!(filling.shipments, [shipment_of("SH1", &[("CUP", 1)])]);
    }

    #[test]
    fn a_plan_is_complete_when_nothing_is_unfilled() {
        let mut plan = Plan {
            ranking: codes(&["SH1"]),
            shipments: vec![shipment_of("SH1", &[("TEA", 1)])],
            unfilled: vec![],
        };
        assert!(plan.is_complete());
        plan.unfilled = planned(&[("TEA", 1)]);
        assert!(!plan.is_complete());
    }
}
