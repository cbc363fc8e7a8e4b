//! The order list: filters kept in the URL, cursor paging, and live updates — a new order that
//! matches the filters appears on top, and a status change shows in its row, without a reload.

use super::filter::Filters;
use super::merge_rows;
use crate::api::live::{self, LiveEvent};
use crate::api::ops;
use crate::api::types::{OrderRow, OrderStatusEvent};
use crate::components::feedback::{ErrorAlert, LoadMore};
use crate::components::refresh::Refresh;
use crate::components::status::{
    LiveIndicator, LiveState, OrderStatusBadge, PaymentStatusBadge, order_status_label,
    payment_status_label,
};
use crate::components::{AreaGate, Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use orderly_shared::{Area, OrderStatus, PaymentStatus};
use wasm_bindgen::JsCast;

/// Orders per page.
const PAGE: u32 = 25;

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Orders>
            <header class="page-header page-header-row">
                <div>
                    <h1>"Orders"</h1>
                    <p class="lead">"Every channel's orders, newest first. Changes appear as they happen."</p>
                </div>
            </header>
            <OrderList />
        </AreaGate>
    }
}

#[component]
fn OrderList() -> impl IntoView {
    let auth = use_auth();
    let query = use_query_map();
    let filters = Memo::new(move |_| query.with(|q| Filters::from_query(|k| q.get(k))));
    let rows = RwSignal::new(Vec::<OrderRow>::new());
    let cursor = RwSignal::new(None::<String>);
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let live = RwSignal::new(LiveState::Connecting);
    // Bumped when the filters change, so answers for older filters are dropped.
    let generation = StoredValue::new(0u32);
    let top = StoredValue::new(Refresh::Idle);

    // Loads the first page (replacing the rows) or the page after `after`.
    let load = move |after: Option<String>| {
        let Some(generation_now) = generation.try_get_value() else {
            return;
        };
        let filter = filters.get_untracked().to_api();
        loading.set(true);
        spawn_local(async move {
            let first_page = after.is_none();
            let result = auth
                .call(|token| {
                    let (after, filter) = (after.clone(), filter.clone());
                    async move { ops::orders(&token, PAGE, after, &filter).await }
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
                            for row in page.nodes {
                                if !list.iter().any(|r| r.id == row.id) {
                                    list.push(row);
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

    // Re-reads the top of the list and merges it in: new orders matching the filters appear,
    // changed ones are updated. Bursts of events cost one reload more, not one each.
    let refresh_top = move || {
        if !top.try_update_value(|t| t.request()).unwrap_or(false) {
            return;
        }
        spawn_local(async move {
            loop {
                let Some(generation_now) = generation.try_get_value() else {
                    return;
                };
                let Some(filter) = filters.try_get_untracked().map(|f| f.to_api()) else {
                    return;
                };
                let result = auth
                    .call(|token| {
                        let filter = filter.clone();
                        async move { ops::orders(&token, PAGE, None, &filter).await }
                    })
                    .await;
                if generation.try_get_value() == Some(generation_now)
                    && let Ok(page) = result
                {
                    let complete = !has_more.get_untracked();
                    rows.update(|list| {
                        merge_rows(list, page.nodes, complete);
                    });
                }
                if !top.try_update_value(|t| t.finished()).unwrap_or(false) {
                    return;
                }
            }
        });
    };

    // Re-reads one listed order (its payment status may have changed with its status).
    let refresh_row = move |id: String| {
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::order_row(&token, &id).await }
                })
                .await;
            if let Ok(Some(fresh)) = result {
                rows.update(|list| {
                    if let Some(slot) = list.iter_mut().find(|r| r.id == fresh.id) {
                        *slot = fresh;
                    }
                });
            }
        });
    };

    Effect::new(move |_| {
        filters.track();
        generation.update_value(|g| *g += 1);
        load(None);
    });

    let on_event = move |event: LiveEvent| match event {
        LiveEvent::Live { resumed } => {
            live.set(LiveState::Live);
            if resumed {
                refresh_top();
            }
        }
        LiveEvent::Reconnecting => live.set(LiveState::Reconnecting),
        LiveEvent::Failed(why) => live.set(LiveState::Failed(why)),
        LiveEvent::Data(data) => {
            let Some(event) = data
                .get("orderStatusChanged")
                .and_then(|v| serde_json::from_value::<OrderStatusEvent>(v.clone()).ok())
            else {
                return;
            };
            let listed = rows.with_untracked(|list| list.iter().any(|r| r.id == event.order_id));
            if listed {
                rows.update(|list| {
                    if let Some(row) = list.iter_mut().find(|r| r.id == event.order_id) {
                        row.status = event.to;
                    }
                });
                refresh_row(event.order_id);
            } else {
                refresh_top();
            }
        }
    };
    let subscription = live::subscribe(
        auth,
        ops::ORDER_STATUS_CHANGED,
        serde_json::json!({}),
        on_event,
    );
    on_cleanup(move || drop(subscription));

    let navigate = use_navigate();
    let apply = Callback::new(move |next: Filters| {
        navigate(
            &format!("/orders{}", next.to_query()),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });

    let count = move || {
        let n = rows.with(Vec::len);
        let more = if has_more.get() {
            " — more below"
        } else {
            ""
        };
        match n {
            1 => format!("1 order{more}"),
            n => format!("{n} orders{more}"),
        }
    };

    view! {
        <FilterForm filters=filters apply=apply />
        <section class="card" aria-labelledby="orders-title">
            <div class="card-header">
                <h2 id="orders-title">"Order list"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="order-count">{count}</span>
                    <LiveIndicator state=live />
                </div>
            </div>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Orders">
                    <thead>
                        <tr>
                            <th scope="col">"Order"</th>
                            <th scope="col">"Created (UTC)"</th>
                            <th scope="col">"Customer"</th>
                            <th scope="col">"Channel"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Payment"</th>
                            <th scope="col" class="num">"Total"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|row| row.clone() let(row)>
                            <tr data-order=row.number.clone()>
                                <td class="nowrap">
                                    <OrderLink number=row.number.clone() />
                                </td>
                                <td class="nowrap">{format::timestamp(&row.created_at)}</td>
                                <td>
                                    <span class="cell-primary">{row.customer.name.clone()}</span>
                                    <span class="cell-secondary">
                                        <Email address=row.customer.email.clone() />
                                    </span>
                                </td>
                                <td class="nowrap">{row.channel.clone()}</td>
                                <td>
                                    <OrderStatusBadge status=row.status />
                                </td>
                                <td>
                                    <PaymentStatusBadge status=row.payment_status />
                                </td>
                                <td class="num nowrap">{format::money(&row.total)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || rows.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)>
                <p class="muted empty-note">
                    {move || {
                        if filters.with(Filters::is_empty) {
                            "No orders yet. New orders appear here as they are placed."
                        } else {
                            "No orders match these filters."
                        }
                    }}
                </p>
            </Show>
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(cursor.get_untracked())) />
        </section>
    }
}

#[component]
fn OrderLink(number: String) -> impl IntoView {
    let href = format!("/orders/{number}");
    view! { <A href=href>{number}</A> }
}

/// The filter bar. Choices apply at once; text applies on Enter or when the field is left.
#[component]
fn FilterForm(filters: Memo<Filters>, apply: Callback<Filters>) -> impl IntoView {
    let search = RwSignal::new(String::new());
    let statuses = RwSignal::new(Vec::<OrderStatus>::new());
    let payment = RwSignal::new(None::<PaymentStatus>);
    let channel = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let until = RwSignal::new(String::new());

    // The form shows what the URL says (after a reload, Back, or "Clear").
    Effect::new(move |_| {
        let f = filters.get();
        search.set(f.search);
        statuses.set(f.statuses);
        payment.set(f.payment);
        channel.set(f.channel);
        from.set(f.from);
        until.set(f.until);
    });

    let current = move || Filters {
        statuses: statuses.get_untracked(),
        payment: payment.get_untracked(),
        channel: channel.get_untracked(),
        from: from.get_untracked(),
        until: until.get_untracked(),
        search: search.get_untracked(),
    };
    let apply_now = move || apply.run(current());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply_now();
    };
    // The status list closes when a click lands anywhere else.
    let status_menu = NodeRef::<leptos::html::Details>::new();
    let outside_click = window_event_listener(leptos::ev::click, move |ev| {
        let Some(menu) = status_menu.get_untracked() else {
            return;
        };
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|node| menu.contains(Some(&node)));
        if menu.open() && !inside {
            menu.set_open(false);
        }
    });
    on_cleanup(move || outside_click.remove());
    let status_summary = move || {
        statuses.with(|s| match s.as_slice() {
            [] => "Any status".to_string(),
            [one] => order_status_label(*one).to_string(),
            many => format!("{} statuses", many.len()),
        })
    };

    view! {
        <form class="card filters" role="search" aria-label="Order filters" on:submit=on_submit>
            <div class="field filter-search">
                <label for="order-search">"Search"</label>
                <input
                    id="order-search"
                    type="search"
                    placeholder="Order number, e-mail, phone or name"
                    autocomplete="off"
                    bind:value=search
                    on:change=move |_| apply_now()
                />
            </div>
            <div class="field">
                <span class="label" id="order-status-label">"Status"</span>
                <details class="multi-select" node_ref=status_menu>
                    <summary aria-labelledby="order-status-label order-status-summary">
                        <span id="order-status-summary">{status_summary}</span>
                    </summary>
                    <fieldset class="multi-select-panel">
                        <legend class="sr-only">"Order statuses"</legend>
                        {OrderStatus::ALL
                            .iter()
                            .map(|status| {
                                let status = *status;
                                let checked = move || statuses.with(|s| s.contains(&status));
                                let on_change = move |ev: leptos::ev::Event| {
                                    let on = event_target_checked(&ev);
                                    statuses.update(|s| {
                                        s.retain(|x| *x != status);
                                        if on {
                                            s.push(status);
                                            s.sort();
                                        }
                                    });
                                    apply_now();
                                };
                                view! {
                                    <label class="check">
                                        <input type="checkbox" prop:checked=checked on:change=on_change />
                                        <span>{order_status_label(status)}</span>
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                </details>
            </div>
            <div class="field">
                <label for="order-payment">"Payment status"</label>
                <select
                    id="order-payment"
                    prop:value=move || payment.get().map(|p| p.as_str()).unwrap_or("")
                    on:change=move |ev| {
                        payment.set(PaymentStatus::parse(&event_target_value(&ev)));
                        apply_now();
                    }
                >
                    <option value="">"Any"</option>
                    {PaymentStatus::ALL
                        .iter()
                        .map(|p| view! { <option value=p.as_str()>{payment_status_label(*p)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="order-channel">"Channel"</label>
                <input
                    id="order-channel"
                    type="text"
                    autocomplete="off"
                    bind:value=channel
                    on:change=move |_| apply_now()
                />
            </div>
            <div class="field">
                <label for="order-from">"Created from (UTC)"</label>
                <input id="order-from" type="date" bind:value=from on:change=move |_| apply_now() />
            </div>
            <div class="field">
                <label for="order-until">"Created until (UTC)"</label>
                <input id="order-until" type="date" bind:value=until on:change=move |_| apply_now() />
            </div>
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary">"Search"</button>
                <button
                    type="button"
                    class="btn btn-secondary"
                    disabled=move || filters.with(Filters::is_empty)
                    on:click=move |_| apply.run(Filters::default())
                >
                    "Clear filters"
                </button>
            </div>
        </form>
    }
}
