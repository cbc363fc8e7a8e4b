//! Partners' webhook endpoints: the table, registering one (its signing secret is shown once)
//! and deactivating one.

use crate::api::types::{CreateWebhookEndpointInput, CreatedWebhookEndpoint, WebhookEndpoint};
use crate::api::{ApiError, ops};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore};
use crate::components::form::{FormError, TextField, field_errors};
use crate::components::paged::Paged;
use crate::components::secret::OneTimeSecret;
use crate::components::status::webhook_event_label;
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::WebhookEventType;

#[component]
pub fn EndpointsSection(endpoints: Paged<WebhookEndpoint>) -> impl IntoView {
    let auth = use_auth();
    // The endpoint asking "really deactivate?", if any.
    let confirming = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let deactivate = move |id: String| {
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::deactivate_webhook_endpoint(&token, &id).await }
                })
                .await;
            let _ = confirming.try_set(None);
            match result {
                Ok(endpoint) => {
                    let _ = error.try_set(None);
                    endpoints.upsert(endpoint);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="webhook-endpoints-title">
            <div class="card-header">
                <h2 id="webhook-endpoints-title">"Webhook endpoints"</h2>
            </div>
            <p class="muted">
                "Partners receive their channel's events at these addresses, signed with the endpoint's secret."
            </p>
            <RegisterForm on_created=Callback::new(move |e| endpoints.upsert(e)) />
            <ErrorAlert message=endpoints.error />
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Webhook endpoints">
                    <thead>
                        <tr>
                            <th scope="col">"Channel"</th>
                            <th scope="col">"URL"</th>
                            <th scope="col">"Events"</th>
                            <th scope="col">"Active"</th>
                            <th scope="col">"Registered (UTC)"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || endpoints.rows.get() key=|e| e.clone() let(endpoint)>
                            <EndpointRow endpoint=endpoint confirming=confirming on_deactivate=Callback::new(deactivate) />
                        </For>
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || endpoints.is_empty()) text="No webhook endpoints yet." />
            <LoadMore has_more=endpoints.has_more loading=endpoints.loading on_load=Callback::new(move |()| endpoints.more()) />
        </section>
    }
}

#[component]
fn EndpointRow(
    endpoint: WebhookEndpoint,
    confirming: RwSignal<Option<String>>,
    on_deactivate: Callback<String>,
) -> impl IntoView {
    let id = StoredValue::new(endpoint.id.clone());
    let is_confirming = move || confirming.with(|c| c.as_deref() == Some(id.get_value().as_str()));
    let events = endpoint
        .events
        .iter()
        .map(|e| webhook_event_label(*e))
        .collect::<Vec<_>>()
        .join(", ");
    let actions = endpoint.active.then(|| {
        view! {
            <Show
                when=is_confirming
                fallback=move || view! {
                    <button type="button" class="btn btn-small btn-danger" on:click=move |_| confirming.set(Some(id.get_value()))>
                        "Deactivate"
                    </button>
                }
            >
                <span class="confirm-text">"Deliveries to this endpoint stop at once."</span>
                <button type="button" class="btn btn-small btn-danger" on:click=move |_| on_deactivate.run(id.get_value())>
                    "Yes, deactivate"
                </button>
                <button type="button" class="btn btn-small btn-secondary" on:click=move |_| confirming.set(None)>
                    "Keep"
                </button>
            </Show>
        }
    });
    view! {
        <tr class:inactive=!endpoint.active data-endpoint=endpoint.id.clone()>
            <td>{endpoint.channel.clone()}</td>
            <td>
                <code>{endpoint.url.clone()}</code>
            </td>
            <td>{events}</td>
            <td>{if endpoint.active { "Yes" } else { "No" }}</td>
            <td>
                {format::timestamp(&endpoint.created_at)}
                " by "
                <Email address=endpoint.created_by.clone() />
            </td>
            <td>
                <div class="actions">{actions}</div>
            </td>
        </tr>
    }
}

#[component]
fn RegisterForm(on_created: Callback<WebhookEndpoint>) -> impl IntoView {
    let auth = use_auth();
    let channel = RwSignal::new(String::new());
    let url = RwSignal::new(String::new());
    let events = RwSignal::new(Vec::<WebhookEventType>::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedWebhookEndpoint>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let input = CreateWebhookEndpointInput {
            channel: channel.get_untracked().trim().to_string(),
            url: url.get_untracked().trim().to_string(),
            events: events.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        created.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::create_webhook_endpoint(&token, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(new) => {
                    url.set(String::new());
                    events.set(Vec::new());
                    on_created.run(new.endpoint.clone());
                    created.set(Some(new));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let event_errors = field_errors(error, "events");
    let choices = WebhookEventType::ALL
        .iter()
        .map(|e| {
            let e = *e;
            let on_change = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                events.update(|list| {
                    list.retain(|x| *x != e);
                    if on {
                        list.push(e);
                        list.sort();
                    }
                });
            };
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        value=e.as_str()
                        prop:checked=move || events.with(|l| l.contains(&e))
                        on:change=on_change
                    />
                    <span>{webhook_event_label(e)}</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <form class="add-form" on:submit=on_submit novalidate aria-label="Register a webhook endpoint">
            <div class="form-grid">
                <TextField id="webhook-channel" label="Channel" autocomplete="off" value=channel errors=field_errors(error, "channel") placeholder="demo-store" />
                <TextField id="webhook-url" label="URL" input_type="url" autocomplete="off" value=url errors=field_errors(error, "url") placeholder="https://partner.example/orderly" />
            </div>
            <fieldset class="field choice-group choice-row" class:has-error=move || event_errors.with(|e| !e.is_empty())>
                <legend>"Events"</legend>
                {choices}
                {move || {
                    let messages = event_errors.get();
                    (!messages.is_empty()).then(|| view! { <p class="field-error">{messages.join(" ")}</p> })
                }}
            </fieldset>
            <FormError error=error fields=&["channel", "url", "events"] />
            <button type="submit" class="btn btn-primary" disabled=busy>"Register endpoint"</button>
        </form>
        {move || {
            created
                .get()
                .map(|new| {
                    view! {
                        <OneTimeSecret
                            region="New webhook secret"
                            title=format!("Signing secret of {} ({})", new.endpoint.url, new.endpoint.channel)
                            label="Signing secret"
                            noun="secret"
                            testid="new-webhook-secret"
                            secret=new.secret
                            on_done=Callback::new(move |()| created.set(None))
                        />
                    }
                })
        }}
    }
}
