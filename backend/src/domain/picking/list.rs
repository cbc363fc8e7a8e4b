//! Pick lists: the reserved units of a wave turned into tasks a picker walks in bin order
//! (SPEC §2.3). A discrete wave gets one list per shipment; a batch wave gets one list where the
//! same SKU in the same bin is one task, keeping which shipment wants how many for the put wall.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::stock::BinCode;
use orderly_shared::WaveKind;

/// Reserved units of one shipment line in one bin: what allocation put aside and picking takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickSource {
    /// The shipment the units are for.
    pub shipment_id: Uuid,
    /// The shipment line the units are for.
    pub shipment_line_id: Uuid,
    /// Where the units lie.
    #[serde(with = "super::bin_serde")]
    pub bin_code: BinCode,
    /// The SKU.
    pub sku: String,
    /// The product's name, for the picker's screen.
    pub name: String,
    /// Barcodes that identify the item (GTINs).
    pub barcodes: Vec<String>,
    /// Units reserved; sources of 0 units are ignored.
    pub quantity: u32,
    /// Handle with care.
    pub fragile: bool,
    /// Needs a second confirmation per unit.
    pub high_value: bool,
}

/// A handling instruction shown with a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HandlingFlag {
    /// Breakable: handle with care.
    Fragile,
    /// Valuable: each unit is confirmed twice.
    HighValue,
}

impl HandlingFlag {
    /// The contract's spelling, e.g. `HIGH_VALUE`.
    pub fn as_str(self) -> &'static str {
        match self {
            HandlingFlag::Fragile => "FRAGILE",
            HandlingFlag::HighValue => "HIGH_VALUE",
        }
    }
}

/// How many of a task's units one shipment line wants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskPortion {
    /// The shipment.
    pub shipment_id: Uuid,
    /// The shipment line.
    pub shipment_line_id: Uuid,
    /// Units for that line; never 0.
    pub quantity: u32,
}

/// Take `quantity` units of one SKU from one bin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickTask {
    /// Position on the walk, from 1.
    pub sequence: u32,
    /// Where to go.
    #[serde(with = "super::bin_serde")]
    pub bin_code: BinCode,
    /// What to take.
    pub sku: String,
    /// The product's name.
    pub name: String,
    /// Barcodes a scan may match, without repeats.
    pub barcodes: Vec<String>,
    /// Units to take; the sum of the portions.
    pub quantity: u32,
    /// Handling instructions, in the order `FRAGILE`, `HIGH_VALUE`.
    pub flags: Vec<HandlingFlag>,
    /// Which shipment lines the units are for, in the order the sources came.
    pub portions: Vec<TaskPortion>,
}

impl PickTask {
    /// Whether the task's units need a second confirmation each.
    pub fn is_high_value(&self) -> bool {
        self.flags.contains(&HandlingFlag::HighValue)
    }

    /// Whether the task's units are fragile.
    pub fn is_fragile(&self) -> bool {
        self.flags.contains(&HandlingFlag::Fragile)
    }
}

/// The tasks one picker walks, in path order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickList {
    /// The shipment of a discrete list; `None` for a batch list, which serves the whole wave.
    pub shipment_id: Option<Uuid>,
    /// Sorted by bin along the walking path, then SKU; sequences 1, 2, 3…
    pub tasks: Vec<PickTask>,
}

impl PickList {
    /// Units on the whole list.
    pub fn units(&self) -> u32 {
        self.tasks.iter().map(|t| t.quantity).sum()
    }
}

/// The pick lists of a wave of `kind` over its reserved units. Discrete: one list per shipment,
/// in the order shipments first appear in `sources`. Batch: one list (none if there is nothing
/// to pick). Either way, units of the same SKU in the same bin are one task.
pub fn build_pick_lists(kind: WaveKind, sources: &[PickSource]) -> Vec<PickList> {
    let sources: Vec<&PickSource> = sources.iter().filter(|s| s.quantity > 0).collect();
    match kind {
        WaveKind::Batch if sources.is_empty() => Vec::new(),
        WaveKind::Batch => vec![PickList {
            shipment_id: None,
            tasks: tasks_for(&sources),
        }],
        WaveKind::Discrete => {
            let mut shipments: Vec<Uuid> = Vec::new();
            for source in &sources {
                if !shipments.contains(&source.shipment_id) {
                    shipments.push(source.shipment_id);
                }
            }
            shipments
                .into_iter()
                .map(|shipment| {
                    let own: Vec<&PickSource> = sources
                        .iter()
                        .copied()
                        .filter(|s| s.shipment_id == shipment)
                        .collect();
                    PickList {
                        shipment_id: Some(shipment),
                        tasks: tasks_for(&own),
                    }
                })
                .collect()
        }
    }
}

