//! Review (ADMIN, REVIEWER, CUSTOMER_SERVICE): the queue of orders the automatic checks held,
//! with what each role may do about them; and, for reviewers, the risk settings that decide what
//! is held — rules and their weights, the score thresholds, the blocklist and the remote areas.

mod actions;
mod blocklist;
mod queue;
mod remote_areas;
mod risk_rules;
mod thresholds;

use crate::components::AreaGate;
use crate::components::area_gate::NoAccess;
use crate::components::tabs::{Tab, Tabs};
use crate::session::use_auth;
use leptos::prelude::*;
use orderly_shared::{Area, Operation, Role};

const QUEUE_TAB: Tab = Tab {
    path: "/review",
    label: "Queue",
};
const RISK_TAB: Tab = Tab {
    path: "/review/risk",
    label: "Risk settings",
};

/// The tabs the user's roles may open.
fn tabs(roles: &[Role]) -> Vec<Tab> {
    let mut tabs = vec![QUEUE_TAB];
    if Operation::ManageRisk.allows_any(roles) {
        tabs.push(RISK_TAB);
    }
    tabs
}

#[component]
fn ReviewHeader() -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="page-header">
            <h1>"Review queue"</h1>
            <p class="lead">"Orders the automatic checks put on hold, oldest first, with every reason."</p>
        </header>
        <Tabs label="Review" tabs=tabs(&auth.roles()) />
    }
}

/// `/review`: the queue.
#[component]
pub fn ReviewPage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Review>
            <ReviewHeader />
            <queue::ReviewQueue />
        </AreaGate>
    }
}

/// `/review/risk`: the risk settings (REVIEWER, ADMIN).
#[component]
pub fn RiskSettingsPage() -> impl IntoView {
    let auth = use_auth();
    let allowed = Memo::new(move |_| Operation::ManageRisk.allows_any(&auth.roles()));
    view! {
        <AreaGate area=Area::Review>
            <ReviewHeader />
            <Show when=move || allowed.get() fallback=NoAccess>
                <risk_rules::RiskRulesSection />
                <thresholds::ThresholdsSection />
                <blocklist::BlocklistSection />
                <remote_areas::RemoteAreasSection />
            </Show>
        </AreaGate>
    }
}
