//! Choosing the carrier for a parcel (SPEC §2.5): among every service of every carrier, the
//! cheapest one that is active, covers the destination, meets the promised delivery date, takes
//! the weight and collects the cash on delivery if the order needs it. Ties go to the faster
//! service, then to the carrier code, so the same facts always give the same choice.
//!
//! The choice comes with a trace of every carrier service considered and why it lost or was
//! excluded, in sentences a shipping manager reads in the console ("does not cover
//! CN-Xinjiang"). An operator may override the choice: the hard constraints still hold, a missed
//! promise only warns.

use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

use super::carrier::{Carrier, Place, ServiceLevel, Zone};
use super::rates::{RateError, grams, rate};
use crate::domain::money::{Currency, Money};

/// What selection knows about a parcel. Plain values the service loads beforehand, so a choice
/// can be replayed in a test or a dry run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParcelFacts {
    /// The warehouse it leaves from.
    pub origin: Place,
    /// Where it goes.
    pub destination: Place,
    /// Its weight in grams, packaging included.
    pub weight_g: u32,
    /// The cash to collect on delivery; none for a prepaid order.
    pub cod: Option<Money>,
    /// Days left until the delivery date promised to the customer; none when nothing was
    /// promised.
    pub promised_in_days: Option<u32>,
    /// The currency contract rates are compared in (the merchant's). Prices in different
    /// currencies cannot be compared, so a service priced in another one is excluded.
    pub rate_currency: Currency,
}

/// Why a carrier service cannot take a parcel. Displayed as the short sentence the trace shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum Exclusion {
    /// The carrier is switched off.
    Inactive,
    /// The carrier does not deliver there.
    NotCovered {
        /// The destination as `CN-Xinjiang`.
        destination: String,
    },
    /// The carrier serves only some regions of the country and the address has no region.
    RegionRequired {
        /// The destination's country.
        country: String,
    },
    /// The parcel is heavier than the carrier takes.
    OverWeight {
        /// The parcel's weight in grams.
        weight_g: u32,
        /// The carrier's maximum in grams.
        max_g: u32,
    },
    /// The order is cash on delivery and the carrier does not collect cash.
    NoCod,
    /// The cash to collect is above what the carrier collects on one parcel.
    OverCodLimit {
        /// The cash to collect.
        amount: Money,
        /// The carrier's limit.
        limit: Money,
    },
    /// The carrier's COD limit is in another currency than the cash to collect.
    CodLimitCurrency {
        /// The cash to collect.
        amount: Money,
        /// The carrier's limit.
        limit: Money,
    },
    /// The service is slower than the promised delivery date allows.
    MissesPromise {
        /// The service's SLA in days.
        sla_days: u32,
        /// Days left until the promised date.
        promised_in_days: u32,
    },
    /// The contract has no rate for the service in the parcel's zone.
    NoRate {
        /// The parcel's zone.
        zone: Zone,
    },
    /// The parcel is above the last weight bracket of a card without a per-kilogram price.
    BeyondRates {
        /// The parcel's weight in grams.
        weight_g: u32,
        /// The last bracket's limit in grams.
        last_up_to_g: u32,
    },
    /// The service is priced in another currency than the rates are compared in.
    OtherCurrency {
        /// The service's price for the parcel.
        price: Money,
        /// The currency rates are compared in.
        wanted: Currency,
    },
    /// The rate could not be computed (a broken rate card).
    Unpriced {
        /// Why, as a sentence.
        reason: String,
    },
}

impl Exclusion {
    /// Whether an operator override may ignore it: a missed promise is the operator's call, and
    /// a price in another currency only matters when comparing prices.
    pub fn is_soft(&self) -> bool {
        matches!(
            self,
            Exclusion::MissesPromise { .. } | Exclusion::OtherCurrency { .. }
        )
    }
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exclusion::Inactive => f.write_str("inactive"),
            Exclusion::NotCovered { destination } => write!(f, "does not cover {destination}"),
            Exclusion::RegionRequired { country } => write!(
                f,
                "covers only some regions of {country} and the address has no region"
            ),
            Exclusion::OverWeight { weight_g, max_g } => write!(
                f,
                "weight {} over its {} limit",
                grams(*weight_g),
                grams(*max_g)
            ),
            Exclusion::NoCod => f.write_str("no COD"),
            Exclusion::OverCodLimit { amount, limit } => {
                write!(f, "COD {amount} over its {limit} limit")
            }
            Exclusion::CodLimitCurrency { amount, limit } => write!(
                f,
                "COD limit is in {}, the amount in {}",
                limit.currency(),
                amount.currency()
            ),
            Exclusion::MissesPromise {
                sla_days,
                promised_in_days,
            } => write!(f, "SLA {}, promised in {promised_in_days}", days(*sla_days)),
            Exclusion::NoRate { zone } => write!(f, "no {zone} rate"),
            Exclusion::BeyondRates {
                weight_g,
                last_up_to_g,
            } => write!(
                f,
                "rates stop at {}, the parcel weighs {}",
                grams(*last_up_to_g),
                grams(*weight_g)
            ),
            Exclusion::OtherCurrency { price, wanted } => {
                write!(
                    f,
                    "priced in {}, rates are compared in {wanted}",
                    price.currency()
                )
            }
            Exclusion::Unpriced { reason } => f.write_str(reason),
        }
    }
}

