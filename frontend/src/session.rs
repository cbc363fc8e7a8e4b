//! The signed-in session: tokens, the user, and keeping both current.
//!
//! The session lives in `localStorage` so it survives reloads and is shared by every tab of the
//! console. The access token is refreshed through `refreshSession` about a minute before it
//! expires (and straight away after a reload that finds it expired). Refresh tokens are
//! single-use and presenting a spent one ends the whole session family on the server, so
//! refreshing is serialised within a tab and, across tabs, a tab first adopts a session another
//! tab has already rotated. Whenever the server answers UNAUTHENTICATED for a signed-in request,
//! the session is over: it is cleared and the login page says why.

use crate::api::types::{AuthPayload, User};
use crate::api::{ApiError, ops};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{ErrorCode, Role};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::time::Duration;

/// The `localStorage` key of the session.
const STORAGE_KEY: &str = "orderly.session";
/// Refresh this long before the access token expires.
const REFRESH_LEAD_MS: f64 = 60_000.0;
/// Tabs sharing one session spread their refreshes over this window, so that usually one tab
/// rotates the token and the others adopt its result.
const REFRESH_JITTER_MS: f64 = 15_000.0;
/// A request made with less validity left than this refreshes first.
const MIN_VALIDITY_MS: f64 = 10_000.0;

/// What the login page says after the server ended the session.
pub const SESSION_ENDED: &str = "Your session has ended. Please sign in again.";
/// What the login page says after the person logged out.
pub const SIGNED_OUT: &str = "You have signed out.";

/// A signed-in session as stored in the browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    /// RFC 3339 expiry of the access token.
    pub expires_at: String,
    pub user: User,
}

impl Session {
    fn from_payload(p: AuthPayload) -> Session {
        Session {
            access_token: p.access_token,
            refresh_token: p.refresh_token,
            expires_at: p.expires_at,
            user: p.user,
        }
    }

    /// Milliseconds until the access token expires (negative once it has).
    fn ms_left(&self) -> f64 {
        let expires = js_sys::Date::parse(&self.expires_at);
        if expires.is_nan() {
            // An unreadable expiry is treated as expired, so the next request refreshes.
            return -1.0;
        }
        expires - js_sys::Date::now()
    }
}

