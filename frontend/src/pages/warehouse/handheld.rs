//! The handheld: one pick task at a time in walking order. The picker scans the bin label,
//! then every unit; a wrong bin, a wrong item, a misread or one unit too many is refused on the
//! spot and changes nothing. High-value units need a second scan (or the confirm button); a
//! bin that holds fewer units than the list says is reported short. Every accepted scan
//! answers with the whole wave, so the screen moves to the next open task by itself.

use super::floor::{Refusal, ScanInput};
use super::waves::{WaveProgressBar, WaveStatusBadge};
use crate::api::types::{PickPhase, PickTask, WaveDetail};
use crate::api::{ApiError, ops};
use crate::components::form::whole_number;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use orderly_shared::{FieldProblem, WaveKind};

/// What the screen is showing.
#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Missing,
    Failed(String),
    Loaded,
}

/// The task to do now: the first open one along the walking path.
fn current_task(wave: &WaveDetail) -> Option<(usize, PickTask)> {
    wave.tasks
        .iter()
        .position(|t| !t.done)
        .map(|i| (i, wave.tasks[i].clone()))
}

/// What the picker does next on a task.
fn prompt(task: &PickTask) -> String {
    match task.phase {
        PickPhase::AwaitingBin => format!("Scan the bin label {}", task.bin),
        PickPhase::Picking => format!(
            "Scan each item: {} more",
            task.quantity - task.picked - task.short
        ),
        PickPhase::AwaitingConfirmation => {
            "High value: scan the item again, or confirm, to count it".to_string()
        }
        PickPhase::Complete => "Done".to_string(),
    }
}

/// `/warehouse/pick/<wave id>`.
#[component]
pub fn Handheld() -> impl IntoView {
    let auth = use_auth();
    let params = use_params_map();
    let wave_id = Memo::new(move |_| params.with(|p| p.get("wave").unwrap_or_default()));
    let wave = RwSignal::new(None::<WaveDetail>);
    let state = RwSignal::new(Load::Loading);
    Effect::new(move |_| {
        let id = wave_id.get();
        state.set(Load::Loading);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::wave(&token, &id).await }
                })
                .await;
            let next = match result {
                Ok(Some(w)) => {
                    let _ = wave.try_set(Some(w));
                    Load::Loaded
                }
                Ok(None) => Load::Missing,
                Err(e) => Load::Failed(e.message),
            };
            let _ = state.try_set(next);
        });
    });
    view! {
        <p class="breadcrumb">
            <A href="/warehouse/waves">"← Waves"</A>
        </p>
        {move || match state.get() {
            Load::Loading => view! { <p class="muted" role="status">"Loading the wave…"</p> }.into_any(),
            Load::Missing => view! { <p class="alert alert-error" role="alert">"There is no such wave."</p> }.into_any(),
            Load::Failed(why) => view! { <p class="alert alert-error" role="alert">{why}</p> }.into_any(),
            Load::Loaded => view! { <PickScreen wave=wave /> }.into_any(),
        }}
    }
}

