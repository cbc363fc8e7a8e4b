//! The put wall of a batch wave (SPEC §2.3): every shipment of the wave gets a slot, and each
//! unit the batch picker brings back is scanned and put into the lowest-numbered slot that still
//! needs its SKU. Filling low slots first lets the packer start on slot 1 while the rest fill.
//! The wall's state is per slot, per SKU: units expected and units put, plain numbers the
//! service keeps in rows.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{PickList, PickingErrorCode};
use crate::domain::catalog::is_valid_gtin;

/// Why slots cannot be assigned or a wall cannot be planned; nothing is assigned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PutWallError {
    /// One slot per shipment, and there are not enough.
    #[error("the put wall has {slots} slot(s) but the wave has {shipments} shipment(s)")]
    WallTooSmall {
        /// Shipments in the wave.
        shipments: usize,
        /// Slots on the wall.
        slots: u32,
    },
    /// A shipment would get two slots.
    #[error("shipment {shipment_id} is listed twice")]
    DuplicateShipment {
        /// The repeated shipment.
        shipment_id: Uuid,
    },
    /// A shipment of the batch list has no slot to sort into.
    #[error("shipment {shipment_id} has units in the batch but no put-wall slot")]
    NoSlot {
        /// The shipment without a slot.
        shipment_id: Uuid,
    },
}

impl PutWallError {
    /// The stable machine code.
    pub fn code(&self) -> PickingErrorCode {
        match self {
            PutWallError::WallTooSmall { .. } => PickingErrorCode::WallTooSmall,
            PutWallError::DuplicateShipment { .. } => PickingErrorCode::DuplicateShipment,
            PutWallError::NoSlot { .. } => PickingErrorCode::NoSlot,
        }
    }
}

/// Slots 1, 2, 3… for the shipments in wave order. Refuses more shipments than `wall_size` slots
/// and a shipment listed twice.
pub fn assign_slots(
    shipment_ids: &[Uuid],
    wall_size: u32,
) -> Result<Vec<(Uuid, u32)>, PutWallError> {
    if u32::try_from(shipment_ids.len()).map_or(true, |n| n > wall_size) {
        return Err(PutWallError::WallTooSmall {
            shipments: shipment_ids.len(),
            slots: wall_size,
        });
    }
    for (i, id) in shipment_ids.iter().enumerate() {
        if shipment_ids[..i].contains(id) {
            return Err(PutWallError::DuplicateShipment { shipment_id: *id });
        }
    }
    Ok(shipment_ids.iter().copied().zip(1..).collect())
}

/// Units of one SKU a slot's shipment wants, and how many are in the slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SlotLine {
    /// The SKU.
    pub sku: String,
    /// Barcodes that count as this SKU.
    pub barcodes: Vec<String>,
    /// Units the shipment wants.
    pub expected: u32,
    /// Units put into the slot so far.
    pub put: u32,
}

impl SlotLine {
    /// Whether the slot still needs units of this SKU.
    pub fn is_open(&self) -> bool {
        self.put < self.expected
    }
}

/// One slot of the wall, holding one shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WallSlot {
    /// The slot's number, from 1.
    pub slot: u32,
    /// The shipment sorted into it.
    pub shipment_id: Uuid,
    /// One per SKU.
    pub lines: Vec<SlotLine>,
}

impl WallSlot {
    /// Whether every unit of the shipment is in the slot: the packer can take it.
    pub fn is_complete(&self) -> bool {
        self.lines.iter().all(|l| !l.is_open())
    }
}

/// The put wall of one batch wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PutWall {
    /// Slots in any order; the slot number decides where units go.
    pub slots: Vec<WallSlot>,
}

/// Where a sorted unit went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SortOutcome {
    /// The slot to put the unit into.
    pub slot: u32,
    /// The SKU scanned.
    pub sku: String,
    /// The slot's shipment.
    pub shipment_id: Uuid,
    /// The slot now holds its whole shipment.
    pub slot_complete: bool,
    /// Every slot is complete: sorting is done.
    pub wall_complete: bool,
}