thread_local! {
    /// The pending proactive refresh.
    static REFRESH_TIMER: RefCell<Option<Timeout>> = const { RefCell::new(None) };
    /// Whether a refresh request is in flight in this tab.
    static REFRESHING: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn load_stored() -> Option<Session> {
    let text = storage()?.get_item(STORAGE_KEY).ok()??;
    serde_json::from_str(&text).ok()
}

fn store(session: Option<&Session>) {
    let Some(storage) = storage() else { return };
    let result = match session.map(serde_json::to_string) {
        Some(Ok(text)) => storage.set_item(STORAGE_KEY, &text),
        _ => storage.remove_item(STORAGE_KEY),
    };
    if result.is_err() {
        leptos::logging::warn!("could not save the session in localStorage");
    }
}

/// The console's handle on the session, provided as context by [`Auth::provide`].
#[derive(Clone, Copy)]
pub struct Auth {
    session: RwSignal<Option<Session>>,
    notice: RwSignal<Option<&'static str>>,
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

impl Auth {
    /// Restores the stored session, keeps it fresh and in step with other tabs, and provides the
    /// handle as context.
    pub fn provide() -> Auth {
        let auth = Auth {
            session: RwSignal::new(load_stored()),
            notice: RwSignal::new(None),
        };
        provide_context(auth);

        // Reschedule the proactive refresh whenever the tokens change.
        Effect::new(move |_| {
            let ms_left = auth.session.with(|s| s.as_ref().map(Session::ms_left));
            REFRESH_TIMER.with(|t| {
                let timer = ms_left.map(|left| {
                    let jitter = js_sys::Math::random() * REFRESH_JITTER_MS;
                    let delay = (left - REFRESH_LEAD_MS + jitter).max(0.0);
                    // Timers take a u32 of milliseconds: about 49 days, far beyond any token.
                    Timeout::new(delay.min(u32::MAX as f64) as u32, move || {
                        spawn_local(async move {
                            let _ = auth.refresh().await;
                        })
                    })
                });
                // Dropping the old timeout cancels it.
                *t.borrow_mut() = timer;
            });
        });

        // Live updates authenticate with the access token: a new one means a new connection.
        Effect::new(move |_| {
            let token = auth
                .session
                .with(|s| s.as_ref().map(|s| s.access_token.clone()));
            crate::api::live::session_changed(token);
        });

        // Another tab signed in, refreshed or signed out.
        let listener = window_event_listener(leptos::ev::storage, move |event| {
            if event.key().as_deref() == Some(STORAGE_KEY) {
                auth.session.set(load_stored());
            }
        });
        // The listener lives as long as the page.
        std::mem::forget(listener);

        auth
    }

    pub fn is_signed_in(&self) -> bool {
        self.session.with(Option::is_some)
    }

    /// The signed-in user (tracked).
    pub fn user(&self) -> Option<User> {
        self.session.with(|s| s.as_ref().map(|s| s.user.clone()))
    }

    /// The signed-in user's roles (tracked); empty when signed out.
    pub fn roles(&self) -> Vec<Role> {
        self.session
            .with(|s| s.as_ref().map(|s| s.user.roles.clone()))
            .unwrap_or_default()
    }

    /// Why the last session ended, for the login page.
    pub fn notice(&self) -> Option<&'static str> {
        self.notice.get()
    }

    /// Starts a session from a successful `login`.
    pub fn sign_in(&self, payload: AuthPayload) {
        let session = Session::from_payload(payload);
        store(Some(&session));
        self.notice.set(None);
        self.session.set(Some(session));
    }

    /// Forgets the session in this browser, with a reason for the login page.
    pub fn end(&self, notice: Option<&'static str>) {
        store(None);
        self.notice.set(notice);
        self.session.set(None);
    }

    /// Logs out: the console forgets the session at once and tells the server to end it.
    pub fn sign_out(&self) {
        let refresh_token = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.refresh_token.clone()));
        self.end(Some(SIGNED_OUT));
        if let Some(refresh_token) = refresh_token {
            spawn_local(async move {
                if let Err(e) = ops::logout(&refresh_token).await {
                    leptos::logging::warn!("logout failed on the server: {e}");
                }
            });
        }
    }

    /// Replaces the stored user with what the server just said about them.
    fn update_user(&self, user: User) {
        let changed = self
            .session
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.user != user));
        if changed {
            self.session.update(|s| {
                if let Some(s) = s {
                    s.user = user;
                    store(Some(s));
                }
            });
        }
    }

    /// Rotates the tokens through `refreshSession`. Only one refresh runs at a time in a tab;
    /// a caller that finds one in flight waits for its outcome.
    pub async fn refresh(&self) -> Result<(), ApiError> {
        if REFRESHING.get() {
            while REFRESHING.get() {
                gloo_timers::future::sleep(Duration::from_millis(50)).await;
            }
            return match self.session.get_untracked() {
                Some(_) => Ok(()),
                None => Err(unauthenticated()),
            };
        }
        let Some(ours) = self.session.get_untracked() else {
            return Err(unauthenticated());
        };
        // Another tab may already have rotated our refresh token: adopt its session rather than
        // present a spent token, which would end the session everywhere.
        if let Some(stored) = load_stored()
            && stored.refresh_token != ours.refresh_token
        {
            self.session.set(Some(stored));
            return Ok(());
        }

        REFRESHING.set(true);
        let result = ops::refresh_session(&ours.refresh_token).await;
        REFRESHING.set(false);
        match result {
            Ok(payload) => {
                let session = Session::from_payload(payload);
                store(Some(&session));
                self.session.set(Some(session));
                Ok(())
            }
            Err(e) => {
                if e.is(ErrorCode::Unauthenticated) {
                    self.end(Some(SESSION_ENDED));
                }
                Err(e)
            }
        }
    }

    /// An access token valid for a little while longer, refreshing first if needed.
    pub async fn access_token(&self) -> Result<String, ApiError> {
        let Some(session) = self.session.get_untracked() else {
            return Err(unauthenticated());
        };
        if session.ms_left() > MIN_VALIDITY_MS {
            return Ok(session.access_token);
        }
        self.refresh().await?;
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.access_token.clone()))
            .ok_or_else(unauthenticated)
    }

    /// Runs a signed-in request. An UNAUTHENTICATED answer is given one chance (a token that
    /// expired early, e.g. because of a skewed clock, is refreshed and the request retried); if
    /// the server still says no, the session has ended.
    pub async fn call<T, F, Fut>(&self, request: F) -> Result<T, ApiError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let token = self.access_token().await?;
        match request(token).await {
            Err(e) if e.is(ErrorCode::Unauthenticated) => {
                // `refresh` ends the session itself when the server refuses.
                self.refresh().await?;
                let token = self.access_token().await?;
                let result = request(token).await;
                if let Err(e) = &result
                    && e.is(ErrorCode::Unauthenticated)
                {
                    self.end(Some(SESSION_ENDED));
                }
                result
            }
            other => other,
        }
    }

    /// Asks the server who we are. A deactivated user, or one whose sessions were ended, is
    /// signed out here; role changes show up in the navigation.
    pub async fn check_me(self) {
        if !self.session.with_untracked(Option::is_some) {
            return;
        }
        match self
            .call(|token| async move { ops::me(&token).await })
            .await
        {
            Ok(user) if !user.active => self.end(Some(SESSION_ENDED)),
            Ok(user) => self.update_user(user),
            // UNAUTHENTICATED has already ended the session; anything else (the server being
            // unreachable for a moment) is tried again on the next navigation or poll.
            Err(_) => {}
        }
    }
}

fn unauthenticated() -> ApiError {
    ApiError {
        code: Some(ErrorCode::Unauthenticated),
        message: SESSION_ENDED.to_string(),
        fields: Vec::new(),
    }
}
