//! A secret the server shows exactly once (a partner's API key, a webhook signing secret): the
//! value with a copy button and a plain warning. The server keeps only a hash or never shows it
//! again, so this box is the person's one chance to store it.

use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn OneTimeSecret(
    /// What the box is, e.g. "New API key"; also the region's accessible name.
    region: &'static str,
    /// The first line, e.g. "New API key for channel demo-store".
    #[prop(into)]
    title: String,
    /// The input's accessible name, e.g. "API key".
    label: &'static str,
    /// What the warning calls it: "key", "secret".
    noun: &'static str,
    /// `data-testid` of the input, so tests read the value without parsing text.
    testid: &'static str,
    secret: String,
    on_done: Callback<()>,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let value = secret.clone();
    let copy = move |_| {
        let value = value.clone();
        spawn_local(async move {
            let Some(window) = web_sys::window() else {
                return;
            };
            let promise = window.navigator().clipboard().write_text(&value);
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => copied.set(true),
                Err(_) => {
                    leptos::logging::warn!("the browser refused to copy; select the value instead")
                }
            }
        });
    };
    let select_all = |ev: leptos::ev::FocusEvent| {
        if let Some(input) = event_target::<web_sys::HtmlInputElement>(&ev).into() {
            input.select();
        }
    };
    view! {
        <div class="secret-box" role="region" aria-label=region>
            <p>
                <strong>{title}</strong>
            </p>
            <p class="warning">
                {format!("Copy this {noun} now and store it safely. It will not be shown again.")}
            </p>
            <div class="secret-row">
                <input
                    class="secret"
                    type="text"
                    readonly
                    aria-label=label
                    data-testid=testid
                    prop:value=secret
                    on:focus=select_all
                />
                <button type="button" class="btn btn-secondary" on:click=copy>
                    {move || if copied.get() { "Copied" } else { "Copy" }}
                </button>
            </div>
            <button type="button" class="btn btn-link" on:click=move |_| on_done.run(())>
                "Done, I have stored it"
            </button>
        </div>
    }
}
