//! After-sales (ADMIN, CUSTOMER_SERVICE, WAREHOUSE, FINANCE): the open cases, oldest first, with
//! what customer service decides about them, and the form that opens a case for an order's
//! lines. The list follows the `AFTER_SALES` work queue, so a return the warehouse receives or
//! a refund finance pays shows here without a reload.

mod cases;
mod open_case;

use crate::components::AreaGate;
use crate::session::use_auth;
use leptos::prelude::*;
use orderly_shared::{Area, Operation};

/// `/after-sales`.
#[component]
pub fn AfterSalesPage() -> impl IntoView {
    let auth = use_auth();
    let may_open = Operation::OpenCases.allows_any(&auth.roles());
    // Bumped when a case is opened here, so the list reads it at once.
    let opened = RwSignal::new(0_u32);
    view! {
        <AreaGate area=Area::AfterSales>
            <header class="page-header">
                <h1>"After-sales"</h1>
                <p class="lead">"Returns, exchanges, refunds and reships, oldest first."</p>
            </header>
            {may_open.then(|| view! { <open_case::OpenCaseSection opened=opened /> })}
            <cases::CasesSection opened=opened />
        </AreaGate>
    }
}
