//! Scan-verified packing (SPEC §2.4): at the pack station every unit is scanned against the
//! shipment, and a missing, extra or wrong item blocks it until fixed. This is the last control
//! against wrong and missing items, so a scan is refused on the spot — a misread barcode, an
//! item of another shipment, one unit too many — and a refused scan changes nothing.
//!
//! The state is only expected lines and scanned counts, so the service keeps the counts
//! (`shipment_lines.packed_quantity`) and rebuilds the check for every scan with
//! [`PackCheck::resume`]. Stored counts that no longer match the shipment (a line reduced or
//! removed after a re-allocation) are kept and reported by [`PackCheck::verify`], never lost.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::codes::machine_codes;
use crate::domain::catalog::is_valid_gtin;

/// One line of the shipment as the pack station expects it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExpectedItem {
    /// The SKU (each size or colour variant is its own SKU).
    pub sku: String,
    /// The product name, for the packer's screen.
    pub name: String,
    /// Units the shipment contains.
    pub quantity: u32,
    /// Barcodes that identify the item: its GTIN, or the SKU itself when it has none. Numeric
    /// GTINs match across lengths (a UPC-A `036000291452` scanned as EAN-13 `0036000291452`).
    pub barcodes: Vec<String>,
}

impl ExpectedItem {
    /// A line whose barcode is `gtin`, or the SKU itself when the product has no GTIN.
    pub fn new(
        sku: impl Into<String>,
        name: impl Into<String>,
        quantity: u32,
        gtin: Option<&str>,
    ) -> ExpectedItem {
        let sku = sku.into();
        let barcode = match gtin.map(str::trim) {
            Some(gtin) if !gtin.is_empty() => gtin.to_string(),
            _ => sku.clone(),
        };
        ExpectedItem {
            sku,
            name: name.into(),
            quantity,
            barcodes: vec![barcode],
        }
    }
}

/// An expected line and how many of it are scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackLine {
    /// What the shipment contains.
    pub item: ExpectedItem,
    /// Units scanned into the parcel so far.
    pub scanned: u32,
}

/// The pack check of one shipment: expected lines with their scanned counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackCheck {
    lines: Vec<PackLine>,
    /// Stored counts of SKUs the shipment does not (or no longer) contain.
    stray: BTreeMap<String, u32>,
    /// Normalised barcode → line index.
    by_barcode: BTreeMap<String, usize>,
}

/// What a scan or an unscan did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackScanOutcome {
    /// The item.
    pub sku: String,
    /// Its name, when the shipment contains it.
    pub name: Option<String>,
    /// Units of it scanned now.
    pub scanned: u32,
    /// Units of it the shipment contains.
    pub expected: u32,
    /// Whether the whole shipment now matches exactly, ready to close.
    pub shipment_complete: bool,
}

/// A refused scan or unscan; the check is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackScanError {
    /// The scanner sent nothing.
    #[error("the scan was empty: scan the barcode again")]
    EmptyScan,
    /// It looks like a GTIN, but the check digit is wrong: the scanner misread it.
    #[error("barcode {barcode} looks like a GTIN but its check digit is wrong: scan it again")]
    Misread {
        /// What the scanner sent, trimmed.
        barcode: String,
    },
    /// A real barcode, but of nothing in this shipment.
    #[error("barcode {barcode} is not an item of this shipment: put it aside")]
    WrongItem {
        /// What the scanner sent, trimmed.
        barcode: String,
    },
    /// Every unit of the item is already scanned.
    #[error("all {expected} × {sku} are already scanned: this one is extra")]
    Extra {
        /// The item.
        sku: String,
        /// Units the shipment contains.
        expected: u32,
    },
    /// The packer took out a unit that was never scanned in.
    #[error("no {sku} has been scanned, so none can be taken out")]
    NothingToTakeOut {
        /// The item.
        sku: String,
    },
}

machine_codes! {
    /// The stable code of a [`PackScanError`].
    pub enum PackScanCode {
        /// [`PackScanError::EmptyScan`].
        EmptyScan => "EMPTY_SCAN",
        /// [`PackScanError::Misread`].
        Misread => "MISREAD",
        /// [`PackScanError::WrongItem`].
        WrongItem => "WRONG_ITEM",
        /// [`PackScanError::Extra`].
        Extra => "EXTRA",
        /// [`PackScanError::NothingToTakeOut`].
        NothingToTakeOut => "NOTHING_TO_TAKE_OUT",
    }
}

