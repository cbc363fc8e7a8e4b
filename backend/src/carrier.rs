//! Carrier adapters: how a parcel is booked with a carrier (tracking number back) and cancelled,
//! and how the carrier's tracking callbacks read. Real carriers implement [`CarrierAdapter`];
//! the built-in simulated carrier books every parcel locally, speaks API.md's callback format,
//! and serves development, demos and tests.

use crate::domain::money::Money;
use crate::domain::shipping::ExceptionCode;
use crate::domain::signature::{self, SignatureError};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::future::Future;
use std::pin::Pin;

/// What a carrier needs to accept a parcel.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub carrier_code: String,
    pub service_code: String,
    pub order_number: String,
    pub recipient: String,
    pub phone: String,
    pub country: String,
    pub postal_code: Option<String>,
    pub weight_g: u32,
    /// Cash to collect on delivery.
    pub cod: Option<Money>,
}

/// The carrier's answer: the parcel's tracking number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub tracking_number: String,
}

/// Why a carrier refused or could not be reached.
#[derive(Debug, thiserror::Error)]
pub enum CarrierError {
    #[error("the carrier refused the parcel: {0}")]
    Refused(String),
    #[error("the carrier could not be reached: {0}")]
    Unavailable(String),
}

/// What a carrier reports a parcel did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TrackingStatus {
    PickedUp,
    InTransit,
    OutForDelivery,
    Delivered,
    Exception,
}

/// One verified tracking callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingEvent {
    pub event_id: String,
    pub tracking_number: String,
    pub status: TrackingStatus,
    pub exception_code: Option<ExceptionCode>,
    pub occurred_at: DateTime<Utc>,
}

/// Why a tracking callback was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum TrackingRejection {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the body is not a valid tracking event: {0}")]
    Body(String),
}

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

pub trait CarrierAdapter: Send + Sync {
    /// Books the parcel; the tracking number goes on the label.
    fn book<'a>(
        &'a self,
        request: &'a BookingRequest,
    ) -> BoxFuture<'a, Result<Booking, CarrierError>>;
    /// Cancels a booking that never left the warehouse.
    fn cancel<'a>(&'a self, tracking_number: &'a str) -> BoxFuture<'a, Result<(), CarrierError>>;
    /// Verifies and reads a tracking callback; `now` is unix seconds.
    fn parse_event(
        &self,
        secret: &[u8],
        signature: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<TrackingEvent, TrackingRejection>;
}

/// The callback body of API.md: `{ eventId, trackingNumber, status, exceptionCode, occurredAt }`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SimulatedEvent {
    event_id: String,
    tracking_number: String,
    status: TrackingStatus,
    #[serde(default)]
    exception_code: Option<ExceptionCode>,
    occurred_at: DateTime<Utc>,
}

/// The built-in carrier: tracking numbers `SIM` + 9 random digits + a check digit.
pub struct SimulatedCarrier;

impl CarrierAdapter for SimulatedCarrier {
    fn book<'a>(
        &'a self,
        request: &'a BookingRequest,
    ) -> BoxFuture<'a, Result<Booking, CarrierError>> {
        Box::pin(async move {
            if request.weight_g == 0 {
                return Err(CarrierError::Refused("a parcel weighs something".into()));
            }
            let mut bytes = [0u8; 8];
            getrandom::fill(&mut bytes).map_err(|e| CarrierError::Unavailable(e.to_string()))?;
            let digits = format!("{:09}", u64::from_be_bytes(bytes) % 1_000_000_000);
            Ok(Booking {
                tracking_number: format!("SIM{digits}{}", check_digit(&digits)),
            })
        })
    }

    fn cancel<'a>(&'a self, _tracking_number: &'a str) -> BoxFuture<'a, Result<(), CarrierError>> {
        Box::pin(async { Ok(()) })
    }

    fn parse_event(
        &self,
        secret: &[u8],
        sig: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<TrackingEvent, TrackingRejection> {
        signature::verify(secret, sig, body, now)?;
        let e: SimulatedEvent =
            serde_json::from_slice(body).map_err(|e| TrackingRejection::Body(e.to_string()))?;
        if e.event_id.trim().is_empty() || e.tracking_number.trim().is_empty() {
            return Err(TrackingRejection::Body(
                "eventId and trackingNumber are required".into(),
            ));
        }
        match (e.status, e.exception_code) {
            (TrackingStatus::Exception, None) => {
                return Err(TrackingRejection::Body(
                    "an EXCEPTION needs its exceptionCode".into(),
                ));
            }
            (TrackingStatus::Exception, _) | (_, None) => {}
            (_, Some(_)) => {
                return Err(TrackingRejection::Body(
                    "exceptionCode goes with status EXCEPTION only".into(),
                ));
            }
        }
        Ok(TrackingEvent {
            event_id: e.event_id.trim().to_string(),
            tracking_number: e.tracking_number.trim().to_uppercase(),
            status: e.status,
            exception_code: e.exception_code,
            occurred_at: e.occurred_at,
        })
    }
}

/// Luhn check digit, so a mistyped tracking number is caught before anyone searches for it.
fn check_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let d2 = d * 2;
                if d2 > 9 { d2 - 9 } else { d2 }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn simulated_bookings_get_distinct_check_digited_tracking_numbers() {
        let request = BookingRequest {
            carrier_code: "SIMEX".into(),
            service_code: "STD".into(),
            order_number: "OR261201-ABCDEFG".into(),
            recipient: "Li Lei".into(),
            phone: "+8613800138000".into(),
            country: "CN".into(),
            postal_code: Some("200000".into()),
            weight_g: 800,
            cod: None,
        };
        let a = SimulatedCarrier.book(&request).await.unwrap();
        let b = SimulatedCarrier.book(&request).await.unwrap();
        assert_ne!(a, b);
        for booking in [a, b] {
            let t = booking.tracking_number;
            assert!(t.starts_with("SIM") && t.len() == 13, "{t}");
            assert_eq!(check_digit(&t[3..12]), t[12..].parse::<u32>().unwrap());
        }
    }

    #[tokio::test]
    async fn a_weightless_parcel_is_refused() {
        let request = BookingRequest {
            carrier_code: "SIMEX".into(),
            service_code: "STD".into(),
            order_number: "OR".into(),
            recipient: "A".into(),
            phone: "1".into(),
            country: "CN".into(),
            postal_code: None,
            weight_g: 0,
            cod: None,
        };
        assert!(matches!(
            SimulatedCarrier.book(&request).await,
            Err(CarrierError::Refused(_))
        ));
    }

    #[test]
    fn the_check_digit_is_luhn() {
        // 7992739871 → check digit 3 (the classic Luhn example).
        assert_eq!(check_digit("7992739871"), 3);
    }
}
