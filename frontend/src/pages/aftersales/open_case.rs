//! Opening a case: find the order by number, say why the customer came back and what they get,
//! and which units of which lines. The server checks the rest (delivered, the return window,
//! quantities not already in a case) and its sentence is shown as it is.

use crate::api::ops;
use crate::api::types::{CaseLineInput, CaseOrder, OpenCaseInput};
use crate::components::feedback::{ErrorAlert, SuccessAlert};
use crate::components::form::{TextArea, TextField};
use crate::components::status::{case_kind_label, case_reason_label, order_status_label};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{CaseKind, CaseReason};

#[component]
pub fn OpenCaseSection(opened: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let number = RwSignal::new(String::new());
    let found = RwSignal::new(None::<CaseOrder>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let wanted = number.get_untracked().trim().to_uppercase();
        if wanted.is_empty() {
            error.set(Some("Type the order number.".into()));
            return;
        }
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let wanted = wanted.clone();
                    async move { ops::case_order(&token, &wanted).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(Some(order)) => {
                    let _ = found.try_set(Some(order));
                }
                Ok(None) => {
                    let _ = found.try_set(None);
                    let _ = error.try_set(Some(format!("There is no order numbered {wanted}.")));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    let on_opened = Callback::new(move |message: String| {
        found.set(None);
        number.set(String::new());
        notice.set(Some(message));
        opened.update(|n| *n += 1);
    });

    view! {
        <section class="card" aria-labelledby="open-case-title">
            <h2 id="open-case-title">"Open a case"</h2>
            <form class="inline-form" on:submit=find>
                <TextField id="case-order" label="Order number" value=number errors=Signal::derive(Vec::new) placeholder="OR…" />
                <button type="submit" class="btn btn-secondary" disabled=busy>"Find order"</button>
            </form>
            <ErrorAlert message=error />
            <SuccessAlert message=notice />
            {move || found.get().map(|order| view! { <CaseForm order=order on_opened=on_opened /> })}
        </section>
    }
}

/// The case form for a found order: one quantity per line (zero leaves the line out).
#[component]
fn CaseForm(order: CaseOrder, on_opened: Callback<String>) -> impl IntoView {
    let auth = use_auth();
    let reason = RwSignal::new(CaseReason::WrongItem);
    let kind = RwSignal::new(CaseKind::ReturnAndRefund);
    let description = RwSignal::new(String::new());
    let payout = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let quantities: Vec<(String, RwSignal<String>)> = order
        .lines
        .iter()
        .map(|l| (l.id.clone(), RwSignal::new(String::new())))
        .collect();
    let quantities = StoredValue::new(quantities);
    let order_id = order.id.clone();

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut lines = Vec::new();
        for (id, text) in quantities.get_value() {
            let text = text.get_untracked();
            match text.trim() {
                "" | "0" => {}
                t => match t.parse::<i64>() {
                    Ok(q) if q > 0 => lines.push(CaseLineInput {
                        order_line_id: id,
                        quantity: q,
                    }),
                    _ => {
                        error.set(Some(format!("“{t}” is not a number of units.")));
                        return;
                    }
                },
            }
        }
        if lines.is_empty() {
            error.set(Some(
                "Give the number of units for at least one line.".into(),
            ));
            return;
        }
        let text = |s: RwSignal<String>| {
            let t = s.get_untracked().trim().to_string();
            (!t.is_empty()).then_some(t)
        };
        let input = OpenCaseInput {
            order_id: order_id.clone(),
            reason: reason.get_untracked(),
            kind: kind.get_untracked(),
            lines,
            description: text(description),
            payout_reference: text(payout),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::open_case(&token, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(case) => on_opened.run(format!(
                    "Case {} opened for order {}.",
                    case.number, case.order_number
                )),
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };

    let lines = order
        .lines
        .iter()
        .zip(quantities.get_value())
        .map(|(line, (_, quantity))| {
            let id = format!("case-qty-{}", line.sku);
            let label = format!("{} · {} (ordered {})", line.sku, line.name, line.quantity);
            view! {
                <TextField id=id label=label value=quantity errors=Signal::derive(Vec::new) input_type="number" placeholder="0" />
            }
        })
        .collect_view();
    view! {
        <form class="case-form" on:submit=submit aria-label="New case">
            <p class="muted">
                {format!("Order {} · {}", order.number, order_status_label(order.status))}
            </p>
            <div class="form-grid">
                <div class="field">
                    <label for="case-reason">"Reason"</label>
                    <select id="case-reason" on:change=move |ev| {
                        if let Some(r) = CaseReason::parse(&event_target_value(&ev)) {
                            reason.set(r);
                        }
                    }>
                        {CaseReason::ALL
                            .iter()
                            .map(|r| view! { <option value=r.as_str() selected=*r == reason.get_untracked()>{case_reason_label(*r)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="case-kind">"The customer gets"</label>
                    <select id="case-kind" on:change=move |ev| {
                        if let Some(k) = CaseKind::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }>
                        {CaseKind::ALL
                            .iter()
                            .map(|k| view! { <option value=k.as_str() selected=*k == kind.get_untracked()>{case_kind_label(*k)}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="case-lines">
                <legend>"Units in the case"</legend>
                {lines}
            </fieldset>
            <TextArea id="case-description" label="What the customer says" value=description errors=Signal::derive(Vec::new) />
            <TextField id="case-payout" label="Payout account (cash on delivery)" value=payout errors=Signal::derive(Vec::new) hint="The bank account or wallet the refund goes to; only for cash-on-delivery orders." />
            <ErrorAlert message=error />
            <button type="submit" class="btn btn-primary" disabled=busy>"Open case"</button>
        </form>
    }
}
