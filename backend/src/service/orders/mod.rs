//! Orders: intake, payment confirmation, expiry, and reading them back.

pub mod completion;
pub mod intake;
pub mod query;
pub mod stored;
pub mod timeline;
pub mod transition;

use crate::domain::auth::Actor;
use uuid::Uuid;

/// Which orders an actor may see: staff see all; a partner only its own channel's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderScope {
    All,
    Channel(Uuid),
}

impl OrderScope {
    pub fn of(actor: &Actor) -> OrderScope {
        match actor {
            Actor::Partner(p) => OrderScope::Channel(p.channel_id),
            Actor::Staff(_) | Actor::Cli | Actor::System => OrderScope::All,
        }
    }

    pub fn admits(self, channel_id: Uuid) -> bool {
        match self {
            OrderScope::All => true,
            OrderScope::Channel(own) => own == channel_id,
        }
    }
}
