//! Hand-over: the labelled parcels of a warehouse waiting for a carrier, the parcels scanned
//! onto the carrier's truck, and the manifest the hand-over produces. The server checks every
//! scanned tracking number (unknown, another carrier's, already handed over) and hands over
//! nothing while one is wrong; each problem is shown beside its parcel.

use super::floor::{self, DocumentButton, Refusal, ScanInput, WarehouseSelect};
use crate::api::documents::Document;
use crate::api::types::{Manifest, WarehouseShipment};
use crate::api::{ApiError, ops};
use crate::components::feedback::{EmptyNote, ErrorAlert};
use crate::components::format;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The index of a per-parcel problem: `trackingNumbers[2]` → 2.
fn parcel_index(path: &str) -> Option<usize> {
    let rest = path.rsplit('.').next()?.strip_prefix("trackingNumbers[")?;
    rest.strip_suffix(']')?.parse().ok()
}

/// The problems the server had with the `index`th scanned parcel.
fn parcel_problems(error: &Option<ApiError>, index: usize) -> Vec<String> {
    error
        .as_ref()
        .map(|e| {
            e.fields
                .iter()
                .filter(|p| parcel_index(&p.path) == Some(index))
                .map(|p| p.message.clone())
                .collect()
        })
        .unwrap_or_default()
}

