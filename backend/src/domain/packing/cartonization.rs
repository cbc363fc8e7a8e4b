//! Cartonization (SPEC §2.4): the cheapest packaging from the catalogue that takes a shipment's
//! items by size and weight, with the protection fragile items and liquids need, and the check
//! of a packer's own choice against the same rules.
//!
//! The rules, in order: every liquid unit goes in the cheapest sealed bag that takes it; every
//! fragile unit gets the cheapest bubble wrap that takes it and needs its padding on every side;
//! fragile items travel in cartons only; the parcel (items, extras' tare and the container's
//! tare) must not weigh more than the container's limit; every unit must be placed inside the
//! container without overlap (see [`super::placement`]). Among containers that pass, the
//! lowest total cost wins; ties go to the smaller container, then to the lower code.

use std::collections::BTreeMap;

use orderly_shared::PackagingKind;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::errors::CartonizationError;
use super::measures::Dimensions;
use super::packaging::{Packaging, is_container};
use super::placement::{Placement, arrange};
use super::suggestion::{ExtraUse, Reason, Suggestion};
use crate::domain::catalog::Product;
use crate::domain::money::Money;

/// The most units one suggestion plans for; beyond it a shipment is split into parcels by hand.
pub const MAX_UNITS: u32 = 1_000;

/// One line of a shipment as packing sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackItem {
    /// The product's SKU.
    pub sku: String,
    /// Units to pack; a line of zero is ignored.
    pub quantity: u32,
    /// One unit's outer size.
    pub dimensions: Dimensions,
    /// One unit's weight, g.
    pub weight_g: u32,
    /// Needs a carton and bubble wrap.
    pub fragile: bool,
    /// Needs a sealed bag.
    pub liquid: bool,
}

impl PackItem {
    /// `quantity` units of a catalogue product.
    pub fn from_product(product: &Product, quantity: u32) -> PackItem {
        PackItem {
            sku: product.sku.clone(),
            quantity,
            dimensions: Dimensions::from(product.dimensions_mm),
            weight_g: product.weight_g,
            fragile: product.fragile,
            liquid: product.liquid,
        }
    }
}

/// Warehouse settings for cartonization, loaded with the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackingRules {
    /// Space bubble wrap takes on every side of a fragile unit, mm.
    pub bubble_padding_mm: u32,
}

impl Default for PackingRules {
    /// 10 mm of bubble wrap on every side.
    fn default() -> PackingRules {
        PackingRules {
            bubble_padding_mm: 10,
        }
    }
}

/// Suggests the cheapest packaging in `catalogue` for `items` (see the module docs for the
/// rules). Only active entries are considered. When nothing fits, the error says why: an item
/// too large for every container, a weight beyond every limit, or no arrangement found.
pub fn suggest(
    items: &[PackItem],
    catalogue: &[Packaging],
    rules: &PackingRules,
) -> Result<Suggestion, CartonizationError> {
    let units = units(items, rules)?;
    one_currency(catalogue)?;
    let containers: Vec<&Packaging> = catalogue
        .iter()
        .filter(|p| p.active && is_container(p.kind))
        .collect();
    if containers.is_empty() {
        return Err(CartonizationError::NoActiveContainer);
    }
    let first_fragile = units.iter().find(|u| u.fragile);
    let candidates: Vec<&Packaging> = match first_fragile {
        None => containers,
        Some(unit) => {
            let cartons: Vec<&Packaging> = containers
                .into_iter()
                .filter(|p| p.kind == PackagingKind::Carton)
                .collect();
            if cartons.is_empty() {
                return Err(CartonizationError::NoActiveCarton {
                    sku: unit.sku.to_string(),
                });
            }
            cartons
        }
    };
    let protection = protect(&units, catalogue)?;
    // The extras are the same whatever the container, so ranking containers by their own cost
    // ranks the totals too, and the first one that fits is the answer.
    let mut ranked = candidates.clone();
    ranked.sort_by(|a, b| rank(a).cmp(&rank(b)));
    for (tried, container) in ranked.iter().enumerate() {
        let Ok(fit) = try_fit(container, &units, &protection) else {
            continue;
        };
        let cheaper_refused = ranked[..tried]
            .iter()
            .filter(|p| p.cost.amount() < container.cost.amount())
            .count() as u32;
        let choice = Choice::of(container, &protection)?;
        let mut reasons = protection_reasons(&units);
        reasons.push(Reason::Cheapest { cheaper_refused });
        return Ok(suggestion(container, choice, fit, reasons));
    }
    Err(why_nothing_fits(&units, &candidates, &protection))
}

