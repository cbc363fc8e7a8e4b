//! Warehouse (ADMIN, WAREHOUSE): stock per warehouse, bin and SKU with receipts, counted
//! corrections and the ledger, the demand stock could not meet; and the allocation rules that
//! route approved orders to warehouses, with a dry run that explains a decision.

mod allocation_rules;
mod dry_run;
mod labels;
mod rule_form;
mod stock_change;
mod stock_ledger;
mod stock_levels;
mod unmet_demand;

use crate::api::ops;
use crate::api::types::{AllocationRule, StockLevel, Warehouse};
use crate::components::AreaGate;
use crate::components::area_gate::NoAccess;
use crate::components::tabs::{Tab, Tabs};
use crate::session::{Auth, use_auth};
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{Area, Operation, Role};

const STOCK_TAB: Tab = Tab {
    path: "/warehouse",
    label: "Stock",
};
const ALLOCATION_TAB: Tab = Tab {
    path: "/warehouse/allocation",
    label: "Allocation rules",
};

fn tabs(roles: &[Role]) -> Vec<Tab> {
    let mut tabs = vec![STOCK_TAB];
    if Operation::ManageAllocation.allows_any(roles) {
        tabs.push(ALLOCATION_TAB);
    }
    tabs
}

#[component]
fn WarehouseHeader() -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="page-header">
            <h1>"Warehouse"</h1>
            <p class="lead">"Stock in every warehouse, and the rules that decide where orders ship from."</p>
        </header>
        <Tabs label="Warehouse" tabs=tabs(&auth.roles()) />
    }
}

/// Every warehouse, read once for the page's choices; a failure leaves the list empty (the
/// forms then take a typed code, and the server says if it is unknown).
fn load_warehouses(auth: Auth) -> RwSignal<Vec<Warehouse>> {
    let warehouses = RwSignal::new(Vec::new());
    spawn_local(async move {
        match auth
            .call(|token| async move { ops::warehouses(&token).await })
            .await
        {
            Ok(list) => {
                let _ = warehouses.try_set(list);
            }
            Err(e) => leptos::logging::warn!("could not read the warehouses: {e}"),
        }
    });
    warehouses
}

/// `/warehouse`: stock levels, receipts and corrections, the ledger and unmet demand.
#[component]
pub fn StockPage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Warehouse>
            <WarehouseHeader />
            <StockSections />
        </AreaGate>
    }
}

#[component]
fn StockSections() -> impl IntoView {
    let auth = use_auth();
    let warehouses = load_warehouses(auth);
    // The stock row someone chose to change; the form takes its place.
    let picked = RwSignal::new(None::<StockLevel>);
    // The SKU whose ledger is shown ("" for every SKU).
    let ledger_sku = RwSignal::new(String::new());
    // The row as the last change left it: the table, the ledger and the demand follow.
    let changed = RwSignal::new(None::<StockLevel>);
    let may_change = Operation::ChangeStock.allows_any(&auth.roles());
    let may_see_demand = Operation::ReadStockouts.allows_any(&auth.roles());
    let on_changed = Callback::new(move |level: StockLevel| changed.set(Some(level)));
    view! {
        <stock_levels::StockLevelsSection
            warehouses=warehouses
            changed=changed
            picked=picked
            ledger_sku=ledger_sku
            may_change=may_change
        />
        {may_change
            .then(|| {
                view! {
                    <stock_change::StockChangeSection
                        warehouses=warehouses
                        picked=picked
                        on_changed=on_changed
                    />
                }
            })}
        <stock_ledger::StockLedgerSection sku=ledger_sku changed=changed />
        {may_see_demand.then(|| view! { <unmet_demand::UnmetDemandSection changed=changed /> })}
    }
}

/// `/warehouse/allocation`: the rules, their editor and the dry run.
#[component]
pub fn AllocationPage() -> impl IntoView {
    let auth = use_auth();
    let allowed = Memo::new(move |_| Operation::ManageAllocation.allows_any(&auth.roles()));
    view! {
        <AreaGate area=Area::Warehouse>
            <WarehouseHeader />
            <Show when=move || allowed.get() fallback=NoAccess>
                <AllocationSections />
            </Show>
        </AreaGate>
    }
}

#[component]
fn AllocationSections() -> impl IntoView {
    let auth = use_auth();
    let warehouses = load_warehouses(auth);
    let rules = RwSignal::new(Vec::<AllocationRule>::new());
    // Bumped whenever a rule changes, so a dry run on screen is run again.
    let rules_changed = RwSignal::new(0u32);
    view! {
        <allocation_rules::AllocationRulesSection
            rules=rules
            warehouses=warehouses
            rules_changed=rules_changed
        />
        <dry_run::DryRunSection rules_changed=rules_changed />
    }
}