/// Why an eligible carrier service lost to the chosen one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum Loss {
    /// It costs more.
    Dearer {
        /// What the chosen service costs.
        winner_price: Money,
    },
    /// Same price, slower.
    Slower {
        /// The chosen service's SLA in days.
        winner_sla_days: u32,
    },
    /// Same price and SLA; the chosen one comes first by carrier code, then service code.
    LaterCode,
}

/// What became of one carrier service in a selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum Verdict {
    /// It was chosen.
    Chosen,
    /// It could take the parcel, but another was better.
    Lost {
        /// The chosen one, as `SF/STD`.
        to: String,
        /// In what it was better.
        why: Loss,
    },
    /// It cannot take the parcel; every reason is listed, so a manager fixes all at once.
    Excluded {
        /// At least one.
        reasons: Vec<Exclusion>,
    },
}

/// One carrier service considered for a parcel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateTrace {
    /// The carrier's code.
    pub carrier_code: String,
    /// The service's code.
    pub service_code: String,
    /// The service's SLA in days.
    pub sla_days: u32,
    /// What it would cost, when it can be priced (also for excluded services).
    pub price: Option<Money>,
    /// Chosen, lost or excluded, and why.
    pub verdict: Verdict,
}

impl CandidateTrace {
    /// The verdict as a sentence, e.g. `18.00 CNY, dearer than SF/STD at 12.00 CNY`.
    pub fn reason(&self) -> String {
        let price = self
            .price
            .map_or_else(|| "unpriced".to_string(), |p| p.to_string());
        match &self.verdict {
            Verdict::Chosen => format!("chosen at {price}, SLA {}", days(self.sla_days)),
            Verdict::Lost { to, why } => match why {
                Loss::Dearer { winner_price } => {
                    format!("{price}, dearer than {to} at {winner_price}")
                }
                Loss::Slower { winner_sla_days } => format!(
                    "same price as {to}, but SLA {} against {}",
                    days(self.sla_days),
                    days(*winner_sla_days)
                ),
                Loss::LaterCode => format!("same price and SLA as {to}, which comes first by code"),
            },
            Verdict::Excluded { reasons } => listed(reasons),
        }
    }
}

/// `SF/STD: does not cover CN-Xinjiang; no COD`.
impl fmt::Display for CandidateTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}: {}",
            self.carrier_code,
            self.service_code,
            self.reason()
        )
    }
}

/// The carrier service chosen for a parcel, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CarrierChoice {
    /// The carrier's code.
    pub carrier_code: String,
    /// The service's code.
    pub service_code: String,
    /// The zone the parcel travels in.
    pub zone: Zone,
    /// The contract price.
    pub price: Money,
    /// The service's SLA in days.
    pub sla_days: u32,
    /// Every carrier service considered, in the order carriers and services were given.
    pub trace: Vec<CandidateTrace>,
}

/// No carrier service can take the parcel; the trace says why for each.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no carrier can take this parcel: {}", summary(.trace))]
pub struct NoCarrier {
    /// Every carrier service considered, each excluded.
    pub trace: Vec<CandidateTrace>,
}

/// The carrier service an operator chose instead of the automatic choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OverrideChoice {
    /// The carrier's code, as configured.
    pub carrier_code: String,
    /// The service's code, as configured.
    pub service_code: String,
    /// The zone the parcel travels in.
    pub zone: Zone,
    /// The contract price.
    pub price: Money,
    /// The service's SLA in days.
    pub sla_days: u32,
    /// Soft constraints the choice breaks (a missed promise), for the operator to confirm.
    pub warnings: Vec<Exclusion>,
}

