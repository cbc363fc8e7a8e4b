//! Types that the Orderly server and its console must agree on.
//!
//! Everything here compiles to wasm32 without database or GraphQL crates; the `graphql` and `db`
//! features add the server-side derives so one definition serves both sides and they cannot drift.

pub mod error;
pub mod order;
pub mod permission;
pub mod role;

pub use error::{ErrorCode, FieldProblem};
pub use order::{HoldReasonCode, OrderStatus, PaymentMethod, PaymentStatus, ShipmentStatus};
pub use permission::{Area, Operation, Subject};
pub use role::Role;
