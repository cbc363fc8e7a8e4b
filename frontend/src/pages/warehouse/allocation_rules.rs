//! The allocation rules in the order they are tried, the default last, each with what it
//! applies to and what it does; edited in place, created below, deleted with a confirmation.

use super::labels::{conditions_summary, split_summary, strategy_summary};
use super::rule_form::RuleForm;
use crate::api::ops;
use crate::api::types::{AllocationRule, Warehouse};
use crate::components::feedback::{ErrorAlert, SuccessAlert};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Which rule the editor has open.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Editing {
    Rule(String),
    New,
}

/// Rules in the order they are tried: by position, the default last (as the server lists them).
fn in_order(rules: &mut [AllocationRule]) {
    rules.sort_by(|a, b| (a.is_default, a.position, &a.id).cmp(&(b.is_default, b.position, &b.id)));
}

#[component]
pub fn AllocationRulesSection(
    rules: RwSignal<Vec<AllocationRule>>,
    warehouses: RwSignal<Vec<Warehouse>>,
    rules_changed: RwSignal<u32>,
) -> impl IntoView {
    let auth = use_auth();
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<Editing>);
    // The rule asking "really delete?", if any.
    let confirming = RwSignal::new(None::<String>);

    spawn_local(async move {
        match auth
            .call(|token| async move { ops::allocation_rules(&token).await })
            .await
        {
            Ok(list) => {
                let _ = rules.try_set(list);
            }
            Err(e) => {
                let _ = error.try_set(Some(e.message));
            }
        }
        let _ = loading.try_set(false);
    });

    let on_saved = Callback::new(move |rule: AllocationRule| {
        notice.set(Some(format!("Saved rule “{}”.", rule.name)));
        rules.update(|list| {
            match list.iter_mut().find(|r| r.id == rule.id) {
                Some(slot) => *slot = rule,
                None => list.push(rule),
            }
            in_order(list);
        });
        editing.set(None);
        rules_changed.update(|n| *n += 1);
    });
    let on_cancel = Callback::new(move |()| editing.set(None));
    let on_delete = Callback::new(move |rule: AllocationRule| {
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let id = rule.id.clone();
                    async move { ops::delete_allocation_rule(&token, &id).await }
                })
                .await;
            confirming.set(None);
            match result {
                Ok(_) => {
                    rules.update(|list| list.retain(|r| r.id != rule.id));
                    notice.set(Some(format!("Deleted rule “{}”.", rule.name)));
                    rules_changed.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    });

    view! {
        <section class="card" aria-labelledby="rules-title">
            <div class="card-header">
                <h2 id="rules-title">"Allocation rules"</h2>
                <button
                    type="button"
                    class="btn btn-small btn-secondary"
                    disabled=move || editing.get() == Some(Editing::New)
                    on:click=move |_| editing.set(Some(Editing::New))
                >
                    "New rule"
                </button>
            </div>
            <p class="muted">
                "An approved order takes the first enabled rule whose conditions it meets; the default rule takes the rest."
            </p>
            <SuccessAlert message=notice />
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Allocation rules">
                    <thead>
                        <tr>
                            <th scope="col" class="num">"#"</th>
                            <th scope="col">"Rule"</th>
                            <th scope="col">"Applies to"</th>
                            <th scope="col">"Ships from"</th>
                            <th scope="col">"Split"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rules
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, rule)| {
                                    view! {
                                        <RuleRow
                                            order=i + 1
                                            rule=rule
                                            warehouses=warehouses
                                            editing=editing
                                            confirming=confirming
                                            on_saved=on_saved
                                            on_cancel=on_cancel
                                            on_delete=on_delete
                                        />
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <Show when=move || editing.get() == Some(Editing::New)>
                <div class="edit-panel">
                    <h3>"New allocation rule"</h3>
                    <RuleForm rule=None warehouses=warehouses on_saved=on_saved on_cancel=on_cancel />
                </div>
            </Show>
        </section>
    }
}

