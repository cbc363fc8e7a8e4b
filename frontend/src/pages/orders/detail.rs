//! One order: lines and money, where it ships from, customer and address, special requests,
//! coupons, payments, hold reasons and the timeline — read again whenever the order changes
//! status.

use crate::api::live::{self, LiveEvent, Subscription};
use crate::api::ops;
use crate::api::types::{Address, OrderDetail, Shipment, SimulatedOutcome};
use crate::components::refresh::Refresh;
use crate::components::status::{
    HoldReasonList, LiveIndicator, LiveState, OrderStatusBadge, PaymentStatusBadge,
    ShipmentStatusBadge, payment_method_label,
};
use crate::components::{AreaGate, Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use orderly_shared::{Area, Operation, OrderStatus};
use serde_json::Value;

#[component]
pub fn OrderDetailPage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Orders>
            <OrderView />
        </AreaGate>
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Loaded,
    NotFound,
    Failed(String),
}

#[component]
fn OrderView() -> impl IntoView {
    let auth = use_auth();
    let params = use_params_map();
    let number = Memo::new(move |_| {
        params.with(|p| p.get("number").unwrap_or_default().trim().to_uppercase())
    });
    let order = RwSignal::new(None::<OrderDetail>);
    let state = RwSignal::new(Load::Loading);
    let live = RwSignal::new(LiveState::Connecting);
    let reloading = StoredValue::new(Refresh::Idle);
    let subscription = StoredValue::new(None::<Subscription>);

    // Reads the order; requests made meanwhile are served by one more read.
    let reload = move || {
        if !reloading.try_update_value(|r| r.request()).unwrap_or(false) {
            return;
        }
        spawn_local(async move {
            loop {
                let Some(wanted) = number.try_get_untracked() else {
                    return;
                };
                let result = auth
                    .call(|token| {
                        let wanted = wanted.clone();
                        async move { ops::order_detail(&token, &wanted).await }
                    })
                    .await;
                // The page may have moved on to another order meanwhile.
                if number.try_get_untracked().as_ref() == Some(&wanted) {
                    match result {
                        Ok(Some(found)) => {
                            order.set(Some(found));
                            if state.get_untracked() != Load::Loaded {
                                state.set(Load::Loaded);
                            }
                        }
                        Ok(None) => {
                            order.set(None);
                            state.set(Load::NotFound);
                        }
                        // A failed re-read keeps what is shown; a failed first read says why.
                        Err(e) if order.with_untracked(Option::is_none) => {
                            state.set(Load::Failed(e.message))
                        }
                        Err(e) => leptos::logging::warn!("could not re-read the order: {e}"),
                    }
                }
                if !reloading
                    .try_update_value(|r| r.finished())
                    .unwrap_or(false)
                {
                    return;
                }
            }
        });
    };

    Effect::new(move |_| {
        number.track();
        order.set(None);
        state.set(Load::Loading);
        reload();
    });

    // Follows the order shown: one subscription per order id.
    let order_id = Memo::new(move |_| order.with(|o| o.as_ref().map(|o| o.id.clone())));
    Effect::new(move |_| {
        let id = order_id.get();
        subscription.set_value(None);
        if let Some(id) = id {
            live.set(LiveState::Connecting);
            let on_event = move |event: LiveEvent| match event {
                LiveEvent::Live { resumed } => {
                    live.set(LiveState::Live);
                    if resumed {
                        reload();
                    }
                }
                LiveEvent::Reconnecting => live.set(LiveState::Reconnecting),
                LiveEvent::Failed(why) => live.set(LiveState::Failed(why)),
                LiveEvent::Data(_) => reload(),
            };
            subscription.set_value(Some(live::subscribe(
                auth,
                ops::ORDER_STATUS_CHANGED,
                serde_json::json!({ "orderId": id }),
                on_event,
            )));
        }
    });
    on_cleanup(move || {
        subscription.try_update_value(|s| s.take());
    });

    view! {
        <p class="breadcrumb">
            <A href="/orders">"← Orders"</A>
        </p>
        {move || match state.get() {
            Load::Loading => view! { <p class="muted" role="status">"Loading the order…"</p> }.into_any(),
            Load::NotFound => {
                view! {
                    <section class="card empty-state" aria-labelledby="order-missing-title">
                        <h1 id="order-missing-title">"Order not found"</h1>
                        <p>{format!("There is no order numbered {}.", number.get_untracked())}</p>
                    </section>
                }
                    .into_any()
            }
            Load::Failed(why) => view! { <p class="alert alert-error" role="alert">{why}</p> }.into_any(),
            Load::Loaded => view! { <OrderSheet order=order live=live /> }.into_any(),
        }}
    }
}

