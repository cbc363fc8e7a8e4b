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

/// Money sent back to a customer: the provider pays it out at most once per idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundRequest {
    /// Orderly's refund id: a retry with the same key is answered, never paid again.
    pub idempotency_key: String,
    pub order_number: String,
    pub amount_minor: i64,
    pub currency: String,
    /// Cash on delivery: the customer's bank account or wallet.
    pub payout_reference: Option<String>,
}

/// The provider paid the refund.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundReceipt {
    pub reference: String,
}

/// The provider did not pay.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundFailure {
    /// A final answer: the refund FAILED and needs a person (finance may retry it).
    #[error("declined: {0}")]
    Declined(String),
    /// No answer (timeout, outage): retried automatically with backoff.
    #[error("provider unavailable: {0}")]
    Unavailable(String),
}

type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;

pub trait RefundGateway: Send + Sync {
    fn refund<'a>(
        &'a self,
        request: &'a RefundRequest,
    ) -> BoxFuture<'a, Result<RefundReceipt, RefundFailure>>;
}

/// The simulated gateway's refunds: idempotent by key like a real provider, a little latency,
/// and failures that tests (or a demo) line up in advance.
#[derive(Default)]
pub struct SimulatedRefunds {
    state: std::sync::Mutex<SimulatedLedger>,
}

#[derive(Default)]
struct SimulatedLedger {
    paid: std::collections::HashMap<String, RefundReceipt>,
    upcoming_failures: std::collections::VecDeque<RefundFailure>,
    calls: usize,
}

impl SimulatedRefunds {
    /// The next refund calls fail like this, in order (then they succeed again).
    pub fn fail_next(&self, failures: impl IntoIterator<Item = RefundFailure>) {
        self.ledger().upcoming_failures.extend(failures);
    }

    /// How many distinct refunds were paid out.
    pub fn payouts(&self) -> usize {
        self.ledger().paid.len()
    }

    /// How many refund calls arrived (retries included).
    pub fn calls(&self) -> usize {
        self.ledger().calls
    }

    fn ledger(&self) -> std::sync::MutexGuard<'_, SimulatedLedger> {
        // A panic while holding the lock leaves plain data behind; keep using it.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl RefundGateway for SimulatedRefunds {
    fn refund<'a>(
        &'a self,
        request: &'a RefundRequest,
    ) -> BoxFuture<'a, Result<RefundReceipt, RefundFailure>> {
        Box::pin(async move {
            // A provider answers in tens of milliseconds: long enough for races to show.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let mut ledger = self.ledger();
            ledger.calls += 1;
            if let Some(receipt) = ledger.paid.get(&request.idempotency_key) {
                return Ok(receipt.clone());
            }
            if let Some(failure) = ledger.upcoming_failures.pop_front() {
                return Err(failure);
            }
            let receipt = RefundReceipt {
                reference: format!("sim-re-{}", uuid::Uuid::now_v7().simple()),
            };
            ledger
                .paid
                .insert(request.idempotency_key.clone(), receipt.clone());
            Ok(receipt)
        })
    }
}