/// Checks the packer's choice `container_code` (any case) for `items` under the same rules as
/// [`suggest`], and prices it. Refused: codes not in the catalogue, inactive entries, extras,
/// mailer bags for fragile items, overweight parcels and items that do not fit.
pub fn evaluate(
    items: &[PackItem],
    container_code: &str,
    catalogue: &[Packaging],
    rules: &PackingRules,
) -> Result<Suggestion, CartonizationError> {
    let units = units(items, rules)?;
    one_currency(catalogue)?;
    let code = container_code.trim().to_ascii_uppercase();
    let container = catalogue.iter().find(|p| p.code == code).ok_or_else(|| {
        CartonizationError::UnknownContainer {
            code: container_code.trim().to_string(),
        }
    })?;
    if !is_container(container.kind) {
        return Err(CartonizationError::NotAContainer {
            code,
            kind: container.kind,
        });
    }
    if !container.active {
        return Err(CartonizationError::InactiveContainer { code });
    }
    if container.kind != PackagingKind::Carton
        && let Some(unit) = units.iter().find(|u| u.fragile)
    {
        return Err(CartonizationError::FragileNeedsCarton {
            code,
            sku: unit.sku.to_string(),
        });
    }
    let protection = protect(&units, catalogue)?;
    let fit = try_fit(container, &units, &protection).map_err(|misfit| match misfit {
        Misfit::TooLarge(index) => CartonizationError::ItemDoesNotFitIn {
            code: code.clone(),
            sku: units[index].sku.to_string(),
            size: units[index].space,
            wrapped: units[index].fragile,
            inner: container.inner,
        },
        Misfit::Overweight(weight_g) => CartonizationError::Overweight {
            code: code.clone(),
            weight_g,
            max_g: container.max_weight_g,
        },
        Misfit::NoArrangement => CartonizationError::DoesNotFitIn {
            code: code.clone(),
            units: units.len() as u32,
            inner: container.inner,
        },
    })?;
    let choice = Choice::of(container, &protection)?;
    let mut reasons = protection_reasons(&units);
    reasons.push(Reason::ChosenByPacker);
    Ok(suggestion(container, choice, fit, reasons))
}

/// One unit to pack: the item it belongs to and the space it takes.
#[derive(Debug, Clone, Copy)]
struct Unit<'a> {
    sku: &'a str,
    /// Counting from 1 per SKU.
    number: u32,
    /// Its own size.
    size: Dimensions,
    /// The space it takes in the container: its size, padded when fragile.
    space: Dimensions,
    weight_g: u32,
    fragile: bool,
    liquid: bool,
}

/// The items as units, numbered per SKU, in item order.
fn units<'a>(
    items: &'a [PackItem],
    rules: &PackingRules,
) -> Result<Vec<Unit<'a>>, CartonizationError> {
    let total: u64 = items.iter().map(|i| u64::from(i.quantity)).sum();
    if total == 0 {
        return Err(CartonizationError::NoItems);
    }
    if total > u64::from(MAX_UNITS) {
        return Err(CartonizationError::TooManyUnits {
            units: total,
            max: MAX_UNITS,
        });
    }
    let mut numbers: BTreeMap<&str, u32> = BTreeMap::new();
    let mut units = Vec::new();
    for item in items.iter().filter(|i| i.quantity > 0) {
        if item.dimensions.has_zero_side() {
            return Err(CartonizationError::ItemWithoutDimensions {
                sku: item.sku.clone(),
                size: item.dimensions,
            });
        }
        let space = if item.fragile {
            item.dimensions.padded(rules.bubble_padding_mm)
        } else {
            item.dimensions
        };
        for _ in 0..item.quantity {
            let number = numbers.entry(item.sku.as_str()).or_insert(0);
            *number += 1;
            units.push(Unit {
                sku: &item.sku,
                number: *number,
                size: item.dimensions,
                space,
                weight_g: item.weight_g,
                fragile: item.fragile,
                liquid: item.liquid,
            });
        }
    }
    Ok(units)
}

/// Costs are compared, so every active entry must be in one currency.
fn one_currency(catalogue: &[Packaging]) -> Result<(), CartonizationError> {
    let mut active = catalogue.iter().filter(|p| p.active);
    let Some(first) = active.next() else {
        return Ok(());
    };
    match active.find(|p| p.cost.currency() != first.cost.currency()) {
        None => Ok(()),
        Some(other) => Err(CartonizationError::MixedCurrencies {
            code: first.code.clone(),
            currency: first.cost.currency(),
            other_code: other.code.clone(),
            other: other.cost.currency(),
        }),
    }
}

/// The protective extras a shipment needs, whatever the container.
struct Protection<'a> {
    /// Pieces per extra, by code.
    uses: BTreeMap<&'a str, (&'a Packaging, u32)>,
    /// Their combined tare, g.
    tare_g: u64,
}

/// Picks a sealed bag per liquid unit and bubble wrap per fragile unit.
fn protect<'a>(
    units: &[Unit<'_>],
    catalogue: &'a [Packaging],
) -> Result<Protection<'a>, CartonizationError> {
    let mut protection = Protection {
        uses: BTreeMap::new(),
        tare_g: 0,
    };
    for unit in units {
        let needs = [
            (unit.liquid, PackagingKind::SealedBag),
            (unit.fragile, PackagingKind::BubbleWrap),
        ];
        for (needed, kind) in needs {
            if !needed {
                continue;
            }
            let extra = cheapest_extra(kind, unit, catalogue)?;
            protection
                .uses
                .entry(extra.code.as_str())
                .or_insert((extra, 0))
                .1 += 1;
            protection.tare_g += u64::from(extra.tare_weight_g);
        }
    }
    Ok(protection)
}

