//! Scan-verified picking of one task on the handheld (SPEC §2.3). The keyboard-wedge scanner
//! types every scan as a string: first the bin label, then one scan per unit. A wrong bin, a
//! wrong item, a misread and an over-pick are refused on the spot and change nothing; a
//! high-value unit counts only once it is confirmed (scanned again, or an explicit confirm).
//!
//! The state is a handful of plain fields the service keeps in the task's row and rebuilds on
//! every scan; [`TaskScan::phase`] reads them as the four states a picker sees.

use serde::{Deserialize, Serialize};

use super::{PickTask, PickingErrorCode};
use crate::domain::catalog::is_valid_gtin;
use crate::domain::stock::BinCode;

/// Where the picker is on one task, read from [`TaskScan`]'s fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TaskPhase {
    /// The bin label has not been scanned yet.
    AwaitingBin,
    /// At the bin, scanning units.
    Picking,
    /// A high-value unit was scanned and waits for its confirmation.
    AwaitingConfirmation,
    /// Every unit picked, or the rest reported short.
    Complete,
}

/// The scanning state of one pick task: what to scan (bin, SKU, barcodes, quantity) and how far
/// the picker got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskScan {
    /// The bin the units are in.
    #[serde(with = "super::bin_serde")]
    pub bin_code: BinCode,
    /// The SKU to pick.
    pub sku: String,
    /// The product's name, for refusals.
    pub name: String,
    /// Barcodes that count as this item.
    pub barcodes: Vec<String>,
    /// Whether each unit needs a confirmation.
    pub high_value: bool,
    /// Units to pick.
    pub quantity: u32,
    /// The bin label was scanned.
    pub bin_confirmed: bool,
    /// Units counted.
    pub picked: u32,
    /// A high-value unit was scanned and is not counted until confirmed.
    pub pending_confirmation: bool,
    /// Units reported missing (0 unless a short pick was reported).
    pub short: u32,
}

/// What an accepted scan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "outcome",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum ScanOutcome {
    /// The picker is at the right bin (scanning the label again is harmless).
    BinConfirmed {
        /// The bin.
        #[serde(with = "super::bin_serde")]
        bin: BinCode,
    },
    /// One more unit counted; more remain.
    UnitCounted {
        /// Units counted so far.
        picked: u32,
        /// Units to pick.
        of: u32,
    },
    /// A high-value unit was scanned: scan it again or confirm to count it.
    ConfirmNeeded {
        /// The SKU.
        sku: String,
        /// Which unit waits (counted would make it `picked`).
        unit: u32,
        /// Units to pick.
        of: u32,
    },
    /// The last unit counted: the task is done.
    TaskComplete {
        /// Units counted.
        picked: u32,
        /// Units to pick.
        of: u32,
    },
}

/// Fewer units in the bin than the system said: the service records the discrepancy, blocks the
/// bin for the SKU, re-allocates and opens a cycle count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShortPick {
    /// The SKU.
    pub sku: String,
    /// The bin that held fewer.
    #[serde(with = "super::bin_serde")]
    pub bin: BinCode,
    /// Units the task wanted.
    pub expected: u32,
    /// Units picked in all.
    pub found: u32,
    /// `expected - found`; never 0.
    pub missing: u32,
}

