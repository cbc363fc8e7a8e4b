//! The frame around every signed-in page: the navigation of the user's areas, the top bar with
//! who is signed in, and the page itself.
//!
//! The shell keeps the session honest: it asks the server for `me` on every route change and
//! every 15 seconds, so a deactivated user or a changed set of roles takes effect promptly.

use crate::components::format;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Outlet, Redirect};
use leptos_router::hooks::use_location;
use orderly_shared::Area;
use std::time::Duration;

/// How often the shell re-checks the signed-in user.
const ME_POLL: Duration = Duration::from_secs(15);

#[component]
pub fn Shell() -> impl IntoView {
    let auth = use_auth();
    let signed_in = Memo::new(move |_| auth.is_signed_in());

    // Reading the path (not only tracking it) makes the memo compute and follow the URL.
    let pathname = use_location().pathname;
    Effect::new(move |_| {
        let _page = pathname.get();
        spawn_local(auth.check_me());
    });
    if let Ok(poll) = set_interval_with_handle(move || spawn_local(auth.check_me()), ME_POLL) {
        on_cleanup(move || poll.clear());
    }

    view! {
        <Show when=move || signed_in.get() fallback=|| view! { <Redirect path="/login" /> }>
            <div class="app">
                <aside class="sidebar">
                    <A href="/" attr:class="brand">
                        <span class="brand-mark" aria-hidden="true">"O"</span>
                        <span>"Orderly"</span>
                    </A>
                    <MainNav />
                </aside>
                <div class="main-column">
                    <TopBar />
                    <main class="content" id="content">
                        <Outlet />
                    </main>
                </div>
            </div>
        </Show>
    }
}

/// Exactly the areas the user's roles may see, in the shared navigation order.
#[component]
fn MainNav() -> impl IntoView {
    let auth = use_auth();
    let areas = Memo::new(move |_| Area::visible_to(&auth.roles()));
    view! {
        <nav aria-label="Main" class="main-nav">
            <ul>
                <For each=move || areas.get() key=|area| *area let(area)>
                    <li>
                        <A href=area.path() exact=area == Area::Dashboard>
                            {area.label()}
                        </A>
                    </li>
                </For>
            </ul>
        </nav>
    }
}

#[component]
fn TopBar() -> impl IntoView {
    let auth = use_auth();
    let name = Memo::new(move |_| auth.user().map(|u| u.display_name).unwrap_or_default());
    let email = Memo::new(move |_| auth.user().map(|u| u.email).unwrap_or_default());
    let roles = Memo::new(move |_| format::roles(&auth.roles()));
    view! {
        <header class="topbar">
            <div class="who" data-testid="current-user">
                <span class="who-name" title=move || email.get()>
                    {move || name.get()}
                </span>
                <span class="who-roles">{move || roles.get()}</span>
            </div>
            <button type="button" class="btn btn-secondary" on:click=move |_| auth.sign_out()>
                "Log out"
            </button>
        </header>
    }
}
