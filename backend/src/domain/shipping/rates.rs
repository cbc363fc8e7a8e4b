//! Contract rates: what a carrier charges for a parcel of a given weight, per service and zone.
//! A rate card is a list of ascending weight brackets ("up to 1,000 g: 8.00") and, optionally, a
//! price per started kilogram above the last bracket; without one, heavier parcels have no rate
//! on that card. The carrier's maximum weight caps every card.

use serde::{Deserialize, Serialize};

use super::carrier::{Carrier, Zone};
use crate::domain::money::{Money, MoneyError};

/// One weight bracket: parcels up to and including `up_to_g` cost `price`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightBracket {
    /// The bracket's upper limit in grams, inclusive.
    pub up_to_g: u32,
    /// The price of a parcel in this bracket.
    #[serde(with = "super::json::money")]
    pub price: Money,
}

/// The rates of one service in one zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateCard {
    /// The service's code, e.g. `STD`.
    pub service: String,
    /// The zone the card prices.
    pub zone: Zone,
    /// Strictly ascending by `up_to_g`.
    pub brackets: Vec<WeightBracket>,
    /// Added per started kilogram above the last bracket (from 0 g when there are no brackets).
    #[serde(default, with = "super::json::option_money")]
    pub per_extra_kg: Option<Money>,
}

/// A carrier's rate cards, at most one per service and zone. Stored as a JSON array of cards.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RateTable {
    /// The cards, in the order the editor shows them.
    pub cards: Vec<RateCard>,
}

impl RateTable {
    /// The card for `service` (case-insensitive) in `zone`, if the contract has one.
    pub fn card(&self, service: &str, zone: Zone) -> Option<&RateCard> {
        let service = service.trim();
        self.cards
            .iter()
            .find(|card| card.zone == zone && card.service.eq_ignore_ascii_case(service))
    }
}

/// Why a carrier has no price for a parcel.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateError {
    /// The carrier does not sell the service.
    #[error("carrier {carrier} has no service {service}")]
    UnknownService {
        /// The carrier's code.
        carrier: String,
        /// The service code asked for.
        service: String,
    },
    /// The parcel is heavier than the carrier takes.
    #[error(
        "weight {} is over carrier {carrier}'s {} limit",
        grams(*.weight_g),
        grams(*.max_g)
    )]
    OverMaxWeight {
        /// The carrier's code.
        carrier: String,
        /// The parcel's weight in grams.
        weight_g: u32,
        /// The carrier's maximum in grams.
        max_g: u32,
    },
    /// The contract has no card for this service in this zone.
    #[error("carrier {carrier} has no {zone} rate for service {service}")]
    NoRate {
        /// The carrier's code.
        carrier: String,
        /// The service's code.
        service: String,
        /// The parcel's zone.
        zone: Zone,
    },
    /// The parcel is above the card's last bracket and the card has no per-kilogram price.
    #[error(
        "carrier {carrier}'s {zone} {service} rates stop at {}, the parcel weighs {}",
        grams(*.last_up_to_g),
        grams(*.weight_g)
    )]
    BeyondLastBracket {
        /// The carrier's code.
        carrier: String,
        /// The service's code.
        service: String,
        /// The parcel's zone.
        zone: Zone,
        /// The parcel's weight in grams.
        weight_g: u32,
        /// The last bracket's limit in grams.
        last_up_to_g: u32,
    },
    /// The card's prices cannot be added up (mixed currencies or an absurd amount).
    #[error("carrier {carrier}'s {zone} {service} rate cannot be computed: {source}")]
    Arithmetic {
        /// The carrier's code.
        carrier: String,
        /// The service's code.
        service: String,
        /// The parcel's zone.
        zone: Zone,
        /// What went wrong.
        source: MoneyError,
    },
}

