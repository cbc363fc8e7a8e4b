//! Waves: the shipments of a warehouse waiting to be picked, the form that groups them into a
//! wave, and the board of waves with their progress. The board follows the warehouse's
//! activity, so another picker's scans move its progress bars without a reload.

use super::floor::{self, DocumentButton, WarehouseSelect};
use crate::api::documents::Document;
use crate::api::types::{CreateWaveInput, Warehouse, WaveCandidate, WaveProgress, WaveRow};
use crate::api::{ApiError, ops};
use crate::components::feedback::{EmptyNote, ErrorAlert, SuccessAlert};
use crate::components::form::{FormError, TextField, field_errors, local_problems, whole_number};
use crate::components::format;
use crate::components::refresh::Refresh;
use crate::components::status::{LiveIndicator, LiveState};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::{WaveKind, WaveStatus};

/// Waves the board shows.
const BOARD: u32 = 20;

pub fn wave_status_label(status: WaveStatus) -> &'static str {
    match status {
        WaveStatus::Released => "Released",
        WaveStatus::Picking => "Picking",
        WaveStatus::Sorting => "Sorting",
        WaveStatus::Ready => "Ready to pack",
        WaveStatus::Cancelled => "Cancelled",
    }
}

fn wave_status_tone(status: WaveStatus) -> &'static str {
    match status {
        WaveStatus::Released => "badge-wait",
        WaveStatus::Picking | WaveStatus::Sorting => "badge-info",
        WaveStatus::Ready => "badge-ok",
        WaveStatus::Cancelled => "badge-muted",
    }
}

#[component]
pub fn WaveStatusBadge(status: WaveStatus) -> impl IntoView {
    view! {
        <span class=format!("badge {}", wave_status_tone(status)) data-status=status.as_str()>
            {wave_status_label(status)}
        </span>
    }
}

/// `3 of 6 units picked · 2 of 5 stops done · 1 short`.
pub fn progress_summary(p: &WaveProgress) -> String {
    let mut text = format!(
        "{} of {} units picked · {} of {} stops done",
        p.units_picked, p.units, p.tasks_done, p.tasks
    );
    if p.units_short > 0 {
        text.push_str(&format!(" · {} short", p.units_short));
    }
    text
}

/// A progress bar of units picked (and short) out of the wave's units.
#[component]
pub fn WaveProgressBar(progress: WaveProgress) -> impl IntoView {
    let total = progress.units.max(1);
    let picked = 100 * progress.units_picked / total;
    let short = 100 * progress.units_short / total;
    view! {
        <div class="wave-progress" data-testid="wave-progress">
            <div
                class="progress"
                role="progressbar"
                aria-label="Units picked"
                aria-valuemin="0"
                aria-valuemax=progress.units
                aria-valuenow=progress.units_picked
            >
                <span class="progress-done" style=format!("width: {picked}%")></span>
                <span class="progress-short" style=format!("width: {short}%")></span>
            </div>
            <span class="progress-text">{progress_summary(&progress)}</span>
        </div>
    }
}

/// The datetime-local value `2026-12-01T17:00` (the browser's time zone) as RFC 3339 UTC.
fn cut_off_utc(local: &str) -> Option<String> {
    let local = local.trim();
    if local.is_empty() {
        return None;
    }
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(local));
    (!date.get_time().is_nan()).then(|| String::from(date.to_iso_string()))
}

