//! The allocation rule editor: a name and place, the conditions (lists typed as comma-separated
//! values, special requests as choices), the strategy (a fixed list names warehouses in priority
//! order) and the split policy. The default rule keeps its place and stays enabled.

use super::labels::{special_request_label, split_label, strategy_label};
use crate::api::types::{AllocationRule, AllocationRuleInput, RuleConditions, Warehouse};
use crate::api::{ApiError, ops};
use crate::components::form::{
    FormError, TextField, field_errors, list_items, local_problems, whole_number,
};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{AllocationStrategyKind, FieldProblem, SpecialRequestKind, SplitPolicyKind};

/// The fields of the form, for placing the server's problems (`strategy.warehouses[0]` →
/// `warehouses`, `split.shipments` → `shipments`).
const FIELDS: &[&str] = &[
    "name",
    "position",
    "countries",
    "regions",
    "categories",
    "skus",
    "channels",
    "tags",
    "warehouses",
    "shipments",
    "maxShipments",
];

/// One list condition of the form: its field name, label and hint.
const LIST_CONDITIONS: [(&str, &str, &str); 6] = [
    ("countries", "Countries", "ISO codes, e.g. CN"),
    ("regions", "Regions", "Provinces or states, e.g. Guangdong"),
    ("categories", "Product categories", "e.g. ceramics, tea"),
    ("skus", "SKUs", "e.g. MUG-CERAMIC-350"),
    ("channels", "Channels", "e.g. demo-store"),
    ("tags", "Order tags", "Labels the channel gave the order"),
];

/// The form's text for each list condition, in [`LIST_CONDITIONS`] order.
fn condition_texts(c: &RuleConditions) -> [String; 6] {
    [
        &c.countries,
        &c.regions,
        &c.categories,
        &c.skus,
        &c.channels,
        &c.tags,
    ]
    .map(|values| values.join(", "))
}

/// The conditions the form's texts and choices describe.
fn conditions_from(
    texts: &[String; 6],
    special_requests: Vec<SpecialRequestKind>,
) -> RuleConditions {
    let [countries, regions, categories, skus, channels, tags] =
        texts.clone().map(|t| list_items(&t));
    RuleConditions {
        countries: countries.into_iter().map(|c| c.to_uppercase()).collect(),
        regions,
        categories,
        skus: skus.into_iter().map(|s| s.to_uppercase()).collect(),
        channels,
        tags,
        special_requests,
    }
}