/// Why an operator's carrier choice is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OverrideError {
    /// No carrier has the code.
    #[error("there is no carrier {carrier}")]
    UnknownCarrier {
        /// The code asked for.
        carrier: String,
    },
    /// The carrier does not sell the service.
    #[error("carrier {carrier} has no service {service}")]
    UnknownService {
        /// The carrier's code.
        carrier: String,
        /// The service code asked for.
        service: String,
    },
    /// The carrier service cannot take the parcel.
    #[error("{carrier}/{service} cannot take this parcel: {}", listed(.reasons))]
    Refused {
        /// The carrier's code.
        carrier: String,
        /// The service's code.
        service: String,
        /// The hard constraints it breaks; at least one.
        reasons: Vec<Exclusion>,
    },
}

/// Chooses the carrier service for a parcel; see the module docs for the rules.
pub fn select(carriers: &[Carrier], facts: &ParcelFacts) -> Result<CarrierChoice, NoCarrier> {
    let zone = Zone::between(&facts.origin, &facts.destination);
    let assessed: Vec<Assessed<'_>> = carriers
        .iter()
        .flat_map(|carrier| {
            carrier
                .services
                .iter()
                .map(move |service| assess(carrier, service, facts, zone))
        })
        .collect();
    let winner = assessed
        .iter()
        .filter_map(|a| a.eligible_price().map(|price| (a, price)))
        .min_by(|(a, a_price), (b, b_price)| {
            a_price
                .amount()
                .cmp(&b_price.amount())
                .then_with(|| a.order_after_price(b))
        });
    let Some((winner, winner_price)) = winner else {
        let trace = assessed
            .into_iter()
            .map(|a| {
                let verdict = Verdict::Excluded {
                    reasons: a.problems.clone(),
                };
                a.trace(verdict)
            })
            .collect();
        return Err(NoCarrier { trace });
    };
    let trace = assessed
        .iter()
        .map(|a| {
            let verdict = if std::ptr::eq(a, winner) {
                Verdict::Chosen
            } else if let Some(price) = a.eligible_price() {
                let why = if price.amount() > winner_price.amount() {
                    Loss::Dearer { winner_price }
                } else if a.service.sla_days > winner.service.sla_days {
                    Loss::Slower {
                        winner_sla_days: winner.service.sla_days,
                    }
                } else {
                    Loss::LaterCode
                };
                Verdict::Lost {
                    to: winner.label(),
                    why,
                }
            } else {
                Verdict::Excluded {
                    reasons: a.problems.clone(),
                }
            };
            a.trace(verdict)
        })
        .collect();
    Ok(CarrierChoice {
        carrier_code: winner.carrier.code.clone(),
        service_code: winner.service.code.clone(),
        zone,
        price: winner_price,
        sla_days: winner.service.sla_days,
        trace,
    })
}

/// Checks an operator's choice of `carrier_code` and `service_code` (case-insensitive) for a
/// parcel. Inactivity, coverage, weight, COD and a missing rate refuse it; a missed promise (or a
/// price in another currency) is returned as a warning.
pub fn override_choice(
    carriers: &[Carrier],
    facts: &ParcelFacts,
    carrier_code: &str,
    service_code: &str,
) -> Result<OverrideChoice, OverrideError> {
    let code = carrier_code.trim();
    let Some(carrier) = carriers.iter().find(|c| c.code.eq_ignore_ascii_case(code)) else {
        return Err(OverrideError::UnknownCarrier {
            carrier: code.to_string(),
        });
    };
    let Some(service) = carrier.service(service_code) else {
        return Err(OverrideError::UnknownService {
            carrier: carrier.code.clone(),
            service: service_code.trim().to_string(),
        });
    };
    let zone = Zone::between(&facts.origin, &facts.destination);
    let assessed = assess(carrier, service, facts, zone);
    let (warnings, hard): (Vec<Exclusion>, Vec<Exclusion>) =
        assessed.problems.into_iter().partition(Exclusion::is_soft);
    let refused = |reasons| OverrideError::Refused {
        carrier: carrier.code.clone(),
        service: service.code.clone(),
        reasons,
    };
    match assessed.price {
        Some(price) if hard.is_empty() => Ok(OverrideChoice {
            carrier_code: carrier.code.clone(),
            service_code: service.code.clone(),
            zone,
            price,
            sla_days: service.sla_days,
            warnings,
        }),
        // Without a price there is always a hard reason (weight or rate) already listed.
        _ => Err(refused(hard)),
    }
}

/// One carrier service measured against a parcel.
struct Assessed<'a> {
    carrier: &'a Carrier,
    service: &'a ServiceLevel,
    price: Option<Money>,
    problems: Vec<Exclusion>,
}

