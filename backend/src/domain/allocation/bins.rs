//! Where in a warehouse to reserve: of the bins holding one SKU, the fewest that cover the
//! quantity, because every extra bin is another walk for the picker.

/// Chooses bins to reserve `quantity` units from, given each bin's code and available units.
/// One bin that holds enough wins (the one with the least sufficient stock, keeping fuller bins
/// for larger orders; ties by bin code); otherwise the fullest bins first (ties by bin code).
/// Returns `(bin, units)` pairs with no zero units; their total falls short of `quantity` only
/// when the bins together hold less.
pub fn pick_bins(bins: &[(String, u32)], quantity: u32) -> Vec<(String, u32)> {
    if quantity == 0 {
        return Vec::new();
    }
    let single = bins
        .iter()
        .filter(|(_, available)| *available >= quantity)
        .min_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    if let Some((bin, _)) = single {
        return vec![(bin.clone(), quantity)];
    }
    let mut fullest_first: Vec<&(String, u32)> = bins
        .iter()
        .filter(|(_, available)| *available > 0)
        .collect();
    fullest_first.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut missing = quantity;
    let mut picked = Vec::new();
    for (bin, available) in fullest_first {
        if missing == 0 {
            break;
        }
        let units = missing.min(*available);
        picked.push((bin.clone(), units));
        missing -= units;
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bins(rows: &[(&str, u32)]) -> Vec<(String, u32)> {
        rows.iter()
            .map(|(bin, units)| (bin.to_string(), *units))
            .collect()
    }

    #[test]
    fn one_bin_that_holds_enough_is_preferred_and_the_smallest_such_bin_wins() {
        let shelf = bins(&[("A-01", 50), ("A-02", 3), ("A-03", 8), ("A-04", 5)]);
        assert_eq!(pick_bins(&shelf, 5), bins(&[("A-04", 5)]));
        assert_eq!(pick_bins(&shelf, 6), bins(&[("A-03", 6)]));
        assert_eq!(pick_bins(&shelf, 50), bins(&[("A-01", 50)]));
    }

    #[test]
    fn equally_sufficient_bins_are_chosen_by_code() {
        let shelf = bins(&[("B-02", 4), ("B-01", 4), ("A-09", 9)]);
        assert_eq!(pick_bins(&shelf, 3), bins(&[("B-01", 3)]));
    }

    #[test]
    fn when_no_bin_holds_enough_the_fullest_bins_are_emptied_first() {
        let shelf = bins(&[("A-01", 2), ("A-02", 5), ("A-03", 4), ("A-04", 1)]);
        assert_eq!(pick_bins(&shelf, 8), bins(&[("A-02", 5), ("A-03", 3)]));
        assert_eq!(
            pick_bins(&shelf, 11),
            bins(&[("A-02", 5), ("A-03", 4), ("A-01", 2)])
        );
    }

    #[test]
    fn equally_full_bins_are_emptied_in_code_order() {
        let shelf = bins(&[("C-03", 3), ("C-01", 3), ("C-02", 3)]);
        assert_eq!(
            pick_bins(&shelf, 7),
            bins(&[("C-01", 3), ("C-02", 3), ("C-03", 1)])
        );
    }

    #[test]
    fn bins_holding_too_little_give_everything_they_have() {
        let shelf = bins(&[("A-01", 2), ("A-02", 0), ("A-03", 1)]);
        assert_eq!(pick_bins(&shelf, 10), bins(&[("A-01", 2), ("A-03", 1)]));
        assert_eq!(pick_bins(&[], 10), bins(&[]));
        assert_eq!(pick_bins(&bins(&[("A-01", 0)]), 1), bins(&[]));
    }

    #[test]
    fn reserving_nothing_picks_no_bin() {
        assert_eq!(pick_bins(&bins(&[("A-01", 0), ("A-02", 4)]), 0), bins(&[]));
    }

    #[test]
    fn picked_bins_never_exceed_what_a_bin_holds_nor_what_is_asked() {
        let shelf = bins(&[
            ("A-01", 4),
            ("A-02", 0),
            ("A-03", 7),
            ("A-04", 1),
            ("A-05", 7),
        ]);
        for quantity in 0..=25 {
            let picked = pick_bins(&shelf, quantity);
            let total: u32 = picked.iter().map(|(_, units)| units).sum();
            assert_eq!(total, quantity.min(19), "asked {quantity}");
            for (bin, units) in &picked {
                let held = shelf.iter().find(|(b, _)| b == bin).map_or(0, |(_, u)| *u);
                assert!(
                    *units > 0 && *units <= held,
                    "asked {quantity}: {bin} × {units}"
                );
            }
        }
    }
}
