//! What the warehouse-floor screens share: the warehouse someone works in, the scan input of a
//! keyboard-wedge scanner, the way a refused scan is shown, documents to print, and following a
//! warehouse's activity live.

use crate::api::documents::{self, Document};
use crate::api::live::{self, LiveEvent, Subscription};
use crate::api::types::{Warehouse, WarehouseActivity};
use crate::api::{ApiError, ops};
use crate::components::status::LiveState;
use crate::session::{Auth, use_auth};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The `sessionStorage` key of the warehouse last chosen on a floor screen.
const WAREHOUSE_KEY: &str = "orderly.warehouse";

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The warehouse a floor screen works in: the one last chosen in this tab, else the first of
/// the user's warehouses, else the first there is. Set once the warehouses are known.
pub fn chosen_warehouse(auth: Auth, warehouses: RwSignal<Vec<Warehouse>>) -> RwSignal<String> {
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        let list = warehouses.get();
        if list.is_empty() || !chosen.with_untracked(String::is_empty) {
            return;
        }
        let remembered = session_storage().and_then(|s| s.get_item(WAREHOUSE_KEY).ok().flatten());
        let mine = auth.user().map(|u| u.warehouse_codes).unwrap_or_default();
        let pick = remembered
            .filter(|id| list.iter().any(|w| &w.id == id))
            .or_else(|| {
                list.iter()
                    .find(|w| mine.contains(&w.code))
                    .map(|w| w.id.clone())
            })
            .or_else(|| list.first().map(|w| w.id.clone()));
        if let Some(id) = pick {
            chosen.set(id);
        }
    });
    Effect::new(move |_| {
        let id = chosen.get();
        if !id.is_empty()
            && let Some(s) = session_storage()
        {
            let _ = s.set_item(WAREHOUSE_KEY, &id);
        }
    });
    chosen
}

/// Every carrier's code, read once for the page's choices (empty if they cannot be read).
pub fn load_carrier_codes(auth: Auth) -> RwSignal<Vec<String>> {
    let codes = RwSignal::new(Vec::new());
    spawn_local(async move {
        match auth
            .call(|token| async move { ops::carriers(&token).await })
            .await
        {
            Ok(list) => {
                let _ = codes.try_set(
                    list.into_iter()
                        .filter(|c| c.active)
                        .map(|c| c.code)
                        .collect(),
                );
            }
            Err(e) => leptos::logging::warn!("could not read the carriers: {e}"),
        }
    });
    codes
}

/// The code of a warehouse id, for headings ("SH1").
pub fn warehouse_code(warehouses: &[Warehouse], id: &str) -> String {
    warehouses
        .iter()
        .find(|w| w.id == id)
        .map(|w| w.code.clone())
        .unwrap_or_default()
}

