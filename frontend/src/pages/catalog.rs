//! The catalogue (all staff): every product with its price, barcode, weight and handling flags,
//! searchable by SKU or name and narrowed by category, a page at a time.

use crate::api::ops;
use crate::api::types::Product;
use crate::components::feedback::{ErrorAlert, LoadMore};
use crate::components::{AreaGate, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::Area;

/// Products per page.
const PAGE: u32 = 25;

#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Catalog>
            <header class="page-header">
                <h1>"Products"</h1>
                <p class="lead">"The catalogue, in the order products were added."</p>
            </header>
            <ProductList />
        </AreaGate>
    }
}

/// What the list is narrowed to.
#[derive(Debug, Clone, Default, PartialEq)]
struct Narrowing {
    search: String,
    category: String,
}

impl Narrowing {
    fn search(&self) -> Option<String> {
        Some(self.search.trim().to_string()).filter(|s| !s.is_empty())
    }

    fn category(&self) -> Option<String> {
        Some(self.category.trim().to_string()).filter(|s| !s.is_empty())
    }
}

#[component]
fn ProductList() -> impl IntoView {
    let auth = use_auth();
    let applied = RwSignal::new(Narrowing::default());
    let search = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let rows = RwSignal::new(Vec::<Product>::new());
    // Every category seen so far, offered as choices.
    let categories = RwSignal::new(Vec::<String>::new());
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
                    let (search, category) = (narrowing.search(), narrowing.category());
                    async move { ops::products(&token, PAGE, after, search, category).await }
                })
                .await;
            if generation.try_get_value() != Some(generation_now) {
                return;
            }
            match result {
                Ok(page) => {
                    categories.update(|known| {
                        for p in &page.nodes {
                            if !known.contains(&p.category) {
                                known.push(p.category.clone());
                                known.sort();
                            }
                        }
                    });
                    rows.update(|list| {
                        if first_page {
                            *list = page.nodes;
                        } else {
                            for p in page.nodes {
                                if !list.iter().any(|r| r.id == p.id) {
                                    list.push(p);
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

    let apply_now = move || {
        let next = Narrowing {
            search: search.get_untracked(),
            category: category.get_untracked(),
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
            1 => format!("1 product{more}"),
            n => format!("{n} products{more}"),
        }
    };

    view! {
        <form class="card filters" role="search" aria-label="Product filters" on:submit=on_submit>
            <div class="field filter-search">
                <label for="product-search">"Search"</label>
                <input
                    id="product-search"
                    type="search"
                    placeholder="SKU or name"
                    autocomplete="off"
                    bind:value=search
                    on:change=move |_| apply_now()
                />
            </div>
            <div class="field">
                <label for="product-category">"Category"</label>
                <select
                    id="product-category"
                    prop:value=move || category.get()
                    on:change=move |ev| {
                        category.set(event_target_value(&ev));
                        apply_now();
                    }
                >
                    <option value="">"Any"</option>
                    <For each=move || categories.get() key=|c| c.clone() let(c)>
                        <option value=c.clone()>{c.clone()}</option>
                    </For>
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="btn btn-primary">"Search"</button>
                <button
                    type="button"
                    class="btn btn-secondary"
                    disabled=move || applied.with(|a| *a == Narrowing::default())
                    on:click=move |_| {
                        search.set(String::new());
                        category.set(String::new());
                        apply_now();
                    }
                >
                    "Clear filters"
                </button>
            </div>
        </form>
        <section class="card" aria-labelledby="products-title">
            <div class="card-header">
                <h2 id="products-title">"Catalogue"</h2>
                <div class="card-header-aside">
                    <span class="muted" data-testid="product-count">{count}</span>
                </div>
            </div>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Products">
                    <thead>
                        <tr>
                            <th scope="col">"SKU"</th>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Category"</th>
                            <th scope="col" class="num">"Price"</th>
                            <th scope="col">"GTIN"</th>
                            <th scope="col" class="num">"Weight"</th>
                            <th scope="col">"Handling"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || rows.get() key=|p| p.clone() let(p)>
                            <tr data-sku=p.sku.clone()>
                                <td class="nowrap">
                                    <code>{p.sku.clone()}</code>
                                </td>
                                <td>
                                    {p.name.clone()}
                                    {(!p.active).then(|| view! { <span class="badge badge-muted">"inactive"</span> })}
                                </td>
                                <td>{p.category.clone()}</td>
                                <td class="num nowrap">{format::money(&p.price)}</td>
                                <td class="nowrap">
                                    {match p.gtin.clone() {
                                        Some(gtin) => view! { <code>{gtin}</code> }.into_any(),
                                        None => view! { <span class="muted">"—"</span> }.into_any(),
                                    }}
                                </td>
                                <td class="num nowrap">{weight(p.weight_g)}</td>
                                <td>{handling_badges(&p)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || rows.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)>
                <p class="muted empty-note">
                    {move || {
                        if applied.with(|a| *a == Narrowing::default()) {
                            "The catalogue is empty."
                        } else {
                            "No products match these filters."
                        }
                    }}
                </p>
            </Show>
            <LoadMore has_more=has_more loading=loading on_load=Callback::new(move |()| load(cursor.get_untracked())) />
        </section>
    }
}

/// A weight for people: grams below a kilogram, kilograms above.
fn weight(grams: i64) -> String {
    if grams >= 1000 {
        let kg = grams as f64 / 1000.0;
        format!(
            "{} kg",
            format!("{kg:.2}")
                .trim_end_matches('0')
                .trim_end_matches('.')
        )
    } else {
        format!("{grams} g")
    }
}

/// The handling flags a product carries, as their labels and badge classes.
fn handling(p: &Product) -> Vec<(&'static str, &'static str)> {
    [
        (p.fragile, "fragile", "badge badge-wait"),
        (p.liquid, "liquid", "badge badge-info"),
        (p.high_value, "high value", "badge badge-warn"),
    ]
    .into_iter()
    .filter(|(on, _, _)| *on)
    .map(|(_, label, class)| (label, class))
    .collect()
}

fn handling_badges(p: &Product) -> impl IntoView + use<> {
    handling(p)
        .into_iter()
        .map(|(label, class)| view! { <span class=class data-flag=label>{label}</span> })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::Money;

    #[test]
    fn weights_read_in_grams_or_kilograms() {
        assert_eq!(weight(250), "250 g");
        assert_eq!(weight(1000), "1 kg");
        assert_eq!(weight(1100), "1.1 kg");
        assert_eq!(weight(1250), "1.25 kg");
    }

    #[test]
    fn only_the_flags_a_product_carries_are_shown() {
        let mut p = Product {
            id: "1".into(),
            sku: "POT-YIXING-200".into(),
            name: "Yixing clay teapot".into(),
            category: "ceramics".into(),
            price: Money {
                amount: "458.00".into(),
                currency: "CNY".into(),
            },
            gtin: None,
            weight_g: 320,
            dimensions_mm: vec![160, 120, 110],
            fragile: true,
            liquid: false,
            high_value: true,
            active: true,
        };
        let labels = |p: &Product| handling(p).into_iter().map(|(l, _)| l).collect::<Vec<_>>();
        assert_eq!(labels(&p), ["fragile", "high value"]);
        p.fragile = false;
        p.high_value = false;
        assert!(labels(&p).is_empty());
    }
}