#[component]
pub fn WavesSections() -> impl IntoView {
    let auth = use_auth();
    let warehouses = super::load_warehouses(auth);
    let chosen = floor::chosen_warehouse(auth, warehouses);
    let candidates = RwSignal::new(Vec::<WaveCandidate>::new());
    let waves = RwSignal::new(Vec::<WaveRow>::new());
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let live = RwSignal::new(LiveState::Connecting);
    let reloading = StoredValue::new(Refresh::Idle);

    // Reads the candidates and the board of the chosen warehouse; bursts cost one read more.
    let reload = move || {
        if !reloading.try_update_value(|r| r.request()).unwrap_or(false) {
            return;
        }
        spawn_local(async move {
            loop {
                let Some(id) = chosen.try_get_untracked() else {
                    return;
                };
                if !id.is_empty() {
                    let result = auth
                        .call(|token| {
                            let id = id.clone();
                            async move {
                                let c = ops::wave_candidates(&token, &id).await?;
                                let w = ops::waves(&token, &id, BOARD).await?;
                                Ok((c.nodes, w.nodes))
                            }
                        })
                        .await;
                    match result {
                        Ok((c, w)) if chosen.try_get_untracked().as_ref() == Some(&id) => {
                            let _ = candidates.try_set(c);
                            let _ = waves.try_set(w);
                            let _ = error.try_set(None);
                            let _ = loaded.try_set(true);
                        }
                        Ok(_) => {}
                        Err(e) => {
                            let _ = error.try_set(Some(e.message));
                        }
                    }
                }
                if !reloading
                    .try_update_value(|r| r.finished())
                    .unwrap_or(false)
                {
                    return;
                }
            }
        });
    };
    Effect::new(move |_| {
        chosen.track();
        loaded.set(false);
        reload();
    });
    floor::follow_activity(chosen.into(), live, move |_| reload());
    let on_changed = Callback::new(move |()| reload());

    view! {
        <section class="card" aria-labelledby="waiting-title">
            <div class="card-header">
                <h2 id="waiting-title">"Waiting for a wave"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="candidate-count">
                        {move || match candidates.with(Vec::len) {
                            1 => "1 shipment".to_string(),
                            n => format!("{n} shipments"),
                        }}
                    </span>
                    <LiveIndicator state=live />
                </div>
            </div>
            <div class="filters filters-compact">
                <WarehouseSelect id="waves-warehouse" warehouses=warehouses chosen=chosen />
            </div>
            <ErrorAlert message=error />
            <CandidateTable candidates=candidates />
            <EmptyNote
                when=Signal::derive(move || loaded.get() && candidates.with(Vec::is_empty))
                text="No allocated shipments are waiting in this warehouse."
            />
        </section>
        <CreateWaveForm chosen=chosen warehouses=warehouses on_created=on_changed />
        <WaveBoard waves=waves loaded=loaded on_changed=on_changed />
    }
}

