//! What a section says about itself: the last error, the last success, that a list is empty, and
//! that more can be loaded. One component each, so the many sections that say these things share
//! one copy of the code (every distinct reactive closure in a view costs the console size).

use leptos::prelude::*;

/// The message of the last failure, if any, as an alert.
#[component]
pub fn ErrorAlert(message: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })
    }
}

/// What the last action did, if anything, as a status line.
#[component]
pub fn SuccessAlert(message: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|m| view! { <p class="alert alert-success" role="status">{m}</p> })
    }
}

/// A note under a list that has nothing to show, while `when` holds.
#[component]
pub fn EmptyNote(when: Signal<bool>, text: &'static str) -> impl IntoView {
    move || {
        when.get()
            .then(|| view! { <p class="muted empty-note">{text}</p> })
    }
}

/// "Load more" under a paged list, while the server says there is more.
#[component]
pub fn LoadMore(
    has_more: RwSignal<bool>,
    loading: RwSignal<bool>,
    on_load: Callback<()>,
) -> impl IntoView {
    move || {
        has_more.get().then(|| {
            view! {
                <div class="table-footer">
                    <button
                        type="button"
                        class="btn btn-secondary"
                        disabled=loading
                        on:click=move |_| on_load.run(())
                    >
                        {move || if loading.get() { "Loading…" } else { "Load more" }}
                    </button>
                </div>
            }
        })
    }
}
