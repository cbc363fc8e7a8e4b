//! What can be done with a held order, by role: reviewers approve (with an optional note) or
//! reject (with a reason); customer service records a verification call (correcting the address
//! if the customer gave a new one), releases the holds that are theirs, or cancels the order.
//! Actions the server would refuse the user are not offered.

use crate::api::types::{QueuedOrder, ReviewedOrder};
use crate::api::{ApiError, ops};
use crate::components::address::{ADDRESS_FIELDS, AddressDraft, AddressFields};
use crate::components::form::{FormError, TextArea, field_errors, local_problem};
use crate::components::status::{
    hold_reason_label, order_status_label, released_by_customer_service,
};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{HoldReasonCode, Operation, Role, VerificationOutcome};

/// An action on a held order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Approve,
    Reject,
    Call,
    Release,
    Cancel,
}

impl Action {
    const ALL: [Action; 5] = [
        Action::Approve,
        Action::Reject,
        Action::Call,
        Action::Release,
        Action::Cancel,
    ];

    fn label(self) -> &'static str {
        match self {
            Action::Approve => "Approve",
            Action::Reject => "Reject",
            Action::Call => "Record call",
            Action::Release => "Release holds",
            Action::Cancel => "Cancel order",
        }
    }

    /// For ids: unique per action.
    fn key(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Call => "call",
            Action::Release => "release",
            Action::Cancel => "cancel",
        }
    }

    fn button_class(self) -> &'static str {
        match self {
            Action::Approve => "btn btn-small btn-primary",
            Action::Reject | Action::Cancel => "btn btn-small btn-danger",
            Action::Call | Action::Release => "btn btn-small btn-secondary",
        }
    }

    /// Whether the server lets these roles do it.
    fn allowed(self, roles: &[Role]) -> bool {
        match self {
            Action::Approve | Action::Reject => Operation::ReviewOrders.allows_any(roles),
            Action::Call | Action::Release => Operation::VerifyOrders.allows_any(roles),
            Action::Cancel => Operation::CancelOrders.allows_any(roles),
        }
    }
}

/// The actions offered for a held order: those the roles allow, and "release" only when the
/// order has holds customer service may clear.
fn offered(roles: &[Role], holds: &[HoldReasonCode]) -> Vec<Action> {
    let releasable = holds.iter().any(|c| released_by_customer_service(*c));
    Action::ALL
        .into_iter()
        .filter(|a| a.allowed(roles))
        .filter(|a| *a != Action::Release || releasable)
        .collect()
}

/// What a finished action says above the queue.
fn outcome(action: Action, order: &ReviewedOrder) -> String {
    let done = match action {
        Action::Approve => "approved",
        Action::Reject => "rejected",
        Action::Call => "call recorded",
        Action::Release => "holds released",
        Action::Cancel => "cancelled",
    };
    format!(
        "Order {} {done}: now {}.",
        order.number,
        order_status_label(order.status)
    )
}

