//! Money in and out: provider callbacks into the payments ledger, reading the ledger (and its
//! CSV export), and reconciling cash on delivery against the carriers' remittances.

mod callbacks;
pub mod cod;
pub mod ledger;

pub use callbacks::{CallbackOutcome, CallbackStatus, PaymentCallback, apply, hold_reasons_json};
