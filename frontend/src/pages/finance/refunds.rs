//! The refund queue: what is owed, to whom, why and who asked — with approve, reject and retry.

use crate::api::ops;
use crate::api::types::Refund;
use crate::components::feedback::{EmptyNote, ErrorAlert, SuccessAlert};
use crate::components::form::TextArea;
use crate::components::queue::follow_queue;
use crate::components::refresh::coalesced;
use crate::components::status::{LiveIndicator, LiveState, refund_status_label};
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::{Operation, RefundStatus};

/// Refunds that still need finance: undecided, approved and not yet paid, or failed.
const WAITING: [RefundStatus; 3] = [
    RefundStatus::Requested,
    RefundStatus::Approved,
    RefundStatus::Failed,
];
const PAGE: u32 = 100;

#[component]
pub fn RefundQueue() -> impl IntoView {
    let auth = use_auth();
    let may_decide = Operation::DecideRefunds.allows_any(&auth.roles());
    let refunds = RwSignal::new(Vec::<Refund>::new());
    let has_more = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let live = RwSignal::new(LiveState::Connecting);
    let reload = coalesced(move || async move {
        let result = auth
            .call(|token| async move { ops::refunds(&token, &WAITING, PAGE).await })
            .await;
        match result {
            Ok(page) => {
                let _ = refunds.try_set(page.nodes);
                let _ = has_more.try_set(page.page_info.has_next_page);
                let _ = error.try_set(None);
                let _ = loaded.try_set(true);
            }
            Err(e) => {
                let _ = error.try_set(Some(e.message));
            }
        }
    });
    reload();
    follow_queue("REFUNDS", live, reload);
    let on_done = Callback::new(move |message: String| {
        notice.set(Some(message));
        reload();
    });
    view! {
        <section class="card" aria-labelledby="refunds-title">
            <div class="card-header">
                <h2 id="refunds-title">"Refunds"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="refunds-count">
                        {move || {
                            let more = if has_more.get() { " (the oldest shown)" } else { "" };
                            format!("{} waiting{more}", refunds.with(Vec::len))
                        }}
                    </span>
                    <LiveIndicator state=live />
                </div>
            </div>
            <SuccessAlert message=notice />
            <ErrorAlert message=error />
            <ul class="queue" aria-label="Refunds waiting">
                <For each=move || refunds.get() key=|r| r.clone() let(refund)>
                    <RefundItem refund=refund may_decide=may_decide on_done=on_done />
                </For>
            </ul>
            <EmptyNote when=Signal::derive(move || loaded.get() && refunds.with(Vec::is_empty)) text="No refund is waiting. Refunds appear here as they are requested." />
        </section>
    }
}

#[component]
fn RefundItem(refund: Refund, may_decide: bool, on_done: Callback<String>) -> impl IntoView {
    let title_id = format!("refund-{}", refund.id);
    let heading_id = title_id.clone();
    let (id, number) = (refund.id.clone(), refund.order.number.clone());
    let href = format!("/orders/{number}");
    let link_text = number.clone();
    let approvals = match (refund.approvals_needed, &refund.first_approved_by) {
        (2, Some(first)) => format!("Second approval needed (first: {first})"),
        (2, None) => "Two approvals needed".to_string(),
        _ => "One approval".to_string(),
    };
    let actions =
        may_decide.then(|| view! { <RefundActions refund=refund.clone() on_done=on_done /> });
    view! {
        <li class="queue-item" data-refund=id data-order=number>
            <article aria-labelledby=title_id>
                <header class="queue-item-header">
                    <div class="queue-item-who">
                        <h3 id=heading_id>
                            "Order "
                            <A href=href>{link_text}</A>
                        </h3>
                        <span class="cell-primary">{refund.reason.clone()}</span>
                        <span class="cell-secondary">
                            "Requested by "
                            <Email address=refund.requested_by.clone() />
                            {format!(" · {} UTC", format::timestamp(&refund.requested_at))}
                        </span>
                        {refund.payout_reference.clone().map(|p| view! { <span class="cell-secondary">{format!("Pay to {p}")}</span> })}
                        {refund.failure_reason.clone().map(|f| view! {
                            <span class="cell-secondary field-error">
                                {format!("Last attempt ({} so far): {f}", refund.attempts)}
                            </span>
                        })}
                    </div>
                    <dl class="queue-facts">
                        <dt>"Amount"</dt>
                        <dd data-testid="refund-amount">{format::money(&refund.amount)}</dd>
                        <dt>"Status"</dt>
                        <dd>
                            <span class="badge" data-status=refund.status.as_str() data-testid="refund-status">
                                {refund_status_label(refund.status)}
                            </span>
                        </dd>
                        <dt>"Approval"</dt>
                        <dd>{approvals}</dd>
                    </dl>
                </header>
                {actions}
            </article>
        </li>
    }
}

/// Approve or reject a requested refund; retry a failed payout.
#[component]
fn RefundActions(refund: Refund, on_done: Callback<String>) -> impl IntoView {
    let auth = use_auth();
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(refund.id.clone());
    let number = StoredValue::new(refund.order.number.clone());
    #[derive(Clone, Copy)]
    enum Act {
        Approve,
        Reject,
        Retry,
    }
    let act = move |what: Act| {
        let text = note.get_untracked().trim().to_string();
        if matches!(what, Act::Reject) && text.is_empty() {
            error.set(Some("Say why the refund is rejected.".into()));
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
                        match what {
                            Act::Approve => {
                                let note = (!text.is_empty()).then_some(text);
                                ops::approve_refund(&token, &id, note).await
                            }
                            Act::Reject => ops::reject_refund(&token, &id, &text).await,
                            Act::Retry => ops::retry_refund(&token, &id).await,
                        }
                    }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(r) => on_done.run(format!(
                    "Refund for order {}: {}.",
                    number.get_value(),
                    refund_status_label(r.status)
                )),
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    let field = format!("refund-note-{}", refund.id);
    match refund.status {
        RefundStatus::Requested => view! {
            <div class="queue-actions">
                <TextArea id=field label="Note (the reason, to reject)" value=note errors=Signal::derive(Vec::new) />
                <ErrorAlert message=error />
                <div class="form-actions">
                    <button type="button" class="btn btn-primary" disabled=busy on:click=move |_| act(Act::Approve)>"Approve refund"</button>
                    <button type="button" class="btn btn-danger" disabled=busy on:click=move |_| act(Act::Reject)>"Reject refund"</button>
                </div>
            </div>
        }
        .into_any(),
        RefundStatus::Failed => view! {
            <div class="queue-actions">
                <ErrorAlert message=error />
                <button type="button" class="btn btn-secondary" disabled=busy on:click=move |_| act(Act::Retry)>"Retry payout"</button>
            </div>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
