//! Pricing: what an order costs, computed by the server in exact decimals (SPEC §2.1). Prices
//! include tax; coupons stack in the order given, each on what the previous ones left; the order
//! discount is split over the lines so that the line discounts add up to it exactly, which is
//! what refunds of single lines rely on later.

use chrono::{DateTime, SecondsFormat, Utc};
use orderly_shared::FieldProblem;
use rust_decimal::Decimal;

use crate::domain::money::{Currency, Money, MoneyError, allocate_proportionally};

/// A product as the catalogue had it when the order was priced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSnapshot {
    /// Stock-keeping unit, the catalogue key.
    pub sku: String,
    /// Display name, kept on the order line.
    pub name: String,
    /// Price of one unit, tax included.
    pub unit_price: Money,
    /// Inactive products cannot be ordered.
    pub active: bool,
    /// Shipping weight of one unit, in grams.
    pub weight_g: u32,
}

/// What a coupon takes off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouponKind {
    /// A percentage of what remains, `0 < p ≤ 100`.
    Percentage(Decimal),
    /// A fixed amount, at most what remains.
    Fixed(Money),
}

/// A coupon with its rules and how often it has been used (for this customer, too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coupon {
    /// The code, upper-case.
    pub code: String,
    /// Percentage or fixed amount.
    pub kind: CouponKind,
    /// Not usable before.
    pub valid_from: DateTime<Utc>,
    /// Not usable from this instant on; `None`: never expires.
    pub valid_until: Option<DateTime<Utc>>,
    /// The subtotal (before any discount) must be at least this.
    pub min_order_value: Option<Money>,
    /// Uses allowed over all customers.
    pub total_limit: Option<u32>,
    /// Uses so far over all customers.
    pub used_total: u32,
    /// Uses allowed per customer.
    pub per_customer_limit: Option<u32>,
    /// Uses so far by the ordering customer.
    pub used_by_customer: u32,
    /// Switched off by the merchant.
    pub active: bool,
}

/// The merchant's shipping and tax settings for one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricingPolicy {
    /// Charged per order unless shipping is free.
    pub shipping_fee: Money,
    /// Shipping is free when the discounted subtotal reaches this.
    pub free_shipping_from: Option<Money>,
    /// VAT rate included in prices, e.g. `0.13`.
    pub tax_rate: Decimal,
}

/// One priced order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PricedLine {
    /// The product.
    pub sku: String,
    /// The product's name at pricing time.
    pub name: String,
    /// Units ordered.
    pub quantity: u32,
    /// Price of one unit.
    pub unit_price: Money,
    /// `unit_price × quantity`.
    pub line_total: Money,
    /// This line's share of the order discount.
    pub discount: Money,
}

impl PricedLine {
    /// What the customer pays for the line: `line_total − discount` (never negative).
    pub fn net_total(&self) -> Result<Money, MoneyError> {
        self.line_total.checked_sub(self.discount)
    }
}

/// What an order costs. `total = subtotal − discount + shipping`; the line discounts add up to
/// `discount` exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The lines, in input order.
    pub lines: Vec<PricedLine>,
    /// Sum of line totals.
    pub subtotal: Money,
    /// All coupons together, at most `subtotal`.
    pub discount: Money,
    /// The shipping fee, or zero.
    pub shipping: Money,
    /// The tax contained in `total`.
    pub tax_included: Money,
    /// What the customer pays.
    pub total: Money,
    /// The order's currency.
    pub currency: Currency,
    /// Shipping weight of all units, in grams.
    pub weight_g: u64,
}

/// Prices `lines` (product, quantity) with `coupons` applied in order; every problem at once.
///
/// Coupon problems are at `couponCodes[i]`, `i` being the coupon's index in `coupons`; unknown
/// codes are the caller's to report. Codes: `COUPON_INACTIVE`, `COUPON_NOT_STARTED`,
/// `COUPON_EXPIRED`, `COUPON_LIMIT_REACHED`, `COUPON_MINIMUM_NOT_MET`, `COUPON_INVALID`,
/// `CURRENCY_MISMATCH`; for lines `REQUIRED`, `MUST_BE_POSITIVE`, `INACTIVE_SKU`,
/// `CURRENCY_MISMATCH`, `TOO_LARGE`.
pub fn price(
    lines: &[(ProductSnapshot, u32)],
    coupons: &[&Coupon],
    policy: &PricingPolicy,
    now: DateTime<Utc>,
) -> Result<Quote, Vec<FieldProblem>> {
    let at_paths: Vec<(String, &Coupon)> = coupons
        .iter()
        .enumerate()
        .map(|(i, coupon)| (format!("couponCodes[{i}]"), *coupon))
        .collect();
    price_at_paths(lines, &at_paths, policy, now)
}