#[component]
fn CandidateTable(candidates: RwSignal<Vec<WaveCandidate>>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" aria-label="Shipments waiting for a wave">
                <thead>
                    <tr>
                        <th scope="col">"Order"</th>
                        <th scope="col" class="num">"Units"</th>
                        <th scope="col" class="num">"Weight"</th>
                        <th scope="col">"Planned carrier"</th>
                        <th scope="col" class="num">"Priority"</th>
                        <th scope="col">"Ship by (UTC)"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        candidates
                            .get()
                            .into_iter()
                            .map(|c| {
                                let key = c.order_number.clone();
                                view! {
                                    <tr data-order=key>
                                        <td>
                                            <code>{c.order_number}</code>
                                        </td>
                                        <td class="num">{c.units}</td>
                                        <td class="num">{floor::grams(c.weight_g)}</td>
                                        <td>{c.planned_carrier.unwrap_or_else(|| "—".into())}</td>
                                        <td class="num">{c.priority}</td>
                                        <td>{c.ship_by.map(|t| format::timestamp(&t)).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }
                            })
                            .collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// The fields of the form that show the server's problems beside them.
const FIELDS: &[&str] = &[
    "carrier",
    "cutOff",
    "minPriority",
    "maxShipments",
    "wallSize",
];

#[component]
fn CreateWaveForm(
    chosen: RwSignal<String>,
    warehouses: RwSignal<Vec<Warehouse>>,
    on_created: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let carriers = floor::load_carrier_codes(auth);
    let kind = RwSignal::new(WaveKind::Batch);
    let carrier = RwSignal::new(String::new());
    let cut_off = RwSignal::new(String::new());
    let min_priority = RwSignal::new(String::new());
    let max_shipments = RwSignal::new(String::new());
    let wall_size = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let min_priority =
            whole_number("minPriority", &min_priority.get_untracked(), &mut problems);
        let max_shipments = whole_number(
            "maxShipments",
            &max_shipments.get_untracked(),
            &mut problems,
        );
        let wall_size = whole_number("wallSize", &wall_size.get_untracked(), &mut problems);
        let typed_cut_off = cut_off.get_untracked();
        let cut_off = cut_off_utc(&typed_cut_off);
        if cut_off.is_none() && !typed_cut_off.trim().is_empty() {
            problems.push(orderly_shared::FieldProblem::new(
                "cutOff",
                "MALFORMED",
                "Enter a date and time.",
            ));
        }
        if let Some(e) = local_problems(problems) {
            error.set(Some(e));
            return;
        }
        let kind_now = kind.get_untracked();
        let input = CreateWaveInput {
            warehouse_id: chosen.get_untracked(),
            kind: kind_now,
            carrier: Some(carrier.get_untracked()).filter(|c| !c.is_empty()),
            cut_off,
            min_priority,
            max_shipments,
            wall_size: wall_size.filter(|_| kind_now == WaveKind::Batch),
        };
        busy.set(true);
        error.set(None);
        done.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::create_wave(&token, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(w) => {
                    let code = floor::warehouse_code(&warehouses.get_untracked(), &w.warehouse_id);
                    done.set(Some(format!(
                        "Wave {} created in {code}: {} shipments, {} units to pick.",
                        w.number, w.shipment_count, w.progress.units
                    )));
                    on_created.run(());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let kinds = [
        (WaveKind::Batch, "Batch: one list, then the put wall"),
        (WaveKind::Discrete, "Discrete: one list per order"),
    ];
    view! {
        <section class="card" aria-labelledby="create-wave-title">
            <h2 id="create-wave-title">"Create a wave"</h2>
            <form class="form-grid" novalidate on:submit=on_submit aria-labelledby="create-wave-title">
                <fieldset class="field choice-group choice-row">
                    <legend>"How it is picked"</legend>
                    {kinds
                        .into_iter()
                        .map(|(k, label)| {
                            view! {
                                <label class="check">
                                    <input
                                        type="radio"
                                        name="wave-kind"
                                        value=k.as_str()
                                        prop:checked=move || kind.get() == k
                                        on:change=move |_| kind.set(k)
                                    />
                                    <span>{label}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
                <div class="field" class:has-error=move || !field_errors(error, "carrier").get().is_empty()>
                    <label for="wave-carrier">"Carrier"</label>
                    <select id="wave-carrier" on:change=move |ev| carrier.set(event_target_value(&ev))>
                        <option value="">"Any carrier"</option>
                        {move || {
                            carriers
                                .get()
                                .into_iter()
                                .map(|code| view! { <option value=code.clone()>{code.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                    <p class="hint">"Only shipments planned for this carrier."</p>
                </div>
                <TextField
                    id="wave-cut-off"
                    label="Cut-off (optional)"
                    value=cut_off
                    input_type="datetime-local"
                    errors=field_errors(error, "cutOff")
                    hint="Only shipments that must leave by then."
                />
                <TextField
                    id="wave-min-priority"
                    label="Minimum priority (optional)"
                    value=min_priority
                    input_type="number"
                    errors=field_errors(error, "minPriority")
                    hint="Express or priority orders: 1; with a delivery window: 2."
                />
                <TextField
                    id="wave-max-shipments"
                    label="At most this many shipments (optional)"
                    value=max_shipments
                    input_type="number"
                    errors=field_errors(error, "maxShipments")
                    hint="Up to 200."
                />
                <Show when=move || kind.get() == WaveKind::Batch>
                    <TextField
                        id="wave-wall-size"
                        label="Put-wall slots (optional)"
                        value=wall_size
                        input_type="number"
                        errors=field_errors(error, "wallSize")
                        hint="One slot per order; 24 unless you say otherwise."
                    />
                </Show>
                <FormError error=error fields=FIELDS />
                <SuccessAlert message=done />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        "Create wave"
                    </button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn WaveBoard(
    waves: RwSignal<Vec<WaveRow>>,
    loaded: RwSignal<bool>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    view! {
        <section class="card" aria-labelledby="board-title">
            <div class="card-header">
                <h2 id="board-title">"Waves"</h2>
            </div>
            <ErrorAlert message=error />
            <ul class="wave-board" aria-label="Waves">
                <For each=move || waves.get() key=|w| (w.id.clone(), w.status, w.progress) let(wave)>
                    <WaveItem wave=wave error=error on_changed=on_changed />
                </For>
            </ul>
            <EmptyNote when=Signal::derive(move || loaded.get() && waves.with(Vec::is_empty)) text="No waves in this warehouse yet." />
        </section>
    }
}

#[component]
fn WaveItem(
    wave: WaveRow,
    error: RwSignal<Option<String>>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let busy = RwSignal::new(false);
    let id = wave.id.clone();
    let cancel = move |_| {
        busy.set(true);
        error.set(None);
        let id = id.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::cancel_wave(&token, &id).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => on_changed.run(()),
                Err(e) => {
                    let message = floor::refusal_lines(&e)
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect::<Vec<_>>()
                        .join(" ");
                    let _ = error.try_set(Some(message));
                }
            }
        });
    };
    let picking = matches!(wave.status, WaveStatus::Released | WaveStatus::Picking);
    let sorting = wave.kind == WaveKind::Batch && wave.status == WaveStatus::Sorting;
    let kind = match wave.kind {
        WaveKind::Batch => "Batch",
        WaveKind::Discrete => "Discrete",
    };
    let facts = format!(
        "{kind} · {} shipments · created {} UTC by {}",
        wave.shipment_count,
        format::timestamp(&wave.created_at),
        wave.created_by
    );
    view! {
        <li class="wave-item" data-wave=wave.number.clone()>
            <div class="wave-item-header">
                <h3>
                    <code>{wave.number.clone()}</code>
                </h3>
                <WaveStatusBadge status=wave.status />
                <span class="muted">{facts}</span>
            </div>
            <WaveProgressBar progress=wave.progress />
            <div class="actions">
                {picking
                    .then(|| {
                        view! {
                            <A href=format!("/warehouse/pick/{}", wave.id) attr:class="btn btn-primary btn-small">
                                "Open handheld"
                            </A>
                        }
                    })}
                {sorting
                    .then(|| {
                        view! {
                            <A href=format!("/warehouse/sort/{}", wave.id) attr:class="btn btn-primary btn-small">
                                "Open put wall"
                            </A>
                        }
                    })}
                {(wave.status != WaveStatus::Cancelled)
                    .then(|| {
                        view! {
                            <DocumentButton document=Document::PickList id=wave.id.clone() label="Print pick list" small=true />
                        }
                    })}
                {picking
                    .then(|| {
                        view! {
                            <button type="button" class="btn btn-danger btn-small" disabled=busy on:click=cancel>
                                "Cancel wave"
                            </button>
                        }
                    })}
            </div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_reads_as_one_line() {
        let p = WaveProgress {
            tasks: 5,
            tasks_done: 2,
            units: 6,
            units_picked: 3,
            units_short: 0,
        };
        assert_eq!(
            progress_summary(&p),
            "3 of 6 units picked · 2 of 5 stops done"
        );
        let p = WaveProgress {
            units_short: 1,
            ..p
        };
        assert!(progress_summary(&p).ends_with(" · 1 short"));
        for s in WaveStatus::ALL {
            assert!(!wave_status_label(*s).is_empty());
        }
    }
}
