//! Pages of the areas that later issues build. Until then each says plainly what it will hold;
//! it shows no data, because there is none to show yet.

use crate::components::AreaGate;
use leptos::prelude::*;
use orderly_shared::Area;

/// One sentence on what an area is for, as the dashboard and the area's page say it.
pub fn purpose(area: Area) -> &'static str {
    match area {
        Area::Dashboard => "An overview of your part of the order flow.",
        Area::Orders => "Find any order from any channel and follow it from intake to delivery.",
        Area::Customers => "Everyone who has ordered, with their contact details and orders.",
        Area::Catalog => "The products on sale: prices, barcodes, weights and handling.",
        Area::Review => "Orders that the automatic checks put on hold, waiting for a decision.",
        Area::AfterSales => "Returns, exchanges, refunds and reships, and delivery exceptions.",
        Area::Warehouse => "Stock, allocation, waves, picking, packing and dispatch.",
        Area::Finance => "Payments, refund approval and cash-on-delivery reconciliation.",
        Area::Analytics => "Volumes, lead times, bottlenecks and rates, with CSV export.",
        Area::Administration => "Staff accounts and roles, partner API keys and the audit log.",
    }
}

/// What the area will contain once it is built.
fn planned(area: Area) -> &'static [&'static str] {
    match area {
        Area::Analytics => &[
            "Order volume and value by day and channel.",
            "Lead time of each stage (p50 and p90) and the bottleneck stage.",
            "SLA-breach, exception, return and refund rates; average rating.",
            "CSV export of every table.",
        ],
        // These areas have their own pages.
        Area::Dashboard
        | Area::AfterSales
        | Area::Finance
        | Area::Orders
        | Area::Customers
        | Area::Catalog
        | Area::Review
        | Area::Warehouse
        | Area::Administration => &[],
    }
}

/// The placeholder page of an area that is not built yet.
#[component]
pub fn AreaPage(area: Area) -> impl IntoView {
    view! {
        <AreaGate area=area>
            <header class="page-header">
                <h1>{area.label()}</h1>
                <p class="lead">{purpose(area)}</p>
            </header>
            <section class="card placeholder" aria-labelledby="planned-title">
                <h2 id="planned-title">"Not available yet"</h2>
                <p>"This area is being built. When it is ready, it will hold:"</p>
                <ul>{planned(area).iter().map(|item| view! { <li>{*item}</li> }).collect_view()}</ul>
            </section>
        </AreaGate>
    }
}
