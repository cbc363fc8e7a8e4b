//! One integration-test binary: every test runs the real server on port 0 against its own fresh
//! database, once on SQLite and once on PostgreSQL (see `helpers::both_databases!`).
// Test code panics on purpose when something is off.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod aftersales;
mod allocation;
mod analytics;
mod api_keys;
mod auth;
mod completion;
mod exceptions;
mod finance;
mod fulfilment;
mod migrations;
mod notifications;
mod operations;
mod orders;
mod permissions;
mod refunds;
mod review;
mod schema;
mod stock;
mod subscriptions;
mod users;
mod webhooks;