#[component]
pub fn RuleForm(
    /// The rule edited; `None` creates one.
    rule: Option<AllocationRule>,
    warehouses: RwSignal<Vec<Warehouse>>,
    on_saved: Callback<AllocationRule>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let id = rule.as_ref().map(|r| r.id.clone());
    let is_default = rule.as_ref().is_some_and(|r| r.is_default);
    let prefix = format!("rule-{}", id.as_deref().unwrap_or("new"));
    let conditions = rule
        .as_ref()
        .map(|r| r.conditions.clone())
        .unwrap_or_default();
    let name = RwSignal::new(rule.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let position = RwSignal::new(
        rule.as_ref()
            .filter(|r| !r.is_default)
            .map(|r| r.position.to_string())
            .unwrap_or_default(),
    );
    let enabled = RwSignal::new(rule.as_ref().is_none_or(|r| r.enabled));
    let texts = condition_texts(&conditions).map(RwSignal::new);
    let special = RwSignal::new(conditions.special_requests.clone());
    let strategy = RwSignal::new(
        rule.as_ref()
            .map(|r| r.strategy)
            .unwrap_or(AllocationStrategyKind::FixedList),
    );
    let fixed_list = RwSignal::new(
        rule.as_ref()
            .map(|r| r.warehouses.join(", "))
            .unwrap_or_default(),
    );
    let split = RwSignal::new(
        rule.as_ref()
            .map(|r| r.split)
            .unwrap_or(SplitPolicyKind::ShipComplete),
    );
    let max_shipments = RwSignal::new(
        rule.as_ref()
            .and_then(|r| r.max_shipments)
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let position_now = whole_number("position", &position.get_untracked(), &mut problems);
        let split_now = split.get_untracked();
        let max_now = if split_now == SplitPolicyKind::AtMost {
            let n = whole_number(
                "maxShipments",
                &max_shipments.get_untracked(),
                &mut problems,
            );
            if n.is_none() && problems.iter().all(|p| p.path != "maxShipments") {
                problems.push(FieldProblem::new(
                    "maxShipments",
                    "REQUIRED",
                    "Give the most shipments.",
                ));
            }
            n
        } else {
            None
        };
        if let Some(e) = local_problems(problems) {
            error.set(Some(e));
            return;
        }
        let strategy_now = strategy.get_untracked();
        let input = AllocationRuleInput {
            id: id.clone(),
            name: name.get_untracked().trim().to_string(),
            // The default rule keeps its place; a rule without one goes after the others.
            position: if is_default { None } else { position_now },
            enabled: Some(is_default || enabled.get_untracked()),
            conditions: conditions_from(&texts.map(|t| t.get_untracked()), special.get_untracked()),
            strategy: strategy_now,
            warehouses: if strategy_now == AllocationStrategyKind::FixedList {
                list_items(&fixed_list.get_untracked())
                    .into_iter()
                    .map(|w| w.to_uppercase())
                    .collect()
            } else {
                Vec::new()
            },
            split: split_now,
            max_shipments: max_now,
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::save_allocation_rule(&token, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(rule) => on_saved.run(rule),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    let known = move || {
        warehouses.with(|w| {
            let codes: Vec<String> = w
                .iter()
                .map(|w| format!("{} ({})", w.code, w.name))
                .collect();
            if codes.is_empty() {
                "Warehouse codes in priority order.".to_string()
            } else {
                format!("In priority order. Warehouses: {}.", codes.join(", "))
            }
        })
    };
    let shipments_errors = Signal::derive(move || {
        error.with(|e| {
            e.as_ref()
                .map(|e| [e.field("shipments"), e.field("maxShipments")].concat())
                .unwrap_or_default()
        })
    });
    let warehouses_errors = field_errors(error, "warehouses");
    let strategy_id = format!("{prefix}-strategy");
    let split_id = format!("{prefix}-split");
    let enabled_id = format!("{prefix}-enabled");
    let fixed_id = format!("{prefix}-warehouses");
    let fixed_hint_id = format!("{prefix}-warehouses-hint");

    view! {
        <form class="form-grid rule-form" novalidate on:submit=on_submit aria-label="Allocation rule">
            <TextField id=format!("{prefix}-name") label="Name" value=name errors=field_errors(error, "name") autocomplete="off" />
            {(!is_default)
                .then(|| {
                    view! {
                        <TextField
                            id=format!("{prefix}-position")
                            label="Position"
                            input_type="number"
                            value=position
                            errors=field_errors(error, "position")
                            hint="Lower positions are tried first."
                        />
                        <div class="field field-check">
                            <label class="check" for=enabled_id.clone()>
                                <input id=enabled_id.clone() type="checkbox" bind:checked=enabled />
                                <span>"Enabled"</span>
                            </label>
                        </div>
                    }
                })}
            {is_default
                .then(|| {
                    view! {
                        <p class="hint field-wide">
                            "The default rule is tried last and is always enabled; its conditions are ignored."
                        </p>
                    }
                })}
            <fieldset class="field-wide conditions" disabled=is_default>
                <legend>"Applies to orders with"</legend>
                <p class="hint">"Empty means any. Within a list any one value matches; all lists must match."</p>
                <div class="form-grid">
                    {LIST_CONDITIONS
                        .iter()
                        .zip(texts)
                        .map(|((field, label, hint), value)| {
                            view! {
                                <TextField
                                    id=format!("{prefix}-{field}")
                                    label=*label
                                    value=value
                                    errors=field_errors(error, field)
                                    autocomplete="off"
                                    hint=*hint
                                />
                            }
                        })
                        .collect_view()}
                </div>
                <fieldset class="choice-group choice-row">
                    <legend>"Special requests"</legend>
                    {SpecialRequestKind::ALL
                        .iter()
                        .map(|k| {
                            let k = *k;
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        prop:checked=move || special.with(|s| s.contains(&k))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            special.update(|s| {
                                                s.retain(|x| *x != k);
                                                if on {
                                                    s.push(k);
                                                }
                                            });
                                        }
                                    />
                                    <span>{special_request_label(k)}</span>
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            </fieldset>
            <div class="field">
                <label for=strategy_id.clone()>"Strategy"</label>
                <select
                    id=strategy_id
                    prop:value=move || strategy.get().as_str()
                    on:change=move |ev| {
                        if let Some(s) = AllocationStrategyKind::parse(&event_target_value(&ev)) {
                            strategy.set(s);
                        }
                    }
                >
                    {AllocationStrategyKind::ALL
                        .iter()
                        .map(|s| view! { <option value=s.as_str() selected=move || strategy.get() == *s>{strategy_label(*s)}</option> })
                        .collect_view()}
                </select>
            </div>
            <Show when=move || strategy.get() == AllocationStrategyKind::FixedList>
                <div class="field" class:has-error=move || warehouses_errors.with(|e| !e.is_empty())>
                    <label for=fixed_id.clone()>"Warehouses"</label>
                    <input
                        id=fixed_id.clone()
                        type="text"
                        autocomplete="off"
                        placeholder="SH1, GZ1"
                        bind:value=fixed_list
                        aria-describedby=fixed_hint_id.clone()
                    />
                    <p class="hint" id=fixed_hint_id.clone()>{known}</p>
                    <Show when=move || warehouses_errors.with(|e| !e.is_empty())>
                        <p class="field-error">{move || warehouses_errors.get().join(" ")}</p>
                    </Show>
                </div>
            </Show>
            <div class="field">
                <label for=split_id.clone()>"Split"</label>
                <select
                    id=split_id
                    prop:value=move || split.get().as_str()
                    on:change=move |ev| {
                        if let Some(s) = SplitPolicyKind::parse(&event_target_value(&ev)) {
                            split.set(s);
                        }
                    }
                >
                    {SplitPolicyKind::ALL
                        .iter()
                        .map(|s| view! { <option value=s.as_str() selected=move || split.get() == *s>{split_label(*s)}</option> })
                        .collect_view()}
                </select>
            </div>
            <Show when=move || split.get() == SplitPolicyKind::AtMost>
                <TextField
                    id=format!("{prefix}-max-shipments")
                    label="Most shipments"
                    input_type="number"
                    value=max_shipments
                    errors=shipments_errors
                />
            </Show>
            <FormError error=error fields=FIELDS />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=busy>
                    "Save rule"
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_round_trip_through_the_form_texts() {
        let c = RuleConditions {
            countries: vec!["CN".into()],
            regions: vec!["Guangdong".into(), "Fujian".into()],
            skus: vec!["MUG-CERAMIC-350".into()],
            special_requests: vec![SpecialRequestKind::Invoice],
            ..RuleConditions::default()
        };
        let texts = condition_texts(&c);
        assert_eq!(texts[1], "Guangdong, Fujian");
        assert_eq!(conditions_from(&texts, c.special_requests.clone()), c);
    }

    #[test]
    fn typed_countries_and_skus_are_upper_cased() {
        let texts = [
            "cn, us".to_string(),
            String::new(),
            "tea".into(),
            "mug-ceramic-350".into(),
            String::new(),
            String::new(),
        ];
        let c = conditions_from(&texts, vec![]);
        assert_eq!(c.countries, ["CN", "US"]);
        assert_eq!(c.categories, ["tea"]);
        assert_eq!(c.skus, ["MUG-CERAMIC-350"]);
    }
}
