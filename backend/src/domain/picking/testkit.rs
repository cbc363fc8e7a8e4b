//! Builders shared by the picking tests: valid GTINs, bins and reserved units.

use uuid::Uuid;

use super::PickSource;
use crate::domain::stock::BinCode;

/// A bin code that is known to be valid.
pub(super) fn bin(code: &str) -> BinCode {
    BinCode::parse(code).unwrap()
}

/// A valid GTIN-13 made from `n` (its first 12 digits) plus the check digit.
pub(super) fn gtin(n: u64) -> String {
    let body = format!("{:012}", n % 1_000_000_000_000);
    let sum: u32 = body
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { d })
        .sum();
    format!("{body}{}", (10 - sum % 10) % 10)
}

/// The one GTIN the tests give a SKU: derived from its text, so equal SKUs share it.
pub(super) fn gtin_of(sku: &str) -> String {
    // FNV-1a: stable across runs and platforms.
    let hash = sku.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    gtin(hash)
}

/// `quantity` units of `sku` in `bin` for line `line` of shipment `shipment`, barcoded by
/// [`gtin_of`], neither fragile nor high-value.
pub(super) fn source(
    shipment: u128,
    line: u128,
    bin_code: &str,
    sku: &str,
    quantity: u32,
) -> PickSource {
    PickSource {
        shipment_id: Uuid::from_u128(shipment),
        shipment_line_id: Uuid::from_u128(line),
        bin_code: bin(bin_code),
        sku: sku.to_string(),
        name: format!("{sku} name"),
        barcodes: vec![gtin_of(sku)],
        quantity,
        fragile: false,
        high_value: false,
    }
}
