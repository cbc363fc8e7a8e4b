//! The open cases, oldest first: what the customer asked for, which units, where the return
//! and the refund stand, and — for customer service, on a new case — approve or reject.

use crate::api::documents::Document;
use crate::api::ops;
use crate::api::types::AfterSalesCase;
use crate::components::feedback::{EmptyNote, ErrorAlert, SuccessAlert};
use crate::components::form::TextArea;
use crate::components::queue::follow_queue;
use crate::components::refresh::coalesced;
use crate::components::status::{
    LiveIndicator, LiveState, case_kind_label, case_reason_label, case_status_label,
    refund_status_label,
};
use crate::components::{Email, format};
use crate::pages::warehouse::DocumentButton;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::{CaseStatus, Operation};

/// Every status in which a case still needs someone.
pub const OPEN: [CaseStatus; 5] = [
    CaseStatus::Requested,
    CaseStatus::Approved,
    CaseStatus::AwaitingReturn,
    CaseStatus::Received,
    CaseStatus::Inspected,
];
/// Cases read at once; the queue is worked from the oldest.
const PAGE: u32 = 100;

#[component]
pub fn CasesSection(opened: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let roles = auth.roles();
    let with_refund = Operation::ReadRefunds.allows_any(&roles);
    let may_decide = Operation::DecideCases.allows_any(&roles);
    let cases = RwSignal::new(Vec::<AfterSalesCase>::new());
    let has_more = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let live = RwSignal::new(LiveState::Connecting);
    let reload = coalesced(move || async move {
        let result =
            auth.call(|token| async move {
                ops::after_sales_cases(&token, &OPEN, with_refund, PAGE).await
            })
            .await;
        match result {
            Ok(page) => {
                let _ = cases.try_set(page.nodes);
                let _ = has_more.try_set(page.page_info.has_next_page);
                let _ = error.try_set(None);
                let _ = loaded.try_set(true);
            }
            Err(e) => {
                let _ = error.try_set(Some(e.message));
            }
        }
    });
    Effect::new(move |_| {
        opened.track();
        reload();
    });
    follow_queue("AFTER_SALES", live, reload);
    let on_done = Callback::new(move |message: String| {
        notice.set(Some(message));
        reload();
    });
    view! {
        <section class="card" aria-labelledby="cases-title">
            <div class="card-header">
                <h2 id="cases-title">"Open cases"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="cases-count">
                        {move || {
                            let more = if has_more.get() { " (the oldest shown)" } else { "" };
                            format!("{} open{more}", cases.with(Vec::len))
                        }}
                    </span>
                    <LiveIndicator state=live />
                </div>
            </div>
            <SuccessAlert message=notice />
            <ErrorAlert message=error />
            <ul class="queue" aria-label="Open cases">
                <For each=move || cases.get() key=|c| c.clone() let(case)>
                    <CaseItem case=case may_decide=may_decide on_done=on_done />
                </For>
            </ul>
            <EmptyNote when=Signal::derive(move || loaded.get() && cases.with(Vec::is_empty)) text="No case is open. Cases appear here as customers come back." />
        </section>
    }
}

#[component]
fn CaseItem(case: AfterSalesCase, may_decide: bool, on_done: Callback<String>) -> impl IntoView {
    let title_id = format!("case-{}", case.id);
    let heading_id = title_id.clone();
    let (number, status) = (case.number.clone(), case.status.as_str());
    let decide = (may_decide && case.status == CaseStatus::Requested)
        .then(|| view! { <CaseDecision case=case.clone() on_done=on_done /> });
    let label = case.return_label_url.as_ref().map(|_| {
        view! { <DocumentButton document=Document::ReturnLabel id=case.id.clone() label="Return label" small=true /> }
    });
    let refund = case.refund.as_ref().map(|r| {
        format!(
            "Refund {}: {}",
            format::money(&case.refund_amount),
            refund_status_label(r.status)
        )
    });
    let lines = case
        .lines
        .iter()
        .map(|l| {
            let mut parts = vec![format!("{} × {}", l.sku, l.quantity)];
            if l.passed + l.scrapped + l.sent_back > 0 {
                parts.push(format!(
                    "passed {}, scrapped {}, sent back {}",
                    l.passed, l.scrapped, l.sent_back
                ));
            }
            view! { <li>{parts.join(" · ")}</li> }
        })
        .collect_view();
    view! {
        <li class="queue-item" data-case=number data-status=status>
            <article aria-labelledby=title_id>
                <header class="queue-item-header">
                    <div class="queue-item-who">
                        <h3 id=heading_id>{format!("Case {}", case.number)}</h3>
                        <span class="cell-primary">
                            {format!("{} · {}", case_reason_label(case.reason), case_kind_label(case.kind))}
                        </span>
                        <span class="cell-secondary">
                            "Order "
                            <A href=format!("/orders/{}", case.order_number)>{case.order_number.clone()}</A>
                            " · opened by "
                            <Email address=case.opened_by.clone() />
                            {format!(" · {} UTC", format::timestamp(&case.opened_at))}
                        </span>
                        {case.description.clone().map(|d| view! { <span class="cell-secondary">{format!("“{d}”")}</span> })}
                    </div>
                    <dl class="queue-facts">
                        <dt>"Status"</dt>
                        <dd>
                            <span class="badge" data-status=case.status.as_str() data-testid="case-status">
                                {case_status_label(case.status)}
                            </span>
                        </dd>
                        {case.return_tracking_number.clone().map(|t| view! {
                            <dt>"Return parcel"</dt>
                            <dd data-testid="case-return-tracking">
                                {format!("{} {t}", case.return_carrier.clone().unwrap_or_default())}
                            </dd>
                        })}
                        {refund.map(|r| view! { <dt>"Money"</dt><dd data-testid="case-refund">{r}</dd> })}
                    </dl>
                </header>
                <ul class="case-lines">{lines}</ul>
                {label}
                {case.decision_note.clone().map(|n| view! { <p class="muted">{format!("Note: {n}")}</p> })}
                {decide}
            </article>
        </li>
    }
}

/// Approve (a return gets its label) or reject (the reason is what the customer is told).
#[component]
fn CaseDecision(case: AfterSalesCase, on_done: Callback<String>) -> impl IntoView {
    let auth = use_auth();
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(case.id.clone());
    let number = StoredValue::new(case.number.clone());
    let act = move |approve: bool| {
        let text = note.get_untracked().trim().to_string();
        if !approve && text.is_empty() {
            error.set(Some(
                "Say why the case is rejected; the customer is told.".into(),
            ));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let id = id.get_value();
            let result = auth
                .call(|token| {
                    let (id, text) = (id.clone(), text.clone());
                    async move {
                        if approve {
                            let note = (!text.is_empty()).then_some(text);
                            ops::approve_case(&token, &id, note).await
                        } else {
                            ops::reject_case(&token, &id, &text).await
                        }
                    }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(c) => on_done.run(format!(
                    "Case {}: {}.",
                    number.get_value(),
                    case_status_label(c.status)
                )),
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    let field = format!("case-note-{}", case.id);
    view! {
        <div class="queue-actions">
            <TextArea id=field label="Note (the reason, to reject)" value=note errors=Signal::derive(Vec::new) />
            <ErrorAlert message=error />
            <div class="form-actions">
                <button type="button" class="btn btn-primary" disabled=busy on:click=move |_| act(true)>"Approve case"</button>
                <button type="button" class="btn btn-danger" disabled=busy on:click=move |_| act(false)>"Reject case"</button>
            </div>
        </div>
    }
}
