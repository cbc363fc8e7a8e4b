//! Stock levels: one row per SKU per bin, filtered by warehouse and SKU, a page at a time. A
//! row can be handed to the change form or have its SKU's ledger shown; a change made on the
//! page shows in its row at once.

use crate::api::ops;
use crate::api::types::{StockLevel, Warehouse};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Rows per page.
const PAGE: u32 = 25;

/// What the table is narrowed to: a warehouse code and a SKU, blank for any.
#[derive(Debug, Clone, Default, PartialEq)]
struct Narrowing {
    warehouse: String,
    sku: String,
}

impl Narrowing {
    fn warehouse(&self) -> Option<String> {
        Some(self.warehouse.trim().to_uppercase()).filter(|s| !s.is_empty())
    }

    /// SKUs are matched exactly; the catalogue's are upper-case.
    fn sku(&self) -> Option<String> {
        Some(self.sku.trim().to_uppercase()).filter(|s| !s.is_empty())
    }

    fn admits(&self, level: &StockLevel) -> bool {
        self.warehouse().is_none_or(|w| w == level.warehouse)
            && self.sku().is_none_or(|s| s == level.sku)
    }
}

/// Puts a row as a change left it into the rows shown: in its place, or (when it is new and
/// matches the narrowing) at the end.
fn upsert(rows: &mut Vec<StockLevel>, level: StockLevel, narrowing: &Narrowing) {
    match rows.iter_mut().find(|r| r.id == level.id) {
        Some(slot) => *slot = level,
        None if narrowing.admits(&level) => rows.push(level),
        None => {}
    }
}