/// A labelled choice of warehouse.
#[component]
pub fn WarehouseSelect(
    id: &'static str,
    warehouses: RwSignal<Vec<Warehouse>>,
    chosen: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>"Warehouse"</label>
            <select id=id prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                {move || {
                    warehouses
                        .get()
                        .into_iter()
                        .map(|w| {
                            let selected = chosen.get_untracked() == w.id;
                            view! {
                                <option value=w.id selected=selected>
                                    {format!("{} — {}", w.code, w.name)}
                                </option>
                            }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}

/// The scan input: a scanner types the code and presses Enter. It takes focus when it appears
/// and again whenever `focus` is bumped (after a button took it), so the next scan lands here.
#[component]
pub fn ScanInput(
    id: &'static str,
    label: &'static str,
    on_scan: Callback<String>,
    busy: RwSignal<bool>,
    focus: RwSignal<u32>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let value = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        focus.track();
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let code = value.get_untracked().trim().to_string();
        value.set(String::new());
        if !code.is_empty() && !busy.get_untracked() {
            on_scan.run(code);
        }
    };
    view! {
        <form class="scan-form" on:submit=on_submit>
            <label for=id>{label}</label>
            <input
                id=id
                class="scan-input"
                type="text"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                enterkeyhint="go"
                placeholder=placeholder
                node_ref=input
                bind:value=value
                aria-busy=move || busy.get().then_some("true")
            />
        </form>
    }
}

/// Each problem of a refusal: the field problems' codes and sentences, or the message alone.
pub fn refusal_lines(e: &ApiError) -> Vec<(String, String)> {
    if e.fields.is_empty() {
        let code = e.code.map(|c| c.as_str()).unwrap_or("NETWORK");
        return vec![(code.to_string(), e.message.clone())];
    }
    e.fields
        .iter()
        .map(|p| (p.code.clone(), sentence(&p.message)))
        .collect()
}

fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A refused scan or action, prominently: every problem with its code in `data-code`.
#[component]
pub fn Refusal(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.with(|e| {
            e.as_ref().map(|e| {
                view! {
                    <div class="alert alert-error refusal" role="alert" data-testid="refusal">
                        {refusal_lines(e)
                            .into_iter()
                            .map(|(code, message)| view! { <p data-code=code>{message}</p> })
                            .collect_view()}
                    </div>
                }
            })
        })
    }
}

/// A button that fetches a document with the session's token and opens it in a new tab; when
/// the browser blocks the tab, a link opens it instead.
#[component]
pub fn DocumentButton(
    document: Document,
    #[prop(into)] id: String,
    label: &'static str,
    #[prop(optional)] small: bool,
) -> impl IntoView {
    let auth = use_auth();
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let blocked = RwSignal::new(None::<String>);
    let path = document.path(&id);
    let on_click = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let path = path.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let path = path.clone();
                    async move { documents::fetch(&token, &path).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(url) => {
                    let opened = documents::open(&url);
                    let _ = blocked.try_set((!opened).then_some(url));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    let class = if small {
        "btn btn-secondary btn-small"
    } else {
        "btn btn-secondary"
    };
    view! {
        <span class="document">
            <button type="button" class=class disabled=busy on:click=on_click>
                {label}
            </button>
            {move || {
                blocked
                    .get()
                    .map(|url| {
                        view! {
                            <a href=url target="_blank" rel="noopener" class="document-link">
                                "Open the PDF"
                            </a>
                        }
                    })
            }}
            {move || error.get().map(|m| view! { <span class="field-error" role="alert">{m}</span> })}
        </span>
    }
}

/// Follows a warehouse's activity: `live` says whether updates run, `on_change` hears every
/// event (and a resumption, as `None`: events may have been missed). The subscription follows
/// `warehouse_id` and ends with the screen.
pub fn follow_activity(
    warehouse_id: Signal<String>,
    live: RwSignal<LiveState>,
    on_change: impl Fn(Option<WarehouseActivity>) + Clone + 'static,
) {
    let auth = use_auth();
    let subscription = StoredValue::new_local(None::<Subscription>);
    Effect::new(move |_| {
        let id = warehouse_id.get();
        subscription.set_value(None);
        if id.is_empty() {
            return;
        }
        live.set(LiveState::Connecting);
        let on_change = on_change.clone();
        let on_event = move |event: LiveEvent| match event {
            LiveEvent::Live { resumed } => {
                live.set(LiveState::Live);
                if resumed {
                    on_change(None);
                }
            }
            LiveEvent::Reconnecting => live.set(LiveState::Reconnecting),
            LiveEvent::Failed(why) => live.set(LiveState::Failed(why)),
            LiveEvent::Data(data) => {
                let event = data
                    .get("warehouseActivity")
                    .and_then(|v| serde_json::from_value::<WarehouseActivity>(v.clone()).ok());
                if event.is_some() {
                    on_change(event);
                }
            }
        };
        subscription.set_value(Some(live::subscribe(
            auth,
            ops::WAREHOUSE_ACTIVITY,
            serde_json::json!({ "warehouseId": id }),
            on_event,
        )));
    });
    on_cleanup(move || {
        subscription.try_update_value(|s| s.take());
    });
}

/// `960` → `960 g`, `1260` → `1.26 kg`.
pub fn grams(g: i32) -> String {
    if g.abs() < 1000 {
        format!("{g} g")
    } else {
        let kg = f64::from(g) / 1000.0;
        format!(
            "{} kg",
            format!("{kg:.2}")
                .trim_end_matches('0')
                .trim_end_matches('.')
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderly_shared::{ErrorCode, FieldProblem};

    #[test]
    fn weights_read_in_grams_or_kilograms() {
        assert_eq!(grams(960), "960 g");
        assert_eq!(grams(1260), "1.26 kg");
        assert_eq!(grams(2000), "2 kg");
        assert_eq!(grams(1500), "1.5 kg");
    }

    #[test]
    fn a_refusal_lists_its_field_problems_or_its_message() {
        let e = ApiError {
            code: Some(ErrorCode::Validation),
            message: "the input is invalid".into(),
            fields: vec![FieldProblem::new(
                "code",
                "WRONG_BIN",
                "wrong bin: go to A-01-02-1, scanned A-01-10-1",
            )],
        };
        assert_eq!(
            refusal_lines(&e),
            vec![(
                "WRONG_BIN".to_string(),
                "Wrong bin: go to A-01-02-1, scanned A-01-10-1".to_string()
            )]
        );
        let e = ApiError {
            code: Some(ErrorCode::NotFound),
            message: "No shipment to pack for X.".into(),
            fields: vec![],
        };
        assert_eq!(refusal_lines(&e)[0].0, "NOT_FOUND");
    }
}