/// The order's cards; they follow `order` as it is read again.
#[component]
fn OrderSheet(order: RwSignal<Option<OrderDetail>>, live: RwSignal<LiveState>) -> impl IntoView {
    let auth = use_auth();
    // The simulator's state outlives the re-renders of the sheet as the order is read again.
    let simulator = Simulator::new();
    move || {
        order.get().map(|o| {
            let on_hold = o.status == OrderStatus::OnHold || !o.hold_reasons.is_empty();
            let may_simulate = o.status == OrderStatus::PendingPayment
                && Operation::SimulatePayment.allows_any(&auth.roles());
            view! {
                <header class="page-header order-header">
                    <div class="order-title">
                        <h1>{format!("Order {}", o.number)}</h1>
                        <OrderStatusBadge status=o.status />
                        <PaymentStatusBadge status=o.payment_status />
                    </div>
                    <div class="order-total">
                        <span class="muted">"Total"</span>
                        <strong data-testid="order-total">{format::money(&o.total)}</strong>
                    </div>
                    <p class="lead order-facts">
                        {format!(
                            "Placed {} UTC in channel {} · {}",
                            format::timestamp(&o.created_at),
                            o.channel,
                            payment_method_label(o.payment_method),
                        )}
                        {o
                            .payment_due_at
                            .as_deref()
                            .filter(|_| o.status == OrderStatus::PendingPayment)
                            .map(|due| format!(" · payment due by {} UTC", format::timestamp(due)))}
                        {(!o.tags.is_empty()).then(|| format!(" · tags {}", o.tags.join(", ")))}
                    </p>
                    <LiveIndicator state=live />
                </header>
                {may_simulate.then(|| view! { <SimulatePaymentCard order=o.clone() state=simulator /> })}
                {on_hold.then(|| view! { <HoldReasons order=o.clone() /> })}
                <LinesCard order=o.clone() />
                <ShipmentsCard shipments=o.shipments.clone() />
                <div class="detail-grid">
                    <PeopleCard order=o.clone() />
                    <RequestsCard order=o.clone() />
                </div>
                <PaymentsCard order=o.clone() />
                <TimelineCard order=o />
            }
        })
    }
}

/// What the payment simulator card remembers between re-renders of the order.
#[derive(Clone, Copy)]
struct Simulator {
    /// The amount typed; `None` until someone types one (the order total is shown and sent).
    amount: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    /// The outcome of the last attempt: `Ok` a note, `Err` the server's sentence.
    result: RwSignal<Option<Result<String, String>>>,
}

impl Simulator {
    fn new() -> Simulator {
        Simulator {
            amount: RwSignal::new(None),
            busy: RwSignal::new(false),
            result: RwSignal::new(None),
        }
    }
}

/// What the simulator's answer means for people.
fn simulation_note(outcome: SimulatedOutcome, answer: &str) -> String {
    match (answer, outcome) {
        ("duplicate", _) => {
            "The gateway had already reported this payment; nothing changed.".into()
        }
        (_, SimulatedOutcome::Succeeded) => {
            "The simulated gateway reported a successful payment.".into()
        }
        (_, SimulatedOutcome::Failed) => "The simulated gateway reported a failed payment.".into(),
    }
}