/// A scan, confirmation or report refused; the state is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanError {
    /// Another bin's label.
    #[error("wrong bin: go to {expected}, scanned {scanned}")]
    WrongBin {
        /// The task's bin.
        expected: BinCode,
        /// The label scanned.
        scanned: BinCode,
    },
    /// An item (or a report) before the bin label.
    #[error("scan the bin label {bin} first")]
    BinNotScanned {
        /// The task's bin.
        bin: BinCode,
    },
    /// A readable barcode of something else.
    #[error("wrong item: expected {expected_sku} ({expected_name}), scanned {scanned}")]
    WrongItem {
        /// The task's SKU.
        expected_sku: String,
        /// The task's product name.
        expected_name: String,
        /// What was scanned.
        scanned: String,
    },
    /// Nothing usable was read: not a bin label, not a known barcode, not a valid GTIN.
    #[error("misread: {scanned:?} is not a bin label or a valid GTIN; scan again")]
    Misread {
        /// What the scanner typed, trimmed.
        scanned: String,
    },
    /// The item again after every unit was counted.
    #[error("over-pick: {picked} of {quantity} units of {sku} are already picked; put it back")]
    OverPick {
        /// The SKU.
        sku: String,
        /// Units to pick.
        quantity: u32,
        /// Units counted.
        picked: u32,
    },
    /// The task was completed (possibly short); nothing more is taken for it.
    #[error(
        "the task for {sku} is complete ({picked} of {quantity} picked, {short} short); nothing more can be scanned for it"
    )]
    TaskClosed {
        /// The SKU.
        sku: String,
        /// Units counted.
        picked: u32,
        /// Units to pick.
        quantity: u32,
        /// Units reported missing.
        short: u32,
    },
    /// A confirmation with no scanned high-value unit waiting.
    #[error("nothing to confirm: no high-value unit of {sku} is waiting; scan the item first")]
    NothingToConfirm {
        /// The SKU.
        sku: String,
    },
    /// A short pick reported while a high-value unit waits for its confirmation.
    #[error(
        "confirm high-value unit {unit} of {quantity} of {sku} first: scan it again or confirm"
    )]
    ConfirmationPending {
        /// The SKU.
        sku: String,
        /// The waiting unit's number.
        unit: u32,
        /// Units to pick.
        quantity: u32,
    },
    /// A short pick that is not short.
    #[error("not a short pick: {found_now} found and {remaining} remain; scan them instead")]
    NotShort {
        /// Units the picker says they found.
        found_now: u32,
        /// Units the task still wants.
        remaining: u32,
    },
    /// A short pick that would count high-value units without scanning and confirming them.
    #[error(
        "high-value units are counted only by scanning: scan and confirm the {found_now} found unit(s) of {sku}, then report the short with 0 found"
    )]
    HighValueUnscanned {
        /// The SKU.
        sku: String,
        /// Units the picker says they found.
        found_now: u32,
    },
}

impl ScanError {
    /// The stable machine code.
    pub fn code(&self) -> PickingErrorCode {
        match self {
            ScanError::WrongBin { .. } => PickingErrorCode::WrongBin,
            ScanError::BinNotScanned { .. } => PickingErrorCode::BinNotScanned,
            ScanError::WrongItem { .. } => PickingErrorCode::WrongItem,
            ScanError::Misread { .. } => PickingErrorCode::Misread,
            ScanError::OverPick { .. } => PickingErrorCode::OverPick,
            ScanError::TaskClosed { .. } => PickingErrorCode::TaskClosed,
            ScanError::NothingToConfirm { .. } => PickingErrorCode::NothingToConfirm,
            ScanError::ConfirmationPending { .. } => PickingErrorCode::ConfirmationPending,
            ScanError::NotShort { .. } => PickingErrorCode::NotShort,
            ScanError::HighValueUnscanned { .. } => PickingErrorCode::HighValueUnscanned,
        }
    }
}

impl TaskScan {
    /// The state of a task nobody has started.
    pub fn start(task: &PickTask) -> TaskScan {
        TaskScan {
            bin_code: task.bin_code.clone(),
            sku: task.sku.clone(),
            name: task.name.clone(),
            barcodes: task.barcodes.clone(),
            high_value: task.is_high_value(),
            quantity: task.quantity,
            bin_confirmed: false,
            picked: 0,
            pending_confirmation: false,
            short: 0,
        }
    }

    /// The state the fields describe. A task is complete once picked and short units cover the
    /// quantity, whatever else the fields say.
    pub fn phase(&self) -> TaskPhase {
        if self.remaining() == 0 {
            TaskPhase::Complete
        } else if !self.bin_confirmed {
            TaskPhase::AwaitingBin
        } else if self.pending_confirmation {
            TaskPhase::AwaitingConfirmation
        } else {
            TaskPhase::Picking
        }
    }

    /// Units neither counted nor reported short.
    pub fn remaining(&self) -> u32 {
        self.quantity
            .saturating_sub(self.picked)
            .saturating_sub(self.short)
    }

    /// Whether the task is done.
    pub fn is_complete(&self) -> bool {
        self.phase() == TaskPhase::Complete
    }

