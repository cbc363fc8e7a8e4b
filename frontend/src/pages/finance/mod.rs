//! Finance (ADMIN, FINANCE; customer service reads refunds): the refunds waiting for a decision,
//! oldest first, and those whose payout failed; the payments ledger with its CSV export; and
//! cash on delivery, reconciled against the carriers' remittance statements.
//!
//! Approving a refund pays out through the payment provider (above the merchant's threshold a
//! second finance approval is needed first); the requester of a refund can never approve it —
//! the server refuses, and its sentence is shown. The queue follows the `REFUNDS` work queue, so
//! every finance user sees the others' decisions at once.

mod cod;
mod payments;

pub(crate) use payments::next_day;
mod refunds;

use crate::components::AreaGate;
use crate::components::area_gate::NoAccess;
use crate::components::tabs::{Tab, Tabs};
use crate::session::use_auth;
use leptos::prelude::*;
use orderly_shared::{Area, Operation};

/// The area's tabs, each with the operation that opens it.
const TABS: [(Operation, Tab); 3] = [
    (
        Operation::ReadRefunds,
        Tab {
            path: "/finance",
            label: "Refunds",
        },
    ),
    (
        Operation::ReadPayments,
        Tab {
            path: "/finance/payments",
            label: "Payments",
        },
    ),
    (
        Operation::ReconcileCod,
        Tab {
            path: "/finance/cod",
            label: "Cash on delivery",
        },
    ),
];

/// The page header with the tabs the user may open; the page's body only if it is one of them.
#[component]
fn FinanceFrame(operation: Operation, lead: &'static str, children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let roles = auth.roles();
    let tabs: Vec<Tab> = TABS
        .iter()
        .filter(|(op, _)| op.allows_any(&roles))
        .map(|(_, tab)| *tab)
        .collect();
    let children = StoredValue::new(children);
    view! {
        <AreaGate area=Area::Finance>
            <header class="page-header">
                <h1>"Finance"</h1>
                <p class="lead">{lead}</p>
            </header>
            <Tabs label="Finance" tabs=tabs.clone() />
            <Show when=move || operation.allows_any(&auth.roles()) fallback=NoAccess>
                {children.read_value()()}
            </Show>
        </AreaGate>
    }
}

/// `/finance`.
#[component]
pub fn FinancePage() -> impl IntoView {
    view! {
        <FinanceFrame operation=Operation::ReadRefunds lead="Refunds waiting for approval, and payouts that need another try.">
            <refunds::RefundQueue />
        </FinanceFrame>
    }
}

/// `/finance/payments`.
#[component]
pub fn PaymentsPage() -> impl IntoView {
    view! {
        <FinanceFrame operation=Operation::ReadPayments lead="Every capture, failed capture, cash collection and refund, newest first.">
            <payments::LedgerSection />
        </FinanceFrame>
    }
}

/// `/finance/cod`.
#[component]
pub fn CodPage() -> impl IntoView {
    view! {
        <FinanceFrame operation=Operation::ReconcileCod lead="Cash the carriers collected at the door, against what their statements paid over.">
            <cod::CodSections />
        </FinanceFrame>
    }
}
