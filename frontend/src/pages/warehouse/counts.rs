//! Cycle counts: the bins a short pick asked someone to count, each with a form for the
//! counted quantity (the difference goes into the ledger and the bin is unblocked), and the
//! discrepancies short picks recorded. Both follow the warehouse's activity.

use super::floor::{self, WarehouseSelect};
use crate::api::types::{CycleCount, StockDiscrepancy};
use crate::api::{ApiError, ops};
use crate::components::feedback::{EmptyNote, ErrorAlert, SuccessAlert};
use crate::components::form::{field_errors, local_problem};
use crate::components::format;
use crate::components::status::{LiveIndicator, LiveState};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::CycleCountStatus;

#[component]
pub fn CountsSections() -> impl IntoView {
    let auth = use_auth();
    let warehouses = super::load_warehouses(auth);
    let chosen = floor::chosen_warehouse(auth, warehouses);
    let counts = RwSignal::new(Vec::<CycleCount>::new());
    let discrepancies = RwSignal::new(Vec::<StockDiscrepancy>::new());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let live = RwSignal::new(LiveState::Connecting);
    let reload = move || {
        let id = chosen.get_untracked();
        if id.is_empty() {
            return;
        }
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move {
                        let c = ops::cycle_counts(&token, &id).await?;
                        let d = ops::stock_discrepancies(&token, &id).await?;
                        Ok((c.nodes, d.nodes))
                    }
                })
                .await;
            match result {
                Ok((c, d)) => {
                    let _ = counts.try_set(c);
                    let _ = discrepancies.try_set(d);
                    let _ = error.try_set(None);
                    let _ = loaded.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    Effect::new(move |_| {
        chosen.track();
        reload();
    });
    floor::follow_activity(chosen.into(), live, move |event| {
        if event.is_none_or(|e| matches!(e.kind.as_str(), "SHORT_PICK" | "CYCLE_COUNTED")) {
            reload();
        }
    });
    let on_counted = Callback::new(move |c: CycleCount| {
        done.set(Some(format!(
            "Counted {} in {}: {} units, adjustment {}.",
            c.sku,
            c.bin,
            c.counted.unwrap_or_default(),
            format::signed(i64::from(c.adjustment.unwrap_or_default()))
        )));
        reload();
    });
    let open = move || {
        counts.with(|c| {
            c.iter()
                .filter(|c| c.status == CycleCountStatus::Open)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" aria-labelledby="counts-title">
            <div class="card-header">
                <h2 id="counts-title">"Cycle counts"</h2>
                <LiveIndicator state=live />
            </div>
            <div class="filters filters-compact">
                <WarehouseSelect id="counts-warehouse" warehouses=warehouses chosen=chosen />
            </div>
            <ErrorAlert message=error />
            <SuccessAlert message=done />
            <ul class="count-list" aria-label="Open cycle counts">
                <For each=open key=|c| c.id.clone() let(count)>
                    <CountItem count=count on_counted=on_counted />
                </For>
            </ul>
            <EmptyNote when=Signal::derive(move || loaded.get() && open().is_empty()) text="No bins are waiting to be counted." />
        </section>
        <section class="card" aria-labelledby="discrepancies-title">
            <h2 id="discrepancies-title">"Recent discrepancies"</h2>
            <div class="table-wrap">
                <table class="table" aria-label="Stock discrepancies">
                    <thead>
                        <tr>
                            <th scope="col">"Bin"</th>
                            <th scope="col">"SKU"</th>
                            <th scope="col" class="num">"Expected"</th>
                            <th scope="col" class="num">"Found"</th>
                            <th scope="col">"Reported (UTC)"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            discrepancies
                                .get()
                                .into_iter()
                                .map(|d| {
                                    view! {
                                        <tr>
                                            <td>
                                                <code>{d.bin}</code>
                                            </td>
                                            <td>
                                                <code>{d.sku}</code>
                                            </td>
                                            <td class="num">{d.expected}</td>
                                            <td class="num">{d.found}</td>
                                            <td>{format!("{} by {}", format::timestamp(&d.at), d.reported_by)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || loaded.get() && discrepancies.with(Vec::is_empty)) text="No short picks recorded." />
        </section>
    }
}

/// One bin to count, with its form.
#[component]
fn CountItem(count: CycleCount, on_counted: Callback<CycleCount>) -> impl IntoView {
    let auth = use_auth();
    let counted = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let input_id = format!("count-{}", count.id);
    let id = count.id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(n) = counted.get_untracked().trim().parse::<i32>() else {
            error.set(Some(local_problem(
                "counted",
                "NOT_A_NUMBER",
                "Enter the units you counted.",
            )));
            return;
        };
        busy.set(true);
        error.set(None);
        let id = id.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::complete_cycle_count(&token, &id, n).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(c) => on_counted.run(c),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let problems = field_errors(error, "counted");
    let general = move || {
        error.with(|e| {
            e.as_ref()
                .filter(|e| e.fields.is_empty())
                .map(|e| e.message.clone())
        })
    };
    view! {
        <li class="count-item" data-bin=count.bin.clone() data-sku=count.sku.clone()>
            <div>
                <p class="cell-primary">
                    <code>{count.bin.clone()}</code>
                    " · "
                    <code>{count.sku.clone()}</code>
                </p>
                <p class="cell-secondary">
                    {format!("{} · opened {} UTC", count.reason, format::timestamp(&count.created_at))}
                </p>
            </div>
            <form class="inline-form" on:submit=on_submit>
                <div class="field" class:has-error=move || !problems.get().is_empty()>
                    <label for=input_id.clone()>"Counted units"</label>
                    <input id=input_id type="number" min="0" autocomplete="off" bind:value=counted />
                    {move || {
                        let mut all = problems.get();
                        all.extend(general());
                        (!all.is_empty()).then(|| view! { <p class="field-error" role="alert">{all.join(" ")}</p> })
                    }}
                </div>
                <button type="submit" class="btn btn-primary" disabled=busy>
                    "Save count"
                </button>
            </form>
        </li>
    }
}
