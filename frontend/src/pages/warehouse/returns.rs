//! Returns: scan a returned parcel's tracking number to receive it, then scan each unit and
//! give its verdict — pass (back into stock through the ledger), scrap or send back, with a
//! note. The parcels on their way back and those received but not yet inspected are listed,
//! live, so work left half done can be picked up again.

use crate::api::ops;
use crate::api::types::AfterSalesCase;
use crate::components::feedback::{EmptyNote, ErrorAlert, SuccessAlert};
use crate::components::form::{TextArea, TextField};
use crate::components::queue::follow_queue;
use crate::components::refresh::coalesced;
use crate::components::status::{LiveIndicator, LiveState, case_status_label};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{CaseStatus, InspectionVerdict};

const EXPECTED: [CaseStatus; 2] = [CaseStatus::AwaitingReturn, CaseStatus::Received];
const PAGE: u32 = 100;

fn verdict_label(v: InspectionVerdict) -> &'static str {
    match v {
        InspectionVerdict::Pass => "Pass: back into stock",
        InspectionVerdict::Scrap => "Scrap",
        InspectionVerdict::SendBack => "Send back to the customer",
    }
}

#[component]
pub fn ReturnsSections() -> impl IntoView {
    let auth = use_auth();
    let tracking = RwSignal::new(String::new());
    // The case being inspected.
    let current = RwSignal::new(None::<AfterSalesCase>);
    let expected = RwSignal::new(Vec::<AfterSalesCase>::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let live = RwSignal::new(LiveState::Connecting);
    let reload = coalesced(move || async move {
        let result = auth
            .call(
                |token| async move { ops::after_sales_cases(&token, &EXPECTED, false, PAGE).await },
            )
            .await;
        match result {
            Ok(page) => {
                let _ = expected.try_set(page.nodes);
                let _ = loaded.try_set(true);
            }
            Err(e) => {
                let _ = error.try_set(Some(e.message));
            }
        }
    });
    reload();
    follow_queue("AFTER_SALES", live, reload);

    let receive = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scanned = tracking.get_untracked().trim().to_string();
        if scanned.is_empty() {
            error.set(Some("Scan the return label's tracking number.".into()));
            return;
        }
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let scanned = scanned.clone();
                    async move { ops::receive_return(&token, &scanned).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(case) => {
                    let _ = notice.try_set(Some(format!(
                        "Received the return of case {} (order {}).",
                        case.number, case.order_number
                    )));
                    let _ = current.try_set(Some(case));
                    let _ = tracking.try_set(String::new());
                    reload();
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    let on_inspected = Callback::new(move |case: AfterSalesCase| {
        if case.status == CaseStatus::Inspected || case.status == CaseStatus::Resolved {
            notice.set(Some(format!(
                "Case {} is inspected; the refund goes to finance.",
                case.number
            )));
        }
        current.set(Some(case));
        reload();
    });

    view! {
        <section class="card" aria-labelledby="receive-title">
            <div class="card-header">
                <h2 id="receive-title">"Receive a return"</h2>
                <LiveIndicator state=live />
            </div>
            <form class="inline-form" on:submit=receive>
                <TextField id="return-tracking" label="Return tracking number" value=tracking errors=Signal::derive(Vec::new) autocomplete="off" />
                <button type="submit" class="btn btn-primary" disabled=busy>"Receive"</button>
            </form>
            <ErrorAlert message=error />
            <SuccessAlert message=notice />
            {move || current.get().map(|case| view! { <Inspection case=case on_inspected=on_inspected /> })}
        </section>
        <section class="card" aria-labelledby="expected-title">
            <h2 id="expected-title">"Expected and unfinished returns"</h2>
            <div class="table-wrap">
                <table class="table" aria-label="Expected returns">
                    <thead>
                        <tr>
                            <th scope="col">"Case"</th>
                            <th scope="col">"Order"</th>
                            <th scope="col">"Tracking"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="num">"Units to inspect"</th>
                            <th scope="col"></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || expected.get() key=|c| c.clone() let(case)>
                            <ExpectedRow case=case current=current />
                        </For>
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || loaded.get() && expected.with(Vec::is_empty)) text="No return is on its way." />
        </section>
    }
}

#[component]
fn ExpectedRow(case: AfterSalesCase, current: RwSignal<Option<AfterSalesCase>>) -> impl IntoView {
    let units: i64 = case.lines.iter().map(|l| l.to_inspect).sum();
    let received = case.status == CaseStatus::Received;
    let pick = case.clone();
    view! {
        <tr data-case=case.number.clone()>
            <td>{case.number.clone()}</td>
            <td>{case.order_number.clone()}</td>
            <td>{case.return_tracking_number.clone().unwrap_or_default()}</td>
            <td>{case_status_label(case.status)}</td>
            <td class="num">{units}</td>
            <td>
                {received.then(|| view! {
                    <button type="button" class="btn btn-secondary btn-small" on:click=move |_| current.set(Some(pick.clone()))>
                        "Inspect"
                    </button>
                })}
            </td>
        </tr>
    }
}

/// The received case: the units still to inspect, and the form for the next one.
#[component]
fn Inspection(case: AfterSalesCase, on_inspected: Callback<AfterSalesCase>) -> impl IntoView {
    let auth = use_auth();
    let sku = RwSignal::new(String::new());
    let verdict = RwSignal::new(InspectionVerdict::Pass);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let case_id = StoredValue::new(case.id.clone());
    let left: i64 = case.lines.iter().map(|l| l.to_inspect).sum();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let scanned = sku.get_untracked().trim().to_string();
        if scanned.is_empty() {
            error.set(Some("Type or scan the unit's SKU.".into()));
            return;
        }
        let text = note.get_untracked().trim().to_string();
        let v = verdict.get_untracked();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let id = case_id.get_value();
            let result = auth
                .call(|token| {
                    let (id, scanned, text) = (id.clone(), scanned.clone(), text.clone());
                    async move {
                        let note = (!text.is_empty()).then_some(text);
                        ops::inspect_return(&token, &id, &scanned, v, note).await
                    }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(case) => on_inspected.run(case),
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    let lines = case
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr data-sku=l.sku.clone()>
                    <td>{l.sku.clone()}</td>
                    <td class="num">{l.quantity}</td>
                    <td class="num">{l.passed}</td>
                    <td class="num">{l.scrapped}</td>
                    <td class="num">{l.sent_back}</td>
                    <td class="num" data-testid="to-inspect">{l.to_inspect}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="inspection" data-case=case.number.clone()>
            <h3>{format!("Case {} · order {} · {}", case.number, case.order_number, case_status_label(case.status))}</h3>
            <table class="table" aria-label="Returned units">
                <thead>
                    <tr>
                        <th scope="col">"SKU"</th>
                        <th scope="col" class="num">"Returned"</th>
                        <th scope="col" class="num">"Passed"</th>
                        <th scope="col" class="num">"Scrapped"</th>
                        <th scope="col" class="num">"Sent back"</th>
                        <th scope="col" class="num">"To inspect"</th>
                    </tr>
                </thead>
                <tbody>{lines}</tbody>
            </table>
            {(left > 0 && case.status == CaseStatus::Received).then(|| view! {
                <form class="action-form" on:submit=submit aria-label="Inspect a unit">
                    <div class="form-grid">
                        <TextField id="inspect-sku" label="Unit SKU" value=sku errors=Signal::derive(Vec::new) autocomplete="off" />
                        <div class="field">
                            <label for="inspect-verdict">"Verdict"</label>
                            <select id="inspect-verdict" on:change=move |ev| {
                                if let Some(v) = InspectionVerdict::parse(&event_target_value(&ev)) {
                                    verdict.set(v);
                                }
                            }>
                                {InspectionVerdict::ALL
                                    .iter()
                                    .map(|v| view! { <option value=v.as_str()>{verdict_label(*v)}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                    </div>
                    <TextArea id="inspect-note" label="Note (what is wrong, for scrap or send back)" value=note errors=Signal::derive(Vec::new) />
                    <ErrorAlert message=error />
                    <button type="submit" class="btn btn-primary" disabled=busy>"Record verdict"</button>
                </form>
            })}
        </div>
    }
}
