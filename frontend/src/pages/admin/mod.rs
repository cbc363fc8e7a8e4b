//! Administration (ADMIN only): staff accounts and their roles, partner API keys, and the
//! audit log of what administrators did. Every change here is audited by the server, so the
//! audit table reloads after each one.

mod api_keys;
mod audit_log;
mod users;

use crate::components::AreaGate;
use leptos::prelude::*;
use orderly_shared::Area;

/// Page size of the users and API key tables.
const PAGE: u32 = 20;
/// How many audit entries the page shows.
const AUDIT_ENTRIES: u32 = 20;

#[component]
pub fn AdminPage() -> impl IntoView {
    // Bumped after every change, so the audit log shows it.
    let changes = RwSignal::new(0u32);
    view! {
        <AreaGate area=Area::Administration>
            <header class="page-header">
                <h1>"Administration"</h1>
                <p class="lead">"Staff accounts and roles, partner API keys and the audit log."</p>
            </header>
            <users::UsersSection changes=changes />
            <api_keys::ApiKeysSection changes=changes />
            <audit_log::AuditLogSection changes=changes />
        </AreaGate>
    }
}