/// A put-wall scan refused; the wall is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SortError {
    /// A readable barcode of an item no shipment of the wave wants.
    #[error("{scanned} is not an item of this wave; set it aside")]
    NotInWave {
        /// What was scanned.
        scanned: String,
    },
    /// Every unit of the SKU the wave wants is already in its slot.
    #[error("extra unit: all {expected} unit(s) of {sku} in this wave are already sorted")]
    Extra {
        /// The SKU.
        sku: String,
        /// Units of it the whole wave wants.
        expected: u32,
    },
    /// Not a valid GTIN and no known barcode.
    #[error("misread: {scanned:?} is not a valid GTIN; scan again")]
    Misread {
        /// What the scanner typed, trimmed.
        scanned: String,
    },
}

impl SortError {
    /// The stable machine code.
    pub fn code(&self) -> PickingErrorCode {
        match self {
            SortError::NotInWave { .. } => PickingErrorCode::NotInWave,
            SortError::Extra { .. } => PickingErrorCode::Extra,
            SortError::Misread { .. } => PickingErrorCode::Misread,
        }
    }
}

impl PutWall {
    /// The wall for a batch `list` with slots as assigned: each slot expects the units the
    /// list's task portions give its shipment, per SKU. A slot whose shipment has no units is
    /// complete from the start. Refuses a shipment of the list without a slot.
    pub fn plan(assignments: &[(Uuid, u32)], list: &PickList) -> Result<PutWall, PutWallError> {
        let mut slots: Vec<WallSlot> = assignments
            .iter()
            .map(|(shipment_id, slot)| WallSlot {
                slot: *slot,
                shipment_id: *shipment_id,
                lines: Vec::new(),
            })
            .collect();
        for task in &list.tasks {
            for portion in &task.portions {
                let slot = slots
                    .iter_mut()
                    .find(|s| s.shipment_id == portion.shipment_id)
                    .ok_or(PutWallError::NoSlot {
                        shipment_id: portion.shipment_id,
                    })?;
                match slot.lines.iter_mut().find(|l| l.sku == task.sku) {
                    Some(line) => {
                        line.expected = line.expected.saturating_add(portion.quantity);
                        for barcode in &task.barcodes {
                            if !line.barcodes.contains(barcode) {
                                line.barcodes.push(barcode.clone());
                            }
                        }
                    }
                    None => slot.lines.push(SlotLine {
                        sku: task.sku.clone(),
                        barcodes: task.barcodes.clone(),
                        expected: portion.quantity,
                        put: 0,
                    }),
                }
            }
        }
        Ok(PutWall { slots })
    }

    /// Sorts one scanned unit into the lowest-numbered slot that still needs its SKU.
    pub fn sort_scan(&mut self, barcode: &str) -> Result<SortOutcome, SortError> {
        let scanned = barcode.trim();
        let sku = self
            .slots
            .iter()
            .flat_map(|s| &s.lines)
            .find(|l| !scanned.is_empty() && l.barcodes.iter().any(|b| b.trim() == scanned))
            .map(|l| l.sku.clone());
        let Some(sku) = sku else {
            return Err(if is_valid_gtin(scanned) {
                SortError::NotInWave {
                    scanned: scanned.to_string(),
                }
            } else {
                SortError::Misread {
                    scanned: scanned.to_string(),
                }
            });
        };
        let target = self
            .slots
            .iter_mut()
            .filter(|s| s.lines.iter().any(|l| l.sku == sku && l.is_open()))
            .min_by_key(|s| s.slot);
        let Some(slot) = target else {
            return Err(SortError::Extra {
                expected: self
                    .slots
                    .iter()
                    .flat_map(|s| &s.lines)
                    .filter(|l| l.sku == sku)
                    .map(|l| l.expected)
                    .sum(),
                sku,
            });
        };
        if let Some(line) = slot.lines.iter_mut().find(|l| l.sku == sku && l.is_open()) {
            line.put += 1;
        }
        let (number, shipment_id, slot_complete) =
            (slot.slot, slot.shipment_id, slot.is_complete());
        Ok(SortOutcome {
            slot: number,
            sku,
            shipment_id,
            slot_complete,
            wall_complete: self.is_complete(),
        })
    }

