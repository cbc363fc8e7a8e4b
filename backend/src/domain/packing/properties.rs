//! Property tests of cartonization as a whole, over random catalogues and shipments: every
//! answer is physically true (placements inside the box, no overlap, weight within the limit,
//! the protection the rules demand), the suggestion is the cheapest container the packer could
//! have chosen, and "nothing fits" means no container is accepted either.

use orderly_shared::PackagingKind;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use super::cartonization::{PackItem, PackingRules, evaluate, suggest};
use super::errors::CartonizationError;
use super::measures::Dimensions;
use super::packaging::{Packaging, is_container};
use super::suggestion::Suggestion;
use super::testkit::{assert_valid, packaging};
use crate::domain::money::{Currency, Money};

/// One catalogue entry of `kind`; its code is given once the catalogue is assembled.
fn entry_of(kind: PackagingKind) -> impl Strategy<Value = Packaging> {
    (
        (40..=450u32, 40..=450u32, 20..=450u32),
        300..=20_000u32,
        0..=300u32,
        0..=600i64,
        prop::bool::weighted(0.85),
    )
        .prop_map(move |(inner, max_weight_g, tare, cost_minor, active)| {
            let mut entry = packaging(
                "",
                kind,
                [inner.0, inner.1, inner.2],
                max_weight_g,
                tare.min(max_weight_g - 1),
                "0",
            );
            entry.cost = Money::from_minor(cost_minor, Currency::Cny);
            entry.active = active;
            entry
        })
}

/// 1–6 containers (a third mailer bags), up to 2 sealed bags and up to 2 bubble wraps, some
/// inactive, with unique codes.
fn catalogue() -> impl Strategy<Value = Vec<Packaging>> {
    let container = prop_oneof![
        2 => entry_of(PackagingKind::Carton),
        1 => entry_of(PackagingKind::MailerBag),
    ];
    (
        prop::collection::vec(container, 1..=6),
        prop::collection::vec(entry_of(PackagingKind::SealedBag), 0..=2),
        prop::collection::vec(entry_of(PackagingKind::BubbleWrap), 0..=2),
    )
        .prop_map(|(containers, bags, wraps)| {
            let mut all: Vec<Packaging> = containers.into_iter().chain(bags).chain(wraps).collect();
            for (index, entry) in all.iter_mut().enumerate() {
                entry.code = format!("{}-{index}", entry.kind.as_str());
            }
            all
        })
}

/// 1–4 lines of 1–4 units; one in five fragile, one in five liquid.
fn items() -> impl Strategy<Value = Vec<PackItem>> {
    let line = (
        1..=4u32,
        (5..=250u32, 5..=250u32, 5..=150u32),
        5..=3_000u32,
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
    );
    prop::collection::vec(line, 1..=4).prop_map(|lines| {
        lines
            .into_iter()
            .enumerate()
            .map(
                |(index, (quantity, size, weight_g, fragile, liquid))| PackItem {
                    sku: format!("SKU-{index}"),
                    quantity,
                    dimensions: Dimensions::new(size.0, size.1, size.2),
                    weight_g,
                    fragile,
                    liquid,
                },
            )
            .collect()
    })
}

/// The space each unit takes, in item order, as the placements list them.
fn spaces(items: &[PackItem], rules: &PackingRules) -> Vec<Dimensions> {
    items
        .iter()
        .flat_map(|i| {
            let space = if i.fragile {
                i.dimensions.padded(rules.bubble_padding_mm)
            } else {
                i.dimensions
            };
            std::iter::repeat_n(space, i.quantity as usize)
        })
        .collect()
}

fn entry<'a>(catalogue: &'a [Packaging], code: &str) -> &'a Packaging {
    catalogue.iter().find(|p| p.code == code).unwrap()
}

