//! Background work: delivering the outbox, and scheduled jobs.

pub mod auto_confirm;
pub mod expiry;
pub mod outbox;
pub mod sla_check;
pub mod worker;

use crate::app::AppState;
use std::time::Duration;

/// Starts the outbox worker and the scheduled checks (payment expiry, auto-confirm, delivery
/// SLA) for this process.
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
    tokio::spawn(auto_confirm::run_forever(
        state.db.clone(),
        state.realtime.clone(),
        state.config.auto_confirm_after,
        Duration::from_secs(60),
    ));
    tokio::spawn(crate::service::webhooks::deliver::run_forever(
        state.db.clone(),
        Duration::from_secs(1),
    ));
    tokio::spawn(sla_check::run_forever(
        state.db.clone(),
        state.realtime.clone(),
        Duration::from_secs(300),
    ));
}
