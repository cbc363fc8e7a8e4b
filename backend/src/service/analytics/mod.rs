//! Operations analytics: each order's rollup kept current from its events, rebuilt from them on
//! demand, and the dashboard's figures computed over the rollups.

pub mod filter;
pub mod lead_times;
pub mod quality;
pub mod queries;
pub mod rebuild;
pub mod records;
pub mod rollup;
