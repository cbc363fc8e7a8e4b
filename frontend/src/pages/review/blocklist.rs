//! The blocklist: phones, e-mails and addresses whose orders the BLOCKLISTED rule flags.

use crate::api::types::BlocklistEntry;
use crate::api::{ApiError, ops};
use crate::components::feedback::{EmptyNote, ErrorAlert};
use crate::components::form::{FormError, TextField, field_errors};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::BlocklistKind;

fn kind_label(kind: BlocklistKind) -> &'static str {
    match kind {
        BlocklistKind::Phone => "Phone",
        BlocklistKind::Email => "E-mail",
        BlocklistKind::Address => "Address",
    }
}

#[component]
pub fn BlocklistSection() -> impl IntoView {
    let auth = use_auth();
    let entries = RwSignal::new(Vec::<BlocklistEntry>::new());
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);

    spawn_local(async move {
        match auth
            .call(|token| async move { ops::blocklist(&token).await })
            .await
        {
            Ok(list) => {
                let _ = entries.try_set(list);
            }
            Err(e) => {
                let _ = error.try_set(Some(e.message));
            }
        }
        let _ = loading.try_set(false);
    });

    let remove = move |id: String| {
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::remove_from_blocklist(&token, &id).await }
                })
                .await;
            match result {
                Ok(_) => entries.update(|list| list.retain(|e| e.id != id)),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let on_added = Callback::new(move |entry: BlocklistEntry| entries.update(|l| l.push(entry)));

    view! {
        <section class="card" aria-labelledby="blocklist-title">
            <h2 id="blocklist-title">"Blocklist"</h2>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Blocklist">
                    <thead>
                        <tr>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Value"</th>
                            <th scope="col">"Reason"</th>
                            <th scope="col">"Added by"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            entries
                                .get()
                                .into_iter()
                                .map(|entry| {
                                    view! {
                                        <tr>
                                            <td>{kind_label(entry.kind)}</td>
                                            <td>
                                                <code>{entry.value.clone()}</code>
                                            </td>
                                            <td class="detail">{entry.reason.clone()}</td>
                                            <td>{entry.created_by.clone()}</td>
                                            <td>
                                                <button
                                                    type="button"
                                                    class="btn btn-small btn-danger"
                                                    on:click={
                                                        let id = entry.id.clone();
                                                        move |_| remove(id.clone())
                                                    }
                                                >
                                                    "Remove"
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || entries.with(Vec::is_empty) && !loading.get()) text="Nothing is blocked." />
            <AddEntryForm on_added=on_added />
        </section>
    }
}

#[component]
fn AddEntryForm(on_added: Callback<BlocklistEntry>) -> impl IntoView {
    let auth = use_auth();
    let kind = RwSignal::new(BlocklistKind::Phone);
    let value = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (k, v, r) = (
            kind.get_untracked(),
            value.get_untracked().trim().to_string(),
            reason.get_untracked().trim().to_string(),
        );
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (v, r) = (v.clone(), r.clone());
                    async move { ops::add_to_blocklist(&token, k, &v, &r).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(entry) => {
                    value.set(String::new());
                    reason.set(String::new());
                    on_added.run(entry);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="form-grid add-form" novalidate on:submit=on_submit aria-label="Add to the blocklist">
            <div class="field">
                <label for="block-kind">"Kind"</label>
                <select
                    id="block-kind"
                    prop:value=move || kind.get().as_str()
                    on:change=move |ev| {
                        if let Some(k) = BlocklistKind::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }
                >
                    {BlocklistKind::ALL
                        .iter()
                        .map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> })
                        .collect_view()}
                </select>
            </div>
            <TextField
                id="block-value"
                label="Value"
                value=value
                errors=field_errors(error, "value")
                autocomplete="off"
                hint="A phone (+86… or a Chinese number), an e-mail, or an address key."
            />
            <TextField id="block-reason" label="Reason" value=reason errors=field_errors(error, "reason") autocomplete="off" />
            <FormError error=error fields=&["kind", "value", "reason"] />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=busy>
                    "Add to blocklist"
                </button>
            </div>
        </form>
    }
}