    /// Takes one scan: the bin label, or a unit of the item. On error nothing changes.
    pub fn scan(&mut self, raw: &str) -> Result<ScanOutcome, ScanError> {
        let scanned = raw.trim();
        let is_item = self.barcodes.iter().any(|b| b.trim() == scanned) && !scanned.is_empty();
        match self.phase() {
            TaskPhase::Complete if is_item && self.short == 0 => Err(ScanError::OverPick {
                sku: self.sku.clone(),
                quantity: self.quantity,
                picked: self.picked,
            }),
            TaskPhase::Complete => Err(self.closed()),
            TaskPhase::AwaitingBin => match BinCode::parse(scanned) {
                Ok(bin) => {
                    self.check_bin(bin)?;
                    self.bin_confirmed = true;
                    Ok(ScanOutcome::BinConfirmed {
                        bin: self.bin_code.clone(),
                    })
                }
                Err(_) if is_item || is_valid_gtin(scanned) => Err(ScanError::BinNotScanned {
                    bin: self.bin_code.clone(),
                }),
                Err(_) => Err(misread(scanned)),
            },
            TaskPhase::Picking | TaskPhase::AwaitingConfirmation if is_item => {
                if self.pending_confirmation {
                    Ok(self.count_unit())
                } else if self.high_value {
                    self.pending_confirmation = true;
                    Ok(ScanOutcome::ConfirmNeeded {
                        sku: self.sku.clone(),
                        unit: self.picked + 1,
                        of: self.quantity,
                    })
                } else {
                    Ok(self.count_unit())
                }
            }
            TaskPhase::Picking | TaskPhase::AwaitingConfirmation => {
                if let Ok(bin) = BinCode::parse(scanned) {
                    self.check_bin(bin)?;
                    return Ok(ScanOutcome::BinConfirmed {
                        bin: self.bin_code.clone(),
                    });
                }
                if !is_valid_gtin(scanned) {
                    return Err(misread(scanned));
                }
                Err(ScanError::WrongItem {
                    expected_sku: self.sku.clone(),
                    expected_name: self.name.clone(),
                    scanned: scanned.to_string(),
                })
            }
        }
    }

    /// The explicit confirmation of the high-value unit just scanned (the same as scanning it
    /// again).
    pub fn confirm(&mut self) -> Result<ScanOutcome, ScanError> {
        match self.phase() {
            TaskPhase::AwaitingConfirmation => Ok(self.count_unit()),
            TaskPhase::Complete => Err(self.closed()),
            TaskPhase::AwaitingBin | TaskPhase::Picking => Err(ScanError::NothingToConfirm {
                sku: self.sku.clone(),
            }),
        }
    }

    /// The picker found only `found_now` more of the remaining units (usually 0, after scanning
    /// what was there): counts them and completes the task with the rest missing. High-value
    /// units are never counted this way; they must be scanned and confirmed.
    pub fn report_short(&mut self, found_now: u32) -> Result<ShortPick, ScanError> {
        let remaining = self.remaining();
        match self.phase() {
            TaskPhase::Complete => return Err(self.closed()),
            TaskPhase::AwaitingBin => {
                return Err(ScanError::BinNotScanned {
                    bin: self.bin_code.clone(),
                });
            }
            TaskPhase::AwaitingConfirmation => {
                return Err(ScanError::ConfirmationPending {
                    sku: self.sku.clone(),
                    unit: self.picked + 1,
                    quantity: self.quantity,
                });
            }
            TaskPhase::Picking => {}
        }
        if found_now >= remaining {
            return Err(ScanError::NotShort {
                found_now,
                remaining,
            });
        }
        if self.high_value && found_now > 0 {
            return Err(ScanError::HighValueUnscanned {
                sku: self.sku.clone(),
                found_now,
            });
        }
        self.picked += found_now;
        self.short = remaining - found_now;
        Ok(ShortPick {
            sku: self.sku.clone(),
            bin: self.bin_code.clone(),
            expected: self.quantity,
            found: self.picked,
            missing: self.short,
        })
    }

    /// Refuses a label that is not the task's bin.
    fn check_bin(&self, scanned: BinCode) -> Result<(), ScanError> {
        if scanned == self.bin_code {
            Ok(())
        } else {
            Err(ScanError::WrongBin {
                expected: self.bin_code.clone(),
                scanned,
            })
        }
    }

    /// Counts one unit (confirmed, if it needed confirming).
    fn count_unit(&mut self) -> ScanOutcome {
        self.pending_confirmation = false;
        self.picked += 1;
        if self.is_complete() {
            ScanOutcome::TaskComplete {
                picked: self.picked,
                of: self.quantity,
            }
        } else {
            ScanOutcome::UnitCounted {
                picked: self.picked,
                of: self.quantity,
            }
        }
    }

    fn closed(&self) -> ScanError {
        ScanError::TaskClosed {
            sku: self.sku.clone(),
            picked: self.picked,
            quantity: self.quantity,
            short: self.short,
        }
    }
}

