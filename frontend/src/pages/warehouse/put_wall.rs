//! The put wall of a batch wave: every scanned unit is sent to the slot of the order that
//! still needs it, shown in huge type; slots fill up until the wall is complete and every order
//! of the wave is ready to pack. Each slot shows the label the packer scans.

use super::floor::{Refusal, ScanInput};
use super::waves::WaveStatusBadge;
use crate::api::types::{SortScan, WarehouseShipment, WaveDetail};
use crate::api::{ApiError, ops};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use orderly_shared::WaveStatus;

/// The label of a put-wall slot the pack station takes: `<wave number>-<slot, two digits>`.
pub fn slot_label(wave_number: &str, slot: i32) -> String {
    format!("{wave_number}-{slot:02}")
}

/// Units sorted into a shipment's slot, and the units it needs.
fn filled(s: &WarehouseShipment) -> (i32, i32) {
    s.lines.iter().fold((0, 0), |(sorted, of), l| {
        (sorted + l.sorted_quantity, of + l.picked_quantity)
    })
}

/// `/warehouse/sort/<wave id>`.
#[component]
pub fn PutWall() -> impl IntoView {
    let auth = use_auth();
    let params = use_params_map();
    let wave_id = Memo::new(move |_| params.with(|p| p.get("wave").unwrap_or_default()));
    let wave = RwSignal::new(None::<WaveDetail>);
    let failed = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let id = wave_id.get();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = id.clone();
                    async move { ops::wave(&token, &id).await }
                })
                .await;
            match result {
                Ok(Some(w)) => {
                    let _ = wave.try_set(Some(w));
                }
                Ok(None) => {
                    let _ = failed.try_set(Some("There is no such wave.".into()));
                }
                Err(e) => {
                    let _ = failed.try_set(Some(e.message));
                }
            }
        });
    });
    let busy = RwSignal::new(false);
    let refusal = RwSignal::new(None::<ApiError>);
    let last = RwSignal::new(None::<SortScan>);
    let focus = RwSignal::new(0u32);
    let on_scan = Callback::new(move |code: String| {
        let id = wave_id.get_untracked();
        busy.set(true);
        refusal.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, code) = (id.clone(), code.clone());
                    async move { ops::sort_scan(&token, &id, &code).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(scan) => {
                    let _ = wave.try_set(Some(scan.wave.clone()));
                    let _ = last.try_set(Some(scan));
                }
                Err(e) => {
                    let _ = refusal.try_set(Some(e));
                }
            }
            let _ = focus.try_update(|n| *n += 1);
        });
    });
    let complete = move || wave.with(|w| w.as_ref().is_some_and(|w| w.status == WaveStatus::Ready));

    view! {
        <p class="breadcrumb">
            <A href="/warehouse/waves">"← Waves"</A>
        </p>
        <section class="put-wall" aria-labelledby="wall-title">
            <header class="handheld-header">
                <h1 id="wall-title">
                    "Put wall " <code>{move || wave.with(|w| w.as_ref().map(|w| w.number.clone()))}</code>
                </h1>
                {move || wave.get().map(|w| view! { <WaveStatusBadge status=w.status /> })}
            </header>
            {move || failed.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <Show when=move || !complete()>
                <ScanInput id="sort-scan" label="Scan an item" on_scan=on_scan busy=busy focus=focus placeholder="Item barcode" />
            </Show>
            <Refusal error=refusal />
            {move || {
                last.get()
                    .map(|s| {
                        view! {
                            <div class="slot-callout" role="status" data-testid="sort-result">
                                <p class="slot-number">{format!("Slot {}", s.slot)}</p>
                                <p class="slot-order">
                                    <code>{s.order_number}</code>
                                    " · "
                                    <code>{s.sku}</code>
                                </p>
                                {s.slot_complete.then(|| view! { <p class="slot-complete">"Slot complete: ready to pack"</p> })}
                            </div>
                        }
                    })
            }}
            <Show when=complete>
                <div class="pick-done" role="status" data-testid="wall-complete">
                    <h2>"The wall is complete"</h2>
                    <p>"Every order of this wave is in its slot, ready to pack."</p>
                    <A href="/warehouse/pack" attr:class="btn btn-primary">
                        "Go to the pack station"
                    </A>
                </div>
            </Show>
            <ol class="wall" aria-label="Put-wall slots">
                {move || {
                    wave.get()
                        .map(|w| {
                            let number = w.number.clone();
                            let mut shipments = w.shipments;
                            shipments.sort_by_key(|s| s.wall_slot);
                            shipments
                                .into_iter()
                                .filter_map(|s| s.wall_slot.map(|slot| (slot, s)))
                                .map(|(slot, s)| {
                                    let (sorted, of) = filled(&s);
                                    let done = of > 0 && sorted >= of;
                                    view! {
                                        <li class="wall-slot" class:wall-slot-done=done data-slot=slot>
                                            <span class="wall-slot-number">{slot}</span>
                                            <code class="wall-slot-order">{s.order_number.clone()}</code>
                                            <span class="wall-slot-count">{format!("{sorted} of {of} units")}</span>
                                            <span class="muted wall-slot-label">{slot_label(&number, slot)}</span>
                                            {done.then(|| view! { <span class="badge badge-ok">"Complete"</span> })}
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_labels_have_two_digit_slots() {
        assert_eq!(slot_label("WV261201-ABCDEFG", 1), "WV261201-ABCDEFG-01");
        assert_eq!(slot_label("WV1", 12), "WV1-12");
    }
}
