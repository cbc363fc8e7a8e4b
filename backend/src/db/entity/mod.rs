//! SeaORM entities, one per table.

pub mod api_key;
pub mod audit_log;
pub mod channel;
pub mod coupon;
pub mod customer;
pub mod order;
pub mod order_event;
pub mod order_line;
pub mod outbox;
pub mod payment;
pub mod product;
pub mod session;
pub mod setting;
pub mod user;
pub mod user_role;
pub mod user_warehouse;
