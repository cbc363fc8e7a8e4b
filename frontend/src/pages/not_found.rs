//! The answer to a console address that does not exist.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="card empty-state" aria-labelledby="not-found-title">
            <h1 id="not-found-title">"Page not found"</h1>
            <p>"There is no page at this address in the console."</p>
            <p>
                <A href="/">"Go to the dashboard"</A>
            </p>
        </section>
    }
}
