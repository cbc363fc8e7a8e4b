//! Background work: delivering the outbox, and scheduled jobs.

pub mod expiry;
pub mod outbox;
