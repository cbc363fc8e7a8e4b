//! Reading money back from stored carrier JSON. [`Money`] serialises itself but deliberately has
//! no `Deserialize` (a derived one would bypass its rounding), so the stored form
//! `{"amount":"12.30","currency":"CNY"}` is read here through [`Money::parse_signed`]: an amount
//! with more decimals than its currency allows is refused instead of silently rounded.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::money::{Currency, Money};

/// Money as stored: the amount is a decimal string, exactly as `Money` serialises it.
#[derive(Deserialize)]
struct Stored {
    amount: String,
    currency: Currency,
}

impl Stored {
    fn into_money<E: serde::de::Error>(self) -> Result<Money, E> {
        Money::parse_signed(&self.amount, self.currency).map_err(E::custom)
    }
}

/// `#[serde(with = "…::json::money")]` for a `Money` field.
pub(super) mod money {
    use super::*;

    pub(in crate::domain::shipping) fn serialize<S: Serializer>(
        money: &Money,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        money.serialize(serializer)
    }

    pub(in crate::domain::shipping) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Money, D::Error> {
        Stored::deserialize(deserializer)?.into_money()
    }
}

/// `#[serde(default, with = "…::json::option_money")]` for an `Option<Money>` field.
pub(super) mod option_money {
    use super::*;

    pub(in crate::domain::shipping) fn serialize<S: Serializer>(
        money: &Option<Money>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        money.serialize(serializer)
    }

    pub(in crate::domain::shipping) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Money>, D::Error> {
        Option::<Stored>::deserialize(deserializer)?
            .map(Stored::into_money)
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Holder {
        #[serde(with = "money")]
        price: Money,
        #[serde(default, with = "option_money")]
        limit: Option<Money>,
    }

    #[test]
    fn money_round_trips_through_its_stored_form() {
        let holder = Holder {
            price: Money::from_minor(1230, Currency::Cny),
            limit: Some(Money::from_minor(500, Currency::Jpy)),
        };
        let json = serde_json::to_string(&holder).unwrap();
        assert_eq!(
            json,
            r#"{"price":{"amount":"12.30","currency":"CNY"},"limit":{"amount":"500","currency":"JPY"}}"#
        );
        assert_eq!(serde_json::from_str::<Holder>(&json).unwrap(), holder);
    }

    #[test]
    fn a_missing_or_null_optional_amount_reads_as_none() {
        let price = r#"{"amount":"1.00","currency":"USD"}"#;
        for json in [
            format!(r#"{{"price":{price}}}"#),
            format!(r#"{{"price":{price},"limit":null}}"#),
        ] {
            assert_eq!(serde_json::from_str::<Holder>(&json).unwrap().limit, None);
        }
    }

    #[test]
    fn an_amount_finer_than_the_currency_is_refused_not_rounded() {
        let json = r#"{"price":{"amount":"1.005","currency":"CNY"}}"#;
        let err = serde_json::from_str::<Holder>(json).unwrap_err();
        assert!(
            err.to_string().contains("more decimals than CNY allows"),
            "{err}"
        );
        let json = r#"{"price":{"amount":"12","currency":"XXX"}}"#;
        assert!(serde_json::from_str::<Holder>(json).is_err());
    }
}
