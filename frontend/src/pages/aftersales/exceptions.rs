//! The open delivery exceptions, oldest first: what the carrier reported, the parcel, the order
//! and whom to call. The list follows the `EXCEPTIONS` work queue, so a task another agent
//! opens, works or closes shows here at once.

use super::exception_work::WorkPanel;
use crate::api::ops;
use crate::api::types::ExceptionTask;
use crate::components::feedback::{EmptyNote, ErrorAlert, SuccessAlert};
use crate::components::queue::follow_queue;
use crate::components::refresh::coalesced;
use crate::components::status::{
    LiveIndicator, LiveState, ShipmentStatusBadge, exception_source_label,
};
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos_router::components::A;
use orderly_shared::Operation;

/// Tasks read at once; the queue is worked from the oldest.
const PAGE: u32 = 100;

#[component]
pub fn ExceptionQueue() -> impl IntoView {
    let auth = use_auth();
    let may_work = Operation::WorkExceptions.allows_any(&auth.roles());
    let tasks = RwSignal::new(Vec::<ExceptionTask>::new());
    let has_more = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let live = RwSignal::new(LiveState::Connecting);
    let reload = coalesced(move || async move {
        let result = auth
            .call(|token| async move { ops::open_exception_tasks(&token, PAGE).await })
            .await;
        match result {
            Ok(page) => {
                let _ = tasks.try_set(page.nodes);
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
    follow_queue("EXCEPTIONS", live, reload);
    // A contact recorded here shows at once; the queue event reads the list again anyway.
    let on_changed = Callback::new(move |task: ExceptionTask| {
        tasks.update(|list| {
            if let Some(slot) = list.iter_mut().find(|t| t.id == task.id) {
                *slot = task;
            }
        });
    });
    let on_resolved = Callback::new(move |message: String| {
        notice.set(Some(message));
        reload();
    });
    view! {
        <section class="card" aria-labelledby="exceptions-title">
            <div class="card-header">
                <h2 id="exceptions-title">"Delivery exceptions"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="exceptions-count">
                        {move || {
                            let more = if has_more.get() { " (the oldest shown)" } else { "" };
                            format!("{} open{more}", tasks.with(Vec::len))
                        }}
                    </span>
                    <LiveIndicator state=live />
                </div>
            </div>
            <SuccessAlert message=notice />
            <ErrorAlert message=error />
            // Keyed by id, so a task's open panel and half-typed note survive the list's reloads.
            <ul class="queue" aria-label="Open exceptions">
                <For each=move || tasks.get() key=|t| t.id.clone() let(task)>
                    <ExceptionItem
                        task=task
                        tasks=tasks
                        may_work=may_work
                        on_changed=on_changed
                        on_resolved=on_resolved
                    />
                </For>
            </ul>
            <EmptyNote
                when=Signal::derive(move || loaded.get() && tasks.with(Vec::is_empty))
                text="No delivery exception is open. Tasks appear here as carriers report problems."
            />
        </section>
    }
}

#[component]
fn ExceptionItem(
    task: ExceptionTask,
    tasks: RwSignal<Vec<ExceptionTask>>,
    may_work: bool,
    on_changed: Callback<ExceptionTask>,
    on_resolved: Callback<String>,
) -> impl IntoView {
    let id = task.id.clone();
    // The task as the latest read has it (contacts and the parcel's status move on).
    let current = Memo::new(move |_| tasks.with(|list| list.iter().find(|t| t.id == id).cloned()));
    let contacts = Signal::derive(move || {
        current.with(|t| t.as_ref().map(|t| t.contacts.clone()).unwrap_or_default())
    });
    let parcel_status = move || current.with(|t| t.as_ref().map(|t| t.shipment.status));
    let open = RwSignal::new(false);
    let title_id = format!("exception-{}", task.id);
    let heading_id = title_id.clone();
    let panel_id = format!("exception-panel-{}", task.id);
    let parcel = format!(
        "{} {}",
        task.shipment.carrier.clone().unwrap_or_default(),
        task.shipment.tracking_number.clone().unwrap_or_default()
    );
    let customer = format!(
        "{} · {} · ",
        task.order.customer.name, task.order.customer.phone
    );
    let email = task.order.customer.email.clone();
    let number = task.order.number.clone();
    let (order_link, order_text) = (format!("/orders/{number}"), number.clone());
    let opened = format!(
        "{} · opened {} UTC",
        exception_source_label(task.source),
        format::timestamp(&task.opened_at)
    );
    let toggle_label = move || match (open.get(), may_work) {
        (true, _) => "Close",
        (false, true) => "Work on this task",
        (false, false) => "Show contacts",
    };
    let panel = StoredValue::new((panel_id.clone(), task.clone()));
    view! {
        <li
            class="queue-item"
            data-task=task.id.clone()
            data-order=number
            data-code=task.code.clone()
        >
            <article aria-labelledby=title_id>
                <header class="queue-item-header">
                    <div class="queue-item-who">
                        <h3 id=heading_id>{format::machine_name(&task.code)}</h3>
                        <span class="cell-primary" data-testid="exception-detail">{task.detail.clone()}</span>
                        <span class="cell-secondary">{opened}</span>
                    </div>
                    <dl class="queue-facts">
                        <dt>"Order"</dt>
                        <dd>
                            <A href=order_link>{order_text}</A>
                        </dd>
                        <dt>"Parcel"</dt>
                        <dd data-testid="exception-parcel">
                            {parcel}
                            " "
                            {move || parcel_status().map(|s| view! { <ShipmentStatusBadge status=s /> })}
                        </dd>
                        <dt>"Customer"</dt>
                        <dd data-testid="exception-customer">
                            {customer}
                            <Email address=email />
                        </dd>
                        <dt>"Contacts"</dt>
                        <dd data-testid="exception-contacts">{move || contacts.with(Vec::len)}</dd>
                    </dl>
                </header>
                <div class="form-actions">
                    <button
                        type="button"
                        class="btn btn-secondary btn-small"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=panel_id.clone()
                        on:click=move |_| open.update(|o| *o = !*o)
                    >
                        {toggle_label}
                    </button>
                </div>
                <Show when=move || open.get()>
                    <WorkPanel
                        id=panel.get_value().0
                        task=panel.get_value().1
                        contacts=contacts
                        may_work=may_work
                        on_changed=on_changed
                        on_resolved=on_resolved
                    />
                </Show>
            </article>
        </li>
    }
}
