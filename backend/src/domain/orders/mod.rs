//! Orders: the pure rules of an order's life — what a valid order is (intake: customer, address,
//! lines, coupons, special requests), what it costs (pricing), and which status changes are
//! legal (the state machine). Storage, transport and transactions live in the service layer.

mod machine;

pub use machine::{CommandKind, HoldReason, OrderCommand, TransitionError, decide, initial_status};