/// The cheapest active extra of `kind` that takes `unit` by size (turned as needed) and weight;
/// ties go to the smaller, then the lower code.
fn cheapest_extra<'a>(
    kind: PackagingKind,
    unit: &Unit<'_>,
    catalogue: &'a [Packaging],
) -> Result<&'a Packaging, CartonizationError> {
    let offered = catalogue.iter().filter(|p| p.active && p.kind == kind);
    let sku = unit.sku.to_string();
    if offered.clone().next().is_none() {
        return Err(match kind {
            PackagingKind::SealedBag => CartonizationError::NoSealedBag { sku },
            _ => CartonizationError::NoBubbleWrap { sku },
        });
    }
    offered
        .filter(|p| unit.size.fits_within(p.inner) && unit.weight_g <= p.max_weight_g)
        .min_by(|a, b| rank(a).cmp(&rank(b)))
        .ok_or(match kind {
            PackagingKind::SealedBag => CartonizationError::NoSealedBagFits {
                sku,
                size: unit.size,
                weight_g: unit.weight_g,
            },
            _ => CartonizationError::NoBubbleWrapFits {
                sku,
                size: unit.size,
                weight_g: unit.weight_g,
            },
        })
}

/// Cheaper first, then smaller, then by code.
fn rank(packaging: &Packaging) -> (Decimal, u128, &str) {
    (
        packaging.cost.amount(),
        packaging.inner.volume_mm3(),
        &packaging.code,
    )
}

/// Why one container does not take the units.
enum Misfit {
    /// This unit fits in no orientation.
    TooLarge(usize),
    /// The packed parcel would weigh this much, g.
    Overweight(u64),
    /// No arrangement of all units was found.
    NoArrangement,
}

/// A container that takes the units.
struct Fit {
    placements: Vec<Placement>,
    packed_weight_g: u32,
}

