//! Remote areas: orders shipping there are held for customer service to verify the address.
//! The server keeps the list as a whole, so adding or removing one area saves the whole list.

use crate::api::types::RemoteArea;
use crate::api::{ApiError, ops};
use crate::components::feedback::EmptyNote;
use crate::components::form::{FormError, TextField, field_errors};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn RemoteAreasSection() -> impl IntoView {
    let auth = use_auth();
    let areas = RwSignal::new(Vec::<RemoteArea>::new());
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let country = RwSignal::new(String::from("CN"));
    let region = RwSignal::new(String::new());
    let postal_prefix = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());

    spawn_local(async move {
        match auth
            .call(|token| async move { ops::remote_areas(&token).await })
            .await
        {
            Ok(list) => {
                let _ = areas.try_set(list);
            }
            Err(e) => {
                let _ = error.try_set(Some(e));
            }
        }
        let _ = loading.try_set(false);
    });

    // Saves `next` as the whole list; `added` says the form's area is in it.
    let save = move |next: Vec<RemoteArea>, added: bool| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let next = next.clone();
                    async move { ops::set_remote_areas(&token, &next).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(saved) => {
                    areas.set(saved);
                    if added {
                        region.set(String::new());
                        postal_prefix.set(String::new());
                        label.set(String::new());
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let opt = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty())
        };
        let area = RemoteArea {
            country: country.get_untracked().trim().to_uppercase(),
            region: opt(region),
            postal_prefix: opt(postal_prefix),
            label: label.get_untracked().trim().to_string(),
        };
        let mut next = areas.get_untracked();
        next.push(area);
        save(next, true);
    };

    view! {
        <section class="card" aria-labelledby="remote-title">
            <h2 id="remote-title">"Remote areas"</h2>
            <p class="muted">"Orders to these areas are held for customer service to verify the address by phone."</p>
            <div class="table-wrap">
                <table class="table" aria-label="Remote areas">
                    <thead>
                        <tr>
                            <th scope="col">"Area"</th>
                            <th scope="col">"Country"</th>
                            <th scope="col">"Province or state"</th>
                            <th scope="col">"Postal codes"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            areas
                                .get()
                                .into_iter()
                                .map(|area| {
                                    view! {
                                        <tr>
                                            <td class="cell-primary">{area.label.clone()}</td>
                                            <td>{area.country.clone()}</td>
                                            <td>{area.region.clone().unwrap_or_else(|| "any".into())}</td>
                                            <td>
                                                {area
                                                    .postal_prefix
                                                    .clone()
                                                    .map(|p| format!("starting {p}"))
                                                    .unwrap_or_else(|| "any".into())}
                                            </td>
                                            <td>
                                                <button
                                                    type="button"
                                                    class="btn btn-small btn-danger"
                                                    disabled=busy
                                                    on:click={
                                                        let area = area.clone();
                                                        move |_| {
                                                            let mut next = areas.get_untracked();
                                                            next.retain(|a| *a != area);
                                                            save(next, false);
                                                        }
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
            <EmptyNote when=Signal::derive(move || areas.with(Vec::is_empty) && !loading.get()) text="No remote areas." />
            <form class="form-grid add-form" novalidate on:submit=on_submit aria-label="Add a remote area">
                <TextField id="remote-label" label="Area name" value=label errors=field_errors(error, "label") autocomplete="off" />
                <TextField id="remote-country" label="Country (ISO code)" value=country errors=field_errors(error, "country") autocomplete="off" />
                <TextField id="remote-region" label="Province or state (optional)" value=region errors=field_errors(error, "region") autocomplete="off" />
                <TextField
                    id="remote-postal"
                    label="Postal code prefix (optional)"
                    value=postal_prefix
                    errors=field_errors(error, "postalPrefix")
                    autocomplete="off"
                />
                <FormError error=error fields=&["label", "country", "region", "postalPrefix"] />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        "Add area"
                    </button>
                </div>
            </form>
        </section>
    }
}
