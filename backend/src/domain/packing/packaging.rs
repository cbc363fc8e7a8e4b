//! The packaging catalogue: what a warehouse packs in (cartons, mailer bags) and protects with
//! (sealed bags for liquids, bubble wrap for fragile items), and what a valid entry is as a
//! manager edits it in the console. Sizes are inner sizes, weights whole grams, costs `Money`.

use orderly_shared::{FieldProblem, PackagingKind};
use serde::Serialize;

use super::measures::Dimensions;
use crate::domain::money::{Currency, Money, MoneyError};

/// The longest packaging code, in characters (the `packagings.code` column).
pub const MAX_PACKAGING_CODE_CHARS: usize = 32;
/// The longest packaging name, in characters (the `packagings.name` column).
pub const MAX_PACKAGING_NAME_CHARS: usize = 100;
/// The largest inner side, in mm (the same bound as product dimensions).
pub const MAX_PACKAGING_SIDE_MM: u32 = 10_000;
/// The largest max or tare weight, in g (the same bound as product weights).
pub const MAX_PACKAGING_WEIGHT_G: u32 = 1_000_000;

/// Whether items travel in it (carton, mailer bag) rather than being wrapped by it (sealed
/// bag, bubble wrap, one per liquid or fragile unit inside the container).
pub fn is_container(kind: PackagingKind) -> bool {
    matches!(kind, PackagingKind::Carton | PackagingKind::MailerBag)
}

/// How people call it in a sentence: `carton`, `mailer bag`, `sealed bag`, `bubble wrap`.
pub fn kind_label(kind: PackagingKind) -> &'static str {
    match kind {
        PackagingKind::Carton => "carton",
        PackagingKind::MailerBag => "mailer bag",
        PackagingKind::SealedBag => "sealed bag",
        PackagingKind::BubbleWrap => "bubble wrap",
    }
}

/// One entry of the packaging catalogue, validated.
///
/// For containers, `max_weight_g` is the most the packed parcel may weigh (contents, extras and
/// the container's own tare); for extras it is the heaviest unit one piece may hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Packaging {
    /// 1–32 of `A-Z 0-9 - _`, upper-case, unique in the catalogue.
    pub code: String,
    /// What packers see, e.g. "Carton S (200×150×100)".
    pub name: String,
    /// Container or protective extra.
    pub kind: PackagingKind,
    /// Inner size (for bubble wrap: the largest item one piece wraps).
    pub inner: Dimensions,
    /// The weight limit, in g (see the type's docs).
    pub max_weight_g: u32,
    /// Its own weight, in g.
    pub tare_weight_g: u32,
    /// What one piece costs.
    pub cost: Money,
    /// Inactive entries are kept for history but never suggested or accepted.
    pub active: bool,
}

/// A catalogue entry as entered in the console, before validation. Numbers are wide so that
/// negative or oversized input is reported rather than wrapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagingDraft {
    /// The code, any case.
    pub code: String,
    /// The display name.
    pub name: String,
    /// Container or protective extra.
    pub kind: PackagingKind,
    /// Inner length, mm.
    pub inner_length_mm: i64,
    /// Inner width, mm.
    pub inner_width_mm: i64,
    /// Inner height, mm.
    pub inner_height_mm: i64,
    /// Weight limit, g.
    pub max_weight_g: i64,
    /// Own weight, g.
    pub tare_weight_g: i64,
    /// Cost of one piece as a decimal, e.g. `"1.20"`.
    pub cost: String,
    /// ISO 4217 code of the cost, e.g. `CNY`.
    pub currency: String,
    /// Whether it may be used.
    pub active: bool,
}

/// A packaging code: 1–32 of `A-Z 0-9 - _`, folded to upper case.
pub fn validate_packaging_code(raw: &str) -> Result<String, FieldProblem> {
    let code = raw.trim().to_ascii_uppercase();
    let shaped = (1..=MAX_PACKAGING_CODE_CHARS).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if shaped {
        Ok(code)
    } else {
        Err(FieldProblem::new(
            "code",
            "INVALID_CODE",
            format!(
                "must be 1 to {MAX_PACKAGING_CODE_CHARS} letters, digits, '-' or '_' (got {raw:?})"
            ),
        ))
    }
}

