//! Background work: delivering the outbox, and scheduled jobs.

pub mod expiry;
pub mod outbox;
pub mod worker;

use crate::app::AppState;
use std::time::Duration;

/// Starts the outbox worker and the payment-expiry check for this process.
pub fn spawn(state: &AppState) {
    tokio::spawn(worker::run_forever(
        state.db.clone(),
        state.channels.clone(),
        Duration::from_millis(500),
    ));
    tokio::spawn(expiry::run_forever(
        state.db.clone(),
        state.realtime.clone(),
        Duration::from_secs(30),
    ));
}