/// One task per (bin, SKU), merged, in path order and numbered.
fn tasks_for(sources: &[&PickSource]) -> Vec<PickTask> {
    let mut merged: BTreeMap<(&str, &str), PickTask> = BTreeMap::new();
    for source in sources {
        let task = merged
            .entry((source.bin_code.as_str(), source.sku.as_str()))
            .or_insert_with(|| PickTask {
                sequence: 0,
                bin_code: source.bin_code.clone(),
                sku: source.sku.clone(),
                name: source.name.clone(),
                barcodes: Vec::new(),
                quantity: 0,
                flags: Vec::new(),
                portions: Vec::new(),
            });
        for barcode in &source.barcodes {
            let barcode = barcode.trim();
            if !barcode.is_empty() && !task.barcodes.iter().any(|b| b == barcode) {
                task.barcodes.push(barcode.to_string());
            }
        }
        task.quantity = task.quantity.saturating_add(source.quantity);
        // A flag on any source flags the task: handling errs on the careful side.
        for (set, flag) in [
            (source.fragile, HandlingFlag::Fragile),
            (source.high_value, HandlingFlag::HighValue),
        ] {
            if set && !task.flags.contains(&flag) {
                task.flags.push(flag);
            }
        }
        match task.portions.iter_mut().find(|p| {
            p.shipment_line_id == source.shipment_line_id && p.shipment_id == source.shipment_id
        }) {
            Some(portion) => portion.quantity = portion.quantity.saturating_add(source.quantity),
            None => task.portions.push(TaskPortion {
                shipment_id: source.shipment_id,
                shipment_line_id: source.shipment_line_id,
                quantity: source.quantity,
            }),
        }
    }
    let mut tasks: Vec<PickTask> = merged.into_values().collect();
    tasks.sort_by(|a, b| {
        a.bin_code
            .path_cmp(&b.bin_code)
            .then_with(|| a.bin_code.as_str().cmp(b.bin_code.as_str()))
            .then_with(|| a.sku.cmp(&b.sku))
    });
    for (task, sequence) in tasks.iter_mut().zip(1..) {
        task.flags.sort_unstable();
        task.sequence = sequence;
    }
    tasks
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{bin, gtin, source};
    use super::*;

    fn walk(list: &PickList) -> Vec<(u32, &str, &str)> {
        list.tasks
            .iter()
            .map(|t| (t.sequence, t.bin_code.as_str(), t.sku.as_str()))
            .collect()
    }

    #[test]
    fn given_bins_across_aisles_when_listed_then_tasks_follow_the_walking_path_numbers_as_numbers()
    {
        let sources = vec![
            source(1, 1, "B-01-01-1", "TEA-1", 1),
            source(1, 2, "A-10-01-1", "TEA-2", 1),
            source(1, 3, "A-2-01-1", "TEA-3", 1),
            source(1, 4, "A-2-01-1", "CUP-1", 1),
            source(1, 5, "AA-1-01-1", "TEA-4", 1),
        ];
        let lists = build_pick_lists(WaveKind::Discrete, &sources);
        assert_eq!(
            walk(&lists[0]),
            [
                (1, "A-2-01-1", "CUP-1"),
                (2, "A-2-01-1", "TEA-3"),
                (3, "A-10-01-1", "TEA-2"),
                (4, "AA-1-01-1", "TEA-4"),
                (5, "B-01-01-1", "TEA-1"),
            ],
            "A-2 before A-10, zones compared as text (A < AA < B), then SKU within a bin"
        );
    }

    #[test]
    fn given_three_shipments_when_a_discrete_wave_is_listed_then_each_gets_its_own_list() {
        let sources = vec![
            source(2, 1, "A-01-01-1", "TEA-1", 2),
            source(1, 2, "A-01-01-1", "TEA-1", 1),
            source(2, 3, "A-01-02-1", "CUP-1", 1),
            source(3, 4, "A-01-01-1", "TEA-1", 0),
        ];
        let lists = build_pick_lists(WaveKind::Discrete, &sources);
        let shipments: Vec<Option<Uuid>> = lists.iter().map(|l| l.shipment_id).collect();
        assert_eq!(
            shipments,
            [Some(Uuid::from_u128(2)), Some(Uuid::from_u128(1))],
            "in order of first appearance; a shipment with nothing to pick gets no list"
        );
        assert_eq!(
            walk(&lists[0]),
            [(1, "A-01-01-1", "TEA-1"), (2, "A-01-02-1", "CUP-1")]
        );
        assert_eq!(lists[0].units(), 3);
        assert_eq!(walk(&lists[1]), [(1, "A-01-01-1", "TEA-1")]);
        assert_eq!(lists[1].tasks[0].quantity, 1);
    }

    #[test]
    fn given_one_sku_in_one_bin_for_several_shipments_when_batched_then_it_is_one_task_with_a_breakdown()
     {
        let sources = vec![
            source(1, 11, "A-01-01-1", "TEA-1", 2),
            source(2, 21, "A-01-01-1", "TEA-1", 3),
            source(3, 31, "A-01-01-1", "TEA-1", 1),
            source(2, 22, "B-01-01-1", "TEA-1", 4),
        ];
        let lists = build_pick_lists(WaveKind::Batch, &sources);
        assert_eq!(lists.len(), 1);
        assert_eq!(lists[0].shipment_id, None);
        let tasks = &lists[0].tasks;
        assert_eq!(
            tasks.len(),
            2,
            "the same SKU in another bin is another task"
        );
        assert_eq!(tasks[0].quantity, 6);
        let breakdown: Vec<(u128, u128, u32)> = tasks[0]
            .portions
            .iter()
            .map(|p| {
                (
                    p.shipment_id.as_u128(),
                    p.shipment_line_id.as_u128(),
                    p.quantity,
                )
            })
            .collect();
        assert_eq!(breakdown, [(1, 11, 2), (2, 21, 3), (3, 31, 1)]);
        assert_eq!(tasks[1].bin_code, bin("B-01-01-1"));
        assert_eq!(tasks[1].quantity, 4);
        assert_eq!(lists[0].units(), 10);
    }

    #[test]
    fn given_flags_and_barcodes_on_the_sources_when_merged_then_the_task_carries_all_of_them_once()
    {
        let mut fragile = source(1, 1, "A-01-01-1", "VASE-1", 1);
        fragile.fragile = true;
        fragile.barcodes = vec![gtin(1), gtin(2)];
        let mut valuable = source(2, 2, "A-01-01-1", "VASE-1", 1);
        valuable.high_value = true;
        valuable.barcodes = vec![format!(" {} ", gtin(2)), gtin(3)];
        let lists = build_pick_lists(WaveKind::Batch, &[valuable, fragile]);
        let task = &lists[0].tasks[0];
        assert_eq!(task.flags, [HandlingFlag::Fragile, HandlingFlag::HighValue]);
        assert!(task.is_fragile() && task.is_high_value());
        assert_eq!(task.barcodes, [gtin(2), gtin(3), gtin(1)]);
    }

    #[test]
    fn given_nothing_to_pick_when_listed_then_there_are_no_lists() {
        assert!(build_pick_lists(WaveKind::Batch, &[]).is_empty());
        assert!(build_pick_lists(WaveKind::Discrete, &[]).is_empty());
        let zero = source(1, 1, "A-01-01-1", "TEA-1", 0);
        assert!(build_pick_lists(WaveKind::Batch, &[zero]).is_empty());
    }

    #[test]
    fn a_pick_list_round_trips_through_json_with_bins_as_text() {
        let mut s = source(1, 1, "a-01-01-1", "TEA-1", 2);
        s.fragile = true;
        let list = build_pick_lists(WaveKind::Discrete, &[s]).remove(0);
        let json = serde_json::to_string(&list).unwrap();
        assert!(json.contains(r#""binCode":"A-01-01-1""#), "{json}");
        assert!(json.contains(r#""flags":["FRAGILE"]"#), "{json}");
        assert_eq!(serde_json::from_str::<PickList>(&json).unwrap(), list);
        let bad = json.replace("A-01-01-1", "A-01");
        assert!(serde_json::from_str::<PickList>(&bad).is_err());
    }
}