impl Assessed<'_> {
    /// The price, when nothing excludes the service.
    fn eligible_price(&self) -> Option<Money> {
        self.price.filter(|_| self.problems.is_empty())
    }

    /// Among equal prices: the faster SLA, then the carrier code, then the service code.
    fn order_after_price(&self, other: &Assessed<'_>) -> Ordering {
        self.service
            .sla_days
            .cmp(&other.service.sla_days)
            .then_with(|| self.carrier.code.cmp(&other.carrier.code))
            .then_with(|| self.service.code.cmp(&other.service.code))
    }

    fn label(&self) -> String {
        format!("{}/{}", self.carrier.code, self.service.code)
    }

    fn trace(&self, verdict: Verdict) -> CandidateTrace {
        CandidateTrace {
            carrier_code: self.carrier.code.clone(),
            service_code: self.service.code.clone(),
            sla_days: self.service.sla_days,
            price: self.price,
            verdict,
        }
    }
}

/// Every reason `service` of `carrier` cannot take the parcel, in the order a manager would
/// check them, and its price when it has one.
fn assess<'a>(
    carrier: &'a Carrier,
    service: &'a ServiceLevel,
    facts: &ParcelFacts,
    zone: Zone,
) -> Assessed<'a> {
    let mut problems = Vec::new();
    if !carrier.active {
        problems.push(Exclusion::Inactive);
    }
    let destination = &facts.destination;
    if !carrier.coverage.covers(destination) {
        problems.push(
            if destination.region().is_none() && carrier.coverage.is_narrowed(&destination.country)
            {
                Exclusion::RegionRequired {
                    country: destination.country.trim().to_uppercase(),
                }
            } else {
                Exclusion::NotCovered {
                    destination: destination.to_string(),
                }
            },
        );
    }
    let takes_weight = facts.weight_g <= carrier.max_weight_g;
    if !takes_weight {
        problems.push(Exclusion::OverWeight {
            weight_g: facts.weight_g,
            max_g: carrier.max_weight_g,
        });
    }
    if let Some(amount) = facts.cod {
        match carrier.cod_limit {
            _ if !carrier.cod_supported => problems.push(Exclusion::NoCod),
            Some(limit) if limit.currency() != amount.currency() => {
                problems.push(Exclusion::CodLimitCurrency { amount, limit });
            }
            Some(limit) if amount > limit => {
                problems.push(Exclusion::OverCodLimit { amount, limit });
            }
            _ => {}
        }
    }
    if let Some(promised_in_days) = facts.promised_in_days
        && service.sla_days > promised_in_days
    {
        problems.push(Exclusion::MissesPromise {
            sla_days: service.sla_days,
            promised_in_days,
        });
    }
    let mut price = None;
    if takes_weight {
        match rate(carrier, &service.code, zone, facts.weight_g) {
            Ok(priced) => {
                if priced.currency() != facts.rate_currency {
                    problems.push(Exclusion::OtherCurrency {
                        price: priced,
                        wanted: facts.rate_currency,
                    });
                }
                price = Some(priced);
            }
            Err(RateError::NoRate { zone, .. }) => problems.push(Exclusion::NoRate { zone }),
            Err(RateError::BeyondLastBracket {
                weight_g,
                last_up_to_g,
                ..
            }) => problems.push(Exclusion::BeyondRates {
                weight_g,
                last_up_to_g,
            }),
            Err(
                err @ (RateError::UnknownService { .. }
                | RateError::OverMaxWeight { .. }
                | RateError::Arithmetic { .. }),
            ) => problems.push(Exclusion::Unpriced {
                reason: err.to_string(),
            }),
        }
    }
    Assessed {
        carrier,
        service,
        price,
        problems,
    }
}

/// `1 day`, `3 days`.
fn days(count: u32) -> String {
    if count == 1 {
        "1 day".to_string()
    } else {
        format!("{count} days")
    }
}