impl PackScanError {
    /// The stable machine code, e.g. `WRONG_ITEM`.
    pub fn code(&self) -> PackScanCode {
        match self {
            PackScanError::EmptyScan => PackScanCode::EmptyScan,
            PackScanError::Misread { .. } => PackScanCode::Misread,
            PackScanError::WrongItem { .. } => PackScanCode::WrongItem,
            PackScanError::Extra { .. } => PackScanCode::Extra,
            PackScanError::NothingToTakeOut { .. } => PackScanCode::NothingToTakeOut,
        }
    }
}

/// Why the expected lines cannot be checked: the shipment data is inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackSetupError {
    /// A shipment without lines has nothing to check.
    #[error("the shipment has no items to check")]
    NoItems,
    /// Two lines for one SKU would make counts ambiguous.
    #[error("SKU {sku} appears on more than one line")]
    DuplicateSku {
        /// The SKU.
        sku: String,
    },
    /// A line of zero units.
    #[error("line {sku} has a quantity of 0")]
    ZeroQuantity {
        /// The SKU.
        sku: String,
    },
    /// One barcode for two SKUs would let a scan count as either.
    #[error("barcode {barcode} identifies both {sku} and {other_sku}")]
    SharedBarcode {
        /// The barcode.
        barcode: String,
        /// The first SKU with it.
        sku: String,
        /// The second.
        other_sku: String,
    },
}

machine_codes! {
    /// The stable code of a [`PackSetupError`].
    pub enum PackSetupCode {
        /// [`PackSetupError::NoItems`].
        NoItems => "NO_ITEMS",
        /// [`PackSetupError::DuplicateSku`].
        DuplicateSku => "DUPLICATE_SKU",
        /// [`PackSetupError::ZeroQuantity`].
        ZeroQuantity => "ZERO_QUANTITY",
        /// [`PackSetupError::SharedBarcode`].
        SharedBarcode => "SHARED_BARCODE",
    }
}

impl PackSetupError {
    /// The stable machine code, e.g. `DUPLICATE_SKU`.
    pub fn code(&self) -> PackSetupCode {
        match self {
            PackSetupError::NoItems => PackSetupCode::NoItems,
            PackSetupError::DuplicateSku { .. } => PackSetupCode::DuplicateSku,
            PackSetupError::ZeroQuantity { .. } => PackSetupCode::ZeroQuantity,
            PackSetupError::SharedBarcode { .. } => PackSetupCode::SharedBarcode,
        }
    }
}

/// One way the parcel differs from the shipment; any of them blocks it. Stored tagged by its
/// code: `{"code":"MISSING","sku":"SKU-A","name":"…","expected":3,"scanned":2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "code", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PackDiscrepancy {
    /// Fewer units scanned than the shipment contains.
    #[error("{scanned} of {expected} × {sku} scanned: {} missing", expected - scanned)]
    Missing {
        /// The item.
        sku: String,
        /// Its name.
        name: String,
        /// Units the shipment contains.
        expected: u32,
        /// Units scanned.
        scanned: u32,
    },
    /// More units counted than the shipment contains (the line was reduced after scanning).
    #[error(
        "{scanned} of {expected} × {sku} scanned: {} extra, take {} out",
        scanned - expected,
        them(scanned - expected)
    )]
    Extra {
        /// The item.
        sku: String,
        /// Its name.
        name: String,
        /// Units the shipment contains.
        expected: u32,
        /// Units scanned.
        scanned: u32,
    },
    /// Units counted for a SKU the shipment does not contain (the line was removed).
    #[error("{scanned} × {sku} scanned but not in this shipment: take {} out", them(*scanned))]
    NotInShipment {
        /// The item.
        sku: String,
        /// Units scanned.
        scanned: u32,
    },
}

/// `it` or `them`.
fn them(units: u32) -> &'static str {
    if units == 1 { "it" } else { "them" }
}

machine_codes! {
    /// The stable code of a [`PackDiscrepancy`].
    pub enum DiscrepancyCode {
        /// [`PackDiscrepancy::Missing`].
        Missing => "MISSING",
        /// [`PackDiscrepancy::Extra`].
        Extra => "EXTRA",
        /// [`PackDiscrepancy::NotInShipment`].
        NotInShipment => "NOT_IN_SHIPMENT",
    }
}