/// Validates a catalogue entry, reporting every problem at once; paths are the GraphQL input
/// field names (`code`, `innerLengthMm`, `cost`, …).
pub fn validate_packaging(draft: &PackagingDraft) -> Result<Packaging, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let code = validate_packaging_code(&draft.code)
        .map_err(|p| problems.push(p))
        .ok();
    let name = draft.name.trim().to_string();
    if name.is_empty() {
        problems.push(FieldProblem::new("name", "REQUIRED", "is required"));
    } else if name.chars().count() > MAX_PACKAGING_NAME_CHARS {
        problems.push(FieldProblem::new(
            "name",
            "TOO_LONG",
            format!("must be at most {MAX_PACKAGING_NAME_CHARS} characters"),
        ));
    }
    let mut bounded = |path: &str, value: i64, min: u32, max: u32, unit: &str| -> u32 {
        match u32::try_from(value) {
            Ok(v) if (min..=max).contains(&v) => v,
            _ => {
                problems.push(FieldProblem::new(
                    path,
                    "OUT_OF_RANGE",
                    format!("must be a whole number of {unit} from {min} to {max} (got {value})"),
                ));
                0
            }
        }
    };
    let inner = Dimensions::new(
        bounded(
            "innerLengthMm",
            draft.inner_length_mm,
            1,
            MAX_PACKAGING_SIDE_MM,
            "mm",
        ),
        bounded(
            "innerWidthMm",
            draft.inner_width_mm,
            1,
            MAX_PACKAGING_SIDE_MM,
            "mm",
        ),
        bounded(
            "innerHeightMm",
            draft.inner_height_mm,
            1,
            MAX_PACKAGING_SIDE_MM,
            "mm",
        ),
    );
    let max_weight_g = bounded(
        "maxWeightG",
        draft.max_weight_g,
        1,
        MAX_PACKAGING_WEIGHT_G,
        "g",
    );
    let tare_weight_g = bounded(
        "tareWeightG",
        draft.tare_weight_g,
        0,
        MAX_PACKAGING_WEIGHT_G,
        "g",
    );
    if is_container(draft.kind) && max_weight_g > 0 && tare_weight_g >= max_weight_g {
        problems.push(FieldProblem::new(
            "tareWeightG",
            "TARE_TOO_HEAVY",
            format!(
                "a {} weighing {tare_weight_g} g leaves no room for contents under its max weight of {max_weight_g} g",
                kind_label(draft.kind)
            ),
        ));
    }
    let cost = match Currency::parse(draft.currency.trim()) {
        Err(e) => {
            problems.push(FieldProblem::new(
                "currency",
                "INVALID_CURRENCY",
                e.to_string(),
            ));
            None
        }
        Ok(currency) => match Money::parse(draft.cost.trim(), currency) {
            Ok(cost) => Some(cost),
            Err(e @ MoneyError::Negative(_)) => {
                problems.push(FieldProblem::new(
                    "cost",
                    "MUST_NOT_BE_NEGATIVE",
                    e.to_string(),
                ));
                None
            }
            Err(e) => {
                problems.push(FieldProblem::new("cost", "INVALID_AMOUNT", e.to_string()));
                None
            }
        },
    };
    match (code, cost) {
        (Some(code), Some(cost)) if problems.is_empty() => Ok(Packaging {
            code,
            name,
            kind: draft.kind,
            inner,
            max_weight_g,
            tare_weight_g,
            cost,
            active: draft.active,
        }),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> PackagingDraft {
        PackagingDraft {
            code: " carton-s_1 ".into(),
            name: " Carton S ".into(),
            kind: PackagingKind::Carton,
            inner_length_mm: 300,
            inner_width_mm: 200,
            inner_height_mm: 150,
            max_weight_g: 10_000,
            tare_weight_g: 250,
            cost: "2.50".into(),
            currency: "CNY".into(),
            active: true,
        }
    }

    fn problems(draft: &PackagingDraft) -> Vec<(String, String)> {
        validate_packaging(draft)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn given_a_valid_draft_when_validated_then_code_and_name_are_tidied() {
        let p = validate_packaging(&draft()).unwrap();
        assert_eq!(p.code, "CARTON-S_1");
        assert_eq!(p.name, "Carton S");
        assert_eq!(p.inner, Dimensions::new(300, 200, 150));
        assert_eq!(p.cost.to_string(), "2.50 CNY");
        assert!(p.active);
    }

    #[test]
    fn given_a_free_extra_when_validated_then_a_zero_cost_and_tare_are_fine() {
        let free = PackagingDraft {
            kind: PackagingKind::BubbleWrap,
            cost: "0".into(),
            tare_weight_g: 0,
            max_weight_g: 5_000,
            ..draft()
        };
        let p = validate_packaging(&free).unwrap();
        assert!(p.cost.is_zero());
    }

    #[test]
    fn given_every_field_wrong_when_validated_then_every_problem_is_reported_with_its_path() {
        let bad = PackagingDraft {
            code: "box 1".into(),
            name: "  ".into(),
            inner_length_mm: 0,
            inner_width_mm: -5,
            inner_height_mm: 10_001,
            max_weight_g: 0,
            tare_weight_g: -1,
            cost: "-1.00".into(),
            ..draft()
        };
        assert_eq!(
            problems(&bad),
            pairs(&[
                ("code", "INVALID_CODE"),
                ("name", "REQUIRED"),
                ("innerLengthMm", "OUT_OF_RANGE"),
                ("innerWidthMm", "OUT_OF_RANGE"),
                ("innerHeightMm", "OUT_OF_RANGE"),
                ("maxWeightG", "OUT_OF_RANGE"),
                ("tareWeightG", "OUT_OF_RANGE"),
                ("cost", "MUST_NOT_BE_NEGATIVE"),
            ])
        );
    }

    #[test]
    fn given_codes_of_various_shapes_when_validated_then_only_1_to_32_code_characters_pass() {
        for good in ["A", "mb-2", "BUBBLE_WRAP", &"X".repeat(32)] {
            assert!(validate_packaging_code(good).is_ok(), "{good}");
        }
        for bad in ["", "   ", &"X".repeat(33), "A.B", "CARTÓN", "A/B"] {
            let problem = validate_packaging_code(bad).unwrap_err();
            assert_eq!(problem.code, "INVALID_CODE", "{bad}");
        }
        assert_eq!(
            validate_packaging_code("a b").unwrap_err().message,
            "must be 1 to 32 letters, digits, '-' or '_' (got \"a b\")"
        );
    }

    #[test]
    fn given_a_container_as_heavy_as_its_limit_when_validated_then_the_tare_is_refused() {
        let heavy = PackagingDraft {
            tare_weight_g: 10_000,
            ..draft()
        };
        let found = validate_packaging(&heavy).unwrap_err();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "TARE_TOO_HEAVY");
        assert_eq!(
            found[0].message,
            "a carton weighing 10000 g leaves no room for contents under its max weight of 10000 g"
        );
        let wrap = PackagingDraft {
            kind: PackagingKind::BubbleWrap,
            ..heavy
        };
        assert!(validate_packaging(&wrap).is_ok());
    }

    #[test]
    fn given_a_bad_currency_or_amount_when_validated_then_the_right_field_is_named() {
        let bad_currency = PackagingDraft {
            currency: "RMB".into(),
            ..draft()
        };
        assert_eq!(
            problems(&bad_currency),
            pairs(&[("currency", "INVALID_CURRENCY")])
        );
        let bad_amount = PackagingDraft {
            cost: "1.234".into(),
            ..draft()
        };
        assert_eq!(problems(&bad_amount), pairs(&[("cost", "INVALID_AMOUNT")]));
        let too_long = PackagingDraft {
            name: "n".repeat(101),
            ..draft()
        };
        assert_eq!(problems(&too_long), pairs(&[("name", "TOO_LONG")]));
    }

    #[test]
    fn cartons_and_mailer_bags_are_containers_and_the_extras_are_not() {
        assert!(is_container(PackagingKind::Carton) && is_container(PackagingKind::MailerBag));
        assert!(!is_container(PackagingKind::SealedBag));
        assert!(!is_container(PackagingKind::BubbleWrap));
        let labels: Vec<&str> = PackagingKind::ALL.iter().map(|k| kind_label(*k)).collect();
        assert_eq!(
            labels,
            ["carton", "mailer bag", "sealed bag", "bubble wrap"]
        );
    }
}
