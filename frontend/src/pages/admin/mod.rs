//! Administration (ADMIN only): staff accounts and their roles, partner API keys, and the
//! audit log of what administrators did. Every change here is audited by the server, so the
//! audit table reloads after each one.
//!
//! `/admin/webhooks` registers partners' webhook endpoints and shows what was sent to them.

mod api_keys;
mod audit_log;
mod users;
mod webhook_deliveries;
mod webhook_endpoints;

use crate::api::ops;
use crate::api::types::WebhookEndpoint;
use crate::components::AreaGate;
use crate::components::area_gate::NoAccess;
use crate::components::paged::Paged;
use crate::components::tabs::{Tab, Tabs};
use crate::session::use_auth;
use leptos::prelude::*;
use orderly_shared::{Area, Operation, Role};

/// Page size of the users, API key and webhook tables.
const PAGE: u32 = 20;
/// How many audit entries the page shows.
const AUDIT_ENTRIES: u32 = 20;

const PEOPLE_TAB: Tab = Tab {
    path: "/admin",
    label: "Users and keys",
};
const WEBHOOKS_TAB: Tab = Tab {
    path: "/admin/webhooks",
    label: "Webhooks",
};

fn tabs(roles: &[Role]) -> Vec<Tab> {
    let mut tabs = vec![PEOPLE_TAB];
    if Operation::ManageWebhooks.allows_any(roles) {
        tabs.push(WEBHOOKS_TAB);
    }
    tabs
}

#[component]
fn AdminHeader(lead: &'static str) -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="page-header">
            <h1>"Administration"</h1>
            <p class="lead">{lead}</p>
        </header>
        <Tabs label="Administration" tabs=tabs(&auth.roles()) />
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    // Bumped after every change, so the audit log shows it.
    let changes = RwSignal::new(0u32);
    view! {
        <AreaGate area=Area::Administration>
            <AdminHeader lead="Staff accounts and roles, partner API keys and the audit log." />
            <users::UsersSection changes=changes />
            <api_keys::ApiKeysSection changes=changes />
            <audit_log::AuditLogSection changes=changes />
        </AreaGate>
    }
}

/// `/admin/webhooks`: the endpoints and the delivery log, which filters by them.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    let auth = use_auth();
    let allowed = Memo::new(move |_| Operation::ManageWebhooks.allows_any(&auth.roles()));
    view! {
        <AreaGate area=Area::Administration>
            <AdminHeader lead="Partners' webhook endpoints, and every delivery made to them." />
            <Show when=move || allowed.get() fallback=NoAccess>
                <WebhookSections />
            </Show>
        </AreaGate>
    }
}

#[component]
fn WebhookSections() -> impl IntoView {
    let auth = use_auth();
    // Both sections read the endpoints: the table, and the log's endpoint filter.
    let endpoints = Paged::new(
        |e: &WebhookEndpoint| e.id.as_str(),
        move |after| async move {
            auth.call(|token| {
                let after = after.clone();
                async move { ops::webhook_endpoints(&token, PAGE, after).await }
            })
            .await
        },
    );
    endpoints.reload();
    view! {
        <webhook_endpoints::EndpointsSection endpoints=endpoints />
        <webhook_deliveries::DeliveriesSection endpoints=endpoints />
    }
}
