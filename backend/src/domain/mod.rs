//! Pure domain logic: rules and state machines with no database, HTTP or GraphQL in sight.
//! Use cases in `service` load state, ask the domain to decide, and persist the outcome.

pub mod aftersales;
pub mod allocation;
pub mod analytics;
pub mod auth;
pub mod catalog;
pub mod cod;
pub mod coupons;
pub mod exceptions;
pub mod export;
pub mod money;
pub mod orders;
pub mod packing;
pub mod picking;
pub mod refunds;
pub mod review;
pub mod shipping;
pub mod signature;
pub mod stock;
pub mod webhooks;
