//! The Orderly admin console: a Leptos single-page app compiled to WebAssembly and served by
//! the Orderly server at `/`.
//!
//! - `api`: the GraphQL client, the contract's operations, and live updates over WebSocket;
//! - `session`: tokens in `localStorage`, refresh, and what happens when a session ends;
//! - `components`: the signed-in shell (navigation, top bar) and shared pieces;
//! - `pages`: one module per area or screen; areas that later issues fill are placeholders today.

pub mod api;
pub mod components;
pub mod pages;
pub mod session;

use components::shell::Shell;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::path;
use pages::{
    AdminPage, AfterSalesPage, AllocationPage, AnalyticsPage, CatalogPage, CodPage, CountsPage,
    CustomersPage, DashboardPage, ExceptionsPage, FinancePage, HandoverPage, LoginPage,
    NotFoundPage, OrderDetailPage, OrdersPage, PackPage, PaymentsPage, PickPage, ReturnsPage,
    ReviewPage, RiskSettingsPage, SetupPage, SortPage, StockPage, WavesPage, WebhooksPage,
};
use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point: `init()` of the generated JS module runs this once the WASM is loaded.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    // index.html says "Loading…" until the app is there.
    if let Some(boot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(App);
}

#[component]
pub fn App() -> impl IntoView {
    session::Auth::provide();
    view! {
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=DashboardPage />
                    <Route path=path!("orders") view=OrdersPage />
                    <Route path=path!("orders/:number") view=OrderDetailPage />
                    <Route path=path!("customers") view=CustomersPage />
                    <Route path=path!("catalog") view=CatalogPage />
                    <Route path=path!("review") view=ReviewPage />
                    <Route path=path!("review/risk") view=RiskSettingsPage />
                    <Route path=path!("after-sales") view=AfterSalesPage />
                    <Route path=path!("after-sales/exceptions") view=ExceptionsPage />
                    <Route path=path!("warehouse") view=StockPage />
                    <Route path=path!("warehouse/allocation") view=AllocationPage />
                    <Route path=path!("warehouse/waves") view=WavesPage />
                    <Route path=path!("warehouse/pick/:wave") view=PickPage />
                    <Route path=path!("warehouse/sort/:wave") view=SortPage />
                    <Route path=path!("warehouse/pack") view=PackPage />
                    <Route path=path!("warehouse/handover") view=HandoverPage />
                    <Route path=path!("warehouse/returns") view=ReturnsPage />
                    <Route path=path!("warehouse/counts") view=CountsPage />
                    <Route path=path!("warehouse/setup") view=SetupPage />
                    <Route path=path!("finance") view=FinancePage />
                    <Route path=path!("finance/payments") view=PaymentsPage />
                    <Route path=path!("finance/cod") view=CodPage />
                    <Route path=path!("analytics") view=AnalyticsPage />
                    <Route path=path!("admin") view=AdminPage />
                    <Route path=path!("admin/webhooks") view=WebhooksPage />
                    <Route path=path!("*any") view=NotFoundPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
