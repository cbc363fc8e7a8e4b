//! SeaORM entities, one per table.

pub mod api_key;
pub mod audit_log;
pub mod channel;
pub mod session;
pub mod setting;
pub mod user;
pub mod user_role;
pub mod user_warehouse;
