//! The landing page after sign-in: who you are and where your work is.

use super::area::purpose;
use crate::components::format;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos_router::components::A;
use orderly_shared::Area;

#[component]
pub fn DashboardPage() -> impl IntoView {
    let auth = use_auth();
    let name = Memo::new(move |_| auth.user().map(|u| u.display_name).unwrap_or_default());
    let roles = Memo::new(move |_| format::roles(&auth.roles()));
    let areas = Memo::new(move |_| {
        Area::visible_to(&auth.roles())
            .into_iter()
            .filter(|a| *a != Area::Dashboard)
            .collect::<Vec<_>>()
    });
    view! {
        <header class="page-header">
            <h1>"Dashboard"</h1>
            <p class="lead">
                {move || format!("Welcome, {}. You are signed in as {}.", name.get(), roles.get())}
            </p>
        </header>
        <section aria-labelledby="your-areas">
            <h2 id="your-areas" class="section-title">"Your areas"</h2>
            <div class="card-grid">
                <For each=move || areas.get() key=|area| *area let(area)>
                    <A href=area.path() attr:class="card card-link">
                        <h3>{area.label()}</h3>
                        <p>{purpose(area)}</p>
                    </A>
                </For>
            </div>
        </section>
    }
}