    /// The slot holding `shipment_id`, for the pack station.
    pub fn slot_of(&self, shipment_id: Uuid) -> Option<&WallSlot> {
        self.slots.iter().find(|s| s.shipment_id == shipment_id)
    }

    /// Whether every slot holds its whole shipment.
    pub fn is_complete(&self) -> bool {
        self.slots.iter().all(WallSlot::is_complete)
    }

    /// Units still to sort over the whole wall, for [`super::WaveCommand::FinishSorting`].
    pub fn unsorted_units(&self) -> u32 {
        self.slots
            .iter()
            .flat_map(|s| &s.lines)
            .map(|l| l.expected.saturating_sub(l.put))
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{gtin, gtin_of, source};
    use super::super::{PickSource, build_pick_lists};
    use super::*;
    use orderly_shared::WaveKind;
    use proptest::prelude::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn wall(sources: &[PickSource], wave_order: &[u128]) -> PutWall {
        let list = build_pick_lists(WaveKind::Batch, sources).remove(0);
        let order: Vec<Uuid> = wave_order.iter().map(|n| id(*n)).collect();
        let slots = assign_slots(&order, 10).unwrap();
        PutWall::plan(&slots, &list).unwrap()
    }

    #[test]
    fn given_shipments_in_wave_order_when_slots_are_assigned_then_they_are_numbered_from_one() {
        let slots = assign_slots(&[id(7), id(3), id(5)], 3).unwrap();
        assert_eq!(slots, [(id(7), 1), (id(3), 2), (id(5), 3)]);
        assert_eq!(assign_slots(&[], 0).unwrap(), []);
    }

    #[test]
    fn given_more_shipments_than_slots_when_assigned_then_the_wall_is_too_small() {
        let err = assign_slots(&[id(1), id(2), id(3)], 2).unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::WallTooSmall);
        assert_eq!(
            err.to_string(),
            "the put wall has 2 slot(s) but the wave has 3 shipment(s)"
        );
        let err = assign_slots(&[id(1), id(2), id(1)], 5).unwrap_err();
        assert_eq!(err, PutWallError::DuplicateShipment { shipment_id: id(1) });
    }

