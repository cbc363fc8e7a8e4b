//! Risk rules (REVIEWER, ADMIN): each a signal with a weight in the order's score. The table
//! shows every rule with its parameters; a rule is edited in place, and the form asks only for
//! the parameters its type uses.

use crate::api::types::{MoneyInput, RiskRule, RiskRuleInput};
use crate::api::{ApiError, ops};
use crate::components::feedback::{EmptyNote, ErrorAlert, SuccessAlert};
use crate::components::form::{FormError, TextField, field_errors, local_problems, whole_number};
use crate::components::format;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{FieldProblem, RiskRuleType};

/// A parameter a rule type uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Param {
    Limit,
    WindowMinutes,
    WindowDays,
    MaxCustomers,
    Amount,
}

/// The parameters each type of rule uses, in the order the form asks for them.
fn params(kind: RiskRuleType) -> &'static [Param] {
    match kind {
        RiskRuleType::AddressVelocity | RiskRuleType::PhoneVelocity => {
            &[Param::Limit, Param::WindowMinutes]
        }
        RiskRuleType::CouponPerIdentity => &[Param::Limit, Param::WindowDays],
        RiskRuleType::CouponSharedIdentity => &[Param::MaxCustomers, Param::WindowDays],
        RiskRuleType::HighValue | RiskRuleType::FirstOrderHighValue | RiskRuleType::CodLimit => {
            &[Param::Amount]
        }
        RiskRuleType::Blocklisted => &[],
    }
}

pub fn risk_type_label(kind: RiskRuleType) -> &'static str {
    match kind {
        RiskRuleType::AddressVelocity => "Orders to one address",
        RiskRuleType::PhoneVelocity => "Orders from one phone",
        RiskRuleType::CouponSharedIdentity => "Coupon shared by several customers",
        RiskRuleType::CouponPerIdentity => "Coupon used too often",
        RiskRuleType::HighValue => "High value",
        RiskRuleType::FirstOrderHighValue => "High-value first order",
        RiskRuleType::CodLimit => "Cash on delivery limit",
        RiskRuleType::Blocklisted => "Blocklisted phone, e-mail or address",
    }
}

/// What a rule triggers on, with its numbers, as the table says it.
fn parameters(rule: &RiskRule) -> String {
    let n = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_else(|| "?".into());
    let amount = || {
        rule.amount
            .as_ref()
            .map(format::money)
            .unwrap_or_else(|| "?".into())
    };
    match rule.kind {
        RiskRuleType::AddressVelocity | RiskRuleType::PhoneVelocity => format!(
            "more than {} orders in {} min",
            n(rule.limit),
            n(rule.window_minutes)
        ),
        RiskRuleType::CouponPerIdentity => format!(
            "more than {} uses in {} days",
            n(rule.limit),
            n(rule.window_days)
        ),
        RiskRuleType::CouponSharedIdentity => format!(
            "more than {} customers in {} days",
            n(rule.max_customers),
            n(rule.window_days)
        ),
        RiskRuleType::HighValue | RiskRuleType::FirstOrderHighValue => {
            format!("total at or above {}", amount())
        }
        RiskRuleType::CodLimit => format!("cash on delivery above {}", amount()),
        RiskRuleType::Blocklisted => "any entry of the blocklist".into(),
    }
}

/// Which rule the form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Editing {
    Rule(String),
    New,
}

