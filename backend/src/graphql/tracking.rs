//! The simulated carrier's tracking in demo mode: it plays a realistic sequence of signed
//! callbacks for a handed-over parcel, through the same verification as a real carrier's.

use super::guard::Require;
use super::state;
use crate::error::AppError;
use crate::service::shipping::tracking::{self, TrackingOutcome};
use async_graphql::{Context, Enum, ErrorExtensions, Object, ResultExt};
use chrono::{TimeDelta, Utc};
use orderly_shared::Operation;

/// A story the simulated carrier tells about a parcel.
#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum CarrierScenario {
    /// Picked up, in transit, out for delivery, delivered.
    Delivered,
    /// Picked up, in transit, then held: the address is unknown.
    AddressUnknown,
    /// Picked up, in transit, then delayed.
    Delayed,
}

impl CarrierScenario {
    /// `(status, exception code)` steps, one hour apart, ending now.
    fn steps(self) -> &'static [(&'static str, Option<&'static str>)] {
        match self {
            CarrierScenario::Delivered => &[
                ("PICKED_UP", None),
                ("IN_TRANSIT", None),
                ("OUT_FOR_DELIVERY", None),
                ("DELIVERED", None),
            ],
            CarrierScenario::AddressUnknown => &[
                ("PICKED_UP", None),
                ("IN_TRANSIT", None),
                ("EXCEPTION", Some("ADDRESS_UNKNOWN")),
            ],
            CarrierScenario::Delayed => &[
                ("PICKED_UP", None),
                ("IN_TRANSIT", None),
                ("EXCEPTION", Some("DELAYED")),
            ],
        }
    }
}

#[derive(Default)]
pub struct TrackingMutation;

#[Object]
impl TrackingMutation {
    /// Demo mode only: the carrier of a handed-over parcel sends its tracking callbacks for
    /// `scenario`, signed as a real carrier would. Returns each step's result (`applied`,
    /// `unchanged` or `duplicate`).
    #[graphql(guard = "Require(Operation::SimulateCarrierEvents)")]
    async fn simulate_carrier_events(
        &self,
        ctx: &Context<'_>,
        carrier_code: String,
        tracking_number: String,
        scenario: CarrierScenario,
    ) -> async_graphql::Result<Vec<String>> {
        let s = state(ctx);
        if !s.config.demo_mode {
            return Err(AppError::Forbidden(
                "The carrier simulator runs only in demo mode (orderly serve --demo).".into(),
            )
            .extend());
        }
        let secret = s.carrier_webhook_secret.expose().as_bytes();
        let steps = scenario.steps();
        let start = Utc::now() - TimeDelta::hours(steps.len() as i64 - 1);
        let mut results = Vec::new();
        for (i, (status, code)) in steps.iter().enumerate() {
            let body = serde_json::json!({
                "eventId": format!("sim-{}", uuid::Uuid::now_v7()),
                "trackingNumber": tracking_number,
                "status": status,
                "exceptionCode": code,
                "occurredAt": (start + TimeDelta::hours(i as i64)).to_rfc3339(),
            })
            .to_string();
            let now = Utc::now().timestamp();
            let signature = crate::domain::signature::sign(secret, now, body.as_bytes());
            let event = s
                .carriers
                .parse_event(secret, Some(&signature), body.as_bytes(), now)
                .map_err(|e| AppError::Internal(e.to_string().into()).extend())?;
            let outcome =
                tracking::apply(&s.db, &s.realtime, &s.warehouse_live, &carrier_code, event)
                    .await
                    .extend()?;
            results.push(
                match outcome {
                    TrackingOutcome::Applied => "applied",
                    TrackingOutcome::Unchanged => "unchanged",
                    TrackingOutcome::Duplicate => "duplicate",
                }
                .to_string(),
            );
        }
        Ok(results)
    }
}
