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

    /// Whether the actor may work in the warehouse `code`: staff with a warehouse scope only in
    /// theirs (admins everywhere); everyone else everywhere their permissions reach.
    pub fn works_in(&self, code: &str) -> bool {
        match self {
            Actor::Staff(s) => {
                s.roles.contains(&Role::Admin)
                    || s.warehouse_codes.is_empty()
                    || s.warehouse_codes
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(code))
            }
            Actor::Partner(_) | Actor::Cli | Actor::System => true,
        }
    }

    /// The warehouses a scoped staff user works in; `None` when every warehouse.
    pub fn warehouse_scope(&self) -> Option<&[String]> {
        match self {
            Actor::Staff(s) if !s.roles.contains(&Role::Admin) && !s.warehouse_codes.is_empty() => {
                Some(&s.warehouse_codes)
            }
            _ => None,
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
        scoped(roles, &[])
    }

    fn scoped(roles: &[Role], codes: &[&str]) -> Actor {
        Actor::Staff(StaffActor {
            user_id: Uuid::nil(),
            email: "a@b.example".into(),
            roles: roles.to_vec(),
            warehouse_codes: codes.iter().map(|c| c.to_string()).collect(),
        })
    }

    #[test]
    fn a_scoped_warehouse_user_works_only_in_their_warehouses_and_admins_everywhere() {
        let picker = scoped(&[Role::Warehouse], &["SH1", "BJ1"]);
        assert!(picker.works_in("sh1") && picker.works_in("BJ1"));
        assert!(!picker.works_in("GZ1"));
        assert_eq!(picker.warehouse_scope().map(<[String]>::len), Some(2));
        assert!(staff(&[Role::Warehouse]).works_in("GZ1"));
        let admin = scoped(&[Role::Admin, Role::Warehouse], &["SH1"]);
        assert!(admin.works_in("GZ1") && admin.warehouse_scope().is_none());
    }

    #[test]
    fn a_user_may_do_what_any_of_their_roles_allows() {
        assert!(!staff(&[Role::Finance]).may(Operation::CreateUser));
        assert!(staff(&[Role::Finance, Role::Admin]).may(Operation::CreateUser));
        assert!(!staff(&[]).may(Operation::ReadOwnProfile));
    }
}
