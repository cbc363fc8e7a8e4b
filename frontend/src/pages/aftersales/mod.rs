//! After-sales (ADMIN, CUSTOMER_SERVICE, WAREHOUSE, FINANCE): the open cases, oldest first, with
//! what customer service decides about them, and the form that opens a case for an order's
//! lines. The list follows the `AFTER_SALES` work queue, so a return the warehouse receives or
//! a refund finance pays shows here without a reload.
//!
//! Customer service also works the delivery exceptions here (`/after-sales/exceptions`): the
//! parcels a carrier could not deliver, or that are late, following the `EXCEPTIONS` queue.

mod cases;
mod exception_work;
mod exceptions;
mod open_case;

use crate::components::AreaGate;
use crate::components::area_gate::NoAccess;
use crate::components::tabs::{Tab, Tabs};
use crate::session::use_auth;
use leptos::prelude::*;
use orderly_shared::{Area, Operation, Role};

const CASES_TAB: Tab = Tab {
    path: "/after-sales",
    label: "Cases",
};
const EXCEPTIONS_TAB: Tab = Tab {
    path: "/after-sales/exceptions",
    label: "Exceptions",
};

/// The tabs the user's roles may open (the warehouse and finance see cases only).
fn tabs(roles: &[Role]) -> Vec<Tab> {
    let mut tabs = vec![CASES_TAB];
    if Operation::ReadExceptions.allows_any(roles) {
        tabs.push(EXCEPTIONS_TAB);
    }
    tabs
}

#[component]
fn AfterSalesHeader(lead: &'static str) -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="page-header">
            <h1>"After-sales"</h1>
            <p class="lead">{lead}</p>
        </header>
        <Tabs label="After-sales" tabs=tabs(&auth.roles()) />
    }
}

/// `/after-sales`.
#[component]
pub fn AfterSalesPage() -> impl IntoView {
    let auth = use_auth();
    let may_open = Operation::OpenCases.allows_any(&auth.roles());
    // Bumped when a case is opened here, so the list reads it at once.
    let opened = RwSignal::new(0_u32);
    view! {
        <AreaGate area=Area::AfterSales>
            <AfterSalesHeader lead="Returns, exchanges, refunds and reships, oldest first." />
            {may_open.then(|| view! { <open_case::OpenCaseSection opened=opened /> })}
            <cases::CasesSection opened=opened />
        </AreaGate>
    }
}

/// `/after-sales/exceptions` (ADMIN, CUSTOMER_SERVICE).
#[component]
pub fn ExceptionsPage() -> impl IntoView {
    let auth = use_auth();
    let allowed = Memo::new(move |_| Operation::ReadExceptions.allows_any(&auth.roles()));
    view! {
        <AreaGate area=Area::AfterSales>
            <AfterSalesHeader lead="Parcels the carrier could not deliver, or that are late, oldest first." />
            <Show when=move || allowed.get() fallback=NoAccess>
                <exceptions::ExceptionQueue />
            </Show>
        </AreaGate>
    }
}
