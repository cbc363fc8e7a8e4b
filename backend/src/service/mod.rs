//! Use cases: load state, let the domain decide, persist the outcome together with its audit
//! record in one transaction, then publish what happened. Resolvers and CLI commands call these.

pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod coupons;
pub mod demo;
pub mod notifications;
pub mod orders;
pub mod page;
pub mod payments;
pub mod settings;
pub mod users;