/// The action buttons of one held order, and the form of the action chosen.
#[component]
pub fn ReviewActions(order: QueuedOrder, on_done: Callback<String>) -> impl IntoView {
    let auth = use_auth();
    let holds: Vec<HoldReasonCode> = order.hold_reasons.iter().map(|h| h.code).collect();
    let actions = offered(&auth.roles(), &holds);
    if actions.is_empty() {
        return None;
    }
    let open = RwSignal::new(None::<Action>);
    let close = Callback::new(move |()| open.set(None));
    // A finished action closes its form (the order may stay in the queue, e.g. after a call).
    let on_done = Callback::new(move |message: String| {
        open.set(None);
        on_done.run(message);
    });
    let group_label = format!("Actions for order {}", order.number);
    Some(view! {
        <div class="queue-actions">
            <div class="actions" role="group" aria-label=group_label>
                {actions
                    .into_iter()
                    .map(|action| {
                        view! {
                            <button
                                type="button"
                                class=action.button_class()
                                aria-expanded=move || (open.get() == Some(action)).to_string()
                                on:click=move |_| {
                                    open.update(|o| {
                                        *o = if *o == Some(action) { None } else { Some(action) }
                                    })
                                }
                            >
                                {action.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            {move || {
                let order = order.clone();
                open.get()
                    .map(|action| match action {
                        Action::Approve | Action::Reject | Action::Cancel => {
                            view! { <DecisionForm order=order action=action on_done=on_done on_close=close /> }
                                .into_any()
                        }
                        Action::Call => {
                            view! { <CallForm order=order on_done=on_done on_close=close /> }.into_any()
                        }
                        Action::Release => {
                            view! { <ReleaseForm order=order on_done=on_done on_close=close /> }.into_any()
                        }
                    })
            }}
        </div>
    })
}

/// Approve (with an optional note), reject or cancel (with a reason).
#[component]
fn DecisionForm(
    order: QueuedOrder,
    action: Action,
    on_done: Callback<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let (field, fields, label, hint, submit): (_, &'static [&'static str], _, _, _) = match action {
        Action::Approve => (
            "note",
            &["note"],
            "Note (optional)",
            "Why the order may go ahead; it goes on the order's timeline. The order is allocated at once.",
            "Approve order",
        ),
        Action::Reject => (
            "reason",
            &["reason"],
            "Reason",
            "The order is cancelled and its stock given back; a paid order's refund is recorded for finance.",
            "Reject order",
        ),
        _ => (
            "reason",
            &["reason"],
            "Reason",
            "Stock and coupons are given back; a paid order's refund is recorded for finance.",
            "Cancel order",
        ),
    };
    let id = order.id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let value = text.get_untracked().trim().to_string();
        if action != Action::Approve && value.is_empty() {
            error.set(Some(local_problem(
                "reason",
                "REQUIRED",
                "Give a reason; it goes on the order's timeline.",
            )));
            return;
        }
        busy.set(true);
        error.set(None);
        let id = id.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, value) = (id.clone(), value.clone());
                    async move {
                        match action {
                            Action::Approve => {
                                let note = Some(value).filter(|v| !v.is_empty());
                                ops::approve_order(&token, &id, note).await
                            }
                            Action::Reject => ops::reject_order(&token, &id, &value).await,
                            _ => ops::cancel_order(&token, &id, &value).await,
                        }
                    }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(order) => on_done.run(outcome(action, &order)),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <form class="action-form" novalidate on:submit=on_submit aria-label=format!("{} {}", submit, order.number)>
            <TextArea
                id=format!("{}-{}-{field}", action.key(), order.id)
                label=label
                value=text
                errors=field_errors(error, field)
                hint=hint
            />
            <FormError error=error fields=fields />
            <div class="form-actions">
                <button
                    type="submit"
                    class=if action == Action::Approve { "btn btn-primary" } else { "btn btn-danger" }
                    disabled=busy
                >
                    {submit}
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>
                    "Back"
                </button>
            </div>
        </form>
    }
}

fn outcome_label(outcome: VerificationOutcome) -> &'static str {
    match outcome {
        VerificationOutcome::Confirmed => "Confirmed: the address is right as it is",
        VerificationOutcome::Corrected => "Corrected: the customer gave a new address",
        VerificationOutcome::NotReached => "Not reached: the order stays on hold",
    }
}

/// The fields of the call form, for placing the server's problems (`address.city` → `city`).
const CALL_FIELDS: &[&str] = &[
    "note",
    ADDRESS_FIELDS[0],
    ADDRESS_FIELDS[1],
    ADDRESS_FIELDS[2],
    ADDRESS_FIELDS[3],
    ADDRESS_FIELDS[4],
    ADDRESS_FIELDS[5],
    ADDRESS_FIELDS[6],
    ADDRESS_FIELDS[7],
    ADDRESS_FIELDS[8],
];

/// Customer service records a call to verify the address.
#[component]
fn CallForm(
    order: QueuedOrder,
    on_done: Callback<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let outcome_choice = RwSignal::new(VerificationOutcome::Confirmed);
    let note = RwSignal::new(String::new());
    let address = AddressDraft::from(&order.shipping_address);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let id = order.id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = outcome_choice.get_untracked();
        let corrected = (chosen == VerificationOutcome::Corrected).then(|| address.address());
        let note = note.get_untracked().trim().to_string();
        busy.set(true);
        error.set(None);
        let id = id.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, note, corrected) = (id.clone(), note.clone(), corrected.clone());
                    async move {
                        ops::record_verification_call(
                            &token,
                            &id,
                            chosen,
                            &note,
                            corrected.as_ref(),
                        )
                        .await
                    }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(order) => on_done.run(outcome(Action::Call, &order)),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let prefix = format!("call-{}", order.id);
    let outcome_name = format!("{prefix}-outcome");
    view! {
        <form class="action-form" novalidate on:submit=on_submit aria-label=format!("Record a call for {}", order.number)>
            <fieldset class="field choice-group">
                <legend>"Outcome"</legend>
                {VerificationOutcome::ALL
                    .iter()
                    .map(|o| {
                        let o = *o;
                        view! {
                            <label class="check">
                                <input
                                    type="radio"
                                    name=outcome_name.clone()
                                    value=o.as_str()
                                    prop:checked=move || outcome_choice.get() == o
                                    on:change=move |_| outcome_choice.set(o)
                                />
                                <span>{outcome_label(o)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <TextArea
                id=format!("{prefix}-note")
                label="What the customer said"
                value=note
                errors=field_errors(error, "note")
            />
            <Show when=move || outcome_choice.get() == VerificationOutcome::Corrected>
                <AddressFields id_prefix=prefix.clone() draft=address error=error />
            </Show>
            <FormError error=error fields=CALL_FIELDS />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=busy>
                    "Record call"
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>
                    "Back"
                </button>
            </div>
        </form>
    }
}

/// Customer service releases the holds that are theirs (address, remote area, special request).
#[component]
fn ReleaseForm(
    order: QueuedOrder,
    on_done: Callback<String>,
    on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let releasable: Vec<HoldReasonCode> = order
        .hold_reasons
        .iter()
        .map(|h| h.code)
        .filter(|c| released_by_customer_service(*c))
        .collect();
    let chosen = RwSignal::new(releasable.clone());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let id = order.id.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let codes = chosen.get_untracked();
        if codes.is_empty() {
            error.set(Some(local_problem(
                "codes",
                "REQUIRED",
                "Choose at least one hold to release.",
            )));
            return;
        }
        let note = note.get_untracked().trim().to_string();
        busy.set(true);
        error.set(None);
        let id = id.clone();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, codes, note) = (id.clone(), codes.clone(), note.clone());
                    async move { ops::release_hold(&token, &id, &codes, &note).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(order) => on_done.run(outcome(Action::Release, &order)),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let codes_error = field_errors(error, "codes");
    view! {
        <form class="action-form" novalidate on:submit=on_submit aria-label=format!("Release holds of {}", order.number)>
            <fieldset class="field choice-group" class:has-error=move || codes_error.with(|e| !e.is_empty())>
                <legend>"Holds to release"</legend>
                {releasable
                    .into_iter()
                    .map(|code| {
                        view! {
                            <label class="check">
                                <input
                                    type="checkbox"
                                    prop:checked=move || chosen.with(|c| c.contains(&code))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| {
                                            c.retain(|x| *x != code);
                                            if on {
                                                c.push(code);
                                            }
                                        });
                                    }
                                />
                                <span>{hold_reason_label(code)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
                <Show when=move || codes_error.with(|e| !e.is_empty())>
                    <p class="field-error">{move || codes_error.get().join(" ")}</p>
                </Show>
            </fieldset>
            <TextArea
                id=format!("release-{}-note", order.id)
                label="What was checked"
                value=note
                errors=field_errors(error, "note")
                hint="With no holds left the order is approved and allocated at once."
            />
            <FormError error=error fields=&["codes", "note"] />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=busy>
                    "Release holds"
                </button>
                <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>
                    "Back"
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderly_shared::OrderStatus;

    #[test]
    fn each_role_is_offered_what_the_server_lets_it_do() {
        let risk = [HoldReasonCode::RiskVelocityAddress];
        let address = [
            HoldReasonCode::AddressUnverified,
            HoldReasonCode::RiskHighValue,
        ];
        assert_eq!(
            offered(&[Role::Reviewer], &address),
            [Action::Approve, Action::Reject]
        );
        assert_eq!(
            offered(&[Role::CustomerService], &risk),
            [Action::Call, Action::Cancel]
        );
        assert_eq!(
            offered(&[Role::CustomerService], &address),
            [Action::Call, Action::Release, Action::Cancel]
        );
        assert_eq!(offered(&[Role::Admin], &address), Action::ALL);
        assert!(offered(&[Role::Finance], &address).is_empty());
    }

    #[test]
    fn a_finished_action_says_where_the_order_is_now() {
        let order = ReviewedOrder {
            id: "1".into(),
            number: "OR261125-7KQ2XMA".into(),
            status: OrderStatus::Allocated,
            hold_reasons: vec![],
        };
        assert_eq!(
            outcome(Action::Approve, &order),
            "Order OR261125-7KQ2XMA approved: now Allocated."
        );
    }
}
