//! Finance (ADMIN, FINANCE; customer service reads): the refunds waiting for a decision, oldest
//! first, and those whose payout failed. Approving pays out through the payment provider (above
//! the merchant's threshold a second finance approval is needed first); the requester of a
//! refund can never approve it — the server refuses, and its sentence is shown. The queue
//! follows the `REFUNDS` work queue, so every finance user sees the others' decisions at once.

mod refunds;

use crate::components::AreaGate;
use leptos::prelude::*;
use orderly_shared::Area;

/// `/finance`.
#[component]
pub fn FinancePage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Finance>
            <header class="page-header">
                <h1>"Finance"</h1>
                <p class="lead">"Refunds waiting for approval, and payouts that need another try."</p>
            </header>
            <refunds::RefundQueue />
        </AreaGate>
    }
}
