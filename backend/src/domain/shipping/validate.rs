//! What a valid carrier is, as a shipping manager enters it in the carrier editor. Every problem
//! is reported at once with a field path (camelCase, as the GraphQL input spells it), and values
//! are tidied — codes trimmed and upper-cased, regions de-duplicated the way they are matched,
//! rate cards naming services as the carrier spells them — so what is stored is what selection
//! compares.

use orderly_shared::FieldProblem;

use super::carrier::{Carrier, CountryCoverage, Coverage, ServiceLevel, same_place};
use super::rates::{RateCard, RateTable, WeightBracket, grams};
use crate::domain::money::{Currency, Money};

/// The longest carrier or service code.
pub const MAX_CODE_CHARS: usize = 32;
/// The longest carrier or service name, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The slowest SLA a service may promise, in days.
pub const MAX_SLA_DAYS: u32 = 60;

/// A carrier as entered, before validation: the same fields as [`Carrier`], none checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierDraft {
    /// The carrier's code, e.g. `sf`.
    pub code: String,
    /// What people call it.
    pub name: String,
    /// Whether selection may choose it.
    pub active: bool,
    /// The services it sells.
    pub services: Vec<ServiceLevel>,
    /// Where it delivers.
    pub coverage: Coverage,
    /// The heaviest parcel it takes, in grams.
    pub max_weight_g: u32,
    /// Whether it collects cash on delivery.
    pub cod_supported: bool,
    /// The largest amount it collects on one parcel.
    pub cod_limit: Option<Money>,
    /// Its rate cards.
    pub rates: RateTable,
}

