//! Warehouse (ADMIN, WAREHOUSE): stock per warehouse, bin and SKU with receipts, counted
//! corrections and the ledger, the demand stock could not meet; the allocation rules that
//! route approved orders to warehouses, with a dry run that explains a decision; and the floor:
//! waves, the handheld and the put wall, the pack station, the hand-over to carriers, returns
//! (receiving and inspection), cycle counts, and the packaging and carrier setup.

mod allocation_rules;
mod counts;
mod dry_run;
mod floor;
mod handheld;
mod handover;
mod labels;
mod pack_station;
mod put_wall;
mod returns;
mod rule_form;
mod setup;
mod stock_change;
mod stock_ledger;
mod stock_levels;
mod unmet_demand;
mod waves;

pub use floor::DocumentButton;

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
/// The tabs after Stock, each with the operation that opens it.
const TABS: [(Operation, Tab); 7] = [
    (
        Operation::ManageAllocation,
        Tab {
            path: "/warehouse/allocation",
            label: "Allocation rules",
        },
    ),
    (
        Operation::ManageWaves,
        Tab {
            path: "/warehouse/waves",
            label: "Waves",
        },
    ),
    (
        Operation::PackShipments,
        Tab {
            path: "/warehouse/pack",
            label: "Pack",
        },
    ),
    (
        Operation::HandOverParcels,
        Tab {
            path: "/warehouse/handover",
            label: "Hand-over",
        },
    ),
    (
        Operation::ReceiveReturns,
        Tab {
            path: "/warehouse/returns",
            label: "Returns",
        },
    ),
    (
        Operation::CountStock,
        Tab {
            path: "/warehouse/counts",
            label: "Counts",
        },
    ),
    (
        Operation::ManageFulfilmentSetup,
        Tab {
            path: "/warehouse/setup",
            label: "Setup",
        },
    ),
];

fn tabs(roles: &[Role]) -> Vec<Tab> {
    std::iter::once(STOCK_TAB)
        .chain(
            TABS.iter()
                .filter(|(op, _)| op.allows_any(roles))
                .map(|(_, tab)| *tab),
        )
        .collect()
}

#[component]
fn WarehouseHeader() -> impl IntoView {
    let auth = use_auth();
    view! {
        <header class="page-header">
            <h1>"Warehouse"</h1>
            <p class="lead">"Stock in every warehouse, the rules that decide where orders ship from, and the work on the floor."</p>
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

/// A page of the area that one operation opens; `header` is false on the floor screens that
/// want the whole width for big type (the handheld, the put wall).
#[component]
fn GatedPage(
    operation: Operation,
    #[prop(default = true)] header: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let auth = use_auth();
    let allowed = Memo::new(move |_| operation.allows_any(&auth.roles()));
    let gated = move || {
        let children = children.clone();
        view! {
            <Show when=move || allowed.get() fallback=NoAccess>
                {children()}
            </Show>
        }
    };
    view! {
        <AreaGate area=Area::Warehouse>
            {header.then(|| view! { <WarehouseHeader /> })}
            {gated()}
        </AreaGate>
    }
}

/// `/warehouse/allocation`: the rules, their editor and the dry run.
#[component]
pub fn AllocationPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::ManageAllocation>
            <AllocationSections />
        </GatedPage>
    }
}

/// `/warehouse/waves`: what waits for a wave, creating one, and the board.
#[component]
pub fn WavesPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::ManageWaves>
            <waves::WavesSections />
        </GatedPage>
    }
}

/// `/warehouse/pick/<wave id>`: the handheld.
#[component]
pub fn PickPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::PickStock header=false>
            <handheld::Handheld />
        </GatedPage>
    }
}

/// `/warehouse/sort/<wave id>`: the put wall.
#[component]
pub fn SortPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::PickStock header=false>
            <put_wall::PutWall />
        </GatedPage>
    }
}

/// `/warehouse/pack`: the pack station.
#[component]
pub fn PackPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::PackShipments>
            <pack_station::PackStationSections />
        </GatedPage>
    }
}

/// `/warehouse/handover`: staged parcels, the hand-over and its manifests.
#[component]
pub fn HandoverPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::HandOverParcels>
            <handover::HandoverSections />
        </GatedPage>
    }
}

/// `/warehouse/returns`: receiving returned parcels and inspecting each unit.
#[component]
pub fn ReturnsPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::ReceiveReturns>
            <returns::ReturnsSections />
        </GatedPage>
    }
}

/// `/warehouse/counts`: cycle counts and discrepancies.
#[component]
pub fn CountsPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::CountStock>
            <counts::CountsSections />
        </GatedPage>
    }
}

/// `/warehouse/setup`: packaging and carriers.
#[component]
pub fn SetupPage() -> impl IntoView {
    view! {
        <GatedPage operation=Operation::ManageFulfilmentSetup>
            <setup::SetupSections />
        </GatedPage>
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
