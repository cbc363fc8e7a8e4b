//! The authenticated party behind a request or command, carried into every use case so that
//! permission checks, scoping and the audit log all see the same identity.

use orderly_shared::{Operation, Role, Subject};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffActor {
    pub user_id: Uuid,
    pub email: String,
    pub roles: Vec<Role>,
    /// Empty: every warehouse. Otherwise the warehouses this user works in.
    pub warehouse_codes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerActor {
    pub api_key_id: Uuid,
    pub channel_id: Uuid,
    pub channel_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Staff(StaffActor),
    Partner(PartnerActor),
    /// An operator at the command line (`orderly user add`, …).
    Cli,
    /// The server itself (scheduled jobs, demo data).
    System,
}

impl Actor {
    /// Whether the permission table lets this actor run `op`. The command line and the server
    /// itself act with full authority.
    pub fn may(&self, op: Operation) -> bool {
        match self {
            Actor::Staff(s) => op.allows_any(&s.roles),
            Actor::Partner(_) => op.allows(Subject::Partner),
            Actor::Cli | Actor::System => true,
        }
    }

    /// `(kind, id, label)` as the audit log records it.
    pub fn audit_identity(&self) -> (&'static str, Option<String>, String) {
        match self {
            Actor::Staff(s) => ("USER", Some(s.user_id.to_string()), s.email.clone()),
            Actor::Partner(p) => (
                "API_KEY",
                Some(p.api_key_id.to_string()),
                format!("channel {}", p.channel_code),
            ),
            Actor::Cli => ("CLI", None, "command line".into()),
            Actor::System => ("SYSTEM", None, "system".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(roles: &[Role]) -> Actor {
        Actor::Staff(StaffActor {
            user_id: Uuid::nil(),
            email: "a@b.example".into(),
            roles: roles.to_vec(),
            warehouse_codes: vec![],
        })
    }

    #[test]
    fn a_user_may_do_what_any_of_their_roles_allows() {
        assert!(!staff(&[Role::Finance]).may(Operation::CreateUser));
        assert!(staff(&[Role::Finance, Role::Admin]).may(Operation::CreateUser));
        assert!(!staff(&[]).may(Operation::ReadOwnProfile));
    }
}