/// What a carrier charges for a parcel of `weight_g` grams sent with `service_code` in `zone`.
///
/// The first bracket whose limit is at or above the weight gives the price (a parcel of exactly
/// 1,000 g is in the "up to 1,000 g" bracket). Above the last bracket, the card's per-kilogram
/// price is added for every started kilogram beyond it: 1 g over costs a whole kilogram.
pub fn rate(
    carrier: &Carrier,
    service_code: &str,
    zone: Zone,
    weight_g: u32,
) -> Result<Money, RateError> {
    let Some(service) = carrier.service(service_code) else {
        return Err(RateError::UnknownService {
            carrier: carrier.code.clone(),
            service: service_code.trim().to_string(),
        });
    };
    if weight_g > carrier.max_weight_g {
        return Err(RateError::OverMaxWeight {
            carrier: carrier.code.clone(),
            weight_g,
            max_g: carrier.max_weight_g,
        });
    }
    let Some(card) = carrier.rates.card(&service.code, zone) else {
        return Err(RateError::NoRate {
            carrier: carrier.code.clone(),
            service: service.code.clone(),
            zone,
        });
    };
    card.price(weight_g).map_err(|problem| match problem {
        CardProblem::Beyond { last_up_to_g } => RateError::BeyondLastBracket {
            carrier: carrier.code.clone(),
            service: service.code.clone(),
            zone,
            weight_g,
            last_up_to_g,
        },
        CardProblem::Money(source) => RateError::Arithmetic {
            carrier: carrier.code.clone(),
            service: service.code.clone(),
            zone,
            source,
        },
    })
}

/// Why a card alone has no price; [`rate`] adds who and what.
enum CardProblem {
    Beyond { last_up_to_g: u32 },
    Money(MoneyError),
}

impl RateCard {
    fn price(&self, weight_g: u32) -> Result<Money, CardProblem> {
        if let Some(bracket) = self.brackets.iter().find(|b| weight_g <= b.up_to_g) {
            return Ok(bracket.price);
        }
        let last = self.brackets.last();
        let last_up_to_g = last.map_or(0, |b| b.up_to_g);
        let Some(per_kg) = self.per_extra_kg else {
            return Err(CardProblem::Beyond { last_up_to_g });
        };
        let started_kg = (weight_g - last_up_to_g).div_ceil(1000);
        let extra = per_kg.times(started_kg).map_err(CardProblem::Money)?;
        match last {
            Some(bracket) => bracket.price.checked_add(extra).map_err(CardProblem::Money),
            None => Ok(extra),
        }
    }
}

