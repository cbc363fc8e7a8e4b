//! Sign-in: email and password against `login`. The server's message is shown as it is, since
//! it is written for people (a wrong password, too many attempts).

use crate::api::ops;
use crate::components::feedback::ErrorAlert;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);

    // Someone already signed in has nothing to do here.
    {
        let navigate = navigate.clone();
        Effect::new(move |_| {
            if auth.is_signed_in() {
                navigate(
                    "/",
                    NavigateOptions {
                        replace: true,
                        ..Default::default()
                    },
                );
            }
        });
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            error.set(Some("Enter your email and password.".into()));
            return;
        }
        submitting.set(true);
        error.set(None);
        spawn_local(async move {
            match ops::login(e.trim(), &p).await {
                // Signing in flips the effect above, which takes the user to the dashboard.
                Ok(payload) => auth.sign_in(payload),
                Err(err) => {
                    password.set(String::new());
                    error.set(Some(err.message));
                }
            }
            submitting.set(false);
        });
    };

    view! {
        <main class="login-page">
            <form class="card login-card" on:submit=on_submit novalidate aria-labelledby="login-title">
                <div class="login-brand">
                    <span class="brand-mark" aria-hidden="true">"O"</span>
                    <span>"Orderly"</span>
                </div>
                <h1 id="login-title">"Sign in"</h1>
                {move || {
                    auth.notice()
                        .map(|n| view! { <p class="alert alert-info" role="status">{n}</p> })
                }}
                <div class="field">
                    <label for="login-email">"Email"</label>
                    <input id="login-email" type="email" autocomplete="username" bind:value=email />
                </div>
                <div class="field">
                    <label for="login-password">"Password"</label>
                    <input
                        id="login-password"
                        type="password"
                        autocomplete="current-password"
                        bind:value=password
                    />
                </div>
                <ErrorAlert message=error />
                <button type="submit" class="btn btn-primary btn-block" disabled=move || submitting.get()>
                    {move || if submitting.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
