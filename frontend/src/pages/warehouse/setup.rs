//! Fulfilment setup: the packaging catalogue the pack station suggests from (with a form that
//! adds an entry or replaces one by code), and the carriers with their services, coverage and
//! limits.

use crate::api::types::{Carrier, Packaging, PackagingInput};
use crate::api::{ApiError, ops};
use crate::components::feedback::{ErrorAlert, SuccessAlert};
use crate::components::form::{FormError, TextField, field_errors, local_problems, whole_number};
use crate::components::format;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::PackagingKind;

pub fn packaging_kind_label(kind: PackagingKind) -> &'static str {
    match kind {
        PackagingKind::Carton => "Carton",
        PackagingKind::MailerBag => "Mailer bag",
        PackagingKind::SealedBag => "Sealed bag",
        PackagingKind::BubbleWrap => "Bubble wrap",
    }
}

#[component]
pub fn SetupSections() -> impl IntoView {
    let auth = use_auth();
    let packagings = RwSignal::new(Vec::<Packaging>::new());
    let carriers = RwSignal::new(Vec::<Carrier>::new());
    let error = RwSignal::new(None::<String>);
    let reload = move || {
        spawn_local(async move {
            let result = auth
                .call(|token| async move {
                    let p = ops::packagings(&token).await?;
                    let c = ops::carriers(&token).await?;
                    Ok((p, c))
                })
                .await;
            match result {
                Ok((p, c)) => {
                    let _ = packagings.try_set(p);
                    let _ = carriers.try_set(c);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    reload();
    view! {
        <section class="card" aria-labelledby="packaging-catalogue-title">
            <h2 id="packaging-catalogue-title">"Packaging"</h2>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Packaging catalogue">
                    <thead>
                        <tr>
                            <th scope="col">"Code"</th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Inside (mm)"</th>
                            <th scope="col" class="num">"Max weight"</th>
                            <th scope="col" class="num">"Tare"</th>
                            <th scope="col" class="num">"Cost"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            packagings
                                .get()
                                .into_iter()
                                .map(|p| {
                                    let key = p.code.clone();
                                    view! {
                                        <tr data-packaging=key class:inactive=!p.active>
                                            <td>
                                                <code>{p.code}</code>
                                            </td>
                                            <td>{p.name}</td>
                                            <td>{packaging_kind_label(p.kind)}</td>
                                            <td>{format!("{} × {} × {}", p.inner_length_mm, p.inner_width_mm, p.inner_height_mm)}</td>
                                            <td class="num">{super::floor::grams(p.max_weight_g)}</td>
                                            <td class="num">{super::floor::grams(p.tare_weight_g)}</td>
                                            <td class="num">{format::money(&p.cost)}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <PackagingForm on_saved=Callback::new(move |()| reload()) />
        </section>
        <section class="card" aria-labelledby="carriers-title">
            <h2 id="carriers-title">"Carriers"</h2>
            <div class="table-wrap">
                <table class="table" aria-label="Carriers">
                    <thead>
                        <tr>
                            <th scope="col">"Code"</th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Services"</th>
                            <th scope="col">"Covers"</th>
                            <th scope="col" class="num">"Max weight"</th>
                            <th scope="col">"Cash on delivery"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            carriers
                                .get()
                                .into_iter()
                                .map(|c| {
                                    let services = c
                                        .services
                                        .iter()
                                        .map(|s| format!("{} {} ({} d)", s.code, s.name, s.sla_days))
                                        .collect::<Vec<_>>()
                                        .join(", ");
                                    let covers = c
                                        .coverage
                                        .iter()
                                        .map(|v| {
                                            if v.regions.is_empty() {
                                                v.country.clone()
                                            } else {
                                                format!("{}: {}", v.country, v.regions.join(", "))
                                            }
                                        })
                                        .collect::<Vec<_>>()
                                        .join("; ");
                                    let cod = match (c.cod_supported, &c.cod_limit) {
                                        (true, Some(limit)) => format!("up to {}", format::money(limit)),
                                        (true, None) => "yes".to_string(),
                                        _ => "no".to_string(),
                                    };
                                    let key = c.code.clone();
                                    view! {
                                        <tr data-carrier=key class:inactive=!c.active>
                                            <td>
                                                <code>{c.code}</code>
                                            </td>
                                            <td>{c.name}</td>
                                            <td>{services}</td>
                                            <td>{covers}</td>
                                            <td class="num">{super::floor::grams(c.max_weight_g)}</td>
                                            <td>{cod}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

const FIELDS: &[&str] = &[
    "code",
    "name",
    "innerLengthMm",
    "innerWidthMm",
    "innerHeightMm",
    "maxWeightG",
    "tareWeightG",
    "cost",
    "currency",
];

/// Adds a packaging entry, or replaces the one with the same code.
#[component]
fn PackagingForm(on_saved: Callback<()>) -> impl IntoView {
    let auth = use_auth();
    let code = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(PackagingKind::Carton);
    let length = RwSignal::new(String::new());
    let width = RwSignal::new(String::new());
    let height = RwSignal::new(String::new());
    let max_weight = RwSignal::new(String::new());
    let tare = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let currency = RwSignal::new("CNY".to_string());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        let mut number = |path: &str, value: RwSignal<String>| {
            whole_number(path, &value.get_untracked(), &mut problems).unwrap_or_default()
        };
        let input = PackagingInput {
            code: code.get_untracked().trim().to_string(),
            name: name.get_untracked().trim().to_string(),
            kind: kind.get_untracked(),
            inner_length_mm: number("innerLengthMm", length),
            inner_width_mm: number("innerWidthMm", width),
            inner_height_mm: number("innerHeightMm", height),
            max_weight_g: number("maxWeightG", max_weight),
            tare_weight_g: number("tareWeightG", tare),
            cost: cost.get_untracked().trim().to_string(),
            currency: currency.get_untracked().trim().to_uppercase(),
            active: true,
        };
        if let Some(e) = local_problems(problems) {
            error.set(Some(e));
            return;
        }
        busy.set(true);
        error.set(None);
        done.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::save_packaging(&token, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(p) => {
                    done.set(Some(format!("Saved {} — {}.", p.code, p.name)));
                    on_saved.run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <details class="edit-panel">
            <summary>"Add or replace packaging"</summary>
            <form class="form-grid" novalidate on:submit=on_submit>
                <TextField id="packaging-code" label="Code" value=code errors=field_errors(error, "code") hint="An existing code is replaced." />
                <TextField id="packaging-name" label="Name" value=name errors=field_errors(error, "name") />
                <div class="field">
                    <label for="packaging-kind">"Kind"</label>
                    <select
                        id="packaging-kind"
                        on:change=move |ev| {
                            if let Some(k) = PackagingKind::parse(&event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }
                    >
                        {PackagingKind::ALL
                            .iter()
                            .map(|k| view! { <option value=k.as_str()>{packaging_kind_label(*k)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <TextField id="packaging-length" label="Inside length (mm)" value=length input_type="number" errors=field_errors(error, "innerLengthMm") />
                <TextField id="packaging-width" label="Inside width (mm)" value=width input_type="number" errors=field_errors(error, "innerWidthMm") />
                <TextField id="packaging-height" label="Inside height (mm)" value=height input_type="number" errors=field_errors(error, "innerHeightMm") />
                <TextField id="packaging-max-weight" label="Max weight (g)" value=max_weight input_type="number" errors=field_errors(error, "maxWeightG") />
                <TextField id="packaging-tare" label="Own weight (g)" value=tare input_type="number" errors=field_errors(error, "tareWeightG") />
                <TextField id="packaging-cost" label="Cost" value=cost errors=field_errors(error, "cost") placeholder="1.20" />
                <TextField id="packaging-currency" label="Currency" value=currency errors=field_errors(error, "currency") />
                <FormError error=error fields=FIELDS />
                <SuccessAlert message=done />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        "Save packaging"
                    </button>
                </div>
            </form>
        </details>
    }
}
