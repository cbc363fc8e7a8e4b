//! Demand stock could not meet, per SKU: every unit ever short, and the units and orders still
//! waiting. Read again after each change on the page (a receipt serves waiting orders).

use crate::api::ops;
use crate::api::types::{StockLevel, UnmetDemand};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// SKUs per page.
const PAGE: u32 = 25;

#[component]
pub fn UnmetDemandSection(changed: RwSignal<Option<StockLevel>>) -> impl IntoView {
    let auth = use_auth();
    let rows = RwSignal::new(Vec::<UnmetDemand>::new());
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);

    // `after` is the last SKU shown: this list pages by SKU.
    let load = move |after: Option<String>| {
        loading.set(true);
        spawn_local(async move {
            let first_page = after.is_none();
            let result = auth
                .call(|token| {
                    let after = after.clone();
                    async move { ops::unmet_demand(&token, PAGE, after).await }
                })
                .await;
            match result {
                Ok(page) => {
                    // A full page may have more after it.
                    has_more.set(page.len() == PAGE as usize);
                    rows.update(|list| {
                        if first_page {
                            *list = page;
                        } else {
                            list.extend(page);
                        }
                    });
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        changed.track();
        load(None);
    });

    view! {
        <section class="card" aria-labelledby="demand-title">
            <h2 id="demand-title">"Unmet demand"</h2>
            <p class="muted">"What orders wanted and stock could not give, per SKU."</p>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Unmet demand">
                    <thead>
                        <tr>
                            <th scope="col">"SKU"</th>
                            <th scope="col" class="num">"Units short, ever"</th>
                            <th scope="col" class="num">"Units waiting"</th>
                            <th scope="col" class="num">"Orders waiting"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows
                                .get()
                                .into_iter()
                                .map(|d| {
                                    view! {
                                        <tr data-sku=d.sku.clone()>
                                            <td>
                                                <code>{d.sku.clone()}</code>
                                            </td>
                                            <td class="num">{d.short_units}</td>
                                            <td class="num">{d.waiting_units}</td>
                                            <td class="num">{d.waiting_orders}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || rows.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)) text="No unmet demand: every order got its stock." />
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(rows.with_untracked(|r| r.last().map(|d| d.sku.clone())))) />
        </section>
    }
}
