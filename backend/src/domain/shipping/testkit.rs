//! Builders for the shipping tests: short to write, obvious to read.

use super::carrier::{Carrier, CountryCoverage, Coverage, Place, ServiceLevel, Zone};
use super::rates::{RateCard, RateTable, WeightBracket};
use super::selection::ParcelFacts;
use crate::domain::money::{Currency, Money};

pub(super) fn cny(amount: &str) -> Money {
    Money::parse(amount, Currency::Cny).unwrap()
}

fn card(service: &str, zone: Zone, brackets: &[(u32, &str)], per_kg: Option<&str>) -> RateCard {
    RateCard {
        service: service.to_string(),
        zone,
        brackets: brackets
            .iter()
            .map(|(up_to_g, price)| WeightBracket {
                up_to_g: *up_to_g,
                price: cny(price),
            })
            .collect(),
        per_extra_kg: per_kg.map(cny),
    }
}

/// An active carrier covering all of CN, max 30,000 g, COD up to 2000.00 CNY, with
/// STD (3 days) and EXP (1 day), no international rates:
///
/// | card          | brackets                    | per extra kg |
/// |---------------|-----------------------------|--------------|
/// | STD LOCAL     | ≤1,000 g 6.00, ≤3,000 g 9.00 | —           |
/// | STD NATIONAL  | ≤1,000 g 10.00, ≤5,000 g 18.00 | 4.00      |
/// | EXP LOCAL     | ≤1,000 g 12.00              | 5.00         |
/// | EXP NATIONAL  | ≤1,000 g 20.00, ≤5,000 g 30.00 | 8.00      |
pub(super) fn carrier(code: &str) -> Carrier {
    Carrier {
        code: code.to_string(),
        name: format!("{code} Express"),
        active: true,
        services: vec![service("STD", 3), service("EXP", 1)],
        coverage: covering(&[("CN", &[])]),
        max_weight_g: 30_000,
        cod_supported: true,
        cod_limit: Some(cny("2000.00")),
        rates: RateTable {
            cards: vec![
                card(
                    "STD",
                    Zone::Local,
                    &[(1_000, "6.00"), (3_000, "9.00")],
                    None,
                ),
                card(
                    "STD",
                    Zone::National,
                    &[(1_000, "10.00"), (5_000, "18.00")],
                    Some("4.00"),
                ),
                card("EXP", Zone::Local, &[(1_000, "12.00")], Some("5.00")),
                card(
                    "EXP",
                    Zone::National,
                    &[(1_000, "20.00"), (5_000, "30.00")],
                    Some("8.00"),
                ),
            ],
        },
    }
}

/// An active carrier covering CN and US, max 30,000 g, COD without limit, whose services
/// `(code, sla_days, price)` cost a flat price up to 30,000 g in every zone.
pub(super) fn flat(code: &str, services: &[(&str, u32, &str)]) -> Carrier {
    Carrier {
        code: code.to_string(),
        name: code.to_string(),
        active: true,
        services: services
            .iter()
            .map(|(service_code, sla_days, _)| service(service_code, *sla_days))
            .collect(),
        coverage: covering(&[("CN", &[]), ("US", &[])]),
        max_weight_g: 30_000,
        cod_supported: true,
        cod_limit: None,
        rates: RateTable {
            cards: services
                .iter()
                .flat_map(|(service_code, _, price)| {
                    Zone::ALL
                        .iter()
                        .map(|zone| card(service_code, *zone, &[(30_000, price)], None))
                })
                .collect(),
        },
    }
}

pub(super) fn service(code: &str, sla_days: u32) -> ServiceLevel {
    ServiceLevel {
        code: code.to_string(),
        name: code.to_string(),
        sla_days,
    }
}

pub(super) fn covering(rows: &[(&str, &[&str])]) -> Coverage {
    Coverage {
        countries: rows
            .iter()
            .map(|(country, regions)| CountryCoverage {
                country: country.to_string(),
                regions: regions.iter().map(|r| r.to_string()).collect(),
            })
            .collect(),
    }
}

/// 1,000 g, prepaid, no promised date, from Shanghai to Zhejiang (NATIONAL), rates in CNY.
pub(super) fn parcel() -> ParcelFacts {
    ParcelFacts {
        origin: Place::new("CN", Some("Shanghai")),
        destination: Place::new("CN", Some("Zhejiang")),
        weight_g: 1_000,
        cod: None,
        promised_in_days: None,
        rate_currency: Currency::Cny,
    }
}
