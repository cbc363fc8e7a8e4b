//! Demo data for `orderly serve --demo`: loaded once into an empty database.

use crate::domain::auth::Actor;
use crate::error::AppResult;
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::auth::Auth;
use crate::service::{api_keys, users};
use orderly_shared::Role;
use sea_orm::DatabaseConnection;

pub const DEMO_PASSWORD: &str = "orderly-demo-pass";

/// The demo staff: one per role.
pub const DEMO_USERS: [(&str, &str, Role); 5] = [
    ("admin@orderly.example", "Ada Admin", Role::Admin),
    ("cs@orderly.example", "Cai Service", Role::CustomerService),
    ("reviewer@orderly.example", "Rui Reviewer", Role::Reviewer),
    (
        "warehouse@orderly.example",
        "Wen Warehouse",
        Role::Warehouse,
    ),
    ("finance@orderly.example", "Fay Finance", Role::Finance),
];

/// What was loaded, for printing.
pub struct DemoLogins {
    pub users: Vec<(String, Role)>,
    pub partner_key: String,
}

/// Loads demo data if the database has no users yet; `None` when it already had some.
pub async fn load_if_empty(
    db: &DatabaseConnection,
    auth: &Auth,
    bus: &AuditBus,
) -> AppResult<Option<DemoLogins>> {
    if users::any_exist(db).await? {
        return Ok(None);
    }
    let actor = Actor::System;
    let mut logins = Vec::new();
    for (email, name, role) in DEMO_USERS {
        let input = users::CreateUser {
            email: email.into(),
            display_name: name.into(),
            password: DEMO_PASSWORD.into(),
            roles: vec![role],
            warehouse_codes: vec![],
        };
        users::create(db, auth, bus, &actor, input).await?;
        logins.push((email.to_string(), role));
    }
    let (key, _) = api_keys::create(db, bus, &actor, "demo-store").await?;
    let entry = audit::record(
        db,
        &actor,
        AuditAction::DemoDataLoaded,
        "SYSTEM",
        None,
        None,
    )
    .await?;
    bus.publish([entry]);
    Ok(Some(DemoLogins {
        users: logins,
        partner_key: key.expose().to_string(),
    }))
}