/// Everything an accepted packaging must satisfy, however it was found.
fn assert_really_fits(
    items: &[PackItem],
    catalogue: &[Packaging],
    rules: &PackingRules,
    s: &Suggestion,
) {
    let container = entry(catalogue, &s.container);
    let fragile_units: u32 = items.iter().filter(|i| i.fragile).map(|i| i.quantity).sum();
    let liquid_units: u32 = items.iter().filter(|i| i.liquid).map(|i| i.quantity).sum();
    assert!(container.active && is_container(container.kind), "{s:?}");
    assert_eq!(s.container_kind, container.kind);
    assert_eq!(s.container_inner, container.inner);
    if fragile_units > 0 {
        assert_eq!(container.kind, PackagingKind::Carton, "{s:?}");
    }
    assert_valid(container.inner, &spaces(items, rules), &s.placements);
    let mut tare_g = u64::from(container.tare_weight_g);
    let mut cost = container.cost;
    let (mut bags, mut wraps) = (0, 0);
    for extra in &s.extras {
        let used = entry(catalogue, &extra.code);
        assert!(used.active);
        assert_eq!(used.kind, extra.kind);
        tare_g += u64::from(used.tare_weight_g) * u64::from(extra.count);
        cost = cost
            .checked_add(used.cost.times(extra.count).unwrap())
            .unwrap();
        match used.kind {
            PackagingKind::SealedBag => bags += extra.count,
            PackagingKind::BubbleWrap => wraps += extra.count,
            other => panic!("{other:?} used as an extra"),
        }
    }
    assert_eq!((bags, wraps), (liquid_units, fragile_units));
    assert_eq!(s.total_cost, cost);
    let items_g: u64 = items
        .iter()
        .map(|i| u64::from(i.weight_g) * u64::from(i.quantity))
        .sum();
    assert_eq!(u64::from(s.packed_weight_g), items_g + tare_g);
    assert!(s.packed_weight_g <= container.max_weight_g);
    for placement in &s.placements {
        let line = items.iter().find(|i| i.sku == placement.sku).unwrap();
        assert_eq!(
            (placement.wrapped, placement.sealed),
            (line.fragile, line.liquid)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1_000))]

    #[test]
    fn suggest_never_returns_a_container_the_items_do_not_fit_and_always_the_cheapest(
        catalogue in catalogue(),
        items in items(),
    ) {
        let rules = PackingRules::default();
        let accepted: Vec<Suggestion> = catalogue
            .iter()
            .filter_map(|p| evaluate(&items, &p.code, &catalogue, &rules).ok())
            .collect();
        for s in &accepted {
            assert_really_fits(&items, &catalogue, &rules, s);
        }
        match suggest(&items, &catalogue, &rules) {
            Ok(s) => {
                assert_really_fits(&items, &catalogue, &rules, &s);
                let key = |s: &Suggestion| {
                    let container = entry(&catalogue, &s.container);
                    (s.total_cost.amount(), container.inner.volume_mm3(), container.code.clone())
                };
                for other in &accepted {
                    prop_assert!(key(&s) <= key(other), "{:?} chosen over {:?}", s, other);
                }
                // The packer choosing the suggestion gets the same packing and price.
                let packer = evaluate(&items, &s.container, &catalogue, &rules).unwrap();
                prop_assert_eq!(
                    (&packer.placements, packer.total_cost, &packer.extras),
                    (&s.placements, s.total_cost, &s.extras)
                );
            }
            // "Nothing fits" (or nothing protects) means the packer cannot force anything either.
            Err(error) => prop_assert!(accepted.is_empty(), "{} yet {:?}", error, accepted),
        }
    }

    #[test]
    fn a_mailer_bag_is_never_accepted_for_fragile_items(
        catalogue in catalogue(),
        mut items in items(),
    ) {
        let rules = PackingRules::default();
        items[0].fragile = true;
        for bag in catalogue.iter().filter(|p| p.kind == PackagingKind::MailerBag) {
            let refused = evaluate(&items, &bag.code, &catalogue, &rules).unwrap_err();
            prop_assert!(
                matches!(
                    refused,
                    CartonizationError::FragileNeedsCarton { .. }
                        | CartonizationError::InactiveContainer { .. }
                ),
                "{}",
                refused
            );
        }
        if let Ok(s) = suggest(&items, &catalogue, &rules) {
            prop_assert_eq!(s.container_kind, PackagingKind::Carton);
        }
    }
}

/// The generators are not degenerate: over a fixed sample, both suggestions and "nothing
/// fits" occur often, so the properties above exercise both branches.
#[test]
fn the_generated_cases_include_both_suggestions_and_nothing_fits() {
    let mut runner = TestRunner::deterministic();
    let (mut suggested, mut nothing_fits) = (0, 0);
    for _ in 0..500 {
        let catalogue = catalogue().new_tree(&mut runner).unwrap().current();
        let items = items().new_tree(&mut runner).unwrap().current();
        match suggest(&items, &catalogue, &PackingRules::default()) {
            Ok(_) => suggested += 1,
            Err(
                CartonizationError::ItemTooLarge { .. }
                | CartonizationError::TooHeavy { .. }
                | CartonizationError::NoContainerFits { .. },
            ) => nothing_fits += 1,
            Err(_) => {}
        }
    }
    assert!(suggested > 50, "only {suggested} of 500 suggested");
    assert!(
        nothing_fits > 50,
        "only {nothing_fits} of 500 found nothing fitting"
    );
}
