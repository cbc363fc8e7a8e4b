//! Payment gateways: what a provider's callback looks like on the wire and how it is verified.
//! Real gateways implement [`PaymentGateway`]; the built-in simulated one speaks the format of
//! API.md and serves development, demos and tests.

use crate::config::Secret;
use crate::domain::signature::{self, SignatureError};
use crate::service::payments::{CallbackStatus, PaymentCallback};
use serde::Deserialize;

/// Why a callback was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum CallbackRejection {
    #[error(transparent)]
    Signature(#[from] SignatureError),
    #[error("the body is not a valid callback: {0}")]
    Body(String),
}

pub trait PaymentGateway: Send + Sync {
    /// The `{provider}` path segment of its callback URL.
    fn name(&self) -> &'static str;
    /// Verifies and parses a callback; `now` is unix seconds.
    fn parse_callback(
        &self,
        signature: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<PaymentCallback, CallbackRejection>;
}

/// The built-in gateway: callbacks signed as API.md describes.
pub struct SimulatedGateway {
    pub secret: Secret,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SimulatedBody {
    event_id: String,
    order_number: String,
    status: SimulatedStatus,
    amount: String,
    currency: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum SimulatedStatus {
    Succeeded,
    Failed,
}

impl PaymentGateway for SimulatedGateway {
    fn name(&self) -> &'static str {
        "simulated"
    }

    fn parse_callback(
        &self,
        sig: Option<&str>,
        body: &[u8],
        now: i64,
    ) -> Result<PaymentCallback, CallbackRejection> {
        signature::verify(self.secret.expose().as_bytes(), sig, body, now)?;
        let parsed: SimulatedBody =
            serde_json::from_slice(body).map_err(|e| CallbackRejection::Body(e.to_string()))?;
        Ok(PaymentCallback {
            provider: self.name().to_string(),
            event_id: parsed.event_id,
            order_number: parsed.order_number,
            status: match parsed.status {
                SimulatedStatus::Succeeded => CallbackStatus::Succeeded,
                SimulatedStatus::Failed => CallbackStatus::Failed,
            },
            amount: parsed.amount,
            currency: parsed.currency,
        })
    }
}
