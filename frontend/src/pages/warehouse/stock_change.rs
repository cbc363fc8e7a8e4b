//! Receiving goods and correcting counts. Both write a ledger row with the reason and reference;
//! the server refuses a correction that would leave fewer units on hand than are promised to
//! orders, and says so with the numbers.

use crate::api::types::{StockChangeInput, StockLevel, Warehouse};
use crate::api::{ApiError, ops};
use crate::components::feedback::SuccessAlert;
use crate::components::form::{FormError, TextField, field_errors, local_problems, whole_number};
use crate::components::format;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{FieldProblem, StockMovementKind};

/// The fields of the form that show the server's problems beside them (a problem with the
/// warehouse, chosen from the list, shows above the buttons).
const FIELDS: &[&str] = &["bin", "sku", "quantity", "reason", "reference"];

/// What a change did, in one sentence with the numbers.
fn summary(kind: StockMovementKind, quantity: i32, level: &StockLevel) -> String {
    let what = match kind {
        StockMovementKind::Receipt => format!("Received {quantity} × {}", level.sku),
        _ => format!(
            "Corrected {} by {}",
            level.sku,
            format::signed(i64::from(quantity))
        ),
    };
    format!(
        "{what} in {} {}: {} on hand, {} reserved, {} available.",
        level.warehouse, level.bin, level.on_hand, level.reserved, level.available
    )
}

#[component]
pub fn StockChangeSection(
    warehouses: RwSignal<Vec<Warehouse>>,
    picked: RwSignal<Option<StockLevel>>,
    on_changed: Callback<StockLevel>,
) -> impl IntoView {
    let auth = use_auth();
    let kind = RwSignal::new(StockMovementKind::Receipt);
    let warehouse = RwSignal::new(String::new());
    let bin = RwSignal::new(String::new());
    let sku = RwSignal::new(String::new());
    let quantity = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let section = NodeRef::<leptos::html::Section>::new();

    // The first warehouse is the default choice once they are known.
    Effect::new(move |_| {
        let first = warehouses.with(|w| w.first().map(|w| w.code.clone()));
        if let Some(first) = first
            && warehouse.with_untracked(String::is_empty)
        {
            warehouse.set(first);
        }
    });
    // A row chosen in the table fills the form's place.
    Effect::new(move |_| {
        if let Some(level) = picked.get() {
            warehouse.set(level.warehouse);
            bin.set(level.bin);
            sku.set(level.sku);
            done.set(None);
            error.set(None);
            if let Some(el) = section.get_untracked() {
                el.scroll_into_view();
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let units = whole_number("quantity", &quantity.get_untracked(), &mut problems);
        if units.is_none() && problems.is_empty() {
            problems.push(FieldProblem::new(
                "quantity",
                "REQUIRED",
                "Give the number of units.",
            ));
        }
        if let Some(e) = local_problems(problems) {
            error.set(Some(e));
            return;
        }
        let units = units.unwrap_or_default();
        let kind_now = kind.get_untracked();
        let input = StockChangeInput {
            warehouse: warehouse.get_untracked().trim().to_uppercase(),
            bin: bin.get_untracked().trim().to_uppercase(),
            sku: sku.get_untracked().trim().to_uppercase(),
            quantity: units,
            // Sent as typed: the server says what a blank reason lacks.
            reason: reason.get_untracked().trim().to_string(),
            reference: Some(reference.get_untracked().trim().to_string()).filter(|r| !r.is_empty()),
        };
        busy.set(true);
        error.set(None);
        done.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::change_stock(&token, kind_now, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(level) => {
                    done.set(Some(summary(kind_now, units, &level)));
                    quantity.set(String::new());
                    reason.set(String::new());
                    reference.set(String::new());
                    on_changed.run(level);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let kinds = [
        (StockMovementKind::Receipt, "Receive goods"),
        (StockMovementKind::Adjustment, "Correct a count"),
    ];
    view! {
        <section class="card" aria-labelledby="stock-change-title" node_ref=section>
            <h2 id="stock-change-title">"Receive or adjust stock"</h2>
            <form class="form-grid" novalidate on:submit=on_submit aria-labelledby="stock-change-title">
                <fieldset class="field choice-group choice-row">
                    <legend>"What happened"</legend>
                    {kinds
                        .into_iter()
                        .map(|(k, label)| {
                            view! {
                                <label class="check">
                                    <input
                                        type="radio"
                                        name="stock-change-kind"
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
                <div class="field">
                    <label for="stock-change-warehouse">"Warehouse"</label>
                    <select
                        id="stock-change-warehouse"
                        prop:value=move || warehouse.get()
                        on:change=move |ev| warehouse.set(event_target_value(&ev))
                    >
                        {move || {
                            warehouses
                                .get()
                                .into_iter()
                                .map(|w| {
                                    view! {
                                        <option value=w.code.clone() selected=move || warehouse.get() == w.code>
                                            {format!("{} — {}", w.code, w.name)}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <TextField
                    id="stock-change-bin"
                    label="Bin"
                    value=bin
                    errors=field_errors(error, "bin")
                    autocomplete="off"
                    placeholder="A-01-01-1"
                    hint="Zone-aisle-rack-level. A receipt may open a new bin."
                />
                <TextField
                    id="stock-change-sku"
                    label="SKU"
                    value=sku
                    errors=field_errors(error, "sku")
                    autocomplete="off"
                />
                <TextField
                    id="stock-change-quantity"
                    label="Quantity"
                    value=quantity
                    errors=field_errors(error, "quantity")
                    autocomplete="off"
                    hint="Receipts: the units that arrived. Corrections: the signed change, e.g. −2."
                />
                <TextField
                    id="stock-change-reason"
                    label="Reason"
                    value=reason
                    errors=field_errors(error, "reason")
                    autocomplete="off"
                    hint="Goes into the ledger: a delivery, a count, damage."
                />
                <TextField
                    id="stock-change-reference"
                    label="Reference (optional)"
                    value=reference
                    errors=field_errors(error, "reference")
                    autocomplete="off"
                    hint="A delivery note or count sheet number."
                />
                <FormError error=error fields=FIELDS />
                <SuccessAlert message=done />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        {move || match kind.get() {
                            StockMovementKind::Adjustment => "Save correction",
                            _ => "Receive stock",
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_summed_up_with_the_new_numbers() {
        let level = StockLevel {
            id: "1".into(),
            warehouse: "SH1".into(),
            bin: "A-01-01-1".into(),
            sku: "TEA-OOLONG-250".into(),
            on_hand: 50,
            reserved: 2,
            available: 48,
            blocked: false,
        };
        assert_eq!(
            summary(StockMovementKind::Receipt, 10, &level),
            "Received 10 × TEA-OOLONG-250 in SH1 A-01-01-1: 50 on hand, 2 reserved, 48 available."
        );
        assert_eq!(
            summary(StockMovementKind::Adjustment, -2, &level),
            "Corrected TEA-OOLONG-250 by −2 in SH1 A-01-01-1: 50 on hand, 2 reserved, 48 available."
        );
    }
}