/// Grams with thousands separators, as people read them: `32,000 g`.
pub(super) fn grams(weight_g: u32) -> String {
    let digits = weight_g.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 2);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out.push_str(" g");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;
    use crate::domain::shipping::testkit::{carrier, cny};

    /// SF: STD NATIONAL up to 1,000 g 10.00, up to 5,000 g 18.00, then 4.00 per started kg;
    /// LOCAL has brackets only; max 30,000 g.
    fn sf() -> Carrier {
        carrier("SF")
    }

    #[test]
    fn given_a_weight_inside_a_bracket_then_the_bracket_price_applies() {
        #[rustfmt::skip]
        let table = [
            (0, "10.00"),
            (1, "10.00"),
            (1_000, "10.00"),
            (1_001, "18.00"),
            (5_000, "18.00"),
        ];
        for (weight_g, price) in table {
            assert_eq!(
                rate(&sf(), "STD", Zone::National, weight_g),
                Ok(cny(price)),
                "{weight_g} g"
            );
        }
    }

    #[test]
    fn given_a_weight_above_the_last_bracket_then_every_started_kilogram_is_charged() {
        #[rustfmt::skip]
        let table = [
            (5_001, "22.00"),
            (5_999, "22.00"),
            (6_000, "22.00"),
            (6_001, "26.00"),
            (30_000, "118.00"),
        ];
        for (weight_g, price) in table {
            assert_eq!(
                rate(&sf(), "STD", Zone::National, weight_g),
                Ok(cny(price)),
                "{weight_g} g"
            );
        }
    }

    #[test]
    fn given_no_per_kilogram_price_then_a_parcel_above_the_last_bracket_has_no_rate() {
        assert_eq!(rate(&sf(), "std", Zone::Local, 3_000), Ok(cny("9.00")));
        let err = rate(&sf(), "STD", Zone::Local, 3_001).unwrap_err();
        assert_eq!(
            err,
            RateError::BeyondLastBracket {
                carrier: "SF".into(),
                service: "STD".into(),
                zone: Zone::Local,
                weight_g: 3_001,
                last_up_to_g: 3_000,
            }
        );
        assert_eq!(
            err.to_string(),
            "carrier SF's LOCAL STD rates stop at 3,000 g, the parcel weighs 3,001 g"
        );
    }

    #[test]
    fn given_a_card_with_only_a_per_kilogram_price_then_it_charges_from_the_first_gram() {
        let mut sf = sf();
        sf.rates.cards.push(RateCard {
            service: "EXP".into(),
            zone: Zone::International,
            brackets: vec![],
            per_extra_kg: Some(cny("30.00")),
        });
        assert_eq!(rate(&sf, "EXP", Zone::International, 1), Ok(cny("30.00")));
        assert_eq!(
            rate(&sf, "EXP", Zone::International, 2_000),
            Ok(cny("60.00"))
        );
        assert_eq!(
            rate(&sf, "EXP", Zone::International, 2_001),
            Ok(cny("90.00"))
        );
        assert_eq!(rate(&sf, "EXP", Zone::International, 0), Ok(cny("0.00")));
    }

    #[test]
    fn given_a_parcel_over_the_carrier_maximum_then_it_is_refused_whatever_the_card() {
        assert_eq!(
            rate(&sf(), "STD", Zone::National, 30_000),
            Ok(cny("118.00"))
        );
        let err = rate(&sf(), "STD", Zone::National, 30_001).unwrap_err();
        assert_eq!(
            err,
            RateError::OverMaxWeight {
                carrier: "SF".into(),
                weight_g: 30_001,
                max_g: 30_000
            }
        );
        assert_eq!(
            err.to_string(),
            "weight 30,001 g is over carrier SF's 30,000 g limit"
        );
    }

    #[test]
    fn given_an_unknown_service_or_zone_then_the_error_names_them() {
        assert_eq!(
            rate(&sf(), " XYZ ", Zone::National, 100)
                .unwrap_err()
                .to_string(),
            "carrier SF has no service XYZ"
        );
        assert_eq!(
            rate(&sf(), "STD", Zone::International, 100)
                .unwrap_err()
                .to_string(),
            "carrier SF has no INTERNATIONAL rate for service STD"
        );
    }

    #[test]
    fn given_a_card_mixing_currencies_then_the_rate_is_an_arithmetic_error() {
        let mut sf = sf();
        for card in &mut sf.rates.cards {
            card.per_extra_kg = Some(Money::from_minor(100, Currency::Usd));
        }
        let err = rate(&sf, "STD", Zone::National, 5_001).unwrap_err();
        assert_eq!(
            err.to_string(),
            "carrier SF's NATIONAL STD rate cannot be computed: cannot combine CNY with USD"
        );
    }

    #[test]
    fn heavier_parcels_never_cost_less_on_one_card() {
        let sf = sf();
        let mut previous = cny("0");
        for weight_g in (0..=30_000).step_by(7) {
            let price = rate(&sf, "STD", Zone::National, weight_g).unwrap();
            assert!(
                price >= previous,
                "{weight_g} g costs {price}, less than {previous}"
            );
            previous = price;
        }
    }

    #[test]
    fn grams_are_written_with_thousands_separators() {
        #[rustfmt::skip]
        let table = [
            (0, "0 g"), (999, "999 g"), (1_000, "1,000 g"), (32_000, "32,000 g"),
            (1_234_567, "1,234,567 g"), (u32::MAX, "4,294,967,295 g"),
        ];
        for (weight_g, text) in table {
            assert_eq!(grams(weight_g), text);
        }
    }

    #[test]
    fn rate_tables_round_trip_through_json() {
        let table = sf().rates;
        let json = serde_json::to_string(&table).unwrap();
        assert!(json.starts_with(r#"[{"service":"STD","zone":"LOCAL","brackets":[{"upToG":1000,"price":{"amount":"6.00","currency":"CNY"}}"#), "{json}");
        assert_eq!(serde_json::from_str::<RateTable>(&json).unwrap(), table);
    }
}
