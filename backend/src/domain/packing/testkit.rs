//! Test helpers: catalogue and item builders, and the check that an arrangement is physically
//! possible.

use orderly_shared::PackagingKind;
use rust_decimal::Decimal;

use super::cartonization::PackItem;
use super::measures::Dimensions;
use super::packaging::{Packaging, kind_label};
use super::placement::Placement;
use crate::domain::money::{Currency, Money};

/// `amount` CNY.
pub(super) fn cny(amount: &str) -> Money {
    Money::new(Decimal::from_str_exact(amount).unwrap(), Currency::Cny)
}

/// An active catalogue entry.
pub(super) fn packaging(
    code: &str,
    kind: PackagingKind,
    inner: [u32; 3],
    max_weight_g: u32,
    tare_weight_g: u32,
    cost: &str,
) -> Packaging {
    Packaging {
        code: code.to_string(),
        name: format!("{} {code}", kind_label(kind)),
        kind,
        inner: Dimensions::from(inner),
        max_weight_g,
        tare_weight_g,
        cost: cny(cost),
        active: true,
    }
}

/// A plain (not fragile, not liquid) item line.
pub(super) fn item(sku: &str, quantity: u32, size: [u32; 3], weight_g: u32) -> PackItem {
    PackItem {
        sku: sku.to_string(),
        quantity,
        dimensions: Dimensions::from(size),
        weight_g,
        fragile: false,
        liquid: false,
    }
}

/// A fragile item line.
pub(super) fn fragile(sku: &str, quantity: u32, size: [u32; 3], weight_g: u32) -> PackItem {
    PackItem {
        fragile: true,
        ..item(sku, quantity, size, weight_g)
    }
}

/// A liquid item line.
pub(super) fn liquid(sku: &str, quantity: u32, size: [u32; 3], weight_g: u32) -> PackItem {
    PackItem {
        liquid: true,
        ..item(sku, quantity, size, weight_g)
    }
}

/// A small catalogue: two cartons, a mailer bag, a sealed bag and bubble wrap.
pub(super) fn catalogue() -> Vec<Packaging> {
    use PackagingKind::*;
    vec![
        packaging("CARTON-S", Carton, [200, 150, 100], 5_000, 200, "2.00"),
        packaging("CARTON-L", Carton, [400, 300, 300], 20_000, 600, "4.50"),
        packaging("MAILER", MailerBag, [300, 250, 50], 2_000, 30, "0.80"),
        packaging("BAG-1L", SealedBag, [250, 150, 100], 2_000, 10, "0.20"),
        packaging("WRAP", BubbleWrap, [300, 300, 300], 10_000, 20, "0.30"),
    ]
}

/// Every unit once, turned but not resized, inside, and overlapping no other.
pub(super) fn assert_valid(space: Dimensions, sizes: &[Dimensions], found: &[Placement]) {
    assert_eq!(found.len(), sizes.len(), "{found:?}");
    for (placement, size) in found.iter().zip(sizes) {
        assert!(
            placement.size.is_turned(*size),
            "{placement:?} is not {size}"
        );
        assert!(placement.is_inside(space), "{placement:?} outside {space}");
    }
    for (i, a) in found.iter().enumerate() {
        for b in &found[i + 1..] {
            assert!(!a.overlaps(b), "{a:?} overlaps {b:?} in {space}");
        }
    }
}