#[component]
fn RuleRow(
    /// 1-based place in the order rules are tried.
    order: usize,
    rule: AllocationRule,
    warehouses: RwSignal<Vec<Warehouse>>,
    editing: RwSignal<Option<Editing>>,
    confirming: RwSignal<Option<String>>,
    on_saved: Callback<AllocationRule>,
    on_cancel: Callback<()>,
    on_delete: Callback<AllocationRule>,
) -> impl IntoView {
    let id = rule.id.clone();
    let is_editing = {
        let id = id.clone();
        Memo::new(move |_| editing.with(|e| e.as_ref() == Some(&Editing::Rule(id.clone()))))
    };
    let is_confirming = {
        let id = id.clone();
        Memo::new(move |_| confirming.with(|c| c.as_deref() == Some(id.as_str())))
    };
    let toggle_edit = {
        let id = id.clone();
        move |_| {
            editing.update(|e| {
                let this = Editing::Rule(id.clone());
                *e = if e.as_ref() == Some(&this) {
                    None
                } else {
                    Some(this)
                };
            })
        }
    };
    let form_rule = rule.clone();
    let delete_rule = rule.clone();
    let name = rule.name.clone();
    view! {
        <tr data-rule=rule.name.clone() class:inactive=!rule.enabled>
            <td class="num">{if rule.is_default { "last".to_string() } else { order.to_string() }}</td>
            <td>
                <span class="cell-primary">
                    {rule.name.clone()}
                    {rule.is_default.then(|| view! { " " <span class="badge badge-info">"default"</span> })}
                    {(!rule.enabled).then(|| view! { " " <span class="badge badge-muted">"disabled"</span> })}
                </span>
            </td>
            <td>{conditions_summary(&rule.conditions)}</td>
            <td>{strategy_summary(&rule)}</td>
            <td>{split_summary(rule.split, rule.max_shipments)}</td>
            <td>
                <div class="actions">
                    <button
                        type="button"
                        class="btn btn-small btn-secondary"
                        aria-expanded=move || is_editing.get().to_string()
                        on:click=toggle_edit
                    >
                        "Edit"
                    </button>
                    {(!rule.is_default)
                        .then(|| {
                            let id = id.clone();
                            view! {
                                <Show
                                    when=move || is_confirming.get()
                                    fallback={
                                        let id = id.clone();
                                        move || {
                                            let id = id.clone();
                                            view! {
                                                <button
                                                    type="button"
                                                    class="btn btn-small btn-danger"
                                                    on:click=move |_| confirming.set(Some(id.clone()))
                                                >
                                                    "Delete"
                                                </button>
                                            }
                                        }
                                    }
                                >
                                    <span class="confirm-text">{format!("Delete “{name}”?")}</span>
                                    <button
                                        type="button"
                                        class="btn btn-small btn-danger"
                                        on:click={
                                            let rule = delete_rule.clone();
                                            move |_| on_delete.run(rule.clone())
                                        }
                                    >
                                        "Delete rule"
                                    </button>
                                    <button
                                        type="button"
                                        class="btn btn-small btn-secondary"
                                        on:click=move |_| confirming.set(None)
                                    >
                                        "Keep"
                                    </button>
                                </Show>
                            }
                        })}
                </div>
            </td>
        </tr>
        <Show when=move || is_editing.get()>
            <tr class="edit-row">
                <td colspan="6">
                    <RuleForm rule=Some(form_rule.clone()) warehouses=warehouses on_saved=on_saved on_cancel=on_cancel />
                </td>
            </tr>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::RuleConditions;
    use orderly_shared::{AllocationStrategyKind, SplitPolicyKind};

    fn rule(id: &str, position: i32, is_default: bool) -> AllocationRule {
        AllocationRule {
            id: id.into(),
            name: id.into(),
            position,
            enabled: true,
            is_default,
            conditions: RuleConditions::default(),
            strategy: AllocationStrategyKind::Nearest,
            warehouses: vec![],
            split: SplitPolicyKind::AllowSplit,
            max_shipments: None,
        }
    }

    #[test]
    fn rules_are_listed_by_position_with_the_default_last() {
        let mut rules = vec![
            rule("default", i32::MAX, true),
            rule("b", 20, false),
            rule("a", 10, false),
            rule("c", i32::MAX, false),
        ];
        in_order(&mut rules);
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "default"]);
    }
}