fn listed(reasons: &[Exclusion]) -> String {
    reasons
        .iter()
        .map(Exclusion::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn summary(trace: &[CandidateTrace]) -> String {
    if trace.is_empty() {
        return "no carrier service is configured".to_string();
    }
    trace
        .iter()
        .map(|t| format!("{}/{} ({})", t.carrier_code, t.service_code, t.reason()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::shipping::testkit::{carrier, cny, covering, flat, parcel};

    fn reasons_of(trace: &[CandidateTrace], carrier: &str, service: &str) -> Vec<String> {
        let t = trace
            .iter()
            .find(|t| t.carrier_code == carrier && t.service_code == service)
            .unwrap();
        match &t.verdict {
            Verdict::Excluded { reasons } => reasons.iter().map(|r| r.to_string()).collect(),
            other => panic!("{carrier}/{service} was not excluded: {other:?}"),
        }
    }

    #[test]
    fn given_eligible_services_when_selecting_then_the_cheapest_wins() {
        let carriers = [carrier("SF"), carrier("YTO")];
        let mut yto = carriers[1].clone();
        yto.rates.cards[1].brackets[0].price = cny("8.00");
        let carriers = [carriers[0].clone(), yto];
        let choice = select(&carriers, &parcel()).unwrap();
        assert_eq!(
            (
                choice.carrier_code.as_str(),
                choice.service_code.as_str(),
                choice.zone,
                choice.price,
                choice.sla_days
            ),
            ("YTO", "STD", Zone::National, cny("8.00"), 3)
        );
        let lines: Vec<String> = choice.trace.iter().map(|t| t.to_string()).collect();
        assert_eq!(
            lines,
            [
                "SF/STD: 10.00 CNY, dearer than YTO/STD at 8.00 CNY",
                "SF/EXP: 20.00 CNY, dearer than YTO/STD at 8.00 CNY",
                "YTO/STD: chosen at 8.00 CNY, SLA 3 days",
                "YTO/EXP: 20.00 CNY, dearer than YTO/STD at 8.00 CNY",
            ]
        );
    }

    #[test]
    fn given_a_price_tie_then_the_faster_sla_wins_and_then_the_carrier_code() {
        let carriers = [
            flat("ZTO", &[("STD", 2, "10.00")]),
            flat("YTO", &[("STD", 3, "10.00"), ("EXP", 2, "10.00")]),
            flat("STO", &[("STD", 2, "10.00")]),
            flat("JD", &[("STD", 2, "11.00")]),
        ];
        let choice = select(&carriers, &parcel()).unwrap();
        assert_eq!(
            (choice.carrier_code.as_str(), choice.service_code.as_str()),
            ("STO", "STD")
        );
        let lines: Vec<String> = choice.trace.iter().map(|t| t.to_string()).collect();
        assert_eq!(
            lines,
            [
                "ZTO/STD: same price and SLA as STO/STD, which comes first by code",
                "YTO/STD: same price as STO/STD, but SLA 3 days against 2 days",
                "YTO/EXP: same price and SLA as STO/STD, which comes first by code",
                "STO/STD: chosen at 10.00 CNY, SLA 2 days",
                "JD/STD: 11.00 CNY, dearer than STO/STD at 10.00 CNY",
            ]
        );
    }

    #[test]
    fn given_the_same_price_and_sla_within_one_carrier_then_the_service_code_decides() {
        let carriers = [flat("SF", &[("STD", 2, "10.00"), ("ECO", 2, "10.00")])];
        assert_eq!(select(&carriers, &parcel()).unwrap().service_code, "ECO");
    }

    #[test]
    fn the_choice_does_not_depend_on_the_order_carriers_are_listed_in() {
        let carriers = vec![
            flat("ZTO", &[("STD", 2, "10.00")]),
            flat("YTO", &[("STD", 3, "9.00"), ("EXP", 1, "9.00")]),
            flat("STO", &[("STD", 1, "9.00")]),
            carrier("SF"),
        ];
        let expected = select(&carriers, &parcel()).unwrap();
        assert_eq!(
            (
                expected.carrier_code.as_str(),
                expected.service_code.as_str()
            ),
            ("STO", "STD")
        );
        // Every rotation and the reverse of the list.
        for shift in 0..carriers.len() {
            let mut rotated = carriers.clone();
            rotated.rotate_left(shift);
            for list in [rotated.clone(), rotated.into_iter().rev().collect()] {
                let choice = select(&list, &parcel()).unwrap();
                assert_eq!(
                    (choice.carrier_code, choice.service_code, choice.price),
                    (
                        expected.carrier_code.clone(),
                        expected.service_code.clone(),
                        expected.price
                    )
                );
            }
        }
    }

    #[test]
    fn given_a_destination_outside_the_coverage_then_the_carrier_is_excluded_by_region() {
        let mut sf = carrier("SF");
        sf.coverage = covering(&[("CN", &["Shanghai", "Zhejiang"])]);
        let yto = flat("YTO", &[("STD", 3, "50.00")]);
        let mut facts = parcel();
        facts.destination = Place::new("CN", Some("Xinjiang"));
        let choice = select(&[sf.clone(), yto.clone()], &facts).unwrap();
        assert_eq!(choice.carrier_code, "YTO");
        assert_eq!(
            reasons_of(&choice.trace, "SF", "STD"),
            ["does not cover CN-Xinjiang"]
        );

        facts.destination = Place::new("cn", Some("zhejiang"));
        assert_eq!(
            select(&[sf.clone(), yto.clone()], &facts)
                .unwrap()
                .carrier_code,
            "SF"
        );

        facts.destination = Place::new("CN", None);
        let choice = select(&[sf, yto], &facts).unwrap();
        assert_eq!(
            reasons_of(&choice.trace, "SF", "EXP"),
            ["covers only some regions of CN and the address has no region"]
        );
    }

    #[test]
    fn given_another_country_then_carriers_without_it_are_excluded_and_the_zone_is_international() {
        let mut facts = parcel();
        facts.destination = Place::new("US", Some("CA"));
        let choice = select(
            &[carrier("SF"), flat("UPS", &[("INT", 7, "120.00")])],
            &facts,
        )
        .unwrap();
        assert_eq!(choice.carrier_code, "UPS");
        assert_eq!(choice.zone, Zone::International);
        assert_eq!(
            reasons_of(&choice.trace, "SF", "STD"),
            ["does not cover US-CA", "no INTERNATIONAL rate"]
        );
    }

    #[test]
    fn given_a_parcel_in_the_warehouse_region_then_the_local_rate_applies() {
        let mut facts = parcel();
        facts.destination = Place::new("CN", Some(" shanghai "));
        let choice = select(&[carrier("SF")], &facts).unwrap();
        assert_eq!((choice.zone, choice.price), (Zone::Local, cny("6.00")));
    }

    #[test]
    fn given_a_parcel_over_a_carrier_maximum_then_that_carrier_is_excluded_with_the_numbers() {
        let mut light = carrier("SF");
        light.max_weight_g = 30_000;
        let mut heavy = flat("DB", &[("FRT", 5, "200.00")]);
        heavy.max_weight_g = 50_000;
        heavy
            .rates
            .cards
            .iter_mut()
            .for_each(|c| c.brackets[0].up_to_g = 50_000);
        let mut facts = parcel();
        facts.weight_g = 32_000;
        let choice = select(&[light.clone(), heavy], &facts).unwrap();
        assert_eq!(choice.carrier_code, "DB");
        assert_eq!(
            reasons_of(&choice.trace, "SF", "STD"),
            ["weight 32,000 g over its 30,000 g limit"]
        );
        assert_eq!(choice.trace[0].price, None);

        facts.weight_g = 30_000;
        assert_eq!(select(&[light], &facts).unwrap().price, cny("118.00"));
    }

    #[test]
    fn given_a_weight_above_a_card_without_per_kilogram_price_then_the_service_is_excluded() {
        let mut facts = parcel();
        facts.destination = Place::new("CN", Some("Shanghai"));
        facts.weight_g = 3_001;
        let choice = select(&[carrier("SF")], &facts).unwrap();
        assert_eq!(choice.service_code, "EXP");
        assert_eq!(choice.price, cny("27.00"));
        assert_eq!(
            reasons_of(&choice.trace, "SF", "STD"),
            ["rates stop at 3,000 g, the parcel weighs 3,001 g"]
        );
    }

    #[test]
    fn given_cash_on_delivery_then_only_carriers_collecting_that_much_qualify() {
        let sf = carrier("SF"); // limit 2000.00 CNY
        let mut yto = flat("YTO", &[("STD", 3, "5.00")]);
        yto.cod_supported = false;
        let jd = flat("JD", &[("STD", 3, "30.00")]); // no limit
        let carriers = [sf, yto, jd];
        let mut facts = parcel();

        facts.cod = Some(cny("2000.00"));
        let choice = select(&carriers, &facts).unwrap();
        assert_eq!(
            choice.carrier_code, "SF",
            "a COD of exactly the limit is accepted"
        );
        assert_eq!(reasons_of(&choice.trace, "YTO", "STD"), ["no COD"]);

        facts.cod = Some(cny("2000.01"));
        let choice = select(&carriers, &facts).unwrap();
        assert_eq!(choice.carrier_code, "JD");
        assert_eq!(
            reasons_of(&choice.trace, "SF", "STD"),
            ["COD 2000.01 CNY over its 2000.00 CNY limit"]
        );

        facts.cod = None;
        assert_eq!(select(&carriers, &facts).unwrap().carrier_code, "YTO");
    }

    #[test]
    fn given_a_cod_limit_in_another_currency_then_the_carrier_is_excluded() {
        let mut sf = carrier("SF");
        sf.cod_limit = Some(Money::from_minor(100_000, Currency::Usd));
        let mut facts = parcel();
        facts.cod = Some(cny("10.00"));
        let err = select(&[sf], &facts).unwrap_err();
        assert_eq!(
            reasons_of(&err.trace, "SF", "STD"),
            ["COD limit is in USD, the amount in CNY"]
        );
    }

    #[test]
    fn given_a_promised_date_then_slower_services_are_excluded() {
        let carriers = [
            flat("YTO", &[("STD", 5, "8.00")]),
            flat("SF", &[("EXP", 2, "20.00"), ("SDD", 1, "25.00")]),
        ];
        let mut facts = parcel();
        facts.promised_in_days = Some(2);
        let choice = select(&carriers, &facts).unwrap();
        assert_eq!(
            (choice.carrier_code.as_str(), choice.service_code.as_str()),
            ("SF", "EXP")
        );
        assert_eq!(
            reasons_of(&choice.trace, "YTO", "STD"),
            ["SLA 5 days, promised in 2"]
        );

        facts.promised_in_days = Some(1);
        assert_eq!(select(&carriers, &facts).unwrap().service_code, "SDD");

        facts.promised_in_days = None;
        assert_eq!(select(&carriers, &facts).unwrap().carrier_code, "YTO");
    }

    #[test]
    fn given_an_inactive_carrier_then_it_is_never_chosen() {
        let mut cheap = flat("YTO", &[("STD", 3, "1.00")]);
        cheap.active = false;
        let choice = select(&[cheap, carrier("SF")], &parcel()).unwrap();
        assert_eq!(choice.carrier_code, "SF");
        assert_eq!(reasons_of(&choice.trace, "YTO", "STD"), ["inactive"]);
    }

    #[test]
    fn given_a_service_priced_in_another_currency_then_it_is_excluded_from_the_comparison() {
        let mut usd = flat("UPS", &[("STD", 3, "1.00")]);
        for card in &mut usd.rates.cards {
            card.brackets[0].price = Money::from_minor(100, Currency::Usd);
        }
        let choice = select(&[usd, carrier("SF")], &parcel()).unwrap();
        assert_eq!(choice.carrier_code, "SF");
        assert_eq!(
            reasons_of(&choice.trace, "UPS", "STD"),
            ["priced in USD, rates are compared in CNY"]
        );
    }

    #[test]
    fn given_no_eligible_service_then_no_carrier_lists_every_reason_of_every_service() {
        let mut sf = carrier("SF");
        sf.coverage = covering(&[("CN", &["Shanghai"])]);
        sf.cod_supported = false;
        let mut facts = parcel();
        facts.destination = Place::new("CN", Some("Xinjiang"));
        facts.weight_g = 32_000;
        facts.cod = Some(cny("99.00"));
        facts.promised_in_days = Some(2);
        let err = select(&[sf, flat("YTO", &[("STD", 5, "8.00")])], &facts).unwrap_err();
        assert_eq!(err.trace.len(), 3);
        assert_eq!(
            reasons_of(&err.trace, "SF", "STD"),
            [
                "does not cover CN-Xinjiang",
                "weight 32,000 g over its 30,000 g limit",
                "no COD",
                "SLA 3 days, promised in 2"
            ]
        );
        assert_eq!(
            reasons_of(&err.trace, "YTO", "STD"),
            [
                "weight 32,000 g over its 30,000 g limit",
                "SLA 5 days, promised in 2"
            ]
        );
        assert_eq!(
            err.to_string(),
            "no carrier can take this parcel: \
             SF/STD (does not cover CN-Xinjiang; weight 32,000 g over its 30,000 g limit; no COD; SLA 3 days, promised in 2), \
             SF/EXP (does not cover CN-Xinjiang; weight 32,000 g over its 30,000 g limit; no COD), \
             YTO/STD (weight 32,000 g over its 30,000 g limit; SLA 5 days, promised in 2)"
        );
    }

    #[test]
    fn given_no_carriers_then_no_carrier_says_none_is_configured() {
        let err = select(&[], &parcel()).unwrap_err();
        assert!(err.trace.is_empty());
        assert_eq!(
            err.to_string(),
            "no carrier can take this parcel: no carrier service is configured"
        );
    }

    #[test]
    fn every_service_is_traced_once_and_exactly_one_is_chosen() {
        let carriers = [
            carrier("SF"),
            flat("YTO", &[("STD", 3, "9.00"), ("EXP", 1, "15.00")]),
            flat("JD", &[("STD", 2, "9.00")]),
        ];
        for weight_g in [0, 1_000, 1_001, 5_000, 5_001, 29_999, 30_000] {
            for promised in [None, Some(1), Some(2), Some(3)] {
                let mut facts = parcel();
                facts.weight_g = weight_g;
                facts.promised_in_days = promised;
                let choice = select(&carriers, &facts).unwrap();
                assert_eq!(choice.trace.len(), 5);
                let chosen: Vec<&CandidateTrace> = choice
                    .trace
                    .iter()
                    .filter(|t| t.verdict == Verdict::Chosen)
                    .collect();
                assert_eq!(chosen.len(), 1);
                assert_eq!(chosen[0].price, Some(choice.price));
                for t in &choice.trace {
                    if let Some(price) = t.price
                        && !matches!(t.verdict, Verdict::Excluded { .. })
                    {
                        assert!(price >= choice.price, "{t}");
                    }
                }
            }
        }
    }

    #[test]
    fn given_an_operator_override_then_hard_constraints_refuse_and_a_missed_promise_warns() {
        let mut sf = carrier("SF");
        sf.coverage = covering(&[("CN", &["Shanghai", "Zhejiang"])]);
        let carriers = [sf, flat("YTO", &[("STD", 5, "8.00")])];
        let mut facts = parcel();
        facts.promised_in_days = Some(2);

        let ok = override_choice(&carriers, &facts, " yto ", "std").unwrap();
        assert_eq!(
            (
                ok.carrier_code.as_str(),
                ok.service_code.as_str(),
                ok.price,
                ok.sla_days,
                ok.zone
            ),
            ("YTO", "STD", cny("8.00"), 5, Zone::National)
        );
        assert_eq!(
            ok.warnings,
            [Exclusion::MissesPromise {
                sla_days: 5,
                promised_in_days: 2
            }]
        );

        let ok = override_choice(&carriers, &facts, "SF", "EXP").unwrap();
        assert!(ok.warnings.is_empty());
        assert_eq!(ok.price, cny("20.00"));

        facts.destination = Place::new("CN", Some("Xinjiang"));
        facts.weight_g = 31_000;
        facts.cod = Some(cny("10.00"));
        let mut no_cod = carriers.clone();
        no_cod[0].cod_supported = false;
        let err = override_choice(&no_cod, &facts, "SF", "STD").unwrap_err();
        assert_eq!(
            err.to_string(),
            "SF/STD cannot take this parcel: does not cover CN-Xinjiang; \
             weight 31,000 g over its 30,000 g limit; no COD"
        );
    }

    #[test]
    fn given_an_override_to_an_unknown_carrier_or_service_then_it_is_refused() {
        let carriers = [carrier("SF")];
        assert_eq!(
            override_choice(&carriers, &parcel(), "DHL", "STD"),
            Err(OverrideError::UnknownCarrier {
                carrier: "DHL".into()
            })
        );
        assert_eq!(
            override_choice(&carriers, &parcel(), "sf", "ECO")
                .unwrap_err()
                .to_string(),
            "carrier SF has no service ECO"
        );
    }

    #[test]
    fn given_an_override_without_a_rate_for_the_zone_then_it_is_refused() {
        let mut facts = parcel();
        facts.destination = Place::new("CN", Some("Shanghai"));
        facts.weight_g = 4_000;
        assert_eq!(
            override_choice(&[carrier("SF")], &facts, "SF", "STD"),
            Err(OverrideError::Refused {
                carrier: "SF".into(),
                service: "STD".into(),
                reasons: vec![Exclusion::BeyondRates {
                    weight_g: 4_000,
                    last_up_to_g: 3_000
                }],
            })
        );
    }

    #[test]
    fn traces_serialise_with_tagged_verdicts_and_reasons() {
        let mut facts = parcel();
        facts.promised_in_days = Some(2);
        let choice = select(
            &[flat("YTO", &[("STD", 5, "8.00"), ("EXP", 1, "9.00")])],
            &facts,
        )
        .unwrap();
        let json = serde_json::to_value(&choice.trace).unwrap();
        assert_eq!(
            json[0]["verdict"],
            serde_json::json!({
                "kind": "EXCLUDED",
                "reasons": [{"kind": "MISSES_PROMISE", "slaDays": 5, "promisedInDays": 2}]
            })
        );
        assert_eq!(json[1]["verdict"], serde_json::json!({"kind": "CHOSEN"}));
        assert_eq!(json[1]["price"]["amount"], "9.00");
    }
}
