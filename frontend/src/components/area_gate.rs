//! Shows an area's page only to users whose roles may see it. The server refuses the data
//! anyway; the gate spares people a page of errors and says plainly what is going on.

use crate::session::use_auth;
use leptos::prelude::*;
use leptos_router::components::A;
use orderly_shared::Area;

#[component]
pub fn AreaGate(area: Area, children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let allowed = Memo::new(move |_| Area::visible_to(&auth.roles()).contains(&area));
    view! {
        <Show when=move || allowed.get() fallback=NoAccess>
            {children()}
        </Show>
    }
}

#[component]
pub fn NoAccess() -> impl IntoView {
    view! {
        <section class="card empty-state" aria-labelledby="no-access-title">
            <h1 id="no-access-title">"You do not have access to this area"</h1>
            <p>
                "Your roles do not include this part of the console. If you need it for your work, "
                "ask an administrator to add the role to your account."
            </p>
            <p>
                <A href="/">"Back to the dashboard"</A>
            </p>
        </section>
    }
}