/// [`price`] with each coupon's problems reported at the path given with it.
pub(crate) fn price_at_paths(
    lines: &[(ProductSnapshot, u32)],
    coupons: &[(String, &Coupon)],
    policy: &PricingPolicy,
    now: DateTime<Utc>,
) -> Result<Quote, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let Some((first, _)) = lines.first() else {
        return Err(vec![FieldProblem::new(
            "lines",
            "REQUIRED",
            "an order needs at least one line",
        )]);
    };
    let currency = first.unit_price.currency();
    for (i, (product, quantity)) in lines.iter().enumerate() {
        let sku_path = format!("lines[{i}].sku");
        if !product.active {
            problems.push(inactive_sku(&sku_path, &product.sku));
        }
        if product.unit_price.currency() != currency {
            problems.push(line_currency_mismatch(&sku_path, product, currency));
        }
        if *quantity == 0 {
            problems.push(FieldProblem::new(
                format!("lines[{i}].quantity"),
                "MUST_BE_POSITIVE",
                "must be at least 1 (got 0)",
            ));
        }
    }
    for (what, money) in [
        ("shipping fee", Some(policy.shipping_fee)),
        ("free shipping threshold", policy.free_shipping_from),
    ] {
        if let Some(money) = money.filter(|m| m.currency() != currency) {
            problems.push(FieldProblem::new(
                "lines",
                "CURRENCY_MISMATCH",
                format!(
                    "the order is in {currency} but the {what} is in {}",
                    money.currency()
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let too_large = |_: MoneyError| {
        vec![FieldProblem::new(
            "lines",
            "TOO_LARGE",
            "the order's amounts are too large to price",
        )]
    };
    let mut line_totals = Vec::with_capacity(lines.len());
    let mut subtotal = Money::zero(currency);
    let mut weight_g: u64 = 0;
    for (product, quantity) in lines {
        let line_total = product.unit_price.times(*quantity).map_err(too_large)?;
        subtotal = subtotal.checked_add(line_total).map_err(too_large)?;
        weight_g = weight_g.saturating_add(u64::from(product.weight_g) * u64::from(*quantity));
        line_totals.push(line_total);
    }

    let mut discount = Money::zero(currency);
    let mut remaining = subtotal;
    for (path, coupon) in coupons {
        let mut coupon_problems = check_coupon(path, coupon, Some(currency), now);
        if let Some(minimum) = coupon.min_order_value
            && minimum.currency() == currency
            && subtotal < minimum
        {
            coupon_problems.push(FieldProblem::new(
                path.as_str(),
                "COUPON_MINIMUM_NOT_MET",
                format!(
                    "{} needs an order of at least {minimum} (got {subtotal})",
                    coupon.code
                ),
            ));
        }
        if !coupon_problems.is_empty() {
            problems.extend(coupon_problems);
            continue;
        }
        let off = match coupon.kind {
            CouponKind::Percentage(percent) => remaining
                .amount()
                .checked_mul(percent)
                .and_then(|a| a.checked_div(Decimal::ONE_HUNDRED))
                .map(|a| Money::new(a, currency))
                .ok_or(MoneyError::Overflow),
            CouponKind::Fixed(amount) => Ok(amount),
        }
        .and_then(|off| off.checked_min(remaining))
        .map_err(too_large)?;
        remaining = remaining.checked_sub(off).map_err(too_large)?;
        discount = discount.checked_add(off).map_err(too_large)?;
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let line_discounts = allocate_proportionally(discount, &line_totals).map_err(too_large)?;
    let free = policy
        .free_shipping_from
        .is_some_and(|threshold| remaining >= threshold);
    let shipping = if free {
        Money::zero(currency)
    } else {
        policy.shipping_fee
    };
    let total = remaining.checked_add(shipping).map_err(too_large)?;
    let tax_included = total
        .amount()
        .checked_mul(policy.tax_rate)
        .and_then(|a| a.checked_div(Decimal::ONE.checked_add(policy.tax_rate)?))
        .map(|a| Money::new(a, currency))
        .ok_or(MoneyError::Overflow)
        .map_err(too_large)?;

    let priced = lines
        .iter()
        .zip(line_totals)
        .zip(line_discounts)
        .map(|(((product, quantity), line_total), discount)| PricedLine {
            sku: product.sku.clone(),
            name: product.name.clone(),
            quantity: *quantity,
            unit_price: product.unit_price,
            line_total,
            discount,
        })
        .collect();
    Ok(Quote {
        lines: priced,
        subtotal,
        discount,
        shipping,
        tax_included,
        total,
        currency,
        weight_g,
    })
}

pub(crate) fn inactive_sku(path: &str, sku: &str) -> FieldProblem {
    FieldProblem::new(path, "INACTIVE_SKU", format!("{sku:?} is no longer sold"))
}

pub(crate) fn line_currency_mismatch(
    path: &str,
    product: &ProductSnapshot,
    order_currency: Currency,
) -> FieldProblem {
    FieldProblem::new(
        path,
        "CURRENCY_MISMATCH",
        format!(
            "{:?} is priced in {} but the order is in {order_currency}",
            product.sku,
            product.unit_price.currency()
        ),
    )
}

/// The problems of `coupon` that do not depend on the order's amounts: switched off, outside
/// its validity, used up, misconfigured, or (when the order currency is known) in another
/// currency. [`price`] runs these too; call this when the order cannot be priced.
pub fn check_coupon(
    path: &str,
    coupon: &Coupon,
    currency: Option<Currency>,
    now: DateTime<Utc>,
) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let code = &coupon.code;
    let at = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    if !coupon.active {
        problems.push(FieldProblem::new(
            path,
            "COUPON_INACTIVE",
            format!("{code} is not active"),
        ));
    }
    if now < coupon.valid_from {
        problems.push(FieldProblem::new(
            path,
            "COUPON_NOT_STARTED",
            format!("{code} is valid from {}", at(coupon.valid_from)),
        ));
    }
    if let Some(until) = coupon.valid_until
        && now >= until
    {
        problems.push(FieldProblem::new(
            path,
            "COUPON_EXPIRED",
            format!("{code} expired at {}", at(until)),
        ));
    }
    if let Some(limit) = coupon.total_limit
        && coupon.used_total >= limit
    {
        problems.push(FieldProblem::new(
            path,
            "COUPON_LIMIT_REACHED",
            format!(
                "{code} has been used {} times, its limit is {limit}",
                coupon.used_total
            ),
        ));
    }
    if let Some(limit) = coupon.per_customer_limit
        && coupon.used_by_customer >= limit
    {
        problems.push(FieldProblem::new(
            path,
            "COUPON_LIMIT_REACHED",
            format!(
                "this customer has used {code} {} times, the limit per customer is {limit}",
                coupon.used_by_customer
            ),
        ));
    }
    let coupon_currencies = match coupon.kind {
        CouponKind::Percentage(percent) => {
            if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
                problems.push(FieldProblem::new(
                    path,
                    "COUPON_INVALID",
                    format!("{code} takes off {percent}%, which is not between 0 and 100"),
                ));
            }
            vec![]
        }
        CouponKind::Fixed(amount) => {
            if amount.is_negative() || amount.is_zero() {
                problems.push(FieldProblem::new(
                    path,
                    "COUPON_INVALID",
                    format!("{code} takes off {amount}, which is not above zero"),
                ));
            }
            vec![amount.currency()]
        }
    };
    if let Some(currency) = currency {
        let other = coupon_currencies
            .into_iter()
            .chain(coupon.min_order_value.map(|m| m.currency()))
            .find(|c| *c != currency);
        if let Some(other) = other {
            problems.push(FieldProblem::new(
                path,
                "CURRENCY_MISMATCH",
                format!("{code} is for orders in {other} but the order is in {currency}"),
            ));
        }
    }
    problems
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    pub(crate) fn cny(s: &str) -> Money {
        Money::parse(s, Currency::Cny).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    pub(crate) fn product(sku: &str, price: &str) -> ProductSnapshot {
        ProductSnapshot {
            sku: sku.into(),
            name: format!("Product {sku}"),
            unit_price: cny(price),
            active: true,
            weight_g: 250,
        }
    }

    pub(crate) fn coupon(code: &str, kind: CouponKind) -> Coupon {
        Coupon {
            code: code.into(),
            kind,
            valid_from: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            valid_until: None,
            min_order_value: None,
            total_limit: None,
            used_total: 0,
            per_customer_limit: None,
            used_by_customer: 0,
            active: true,
        }
    }

    pub(crate) fn policy() -> PricingPolicy {
        PricingPolicy {
            shipping_fee: cny("10.00"),
            free_shipping_from: Some(cny("99.00")),
            tax_rate: dec("0.13"),
        }
    }

    fn codes(problems: &[FieldProblem]) -> Vec<(&str, &str)> {
        problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect()
    }

    fn assert_consistent(quote: &Quote) {
        let line_sum = quote
            .lines
            .iter()
            .try_fold(Money::zero(quote.currency), |a, l| {
                a.checked_add(l.line_total)
            })
            .unwrap();
        assert_eq!(line_sum, quote.subtotal);
        let discount_sum = quote
            .lines
            .iter()
            .try_fold(Money::zero(quote.currency), |a, l| {
                a.checked_add(l.discount)
            })
            .unwrap();
        assert_eq!(
            discount_sum, quote.discount,
            "line discounts add up exactly"
        );
        for line in &quote.lines {
            assert!(!line.net_total().unwrap().is_negative());
        }
        let expected_total = quote
            .subtotal
            .checked_sub(quote.discount)
            .and_then(|m| m.checked_add(quote.shipping))
            .unwrap();
        assert_eq!(quote.total, expected_total);
    }

    #[test]
    fn an_order_without_coupons_pays_lines_plus_shipping_with_tax_included() {
        let quote = price(
            &[(product("A", "19.90"), 2), (product("B", "5.00"), 3)],
            &[],
            &policy(),
            now(),
        )
        .unwrap();
        assert_eq!(quote.subtotal, cny("54.80"));
        assert_eq!(quote.discount, cny("0"));
        assert_eq!(quote.shipping, cny("10.00"));
        assert_eq!(quote.total, cny("64.80"));
        // 64.80 × 0.13 / 1.13 = 7.4548…
        assert_eq!(quote.tax_included, cny("7.45"));
        assert_eq!(quote.weight_g, 1250);
        assert_eq!(quote.lines[0].line_total, cny("39.80"));
        assert_eq!(quote.lines[0].name, "Product A");
        assert_consistent(&quote);
    }

    #[test]
    fn shipping_is_free_from_the_threshold_after_discounts() {
        // (unit price, coupon off, expected shipping)
        #[rustfmt::skip]
        let table = [
            ("99.00", None, "0"),
            ("98.99", None, "10.00"),
            ("120.00", Some("21.00"), "0"),
            ("120.00", Some("21.01"), "10.00"),
        ];
        for (unit, off, shipping) in table {
            let fixed = off.map(|o| coupon("OFF", CouponKind::Fixed(cny(o))));
            let coupons: Vec<&Coupon> = fixed.iter().collect();
            let quote = price(&[(product("A", unit), 1)], &coupons, &policy(), now()).unwrap();
            assert_eq!(quote.shipping, cny(shipping), "{unit} − {off:?}");
            assert_consistent(&quote);
        }
        let no_free = PricingPolicy {
            free_shipping_from: None,
            ..policy()
        };
        let quote = price(&[(product("A", "5000"), 1)], &[], &no_free, now()).unwrap();
        assert_eq!(quote.shipping, cny("10.00"));
    }

    #[test]
    fn coupons_stack_in_order_each_on_what_remains() {
        let ten_percent = coupon("TEN", CouponKind::Percentage(dec("10")));
        let twenty_off = coupon("TWENTY", CouponKind::Fixed(cny("20.00")));
        let lines = [(product("A", "100.00"), 2)];
        // 200 − 10 % = 180, − 20 = 160: discount 40.
        let quote = price(&lines, &[&ten_percent, &twenty_off], &policy(), now()).unwrap();
        assert_eq!(quote.discount, cny("40.00"));
        // 200 − 20 = 180, − 10 % = 162: discount 38.
        let quote = price(&lines, &[&twenty_off, &ten_percent], &policy(), now()).unwrap();
        assert_eq!(quote.discount, cny("38.00"));
        assert_eq!(quote.total, cny("162.00"));
        assert_consistent(&quote);
    }

    #[test]
    fn percentages_round_half_to_even_and_discounts_never_exceed_the_subtotal() {
        #[rustfmt::skip]
        let table = [
            // (unit price, percent, expected discount)
            ("0.25", "10", "0.02"), // 0.025 → 0.02
            ("0.35", "10", "0.04"), // 0.035 → 0.04
            ("33.33", "33.3", "11.10"),
            ("50.00", "100", "50.00"),
        ];
        for (unit, percent, expected) in table {
            let c = coupon("P", CouponKind::Percentage(dec(percent)));
            let quote = price(&[(product("A", unit), 1)], &[&c], &policy(), now()).unwrap();
            assert_eq!(quote.discount, cny(expected), "{percent}% of {unit}");
        }
        let big = coupon("BIG", CouponKind::Fixed(cny("500.00")));
        let more = coupon("MORE", CouponKind::Fixed(cny("1.00")));
        let quote = price(
            &[(product("A", "30.00"), 1)],
            &[&big, &more],
            &policy(),
            now(),
        )
        .unwrap();
        assert_eq!(quote.discount, cny("30.00"));
        assert_eq!(quote.total, cny("10.00"));
        assert_consistent(&quote);
    }

    #[test]
    fn the_order_discount_is_split_over_lines_by_largest_remainder() {
        let c = coupon("TEN", CouponKind::Fixed(cny("10.00")));
        let lines = [
            (product("A", "33.33"), 1),
            (product("B", "33.33"), 1),
            (product("C", "33.34"), 1),
        ];
        let quote = price(&lines, &[&c], &policy(), now()).unwrap();
        let discounts: Vec<String> = quote.lines.iter().map(|l| l.discount.to_string()).collect();
        assert_eq!(discounts, ["3.33 CNY", "3.33 CNY", "3.34 CNY"]);
        assert_consistent(&quote);

        let c = coupon("ODD", CouponKind::Percentage(dec("7")));
        let lines = [
            (product("A", "0.99"), 7),
            (product("B", "12.34"), 3),
            (product("C", "0.01"), 1),
            (product("D", "250.00"), 1),
        ];
        let quote = price(&lines, &[&c], &policy(), now()).unwrap();
        assert_consistent(&quote);
    }

    #[test]
    fn yen_orders_are_priced_in_whole_yen() {
        let yen = |n: i64| Money::from_minor(n, Currency::Jpy);
        let policy = PricingPolicy {
            shipping_fee: yen(500),
            free_shipping_from: None,
            tax_rate: dec("0.10"),
        };
        let item = ProductSnapshot {
            unit_price: yen(1999),
            ..product("J", "0")
        };
        let c = coupon("J15", CouponKind::Percentage(dec("15")));
        let quote = price(&[(item, 3)], &[&c], &policy, now()).unwrap();
        // 5997 × 15 % = 899.55 → 900.
        assert_eq!(quote.discount, yen(900));
        assert_eq!(quote.total, yen(5597));
        assert_eq!(quote.tax_included, yen(509)); // 5597 / 11 = 508.8
        assert_consistent(&quote);
    }

    #[test]
    fn coupon_problems_are_reported_each_with_its_reason() {
        let at = |d: u32| Utc.with_ymd_and_hms(2025, 6, d, 0, 0, 0).unwrap();
        let base = coupon("C", CouponKind::Percentage(dec("10")));
        #[rustfmt::skip]
        let table: Vec<(Coupon, Vec<&str>)> = vec![
            (
                Coupon {
                    active: false,
                    ..base.clone()
                },
                vec!["COUPON_INACTIVE"],
            ),
            (
                Coupon {
                    valid_from: at(2),
                    ..base.clone()
                },
                vec!["COUPON_NOT_STARTED"],
            ),
            (
                Coupon {
                    valid_until: Some(at(1)),
                    ..base.clone()
                },
                vec!["COUPON_EXPIRED"],
            ),
            (
                Coupon {
                    total_limit: Some(5),
                    used_total: 5,
                    ..base.clone()
                },
                vec!["COUPON_LIMIT_REACHED"],
            ),
            (
                Coupon {
                    per_customer_limit: Some(1),
                    used_by_customer: 1,
                    ..base.clone()
                },
                vec!["COUPON_LIMIT_REACHED"],
            ),
            (
                Coupon {
                    kind: CouponKind::Percentage(dec("0")),
                    ..base.clone()
                },
                vec!["COUPON_INVALID"],
            ),
            (
                Coupon {
                    kind: CouponKind::Percentage(dec("100.01")),
                    ..base.clone()
                },
                vec!["COUPON_INVALID"],
            ),
            (
                Coupon {
                    kind: CouponKind::Fixed(cny("0")),
                    ..base.clone()
                },
                vec!["COUPON_INVALID"],
            ),
            (
                Coupon {
                    kind: CouponKind::Fixed(Money::from_minor(500, Currency::Usd)),
                    ..base.clone()
                },
                vec!["CURRENCY_MISMATCH"],
            ),
            (
                Coupon {
                    min_order_value: Some(cny("100.00")),
                    ..base.clone()
                },
                vec!["COUPON_MINIMUM_NOT_MET"],
            ),
            (
                Coupon {
                    active: false,
                    valid_until: Some(at(1)),
                    total_limit: Some(0),
                    ..base.clone()
                },
                vec!["COUPON_INACTIVE", "COUPON_EXPIRED", "COUPON_LIMIT_REACHED"],
            ),
            (
                Coupon {
                    active: false,
                    min_order_value: Some(cny("100.00")),
                    ..base.clone()
                },
                vec!["COUPON_INACTIVE", "COUPON_MINIMUM_NOT_MET"],
            ),
        ];
        for (bad, expected) in table {
            let problems = price(
                &[(product("A", "80.00"), 1)],
                &[&base, &bad],
                &policy(),
                now(),
            )
            .unwrap_err();
            let expected: Vec<(&str, &str)> = expected
                .into_iter()
                .map(|c| ("couponCodes[1]", c))
                .collect();
            assert_eq!(codes(&problems), expected, "{bad:?}");
        }
    }

    #[test]
    fn coupon_messages_carry_the_numbers_and_dates() {
        let c = Coupon {
            min_order_value: Some(cny("100.00")),
            ..coupon("SPRING", CouponKind::Percentage(dec("5")))
        };
        let problems = price(&[(product("A", "80.00"), 1)], &[&c], &policy(), now()).unwrap_err();
        assert_eq!(
            problems[0].message,
            "SPRING needs an order of at least 100.00 CNY (got 80.00 CNY)"
        );
        let expired = Coupon {
            valid_until: Some(Utc.with_ymd_and_hms(2025, 5, 31, 16, 0, 0).unwrap()),
            total_limit: Some(3),
            used_total: 3,
            ..coupon("OLD", CouponKind::Percentage(dec("5")))
        };
        let problems = check_coupon("couponCodes[0]", &expired, None, now());
        assert_eq!(problems[0].message, "OLD expired at 2025-05-31T16:00:00Z");
        assert_eq!(
            problems[1].message,
            "OLD has been used 3 times, its limit is 3"
        );
    }

    #[test]
    fn a_coupon_is_valid_from_its_first_instant_until_just_before_its_end() {
        let exactly_now = Coupon {
            valid_from: now(),
            ..coupon("EDGE", CouponKind::Percentage(dec("5")))
        };
        assert!(check_coupon("c", &exactly_now, None, now()).is_empty());
        let ends_now = Coupon {
            valid_until: Some(now()),
            ..exactly_now
        };
        assert_eq!(
            codes(&check_coupon("c", &ends_now, None, now())),
            vec![("c", "COUPON_EXPIRED")]
        );
    }

    #[test]
    fn lines_that_cannot_be_priced_are_refused() {
        let usd = ProductSnapshot {
            unit_price: Money::from_minor(100, Currency::Usd),
            ..product("U", "0")
        };
        let inactive = ProductSnapshot {
            active: false,
            ..product("I", "1.00")
        };
        let problems = price(
            &[(product("A", "1.00"), 1), (usd, 1), (inactive, 0)],
            &[],
            &policy(),
            now(),
        )
        .unwrap_err();
        assert_eq!(
            codes(&problems),
            vec![
                ("lines[1].sku", "CURRENCY_MISMATCH"),
                ("lines[2].sku", "INACTIVE_SKU"),
                ("lines[2].quantity", "MUST_BE_POSITIVE"),
            ]
        );
        assert_eq!(
            codes(&price(&[], &[], &policy(), now()).unwrap_err()),
            vec![("lines", "REQUIRED")]
        );
        let usd_policy = PricingPolicy {
            shipping_fee: Money::from_minor(500, Currency::Usd),
            ..policy()
        };
        assert_eq!(
            codes(&price(&[(product("A", "1.00"), 1)], &[], &usd_policy, now()).unwrap_err()),
            vec![("lines", "CURRENCY_MISMATCH")]
        );
    }

    #[test]
    fn amounts_too_large_to_price_are_refused_not_panicked_on() {
        let huge = ProductSnapshot {
            unit_price: Money::new(Decimal::MAX, Currency::Cny),
            ..product("H", "0")
        };
        let problems = price(&[(huge, 9999)], &[], &policy(), now()).unwrap_err();
        assert_eq!(codes(&problems), vec![("lines", "TOO_LARGE")]);
    }
}
