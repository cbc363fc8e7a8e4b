//! Staff identity: who may sign in, with what, and what a session may do over its life.

mod actor;
mod credentials;
mod login_limiter;
mod session;
mod tokens;

pub use actor::{Actor, PartnerActor, StaffActor};
pub use credentials::{Email, NewUser, validate_new_user, validate_password};
pub use login_limiter::{LoginLimiter, Refusal};
pub use session::{RefreshDecision, SessionState, decide_refresh};
pub use tokens::{OpaqueToken, hash_token};