/// Demo mode only (ADMIN, FINANCE): has the simulated gateway send its signed callback for a
/// pending order, as a real gateway would. The page follows the order, so the new status shows
/// by itself.
#[component]
fn SimulatePaymentCard(order: OrderDetail, state: Simulator) -> impl IntoView {
    let auth = use_auth();
    let Simulator {
        amount,
        busy,
        result,
    } = state;
    let total = order.total.amount.clone();
    let shown_total = total.clone();
    let number = order.number.clone();
    let send = move |outcome: SimulatedOutcome| {
        if busy.get_untracked() {
            return;
        }
        let number = number.clone();
        let typed = amount
            .get_untracked()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty() && *a != total);
        busy.set(true);
        result.set(None);
        spawn_local(async move {
            let answer = auth
                .call(|token| {
                    let (number, typed) = (number.clone(), typed.clone());
                    async move { ops::simulate_payment(&token, &number, outcome, typed).await }
                })
                .await;
            let _ = busy.try_set(false);
            let _ = result.try_set(Some(
                answer
                    .map(|a| simulation_note(outcome, &a))
                    .map_err(|e| e.message),
            ));
        });
    };
    let send_failed = send.clone();
    view! {
        <section class="card card-demo" aria-labelledby="simulate-title">
            <h2 id="simulate-title">"Demo: simulate payment"</h2>
            <p class="muted">
                "Sends a signed callback from the simulated payment gateway, as a real gateway would."
            </p>
            <div class="inline-form">
                <div class="field">
                    <label for="simulate-amount">{format!("Amount ({})", order.total.currency)}</label>
                    <input
                        id="simulate-amount"
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        prop:value=move || amount.get().unwrap_or_else(|| shown_total.clone())
                        on:input=move |ev| amount.set(Some(event_target_value(&ev)))
                    />
                </div>
                <div class="actions">
                    <button
                        type="button"
                        class="btn btn-primary"
                        disabled=move || busy.get()
                        on:click=move |_| send(SimulatedOutcome::Succeeded)
                    >
                        "Payment succeeded"
                    </button>
                    <button
                        type="button"
                        class="btn btn-secondary"
                        disabled=move || busy.get()
                        on:click=move |_| send_failed(SimulatedOutcome::Failed)
                    >
                        "Payment failed"
                    </button>
                </div>
            </div>
            {move || {
                result
                    .get()
                    .map(|r| match r {
                        Ok(note) => view! { <p class="alert alert-info" role="status">{note}</p> }.into_any(),
                        Err(why) => view! { <p class="alert alert-error" role="alert">{why}</p> }.into_any(),
                    })
            }}
        </section>
    }
}

#[component]
fn HoldReasons(order: OrderDetail) -> impl IntoView {
    view! {
        <section class="card card-warn" aria-labelledby="holds-title">
            <h2 id="holds-title">"On hold because"</h2>
            <HoldReasonList reasons=order.hold_reasons />
        </section>
    }
}