fn misread(scanned: &str) -> ScanError {
    ScanError::Misread {
        scanned: scanned.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::build_pick_lists;
    use super::super::testkit::{bin, gtin, gtin_of, source};
    use super::*;
    use orderly_shared::WaveKind;

    const BIN: &str = "A-01-02-3";

    fn task(quantity: u32, high_value: bool) -> TaskScan {
        let mut s = source(1, 1, BIN, "TEA-1", quantity);
        s.high_value = high_value;
        let list = build_pick_lists(WaveKind::Discrete, &[s]).remove(0);
        TaskScan::start(&list.tasks[0])
    }

    fn item() -> String {
        gtin_of("TEA-1")
    }

    fn at_bin(quantity: u32, high_value: bool) -> TaskScan {
        let mut t = task(quantity, high_value);
        assert_eq!(t.scan(BIN), Ok(ScanOutcome::BinConfirmed { bin: bin(BIN) }));
        t
    }

    /// Asserts the refusal's code and that the state did not move.
    fn refused(t: &mut TaskScan, scan: &str, code: PickingErrorCode) -> ScanError {
        let before = t.clone();
        let err = t.scan(scan).unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        assert_eq!(*t, before, "a refused scan changed the state");
        err
    }

    #[test]
    fn given_a_task_when_the_bin_then_each_unit_is_scanned_then_units_count_up_to_completion() {
        let mut t = task(3, false);
        assert_eq!(t.phase(), TaskPhase::AwaitingBin);
        assert_eq!(
            t.scan(" a-01-02-3\n"),
            Ok(ScanOutcome::BinConfirmed { bin: bin(BIN) }),
            "labels are read trimmed and in any case"
        );
        assert_eq!(t.phase(), TaskPhase::Picking);
        assert_eq!(
            t.scan(&item()),
            Ok(ScanOutcome::UnitCounted { picked: 1, of: 3 })
        );
        assert_eq!(t.scan(BIN), Ok(ScanOutcome::BinConfirmed { bin: bin(BIN) }));
        assert_eq!(
            t.scan(&item()),
            Ok(ScanOutcome::UnitCounted { picked: 2, of: 3 })
        );
        assert_eq!(
            t.scan(&item()),
            Ok(ScanOutcome::TaskComplete { picked: 3, of: 3 })
        );
        assert!(t.is_complete());
    }

    #[test]
    fn given_the_wrong_bin_label_when_scanned_then_the_picker_is_told_where_to_go() {
        let mut t = task(1, false);
        let err = refused(&mut t, "B-02-01-1", PickingErrorCode::WrongBin);
        assert_eq!(
            err.to_string(),
            "wrong bin: go to A-01-02-3, scanned B-02-01-1"
        );
        let mut t = at_bin(1, false);
        refused(&mut t, "A-01-02-4", PickingErrorCode::WrongBin);
    }

    #[test]
    fn given_no_bin_scan_when_an_item_is_scanned_then_the_bin_label_is_asked_for() {
        let mut t = task(1, false);
        let err = refused(&mut t, &item(), PickingErrorCode::BinNotScanned);
        assert_eq!(err.to_string(), "scan the bin label A-01-02-3 first");
        refused(&mut t, &gtin(42), PickingErrorCode::BinNotScanned);
        refused(&mut t, "A-01-02", PickingErrorCode::Misread);
    }

    #[test]
    fn given_another_items_barcode_when_scanned_then_it_is_refused_naming_what_was_expected() {
        let mut t = at_bin(2, false);
        let other = gtin_of("CUP-9");
        let err = refused(&mut t, &other, PickingErrorCode::WrongItem);
        assert_eq!(
            err.to_string(),
            format!("wrong item: expected TEA-1 (TEA-1 name), scanned {other}")
        );
    }

    #[test]
    fn given_a_bad_check_digit_or_an_empty_read_when_scanned_then_it_is_a_misread() {
        let mut t = at_bin(2, false);
        let good = item();
        let last = good.chars().last().unwrap().to_digit(10).unwrap();
        let bad = format!("{}{}", &good[..12], (last + 1) % 10);
        let err = refused(&mut t, &bad, PickingErrorCode::Misread);
        assert_eq!(
            err.to_string(),
            format!("misread: \"{bad}\" is not a bin label or a valid GTIN; scan again")
        );
        refused(&mut t, "   ", PickingErrorCode::Misread);
        refused(&mut t, "hello", PickingErrorCode::Misread);
        refused(&mut task(1, false), "", PickingErrorCode::Misread);
    }

    #[test]
    fn given_every_unit_picked_when_the_item_is_scanned_again_then_it_is_an_over_pick() {
        let mut t = at_bin(1, false);
        t.scan(&item()).unwrap();
        let err = refused(&mut t, &item(), PickingErrorCode::OverPick);
        assert_eq!(
            err.to_string(),
            "over-pick: 1 of 1 units of TEA-1 are already picked; put it back"
        );
        refused(&mut t, BIN, PickingErrorCode::TaskClosed);
    }

    #[test]
    fn given_a_high_value_item_when_scanned_then_each_unit_counts_only_after_its_confirmation() {
        let mut t = at_bin(2, true);
        let confirm_needed = |unit| ScanOutcome::ConfirmNeeded {
            sku: "TEA-1".into(),
            unit,
            of: 2,
        };
        assert_eq!(t.scan(&item()), Ok(confirm_needed(1)));
        assert_eq!((t.phase(), t.picked), (TaskPhase::AwaitingConfirmation, 0));
        // A wrong item while waiting is refused and the unit keeps waiting.
        refused(&mut t, &gtin_of("CUP-9"), PickingErrorCode::WrongItem);
        assert_eq!(
            t.scan(&item()),
            Ok(ScanOutcome::UnitCounted { picked: 1, of: 2 })
        );
        assert_eq!(t.phase(), TaskPhase::Picking);
        let err = t.confirm().unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::NothingToConfirm);
        assert_eq!(t.scan(&item()), Ok(confirm_needed(2)));
        assert_eq!(
            t.confirm(),
            Ok(ScanOutcome::TaskComplete { picked: 2, of: 2 })
        );
        assert_eq!(
            t.confirm().unwrap_err().code(),
            PickingErrorCode::TaskClosed
        );
    }

    #[test]
    fn given_fewer_units_in_the_bin_when_a_short_is_reported_then_the_task_completes_with_the_missing_count()
     {
        let mut t = at_bin(5, false);
        t.scan(&item()).unwrap();
        t.scan(&item()).unwrap();
        let short = t.report_short(1).unwrap();
        assert_eq!(
            short,
            ShortPick {
                sku: "TEA-1".into(),
                bin: bin(BIN),
                expected: 5,
                found: 3,
                missing: 2,
            }
        );
        assert_eq!((t.picked, t.short, t.phase()), (3, 2, TaskPhase::Complete));
        let err = refused(&mut t, &item(), PickingErrorCode::TaskClosed);
        assert_eq!(
            err.to_string(),
            "the task for TEA-1 is complete (3 of 5 picked, 2 short); nothing more can be scanned for it"
        );
        assert_eq!(
            t.report_short(0).unwrap_err().code(),
            PickingErrorCode::TaskClosed
        );
    }

    #[test]
    fn given_an_empty_bin_when_a_short_of_zero_is_reported_then_everything_is_missing() {
        let mut t = at_bin(2, true);
        let short = t.report_short(0).unwrap();
        assert_eq!((short.found, short.missing), (0, 2));
    }

    #[test]
    fn short_reports_that_are_not_short_or_come_too_early_are_refused_and_change_nothing() {
        let check = |mut t: TaskScan, found_now: u32, code: PickingErrorCode| -> String {
            let before = t.clone();
            let err = t.report_short(found_now).unwrap_err();
            assert_eq!(err.code(), code, "{err}");
            assert_eq!(t, before);
            err.to_string()
        };
        assert_eq!(
            check(at_bin(3, false), 3, PickingErrorCode::NotShort),
            "not a short pick: 3 found and 3 remain; scan them instead"
        );
        check(task(3, false), 0, PickingErrorCode::BinNotScanned);
        let mut waiting = at_bin(3, true);
        waiting.scan(&item()).unwrap();
        assert_eq!(
            check(waiting, 0, PickingErrorCode::ConfirmationPending),
            "confirm high-value unit 1 of 3 of TEA-1 first: scan it again or confirm"
        );
        check(at_bin(3, true), 1, PickingErrorCode::HighValueUnscanned);
    }

    #[test]
    fn a_task_scan_rebuilt_from_its_stored_fields_carries_on_where_it_stopped() {
        let mut t = at_bin(3, true);
        t.scan(&item()).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        let mut rebuilt: TaskScan = serde_json::from_str(&json).unwrap();
        assert_eq!(rebuilt.phase(), TaskPhase::AwaitingConfirmation);
        assert_eq!(
            rebuilt.confirm(),
            Ok(ScanOutcome::UnitCounted { picked: 1, of: 3 })
        );
        let outcome = serde_json::to_string(&ScanOutcome::ConfirmNeeded {
            sku: "TEA-1".into(),
            unit: 2,
            of: 3,
        })
        .unwrap();
        assert_eq!(
            outcome,
            r#"{"outcome":"CONFIRM_NEEDED","sku":"TEA-1","unit":2,"of":3}"#
        );
    }
}
