//! The webhook delivery log, newest first: every event sent to a partner, where it stands, each
//! attempt with the endpoint's answer, and sending one again. The server has no live feed of
//! deliveries, so the log is read again on "Refresh" (and after a resend).

use super::PAGE;
use crate::api::ops;
use crate::api::types::{WebhookAttempt, WebhookDelivery, WebhookDeliveryFilter, WebhookEndpoint};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore, SuccessAlert};
use crate::components::format;
use crate::components::paged::Paged;
use crate::components::status::{
    WebhookDeliveryBadge, webhook_delivery_status_label, webhook_event_label,
};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::WebhookDeliveryStatus;

/// Columns of the log, for the attempt log's row beneath a delivery.
const COLUMNS: &str = "7";

#[component]
pub fn DeliveriesSection(endpoints: Paged<WebhookEndpoint>) -> impl IntoView {
    let auth = use_auth();
    // "" means every endpoint / every status.
    let endpoint = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let deliveries = Paged::new(
        |d: &WebhookDelivery| d.id.as_str(),
        move |after| {
            let filter = WebhookDeliveryFilter {
                endpoint_id: Some(endpoint.get_untracked()).filter(|e| !e.is_empty()),
                status: WebhookDeliveryStatus::parse(&status.get_untracked()).map(|s| vec![s]),
            };
            async move {
                auth.call(|token| {
                    let (after, filter) = (after.clone(), filter.clone());
                    async move { ops::webhook_deliveries(&token, PAGE, after, &filter).await }
                })
                .await
            }
        },
    );
    deliveries.reload();
    // The delivery whose attempts are shown (it stays open across refreshes).
    let expanded = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let resend = Callback::new(move |id: String| {
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::resend_webhook_delivery(&token, &id).await }
                })
                .await;
            match result {
                Ok(d) => {
                    let _ = error.try_set(None);
                    let _ = notice.try_set(Some(format!(
                        "Event {} is sent again now.",
                        format::short_id(&d.event_id)
                    )));
                    deliveries.upsert(d);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    });
    let url_of = move |id: &str| {
        endpoints
            .rows
            .with(|list| list.iter().find(|e| e.id == id).map(|e| e.url.clone()))
            .unwrap_or_else(|| format::short_id(id))
    };
    view! {
        <section class="card" aria-labelledby="webhook-deliveries-title">
            <div class="card-header">
                <h2 id="webhook-deliveries-title">"Delivery log"</h2>
                <button
                    type="button"
                    class="btn btn-small btn-secondary"
                    disabled=move || deliveries.loading.get()
                    on:click=move |_| deliveries.reload()
                >
                    "Refresh"
                </button>
            </div>
            <div class="filters filters-compact" role="search" aria-label="Delivery filters">
                <div class="field">
                    <label for="delivery-endpoint">"Endpoint"</label>
                    <select
                        id="delivery-endpoint"
                        prop:value=move || endpoint.get()
                        on:change=move |ev| {
                            endpoint.set(event_target_value(&ev));
                            deliveries.reload();
                        }
                    >
                        <option value="">"Every endpoint"</option>
                        {move || {
                            endpoints
                                .rows
                                .get()
                                .into_iter()
                                .map(|e| view! { <option value=e.id.clone()>{format!("{} — {}", e.channel, e.url)}</option> })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="delivery-status">"Status"</label>
                    <select
                        id="delivery-status"
                        prop:value=move || status.get()
                        on:change=move |ev| {
                            status.set(event_target_value(&ev));
                            deliveries.reload();
                        }
                    >
                        <option value="">"Every status"</option>
                        {WebhookDeliveryStatus::ALL
                            .iter()
                            .map(|s| view! { <option value=s.as_str()>{webhook_delivery_status_label(*s)}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <SuccessAlert message=notice />
            <ErrorAlert message=deliveries.error />
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Webhook deliveries">
                    <thead>
                        <tr>
                            <th scope="col">"Created (UTC)"</th>
                            <th scope="col">"Event"</th>
                            <th scope="col">"Endpoint"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col" class="num">"Attempts"</th>
                            <th scope="col">"Last answer"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <For each=move || deliveries.rows.get() key=|d| d.clone() let(delivery)>
                        <DeliveryRows
                            url=Signal::derive({
                                let id = delivery.endpoint_id.clone();
                                move || url_of(&id)
                            })
                            delivery=delivery
                            expanded=expanded
                            on_resend=resend
                        />
                    </For>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || deliveries.is_empty()) text="Nothing was sent yet." />
            <LoadMore has_more=deliveries.has_more loading=deliveries.loading on_load=Callback::new(move |()| deliveries.more()) />
        </section>
    }
}

/// A delivery's row, and under it (when opened) its attempts and payload.
#[component]
fn DeliveryRows(
    delivery: WebhookDelivery,
    /// The endpoint's address, once the endpoints are read.
    url: Signal<String>,
    expanded: RwSignal<Option<String>>,
    on_resend: Callback<String>,
) -> impl IntoView {
    let id = StoredValue::new(delivery.id.clone());
    let open = move || expanded.with(|e| e.as_deref() == Some(id.get_value().as_str()));
    let toggle = move |_| {
        let mine = id.get_value();
        expanded.update(|e| {
            *e = if e.as_deref() == Some(&mine) {
                None
            } else {
                Some(mine)
            }
        });
    };
    let last = match (&delivery.last_response_status, &delivery.last_error) {
        (Some(code), _) => format!("HTTP {code}"),
        (None, Some(error)) => error.clone(),
        (None, None) => "—".to_string(),
    };
    let when = match (&delivery.delivered_at, &delivery.next_attempt_at) {
        (Some(at), _) => format!("delivered {}", format::timestamp_seconds(at)),
        (None, Some(at)) => format!("next try {}", format::timestamp_seconds(at)),
        (None, None) => String::new(),
    };
    let attempts = delivery.attempt_log.clone();
    let payload = delivery.payload.clone();
    view! {
        <tbody data-delivery=delivery.id.clone() data-status=delivery.status.as_str()>
            <tr>
                <td class="nowrap">{format::timestamp_seconds(&delivery.created_at)}</td>
                <td>
                    {webhook_event_label(delivery.event_type)}
                    <span class="cell-secondary" title=delivery.event_id.clone()>
                        {format!(" event {}", format::short_id(&delivery.event_id))}
                    </span>
                </td>
                <td>
                    <code>{move || url.get()}</code>
                </td>
                <td>
                    <WebhookDeliveryBadge status=delivery.status />
                    <span class="cell-secondary">{format!(" {when}")}</span>
                </td>
                <td class="num">{delivery.attempts}</td>
                <td>{last}</td>
                <td>
                    <div class="actions">
                        <button type="button" class="btn btn-small btn-secondary" aria-expanded=move || open().to_string() on:click=toggle>
                            "Attempts"
                        </button>
                        <button type="button" class="btn btn-small btn-secondary" on:click=move |_| on_resend.run(id.get_value())>
                            "Resend"
                        </button>
                    </div>
                </td>
            </tr>
            <Show when=open>
                <tr class="edit-row">
                    <td colspan=COLUMNS>
                        <AttemptLog attempts=attempts.clone() />
                        <details>
                            <summary>"Payload"</summary>
                            <pre>{payload.clone()}</pre>
                        </details>
                    </td>
                </tr>
            </Show>
        </tbody>
    }
}

#[component]
fn AttemptLog(attempts: Vec<WebhookAttempt>) -> impl IntoView {
    if attempts.is_empty() {
        return view! { <p class="muted">"Not attempted yet."</p> }.into_any();
    }
    view! {
        <table class="table" aria-label="Attempts">
            <thead>
                <tr>
                    <th scope="col" class="num">"Attempt"</th>
                    <th scope="col">"At (UTC)"</th>
                    <th scope="col">"Response"</th>
                    <th scope="col">"Error"</th>
                    <th scope="col" class="num">"Duration"</th>
                </tr>
            </thead>
            <tbody>
                {attempts
                    .into_iter()
                    .map(|a| {
                        view! {
                            <tr>
                                <td class="num">{a.attempt}</td>
                                <td class="nowrap">{format::timestamp_seconds(&a.at)}</td>
                                <td>{a.response_status.map(|s| format!("HTTP {s}")).unwrap_or_else(|| "—".into())}</td>
                                <td>{a.error.unwrap_or_else(|| "—".into())}</td>
                                <td class="num">{format!("{} ms", a.duration_ms)}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
