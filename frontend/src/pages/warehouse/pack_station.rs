//! The pack station: the packer scans a shipment (its order number or put-wall slot label),
//! then every unit into it; a wrong, extra or misread unit is refused on the spot. The station
//! shows the customer's instructions and the packaging to use with the reasons; packing is
//! completed (the server refuses while units are missing, and says which), the shipment is
//! booked with a carrier and its label printed, with the invoice when the order asked for one.

use super::floor::{self, DocumentButton, Refusal, ScanInput};
use crate::api::documents::Document;
use crate::api::types::{CarrierOptions, PackSession, Packaging, WarehouseShipment};
use crate::api::{ApiError, ops};
use crate::components::feedback::ErrorAlert;
use crate::components::format;
use crate::components::status::ShipmentStatusBadge;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{PackagingKind, ShipmentStatus};

#[component]
pub fn PackStationSections() -> impl IntoView {
    let auth = use_auth();
    let session = RwSignal::new(None::<PackSession>);
    let busy = RwSignal::new(false);
    let refusal = RwSignal::new(None::<ApiError>);
    let focus = RwSignal::new(0u32);
    let on_shipment = Callback::new(move |code: String| {
        busy.set(true);
        refusal.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let code = code.clone();
                    async move { ops::pack_station(&token, &code).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(s) => {
                    let _ = session.try_set(Some(s));
                }
                Err(e) => {
                    let _ = refusal.try_set(Some(e));
                }
            }
            let _ = focus.try_update(|n| *n += 1);
        });
    });
    let has_session = move || session.with(Option::is_some);
    // The panel follows the shipment's status, not every scan.
    let status = Memo::new(move |_| session.with(|s| s.as_ref().map(|s| s.shipment.status)));
    view! {
        <section class="card" aria-labelledby="pack-title">
            <div class="card-header">
                <h2 id="pack-title">"Pack station"</h2>
                <Show when=has_session>
                    <button
                        type="button"
                        class="btn btn-secondary btn-small"
                        on:click=move |_| {
                            session.set(None);
                            refusal.set(None);
                        }
                    >
                        "Next shipment"
                    </button>
                </Show>
            </div>
            <Show when=move || !has_session()>
                <ScanInput
                    id="pack-shipment-scan"
                    label="Scan a shipment"
                    on_scan=on_shipment
                    busy=busy
                    focus=focus
                    placeholder="Order number or put-wall slot label"
                />
                <Refusal error=refusal />
            </Show>
            {move || {
                session
                    .with(|s| s.as_ref().map(|s| (s.order_number.clone(), s.shipment.status, s.shipment.instructions.clone(), s.instructions.clone(), s.gift_message.clone())))
                    .map(|(number, status, json, texts, gift)| {
                        let mut notes = format::instructions(&json);
                        if notes.is_empty() {
                            notes = texts;
                        }
                        let key = number.clone();
                        view! {
                            <div class="pack-heading" data-order=key>
                                <h3>
                                    "Order " <code data-testid="pack-order">{number}</code>
                                </h3>
                                <ShipmentStatusBadge status=status />
                            </div>
                            {(!notes.is_empty() || gift.is_some())
                                .then(|| {
                                    view! {
                                        <div class="alert alert-info pack-instructions" data-testid="pack-instructions">
                                            <p>
                                                <strong>"Instructions"</strong>
                                            </p>
                                            <ul class="plain-list">
                                                {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                                                {gift.map(|g| view! { <li>{format!("Gift message: “{g}”")}</li> })}
                                            </ul>
                                        </div>
                                    }
                                })}
                        }
                    })
            }}
        </section>
        {move || match status.get() {
            Some(ShipmentStatus::Picked) => view! { <PackingPanel session=session /> }.into_any(),
            Some(ShipmentStatus::Packed) => view! { <LabelPanel session=session /> }.into_any(),
            Some(_) => view! { <PrintPanel session=session /> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// Scanning the units in, the packaging, and completing.
#[component]
fn PackingPanel(session: RwSignal<Option<PackSession>>) -> impl IntoView {
    let auth = use_auth();
    let busy = RwSignal::new(false);
    let refusal = RwSignal::new(None::<ApiError>);
    let focus = RwSignal::new(0u32);
    let packagings = RwSignal::new(Vec::<Packaging>::new());
    let packaging = RwSignal::new(String::new());
    let weight = RwSignal::new(String::new());
    spawn_local(async move {
        if let Ok(list) = auth
            .call(|token| async move { ops::packagings(&token).await })
            .await
        {
            let containers = list
                .into_iter()
                .filter(|p| {
                    p.active && matches!(p.kind, PackagingKind::Carton | PackagingKind::MailerBag)
                })
                .collect();
            let _ = packagings.try_set(containers);
        }
    });
    let shipment_id = move || {
        session.with_untracked(|s| {
            s.as_ref()
                .map(|s| s.shipment.id.clone())
                .unwrap_or_default()
        })
    };
    // A scan or an unscan: the answer replaces the session; a refusal changes nothing.
    let scan = move |code: String, unscan: bool| {
        let id = shipment_id();
        busy.set(true);
        refusal.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, code) = (id.clone(), code.clone());
                    async move { ops::pack_scan(&token, &id, &code, unscan).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(s) => {
                    let _ = session.try_set(Some(s));
                }
                Err(e) => {
                    let _ = refusal.try_set(Some(e));
                }
            }
            let _ = focus.try_update(|n| *n += 1);
        });
    };
    let on_scan = Callback::new(move |code: String| scan(code, false));
    let complete = move |_| {
        let id = shipment_id();
        let chosen = Some(packaging.get_untracked()).filter(|p| !p.is_empty());
        let typed = weight.get_untracked();
        let grams = match typed.trim() {
            "" => None,
            t => match t.parse::<i32>() {
                Ok(g) => Some(g),
                Err(_) => {
                    refusal.set(crate::components::form::local_problems(vec![
                        orderly_shared::FieldProblem::new(
                            "weightG",
                            "NOT_A_NUMBER",
                            "Enter the weight in whole grams.",
                        ),
                    ]));
                    return;
                }
            },
        };
        busy.set(true);
        refusal.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, chosen) = (id.clone(), chosen.clone());
                    async move { ops::complete_packing(&token, &id, chosen, grams).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(shipment) => {
                    let _ = session.try_update(|s| {
                        if let Some(s) = s {
                            s.shipment = shipment;
                        }
                    });
                }
                Err(e) => {
                    let _ = refusal.try_set(Some(e));
                    let _ = focus.try_update(|n| *n += 1);
                }
            }
        });
    };
    let message = move || session.with(|s| s.as_ref().and_then(|s| s.message.clone()));
    let ready = move || session.with(|s| s.as_ref().is_some_and(|s| s.complete));
    view! {
        <section class="card" aria-labelledby="pack-items-title">
            <div class="card-header">
                <h2 id="pack-items-title">"Items"</h2>
                <span class="muted" data-testid="pack-ready">
                    {move || if ready() { "Every unit scanned" } else { "Scan every unit" }}
                </span>
            </div>
            <ScanInput id="pack-item-scan" label="Scan an item" on_scan=on_scan busy=busy focus=focus placeholder="Item barcode" />
            <Refusal error=refusal />
            {move || message().map(|m| view! { <p class="scan-said" role="status" data-testid="scan-said">{m}</p> })}
            <div class="table-wrap">
                <table class="table" aria-label="Items to pack">
                    <thead>
                        <tr>
                            <th scope="col">"SKU"</th>
                            <th scope="col">"Item"</th>
                            <th scope="col" class="num">"Expected"</th>
                            <th scope="col" class="num">"Packed"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            session
                                .with(|s| s.as_ref().map(|s| s.lines.clone()).unwrap_or_default())
                                .into_iter()
                                .map(|l| {
                                    let sku = l.sku.clone();
                                    let done = l.packed == l.expected;
                                    view! {
                                        <tr data-sku=l.sku.clone() class:row-done=done>
                                            <td>
                                                <code>{l.sku.clone()}</code>
                                            </td>
                                            <td>
                                                {l.name}
                                                {l.fragile.then(|| view! { <span class="flag flag-fragile">"FRAGILE"</span> })}
                                                {l.liquid.then(|| view! { <span class="flag flag-liquid">"LIQUID"</span> })}
                                            </td>
                                            <td class="num">{l.expected}</td>
                                            <td class="num" data-testid="packed">{l.packed}</td>
                                            <td>
                                                {(l.packed > 0)
                                                    .then(|| {
                                                        view! {
                                                            <button
                                                                type="button"
                                                                class="btn btn-secondary btn-small"
                                                                disabled=busy
                                                                on:click=move |_| scan(sku.clone(), true)
                                                            >
                                                                "Take one out"
                                                            </button>
                                                        }
                                                    })}
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="packaging-title">
            <h2 id="packaging-title">"Packaging"</h2>
            {move || {
                session
                    .with(|s| s.as_ref().map(|s| (s.suggestion.clone(), s.suggestion_problem.clone())))
                    .map(|(suggestion, problem)| match suggestion {
                        Some(g) => {
                            view! {
                                <div class="suggestion" data-testid="suggestion">
                                    <p class="suggestion-main">
                                        "Use " <strong data-testid="suggested-container">{g.container.clone()}</strong>
                                        {(!g.extras.is_empty()).then(|| format!(" with {}", g.extras.join(", ")))}
                                    </p>
                                    <p class="muted">
                                        {format!("{} packed · packaging {}", floor::grams(g.packed_weight_g), format::money(&g.total_cost))}
                                    </p>
                                    <ul class="plain-list">
                                        {g.reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                                    </ul>
                                </div>
                            }
                                .into_any()
                        }
                        None => {
                            view! {
                                <p class="alert alert-error" role="alert">
                                    {problem.unwrap_or_else(|| "Nothing in the packaging catalogue fits.".into())}
                                </p>
                            }
                                .into_any()
                        }
                    })
            }}
            <div class="form-grid">
                <div class="field">
                    <label for="pack-packaging">"Pack in"</label>
                    <select id="pack-packaging" on:change=move |ev| packaging.set(event_target_value(&ev))>
                        <option value="">"The suggested packaging"</option>
                        {move || {
                            packagings
                                .get()
                                .into_iter()
                                .map(|p| view! { <option value=p.code.clone()>{format!("{} — {}", p.code, p.name)}</option> })
                                .collect_view()
                        }}
                    </select>
                    <p class="hint">"Override the suggestion; the server checks that it fits."</p>
                </div>
                <div class="field">
                    <label for="pack-weight">"Weighed (g, optional)"</label>
                    <input id="pack-weight" type="number" min="1" autocomplete="off" bind:value=weight />
                    <p class="hint">"Without it: the items plus the packaging."</p>
                </div>
                <div class="form-actions">
                    <button type="button" class="btn btn-primary" disabled=busy on:click=complete>
                        "Complete packing"
                    </button>
                </div>
            </div>
        </section>
    }
}

/// Booking a packed shipment: the carrier options with their reasons, and the label.
#[component]
fn LabelPanel(session: RwSignal<Option<PackSession>>) -> impl IntoView {
    let auth = use_auth();
    let options = RwSignal::new(None::<CarrierOptions>);
    let error = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<ApiError>);
    let choice = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let shipment_id = move || {
        session.with_untracked(|s| {
            s.as_ref()
                .map(|s| s.shipment.id.clone())
                .unwrap_or_default()
        })
    };
    let id = shipment_id();
    spawn_local(async move {
        let result = auth
            .call(|token| {
                let id = id.clone();
                async move { ops::carrier_options(&token, &id).await }
            })
            .await;
        match result {
            Ok(o) => {
                let _ = options.try_set(Some(o));
            }
            Err(e) => {
                let _ = error.try_set(Some(e.message));
            }
        }
    });
    let create = move |_| {
        let id = shipment_id();
        let picked = choice
            .get_untracked()
            .split_once('/')
            .map(|(c, s)| (c.to_string(), s.to_string()));
        busy.set(true);
        refusal.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, picked) = (id.clone(), picked.clone());
                    async move { ops::create_label(&token, &id, picked).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(shipment) => {
                    let _ = session.try_update(|s| {
                        if let Some(s) = s {
                            s.shipment = shipment;
                        }
                    });
                }
                Err(e) => {
                    let _ = refusal.try_set(Some(e));
                }
            }
        });
    };
    let packed = move || {
        session.with(|s| {
            s.as_ref().map(|s| {
                format!(
                    "Packed in {} · {}",
                    s.shipment.packaging_code.clone().unwrap_or_default(),
                    s.shipment
                        .packed_weight_g
                        .map(floor::grams)
                        .unwrap_or_default()
                )
            })
        })
    };
    view! {
        <section class="card" aria-labelledby="label-title">
            <div class="card-header">
                <h2 id="label-title">"Carrier and label"</h2>
                <span class="muted" data-testid="packed-in">{packed}</span>
            </div>
            <ErrorAlert message=error />
            {move || {
                options
                    .get()
                    .map(|o| {
                        let facts = format!(
                            "{}{}{}",
                            floor::grams(o.weight_g),
                            o.cod.as_ref().map(|c| format!(" · cash on delivery {}", format::money(c))).unwrap_or_default(),
                            o.promised_in_days.map(|d| format!(" · promised in {d} days")).unwrap_or_default()
                        );
                        view! {
                            <p class="muted">{facts}</p>
                            {o.problem.map(|p| view! { <p class="alert alert-error" role="alert">{p}</p> })}
                            <fieldset class="field choice-group carrier-choice">
                                <legend>"Carrier service"</legend>
                                <label class="check">
                                    <input type="radio" name="carrier-choice" value="" prop:checked=move || choice.get().is_empty() on:change=move |_| choice.set(String::new()) />
                                    <span>
                                        {match (&o.carrier_code, &o.service_code) {
                                            (Some(c), Some(s)) => format!("Recommended: {c} {s}"),
                                            _ => "Recommended".to_string(),
                                        }}
                                    </span>
                                </label>
                                {o.candidates
                                    .into_iter()
                                    .map(|c| {
                                        let value = format!("{}/{}", c.carrier_code, c.service_code);
                                        let v = value.clone();
                                        let key = value.clone();
                                        let shown = value.clone();
                                        let checked = move || choice.get() == v;
                                        let price = c.price.as_ref().map(format::money).unwrap_or_else(|| "—".into());
                                        view! {
                                            <label class="check candidate" class:candidate-chosen=c.chosen data-carrier=key>
                                                <input type="radio" name="carrier-choice" value=shown prop:checked=checked on:change=move |_| choice.set(value.clone()) />
                                                <span>
                                                    <strong>{format!("{} {}", c.carrier_code, c.service_code)}</strong>
                                                    {format!(" · {} days · {price}", c.sla_days)}
                                                    <span class="cell-secondary">{c.reason}</span>
                                                </span>
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        }
                    })
            }}
            <Refusal error=refusal />
            <div class="form-actions">
                <button type="button" class="btn btn-primary" disabled=busy on:click=create>
                    "Create label"
                </button>
            </div>
        </section>
    }
}

/// A labelled shipment: its carrier, tracking number and cost, and its documents.
#[component]
fn PrintPanel(session: RwSignal<Option<PackSession>>) -> impl IntoView {
    let shipment = move || session.with(|s| s.as_ref().map(|s| s.shipment.clone()));
    view! {
        {move || shipment().map(|s| view! { <Labelled shipment=s /> })}
    }
}

#[component]
fn Labelled(shipment: WarehouseShipment) -> impl IntoView {
    let invoice = format::wants_invoice(&shipment.instructions);
    let labelled = shipment.tracking_number.is_some();
    view! {
        <section class="card" aria-labelledby="labelled-title">
            <h2 id="labelled-title">"Label"</h2>
            <dl class="facts">
                <dt>"Carrier"</dt>
                <dd data-testid="label-carrier">
                    {format!(
                        "{} {}",
                        shipment.carrier.clone().unwrap_or_default(),
                        shipment.service_code.clone().unwrap_or_default(),
                    )}
                </dd>
                <dt>"Tracking number"</dt>
                <dd>
                    <code data-testid="tracking-number">{shipment.tracking_number.clone().unwrap_or_default()}</code>
                </dd>
                <dt>"Cost"</dt>
                <dd data-testid="label-cost">{shipment.shipping_cost.as_ref().map(format::money).unwrap_or_default()}</dd>
                <dt>"Packed"</dt>
                <dd>
                    {format!(
                        "{} · {}",
                        shipment.packaging_code.clone().unwrap_or_default(),
                        shipment.packed_weight_g.map(floor::grams).unwrap_or_default(),
                    )}
                </dd>
            </dl>
            <div class="actions">
                {labelled.then(|| view! { <DocumentButton document=Document::Label id=shipment.id.clone() label="Print label" /> })}
                {invoice.then(|| view! { <DocumentButton document=Document::Invoice id=shipment.id.clone() label="Print invoice" /> })}
            </div>
        </section>
    }
}
