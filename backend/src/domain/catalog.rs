//! What a valid product is: SKU, name, category, price, barcode (GTIN with check digit),
//! weight, dimensions and handling flags. Used by the CSV import and the demo catalogue.

use crate::domain::money::{Currency, Money};
use orderly_shared::FieldProblem;

/// A product as imported (`products.csv` of API.md), not yet validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductDraft {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price: String,
    pub currency: String,
    pub gtin: String,
    pub weight_g: String,
    pub length_mm: String,
    pub width_mm: String,
    pub height_mm: String,
    pub fragile: String,
    pub liquid: String,
    pub high_value: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price: Money,
    pub gtin: Option<String>,
    pub weight_g: u32,
    pub dimensions_mm: [u32; 3],
    pub fragile: bool,
    pub liquid: bool,
    pub high_value: bool,
}

/// Whether `code` is a GTIN-8/12/13/14 (EAN-13 included) with a correct mod-10 check digit.
pub fn is_valid_gtin(code: &str) -> bool {
    let digits: Vec<u32> = code.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != code.len() || ![8, 12, 13, 14].contains(&digits.len()) {
        return false;
    }
    let (body, check) = digits.split_at(digits.len() - 1);
    // Weights 3,1,3,1… from the digit next to the check digit leftwards.
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d })
        .sum();
    (10 - sum % 10) % 10 == check[0]
}

/// Validates a product; problems name the CSV column.
pub fn validate_product(draft: &ProductDraft) -> Result<Product, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut text = |field: &str, value: &str, max: usize| -> String {
        let v = value.trim();
        if v.is_empty() {
            problems.push(FieldProblem::new(field, "REQUIRED", "is required"));
        } else if v.chars().count() > max {
            problems.push(FieldProblem::new(
                field,
                "TOO_LONG",
                format!("must be at most {max} characters"),
            ));
        }
        v.to_string()
    };
    let sku = text("sku", &draft.sku, 64);
    let name = text("name", &draft.name, 200);
    let category = text("category", &draft.category, 64);
    if sku.chars().any(|c| c.is_whitespace()) {
        problems.push(FieldProblem::new(
            "sku",
            "INVALID_SKU",
            "must not contain spaces",
        ));
    }
    let price = match Currency::parse(draft.currency.trim()) {
        Err(e) => {
            problems.push(FieldProblem::new(
                "currency",
                "INVALID_CURRENCY",
                e.to_string(),
            ));
            None
        }
        Ok(currency) => match Money::parse(draft.price.trim(), currency) {
            Ok(m) if !m.is_zero() => Some(m),
            Ok(_) => {
                problems.push(FieldProblem::new(
                    "price",
                    "MUST_BE_POSITIVE",
                    "must be more than 0",
                ));
                None
            }
            Err(e) => {
                problems.push(FieldProblem::new("price", "INVALID_AMOUNT", e.to_string()));
                None
            }
        },
    };
    let gtin = draft.gtin.trim();
    if !gtin.is_empty() && !is_valid_gtin(gtin) {
        problems.push(FieldProblem::new(
            "gtin",
            "INVALID_GTIN",
            format!("{gtin} is not a GTIN-8/12/13/14 with a correct check digit"),
        ));
    }
    let mut number = |field: &str, value: &str, max: u32| -> u32 {
        match value.trim().parse::<u32>() {
            Ok(n) if n > 0 && n <= max => n,
            _ => {
                problems.push(FieldProblem::new(
                    field,
                    "OUT_OF_RANGE",
                    format!(
                        "must be a whole number from 1 to {max} (got {:?})",
                        value.trim()
                    ),
                ));
                0
            }
        }
    };
    let weight_g = number("weight_g", &draft.weight_g, 1_000_000);
    let dims = [
        number("length_mm", &draft.length_mm, 10_000),
        number("width_mm", &draft.width_mm, 10_000),
        number("height_mm", &draft.height_mm, 10_000),
    ];
    let mut flag = |field: &str, value: &str| -> bool {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "false" | "0" | "no" => false,
            "true" | "1" | "yes" => true,
            other => {
                problems.push(FieldProblem::new(
                    field,
                    "INVALID_FLAG",
                    format!("must be true or false (got {other:?})"),
                ));
                false
            }
        }
    };
    let fragile = flag("fragile", &draft.fragile);
    let liquid = flag("liquid", &draft.liquid);
    let high_value = flag("high_value", &draft.high_value);
    match price {
        Some(price) if problems.is_empty() => Ok(Product {
            sku,
            name,
            category,
            price,
            gtin: (!gtin.is_empty()).then(|| gtin.to_string()),
            weight_g,
            dimensions_mm: dims,
            fragile,
            liquid,
            high_value,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gtin_check_digits_are_verified() {
        for good in [
            "4006381333931",
            "9780306406157",
            "73513537",
            "036000291452",
            "10614141000415",
        ] {
            assert!(is_valid_gtin(good), "{good}");
        }
        for bad in [
            "4006381333932",
            "400638133393",
            "40063813339311",
            "abcdefghijklm",
            "",
        ] {
            assert!(!is_valid_gtin(bad), "{bad}");
        }
    }

    fn draft() -> ProductDraft {
        ProductDraft {
            sku: "TEA-1".into(),
            name: "Oolong".into(),
            category: "tea".into(),
            price: "89.00".into(),
            currency: "CNY".into(),
            gtin: "4006381333931".into(),
            weight_g: "250".into(),
            length_mm: "100".into(),
            width_mm: "80".into(),
            height_mm: "60".into(),
            fragile: "false".into(),
            liquid: "".into(),
            high_value: "yes".into(),
        }
    }

    #[test]
    fn a_valid_product_is_normalized() {
        let p = validate_product(&draft()).unwrap();
        assert_eq!(p.price.to_string(), "89.00 CNY");
        assert!(p.high_value && !p.liquid);
    }

    #[test]
    fn every_problem_of_a_product_is_reported_with_its_column() {
        let bad = ProductDraft {
            sku: "".into(),
            price: "-1".into(),
            gtin: "123".into(),
            weight_g: "0".into(),
            fragile: "maybe".into(),
            ..draft()
        };
        let codes: Vec<(String, String)> = validate_product(&bad)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect();
        assert_eq!(
            codes,
            [
                ("sku", "REQUIRED"),
                ("price", "INVALID_AMOUNT"),
                ("gtin", "INVALID_GTIN"),
                ("weight_g", "OUT_OF_RANGE"),
                ("fragile", "INVALID_FLAG")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }
}
