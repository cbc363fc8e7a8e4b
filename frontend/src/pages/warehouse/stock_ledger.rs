//! The stock ledger, newest first: every receipt, reservation, release, pick, correction,
//! restock and write-off, with its reason, reference and who did it — for one SKU or all.

use crate::api::ops;
use crate::api::types::{StockLevel, StockMovement};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore};
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Rows per page.
const PAGE: u32 = 25;

#[component]
pub fn StockLedgerSection(
    /// The SKU shown ("" for every SKU); the stock table sets it too.
    sku: RwSignal<String>,
    changed: RwSignal<Option<StockLevel>>,
) -> impl IntoView {
    let auth = use_auth();
    let typed = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<StockMovement>::new());
    let cursor = RwSignal::new(None::<String>);
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let generation = StoredValue::new(0u32);

    let load = move |after: Option<String>| {
        let Some(generation_now) = generation.try_get_value() else {
            return;
        };
        let wanted = Some(sku.get_untracked().trim().to_uppercase()).filter(|s| !s.is_empty());
        loading.set(true);
        spawn_local(async move {
            let first_page = after.is_none();
            let result = auth
                .call(|token| {
                    let (after, wanted) = (after.clone(), wanted.clone());
                    async move { ops::stock_ledger(&token, PAGE, after, wanted).await }
                })
                .await;
            if generation.try_get_value() != Some(generation_now) {
                return;
            }
            match result {
                Ok(page) => {
                    rows.update(|list| {
                        if first_page {
                            *list = page.nodes;
                        } else {
                            for m in page.nodes {
                                if !list.iter().any(|r| r.id == m.id) {
                                    list.push(m);
                                }
                            }
                        }
                    });
                    cursor.set(page.page_info.end_cursor);
                    has_more.set(page.page_info.has_next_page);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };
    // The SKU chosen (here or in the table) is read from the start; so is the ledger after a
    // change on the page, which added a row on top.
    Effect::new(move |_| {
        let shown = sku.get();
        changed.track();
        typed.set(shown);
        generation.update_value(|g| *g += 1);
        load(None);
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sku.set(typed.get_untracked().trim().to_uppercase());
    };
    let title = move || {
        let s = sku.get();
        if s.trim().is_empty() {
            "Stock ledger".to_string()
        } else {
            format!("Stock ledger of {}", s.trim().to_uppercase())
        }
    };

    view! {
        <section class="card" aria-labelledby="ledger-title">
            <div class="card-header">
                <h2 id="ledger-title">{title}</h2>
            </div>
            <form class="inline-form" role="search" aria-label="Ledger filter" on:submit=on_submit>
                <div class="field">
                    <label for="ledger-sku">"SKU"</label>
                    <input
                        id="ledger-sku"
                        type="search"
                        autocomplete="off"
                        placeholder="Every SKU"
                        bind:value=typed
                    />
                </div>
                <button type="submit" class="btn btn-secondary">
                    "Show ledger"
                </button>
            </form>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Stock ledger">
                    <thead>
                        <tr>
                            <th scope="col">"When (UTC)"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"SKU"</th>
                            <th scope="col" class="num">"On hand"</th>
                            <th scope="col" class="num">"Reserved"</th>
                            <th scope="col">"Reason"</th>
                            <th scope="col">"Reference"</th>
                            <th scope="col">"By"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows
                                .get()
                                .into_iter()
                                .map(|m| {
                                    view! {
                                        <tr data-kind=m.kind.as_str()>
                                            <td class="nowrap">{format::timestamp_seconds(&m.at)}</td>
                                            <td>{format::machine_name(m.kind.as_str())}</td>
                                            <td>
                                                <code>{m.sku.clone()}</code>
                                            </td>
                                            <td class="num">{format::signed(m.on_hand_delta)}</td>
                                            <td class="num">{format::signed(m.reserved_delta)}</td>
                                            <td>{m.reason.clone()}</td>
                                            <td class="nowrap">{m.reference.clone()}</td>
                                            <td>
                                                <Email address=m.actor.clone() />
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || rows.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)) text="No movements." />
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(cursor.get_untracked())) />
        </section>
    }
}
