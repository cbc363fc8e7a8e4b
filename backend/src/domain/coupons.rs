//! What a valid coupon definition is, as a merchant sets it up.

use crate::domain::money::{Currency, Money};
use chrono::{DateTime, Utc};
use orderly_shared::FieldProblem;
use rust_decimal::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CouponKindDraft {
    Percentage,
    Fixed,
}

/// A coupon as entered.
#[derive(Debug, Clone)]
pub struct CouponDraft {
    pub code: String,
    pub kind: CouponKindDraft,
    /// Percentage coupons: e.g. `"12.5"`.
    pub percent: Option<String>,
    /// Fixed coupons: the amount off.
    pub amount: Option<String>,
    pub currency: String,
    pub min_order_value: Option<String>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub total_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
}

/// A validated coupon definition; percentages in basis points, amounts in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponDefinition {
    pub code: String,
    pub kind: CouponKindDraft,
    pub percent_bp: Option<i32>,
    pub amount_minor: Option<i64>,
    pub currency: Currency,
    pub min_order_minor: Option<i64>,
    pub valid_from: DateTime<Utc>,
    pub valid_until: Option<DateTime<Utc>>,
    pub total_limit: Option<i32>,
    pub per_customer_limit: Option<i32>,
}

pub fn validate_coupon(d: &CouponDraft) -> Result<CouponDefinition, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let code = d.code.trim().to_uppercase();
    if !(3..=32).contains(&code.len())
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.push(FieldProblem::new(
            "code",
            "INVALID_CODE",
            "must be 3 to 32 letters, digits, '-' or '_'",
        ));
    }
    let currency = Currency::parse(d.currency.trim())
        .map_err(|e| {
            problems.push(FieldProblem::new(
                "currency",
                "INVALID_CURRENCY",
                e.to_string(),
            ))
        })
        .ok();
    let mut percent_bp = None;
    let mut amount_minor = None;
    match d.kind {
        CouponKindDraft::Percentage => {
            match d.percent.as_deref().map(|p| p.trim().parse::<Decimal>()) {
                Some(Ok(p))
                    if p > Decimal::ZERO
                        && p <= Decimal::ONE_HUNDRED
                        && (p * Decimal::ONE_HUNDRED).fract().is_zero() =>
                {
                    use rust_decimal::prelude::ToPrimitive;
                    percent_bp = (p * Decimal::ONE_HUNDRED).to_i32();
                }
                _ => problems.push(FieldProblem::new(
                    "percent",
                    "OUT_OF_RANGE",
                    "must be more than 0 and at most 100, with at most two decimals",
                )),
            }
        }
        CouponKindDraft::Fixed => {
            if let Some(currency) = currency {
                match d
                    .amount
                    .as_deref()
                    .map(|a| Money::parse(a.trim(), currency))
                {
                    Some(Ok(m)) if !m.is_zero() => amount_minor = m.to_minor().ok(),
                    _ => problems.push(FieldProblem::new(
                        "amount",
                        "MUST_BE_POSITIVE",
                        "must be an amount more than 0",
                    )),
                }
            }
        }
    }
    let mut min_order_minor = None;
    if let (Some(min), Some(currency)) = (d.min_order_value.as_deref(), currency) {
        match Money::parse(min.trim(), currency) {
            Ok(m) => min_order_minor = m.to_minor().ok(),
            Err(e) => problems.push(FieldProblem::new(
                "minOrderValue",
                "INVALID_AMOUNT",
                e.to_string(),
            )),
        }
    }
    if d.valid_until.is_some_and(|until| until <= d.valid_from) {
        problems.push(FieldProblem::new(
            "validUntil",
            "BEFORE_START",
            "must be after validFrom",
        ));
    }
    for (path, limit) in [
        ("totalLimit", d.total_limit),
        ("perCustomerLimit", d.per_customer_limit),
    ] {
        if limit.is_some_and(|n| n < 1) {
            problems.push(FieldProblem::new(
                path,
                "MUST_BE_POSITIVE",
                "must be at least 1",
            ));
        }
    }
    match currency {
        Some(currency) if problems.is_empty() => Ok(CouponDefinition {
            code,
            kind: d.kind,
            percent_bp,
            amount_minor,
            currency,
            min_order_minor,
            valid_from: d.valid_from,
            valid_until: d.valid_until,
            total_limit: d.total_limit,
            per_customer_limit: d.per_customer_limit,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> CouponDraft {
        CouponDraft {
            code: "welcome10".into(),
            kind: CouponKindDraft::Percentage,
            percent: Some("12.5".into()),
            amount: None,
            currency: "CNY".into(),
            min_order_value: Some("50.00".into()),
            valid_from: Utc::now(),
            valid_until: None,
            total_limit: Some(100),
            per_customer_limit: Some(1),
        }
    }

    #[test]
    fn a_percentage_coupon_is_stored_in_basis_points_and_minor_units() {
        let c = validate_coupon(&draft()).unwrap();
        assert_eq!(
            (c.code.as_str(), c.percent_bp, c.min_order_minor),
            ("WELCOME10", Some(1250), Some(5000))
        );
    }

    #[test]
    fn every_problem_of_a_coupon_is_reported() {
        let now = Utc::now();
        let bad = CouponDraft {
            code: "x".into(),
            percent: Some("150".into()),
            valid_until: Some(now - chrono::TimeDelta::days(1)),
            valid_from: now,
            total_limit: Some(0),
            ..draft()
        };
        let paths: Vec<_> = validate_coupon(&bad)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect();
        assert_eq!(
            paths,
            [
                ("code", "INVALID_CODE"),
                ("percent", "OUT_OF_RANGE"),
                ("validUntil", "BEFORE_START"),
                ("totalLimit", "MUST_BE_POSITIVE")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let fixed = CouponDraft {
            kind: CouponKindDraft::Fixed,
            amount: Some("0".into()),
            ..draft()
        };
        assert_eq!(validate_coupon(&fixed).unwrap_err()[0].path, "amount");
    }
}
