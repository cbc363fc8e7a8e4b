//! Money: an exact decimal amount in one ISO 4217 currency, always rounded to the currency's
//! minor unit. Floats never touch money; the database keeps integer minor units plus the
//! currency, and every conversion between the two is exact or refused.
//!
//! Arithmetic across currencies is an error, not a silent conversion, and every operation that
//! could overflow says so instead of panicking.

use std::cmp::Ordering;
use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// A currency Orderly can price in (ISO 4217). The list is fixed: adding one is a code change,
/// so every currency in the system has a known minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    /// Chinese yuan renminbi.
    Cny,
    /// US dollar.
    Usd,
    /// Euro.
    Eur,
    /// Pound sterling.
    Gbp,
    /// Japanese yen (no minor unit).
    Jpy,
    /// Hong Kong dollar.
    Hkd,
    /// South Korean won (no minor unit).
    Krw,
    /// Singapore dollar.
    Sgd,
    /// Australian dollar.
    Aud,
    /// Canadian dollar.
    Cad,
    /// Swiss franc.
    Chf,
    /// New Zealand dollar.
    Nzd,
}

impl Currency {
    /// Every supported currency, in declaration order.
    pub const ALL: &'static [Currency] = &[
        Currency::Cny,
        Currency::Usd,
        Currency::Eur,
        Currency::Gbp,
        Currency::Jpy,
        Currency::Hkd,
        Currency::Krw,
        Currency::Sgd,
        Currency::Aud,
        Currency::Cad,
        Currency::Chf,
        Currency::Nzd,
    ];

    /// Parses an ISO 4217 code: exactly three upper-case letters from the supported list.
    pub fn parse(code: &str) -> Result<Currency, MoneyError> {
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.code() == code)
            .ok_or_else(|| MoneyError::UnknownCurrency(code.to_string()))
    }

    /// The ISO 4217 code, e.g. `CNY`.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Cny => "CNY",
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Jpy => "JPY",
            Currency::Hkd => "HKD",
            Currency::Krw => "KRW",
            Currency::Sgd => "SGD",
            Currency::Aud => "AUD",
            Currency::Cad => "CAD",
            Currency::Chf => "CHF",
            Currency::Nzd => "NZD",
        }
    }

    /// Decimal places of the minor unit: 0 for JPY and KRW, 2 for the others.
    pub fn minor_exponent(self) -> u32 {
        match self {
            Currency::Jpy | Currency::Krw => 0,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Why a money value or operation was refused. Messages are sentences for people.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not one of the supported ISO 4217 codes (they are upper-case).
    #[error(
        "{0:?} is not a supported currency (use one of CNY, USD, EUR, GBP, JPY, HKD, KRW, SGD, AUD, CAD, CHF, NZD)"
    )]
    UnknownCurrency(String),
    /// The text is not a plain decimal number such as `123.45`.
    #[error("{0:?} is not a decimal amount like 123.45")]
    InvalidAmount(String),
    /// The text has more decimal places than the currency's minor unit.
    #[error("{input:?} has more decimals than {currency} allows (at most {max})")]
    TooManyDecimals {
        /// The text as given.
        input: String,
        /// The currency it was parsed for.
        currency: Currency,
        /// The currency's minor exponent.
        max: u32,
    },
    /// A negative amount where only zero or more makes sense.
    #[error("must not be negative (got {0})")]
    Negative(String),
    /// Two amounts in different currencies were combined.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: Currency,
        /// The currency of the right operand.
        right: Currency,
    },
    /// The result does not fit (in a decimal, or in the i64 minor units of the database).
    #[error("the amount is too large")]
    Overflow,
}

