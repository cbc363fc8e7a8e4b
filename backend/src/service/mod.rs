//! Use cases: load state, let the domain decide, persist the outcome together with its audit
//! record in one transaction, then publish what happened. Resolvers and CLI commands call these.

pub mod aftersales;
pub mod allocation;
pub mod analytics;
pub mod api_keys;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod coupons;
pub mod csv_file;
pub mod demo;
pub mod documents;
pub mod exceptions;
pub mod notifications;
pub mod orders;
pub mod packing;
pub mod page;
pub mod payments;
pub mod picking;
pub mod refunds;
pub mod review;
pub mod settings;
pub mod settings_json;
pub mod shipping;
pub mod shop_config;
pub mod stock;
pub mod users;
pub mod webhooks;
