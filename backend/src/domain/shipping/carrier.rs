//! Carriers as the shipping manager configures them: the services they sell (with a delivery
//! time, the SLA), where they deliver, how heavy a parcel they take, whether they collect cash
//! on delivery, and their contract rates. Plus the two geographic notions every rule needs:
//! whether a carrier covers a destination, and which zone a parcel travels in.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::rates::RateTable;
use crate::domain::money::Money;

/// A place as shipping sees it: a country and, when known, a region (province, state).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Place {
    /// ISO 3166-1 alpha-2 country code, e.g. `CN`; compared case-insensitively.
    pub country: String,
    /// Province or state, e.g. `Shanghai`; compared trimmed and case-insensitively.
    #[serde(default)]
    pub region: Option<String>,
}

impl Place {
    /// A place in `country`, optionally narrowed to `region`.
    pub fn new(country: &str, region: Option<&str>) -> Place {
        Place {
            country: country.to_string(),
            region: region.map(str::to_string),
        }
    }

    /// The region, trimmed, when it is given and not blank.
    pub fn region(&self) -> Option<&str> {
        self.region
            .as_deref()
            .map(str::trim)
            .filter(|region| !region.is_empty())
    }
}

/// `CN-Xinjiang`, or `CN` without a region.
impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let country = self.country.trim().to_uppercase();
        match self.region() {
            Some(region) => write!(f, "{country}-{region}"),
            None => f.write_str(&country),
        }
    }
}

/// Countries and regions: people type `cn` or ` Shanghai`; both mean the same place.
pub(super) fn same_place(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Where a carrier delivers: a list of countries, each either whole or narrowed to regions.
///
/// Stored as JSON: `{"countries":[{"country":"CN","regions":["Shanghai","Zhejiang"]}]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// The countries served; a country not listed is not served at all.
    pub countries: Vec<CountryCoverage>,
}

/// One country a carrier serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountryCoverage {
    /// ISO country code, e.g. `CN`.
    pub country: String,
    /// The regions served; empty means the whole country.
    #[serde(default)]
    pub regions: Vec<String>,
}

impl Coverage {
    /// Whether a parcel to `destination` can be delivered. In a country narrowed to regions, a
    /// destination without a region is not covered: nobody can tell that it is in one of them.
    pub fn covers(&self, destination: &Place) -> bool {
        self.countries.iter().any(|served| {
            same_place(&served.country, &destination.country)
                && (served.regions.is_empty()
                    || destination
                        .region()
                        .is_some_and(|region| served.regions.iter().any(|r| same_place(r, region))))
        })
    }

    /// Whether `country` is served only in some of its regions.
    pub fn is_narrowed(&self, country: &str) -> bool {
        self.countries
            .iter()
            .any(|served| same_place(&served.country, country) && !served.regions.is_empty())
    }
}

/// How far a parcel travels, which decides the rate. Rates are per zone because contracts are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Zone {
    /// Same country and region as the origin warehouse.
    Local,
    /// Same country, another (or an unknown) region.
    National,
    /// Another country.
    International,
}

impl Zone {
    /// Every zone, nearest first.
    pub const ALL: &'static [Zone] = &[Zone::Local, Zone::National, Zone::International];

    /// The zone of a parcel from `origin` (the warehouse) to `destination`. A region missing on
    /// either side makes a domestic parcel NATIONAL: LOCAL is only claimed when it is known.
    pub fn between(origin: &Place, destination: &Place) -> Zone {
        if !same_place(&origin.country, &destination.country) {
            return Zone::International;
        }
        match (origin.region(), destination.region()) {
            (Some(a), Some(b)) if same_place(a, b) => Zone::Local,
            _ => Zone::National,
        }
    }