#[component]
fn PickScreen(wave: RwSignal<Option<WaveDetail>>) -> impl IntoView {
    let auth = use_auth();
    let busy = RwSignal::new(false);
    let refusal = RwSignal::new(None::<ApiError>);
    let said = RwSignal::new(None::<String>);
    let focus = RwSignal::new(0u32);
    let short_open = RwSignal::new(false);
    let found = RwSignal::new(String::new());

    let number = move || wave.with(|w| w.as_ref().map(|w| w.number.clone()).unwrap_or_default());
    let task = Memo::new(move |_| wave.with(|w| w.as_ref().and_then(current_task)));
    let task_id = move || task.with_untracked(|t| t.as_ref().map(|(_, t)| t.id.clone()));

    // Runs one handheld request; its answer replaces the wave, a refusal changes nothing.
    let send = move |request: Request| {
        let Some(id) = task_id() else { return };
        busy.set(true);
        refusal.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, request) = (id.clone(), request.clone());
                    async move {
                        match request {
                            Request::Scan(code) => ops::scan_pick(&token, &id, &code)
                                .await
                                .map(|s| (s.message, s.wave)),
                            Request::Confirm => ops::confirm_pick(&token, &id)
                                .await
                                .map(|s| (s.message, s.wave)),
                            Request::Short(found) => {
                                ops::report_short_pick(&token, &id, found).await.map(|r| {
                                    let mut message = format!(
                                        "Short pick: {} expected, {} found, {} missing.",
                                        r.expected, r.found, r.missing
                                    );
                                    for note in r.notes {
                                        message.push(' ');
                                        message.push_str(&note);
                                    }
                                    (message, r.wave)
                                })
                            }
                        }
                    }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok((message, w)) => {
                    let _ = said.try_set(Some(message));
                    let _ = wave.try_set(Some(w));
                    let _ = short_open.try_set(false);
                    let _ = found.try_set(String::new());
                }
                Err(e) => {
                    let _ = refusal.try_set(Some(e));
                }
            }
            let _ = focus.try_update(|n| *n += 1);
        });
    };
    let on_scan = Callback::new(move |code: String| send(Request::Scan(code)));
    let on_short = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut problems = Vec::new();
        match whole_number("found", &found.get_untracked(), &mut problems) {
            Some(n) => send(Request::Short(n)),
            None => {
                if problems.is_empty() {
                    problems.push(FieldProblem::new(
                        "found",
                        "REQUIRED",
                        "Say how many more units are in the bin (0 if none).",
                    ));
                }
                refusal.set(crate::components::form::local_problems(problems));
            }
        }
    };

    view! {
        <section class="handheld" aria-labelledby="handheld-title">
            <header class="handheld-header">
                <h1 id="handheld-title">
                    "Picking " <code>{number}</code>
                </h1>
                {move || {
                    wave.get()
                        .map(|w| {
                            view! {
                                <WaveStatusBadge status=w.status />
                                <WaveProgressBar progress=w.progress />
                            }
                        })
                }}
            </header>
            {move || match task.get() {
                Some((index, t)) => {
                    let total = wave.with(|w| w.as_ref().map(|w| w.tasks.len()).unwrap_or_default());
                    let discrete = wave
                        .with(|w| w.as_ref().is_some_and(|w| w.kind == WaveKind::Discrete));
                    let order = discrete
                        .then(|| {
                            wave.with(|w| {
                                w.as_ref()
                                    .and_then(|w| {
                                        w.shipments
                                            .iter()
                                            .find(|s| Some(&s.id) == t.shipment_id.as_ref())
                                            .map(|s| format!(" · list {} for order {}", t.list_no, s.order_number))
                                    })
                            })
                        })
                        .flatten()
                        .unwrap_or_default();
                    view! { <TaskCard task=t index=index total=total order=order /> }.into_any()
                }
                None => {
                    let batch = wave.with(|w| w.as_ref().is_some_and(|w| w.kind == WaveKind::Batch));
                    let id = wave.with(|w| w.as_ref().map(|w| w.id.clone()).unwrap_or_default());
                    view! {
                        <div class="pick-done" role="status" data-testid="wave-picked">
                            <h2>"Wave picked"</h2>
                            <p>"Every task of this wave is done."</p>
                            {if batch {
                                view! {
                                    <A href=format!("/warehouse/sort/{id}") attr:class="btn btn-primary">
                                        "Go to the put wall"
                                    </A>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <A href="/warehouse/pack" attr:class="btn btn-primary">
                                        "Go to the pack station"
                                    </A>
                                }
                                    .into_any()
                            }}
                        </div>
                    }
                        .into_any()
                }
            }}
            <Show when=move || task.with(Option::is_some)>
                <ScanInput id="pick-scan" label="Scan" on_scan=on_scan busy=busy focus=focus placeholder="Bin label or item barcode" />
                <Refusal error=refusal />
                {move || said.get().map(|m| view! { <p class="scan-said" role="status" data-testid="scan-said">{m}</p> })}
                <div class="handheld-actions">
                    <Show when=move || task.with(|t| t.as_ref().is_some_and(|(_, t)| t.phase == PickPhase::AwaitingConfirmation))>
                        <button type="button" class="btn btn-primary" disabled=busy on:click=move |_| send(Request::Confirm)>
                            "Confirm high-value unit"
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="btn btn-secondary"
                        aria-expanded=move || short_open.get().to_string()
                        on:click=move |_| short_open.update(|o| *o = !*o)
                    >
                        "Report short"
                    </button>
                </div>
                <Show when=move || short_open.get()>
                    <form class="inline-form short-form" on:submit=on_short>
                        <div class="field">
                            <label for="pick-found">"More units found in the bin"</label>
                            <input id="pick-found" type="number" min="0" bind:value=found />
                            <p class="hint">"Besides those already scanned; 0 if the bin is empty."</p>
                        </div>
                        <button type="submit" class="btn btn-danger" disabled=busy>
                            "Report short pick"
                        </button>
                    </form>
                </Show>
            </Show>
        </section>
    }
}

/// What the handheld asks the server.
#[derive(Debug, Clone, PartialEq)]
enum Request {
    Scan(String),
    Confirm,
    Short(i32),
}

/// The task in big type: where to go, what to take, how many.
#[component]
fn TaskCard(task: PickTask, index: usize, total: usize, order: String) -> impl IntoView {
    let count = format!("{} of {}", task.picked, task.quantity);
    let prompt = prompt(&task);
    view! {
        <div class="pick-task" data-task=task.id.clone() data-sku=task.sku.clone() data-phase=format!("{:?}", task.phase)>
            <p class="pick-step">{format!("Stop {} of {total}{order}", index + 1)}</p>
            <p class="pick-go">
                "Go to bin " <strong class="pick-bin" data-testid="pick-bin">{task.bin.clone()}</strong>
            </p>
            <p class="pick-item">
                <code class="pick-sku" data-testid="pick-sku">{task.sku.clone()}</code>
                <span class="pick-name">{task.name.clone()}</span>
            </p>
            <p class="pick-quantity">
                "Take " <strong>{task.quantity}</strong> " · picked "
                <strong data-testid="pick-count">{count}</strong>
            </p>
            <p class="pick-flags">
                {task.fragile.then(|| view! { <span class="flag flag-fragile">"FRAGILE"</span> })}
                {task.high_value.then(|| view! { <span class="flag flag-value">"HIGH VALUE"</span> })}
            </p>
            <p class="pick-prompt" data-testid="pick-prompt">{prompt}</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(done: bool, phase: PickPhase) -> PickTask {
        PickTask {
            id: "t".into(),
            list_no: 1,
            shipment_id: None,
            seq: 1,
            bin: "A-01-02-1".into(),
            sku: "CUP".into(),
            name: "Cup".into(),
            quantity: 3,
            picked: 1,
            short: 0,
            fragile: false,
            high_value: false,
            done,
            phase,
        }
    }

    #[test]
    fn the_picker_is_told_what_to_scan_next() {
        assert_eq!(
            prompt(&task(false, PickPhase::AwaitingBin)),
            "Scan the bin label A-01-02-1"
        );
        assert_eq!(
            prompt(&task(false, PickPhase::Picking)),
            "Scan each item: 2 more"
        );
    }
}
