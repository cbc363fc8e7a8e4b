//! The queue: held orders oldest first, each with who ordered, how much, how long ago, and every
//! reason it was held, with the actions the user's roles allow.
//!
//! The queue follows `orderStatusChanged`: whenever an order goes on or off hold anywhere, it is
//! read again, so an order someone approved leaves every open queue and a newly held one
//! appears, without a reload.

use super::actions::ReviewActions;
use crate::api::live::{self, LiveEvent};
use crate::api::ops;
use crate::api::types::{OrderStatusEvent, QueuedOrder};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore, SuccessAlert};
use crate::components::refresh::Refresh;
use crate::components::status::{HoldReasonList, LiveIndicator, LiveState, PaymentStatusBadge};
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::OrderStatus;
use std::time::Duration;

/// Orders per page.
const PAGE: u32 = 25;
/// The most the server gives in one page; a re-read of a longer queue reads this many.
const MAX_PAGE: u32 = 100;
/// How often the ages are brought up to date.
const AGE_TICK: Duration = Duration::from_secs(30);

/// Whether a status change concerns the queue: an order went on hold or left it, or a listed
/// order changed.
fn concerns_queue(event: &OrderStatusEvent, listed: bool) -> bool {
    listed || event.to == OrderStatus::OnHold || event.from == Some(OrderStatus::OnHold)
}

#[component]
pub fn ReviewQueue() -> impl IntoView {
    let auth = use_auth();
    let rows = RwSignal::new(Vec::<QueuedOrder>::new());
    let cursor = RwSignal::new(None::<String>);
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    // What the last action did, e.g. "Order OR… approved: now Allocated."
    let notice = RwSignal::new(None::<String>);
    let live = RwSignal::new(LiveState::Connecting);
    let now = RwSignal::new(js_sys::Date::now());
    let reloading = StoredValue::new(Refresh::Idle);

    // Reads the queue from its start, as many orders as are shown (at least a page). Bursts of
    // events cost one read more, not one each.
    let reload = move || {
        if !reloading.try_update_value(|r| r.request()).unwrap_or(false) {
            return;
        }
        spawn_local(async move {
            loop {
                let Some(shown) = rows.try_with_untracked(Vec::len) else {
                    return;
                };
                let first = (shown as u32).clamp(PAGE, MAX_PAGE);
                let result = auth
                    .call(|token| async move { ops::review_queue(&token, first, None).await })
                    .await;
                match result {
                    Ok(page) => {
                        let _ = rows.try_set(page.nodes);
                        let _ = cursor.try_set(page.page_info.end_cursor);
                        let _ = has_more.try_set(page.page_info.has_next_page);
                        let _ = error.try_set(None);
                    }
                    Err(e) => {
                        let _ = error.try_set(Some(e.message));
                    }
                }
                let _ = loading.try_set(false);
                let _ = now.try_set(js_sys::Date::now());
                if !reloading
                    .try_update_value(|r| r.finished())
                    .unwrap_or(false)
                {
                    return;
                }
            }
        });
    };
    reload();

    let load_more = move || {
        let after = cursor.get_untracked();
        loading.set(true);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let after = after.clone();
                    async move { ops::review_queue(&token, PAGE, after).await }
                })
                .await;
            match result {
                Ok(page) => {
                    rows.update(|list| {
                        for order in page.nodes {
                            if !list.iter().any(|o| o.id == order.id) {
                                list.push(order);
                            }
                        }
                    });
                    cursor.set(page.page_info.end_cursor);
                    has_more.set(page.page_info.has_next_page);
                }
                Err(e) => error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };

    let on_event = move |event: LiveEvent| match event {
        LiveEvent::Live { resumed } => {
            live.set(LiveState::Live);
            if resumed {
                reload();
            }
        }
        LiveEvent::Reconnecting => live.set(LiveState::Reconnecting),
        LiveEvent::Failed(why) => live.set(LiveState::Failed(why)),
        LiveEvent::Data(data) => {
            let event = data
                .get("orderStatusChanged")
                .and_then(|v| serde_json::from_value::<OrderStatusEvent>(v.clone()).ok());
            let relevant = event.is_none_or(|event| {
                let listed = rows.with_untracked(|l| l.iter().any(|o| o.id == event.order_id));
                concerns_queue(&event, listed)
            });
            if relevant {
                reload();
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
    if let Ok(tick) = set_interval_with_handle(move || now.set(js_sys::Date::now()), AGE_TICK) {
        on_cleanup(move || tick.clear());
    }

    let on_done = Callback::new(move |message: String| {
        notice.set(Some(message));
        reload();
    });
    let count = move || {
        let n = rows.with(Vec::len);
        let more = if has_more.get() {
            " — more below"
        } else {
            ""
        };
        match n {
            1 => format!("1 order waiting{more}"),
            n => format!("{n} orders waiting{more}"),
        }
    };

    view! {
        <section class="card" aria-labelledby="queue-title">
            <div class="card-header">
                <h2 id="queue-title">"Held orders"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="queue-count">{count}</span>
                    <LiveIndicator state=live />
                </div>
            </div>
            <SuccessAlert message=notice />
            <ErrorAlert message=error />
            <ul class="queue" aria-label="Held orders">
                <For each=move || rows.get() key=|order| order.clone() let(order)>
                    <QueueItem order=order now=now on_done=on_done />
                </For>
            </ul>
            <EmptyNote when=Signal::derive(move || rows.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)) text="Nothing is waiting for review. Held orders appear here as they are held." />
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load_more()) />
        </section>
    }
}