/// Validates a draft into a carrier, or lists every problem with its field path.
pub fn validate_carrier(draft: CarrierDraft) -> Result<Carrier, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let code = code("code", &draft.code, &mut problems);
    let name = name("name", &draft.name, &mut problems);
    let services = services(&draft.services, &mut problems);
    let coverage = coverage(&draft.coverage, &mut problems);
    if draft.max_weight_g == 0 {
        problems.push(FieldProblem::new(
            "maxWeightG",
            "MUST_BE_POSITIVE",
            "must be at least 1 g",
        ));
    }
    match draft.cod_limit {
        Some(_) if !draft.cod_supported => problems.push(FieldProblem::new(
            "codLimit",
            "NOT_APPLICABLE",
            "only a carrier that collects cash on delivery has a COD limit",
        )),
        Some(limit) if limit.is_negative() || limit.is_zero() => {
            problems.push(FieldProblem::new(
                "codLimit",
                "MUST_BE_POSITIVE",
                format!("must be above zero (got {limit})"),
            ));
        }
        _ => {}
    }
    let rates = rates(&draft.rates, &services, &mut problems);
    for (i, service) in services.iter().enumerate() {
        if let Some(code) = service
            && !rates.cards.iter().any(|card| &card.service == code)
        {
            problems.push(FieldProblem::new(
                format!("services[{i}]"),
                "NO_RATES",
                format!("service {code} has no rates: add a rate card for at least one zone"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let services = draft
        .services
        .iter()
        .zip(services)
        .map(|(entered, code)| ServiceLevel {
            code: code.unwrap_or_default(),
            name: entered.name.trim().to_string(),
            sla_days: entered.sla_days,
        })
        .collect();
    Ok(Carrier {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        active: draft.active,
        services,
        coverage,
        max_weight_g: draft.max_weight_g,
        cod_supported: draft.cod_supported,
        cod_limit: draft.cod_limit,
        rates,
    })
}

/// A code: 1–32 of `A-Z 0-9 - _`, folded to upper case.
fn code(path: &str, raw: &str, problems: &mut Vec<FieldProblem>) -> Option<String> {
    let code = raw.trim().to_ascii_uppercase();
    let shaped = (1..=MAX_CODE_CHARS).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if shaped {
        Some(code)
    } else {
        problems.push(FieldProblem::new(
            path,
            "INVALID_CODE",
            format!(
                "must be 1 to {MAX_CODE_CHARS} letters, digits, dashes or underscores (got {raw:?})"
            ),
        ));
        None
    }
}

fn name(path: &str, raw: &str, problems: &mut Vec<FieldProblem>) -> Option<String> {
    let name = raw.trim();
    if name.is_empty() {
        problems.push(FieldProblem::new(path, "REQUIRED", "is required"));
        None
    } else if name.chars().count() > MAX_NAME_CHARS {
        problems.push(FieldProblem::new(
            path,
            "TOO_LONG",
            format!("must be at most {MAX_NAME_CHARS} characters"),
        ));
        None
    } else {
        Some(name.to_string())
    }
}

/// Each service's tidied code, `None` where it is invalid or repeated.
fn services(services: &[ServiceLevel], problems: &mut Vec<FieldProblem>) -> Vec<Option<String>> {
    if services.is_empty() {
        problems.push(FieldProblem::new(
            "services",
            "REQUIRED",
            "add at least one service",
        ));
    }
    let mut codes: Vec<Option<String>> = Vec::with_capacity(services.len());
    for (i, service) in services.iter().enumerate() {
        let path = |field: &str| format!("services[{i}].{field}");
        let mut code = code(&path("code"), &service.code, problems);
        if let Some(repeated) = code
            .as_ref()
            .filter(|c| codes.contains(&Some(c.to_string())))
        {
            problems.push(FieldProblem::new(
                path("code"),
                "DUPLICATE",
                format!("service {repeated} is already listed"),
            ));
            code = None;
        }
        name(&path("name"), &service.name, problems);
        if !(1..=MAX_SLA_DAYS).contains(&service.sla_days) {
            problems.push(FieldProblem::new(
                path("slaDays"),
                "OUT_OF_RANGE",
                format!(
                    "must be 1 to {MAX_SLA_DAYS} days (got {})",
                    service.sla_days
                ),
            ));
        }
        codes.push(code);
    }
    codes
}

fn coverage(coverage: &Coverage, problems: &mut Vec<FieldProblem>) -> Coverage {
    if coverage.countries.is_empty() {
        problems.push(FieldProblem::new(
            "coverage.countries",
            "REQUIRED",
            "list at least one country",
        ));
    }
    let mut countries: Vec<CountryCoverage> = Vec::with_capacity(coverage.countries.len());
    for (i, served) in coverage.countries.iter().enumerate() {
        let path = format!("coverage.countries[{i}].country");
        let country = served.country.trim().to_ascii_uppercase();
        if country.len() != 2 || !country.chars().all(|c| c.is_ascii_uppercase()) {
            problems.push(FieldProblem::new(
                path,
                "INVALID_COUNTRY",
                format!(
                    "must be a two-letter ISO country code such as CN (got {:?})",
                    served.country
                ),
            ));
            continue;
        }
        if countries.iter().any(|c| c.country == country) {
            problems.push(FieldProblem::new(
                path,
                "DUPLICATE",
                format!("{country} is already listed: put all its regions in one entry"),
            ));
            continue;
        }
        let mut regions: Vec<String> = Vec::with_capacity(served.regions.len());
        for region in &served.regions {
            let region = region.trim();
            if !region.is_empty() && !regions.iter().any(|r| same_place(r, region)) {
                regions.push(region.to_string());
            }
        }
        countries.push(CountryCoverage { country, regions });
    }
    Coverage { countries }
}

/// The rate cards with services named as the carrier spells them. `services` are the tidied
/// service codes (`None` for invalid ones, whose cards are then not judged by service).
fn rates(
    table: &RateTable,
    services: &[Option<String>],
    problems: &mut Vec<FieldProblem>,
) -> RateTable {
    let mut currency: Option<Currency> = None;
    let mut cards: Vec<RateCard> = Vec::with_capacity(table.cards.len());
    let mut seen: Vec<(String, super::carrier::Zone, usize)> = Vec::new();
    for (i, card) in table.cards.iter().enumerate() {
        let entered = card.service.trim();
        let service = services
            .iter()
            .flatten()
            .find(|code| code.eq_ignore_ascii_case(entered))
            .cloned();
        match &service {
            None => problems.push(FieldProblem::new(
                format!("rates[{i}].service"),
                "UNKNOWN_SERVICE",
                format!(
                    "service {entered:?} is not one of the carrier's ({})",
                    services
                        .iter()
                        .flatten()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            Some(code) => {
                if let Some((_, _, first)) =
                    seen.iter().find(|(s, z, _)| s == code && *z == card.zone)
                {
                    problems.push(FieldProblem::new(
                        format!("rates[{i}]"),
                        "DUPLICATE",
                        format!(
                            "service {code} already has a {} rate (rates[{first}])",
                            card.zone
                        ),
                    ));
                } else {
                    seen.push((code.clone(), card.zone, i));
                }
            }
        }
        if card.brackets.is_empty() && card.per_extra_kg.is_none() {
            problems.push(FieldProblem::new(
                format!("rates[{i}].brackets"),
                "REQUIRED",
                "give at least one weight bracket or a price per extra kg",
            ));
        }
        let mut previous: Option<u32> = None;
        for (j, bracket) in card.brackets.iter().enumerate() {
            let path = |field: &str| format!("rates[{i}].brackets[{j}].{field}");
            match previous {
                Some(below) if bracket.up_to_g <= below => problems.push(FieldProblem::new(
                    path("upToG"),
                    "NOT_ASCENDING",
                    format!(
                        "must be above the previous bracket's {} (got {})",
                        grams(below),
                        grams(bracket.up_to_g)
                    ),
                )),
                None if bracket.up_to_g == 0 => problems.push(FieldProblem::new(
                    path("upToG"),
                    "MUST_BE_POSITIVE",
                    "must be at least 1 g",
                )),
                _ => {}
            }
            previous = Some(previous.map_or(bracket.up_to_g, |p| p.max(bracket.up_to_g)));
            price(&path("price"), bracket.price, &mut currency, problems);
        }
        if let Some(per_kg) = card.per_extra_kg {
            price(
                &format!("rates[{i}].perExtraKg"),
                per_kg,
                &mut currency,
                problems,
            );
        }
        cards.push(RateCard {
            service: service.unwrap_or_else(|| entered.to_string()),
            zone: card.zone,
            brackets: card
                .brackets
                .iter()
                .map(|b| WeightBracket {
                    up_to_g: b.up_to_g,
                    price: b.price,
                })
                .collect(),
            per_extra_kg: card.per_extra_kg,
        });
    }
    RateTable { cards }
}

/// A price: not negative, and in the currency of the table's first price.
fn price(
    path: &str,
    price: Money,
    currency: &mut Option<Currency>,
    problems: &mut Vec<FieldProblem>,
) {
    if price.is_negative() {
        problems.push(FieldProblem::new(
            path,
            "NEGATIVE",
            format!("must not be negative (got {price})"),
        ));
    }
    match *currency {
        None => *currency = Some(price.currency()),
        Some(first) if first != price.currency() => problems.push(FieldProblem::new(
            path,
            "CURRENCY_MISMATCH",
            format!(
                "must be in {first} like the carrier's first price (got {})",
                price.currency()
            ),
        )),
        Some(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shipping::carrier::Zone;
    use crate::domain::shipping::testkit::{carrier, cny, covering, service};

    fn draft() -> CarrierDraft {
        let c = carrier("SF");
        CarrierDraft {
            code: " sf_express-1 ".into(),
            name: "  SF Express ".into(),
            active: true,
            services: vec![service("std", 3), service("Exp", 1)],
            coverage: covering(&[("cn", &[" Shanghai", "shanghai ", "", "Zhejiang"])]),
            max_weight_g: c.max_weight_g,
            cod_supported: true,
            cod_limit: c.cod_limit,
            rates: c.rates,
        }
    }

    fn problems(d: CarrierDraft) -> Vec<(String, String)> {
        validate_carrier(d)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect()
    }

    fn messages(d: CarrierDraft) -> Vec<String> {
        validate_carrier(d)
            .unwrap_err()
            .into_iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect()
    }

    #[test]
    fn given_a_valid_draft_then_the_carrier_is_tidied_for_storage() {
        let mut d = draft();
        d.rates.cards[0].service = " Std".into();
        let carrier = validate_carrier(d).unwrap();
        assert_eq!(carrier.code, "SF_EXPRESS-1");
        assert_eq!(carrier.name, "SF Express");
        let codes: Vec<&str> = carrier.services.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["STD", "EXP"]);
        assert_eq!(
            carrier.coverage,
            covering(&[("CN", &["Shanghai", "Zhejiang"])])
        );
        assert_eq!(carrier.rates.cards[0].service, "STD");
        assert_eq!(carrier.rates.cards[2].service, "EXP");
    }

    #[test]
    fn codes_must_be_1_to_32_letters_digits_dashes_or_underscores() {
        for (raw, ok) in [
            ("A", true),
            ("sf", true),
            ("A-B_9", true),
            (&"X".repeat(32), true),
            (&"X".repeat(33), false),
            ("", false),
            ("  ", false),
            ("S F", false),
            ("SF.", false),
            ("順豐", false),
            ("ÄB", false),
        ] {
            let mut d = draft();
            d.code = raw.to_string();
            assert_eq!(validate_carrier(d).is_ok(), ok, "{raw:?}");
        }
        let mut d = draft();
        d.code = "S F".into();
        assert_eq!(
            messages(d),
            ["code: must be 1 to 32 letters, digits, dashes or underscores (got \"S F\")"]
        );
    }

    #[test]
    fn given_blank_or_long_names_then_they_are_refused() {
        let mut d = draft();
        d.name = " ".into();
        d.services[0].name = "x".repeat(101);
        assert_eq!(
            problems(d),
            [
                ("name".into(), "REQUIRED".into()),
                ("services[0].name".into(), "TOO_LONG".into())
            ]
        );
    }

    #[test]
    fn given_no_services_then_the_carrier_needs_one() {
        let mut d = draft();
        d.services.clear();
        d.rates.cards.clear();
        assert_eq!(problems(d), [("services".into(), "REQUIRED".into())]);
    }

    #[test]
    fn service_slas_must_be_1_to_60_days() {
        for (sla_days, ok) in [(0, false), (1, true), (60, true), (61, false)] {
            let mut d = draft();
            d.services[0].sla_days = sla_days;
            assert_eq!(validate_carrier(d).is_ok(), ok, "{sla_days}");
        }
        let mut d = draft();
        d.services[1].sla_days = 61;
        assert_eq!(
            messages(d),
            ["services[1].slaDays: must be 1 to 60 days (got 61)"]
        );
    }

    #[test]
    fn given_a_repeated_service_code_then_it_is_a_duplicate() {
        let mut d = draft();
        d.services.push(service(" STD ", 2));
        assert_eq!(
            messages(d),
            ["services[2].code: service STD is already listed"]
        );
    }

    #[test]
    fn given_a_service_without_any_rate_card_then_it_is_reported() {
        let mut d = draft();
        d.rates.cards.retain(|card| card.service != "EXP");
        assert_eq!(
            messages(d),
            ["services[1]: service EXP has no rates: add a rate card for at least one zone"]
        );
    }

    #[test]
    fn coverage_needs_valid_distinct_countries() {
        let mut d = draft();
        d.coverage.countries.clear();
        assert_eq!(
            problems(d),
            [("coverage.countries".into(), "REQUIRED".into())]
        );

        let mut d = draft();
        d.coverage = covering(&[("CN", &[]), ("China", &[]), ("cn", &["Shanghai"])]);
        assert_eq!(
            messages(d),
            [
                "coverage.countries[1].country: must be a two-letter ISO country code such as CN (got \"China\")",
                "coverage.countries[2].country: CN is already listed: put all its regions in one entry",
            ]
        );
    }

    #[test]
    fn given_a_zero_maximum_weight_then_it_is_refused() {
        let mut d = draft();
        d.max_weight_g = 0;
        assert_eq!(
            problems(d),
            [("maxWeightG".into(), "MUST_BE_POSITIVE".into())]
        );
    }

    #[test]
    fn a_cod_limit_must_be_positive_and_needs_cod() {
        let mut d = draft();
        d.cod_supported = false;
        assert_eq!(problems(d), [("codLimit".into(), "NOT_APPLICABLE".into())]);

        let mut d = draft();
        d.cod_supported = false;
        d.cod_limit = None;
        assert!(validate_carrier(d).is_ok());

        for limit in ["0", "-1"] {
            let mut d = draft();
            d.cod_limit = Some(Money::parse_signed(limit, Currency::Cny).unwrap());
            assert_eq!(
                problems(d),
                [("codLimit".into(), "MUST_BE_POSITIVE".into())],
                "{limit}"
            );
        }
    }

    #[test]
    fn brackets_must_rise_strictly_from_above_zero() {
        let mut d = draft();
        // STD NATIONAL: 1,000 g then 5,000 g; make the second equal, then lower.
        d.rates.cards[1].brackets[1].up_to_g = 1_000;
        assert_eq!(
            messages(d),
            [
                "rates[1].brackets[1].upToG: must be above the previous bracket's 1,000 g (got 1,000 g)"
            ]
        );

        let mut d = draft();
        d.rates.cards[1].brackets[1].up_to_g = 999;
        assert_eq!(
            problems(d),
            [("rates[1].brackets[1].upToG".into(), "NOT_ASCENDING".into())]
        );

        let mut d = draft();
        d.rates.cards[1].brackets[0].up_to_g = 0;
        assert_eq!(
            problems(d),
            [(
                "rates[1].brackets[0].upToG".into(),
                "MUST_BE_POSITIVE".into()
            )]
        );

        let mut d = draft();
        d.rates.cards[1].brackets[1].up_to_g = 1_001;
        assert!(validate_carrier(d).is_ok(), "one gram above is ascending");
    }

    #[test]
    fn prices_must_not_be_negative_and_must_share_one_currency() {
        let mut d = draft();
        d.rates.cards[0].brackets[1].price = Money::parse_signed("-0.01", Currency::Cny).unwrap();
        d.rates.cards[1].per_extra_kg = Some(Money::from_minor(400, Currency::Usd));
        d.rates.cards[2].brackets[0].price = cny("0");
        assert_eq!(
            messages(d),
            [
                "rates[0].brackets[1].price: must not be negative (got -0.01 CNY)",
                "rates[1].perExtraKg: must be in CNY like the carrier's first price (got USD)",
            ]
        );
    }

    #[test]
    fn rate_cards_must_name_a_service_once_per_zone_and_have_a_price() {
        let mut d = draft();
        let mut repeated = d.rates.cards[1].clone();
        repeated.service = "std".into();
        d.rates.cards.push(repeated);
        let mut unknown = d.rates.cards[0].clone();
        unknown.service = "ECO".into();
        d.rates.cards.push(unknown);
        d.rates.cards.push(RateCard {
            service: "EXP".into(),
            zone: Zone::International,
            brackets: vec![],
            per_extra_kg: None,
        });
        assert_eq!(
            messages(d),
            [
                "rates[4]: service STD already has a NATIONAL rate (rates[1])",
                "rates[5].service: service \"ECO\" is not one of the carrier's (STD, EXP)",
                "rates[6].brackets: give at least one weight bracket or a price per extra kg",
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let d = CarrierDraft {
            code: "".into(),
            name: "".into(),
            active: false,
            services: vec![service("", 0)],
            coverage: Coverage::default(),
            max_weight_g: 0,
            cod_supported: false,
            cod_limit: Some(cny("1.00")),
            rates: RateTable::default(),
        };
        assert_eq!(
            problems(d),
            [
                ("code".into(), "INVALID_CODE".into()),
                ("name".into(), "REQUIRED".into()),
                ("services[0].code".into(), "INVALID_CODE".into()),
                ("services[0].name".into(), "REQUIRED".into()),
                ("services[0].slaDays".into(), "OUT_OF_RANGE".into()),
                ("coverage.countries".into(), "REQUIRED".into()),
                ("maxWeightG".into(), "MUST_BE_POSITIVE".into()),
                ("codLimit".into(), "NOT_APPLICABLE".into()),
            ]
        );
    }

    #[test]
    fn a_validated_carrier_round_trips_through_json() {
        let carrier = validate_carrier(draft()).unwrap();
        let json = serde_json::to_string(&carrier).unwrap();
        assert!(
            json.contains(r#""codLimit":{"amount":"2000.00","currency":"CNY"}"#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Carrier>(&json).unwrap(), carrier);
    }
}