/// An amount in one currency, always rounded to the currency's minor unit.
///
/// The fields are private so that no value can exist with more decimals than its currency has.
/// Equality compares values (`1.5` equals `1.50`); ordering is only defined within one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// The amount rounded to the currency's minor unit with banker's rounding (half to even),
    /// which keeps sums of many rounded amounts unbiased.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        let exponent = currency.minor_exponent();
        let mut amount =
            amount.round_dp_with_strategy(exponent, RoundingStrategy::MidpointNearestEven);
        amount.rescale(exponent);
        if amount.is_zero() {
            // No "-0.00": zero has one spelling.
            amount.set_sign_positive(true);
        }
        Money { amount, currency }
    }

    /// Nothing, in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    /// From integer minor units (cents, fen; yen for JPY), as the database stores money.
    pub fn from_minor(minor: i64, currency: Currency) -> Money {
        Money {
            amount: Decimal::from_i128_with_scale(i128::from(minor), currency.minor_exponent()),
            currency,
        }
    }

    /// Integer minor units for storage; exact because the amount is always rounded.
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        let exponent = self.currency.minor_exponent();
        let mut amount = self.amount;
        amount.rescale(exponent);
        if amount.scale() != exponent {
            // Only amounts far beyond i64 cannot carry the minor unit's decimals.
            return Err(MoneyError::Overflow);
        }
        i64::try_from(amount.mantissa()).map_err(|_| MoneyError::Overflow)
    }

    /// Parses a non-negative decimal string such as `123.45` (prices, totals, payments).
    ///
    /// Refuses negatives, exponents, thousands separators and more significant decimals than
    /// the currency allows; trailing zeros are fine (`100.00` JPY is 100 JPY).
    pub fn parse(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let money = Money::parse_signed(text, currency)?;
        if money.is_negative() {
            return Err(MoneyError::Negative(text.trim().to_string()));
        }
        Ok(money)
    }

    /// Like [`Money::parse`], but accepts a leading `-` (adjustments, corrections).
    pub fn parse_signed(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let amount = parse_decimal(text)?;
        let max = currency.minor_exponent();
        if amount.normalize().scale() > max {
            return Err(MoneyError::TooManyDecimals {
                input: text.trim().to_string(),
                currency,
                max,
            });
        }
        Ok(Money::new(amount, currency))
    }

    /// The decimal amount, with exactly the currency's number of decimals.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// `self + other`; both must be in the same currency.
    pub fn checked_add(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let sum = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(sum, self.currency))
    }

    /// `self − other`; both must be in the same currency. The result may be negative.
    pub fn checked_sub(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        let difference = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(difference, self.currency))
    }

    /// `self × quantity`, e.g. a line total from a unit price.
    pub fn times(&self, quantity: u32) -> Result<Money, MoneyError> {
        let product = self
            .amount
            .checked_mul(Decimal::from(quantity))
            .ok_or(MoneyError::Overflow)?;
        Ok(Money::new(product, self.currency))
    }

    /// The smaller of two amounts in the same currency.
    pub fn checked_min(&self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        Ok(if other.amount < self.amount {
            other
        } else {
            *self
        })
    }

    fn same_currency(&self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                left: self.currency,
                right: other.currency,
            })
        }
    }
}

/// Amounts compare only within one currency: `100 CNY` and `100 USD` are unordered (`None`).
impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Money) -> Option<Ordering> {
        (self.currency == other.currency).then(|| self.amount.cmp(&other.amount))
    }
}

/// `123.45 CNY`, `1500 JPY`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let places = self.currency.minor_exponent() as usize;
        write!(f, "{:.*} {}", places, self.amount, self.currency)
    }
}

/// Parses a plain decimal number: optional `-`, digits, optionally `.` and digits. Surrounding
/// white space is ignored; anything else (exponents, `+`, separators, `.5`) is refused, so what
/// a partner sends means exactly one thing.
pub fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    let trimmed = text.trim();
    let unsigned = trimmed.strip_prefix('-').unwrap_or(trimmed);
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
        return Err(MoneyError::InvalidAmount(text.to_string()));
    }
    Decimal::from_str_exact(trimmed).map_err(|_| MoneyError::InvalidAmount(text.to_string()))
}