/// One held order: who, how much, how long ago, where to, why — and what may be done.
#[component]
fn QueueItem(order: QueuedOrder, now: RwSignal<f64>, on_done: Callback<String>) -> impl IntoView {
    let placed = js_sys::Date::parse(&order.created_at);
    let age = move || format::age(now.get() - placed);
    let title_id = format!("held-{}", order.id);
    let a = &order.shipping_address;
    let destination = [Some(a.city.as_str()), a.region.as_deref(), Some(&a.country)]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let c = order.customer.clone();
    let number = order.number.clone();
    let href = format!("/orders/{number}");
    let link_text = number.clone();
    let total = format::money(&order.total);
    let placed_at = format!("{} UTC", format::timestamp(&order.created_at));
    let payment = order.payment_status;
    let reasons = order.hold_reasons.clone();
    view! {
        <li class="queue-item" data-order=number.clone()>
            <article aria-labelledby=title_id.clone()>
                <header class="queue-item-header">
                    <div class="queue-item-who">
                        <h3 id=title_id.clone()>
                            <A href=href>{link_text}</A>
                        </h3>
                        <span class="cell-primary">{c.name}</span>
                        <span class="cell-secondary">
                            <Email address=c.email />
                            {(!c.phone.is_empty()).then(|| format!(" · {}", c.phone))}
                        </span>
                        <span class="cell-secondary">{format!("Ships to {destination}")}</span>
                    </div>
                    <dl class="queue-facts">
                        <dt>"Total"</dt>
                        <dd data-testid="queue-total">{total}</dd>
                        <dt>"Placed"</dt>
                        <dd data-testid="queue-age" title=placed_at>
                            {move || format!("{} ago", age())}
                        </dd>
                        <dt>"Payment"</dt>
                        <dd>
                            <PaymentStatusBadge status=payment />
                        </dd>
                    </dl>
                </header>
                <HoldReasonList reasons=reasons />
                <ReviewActions order=order on_done=on_done />
            </article>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(from: Option<OrderStatus>, to: OrderStatus) -> OrderStatusEvent {
        OrderStatusEvent {
            order_id: "1".into(),
            number: "OR-1".into(),
            from,
            to,
            at: String::new(),
        }
    }

    #[test]
    fn orders_going_on_or_off_hold_concern_the_queue() {
        assert!(concerns_queue(
            &event(Some(OrderStatus::Confirmed), OrderStatus::OnHold),
            false
        ));
        assert!(concerns_queue(
            &event(Some(OrderStatus::OnHold), OrderStatus::Approved),
            false
        ));
        assert!(!concerns_queue(
            &event(Some(OrderStatus::PendingPayment), OrderStatus::Confirmed),
            false
        ));
        assert!(concerns_queue(
            &event(Some(OrderStatus::Approved), OrderStatus::Allocated),
            true
        ));
    }
}