#[component]
fn LinesCard(order: OrderDetail) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="lines-title">
            <h2 id="lines-title">"Lines"</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"SKU"</th>
                            <th scope="col">"Product"</th>
                            <th scope="col" class="num">"Qty"</th>
                            <th scope="col" class="num">"Unit price"</th>
                            <th scope="col" class="num">"Discount"</th>
                            <th scope="col" class="num">"Line total"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {order
                            .lines
                            .iter()
                            .map(|l| {
                                view! {
                                    <tr>
                                        <td>
                                            <code>{l.sku.clone()}</code>
                                        </td>
                                        <td>{l.name.clone()}</td>
                                        <td class="num">{l.quantity}</td>
                                        <td class="num nowrap">{format::money(&l.unit_price)}</td>
                                        <td class="num nowrap">{format::deduction(&l.discount)}</td>
                                        <td class="num nowrap">{format::money(&l.line_total)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
            <dl class="totals" aria-label="Money">
                <dt>"Subtotal"</dt>
                <dd>{format::money(&order.subtotal)}</dd>
                <dt>"Discount"</dt>
                <dd>{format::deduction(&order.discount)}</dd>
                <dt>"Shipping"</dt>
                <dd>{format::money(&order.shipping)}</dd>
                <dt class="totals-total">"Total"</dt>
                <dd class="totals-total">{format::money(&order.total)}</dd>
                <dt class="muted">"Tax included"</dt>
                <dd class="muted">{format::money(&order.tax)}</dd>
            </dl>
            <p class="coupons">
                "Coupons: "
                {if order.coupon_codes.is_empty() {
                    view! { <span class="muted">"none"</span> }.into_any()
                } else {
                    order
                        .coupon_codes
                        .iter()
                        .map(|c| view! { <code class="coupon">{c.clone()}</code> })
                        .collect_view()
                        .into_any()
                }}
            </p>
        </section>
    }
}

/// Where the order ships from: one shipment per warehouse, with its lines, status, carrier and
/// what the warehouse must do for the customer's special requests.
#[component]
fn ShipmentsCard(shipments: Vec<Shipment>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="shipments-title">
            <h2 id="shipments-title">"Shipments"</h2>
            {if shipments.is_empty() {
                view! { <p class="muted">"None yet: shipments are made when the order is allocated."</p> }
                    .into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">"From"</th>
                                    <th scope="col">"Lines"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Carrier"</th>
                                    <th scope="col">"Instructions"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {shipments
                                    .into_iter()
                                    .map(|s| {
                                        let instructions = format::instructions(&s.instructions);
                                        view! {
                                            <tr data-warehouse=s.warehouse.code.clone()>
                                                <td>
                                                    <span class="cell-primary">{s.warehouse.code.clone()}</span>
                                                    <span class="cell-secondary">{s.warehouse.name.clone()}</span>
                                                </td>
                                                <td>
                                                    <ul class="plain-list unmarked">
                                                        {s
                                                            .lines
                                                            .iter()
                                                            .map(|l| {
                                                                view! {
                                                                    <li>
                                                                        <code>{l.sku.clone()}</code>
                                                                        {format!(" × {}", l.quantity)}
                                                                    </li>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                </td>
                                                <td>
                                                    <ShipmentStatusBadge status=s.status />
                                                </td>
                                                <td>
                                                    {match (s.carrier, s.tracking_number) {
                                                        (Some(c), Some(t)) => format!("{c} · {t}"),
                                                        (Some(c), None) => c,
                                                        _ => "not chosen yet".to_string(),
                                                    }}
                                                </td>
                                                <td class="detail">
                                                    {if instructions.is_empty() {
                                                        view! { <span class="muted">"none"</span> }.into_any()
                                                    } else {
                                                        view! {
                                                            <ul class="plain-list unmarked">
                                                                {instructions
                                                                    .into_iter()
                                                                    .map(|i| view! { <li>{i}</li> })
                                                                    .collect_view()}
                                                            </ul>
                                                        }
                                                            .into_any()
                                                    }}
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn PeopleCard(order: OrderDetail) -> impl IntoView {
    let c = order.customer;
    view! {
        <section class="card" aria-labelledby="customer-title">
            <h2 id="customer-title">"Customer"</h2>
            <p>
                <span class="cell-primary">{c.name}</span>
                <span class="cell-secondary">
                    <Email address=c.email />
                </span>
                <span class="cell-secondary">{c.phone}</span>
            </p>
            <h3>"Shipping address"</h3>
            <address class="address">
                {address_lines(&order.shipping_address)
                    .into_iter()
                    .map(|line| view! { <span>{line}</span> })
                    .collect_view()}
            </address>
        </section>
    }
}

#[component]
fn RequestsCard(order: OrderDetail) -> impl IntoView {
    let requests = order
        .special_requests
        .as_ref()
        .map(special_requests)
        .unwrap_or_default();
    view! {
        <section class="card" aria-labelledby="requests-title">
            <h2 id="requests-title">"Special requests"</h2>
            {if requests.is_empty() {
                view! { <p class="muted">"None."</p> }.into_any()
            } else {
                view! {
                    <dl class="facts">
                        {requests
                            .into_iter()
                            .map(|(label, value)| view! {
                                <dt>{label}</dt>
                                <dd>{value}</dd>
                            })
                            .collect_view()}
                    </dl>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn PaymentsCard(order: OrderDetail) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="payments-title">
            <h2 id="payments-title">"Payments"</h2>
            {if order.payments.is_empty() {
                view! { <p class="muted">"No payments recorded."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead>
                                <tr>
                                    <th scope="col">"When (UTC)"</th>
                                    <th scope="col">"Kind"</th>
                                    <th scope="col" class="num">"Amount"</th>
                                    <th scope="col">"Provider"</th>
                                    <th scope="col">"Reference"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {order
                                    .payments
                                    .into_iter()
                                    .map(|p| {
                                        view! {
                                            <tr>
                                                <td class="nowrap">{format::timestamp_seconds(&p.at)}</td>
                                                <td>{format::machine_name(&p.kind)}</td>
                                                <td class="num nowrap">{format::money(&p.amount)}</td>
                                                <td>{p.provider}</td>
                                                <td>
                                                    <code>{p.reference}</code>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn TimelineCard(order: OrderDetail) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"When (UTC)"</th>
                            <th scope="col">"What"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"By"</th>
                            <th scope="col">"Note"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {order
                            .events
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <tr>
                                        <td class="nowrap">{format::timestamp_seconds(&e.at)}</td>
                                        <td>{format::machine_name(&e.kind)}</td>
                                        <td class="nowrap">
                                            {e.from.map(|s| view! { <OrderStatusBadge status=s /> " → " })}
                                            {e.to.map(|s| view! { <OrderStatusBadge status=s /> })}
                                        </td>
                                        <td>
                                            <Email address=e.actor />
                                        </td>
                                        <td class="detail">{e.reason.unwrap_or_default()}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The address as it is written on a parcel, one line each.
fn address_lines(a: &Address) -> Vec<String> {
    let join = |parts: &[Option<&str>]| {
        parts
            .iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    };
    [
        format!("{} · {}", a.recipient, a.phone),
        a.line1.clone(),
        a.line2.clone().unwrap_or_default(),
        join(&[a.district.as_deref(), Some(&a.city)]),
        join(&[a.region.as_deref(), a.postal_code.as_deref()]),
        a.country.clone(),
    ]
    .into_iter()
    .filter(|l| !l.trim().is_empty())
    .collect()
}

/// The recorded special requests, as label and value for people.
fn special_requests(v: &Value) -> Vec<(&'static str, String)> {
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut out = Vec::new();
    if let Some(w) = v.get("deliveryWindow").filter(|w| w.is_object()) {
        let from = text(w, "from").map(|t| format::timestamp(&t));
        let to = text(w, "to").map(|t| format::timestamp(&t));
        out.push((
            "Delivery window",
            format!(
                "{} – {} UTC",
                from.unwrap_or_default(),
                to.unwrap_or_default()
            ),
        ));
    }
    if v.get("giftWrap").and_then(Value::as_bool) == Some(true) {
        out.push(("Gift wrap", "Yes".to_string()));
    }
    if let Some(message) = text(v, "giftMessage") {
        out.push(("Gift message", message));
    }
    if let Some(invoice) = v.get("invoice").filter(|i| i.is_object()) {
        let mut parts = vec![text(invoice, "title").unwrap_or_default()];
        if let Some(tax_id) = text(invoice, "taxId") {
            parts.push(format!("tax id {tax_id}"));
        }
        parts.push(
            match text(invoice, "delivery").as_deref() {
                Some("SEPARATE") => "sent separately",
                _ => "in the parcel",
            }
            .to_string(),
        );
        out.push(("Invoice", parts.join(" · ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_simulator_says_what_happened() {
        assert_eq!(
            simulation_note(SimulatedOutcome::Succeeded, "applied"),
            "The simulated gateway reported a successful payment."
        );
        assert_eq!(
            simulation_note(SimulatedOutcome::Failed, "applied"),
            "The simulated gateway reported a failed payment."
        );
        assert!(simulation_note(SimulatedOutcome::Succeeded, "duplicate").contains("already"));
    }

    #[test]
    fn special_requests_read_for_people() {
        let v = json!({
            "deliveryWindow": { "from": "2026-11-27T09:00:00Z", "to": "2026-11-27T12:00:00Z" },
            "giftWrap": true,
            "giftMessage": " Happy birthday! ",
            "invoice": { "title": "Acme Ltd", "taxId": "91310000MA1FL0001X", "delivery": "SEPARATE" },
        });
        assert_eq!(
            special_requests(&v),
            vec![
                (
                    "Delivery window",
                    "2026-11-27 09:00 – 2026-11-27 12:00 UTC".to_string()
                ),
                ("Gift wrap", "Yes".to_string()),
                ("Gift message", "Happy birthday!".to_string()),
                (
                    "Invoice",
                    "Acme Ltd · tax id 91310000MA1FL0001X · sent separately".to_string()
                ),
            ]
        );
        let none = json!({ "deliveryWindow": null, "giftWrap": false, "giftMessage": null, "invoice": null });
        assert!(special_requests(&none).is_empty());
    }

    #[test]
    fn addresses_read_line_by_line() {
        let a = Address {
            recipient: "Wang Fang".into(),
            phone: "+8613800138000".into(),
            country: "CN".into(),
            region: Some("Shanghai".into()),
            city: "Shanghai".into(),
            district: Some("Pudong".into()),
            line1: "88 Century Avenue".into(),
            line2: None,
            postal_code: Some("200120".into()),
        };
        assert_eq!(
            address_lines(&a),
            vec![
                "Wang Fang · +8613800138000",
                "88 Century Avenue",
                "Pudong, Shanghai",
                "Shanghai, 200120",
                "CN",
            ]
        );
    }
}
