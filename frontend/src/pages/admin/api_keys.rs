//! Partner API keys: the table, creating a key (shown once), and revoking one.

use super::PAGE;
use crate::api::types::{ApiKey, CreatedApiKey};
use crate::api::{ApiError, ops};
use crate::components::feedback::{ErrorAlert, LoadMore};
use crate::components::form::{FormError, TextField};
use crate::components::format;
use crate::components::secret::OneTimeSecret;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ApiKeysSection(changes: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let keys = RwSignal::new(Vec::<ApiKey>::new());
    let cursor = RwSignal::new(None::<String>);
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // The key asking "really revoke?", if any.
    let confirming = RwSignal::new(None::<String>);

    let load = move |after: Option<String>| {
        loading.set(true);
        spawn_local(async move {
            let first_page = after.is_none();
            let result = auth
                .call(|token| {
                    let after = after.clone();
                    async move { ops::api_keys(&token, PAGE, after).await }
                })
                .await;
            match result {
                Ok(page) => {
                    keys.update(|list| {
                        if first_page {
                            list.clear();
                        }
                        for key in page.nodes {
                            if !list.iter().any(|k| k.id == key.id) {
                                list.push(key);
                            }
                        }
                    });
                    cursor.set(page.page_info.end_cursor);
                    has_more.set(page.page_info.has_next_page);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };
    load(None);

    let on_changed = Callback::new(move |key: ApiKey| {
        // Like the server (oldest first) when every page is loaded, else on top, so it is seen.
        let complete = !has_more.get_untracked();
        keys.update(|list| match list.iter_mut().find(|k| k.id == key.id) {
            Some(slot) => *slot = key,
            None if complete => list.push(key),
            None => list.insert(0, key),
        });
        changes.update(|n| *n += 1);
    });

    let revoke = move |id: String| {
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::revoke_api_key(&token, &id).await }
                })
                .await;
            confirming.set(None);
            match result {
                Ok(key) => {
                    error.set(None);
                    on_changed.run(key);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="api-keys-title">
            <div class="card-header">
                <h2 id="api-keys-title">"API keys"</h2>
            </div>
            <p class="muted">
                "Partner systems (storefronts, marketplaces, ERPs) use a key to place and read the orders of their channel."
            </p>
            <CreateApiKeyForm on_created=on_changed />
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"Channel"</th>
                            <th scope="col">"Prefix"</th>
                            <th scope="col">"Created (UTC)"</th>
                            <th scope="col">"Revoked (UTC)"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || keys.get() key=|key| key.clone() let(key)>
                            {
                                let id = key.id.clone();
                                let revoked = key.revoked_at.is_some();
                                let is_confirming = {
                                    let id = id.clone();
                                    move || confirming.with(|c| c.as_deref() == Some(id.as_str()))
                                };
                                view! {
                                    <tr class:inactive=revoked>
                                        <td>{key.channel.clone()}</td>
                                        <td>
                                            <code>{key.prefix.clone()}</code>
                                        </td>
                                        <td>{format::timestamp(&key.created_at)}</td>
                                        <td>
                                            {key
                                                .revoked_at
                                                .as_deref()
                                                .map(format::timestamp)
                                                .unwrap_or_else(|| "—".to_string())}
                                        </td>
                                        <td>
                                            <div class="actions">
                                                {(!revoked)
                                                    .then(|| {
                                                        let id = id.clone();
                                                        view! {
                                                            <Show
                                                                when=is_confirming.clone()
                                                                fallback={
                                                                    let id = id.clone();
                                                                    move || {
                                                                        let id = id.clone();
                                                                        view! {
                                                                            <button
                                                                                type="button"
                                                                                class="btn btn-small btn-danger"
                                                                                on:click=move |_| confirming.set(Some(id.clone()))
                                                                            >
                                                                                "Revoke"
                                                                            </button>
                                                                        }
                                                                    }
                                                                }
                                                            >
                                                                <span class="confirm-text">
                                                                    "Partners using this key stop working at once."
                                                                </span>
                                                                <button
                                                                    type="button"
                                                                    class="btn btn-small btn-danger"
                                                                    on:click={
                                                                        let id = id.clone();
                                                                        move |_| revoke(id.clone())
                                                                    }
                                                                >
                                                                    "Yes, revoke"
                                                                </button>
                                                                <button
                                                                    type="button"
                                                                    class="btn btn-small btn-secondary"
                                                                    on:click=move |_| confirming.set(None)
                                                                >
                                                                    "Keep key"
                                                                </button>
                                                            </Show>
                                                        }
                                                    })}
                                            </div>
                                        </td>
                                    </tr>
                                }
                            }
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || keys.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)>
                <p class="muted">"No API keys yet."</p>
            </Show>
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(cursor.get_untracked())) />
        </section>
    }
}

#[component]
fn CreateApiKeyForm(on_created: Callback<ApiKey>) -> impl IntoView {
    let auth = use_auth();
    let channel = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedApiKey>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let name = channel.get_untracked().trim().to_string();
        busy.set(true);
        error.set(None);
        created.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let name = name.clone();
                    async move { ops::create_api_key(&token, &name).await }
                })
                .await;
            busy.set(false);
            match result {
                Ok(new) => {
                    channel.set(String::new());
                    on_created.run(new.api_key.clone());
                    created.set(Some(new));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let channel_errors = Signal::derive(move || {
        error.with(|e| e.as_ref().map(|e| e.field("channel")).unwrap_or_default())
    });

    view! {
        <form class="inline-form" on:submit=on_submit novalidate aria-label="Create API key">
            <TextField id="new-key-channel" label="Channel" autocomplete="off" value=channel errors=channel_errors />
            <button type="submit" class="btn btn-primary" disabled=busy>
                "Create API key"
            </button>
        </form>
        <FormError error=error fields=&["channel"] />
        {move || {
            created
                .get()
                .map(|new| {
                    view! {
                        <OneTimeSecret
                            region="New API key"
                            title=format!("New API key for channel {}", new.api_key.channel)
                            label="API key"
                            noun="key"
                            testid="new-api-key"
                            secret=new.key
                            on_done=Callback::new(move |()| created.set(None))
                        />
                    }
                })
        }}
    }
}
