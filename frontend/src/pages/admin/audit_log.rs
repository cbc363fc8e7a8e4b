//! The most recent entries of the audit log, newest first.

use super::AUDIT_ENTRIES;
use crate::api::ops;
use crate::api::types::AuditEntry;
use crate::components::feedback::ErrorAlert;
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn AuditLogSection(changes: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    let load = move || {
        loading.set(true);
        spawn_local(async move {
            match auth
                .call(|token| async move { ops::audit_log(&token, AUDIT_ENTRIES).await })
                .await
            {
                Ok(page) => {
                    entries.set(page.nodes);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };
    // Loads at once and again after every change made on the page.
    Effect::new(move |_| {
        changes.track();
        load();
    });

    view! {
        <section class="card" aria-labelledby="audit-title">
            <div class="card-header">
                <h2 id="audit-title">"Recent audit log"</h2>
                <button
                    type="button"
                    class="btn btn-small btn-secondary"
                    disabled=move || loading.get()
                    on:click=move |_| load()
                >
                    "Refresh"
                </button>
            </div>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table">
                    <thead>
                        <tr>
                            <th scope="col">"When (UTC)"</th>
                            <th scope="col">"Actor"</th>
                            <th scope="col">"Action"</th>
                            <th scope="col">"Target"</th>
                            <th scope="col">"Detail"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || entries.get() key=|entry| entry.id.clone() let(entry)>
                            <tr>
                                <td class="nowrap">{format::timestamp(&entry.at)}</td>
                                <td>
                                    <Email address=entry.actor.clone() />
                                </td>
                                <td>
                                    <code>{entry.action}</code>
                                </td>
                                <td title=entry.target_id.clone()>
                                    {match &entry.target_id {
                                        Some(id) => format!("{} {}", entry.target_type, format::short_id(id)),
                                        None => entry.target_type.clone(),
                                    }}
                                </td>
                                <td class="detail">{entry.detail.as_deref().map(format::detail).unwrap_or_default()}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || entries.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)>
                <p class="muted">"Nothing has been recorded yet."</p>
            </Show>
        </section>
    }
}
