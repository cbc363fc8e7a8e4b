//! Cash on delivery reconciliation: comparing what a carrier remits for each order with what
//! the payments ledger says it collected at the door.

use crate::domain::money::{Money, MoneyError};
use orderly_shared::CodFinding;

/// One order's line of a remittance, assessed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Assessment {
    /// What the ledger says was collected (zero when it has no collection).
    pub expected: Money,
    /// Remitted less expected: negative when the carrier kept some of the cash.
    pub difference: Money,
    pub finding: CodFinding,
}

/// Compares a remitted amount with the collection on record, if any.
pub fn assess(collected: Option<Money>, remitted: Money) -> Result<Assessment, MoneyError> {
    let expected = collected.unwrap_or(Money::zero(remitted.currency()));
    let difference = remitted.checked_sub(expected)?;
    let finding = match collected {
        None => CodFinding::NotCollected,
        Some(_) if difference.is_zero() => CodFinding::Matched,
        Some(_) if difference.is_negative() => CodFinding::Short,
        Some(_) => CodFinding::Over,
    };
    Ok(Assessment {
        expected,
        difference,
        finding,
    })
}

/// The finding of a stored line from its two amounts (the line keeps whether it matched a
/// collection as `collected`).
pub fn finding(collected: bool, expected_minor: i64, remitted_minor: i64) -> CodFinding {
    match (collected, remitted_minor.cmp(&expected_minor)) {
        (false, _) => CodFinding::NotCollected,
        (true, std::cmp::Ordering::Equal) => CodFinding::Matched,
        (true, std::cmp::Ordering::Less) => CodFinding::Short,
        (true, std::cmp::Ordering::Greater) => CodFinding::Over,
    }
}

/// For each line, the earlier line with the same key (a statement must name an order once).
pub fn repeated<K: PartialEq>(keys: &[K]) -> Vec<Option<usize>> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| keys[..i].iter().position(|earlier| earlier == k))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    fn cny(s: &str) -> Money {
        Money::parse_signed(s, Currency::parse("CNY").unwrap()).unwrap()
    }

    #[test]
    fn a_remittance_of_exactly_the_collected_cash_matches() {
        let a = assess(Some(cny("120.50")), cny("120.50")).unwrap();
        assert_eq!(a.finding, CodFinding::Matched);
        assert!(a.difference.is_zero());
        assert_eq!(a.expected, cny("120.50"));
    }

    #[test]
    fn less_is_short_and_more_is_over_by_the_signed_difference() {
        let short = assess(Some(cny("120.50")), cny("100.00")).unwrap();
        assert_eq!(
            (short.finding, short.difference),
            (CodFinding::Short, cny("-20.50"))
        );
        let over = assess(Some(cny("120.50")), cny("121.00")).unwrap();
        assert_eq!(
            (over.finding, over.difference),
            (CodFinding::Over, cny("0.50"))
        );
    }

    #[test]
    fn cash_for_an_order_never_collected_is_all_difference() {
        let a = assess(None, cny("80.00")).unwrap();
        assert_eq!(a.finding, CodFinding::NotCollected);
        assert_eq!((a.expected, a.difference), (cny("0.00"), cny("80.00")));
    }

    #[test]
    fn a_collection_in_another_currency_is_refused() {
        let usd = Money::parse("80.00", Currency::parse("USD").unwrap()).unwrap();
        assert!(assess(Some(usd), cny("80.00")).is_err());
    }

    #[test]
    fn stored_lines_give_the_same_findings_as_assessment() {
        for (collected, remitted) in [
            (Some("10.00"), "10.00"),
            (Some("10.00"), "9.99"),
            (Some("10.00"), "10.01"),
            (None, "10.00"),
        ] {
            let a = assess(collected.map(cny), cny(remitted)).unwrap();
            let stored = finding(
                collected.is_some(),
                a.expected.to_minor().unwrap(),
                cny(remitted).to_minor().unwrap(),
            );
            assert_eq!(stored, a.finding, "{collected:?} vs {remitted}");
        }
    }

    #[test]
    fn repeated_points_each_line_at_its_first_occurrence() {
        assert_eq!(
            repeated(&["A", "B", "A", "C", "B", "A"]),
            vec![None, None, Some(0), None, Some(1), Some(0)]
        );
        assert!(repeated::<&str>(&[]).is_empty());
    }
}