#[component]
pub fn StockLevelsSection(
    warehouses: RwSignal<Vec<Warehouse>>,
    changed: RwSignal<Option<StockLevel>>,
    picked: RwSignal<Option<StockLevel>>,
    ledger_sku: RwSignal<String>,
    may_change: bool,
) -> impl IntoView {
    let auth = use_auth();
    let applied = RwSignal::new(Narrowing::default());
    let warehouse = RwSignal::new(String::new());
    let sku = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<StockLevel>::new());
    let cursor = RwSignal::new(None::<String>);
    let has_more = RwSignal::new(false);
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    // Bumped when the narrowing changes, so answers for an older one are dropped.
    let generation = StoredValue::new(0u32);

    let load = move |after: Option<String>| {
        let Some(generation_now) = generation.try_get_value() else {
            return;
        };
        let narrowing = applied.get_untracked();
        loading.set(true);
        spawn_local(async move {
            let first_page = after.is_none();
            let result = auth
                .call(|token| {
                    let after = after.clone();
                    let (w, s) = (narrowing.warehouse(), narrowing.sku());
                    async move { ops::stock_levels(&token, PAGE, after, w, s).await }
                })
                .await;
            if generation.try_get_value() != Some(generation_now) {
                return;
            }
            match result {
                Ok(page) => {
                    rows.update(|list| {
                        if first_page {
                            *list = page.nodes;
                        } else {
                            for level in page.nodes {
                                if !list.iter().any(|r| r.id == level.id) {
                                    list.push(level);
                                }
                            }
                        }
                    });
                    cursor.set(page.page_info.end_cursor);
                    has_more.set(page.page_info.has_next_page);
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
            loading.set(false);
        });
    };
    Effect::new(move |_| {
        applied.track();
        generation.update_value(|g| *g += 1);
        load(None);
    });
    Effect::new(move |_| {
        if let Some(level) = changed.get() {
            let narrowing = applied.get_untracked();
            rows.update(|list| upsert(list, level, &narrowing));
        }
    });

    let apply_now = move || {
        let next = Narrowing {
            warehouse: warehouse.get_untracked(),
            sku: sku.get_untracked(),
        };
        if applied.get_untracked() != next {
            applied.set(next);
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        apply_now();
    };
    let count = move || {
        let n = rows.with(Vec::len);
        let more = if has_more.get() {
            " — more below"
        } else {
            ""
        };
        match n {
            1 => format!("1 row{more}"),
            n => format!("{n} rows{more}"),
        }
    };

    view! {
        <section class="card" aria-labelledby="stock-title">
            <div class="card-header">
                <h2 id="stock-title">"Stock levels"</h2>
                <span class="muted" data-testid="stock-count">{count}</span>
            </div>
            <form class="filters filters-compact" role="search" aria-label="Stock filters" on:submit=on_submit>
                <div class="field">
                    <label for="stock-filter-warehouse">"Warehouse"</label>
                    <select
                        id="stock-filter-warehouse"
                        prop:value=move || warehouse.get()
                        on:change=move |ev| {
                            warehouse.set(event_target_value(&ev));
                            apply_now();
                        }
                    >
                        <option value="">"Every warehouse"</option>
                        {move || {
                            warehouses
                                .get()
                                .into_iter()
                                .map(|w| {
                                    view! {
                                        <option value=w.code.clone()>{format!("{} — {}", w.code, w.name)}</option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="stock-filter-sku">"SKU"</label>
                    <input
                        id="stock-filter-sku"
                        type="search"
                        autocomplete="off"
                        placeholder="e.g. TEA-OOLONG-250"
                        bind:value=sku
                        on:change=move |_| apply_now()
                    />
                </div>
                <div class="filter-actions">
                    <button type="submit" class="btn btn-primary">"Show"</button>
                </div>
            </form>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Stock levels">
                    <thead>
                        <tr>
                            <th scope="col">"Warehouse"</th>
                            <th scope="col">"Bin"</th>
                            <th scope="col">"SKU"</th>
                            <th scope="col" class="num">"On hand"</th>
                            <th scope="col" class="num">"Reserved"</th>
                            <th scope="col" class="num">"Available"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rows
                                .get()
                                .into_iter()
                                .map(|level| {
                                    view! {
                                        <tr data-stock=format!("{}/{}/{}", level.warehouse, level.bin, level.sku)>
                                            <td>{level.warehouse.clone()}</td>
                                            <td>
                                                <code>{level.bin.clone()}</code>
                                            </td>
                                            <td>
                                                <code>{level.sku.clone()}</code>
                                            </td>
                                            <td class="num" data-testid="on-hand">{level.on_hand}</td>
                                            <td class="num" data-testid="reserved">{level.reserved}</td>
                                            <td class="num" data-testid="available">
                                                {level.available}
                                                {level.blocked.then(|| view! { <span class="badge badge-warn">"blocked"</span> })}
                                            </td>
                                            <td>
                                                <div class="actions">
                                                    {may_change
                                                        .then(|| {
                                                            let level = level.clone();
                                                            view! {
                                                                <button
                                                                    type="button"
                                                                    class="btn btn-small btn-secondary"
                                                                    on:click=move |_| picked.set(Some(level.clone()))
                                                                >
                                                                    "Change"
                                                                </button>
                                                            }
                                                        })}
                                                    <button
                                                        type="button"
                                                        class="btn btn-small btn-secondary"
                                                        on:click={
                                                            let sku = level.sku.clone();
                                                            move |_| ledger_sku.set(sku.clone())
                                                        }
                                                    >
                                                        "Ledger"
                                                    </button>
                                                </div>
                                            </td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || rows.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)) text="No stock matches." />
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(cursor.get_untracked())) />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(id: &str, warehouse: &str, sku: &str, on_hand: i64) -> StockLevel {
        StockLevel {
            id: id.into(),
            warehouse: warehouse.into(),
            bin: "A-01-01-1".into(),
            sku: sku.into(),
            on_hand,
            reserved: 0,
            available: on_hand,
            blocked: false,
        }
    }

    #[test]
    fn a_changed_row_replaces_its_old_self_or_joins_when_it_matches() {
        let sh1 = Narrowing {
            warehouse: "sh1".into(),
            sku: String::new(),
        };
        let mut rows = vec![level("1", "SH1", "TEA", 40)];
        upsert(&mut rows, level("1", "SH1", "TEA", 50), &sh1);
        assert_eq!(rows[0].on_hand, 50);
        upsert(&mut rows, level("2", "GZ1", "TEA", 5), &sh1);
        assert_eq!(rows.len(), 1, "another warehouse's row stays out");
        upsert(&mut rows, level("3", "SH1", "MUG", 5), &sh1);
        assert_eq!(rows.len(), 2, "a new bin of the warehouse joins");
    }
}