/// Checks one container: each unit's size, then the weight, then an arrangement of all.
fn try_fit(
    container: &Packaging,
    units: &[Unit<'_>],
    protection: &Protection<'_>,
) -> Result<Fit, Misfit> {
    if let Some(index) = units
        .iter()
        .position(|u| !u.space.fits_within(container.inner))
    {
        return Err(Misfit::TooLarge(index));
    }
    let packed = contents_g(units, protection) + u64::from(container.tare_weight_g);
    let packed_weight_g = u32::try_from(packed)
        .ok()
        .filter(|w| *w <= container.max_weight_g)
        .ok_or(Misfit::Overweight(packed))?;
    let spaces: Vec<Dimensions> = units.iter().map(|u| u.space).collect();
    let arranged = arrange(container.inner, &spaces).ok_or(Misfit::NoArrangement)?;
    let placements = units
        .iter()
        .zip(arranged)
        .map(|(unit, (position, size))| Placement {
            sku: unit.sku.to_string(),
            unit: unit.number,
            position,
            size,
            wrapped: unit.fragile,
            sealed: unit.liquid,
        })
        .collect();
    Ok(Fit {
        placements,
        packed_weight_g,
    })
}

/// Items plus protective extras, g.
fn contents_g(units: &[Unit<'_>], protection: &Protection<'_>) -> u64 {
    units.iter().map(|u| u64::from(u.weight_g)).sum::<u64>() + protection.tare_g
}

/// A priced container and its extras.
struct Choice {
    extras: Vec<ExtraUse>,
    total_cost: Money,
}

impl Choice {
    fn of(
        container: &Packaging,
        protection: &Protection<'_>,
    ) -> Result<Choice, CartonizationError> {
        let mut total_cost = container.cost;
        let mut extras = Vec::with_capacity(protection.uses.len());
        for (extra, count) in protection.uses.values() {
            let cost = extra
                .cost
                .times(*count)
                .map_err(|_| CartonizationError::CostOverflow)?;
            total_cost = total_cost
                .checked_add(cost)
                .map_err(|_| CartonizationError::CostOverflow)?;
            extras.push(ExtraUse {
                code: extra.code.clone(),
                kind: extra.kind,
                count: *count,
                cost,
            });
        }
        Ok(Choice { extras, total_cost })
    }
}

/// The most telling reason no candidate fits: an item too large for all, a weight beyond all,
/// or — each passing somewhere — no container that does everything at once.
fn why_nothing_fits(
    units: &[Unit<'_>],
    candidates: &[&Packaging],
    protection: &Protection<'_>,
) -> CartonizationError {
    let cartons_only = units.iter().any(|u| u.fragile);
    if let Some(unit) = units
        .iter()
        .find(|u| candidates.iter().all(|c| !u.space.fits_within(c.inner)))
    {
        return CartonizationError::ItemTooLarge {
            sku: unit.sku.to_string(),
            size: unit.space,
            wrapped: unit.fragile,
            cartons_only,
        };
    }
    let weight_g = contents_g(units, protection);
    let capacity = |c: &&Packaging| u64::from(c.max_weight_g.saturating_sub(c.tare_weight_g));
    let max_g = candidates.iter().map(capacity).max().unwrap_or(0);
    if weight_g > max_g {
        return CartonizationError::TooHeavy { weight_g, max_g };
    }
    CartonizationError::NoContainerFits {
        units: units.len() as u32,
        weight_g,
    }
}

/// Why the shipment needs protection, if it does.
fn protection_reasons(units: &[Unit<'_>]) -> Vec<Reason> {
    let fragile = units.iter().filter(|u| u.fragile).count() as u32;
    let liquid = units.iter().filter(|u| u.liquid).count() as u32;
    let mut reasons = Vec::new();
    if fragile > 0 {
        reasons.push(Reason::Fragile { units: fragile });
    }
    if liquid > 0 {
        reasons.push(Reason::Liquid { units: liquid });
    }
    reasons
}

fn suggestion(container: &Packaging, choice: Choice, fit: Fit, reasons: Vec<Reason>) -> Suggestion {
    Suggestion {
        container: container.code.clone(),
        container_kind: container.kind,
        container_inner: container.inner,
        extras: choice.extras,
        total_cost: choice.total_cost,
        packed_weight_g: fit.packed_weight_g,
        placements: fit.placements,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::super::errors::CartonizationCode;
    use super::super::testkit::{assert_valid, catalogue, cny, fragile, item, liquid, packaging};
    use super::*;
    use crate::domain::money::Currency;
    use PackagingKind::{BubbleWrap, Carton, MailerBag, SealedBag};

    fn rules() -> PackingRules {
        PackingRules::default()
    }

    fn extras(s: &Suggestion) -> Vec<(&str, u32)> {
        s.extras
            .iter()
            .map(|e| (e.code.as_str(), e.count))
            .collect()
    }

    fn spaces(items: &[PackItem], padding: u32) -> Vec<Dimensions> {
        items
            .iter()
            .flat_map(|i| {
                let space = if i.fragile {
                    i.dimensions.padded(padding)
                } else {
                    i.dimensions
                };
                std::iter::repeat_n(space, i.quantity as usize)
            })
            .collect()
    }

    #[test]
    fn given_a_flat_book_when_suggested_then_the_cheapest_container_that_fits_wins() {
        let items = [item("BOOK", 1, [190, 140, 30], 400)];
        let s = suggest(&items, &catalogue(), &rules()).unwrap();
        assert_eq!(s.container, "MAILER");
        assert_eq!(s.container_kind, MailerBag);
        assert_eq!(s.total_cost, cny("0.80"));
        assert_eq!(s.packed_weight_g, 430);
        assert!(s.extras.is_empty());
        assert_eq!(s.reasons, [Reason::Cheapest { cheaper_refused: 0 }]);
        assert_eq!(s.reasons[0].to_string(), "the cheapest container");
        assert_valid(s.container_inner, &spaces(&items, 10), &s.placements);
    }

    #[test]
    fn given_an_item_that_fits_only_turned_when_suggested_then_it_is_placed_on_end() {
        let tube = [item("POSTER", 1, [60, 50, 290], 200)];
        let catalogue = vec![
            packaging("TUBE-BOX", Carton, [300, 70, 60], 1_000, 100, "1.00"),
            packaging("CUBE", Carton, [250, 250, 250], 5_000, 300, "3.00"),
        ];
        let s = suggest(&tube, &catalogue, &rules()).unwrap();
        assert_eq!(s.container, "TUBE-BOX");
        let placed = s.placements[0].size;
        assert_eq!(placed.length_mm, 290, "{placed}");
        assert!(placed.fits_as_is(s.container_inner));
        assert_eq!(s.reasons, [Reason::Cheapest { cheaper_refused: 0 }]);
    }

    #[test]
    fn given_a_fragile_item_when_a_mailer_bag_is_cheaper_then_a_carton_and_bubble_wrap_win() {
        let mut catalogue = catalogue();
        catalogue.push(packaging(
            "MAILER-XL",
            MailerBag,
            [400, 400, 200],
            5_000,
            40,
            "0.50",
        ));
        let items = [fragile("GLASS", 1, [100, 80, 60], 300)];
        let s = suggest(&items, &catalogue, &rules()).unwrap();
        assert_eq!(s.container, "CARTON-S");
        assert_eq!(extras(&s), [("WRAP", 1)]);
        assert_eq!(s.total_cost, cny("2.30"));
        assert_eq!(s.packed_weight_g, 300 + 20 + 200);
        assert_eq!(
            s.reasons,
            [
                Reason::Fragile { units: 1 },
                Reason::Cheapest { cheaper_refused: 0 }
            ]
        );
        assert_eq!(s.reasons[0].to_string(), "fragile: carton and bubble wrap");
        let placed = &s.placements[0];
        assert!(placed.wrapped && !placed.sealed);
        assert!(placed.size.is_turned(Dimensions::new(120, 100, 80)));
    }

    #[test]
    fn given_a_fragile_item_fitting_only_unwrapped_when_suggested_then_a_bigger_carton_wins() {
        let items = [fragile("VASE", 1, [190, 140, 90], 800)];
        let s = suggest(&items, &catalogue(), &rules()).unwrap();
        assert_eq!(s.container, "CARTON-L");
        let tight = PackingRules {
            bubble_padding_mm: 5,
        };
        assert_eq!(
            suggest(&items, &catalogue(), &tight).unwrap().container,
            "CARTON-S"
        );
    }

    #[test]
    fn given_liquids_when_suggested_then_each_unit_gets_the_cheapest_sealed_bag_that_fits() {
        let mut catalogue = catalogue();
        catalogue.push(packaging(
            "BAG-S",
            SealedBag,
            [100, 100, 100],
            500,
            5,
            "0.10",
        ));
        let items = [
            liquid("SHAMPOO", 2, [200, 80, 60], 500),
            liquid("SAMPLE", 1, [50, 50, 20], 30),
            item("COMB", 1, [150, 30, 10], 20),
        ];
        let s = suggest(&items, &catalogue, &rules()).unwrap();
        assert_eq!(extras(&s), [("BAG-1L", 2), ("BAG-S", 1)]);
        assert_eq!(s.container, "CARTON-S");
        assert_eq!(s.total_cost, cny("2.50"));
        assert_eq!(s.packed_weight_g, 1_050 + 2 * 10 + 5 + 200);
        assert_eq!(
            s.reasons,
            [
                Reason::Liquid { units: 3 },
                Reason::Cheapest { cheaper_refused: 1 }
            ]
        );
        assert_eq!(s.reasons[0].to_string(), "liquid: sealed bag for each unit");
        let sealed: Vec<bool> = s.placements.iter().map(|p| p.sealed).collect();
        assert_eq!(sealed, [true, true, true, false]);
        let units: Vec<(&str, u32)> = s
            .placements
            .iter()
            .map(|p| (p.sku.as_str(), p.unit))
            .collect();
        assert_eq!(
            units,
            [("SHAMPOO", 1), ("SHAMPOO", 2), ("SAMPLE", 1), ("COMB", 1)]
        );
    }

    #[test]
    fn given_a_fragile_liquid_when_suggested_then_it_is_bagged_and_wrapped_in_a_carton() {
        let items = [PackItem {
            liquid: true,
            ..fragile("WINE", 1, [90, 90, 300], 1_300)
        }];
        let catalogue = vec![
            packaging("BOTTLE-BOX", Carton, [120, 120, 330], 3_000, 150, "1.50"),
            packaging("MAILER", MailerBag, [400, 400, 400], 3_000, 20, "0.10"),
            packaging("BAG", SealedBag, [120, 120, 320], 2_000, 10, "0.20"),
            packaging("WRAP", BubbleWrap, [400, 400, 400], 5_000, 30, "0.40"),
        ];
        let s = suggest(&items, &catalogue, &rules()).unwrap();
        assert_eq!(s.container, "BOTTLE-BOX");
        assert_eq!(extras(&s), [("BAG", 1), ("WRAP", 1)]);
        assert_eq!(s.total_cost, cny("2.10"));
        assert_eq!(s.packed_weight_g, 1_300 + 10 + 30 + 150);
        assert!(s.placements[0].sealed && s.placements[0].wrapped);
    }

    #[test]
    fn given_an_item_larger_than_every_container_when_suggested_then_the_error_names_it() {
        let items = [item("RUG", 1, [900, 200, 100], 3_000)];
        let error = suggest(&items, &catalogue(), &rules()).unwrap_err();
        assert_eq!(error.code(), CartonizationCode::ItemTooLarge);
        assert_eq!(
            error.to_string(),
            "item RUG 900×200×100 mm is larger than every container"
        );
        let items = [fragile("LAMP", 1, [290, 290, 290], 3_000)];
        let error = suggest(&items, &catalogue(), &rules()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "item LAMP 310×310×310 mm with bubble wrap is larger than every carton (fragile items travel in cartons)"
        );
    }

    #[test]
    fn given_contents_heavier_than_every_limit_when_suggested_then_the_weights_are_reported() {
        let catalogue = vec![
            packaging("BOX", Carton, [600, 600, 600], 20_000, 500, "3.00"),
            packaging("HEAVY", Carton, [600, 600, 600], 25_600, 600, "5.00"),
        ];
        let items = [item("IRON", 4, [100, 100, 100], 8_000)];
        let error = suggest(&items, &catalogue, &rules()).unwrap_err();
        assert_eq!(
            error,
            CartonizationError::TooHeavy {
                weight_g: 32_000,
                max_g: 25_000
            }
        );
        assert_eq!(
            error.to_string(),
            "total weight 32,000 g exceeds every container's limit (max 25,000 g of contents)"
        );
    }

    #[test]
    fn given_an_item_too_heavy_for_the_cheap_bag_when_suggested_then_a_stronger_container_wins() {
        let items = [item("BOOKS", 1, [190, 140, 40], 2_000)];
        let s = suggest(&items, &catalogue(), &rules()).unwrap();
        assert_eq!(s.container, "CARTON-S");
        assert_eq!(s.packed_weight_g, 2_200);
        assert_eq!(s.reasons, [Reason::Cheapest { cheaper_refused: 1 }]);
        assert_eq!(
            s.reasons[0].to_string(),
            "the cheapest container that fits (1 cheaper does not)"
        );
        assert_eq!(
            Reason::Cheapest { cheaper_refused: 4 }.to_string(),
            "the cheapest container that fits (4 cheaper do not)"
        );
    }

    #[test]
    fn given_the_tare_tips_the_weight_over_when_suggested_then_the_container_is_refused() {
        // 1,970 g of contents fits the mailer's 2,000 g limit only without its own 30 g… plus 1.
        let items = [item("BOOKS", 1, [190, 140, 40], 1_971)];
        assert_eq!(
            suggest(&items, &catalogue(), &rules()).unwrap().container,
            "CARTON-S"
        );
        let items = [item("BOOKS", 1, [190, 140, 40], 1_970)];
        assert_eq!(
            suggest(&items, &catalogue(), &rules()).unwrap().container,
            "MAILER"
        );
    }

    #[test]
    fn given_items_that_fit_alone_but_not_together_when_suggested_then_no_container_fits() {
        let catalogue = vec![
            packaging("SMALL", Carton, [100, 100, 100], 10_000, 100, "1.00"),
            packaging("FLAT", MailerBag, [300, 300, 20], 10_000, 10, "0.50"),
        ];
        let items = [item("CUBE", 2, [100, 100, 100], 100)];
        let error = suggest(&items, &catalogue, &rules()).unwrap_err();
        assert_eq!(
            error,
            CartonizationError::NoContainerFits {
                units: 2,
                weight_g: 200
            }
        );
        assert_eq!(
            error.to_string(),
            "no container holds all 2 units (200 g) together"
        );
    }

    #[test]
    fn given_equal_costs_when_suggested_then_the_smaller_container_then_the_lower_code_wins() {
        let items = [item("MUG", 1, [100, 100, 100], 300)];
        let catalogue = vec![
            packaging("BIG", Carton, [300, 300, 300], 5_000, 100, "2.00"),
            packaging("SNUG-B", Carton, [120, 120, 120], 5_000, 100, "2.00"),
            packaging("SNUG-A", Carton, [120, 120, 120], 5_000, 100, "2.00"),
        ];
        let s = suggest(&items, &catalogue, &rules()).unwrap();
        assert_eq!(s.container, "SNUG-A");
        let without_a: Vec<Packaging> = catalogue
            .into_iter()
            .filter(|p| p.code != "SNUG-A")
            .collect();
        assert_eq!(
            suggest(&items, &without_a, &rules()).unwrap().container,
            "SNUG-B"
        );
    }

    #[test]
    fn given_cheaper_extras_in_one_box_when_suggested_then_the_total_not_the_container_decides() {
        // The wrap is the same for every carton, so the cheaper carton still wins on the total.
        let items = [fragile("CUP", 2, [80, 80, 80], 200)];
        let s = suggest(&items, &catalogue(), &rules()).unwrap();
        assert_eq!(s.container, "CARTON-S");
        assert_eq!(extras(&s), [("WRAP", 2)]);
        assert_eq!(s.extras[0].cost, cny("0.60"));
        assert_eq!(s.total_cost, cny("2.60"));
    }

    #[test]
    fn given_inactive_entries_when_suggested_then_they_are_never_chosen() {
        let mut catalogue = catalogue();
        catalogue.push(Packaging {
            active: false,
            ..packaging("FREE", MailerBag, [500, 500, 500], 50_000, 1, "0.00")
        });
        let items = [item("BOOK", 1, [190, 140, 30], 400)];
        assert_eq!(
            suggest(&items, &catalogue, &rules()).unwrap().container,
            "MAILER"
        );
        let all_inactive: Vec<Packaging> = catalogue
            .into_iter()
            .map(|p| Packaging { active: false, ..p })
            .collect();
        assert_eq!(
            suggest(&items, &all_inactive, &rules()),
            Err(CartonizationError::NoActiveContainer)
        );
    }

    #[test]
    fn given_bad_items_when_suggested_then_they_are_refused_before_any_packing() {
        assert_eq!(
            suggest(&[], &catalogue(), &rules()),
            Err(CartonizationError::NoItems)
        );
        assert_eq!(
            suggest(&[item("A", 0, [1, 1, 1], 1)], &catalogue(), &rules()),
            Err(CartonizationError::NoItems)
        );
        let flat = suggest(&[item("A", 1, [10, 0, 10], 1)], &catalogue(), &rules()).unwrap_err();
        assert_eq!(
            flat.to_string(),
            "item A has a side of zero (10×0×10 mm); measure it before packing"
        );
        let many = [item("A", 600, [1, 1, 1], 1), item("B", 401, [1, 1, 1], 1)];
        assert_eq!(
            suggest(&many, &catalogue(), &rules()),
            Err(CartonizationError::TooManyUnits {
                units: 1_001,
                max: MAX_UNITS
            })
        );
    }

    #[test]
    fn given_a_catalogue_missing_what_the_items_need_when_suggested_then_the_gap_is_named() {
        let only = |kinds: &[PackagingKind]| -> Vec<Packaging> {
            catalogue()
                .into_iter()
                .filter(|p| kinds.contains(&p.kind))
                .collect()
        };
        let glass = [fragile("GLASS", 1, [50, 50, 50], 100)];
        let water = [liquid("WATER", 1, [60, 60, 200], 500)];
        let cases: Vec<(&[PackItem], Vec<Packaging>, CartonizationError, &str)> = vec![
            (
                &glass,
                only(&[SealedBag, BubbleWrap]),
                CartonizationError::NoActiveContainer,
                "the packaging catalogue has no active carton or mailer bag",
            ),
            (
                &glass,
                only(&[MailerBag, BubbleWrap]),
                CartonizationError::NoActiveCarton {
                    sku: "GLASS".into(),
                },
                "fragile item GLASS needs a carton, and the packaging catalogue has no active carton",
            ),
            (
                &glass,
                only(&[Carton, MailerBag]),
                CartonizationError::NoBubbleWrap {
                    sku: "GLASS".into(),
                },
                "fragile item GLASS needs bubble wrap, and the packaging catalogue has no active bubble wrap",
            ),
            (
                &water,
                only(&[Carton, MailerBag]),
                CartonizationError::NoSealedBag {
                    sku: "WATER".into(),
                },
                "liquid item WATER needs a sealed bag, and the packaging catalogue has no active sealed bag",
            ),
        ];
        for (items, catalogue, expected, message) in cases {
            let error = suggest(items, &catalogue, &rules()).unwrap_err();
            assert_eq!(error.to_string(), message);
            assert_eq!(error, expected);
        }
    }

    #[test]
    fn given_extras_too_small_or_weak_when_suggested_then_the_item_is_named_with_its_size() {
        let jug = [liquid("JUG", 1, [300, 150, 150], 2_500)];
        let error = suggest(&jug, &catalogue(), &rules()).unwrap_err();
        assert_eq!(error.code(), CartonizationCode::NoSealedBagFits);
        assert_eq!(
            error.to_string(),
            "no sealed bag takes liquid item JUG (300×150×150 mm, 2,500 g)"
        );
        // Fits the bag by size, but the bag holds at most 2,000 g.
        let heavy = [liquid("SYRUP", 1, [100, 100, 100], 2_001)];
        assert_eq!(
            suggest(&heavy, &catalogue(), &rules()).unwrap_err().code(),
            CartonizationCode::NoSealedBagFits
        );
        let statue = [fragile("STATUE", 1, [350, 200, 200], 3_000)];
        let error = suggest(&statue, &catalogue(), &rules()).unwrap_err();
        assert_eq!(
            error,
            CartonizationError::NoBubbleWrapFits {
                sku: "STATUE".into(),
                size: Dimensions::new(350, 200, 200),
                weight_g: 3_000
            }
        );
    }

    #[test]
    fn given_costs_in_two_currencies_when_suggested_then_they_are_refused_as_incomparable() {
        let mut catalogue = catalogue();
        catalogue[1].cost = Money::from_minor(100, Currency::Usd);
        let error = suggest(&[item("A", 1, [10, 10, 10], 1)], &catalogue, &rules()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "packaging costs must share one currency: CARTON-S is in CNY, CARTON-L in USD"
        );
        catalogue[1].active = false;
        assert!(suggest(&[item("A", 1, [10, 10, 10], 1)], &catalogue, &rules()).is_ok());
    }

    #[test]
    fn given_many_units_when_suggested_then_every_unit_is_placed_validly() {
        let items = [
            item("BOOK", 3, [200, 140, 30], 350),
            fragile("CUP", 2, [90, 90, 100], 250),
            liquid("OIL", 2, [70, 70, 220], 600),
        ];
        let s = suggest(&items, &catalogue(), &rules()).unwrap();
        assert_eq!(s.container, "CARTON-L");
        assert_eq!(extras(&s), [("BAG-1L", 2), ("WRAP", 2)]);
        assert_eq!(s.placements.len(), 7);
        assert_valid(s.container_inner, &spaces(&items, 10), &s.placements);
    }

    #[test]
    fn given_a_suggestion_when_serialised_then_kinds_and_reasons_are_tagged_for_storage() {
        let items = [fragile("GLASS", 1, [100, 80, 60], 300)];
        let s = suggest(&items, &catalogue(), &rules()).unwrap();
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["container"], "CARTON-S");
        assert_eq!(json["containerKind"], "CARTON");
        assert_eq!(
            json["totalCost"],
            serde_json::json!({"amount":"2.30","currency":"CNY"})
        );
        assert_eq!(json["packedWeightG"], 520);
        assert_eq!(json["extras"][0]["kind"], "BUBBLE_WRAP");
        assert_eq!(
            json["reasons"],
            serde_json::json!([{"kind":"FRAGILE","units":1},{"kind":"CHEAPEST","cheaperRefused":0}])
        );
        assert_eq!(
            json["placements"][0]["position"],
            serde_json::json!({"xMm":0,"yMm":0,"zMm":0})
        );
        let reasons: Vec<Reason> = serde_json::from_value(json["reasons"].clone()).unwrap();
        assert_eq!(reasons, s.reasons);
        let chosen = serde_json::to_value(Reason::ChosenByPacker).unwrap();
        assert_eq!(chosen, serde_json::json!({"kind":"CHOSEN_BY_PACKER"}));
    }

    #[test]
    fn given_the_packer_picks_a_bigger_carton_when_evaluated_then_it_is_accepted_and_priced() {
        let items = [item("BOOK", 1, [190, 140, 30], 400)];
        let s = evaluate(&items, " carton-l ", &catalogue(), &rules()).unwrap();
        assert_eq!(s.container, "CARTON-L");
        assert_eq!(s.total_cost, cny("4.50"));
        assert_eq!(s.packed_weight_g, 1_000);
        assert_eq!(s.reasons, [Reason::ChosenByPacker]);
        assert_eq!(s.reasons[0].to_string(), "chosen by the packer");
        let glass = [fragile("GLASS", 1, [100, 80, 60], 300)];
        let s = evaluate(&glass, "CARTON-L", &catalogue(), &rules()).unwrap();
        assert_eq!(extras(&s), [("WRAP", 1)]);
        assert_eq!(
            s.reasons,
            [Reason::Fragile { units: 1 }, Reason::ChosenByPacker]
        );
    }

    #[test]
    fn given_the_packer_picks_a_mailer_for_fragile_items_when_evaluated_then_it_is_refused() {
        let glass = [
            fragile("GLASS", 1, [100, 80, 30], 300),
            item("CARD", 1, [100, 10, 1], 5),
        ];
        let error = evaluate(&glass, "MAILER", &catalogue(), &rules()).unwrap_err();
        assert_eq!(error.code(), CartonizationCode::FragileNeedsCarton);
        assert_eq!(
            error.to_string(),
            "fragile item GLASS needs a carton, not mailer bag MAILER"
        );
    }

    #[test]
    fn given_the_packer_picks_an_overweight_or_small_container_when_evaluated_then_it_is_refused() {
        let heavy = [item("BOOKS", 1, [190, 140, 40], 1_980)];
        let error = evaluate(&heavy, "MAILER", &catalogue(), &rules()).unwrap_err();
        assert_eq!(
            error,
            CartonizationError::Overweight {
                code: "MAILER".into(),
                weight_g: 2_010,
                max_g: 2_000
            }
        );
        assert_eq!(
            error.to_string(),
            "the packed weight 2,010 g exceeds the 2,000 g limit of MAILER"
        );
        let tall = [item("LAMP", 1, [100, 100, 260], 500)];
        let error = evaluate(&tall, "CARTON-S", &catalogue(), &rules()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "item LAMP 100×100×260 mm does not fit in CARTON-S (200×150×100 mm)"
        );
        let wrapped = [fragile("VASE", 1, [190, 140, 90], 800)];
        let error = evaluate(&wrapped, "CARTON-S", &catalogue(), &rules()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "item VASE 210×160×110 mm with bubble wrap does not fit in CARTON-S (200×150×100 mm)"
        );
        let cubes = [item("CUBE", 4, [100, 100, 100], 100)];
        let error = evaluate(&cubes, "CARTON-S", &catalogue(), &rules()).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the 4 units do not fit together in CARTON-S (200×150×100 mm)"
        );
        assert_eq!(error.code().as_str(), "DOES_NOT_FIT_IN");
    }

    #[test]
    fn given_the_packer_picks_a_code_that_is_no_container_when_evaluated_then_it_is_refused() {
        let mut catalogue = catalogue();
        catalogue[0].active = false;
        let items = [item("BOOK", 1, [190, 140, 30], 400)];
        let cases = [
            ("NOPE", "there is no packaging NOPE in the catalogue"),
            ("carton-s", "packaging CARTON-S is inactive"),
            ("WRAP", "WRAP is bubble wrap, not a carton or mailer bag"),
            (
                "BAG-1L",
                "BAG-1L is a sealed bag, not a carton or mailer bag",
            ),
        ];
        for (code, message) in cases {
            let error = evaluate(&items, code, &catalogue, &rules()).unwrap_err();
            assert_eq!(error.to_string(), message, "{code}");
        }
    }

    #[test]
    fn given_a_product_when_turned_into_an_item_then_its_measures_and_flags_carry_over() {
        let product = Product {
            sku: "TEA-1".into(),
            name: "Oolong".into(),
            category: "tea".into(),
            price: cny("89.00"),
            gtin: None,
            weight_g: 250,
            dimensions_mm: [100, 80, 60],
            fragile: true,
            liquid: false,
            high_value: false,
        };
        assert_eq!(
            PackItem::from_product(&product, 2),
            fragile("TEA-1", 2, [100, 80, 60], 250)
        );
    }
}
