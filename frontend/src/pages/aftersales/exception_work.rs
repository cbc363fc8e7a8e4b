//! Working one exception task: the contacts so far, recording a call or message with the
//! customer or the carrier, and closing the task with an outcome. What an outcome needs (an
//! amount for a refund; optionally a corrected address for a re-delivery) is asked only when it
//! is chosen; the server checks the rest and its sentence is shown beside the field it concerns.

use crate::api::types::{ExceptionContact, ExceptionTask, ResolveExceptionInput};
use crate::api::{ApiError, ops};
use crate::components::address::{ADDRESS_FIELDS, AddressDraft, AddressFields};
use crate::components::feedback::SuccessAlert;
use crate::components::form::{FormError, TextArea, TextField, field_errors};
use crate::components::status::{contact_party_label, exception_outcome_label};
use crate::components::{Email, format};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{ContactParty, ExceptionOutcome, PaymentMethod};

/// The inputs of the resolve form, for placing the server's problems.
const RESOLVE_FIELDS: &[&str] = &[
    "note",
    "refundAmount",
    "payoutReference",
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

#[component]
pub fn WorkPanel(
    id: String,
    task: ExceptionTask,
    contacts: Signal<Vec<ExceptionContact>>,
    may_work: bool,
    on_changed: Callback<ExceptionTask>,
    on_resolved: Callback<String>,
) -> impl IntoView {
    let forms = may_work.then(|| {
        view! {
            <ContactForm task_id=task.id.clone() on_changed=on_changed />
            <ResolveForm task=task.clone() on_resolved=on_resolved />
        }
    });
    view! {
        <div class="queue-actions" id=id>
            <h4>"Contacts so far"</h4>
            <ul class="plain-list" aria-label=format!("Contacts about order {}", task.order.number)>
                {move || {
                    contacts
                        .get()
                        .into_iter()
                        .map(|c| {
                            view! {
                                <li data-party=c.party.as_str()>
                                    <strong>{contact_party_label(c.party)}</strong>
                                    {format!(": {} — {} UTC by ", c.note, format::timestamp(&c.at))}
                                    <Email address=c.by />
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || contacts.with(Vec::is_empty).then(|| view! { <p class="muted">"Nobody has been contacted yet."</p> })}
            {forms}
        </div>
    }
}

/// A call or message with the customer or the carrier.
#[component]
fn ContactForm(task_id: String, on_changed: Callback<ExceptionTask>) -> impl IntoView {
    let auth = use_auth();
    let party = RwSignal::new(ContactParty::Customer);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let prefix = format!("contact-{task_id}");
    let id = StoredValue::new(task_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (who, text) = (party.get_untracked(), note.get_untracked());
        busy.set(true);
        error.set(None);
        notice.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, text) = (id.get_value(), text.clone());
                    async move { ops::record_exception_contact(&token, &id, who, &text).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(task) => {
                    let _ = note.try_set(String::new());
                    let _ = notice.try_set(Some(format!(
                        "Contact with the {} recorded.",
                        contact_party_label(who).to_lowercase()
                    )));
                    on_changed.run(task);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let party_id = format!("{prefix}-party");
    view! {
        <form class="action-form" novalidate on:submit=on_submit aria-label="Record a contact">
            <div class="field">
                <label for=party_id.clone()>"Contacted"</label>
                <select id=party_id on:change=move |ev| {
                    if let Some(p) = ContactParty::parse(&event_target_value(&ev)) {
                        party.set(p);
                    }
                }>
                    {ContactParty::ALL
                        .iter()
                        .map(|p| view! { <option value=p.as_str()>{contact_party_label(*p)}</option> })
                        .collect_view()}
                </select>
            </div>
            <TextArea id=format!("{prefix}-note") label="What was said" value=note errors=field_errors(error, "note") />
            <FormError error=error fields=&["note"] />
            <SuccessAlert message=notice />
            <button type="submit" class="btn btn-secondary" disabled=busy>"Record contact"</button>
        </form>
    }
}

/// Closes the task with an outcome; only what the outcome uses is sent.
#[component]
fn ResolveForm(task: ExceptionTask, on_resolved: Callback<String>) -> impl IntoView {
    let auth = use_auth();
    let outcome = RwSignal::new(ExceptionOutcome::Redeliver);
    let note = RwSignal::new(String::new());
    let correct_address = RwSignal::new(false);
    let address = AddressDraft::from(&task.order.shipping_address);
    let amount = RwSignal::new(String::new());
    let payout = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let cod = task.order.payment_method == PaymentMethod::CashOnDelivery;
    let prefix = format!("resolve-{}", task.id);
    let id = StoredValue::new(task.id.clone());
    let number = StoredValue::new(task.order.number.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = outcome.get_untracked();
        let text = |s: RwSignal<String>| {
            Some(s.get_untracked().trim().to_string()).filter(|t| !t.is_empty())
        };
        let refund = chosen == ExceptionOutcome::Refund;
        let input = ResolveExceptionInput {
            outcome: chosen,
            note: note.get_untracked(),
            corrected_address: (chosen == ExceptionOutcome::Redeliver
                && correct_address.get_untracked())
            .then(|| address.address()),
            refund_amount: refund.then(|| text(amount)).flatten(),
            payout_reference: (refund && cod).then(|| text(payout)).flatten(),
        };
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let (id, input) = (id.get_value(), input.clone());
                    async move { ops::resolve_exception_task(&token, &id, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => on_resolved.run(format!(
                    "The exception of order {} is resolved: {}.",
                    number.get_value(),
                    exception_outcome_label(chosen).to_lowercase()
                )),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let outcome_name = format!("{prefix}-outcome");
    let note_id = format!("{prefix}-note");
    // Ids and labels of the inputs shown for one outcome only (their views are made anew).
    let address_prefix = StoredValue::new(format!("{prefix}-address"));
    let amount_id = StoredValue::new(format!("{prefix}-amount"));
    let payout_id = StoredValue::new(format!("{prefix}-payout"));
    let amount_label = StoredValue::new(format!("Refund amount ({})", task.order.total.currency));
    view! {
        <form class="action-form" novalidate on:submit=on_submit aria-label="Resolve the exception">
            <fieldset class="field choice-group">
                <legend>"Outcome"</legend>
                {ExceptionOutcome::ALL
                    .iter()
                    .map(|o| {
                        let o = *o;
                        view! {
                            <label class="check">
                                <input
                                    type="radio"
                                    name=outcome_name.clone()
                                    value=o.as_str()
                                    prop:checked=move || outcome.get() == o
                                    on:change=move |_| outcome.set(o)
                                />
                                <span>{exception_outcome_label(o)}</span>
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <TextArea id=note_id label="What was agreed" value=note errors=field_errors(error, "note") />
            <Show when=move || outcome.get() == ExceptionOutcome::Redeliver>
                <label class="check">
                    <input type="checkbox" prop:checked=move || correct_address.get() on:change=move |ev| correct_address.set(event_target_checked(&ev)) />
                    <span>"Deliver to a corrected address"</span>
                </label>
                <Show when=move || correct_address.get()>
                    <AddressFields id_prefix=address_prefix.get_value() draft=address error=error />
                </Show>
            </Show>
            <Show when=move || outcome.get() == ExceptionOutcome::Refund>
                <TextField
                    id=amount_id.get_value()
                    label=amount_label.get_value()
                    value=amount
                    errors=field_errors(error, "refundAmount")
                    autocomplete="off"
                    hint="A request goes to finance, who approve it."
                />
                {cod.then(|| view! {
                    <TextField
                        id=payout_id.get_value()
                        label="Payout account"
                        value=payout
                        errors=field_errors(error, "payoutReference")
                        hint="Cash on delivery: the bank account or wallet the money goes to."
                    />
                })}
            </Show>
            <FormError error=error fields=RESOLVE_FIELDS />
            <button type="submit" class="btn btn-primary" disabled=busy>"Resolve task"</button>
        </form>
    }
}