#[component]
pub fn RiskRulesSection() -> impl IntoView {
    let auth = use_auth();
    let rules = RwSignal::new(Vec::<RiskRule>::new());
    let loading = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let editing = RwSignal::new(None::<Editing>);

    spawn_local(async move {
        match auth
            .call(|token| async move { ops::risk_rules(&token).await })
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

    let on_saved = Callback::new(move |rule: RiskRule| {
        notice.set(Some(format!("Saved rule “{}”.", rule.name)));
        rules.update(|list| {
            match list.iter_mut().find(|r| r.id == rule.id) {
                Some(slot) => *slot = rule,
                None => list.push(rule),
            }
            list.sort_by_key(|r| r.position);
        });
        editing.set(None);
    });
    let on_cancel = Callback::new(move |()| editing.set(None));

    view! {
        <section class="card" aria-labelledby="risk-rules-title">
            <div class="card-header">
                <h2 id="risk-rules-title">"Risk rules"</h2>
                <button
                    type="button"
                    class="btn btn-small btn-secondary"
                    disabled=move || editing.get() == Some(Editing::New)
                    on:click=move |_| editing.set(Some(Editing::New))
                >
                    "Add rule"
                </button>
            </div>
            <p class="muted">
                "Each rule that triggers adds its weight to the order's score; the thresholds below decide what the score does."
            </p>
            <SuccessAlert message=notice />
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Risk rules">
                    <thead>
                        <tr>
                            <th scope="col">"Rule"</th>
                            <th scope="col">"Type"</th>
                            <th scope="col">"Triggers on"</th>
                            <th scope="col" class="num">"Weight"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Actions"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            rules
                                .get()
                                .into_iter()
                                .map(|rule| {
                                    view! {
                                        <RiskRuleRow rule=rule editing=editing on_saved=on_saved on_cancel=on_cancel />
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || rules.with(Vec::is_empty) && !loading.get() && error.with(Option::is_none)) text="No risk rules yet." />
            <Show when=move || editing.get() == Some(Editing::New)>
                <div class="edit-panel">
                    <h3>"New risk rule"</h3>
                    <RiskRuleForm rule=None on_saved=on_saved on_cancel=on_cancel />
                </div>
            </Show>
        </section>
    }
}

#[component]
fn RiskRuleRow(
    rule: RiskRule,
    editing: RwSignal<Option<Editing>>,
    on_saved: Callback<RiskRule>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let id = rule.id.clone();
    let is_editing = {
        let id = id.clone();
        Memo::new(move |_| editing.with(|e| e.as_ref() == Some(&Editing::Rule(id.clone()))))
    };
    let form_rule = rule.clone();
    view! {
        <tr data-rule=rule.name.clone() class:inactive=!rule.enabled>
            <td class="cell-primary">{rule.name.clone()}</td>
            <td>{risk_type_label(rule.kind)}</td>
            <td>{parameters(&rule)}</td>
            <td class="num">{rule.weight}</td>
            <td>
                {if rule.enabled {
                    view! { <span class="badge badge-ok">"Enabled"</span> }
                } else {
                    view! { <span class="badge badge-muted">"Disabled"</span> }
                }}
            </td>
            <td>
                <button
                    type="button"
                    class="btn btn-small btn-secondary"
                    aria-expanded=move || is_editing.get().to_string()
                    on:click=move |_| {
                        editing.update(|e| {
                            let this = Editing::Rule(id.clone());
                            *e = if e.as_ref() == Some(&this) { None } else { Some(this) };
                        })
                    }
                >
                    "Edit"
                </button>
            </td>
        </tr>
        <Show when=move || is_editing.get()>
            <tr class="edit-row">
                <td colspan="6">
                    <RiskRuleForm rule=Some(form_rule.clone()) on_saved=on_saved on_cancel=on_cancel />
                </td>
            </tr>
        </Show>
    }
}

/// The fields of the rule form, for placing the server's problems.
const RULE_FIELDS: &[&str] = &[
    "name",
    "type",
    "weight",
    "enabled",
    "position",
    "limit",
    "windowMinutes",
    "windowDays",
    "maxCustomers",
    "amount",
    "currency",
];

/// Creates a rule (`rule` is `None`) or edits one; its type is fixed once created.
#[component]
fn RiskRuleForm(
    rule: Option<RiskRule>,
    on_saved: Callback<RiskRule>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let id = rule.as_ref().map(|r| r.id.clone());
    let prefix = format!("risk-{}", id.as_deref().unwrap_or("new"));
    let text = |v: Option<i32>| RwSignal::new(v.map(|v| v.to_string()).unwrap_or_default());
    let name = RwSignal::new(rule.as_ref().map(|r| r.name.clone()).unwrap_or_default());
    let kind = RwSignal::new(
        rule.as_ref()
            .map(|r| r.kind)
            .unwrap_or(RiskRuleType::HighValue),
    );
    let weight = text(rule.as_ref().map(|r| r.weight));
    let enabled = RwSignal::new(rule.as_ref().is_none_or(|r| r.enabled));
    let position = text(rule.as_ref().map(|r| r.position));
    let limit = text(rule.as_ref().and_then(|r| r.limit));
    let window_minutes = text(rule.as_ref().and_then(|r| r.window_minutes));
    let window_days = text(rule.as_ref().and_then(|r| r.window_days));
    let max_customers = text(rule.as_ref().and_then(|r| r.max_customers));
    let money = rule.as_ref().and_then(|r| r.amount.clone());
    let amount = RwSignal::new(money.as_ref().map(|m| m.amount.clone()).unwrap_or_default());
    let currency = RwSignal::new(money.map(|m| m.currency).unwrap_or_else(|| "CNY".into()));
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let is_new = rule.is_none();

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let kind_now = kind.get_untracked();
        let uses = params(kind_now);
        let mut problems = Vec::new();
        let weight_now = whole_number("weight", &weight.get_untracked(), &mut problems);
        if weight_now.is_none() && problems.is_empty() {
            problems.push(FieldProblem::new(
                "weight",
                "REQUIRED",
                "Give the rule a weight.",
            ));
        }
        let position_now = whole_number("position", &position.get_untracked(), &mut problems);
        // Only the parameters of the rule's type are read (and sent).
        let mut number = |path: &str, value: RwSignal<String>, param: Param| {
            if uses.contains(&param) {
                whole_number(path, &value.get_untracked(), &mut problems)
            } else {
                None
            }
        };
        let input = RiskRuleInput {
            id: id.clone(),
            name: name.get_untracked().trim().to_string(),
            kind: kind_now,
            weight: weight_now.unwrap_or_default(),
            enabled: enabled.get_untracked(),
            position: position_now,
            limit: number("limit", limit, Param::Limit),
            window_minutes: number("windowMinutes", window_minutes, Param::WindowMinutes),
            window_days: number("windowDays", window_days, Param::WindowDays),
            max_customers: number("maxCustomers", max_customers, Param::MaxCustomers),
            amount: uses.contains(&Param::Amount).then(|| MoneyInput {
                amount: amount.get_untracked().trim().to_string(),
                currency: currency.get_untracked().trim().to_uppercase(),
            }),
        };
        if let Some(e) = local_problems(problems) {
            error.set(Some(e));
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::save_risk_rule(&token, &input).await }
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

    let uses = move |param: Param| params(kind.get()).contains(&param);
    // Ids of the fields shown by type (each shown field clones its own).
    let limit_id = format!("{prefix}-limit");
    let max_customers_id = format!("{prefix}-max-customers");
    let window_minutes_id = format!("{prefix}-window-minutes");
    let window_days_id = format!("{prefix}-window-days");
    let amount_id = format!("{prefix}-amount");
    let currency_id = format!("{prefix}-currency");
    let type_id = format!("{prefix}-type");
    let enabled_id = format!("{prefix}-enabled");
    view! {
        <form class="form-grid rule-form" novalidate on:submit=on_submit aria-label="Risk rule">
            <TextField id=format!("{prefix}-name") label="Name" value=name errors=field_errors(error, "name") autocomplete="off" />
            <div class="field">
                <label for=type_id.clone()>"Type"</label>
                <select
                    id=type_id
                    disabled=!is_new
                    prop:value=move || kind.get().as_str()
                    on:change=move |ev| {
                        if let Some(k) = RiskRuleType::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }
                >
                    {RiskRuleType::ALL
                        .iter()
                        .map(|k| view! { <option value=k.as_str()>{risk_type_label(*k)}</option> })
                        .collect_view()}
                </select>
            </div>
            <TextField
                id=format!("{prefix}-weight")
                label="Weight"
                input_type="number"
                value=weight
                errors=field_errors(error, "weight")
                hint="Added to the score when the rule triggers."
            />
            <Show when=move || uses(Param::Limit)>
                <TextField
                    id=limit_id.clone()
                    label="Limit"
                    input_type="number"
                    value=limit
                    errors=field_errors(error, "limit")
                    hint="More than this triggers."
                />
            </Show>
            <Show when=move || uses(Param::MaxCustomers)>
                <TextField
                    id=max_customers_id.clone()
                    label="Most customers"
                    input_type="number"
                    value=max_customers
                    errors=field_errors(error, "maxCustomers")
                    hint="More customers than this triggers."
                />
            </Show>
            <Show when=move || uses(Param::WindowMinutes)>
                <TextField
                    id=window_minutes_id.clone()
                    label="Window (minutes)"
                    input_type="number"
                    value=window_minutes
                    errors=field_errors(error, "windowMinutes")
                />
            </Show>
            <Show when=move || uses(Param::WindowDays)>
                <TextField
                    id=window_days_id.clone()
                    label="Window (days)"
                    input_type="number"
                    value=window_days
                    errors=field_errors(error, "windowDays")
                />
            </Show>
            <Show when=move || uses(Param::Amount)>
                <TextField
                    id=amount_id.clone()
                    label="Amount"
                    value=amount
                    errors=field_errors(error, "amount")
                    placeholder="5000.00"
                />
                <TextField
                    id=currency_id.clone()
                    label="Currency"
                    value=currency
                    errors=field_errors(error, "currency")
                />
            </Show>
            <TextField
                id=format!("{prefix}-position")
                label="Position"
                input_type="number"
                value=position
                errors=field_errors(error, "position")
                hint="Rules are listed and evaluated in this order."
            />
            <div class="field field-check">
                <label class="check" for=enabled_id.clone()>
                    <input id=enabled_id.clone() type="checkbox" bind:checked=enabled />
                    <span>"Enabled"</span>
                </label>
            </div>
            <FormError error=error fields=RULE_FIELDS />
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
    use crate::api::types::Money;

    fn rule(kind: RiskRuleType) -> RiskRule {
        RiskRule {
            id: "r".into(),
            name: "r".into(),
            kind,
            weight: 60,
            enabled: true,
            position: 1,
            limit: Some(3),
            window_minutes: Some(60),
            window_days: Some(30),
            max_customers: Some(2),
            amount: Some(Money {
                amount: "5000.00".into(),
                currency: "CNY".into(),
            }),
        }
    }

    #[test]
    fn each_type_asks_for_its_own_parameters() {
        assert_eq!(
            params(RiskRuleType::AddressVelocity),
            [Param::Limit, Param::WindowMinutes]
        );
        assert_eq!(
            params(RiskRuleType::CouponSharedIdentity),
            [Param::MaxCustomers, Param::WindowDays]
        );
        assert_eq!(params(RiskRuleType::CodLimit), [Param::Amount]);
        assert!(params(RiskRuleType::Blocklisted).is_empty());
        for k in RiskRuleType::ALL {
            assert!(!risk_type_label(*k).is_empty());
        }
    }

    #[test]
    fn parameters_read_with_their_numbers() {
        assert_eq!(
            parameters(&rule(RiskRuleType::AddressVelocity)),
            "more than 3 orders in 60 min"
        );
        assert_eq!(
            parameters(&rule(RiskRuleType::CouponSharedIdentity)),
            "more than 2 customers in 30 days"
        );
        assert_eq!(
            parameters(&rule(RiskRuleType::HighValue)),
            "total at or above CNY 5000.00"
        );
    }
}