#[component]
pub fn HandoverSections() -> impl IntoView {
    let auth = use_auth();
    let warehouses = super::load_warehouses(auth);
    let chosen = floor::chosen_warehouse(auth, warehouses);
    let carriers = floor::load_carrier_codes(auth);
    let carrier = RwSignal::new(String::new());
    let staged = RwSignal::new(Vec::<WarehouseShipment>::new());
    let manifests = RwSignal::new(Vec::<Manifest>::new());
    let scanned = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let refusal = RwSignal::new(None::<ApiError>);
    let created = RwSignal::new(None::<Manifest>);
    let busy = RwSignal::new(false);
    let focus = RwSignal::new(0u32);
    let loaded = RwSignal::new(false);

    Effect::new(move |_| {
        if carrier.with_untracked(String::is_empty)
            && let Some(first) = carriers.with(|c| c.first().cloned())
        {
            carrier.set(first);
        }
    });
    let reload = move || {
        let (w, c) = (chosen.get_untracked(), carrier.get_untracked());
        if w.is_empty() || c.is_empty() {
            return;
        }
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (w, c) = (w.clone(), c.clone());
                    async move {
                        let s = ops::staged_parcels(&token, &w, &c).await?;
                        let m = ops::manifests(&token, &w).await?;
                        Ok((s.nodes, m.nodes))
                    }
                })
                .await;
            match result {
                Ok((s, m)) => {
                    let _ = staged.try_set(s);
                    let _ = manifests.try_set(m);
                    let _ = error.try_set(None);
                    let _ = loaded.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    Effect::new(move |_| {
        chosen.track();
        carrier.track();
        scanned.set(Vec::new());
        refusal.set(None);
        reload();
    });
    let live = RwSignal::new(crate::components::status::LiveState::Connecting);
    floor::follow_activity(chosen.into(), live, move |event| {
        if event.is_none_or(|e| matches!(e.kind.as_str(), "LABELLED" | "HANDED_OVER")) {
            reload();
        }
    });

    let on_scan = Callback::new(move |code: String| {
        let code = code.to_uppercase();
        created.set(None);
        refusal.set(None);
        scanned.update(|list| {
            if !list.contains(&code) {
                list.push(code);
            }
        });
    });
    let hand_over = move |_| {
        let (w, c, list) = (
            chosen.get_untracked(),
            carrier.get_untracked(),
            scanned.get_untracked(),
        );
        busy.set(true);
        refusal.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (w, c, list) = (w.clone(), c.clone(), list.clone());
                    async move { ops::hand_over(&token, &w, &c, &list).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(m) => {
                    let _ = created.try_set(Some(m));
                    let _ = scanned.try_set(Vec::new());
                    reload();
                }
                Err(e) => {
                    let _ = refusal.try_set(Some(e));
                }
            }
            let _ = focus.try_update(|n| *n += 1);
        });
    };

    view! {
        <section class="card" aria-labelledby="staged-title">
            <div class="card-header">
                <h2 id="staged-title">"Parcels waiting for the carrier"</h2>
                <span class="muted" data-testid="staged-count">
                    {move || match staged.with(Vec::len) {
                        1 => "1 parcel".to_string(),
                        n => format!("{n} parcels"),
                    }}
                </span>
            </div>
            <div class="filters filters-compact">
                <WarehouseSelect id="handover-warehouse" warehouses=warehouses chosen=chosen />
                <div class="field">
                    <label for="handover-carrier">"Carrier"</label>
                    <select id="handover-carrier" prop:value=move || carrier.get() on:change=move |ev| carrier.set(event_target_value(&ev))>
                        {move || {
                            carriers
                                .get()
                                .into_iter()
                                .map(|code| {
                                    let selected = carrier.get_untracked() == code;
                                    view! { <option value=code.clone() selected=selected>{code.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
            </div>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Staged parcels">
                    <thead>
                        <tr>
                            <th scope="col">"Tracking number"</th>
                            <th scope="col">"Order"</th>
                            <th scope="col">"Service"</th>
                            <th scope="col">"Packed in"</th>
                            <th scope="col" class="num">"Weight"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            staged
                                .get()
                                .into_iter()
                                .map(|s| {
                                    let tracking = s.tracking_number.clone().unwrap_or_default();
                                    let on_truck = scanned.with(|l| l.contains(&tracking));
                                    view! {
                                        <tr data-tracking=tracking.clone() class:row-done=on_truck>
                                            <td>
                                                <code>{tracking.clone()}</code>
                                            </td>
                                            <td>
                                                <code>{s.order_number}</code>
                                            </td>
                                            <td>{s.service_code.unwrap_or_default()}</td>
                                            <td>{s.packaging_code.unwrap_or_default()}</td>
                                            <td class="num">{s.packed_weight_g.map(floor::grams).unwrap_or_default()}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || loaded.get() && staged.with(Vec::is_empty)) text="No labelled parcels are waiting for this carrier." />
        </section>
        <section class="card" aria-labelledby="truck-title">
            <h2 id="truck-title">"Hand over"</h2>
            <ScanInput id="handover-scan" label="Scan a parcel" on_scan=on_scan busy=busy focus=focus placeholder="Tracking number" />
            <ol class="scanned-parcels" aria-label="Parcels to hand over">
                {move || {
                    let problems = refusal.get();
                    scanned
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, code)| {
                            let mine = parcel_problems(&problems, i);
                            let remove = code.clone();
                            let key = code.clone();
                            view! {
                                <li data-tracking=key class:has-error=!mine.is_empty()>
                                    <code>{code}</code>
                                    <button
                                        type="button"
                                        class="btn btn-link"
                                        on:click=move |_| scanned.update(|l| l.retain(|c| *c != remove))
                                    >
                                        "Remove"
                                    </button>
                                    {(!mine.is_empty()).then(|| view! { <span class="field-error">{mine.join(" ")}</span> })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
            <Refusal error=refusal />
            <div class="form-actions">
                <button
                    type="button"
                    class="btn btn-primary"
                    disabled=move || busy.get() || scanned.with(Vec::is_empty)
                    on:click=hand_over
                >
                    {move || match scanned.with(Vec::len) {
                        1 => "Hand over 1 parcel".to_string(),
                        n => format!("Hand over {n} parcels"),
                    }}
                </button>
            </div>
            {move || {
                created
                    .get()
                    .map(|m| {
                        view! {
                            <div class="alert alert-success" role="status" data-testid="manifest-created">
                                <p>
                                    {format!(
                                        "Manifest {}: {}, {} handed to {}.",
                                        m.number,
                                        match m.parcel_count {
                                            1 => "1 parcel".to_string(),
                                            n => format!("{n} parcels"),
                                        },
                                        floor::grams(m.total_weight_g),
                                        m.carrier_code
                                    )}
                                </p>
                                <DocumentButton document=Document::Manifest id=m.id label="Print manifest" />
                            </div>
                        }
                    })
            }}
        </section>
        <section class="card" aria-labelledby="manifests-title">
            <h2 id="manifests-title">"Recent manifests"</h2>
            <div class="table-wrap">
                <table class="table" aria-label="Manifests">
                    <thead>
                        <tr>
                            <th scope="col">"Manifest"</th>
                            <th scope="col">"Carrier"</th>
                            <th scope="col" class="num">"Parcels"</th>
                            <th scope="col" class="num">"Weight"</th>
                            <th scope="col">"Handed over (UTC)"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            manifests
                                .get()
                                .into_iter()
                                .map(|m| {
                                    let key = m.number.clone();
                                    view! {
                                        <tr data-manifest=key>
                                            <td>
                                                <code>{m.number}</code>
                                            </td>
                                            <td>{m.carrier_code}</td>
                                            <td class="num">{m.parcel_count}</td>
                                            <td class="num">{floor::grams(m.total_weight_g)}</td>
                                            <td>{format!("{} by {}", format::timestamp(&m.created_at), m.handed_over_by)}</td>
                                            <td>
                                                <DocumentButton document=Document::Manifest id=m.id label="Print" small=true />
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || loaded.get() && manifests.with(Vec::is_empty)) text="No hand-overs from this warehouse yet." />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parcel_problems_are_found_by_their_index() {
        assert_eq!(parcel_index("trackingNumbers[1]"), Some(1));
        assert_eq!(parcel_index("input.trackingNumbers[12]"), Some(12));
        assert_eq!(parcel_index("carrierCode"), None);
    }
}