/// Splits `total` over `weights` in proportion to them, by the largest-remainder method, so the
/// parts add up to `total` exactly, in minor units. No part exceeds its weight when `total` is
/// at most the sum of the weights (a discount never makes a line negative). Ties go to the
/// earlier weight, so the split is deterministic. With all weights zero, `total` is split evenly.
///
/// `total` must be zero or more and every weight in its currency; weights must not be negative.
pub fn allocate_proportionally(total: Money, weights: &[Money]) -> Result<Vec<Money>, MoneyError> {
    let currency = total.currency();
    if total.is_negative() {
        return Err(MoneyError::Negative(total.to_string()));
    }
    if weights.is_empty() {
        return Ok(Vec::new());
    }
    let mut minor_weights = Vec::with_capacity(weights.len());
    for weight in weights {
        total.same_currency(*weight)?;
        if weight.is_negative() {
            return Err(MoneyError::Negative(weight.to_string()));
        }
        minor_weights.push(i128::from(weight.to_minor()?));
    }
    if minor_weights.iter().all(|w| *w == 0) {
        minor_weights.iter_mut().for_each(|w| *w = 1);
    }
    let total_minor = i128::from(total.to_minor()?);
    let weight_sum: i128 = minor_weights.iter().sum();
    let mut shares = Vec::with_capacity(weights.len());
    let mut remainders = Vec::with_capacity(weights.len());
    for (index, weight) in minor_weights.iter().enumerate() {
        let scaled = total_minor
            .checked_mul(*weight)
            .ok_or(MoneyError::Overflow)?;
        shares.push(scaled / weight_sum);
        remainders.push((scaled % weight_sum, index));
    }
    let handed_out: i128 = shares.iter().sum();
    let leftover = usize::try_from(total_minor - handed_out).map_err(|_| MoneyError::Overflow)?;
    // Largest remainder first; among equals, the earlier line.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, index) in remainders.into_iter().take(leftover) {
        shares[index] += 1;
    }
    shares
        .into_iter()
        .map(|minor| {
            i64::try_from(minor)
                .map(|minor| Money::from_minor(minor, currency))
                .map_err(|_| MoneyError::Overflow)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn cny(s: &str) -> Money {
        Money::parse_signed(s, Currency::Cny).unwrap()
    }

    #[test]
    fn currencies_parse_from_their_upper_case_codes_only() {
        for currency in Currency::ALL {
            assert_eq!(Currency::parse(currency.code()), Ok(*currency));
            assert_eq!(currency.code().len(), 3);
        }
        for bad in ["", "cny", "Cny", "XXX", "CNYY", " CNY", "RMB"] {
            assert_eq!(
                Currency::parse(bad),
                Err(MoneyError::UnknownCurrency(bad.to_string())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn yen_and_won_have_no_minor_unit_the_others_have_two_decimals() {
        #[rustfmt::skip]
        let table = [
            (Currency::Cny, 2),
            (Currency::Usd, 2),
            (Currency::Eur, 2),
            (Currency::Gbp, 2),
            (Currency::Jpy, 0),
            (Currency::Hkd, 2),
            (Currency::Krw, 0),
        ];
        for (currency, exponent) in table {
            assert_eq!(currency.minor_exponent(), exponent, "{currency}");
        }
    }

    #[test]
    fn new_rounds_half_to_even_at_the_minor_unit() {
        #[rustfmt::skip]
        let table = [
            ("1.005", Currency::Cny, "1.00"),
            ("1.015", Currency::Cny, "1.02"),
            ("1.025", Currency::Cny, "1.02"),
            ("1.0251", Currency::Cny, "1.03"),
            ("-1.005", Currency::Usd, "-1.00"),
            ("-1.015", Currency::Usd, "-1.02"),
            ("2.5", Currency::Jpy, "2"),
            ("3.5", Currency::Jpy, "4"),
            ("1234.4999", Currency::Krw, "1234"),
            ("7", Currency::Eur, "7.00"),
        ];
        for (input, currency, expected) in table {
            let money = Money::new(dec(input), currency);
            assert_eq!(money.amount().to_string(), expected, "{input} {currency}");
        }
    }

    #[test]
    fn display_shows_the_minor_unit_and_the_code() {
        #[rustfmt::skip]
        let table = [
            (cny("123.45"), "123.45 CNY"),
            (cny("5"), "5.00 CNY"),
            (cny("-0.5"), "-0.50 CNY"),
            (Money::from_minor(1500, Currency::Jpy), "1500 JPY"),
            (Money::zero(Currency::Gbp), "0.00 GBP"),
        ];
        for (money, expected) in table {
            assert_eq!(money.to_string(), expected);
        }
    }

    #[test]
    fn minor_units_round_trip_exactly() {
        #[rustfmt::skip]
        let table = [
            (0_i64, Currency::Cny, "0.00"),
            (1, Currency::Cny, "0.01"),
            (12345, Currency::Usd, "123.45"),
            (-250, Currency::Eur, "-2.50"),
            (1500, Currency::Jpy, "1500"),
            (i64::MAX, Currency::Krw, "9223372036854775807"),
            (i64::MIN, Currency::Cny, "-92233720368547758.08"),
        ];
        for (minor, currency, amount) in table {
            let money = Money::from_minor(minor, currency);
            assert_eq!(money.amount().to_string(), amount);
            assert_eq!(money.to_minor(), Ok(minor));
        }
    }

    #[test]
    fn amounts_beyond_i64_minor_units_are_refused_for_storage() {
        let huge = Money::new(dec("100000000000000000000"), Currency::Cny);
        assert_eq!(huge.to_minor(), Err(MoneyError::Overflow));
    }

    #[test]
    fn parse_accepts_plain_decimals_within_the_minor_unit() {
        #[rustfmt::skip]
        let table = [
            ("123.45", Currency::Cny, "123.45"),
            ("  7 ", Currency::Cny, "7.00"),
            ("0.1", Currency::Usd, "0.10"),
            ("100.00", Currency::Jpy, "100"),
            ("1.230", Currency::Eur, "1.23"),
            ("0", Currency::Krw, "0"),
            ("-0", Currency::Cny, "0.00"),
        ];
        for (input, currency, expected) in table {
            let money = Money::parse(input, currency).unwrap();
            assert_eq!(money.amount().to_string(), expected, "{input:?}");
        }
    }

    #[test]
    fn parse_refuses_malformed_text_extra_decimals_and_negatives() {
        let invalid = |s: &str| MoneyError::InvalidAmount(s.to_string());
        #[rustfmt::skip]
        let table = [
            ("", invalid("")),
            ("abc", invalid("abc")),
            ("1e3", invalid("1e3")),
            ("+1", invalid("+1")),
            ("1,000.00", invalid("1,000.00")),
            (".5", invalid(".5")),
            ("5.", invalid("5.")),
            ("1.2.3", invalid("1.2.3")),
            ("- 1", invalid("- 1")),
            ("99999999999999999999999999999999", invalid("99999999999999999999999999999999")),
            (
                "1.234",
                MoneyError::TooManyDecimals {
                    input: "1.234".into(),
                    currency: Currency::Cny,
                    max: 2,
                },
            ),
            ("-1.00", MoneyError::Negative("-1.00".into())),
        ];
        for (input, expected) in table {
            assert_eq!(
                Money::parse(input, Currency::Cny),
                Err(expected),
                "{input:?}"
            );
        }
        assert_eq!(
            Money::parse("100.5", Currency::Jpy),
            Err(MoneyError::TooManyDecimals {
                input: "100.5".into(),
                currency: Currency::Jpy,
                max: 0
            })
        );
        assert_eq!(
            Money::parse("1.234", Currency::Cny)
                .unwrap_err()
                .to_string(),
            "\"1.234\" has more decimals than CNY allows (at most 2)"
        );
    }

    #[test]
    fn parse_signed_accepts_negatives() {
        assert_eq!(
            Money::parse_signed("-12.30", Currency::Usd)
                .unwrap()
                .to_string(),
            "-12.30 USD"
        );
    }

    #[test]
    fn arithmetic_stays_in_one_currency() {
        assert_eq!(cny("1.10").checked_add(cny("2.25")), Ok(cny("3.35")));
        assert_eq!(cny("1.10").checked_sub(cny("2.25")), Ok(cny("-1.15")));
        assert_eq!(cny("19.99").times(3), Ok(cny("59.97")));
        assert_eq!(cny("19.99").times(0), Ok(cny("0")));
        assert_eq!(cny("2").checked_min(cny("1.5")), Ok(cny("1.5")));
        let usd = Money::from_minor(100, Currency::Usd);
        let mismatch = MoneyError::CurrencyMismatch {
            left: Currency::Cny,
            right: Currency::Usd,
        };
        assert_eq!(cny("1").checked_add(usd), Err(mismatch.clone()));
        assert_eq!(cny("1").checked_sub(usd), Err(mismatch.clone()));
        assert_eq!(cny("1").checked_min(usd), Err(mismatch));
        assert_eq!(
            Money::new(Decimal::MAX, Currency::Krw).times(2),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn equal_values_are_equal_and_only_one_currency_is_ordered() {
        assert_eq!(cny("1.5"), Money::new(dec("1.500"), Currency::Cny));
        assert!(cny("1.5") < cny("2"));
        assert_eq!(
            cny("1").partial_cmp(&Money::from_minor(100, Currency::Usd)),
            None
        );
        assert_ne!(cny("1"), Money::from_minor(100, Currency::Hkd));
    }

    #[test]
    fn money_serializes_its_amount_as_a_decimal_string() {
        let json = serde_json::to_string(&cny("12.3")).unwrap();
        assert_eq!(json, r#"{"amount":"12.30","currency":"CNY"}"#);
    }

    #[test]
    fn proportional_allocation_adds_up_exactly_and_never_exceeds_a_weight() {
        // (total, weights, expected parts), all CNY.
        #[rustfmt::skip]
        let table: &[(&str, &[&str], &[&str])] = &[
            ("10.00", &["100.00", "100.00", "100.00"], &["3.34", "3.33", "3.33"]),
            ("0.02", &["1.00", "1.00", "1.00"], &["0.01", "0.01", "0.00"]),
            ("10.00", &["50.00", "30.00", "20.00"], &["5.00", "3.00", "2.00"]),
            ("0.05", &["0.01", "0.01", "10.00"], &["0.00", "0.00", "0.05"]),
            ("3.00", &["1.00", "1.00", "1.00"], &["1.00", "1.00", "1.00"]),
            ("1.00", &["0.33", "0.33", "0.34"], &["0.33", "0.33", "0.34"]),
            ("0.00", &["5.00", "6.00"], &["0.00", "0.00"]),
            ("7.77", &["12.34"], &["7.77"]),
            ("0.03", &["0.00", "0.00"], &["0.02", "0.01"]),
            ("0.10", &["0.00", "9.00", "1.00"], &["0.00", "0.09", "0.01"]),
        ];
        for (total, weights, expected) in table {
            let weights: Vec<Money> = weights.iter().map(|w| cny(w)).collect();
            let parts = allocate_proportionally(cny(total), &weights).unwrap();
            let shown: Vec<String> = parts.iter().map(|p| p.amount().to_string()).collect();
            assert_eq!(&shown, expected, "{total} over {weights:?}");
            let sum = parts
                .iter()
                .try_fold(Money::zero(Currency::Cny), |a, p| a.checked_add(*p));
            assert_eq!(sum, Ok(cny(total)));
        }
    }

    #[test]
    fn proportional_allocation_refuses_negative_totals_and_mixed_currencies() {
        assert_eq!(allocate_proportionally(cny("1"), &[]), Ok(vec![]));
        assert_eq!(
            allocate_proportionally(cny("-1"), &[cny("1")]),
            Err(MoneyError::Negative("-1.00 CNY".into()))
        );
        assert_eq!(
            allocate_proportionally(cny("1"), &[Money::from_minor(1, Currency::Usd)]),
            Err(MoneyError::CurrencyMismatch {
                left: Currency::Cny,
                right: Currency::Usd
            })
        );
    }
}