    #[test]
    fn given_a_batch_shipment_without_a_slot_when_the_wall_is_planned_then_it_is_refused() {
        let list =
            build_pick_lists(WaveKind::Batch, &[source(1, 1, "A-01-01-1", "TEA-1", 1)]).remove(0);
        let err = PutWall::plan(&[(id(2), 1)], &list).unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::NoSlot);
    }

    #[test]
    fn given_several_slots_wanting_a_sku_when_units_are_sorted_then_the_lowest_open_slot_fills_first()
     {
        let mut wall = wall(
            &[
                source(1, 11, "A-01-01-1", "TEA-1", 2),
                source(2, 21, "A-01-01-1", "TEA-1", 1),
                source(2, 22, "A-01-02-1", "CUP-1", 1),
                source(3, 31, "A-01-01-1", "TEA-1", 1),
            ],
            &[2, 1, 3],
        );
        let tea = gtin_of("TEA-1");
        let sorted = |o: SortOutcome| (o.slot, o.shipment_id, o.slot_complete, o.wall_complete);
        assert_eq!(
            sorted(wall.sort_scan(&tea).unwrap()),
            (1, id(2), false, false)
        );
        assert_eq!(
            sorted(wall.sort_scan(&tea).unwrap()),
            (2, id(1), false, false)
        );
        assert_eq!(
            sorted(wall.sort_scan(&tea).unwrap()),
            (2, id(1), true, false)
        );
        assert_eq!(
            sorted(wall.sort_scan(&gtin_of("CUP-1")).unwrap()),
            (1, id(2), true, false)
        );
        assert_eq!(wall.unsorted_units(), 1);
        let last = wall.sort_scan(&format!(" {tea}\r\n")).unwrap();
        assert_eq!(sorted(last.clone()), (3, id(3), true, true));
        assert_eq!(last.sku, "TEA-1");
        assert!(wall.is_complete());
        assert_eq!(wall.slot_of(id(1)).map(|s| s.slot), Some(2));
        assert_eq!(wall.slot_of(id(9)), None);
    }

    #[test]
    fn put_wall_scans_of_strangers_extras_and_misreads_are_refused_and_change_nothing() {
        let mut wall = wall(&[source(1, 11, "A-01-01-1", "TEA-1", 1)], &[1]);
        wall.sort_scan(&gtin_of("TEA-1")).unwrap();
        let before = wall.clone();
        let cases = [
            (gtin_of("TEA-1"), PickingErrorCode::Extra),
            (gtin(123), PickingErrorCode::NotInWave),
            ("12345".to_string(), PickingErrorCode::Misread),
            (String::new(), PickingErrorCode::Misread),
        ];
        for (scan, code) in cases {
            let err = wall.sort_scan(&scan).unwrap_err();
            assert_eq!(err.code(), code, "{scan}: {err}");
            assert_eq!(wall, before);
        }
        assert_eq!(
            wall.sort_scan(&gtin_of("TEA-1")).unwrap_err().to_string(),
            "extra unit: all 1 unit(s) of TEA-1 in this wave are already sorted"
        );
        assert_eq!(
            wall.sort_scan(&gtin(123)).unwrap_err().to_string(),
            format!("{} is not an item of this wave; set it aside", gtin(123))
        );
    }

    #[test]
    fn a_wall_round_trips_through_json() {
        let wall = wall(&[source(1, 11, "A-01-01-1", "TEA-1", 2)], &[1]);
        let json = serde_json::to_string(&wall).unwrap();
        assert_eq!(serde_json::from_str::<PutWall>(&json).unwrap(), wall);
    }

    /// A batch wave: shipments, each with lines of (sku, bin, units).
    fn wave() -> impl Strategy<Value = Vec<Vec<(usize, usize, u32)>>> {
        prop::collection::vec(
            prop::collection::vec((0..5usize, 0..3usize, 1..4u32), 1..4),
            1..8,
        )
    }

    proptest! {
        #[test]
        fn sorting_every_picked_unit_in_any_order_fills_every_slot_exactly(
            shipments in wave(),
            spare_slots in 0..3u32,
            order_seed in any::<u64>(),
        ) {
            let skus = ["TEA-1", "TEA-2", "CUP-1", "POT-1", "MAT-1"];
            let bins = ["A-2-01-1", "A-10-01-1", "B-01-01-1"];
            let mut sources = Vec::new();
            let mut line_no = 0;
            for (s, lines) in shipments.iter().enumerate() {
                for (sku, bin, units) in lines {
                    line_no += 1;
                    sources.push(source(s as u128 + 1, line_no, bins[*bin], skus[*sku], *units));
                }
            }
            let list = build_pick_lists(WaveKind::Batch, &sources).remove(0);
            let order: Vec<Uuid> = (1..=shipments.len() as u128).map(id).collect();
            let slots = assign_slots(&order, shipments.len() as u32 + spare_slots).unwrap();
            let mut wall = PutWall::plan(&slots, &list).unwrap();
            // Every picked unit, in an order shuffled by the seed.
            let mut units: Vec<String> = list
                .tasks
                .iter()
                .flat_map(|t| std::iter::repeat_n(t.barcodes[0].clone(), t.quantity as usize))
                .collect();
            let mut state = order_seed | 1;
            for i in (1..units.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                units.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let total = units.len();
            for (n, unit) in units.iter().enumerate() {
                let before = wall.clone();
                let outcome = wall.sort_scan(unit).unwrap();
                let lower_open = before.slots.iter().any(|s| {
                    s.slot < outcome.slot
                        && s.lines.iter().any(|l| l.sku == outcome.sku && l.is_open())
                });
                prop_assert!(!lower_open, "a lower slot still needed {}", outcome.sku);
                prop_assert_eq!(outcome.wall_complete, n + 1 == total);
            }
            for slot in &wall.slots {
                prop_assert!(slot.is_complete());
                for line in &slot.lines {
                    prop_assert_eq!(line.put, line.expected);
                }
            }
            prop_assert_eq!(wall.unsorted_units(), 0);
            let extra = wall.sort_scan(&units[0]).unwrap_err();
            prop_assert_eq!(extra.code(), PickingErrorCode::Extra);
        }
    }
}