    /// The contract's spelling, e.g. `NATIONAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Zone::Local => "LOCAL",
            Zone::National => "NATIONAL",
            Zone::International => "INTERNATIONAL",
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A service a carrier sells, e.g. standard or express.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLevel {
    /// 1–32 of `A-Z 0-9 - _`, e.g. `STD`, `EXP`; unique within the carrier.
    pub code: String,
    /// What people call it, e.g. `Standard`.
    pub name: String,
    /// Days from hand-over to delivery the carrier commits to, 1–60.
    pub sla_days: u32,
}

/// A carrier with its contract, as validated by [`validate_carrier`](super::validate_carrier).
///
/// Stored as JSON in camelCase; money as `{"amount":"12.00","currency":"CNY"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Carrier {
    /// 1–32 of `A-Z 0-9 - _`, e.g. `SF`; what shipments and the adapter name it by.
    pub code: String,
    /// What people call it, e.g. `SF Express`.
    pub name: String,
    /// Inactive carriers are kept (old shipments name them) but never chosen.
    pub active: bool,
    /// The services it sells; at least one.
    pub services: Vec<ServiceLevel>,
    /// Where it delivers.
    pub coverage: Coverage,
    /// The heaviest parcel it takes, in grams.
    pub max_weight_g: u32,
    /// Whether it collects cash on delivery.
    pub cod_supported: bool,
    /// The largest amount it collects on one parcel; none means no limit.
    #[serde(default, with = "super::json::option_money")]
    pub cod_limit: Option<Money>,
    /// Its contract rates, per service and zone.
    pub rates: RateTable,
}

impl Carrier {
    /// The service with `code`, compared trimmed and case-insensitively.
    pub fn service(&self, code: &str) -> Option<&ServiceLevel> {
        let code = code.trim();
        self.services
            .iter()
            .find(|service| service.code.eq_ignore_ascii_case(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coverage(rows: &[(&str, &[&str])]) -> Coverage {
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

    #[test]
    fn given_a_whole_country_when_any_address_there_is_checked_then_it_is_covered() {
        let coverage = coverage(&[("CN", &[])]);
        assert!(coverage.covers(&Place::new("CN", Some("Xinjiang"))));
        assert!(coverage.covers(&Place::new("cn", None)));
        assert!(!coverage.covers(&Place::new("US", Some("CA"))));
        assert!(!coverage.is_narrowed("CN"));
    }

    #[test]
    fn given_a_country_narrowed_to_regions_then_only_those_regions_are_covered() {
        let coverage = coverage(&[("CN", &["Shanghai", "Zhejiang"]), ("HK", &[])]);
        #[rustfmt::skip]
        let table = [
            (Place::new("CN", Some("Shanghai")), true),
            (Place::new(" cn ", Some("  zhejiang ")), true),
            (Place::new("CN", Some("Xinjiang")), false),
            (Place::new("CN", None), false),
            (Place::new("CN", Some("  ")), false),
            (Place::new("HK", None), true),
            (Place::new("US", Some("Shanghai")), false),
        ];
        for (place, covered) in table {
            assert_eq!(coverage.covers(&place), covered, "{place}");
        }
        assert!(coverage.is_narrowed("cn"));
        assert!(!coverage.is_narrowed("HK"));
    }

    #[test]
    fn given_regions_in_chinese_then_they_match_as_written() {
        let coverage = coverage(&[("CN", &["上海市"])]);
        assert!(coverage.covers(&Place::new("CN", Some(" 上海市"))));
        assert!(!coverage.covers(&Place::new("CN", Some("新疆"))));
    }

    #[test]
    fn an_empty_coverage_covers_nothing() {
        assert!(!Coverage::default().covers(&Place::new("CN", Some("Shanghai"))));
    }

    #[test]
    fn zones_are_local_national_or_international_from_the_warehouse() {
        let shanghai = Place::new("CN", Some("Shanghai"));
        #[rustfmt::skip]
        let table = [
            (Place::new("cn", Some(" shanghai")), Zone::Local),
            (Place::new("CN", Some("Zhejiang")), Zone::National),
            (Place::new("CN", None), Zone::National),
            (Place::new("US", Some("Shanghai")), Zone::International),
        ];
        for (destination, zone) in table {
            assert_eq!(
                Zone::between(&shanghai, &destination),
                zone,
                "{destination}"
            );
        }
        let unknown_region = Place::new("CN", None);
        assert_eq!(
            Zone::between(&unknown_region, &Place::new("CN", None)),
            Zone::National
        );
    }

    #[test]
    fn places_print_as_country_dash_region() {
        assert_eq!(
            Place::new(" cn", Some(" Xinjiang ")).to_string(),
            "CN-Xinjiang"
        );
        assert_eq!(Place::new("US", None).to_string(), "US");
        assert_eq!(Place::new("US", Some("")).to_string(), "US");
    }

    #[test]
    fn zones_serialise_by_their_contract_names() {
        for zone in Zone::ALL {
            assert_eq!(
                serde_json::to_string(zone).unwrap(),
                format!("\"{}\"", zone.as_str())
            );
        }
    }
}
