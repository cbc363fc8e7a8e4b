//! Orderly: order management for online merchants.
//!
//! Layers, outermost first: `cli` and `http` (transport) → `graphql` (thin resolvers) →
//! `service` (use cases, transactions) → `domain` (pure rules) ; `db` holds the storage shapes.

pub mod app;
pub mod carrier;
pub mod cli;
pub mod config;
pub mod db;
pub mod documents;
pub mod domain;
pub mod error;
pub mod gateway;
pub mod graphql;
pub mod http;
pub mod jobs;
pub mod realtime;
pub mod service;
pub mod telemetry;