impl PackDiscrepancy {
    /// The stable machine code, e.g. `MISSING`.
    pub fn code(&self) -> DiscrepancyCode {
        match self {
            PackDiscrepancy::Missing { .. } => DiscrepancyCode::Missing,
            PackDiscrepancy::Extra { .. } => DiscrepancyCode::Extra,
            PackDiscrepancy::NotInShipment { .. } => DiscrepancyCode::NotInShipment,
        }
    }
}

/// How barcodes are compared: trimmed, and numeric GTINs of any length as their 14-digit form.
fn barcode_key(barcode: &str) -> String {
    let barcode = barcode.trim();
    if looks_like_gtin(barcode) {
        format!("{barcode:0>14}")
    } else {
        barcode.to_string()
    }
}

/// All digits, of a GTIN length (8, 12, 13 or 14).
fn looks_like_gtin(barcode: &str) -> bool {
    [8, 12, 13, 14].contains(&barcode.len()) && barcode.bytes().all(|b| b.is_ascii_digit())
}

impl PackCheck {
    /// A check with nothing scanned yet.
    pub fn new(expected: Vec<ExpectedItem>) -> Result<PackCheck, PackSetupError> {
        PackCheck::resume(expected, [])
    }

    /// Rebuilds the check from stored counts per SKU (repeated SKUs add up; zeros are
    /// ignored). Counts beyond a line's quantity or for SKUs not in the shipment are kept and
    /// reported by [`PackCheck::verify`], so the packer takes those units out.
    pub fn resume(
        expected: Vec<ExpectedItem>,
        scanned: impl IntoIterator<Item = (String, u32)>,
    ) -> Result<PackCheck, PackSetupError> {
        if expected.is_empty() {
            return Err(PackSetupError::NoItems);
        }
        let mut by_barcode: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_sku: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, item) in expected.iter().enumerate() {
            if by_sku.insert(item.sku.as_str(), index).is_some() {
                return Err(PackSetupError::DuplicateSku {
                    sku: item.sku.clone(),
                });
            }
            if item.quantity == 0 {
                return Err(PackSetupError::ZeroQuantity {
                    sku: item.sku.clone(),
                });
            }
            let mut barcodes: Vec<&str> = item
                .barcodes
                .iter()
                .map(|b| b.trim())
                .filter(|b| !b.is_empty())
                .collect();
            if barcodes.is_empty() {
                barcodes.push(item.sku.as_str());
            }
            for barcode in barcodes {
                match by_barcode.insert(barcode_key(barcode), index) {
                    Some(other) if other != index => {
                        return Err(PackSetupError::SharedBarcode {
                            barcode: barcode.to_string(),
                            sku: expected[other].sku.clone(),
                            other_sku: item.sku.clone(),
                        });
                    }
                    _ => {}
                }
            }
        }
        let mut counts = vec![0_u32; expected.len()];
        let mut stray: BTreeMap<String, u32> = BTreeMap::new();
        for (sku, count) in scanned.into_iter().filter(|(_, count)| *count > 0) {
            match by_sku.get(sku.as_str()) {
                Some(&index) => counts[index] = counts[index].saturating_add(count),
                None => {
                    let total = stray.entry(sku).or_insert(0);
                    *total = total.saturating_add(count);
                }
            }
        }
        let lines = expected
            .into_iter()
            .zip(counts)
            .map(|(item, scanned)| PackLine { item, scanned })
            .collect();
        Ok(PackCheck {
            lines,
            stray,
            by_barcode,
        })
    }

    /// Counts one scanned unit. Refused, changing nothing: an empty scan, a GTIN-shaped code
    /// with a wrong check digit (`MISREAD`), a barcode of nothing in the shipment
    /// (`WRONG_ITEM`), and a unit beyond the line's quantity (`EXTRA`).
    pub fn scan(&mut self, barcode: &str) -> Result<PackScanOutcome, PackScanError> {
        let barcode = barcode.trim();
        if barcode.is_empty() {
            return Err(PackScanError::EmptyScan);
        }
        // A known barcode wins even if malformed, so bad master data cannot block a shipment.
        let Some(&index) = self.by_barcode.get(&barcode_key(barcode)) else {
            return Err(if looks_like_gtin(barcode) && !is_valid_gtin(barcode) {
                PackScanError::Misread {
                    barcode: barcode.to_string(),
                }
            } else {
                PackScanError::WrongItem {
                    barcode: barcode.to_string(),
                }
            });
        };
        let line = &mut self.lines[index];
        if line.scanned >= line.item.quantity {
            return Err(PackScanError::Extra {
                sku: line.item.sku.clone(),
                expected: line.item.quantity,
            });
        }
        line.scanned += 1;
        Ok(self.outcome_of_line(index))
    }

    /// Takes one scanned unit of `sku` back out (the packer removes it from the parcel).
    pub fn unscan(&mut self, sku: &str) -> Result<PackScanOutcome, PackScanError> {
        let nothing = || PackScanError::NothingToTakeOut {
            sku: sku.to_string(),
        };
        if let Some(index) = self.lines.iter().position(|l| l.item.sku == sku) {
            let line = &mut self.lines[index];
            line.scanned = line.scanned.checked_sub(1).ok_or_else(nothing)?;
            return Ok(self.outcome_of_line(index));
        }
        let count = self.stray.get_mut(sku).ok_or_else(nothing)?;
        *count -= 1;
        let scanned = *count;
        if scanned == 0 {
            self.stray.remove(sku);
        }
        Ok(PackScanOutcome {
            sku: sku.to_string(),
            name: None,
            scanned,
            expected: 0,
            shipment_complete: self.is_complete(),
        })
    }

    /// `Ok` when every line is scanned exactly and nothing else is counted; otherwise every
    /// discrepancy, in line order, then stray SKUs by SKU.
    pub fn verify(&self) -> Result<(), Vec<PackDiscrepancy>> {
        let mut found = Vec::new();
        for PackLine { item, scanned } in &self.lines {
            let (sku, name, expected, scanned) =
                (item.sku.clone(), item.name.clone(), item.quantity, *scanned);
            if scanned < expected {
                found.push(PackDiscrepancy::Missing {
                    sku,
                    name,
                    expected,
                    scanned,
                });
            } else if scanned > expected {
                found.push(PackDiscrepancy::Extra {
                    sku,
                    name,
                    expected,
                    scanned,
                });
            }
        }
        for (sku, scanned) in &self.stray {
            found.push(PackDiscrepancy::NotInShipment {
                sku: sku.clone(),
                scanned: *scanned,
            });
        }
        if found.is_empty() { Ok(()) } else { Err(found) }
    }

    /// Whether the parcel matches the shipment exactly.
    pub fn is_complete(&self) -> bool {
        self.stray.is_empty() && self.lines.iter().all(|l| l.scanned == l.item.quantity)
    }

    /// The expected lines with their counts, in shipment order.
    pub fn lines(&self) -> &[PackLine] {
        &self.lines
    }

    /// Every non-zero count per SKU, stray SKUs included: what the service stores.
    pub fn scanned_counts(&self) -> BTreeMap<String, u32> {
        self.lines
            .iter()
            .filter(|l| l.scanned > 0)
            .map(|l| (l.item.sku.clone(), l.scanned))
            .chain(self.stray.iter().map(|(sku, n)| (sku.clone(), *n)))
            .collect()
    }

    fn outcome_of_line(&self, index: usize) -> PackScanOutcome {
        let line = &self.lines[index];
        PackScanOutcome {
            sku: line.item.sku.clone(),
            name: Some(line.item.name.clone()),
            scanned: line.scanned,
            expected: line.item.quantity,
            shipment_complete: self.is_complete(),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const MUG_GTIN: &str = "4006381333931";
    const BOOK_GTIN: &str = "9780306406157";

    /// 3 × SKU-A (GTIN), 1 × SKU-B (GTIN), 2 × SKU-C (no GTIN: its label is the SKU).
    fn shipment() -> Vec<ExpectedItem> {
        vec![
            ExpectedItem::new("SKU-A", "Blue mug", 3, Some(MUG_GTIN)),
            ExpectedItem::new("SKU-B", "Rust book", 1, Some(BOOK_GTIN)),
            ExpectedItem::new("SKU-C", "Tea sampler", 2, None),
        ]
    }

    fn check() -> PackCheck {
        PackCheck::new(shipment()).unwrap()
    }

    #[test]
    fn given_a_shipment_when_every_unit_is_scanned_then_it_completes_on_the_last_scan() {
        let mut check = check();
        let scans = [MUG_GTIN, BOOK_GTIN, MUG_GTIN, "SKU-C", " SKU-C ", MUG_GTIN];
        let mut outcomes = Vec::new();
        for barcode in scans {
            outcomes.push(check.scan(barcode).unwrap());
        }
        let progress: Vec<(&str, u32, u32, bool)> = outcomes
            .iter()
            .map(|o| (o.sku.as_str(), o.scanned, o.expected, o.shipment_complete))
            .collect();
        assert_eq!(
            progress,
            [
                ("SKU-A", 1, 3, false),
                ("SKU-B", 1, 1, false),
                ("SKU-A", 2, 3, false),
                ("SKU-C", 1, 2, false),
                ("SKU-C", 2, 2, false),
                ("SKU-A", 3, 3, true),
            ]
        );
        assert_eq!(outcomes[0].name.as_deref(), Some("Blue mug"));
        assert_eq!(check.verify(), Ok(()));
        assert!(check.is_complete());
    }

    #[test]
    fn given_a_upc_a_product_when_the_scanner_reports_it_as_ean_13_then_it_still_matches() {
        let mut check = PackCheck::new(vec![ExpectedItem::new(
            "CAN",
            "Soup",
            2,
            Some("036000291452"),
        )])
        .unwrap();
        assert_eq!(check.scan("0036000291452").unwrap().scanned, 1);
        assert_eq!(check.scan("036000291452").unwrap().scanned, 2);
    }

    #[test]
    fn given_a_gtin_with_a_wrong_check_digit_when_scanned_then_it_is_a_misread_and_nothing_changes()
    {
        let mut check = check();
        let before = check.clone();
        let error = check.scan("4006381333932").unwrap_err();
        assert_eq!(
            error,
            PackScanError::Misread {
                barcode: "4006381333932".into()
            }
        );
        assert_eq!(error.code().as_str(), "MISREAD");
        assert_eq!(
            error.to_string(),
            "barcode 4006381333932 looks like a GTIN but its check digit is wrong: scan it again"
        );
        assert_eq!(check, before);
    }

    #[test]
    fn given_a_valid_barcode_of_another_product_when_scanned_then_it_is_the_wrong_item() {
        let mut check = check();
        let before = check.clone();
        for barcode in ["73513537", "SKU-Z", "sku-c", "12345"] {
            let error = check.scan(barcode).unwrap_err();
            assert_eq!(
                error,
                PackScanError::WrongItem {
                    barcode: barcode.into()
                },
                "{barcode}"
            );
            assert_eq!(error.code(), PackScanCode::WrongItem);
        }
        assert_eq!(
            check.scan("73513537").unwrap_err().to_string(),
            "barcode 73513537 is not an item of this shipment: put it aside"
        );
        assert_eq!(check, before);
    }

    #[test]
    fn given_all_units_of_a_line_scanned_when_one_more_is_scanned_then_it_is_extra_and_not_counted()
    {
        let mut check = check();
        check.scan(BOOK_GTIN).unwrap();
        let before = check.clone();
        let error = check.scan(BOOK_GTIN).unwrap_err();
        assert_eq!(
            error,
            PackScanError::Extra {
                sku: "SKU-B".into(),
                expected: 1
            }
        );
        assert_eq!(error.code(), PackScanCode::Extra);
        assert_eq!(
            error.to_string(),
            "all 1 × SKU-B are already scanned: this one is extra"
        );
        assert_eq!(check, before);
    }

    #[test]
    fn given_an_empty_scan_when_scanned_then_it_is_refused() {
        let mut check = check();
        assert_eq!(check.scan("   "), Err(PackScanError::EmptyScan));
        assert_eq!(PackScanError::EmptyScan.code().as_str(), "EMPTY_SCAN");
    }

    #[test]
    fn given_a_known_barcode_with_a_bad_check_digit_when_scanned_then_the_master_data_wins() {
        let mut check = PackCheck::new(vec![ExpectedItem::new(
            "OLD",
            "Legacy",
            1,
            Some("1234567890123"),
        )])
        .unwrap();
        assert!(!is_valid_gtin("1234567890123"));
        assert_eq!(check.scan("1234567890123").unwrap().scanned, 1);
    }

    #[test]
    fn given_a_unit_taken_out_when_unscanned_then_it_counts_down_and_blocks_completion_again() {
        let mut check = PackCheck::new(vec![ExpectedItem::new("SKU-A", "Mug", 1, None)]).unwrap();
        assert!(check.scan("SKU-A").unwrap().shipment_complete);
        let outcome = check.unscan("SKU-A").unwrap();
        assert_eq!((outcome.scanned, outcome.shipment_complete), (0, false));
        let error = check.unscan("SKU-A").unwrap_err();
        assert_eq!(
            error.to_string(),
            "no SKU-A has been scanned, so none can be taken out"
        );
        assert_eq!(error.code(), PackScanCode::NothingToTakeOut);
        assert_eq!(
            check.unscan("SKU-Z"),
            Err(PackScanError::NothingToTakeOut {
                sku: "SKU-Z".into()
            })
        );
    }

    #[test]
    fn given_missing_units_when_verified_then_every_missing_sku_is_listed_with_its_counts() {
        let mut check = check();
        check.scan(MUG_GTIN).unwrap();
        check.scan(MUG_GTIN).unwrap();
        check.scan("SKU-C").unwrap();
        let found = check.verify().unwrap_err();
        let messages: Vec<String> = found.iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            [
                "2 of 3 × SKU-A scanned: 1 missing",
                "0 of 1 × SKU-B scanned: 1 missing",
                "1 of 2 × SKU-C scanned: 1 missing",
            ]
        );
        assert!(found.iter().all(|d| d.code() == DiscrepancyCode::Missing));
        assert_eq!(
            found[0],
            PackDiscrepancy::Missing {
                sku: "SKU-A".into(),
                name: "Blue mug".into(),
                expected: 3,
                scanned: 2
            }
        );
    }

    #[test]
    fn given_stored_counts_when_resumed_then_scanning_continues_where_it_stopped() {
        let stored = check_with(&[MUG_GTIN, MUG_GTIN, "SKU-C"]).scanned_counts();
        assert_eq!(
            stored,
            BTreeMap::from([("SKU-A".to_string(), 2), ("SKU-C".to_string(), 1)])
        );
        let mut resumed = PackCheck::resume(shipment(), stored).unwrap();
        assert_eq!(resumed.scan(MUG_GTIN).unwrap().scanned, 3);
        assert!(matches!(
            resumed.scan(MUG_GTIN),
            Err(PackScanError::Extra { .. })
        ));
    }

    fn check_with(scans: &[&str]) -> PackCheck {
        let mut check = check();
        for barcode in scans {
            check.scan(barcode).unwrap();
        }
        check
    }

    #[test]
    fn given_counts_beyond_the_shipment_when_resumed_then_verify_says_what_to_take_out() {
        let stored = vec![
            ("SKU-A".to_string(), 3),
            ("SKU-B".to_string(), 2),
            ("SKU-C".to_string(), 1),
            ("SKU-C".to_string(), 1),
            ("SKU-Z".to_string(), 2),
            ("SKU-Y".to_string(), 1),
            ("SKU-X".to_string(), 0),
        ];
        let mut check = PackCheck::resume(shipment(), stored).unwrap();
        let found = check.verify().unwrap_err();
        let described: Vec<(DiscrepancyCode, String)> =
            found.iter().map(|d| (d.code(), d.to_string())).collect();
        assert_eq!(
            described,
            [
                (
                    DiscrepancyCode::Extra,
                    "2 of 1 × SKU-B scanned: 1 extra, take it out".to_string()
                ),
                (
                    DiscrepancyCode::NotInShipment,
                    "1 × SKU-Y scanned but not in this shipment: take it out".to_string()
                ),
                (
                    DiscrepancyCode::NotInShipment,
                    "2 × SKU-Z scanned but not in this shipment: take them out".to_string()
                ),
            ]
        );
        assert!(!check.is_complete());
        check.unscan("SKU-B").unwrap();
        check.unscan("SKU-Y").unwrap();
        let outcome = check.unscan("SKU-Z").unwrap();
        assert_eq!(
            (outcome.name, outcome.scanned, outcome.expected),
            (None, 1, 0)
        );
        assert!(!outcome.shipment_complete);
        assert!(check.unscan("SKU-Z").unwrap().shipment_complete);
        assert_eq!(check.verify(), Ok(()));
        assert!(!check.scanned_counts().contains_key("SKU-Z"));
    }

    #[test]
    fn given_inconsistent_lines_when_set_up_then_the_check_is_refused_with_a_reason() {
        assert_eq!(PackCheck::new(vec![]), Err(PackSetupError::NoItems));
        let duplicate = vec![
            ExpectedItem::new("A", "a", 1, None),
            ExpectedItem::new("A", "a", 2, None),
        ];
        let error = PackCheck::new(duplicate).unwrap_err();
        assert_eq!(error.code(), PackSetupCode::DuplicateSku);
        let zero = vec![ExpectedItem::new("A", "a", 0, None)];
        assert_eq!(
            PackCheck::new(zero),
            Err(PackSetupError::ZeroQuantity { sku: "A".into() })
        );
        // The same GTIN, once as UPC-A and once as EAN-13, on two lines.
        let shared = vec![
            ExpectedItem::new("A", "a", 1, Some("036000291452")),
            ExpectedItem::new("B", "b", 1, Some("0036000291452")),
        ];
        let error = PackCheck::new(shared).unwrap_err();
        assert_eq!(
            error.to_string(),
            "barcode 0036000291452 identifies both A and B"
        );
        assert_eq!(error.code().as_str(), "SHARED_BARCODE");
    }

    #[test]
    fn given_an_item_with_blank_barcodes_when_set_up_then_its_sku_is_its_barcode() {
        let item = ExpectedItem {
            sku: "LOOSE".into(),
            name: "Loose tea".into(),
            quantity: 1,
            barcodes: vec!["  ".into()],
        };
        let mut check = PackCheck::new(vec![item]).unwrap();
        assert!(check.scan("LOOSE").unwrap().shipment_complete);
        assert_eq!(
            ExpectedItem::new("X", "x", 1, Some(" ")).barcodes,
            vec!["X".to_string()]
        );
    }

    #[test]
    fn discrepancies_serialise_tagged_by_their_code() {
        let missing = PackDiscrepancy::Missing {
            sku: "SKU-A".into(),
            name: "Mug".into(),
            expected: 3,
            scanned: 2,
        };
        let json = serde_json::to_value(&missing).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code":"MISSING","sku":"SKU-A","name":"Mug","expected":3,"scanned":2})
        );
        let back: PackDiscrepancy = serde_json::from_value(json).unwrap();
        assert_eq!(back, missing);
    }

    /// A packer's action: scan one of a few barcodes (right, misread, foreign, junk) or take
    /// one unit of a SKU out.
    #[derive(Debug, Clone)]
    enum Action {
        Scan(&'static str),
        Unscan(&'static str),
    }

    fn action() -> impl Strategy<Value = Action> {
        prop_oneof![
            3 => prop::sample::select(vec![
                MUG_GTIN, BOOK_GTIN, "SKU-C", "4006381333932", "73513537", "X", " ",
            ])
            .prop_map(Action::Scan),
            1 => prop::sample::select(vec!["SKU-A", "SKU-B", "SKU-C", "SKU-Z"]).prop_map(Action::Unscan),
        ]
    }

    proptest! {
        #[test]
        fn counts_never_exceed_the_shipment_and_refused_actions_change_nothing(
            actions in prop::collection::vec(action(), 0..60),
        ) {
            let mut check = check();
            for action in actions {
                let before = check.clone();
                let result = match action {
                    Action::Scan(barcode) => check.scan(barcode),
                    Action::Unscan(sku) => check.unscan(sku),
                };
                match result {
                    Ok(outcome) => {
                        prop_assert!(outcome.scanned <= outcome.expected);
                        prop_assert_eq!(outcome.shipment_complete, check.is_complete());
                    }
                    Err(_) => prop_assert_eq!(&check, &before),
                }
                for line in check.lines() {
                    prop_assert!(line.scanned <= line.item.quantity);
                }
                prop_assert_eq!(check.verify().is_ok(), check.is_complete());
                let resumed = PackCheck::resume(shipment(), check.scanned_counts()).unwrap();
                prop_assert_eq!(&resumed, &check);
            }
        }
    }
}
