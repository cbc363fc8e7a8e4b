//! Customers (ADMIN, CUSTOMER_SERVICE, REVIEWER, FINANCE): names and contact details, newest
//! first, searchable by e-mail or name; each leads to the customer's orders.

use crate::api::ops;
use crate::api::types::CustomerRecord;
use crate::components::feedback::{ErrorAlert, LoadMore};
use crate::components::{AreaGate, Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::Area;

/// Customers per page.
const PAGE: u32 = 25;

#[component]
pub fn CustomersPage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Customers>
            <header class="page-header">
                <h1>"Customers"</h1>
                <p class="lead">"Everyone who has ordered, newest first. Open one to see their orders."</p>
            </header>
            <CustomerList />
        </AreaGate>
    }
}

/// The order list of one customer.
fn orders_href(email: &str) -> String {
    let encoded: String = js_sys::encode_uri_component(email).into();
    format!("/orders?search={encoded}")
}

#[component]
fn CustomerList() -> impl IntoView {
    let auth = use_auth();
    let applied = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<CustomerRecord>::new());
    let cursor = RwSignal::new(None::<String>);
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    // Bumped when the search changes, so answers for an older one are dropped.
    let generation = StoredValue::new(0u32);

    let load = move |after: Option<String>| {
        let Some(generation_now) = generation.try_get_value() else {
            return;
        };
        let wanted = Some(applied.get_untracked()).filter(|s| !s.is_empty());
        loading.set(true);
        spawn_local(async move {
            let first_page = after.is_none();
            let result = auth
                .call(|token| {
                    let (after, wanted) = (after.clone(), wanted.clone());
                    async move { ops::customers(&token, PAGE, after, wanted).await }
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
                            for c in page.nodes {
                                if !list.iter().any(|r| r.id == c.id) {
                                    list.push(c);
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

    Effect::new(move |_| {
        applied.track();
        generation.update_value(|g| *g += 1);
        load(None);
    });

    let apply_now = move || {
        let next = search.get_untracked().trim().to_string();
        if applied.get_untracked() != next {
            applied.set(next);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply_now();
    };

    let count = move || {
        let n = rows.with(Vec::len);
        let more = if has_more.get() {
            " — more below"
        } else {
            ""
        };
        match n {
            1 => format!("1 customer{more}"),
            n => format!("{n} customers{more}"),
        }
    };

    view! {
        <form class="card filters" role="search" aria-label="Customer search" on:submit=on_submit>
            <div class="field filter-search">
                <label for="customer-search">"Search"</label>
                <input
                    id="customer-search"
                    type="search"
                    placeholder="E-mail or part of a name"
                    autocomplete="off"
                    bind:value=search
                    on:change=move |_| apply_now()
                />
            </div>
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary">"Search"</button>
                <button
                    type="button"
                    class="btn btn-secondary"
                    disabled=move || applied.with(String::is_empty)
                    on:click=move |_| {
                        search.set(String::new());
                        apply_now();
                    }
                >
                    "Clear"
                </button>
            </div>
        </form>
        <section class="card" aria-labelledby="customers-title">
            <div class="card-header">
                <h2 id="customers-title">"Customer list"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="customer-count">{count}</span>
                </div>
            </div>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Customers">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"E-mail"</th>
                            <th scope="col">"Phone"</th>
                            <th scope="col">"Since (UTC)"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|c| c.clone() let(c)>
                            <tr data-customer=c.email.clone()>
                                <td>
                                    <A href=orders_href(&c.email)>{c.name.clone()}</A>
                                </td>
                                <td>
                                    <Email address=c.email.clone() />
                                </td>
                                <td class="nowrap">{c.phone.clone()}</td>
                                <td class="nowrap">{format::timestamp(&c.created_at)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || rows.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)>
                <p class="muted empty-note">
                    {move || {
                        if applied.with(String::is_empty) {
                            "No customers yet. They appear here with their first order."
                        } else {
                            "No customers match this search."
                        }
                    }}
                </p>
            </Show>
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(cursor.get_untracked())) />
        </section>
    }
}
