//! The dry run: "for this order, which rule matches, and why, and what would it do". An order
//! is described by hand (destination, channel, tags, special requests, lines) or named by its
//! number or id; the answer shows the rule chosen, how every rule fared, the warehouse ranking,
//! the shipments it would make and the units no warehouse could ship. Nothing is reserved.
//! When a rule changes on the page, the dry run on screen is run again.

use crate::api::types::{AllocationDecision, DryRunOrderInput, PlannedLine};
use crate::api::{ApiError, ops};
use crate::components::form::{
    FormError, TextField, field_errors, list_items, local_problem, local_problems, whole_number,
};
use crate::session::{Auth, use_auth};
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{FieldProblem, Operation, SpecialRequestKind};

use super::labels::special_request_label;

/// How the order is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Described,
    Existing,
}

/// What was asked, kept to ask again when the rules change.
#[derive(Debug, Clone, PartialEq)]
enum Request {
    Described(DryRunOrderInput),
    /// An order id.
    Order(String),
}

/// One line of the described order, as typed.
#[derive(Debug, Clone, Copy)]
struct LineDraft {
    key: u32,
    sku: RwSignal<String>,
    quantity: RwSignal<String>,
}

impl LineDraft {
    fn new(key: u32) -> LineDraft {
        LineDraft {
            key,
            sku: RwSignal::new(String::new()),
            quantity: RwSignal::new("1".into()),
        }
    }
}

/// Whether text is an order id (a UUID) rather than an order number.
fn is_order_id(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// The fields of the describe form, for placing the server's problems.
const FIELDS: &[&str] = &[
    "country", "region", "channel", "tags", "lines", "sku", "quantity", "orderId", "order",
];

async fn ask(auth: Auth, request: Request) -> Result<AllocationDecision, ApiError> {
    auth.call(|token| {
        let request = request.clone();
        async move {
            match request {
                Request::Described(order) => ops::dry_run_described(&token, &order).await,
                Request::Order(id) => ops::dry_run_order(&token, &id).await,
            }
        }
    })
    .await
}

#[component]
pub fn DryRunSection(rules_changed: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let mode = RwSignal::new(Mode::Described);
    let country = RwSignal::new(String::from("CN"));
    let region = RwSignal::new(String::new());
    let channel = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let special = RwSignal::new(Vec::<SpecialRequestKind>::new());
    let next_key = StoredValue::new(1u32);
    let lines = RwSignal::new(vec![LineDraft::new(0)]);
    let reference = RwSignal::new(String::new());
    let result = RwSignal::new(None::<AllocationDecision>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let last = StoredValue::new(None::<Request>);

    let run = move |request: Request| {
        busy.set(true);
        error.set(None);
        last.set_value(Some(request.clone()));
        spawn_local(async move {
            let answer = ask(auth, request).await;
            let _ = busy.try_set(false);
            match answer {
                Ok(decision) => {
                    let _ = result.try_set(Some(decision));
                }
                Err(e) => {
                    let _ = result.try_set(None);
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    // A rule changed: what is on screen may be stale, so the same question is asked again.
    Effect::new(move |first: Option<()>| {
        rules_changed.track();
        if first.is_some()
            && let Some(request) = last.get_value()
        {
            run(request);
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        match mode.get_untracked() {
            Mode::Described => {
                let mut problems = Vec::new();
                let mut planned = Vec::new();
                for (i, line) in lines.get_untracked().iter().enumerate() {
                    let sku = line.sku.get_untracked().trim().to_uppercase();
                    let path = format!("lines[{i}].quantity");
                    let quantity =
                        whole_number(&path, &line.quantity.get_untracked(), &mut problems);
                    if sku.is_empty() {
                        continue;
                    }
                    match quantity {
                        Some(q) => planned.push(PlannedLine {
                            sku,
                            quantity: i64::from(q),
                        }),
                        None if problems.iter().all(|p| p.path != path) => {
                            problems.push(FieldProblem::new(path, "REQUIRED", "Give a quantity."))
                        }
                        None => {}
                    }
                }
                if let Some(e) = local_problems(problems) {
                    error.set(Some(e));
                    return;
                }
                let text = |s: RwSignal<String>| {
                    Some(s.get_untracked().trim().to_string()).filter(|s| !s.is_empty())
                };
                run(Request::Described(DryRunOrderInput {
                    channel: text(channel),
                    country: country.get_untracked().trim().to_uppercase(),
                    region: text(region),
                    tags: list_items(&tags.get_untracked()),
                    special_requests: special.get_untracked(),
                    lines: planned,
                }));
            }
            Mode::Existing => {
                let given = reference.get_untracked().trim().to_string();
                if given.is_empty() {
                    error.set(Some(local_problem(
                        "order",
                        "REQUIRED",
                        "Give an order number or id.",
                    )));
                    return;
                }
                if is_order_id(&given) {
                    run(Request::Order(given));
                    return;
                }
                // A number is looked up first, by those who may read orders.
                if !Operation::ReadOrders.allows_any(&auth.roles()) {
                    error.set(Some(local_problem(
                        "order",
                        "NOT_ALLOWED",
                        "Your roles cannot look orders up by number: give the order's id.",
                    )));
                    return;
                }
                busy.set(true);
                error.set(None);
                spawn_local(async move {
                    let number = given.to_uppercase();
                    let found = auth
                        .call(|token| {
                            let number = number.clone();
                            async move { ops::order_id_by_number(&token, &number).await }
                        })
                        .await;
                    let _ = busy.try_set(false);
                    match found {
                        Ok(Some(id)) => run(Request::Order(id)),
                        Ok(None) => {
                            let _ = error.try_set(Some(local_problem(
                                "order",
                                "NOT_FOUND",
                                format!("There is no order numbered {number}."),
                            )));
                        }
                        Err(e) => {
                            let _ = error.try_set(Some(e));
                        }
                    }
                });
            }
        }
    };

    let add_line = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        lines.update(|l| l.push(LineDraft::new(key)));
    };
    let mode_choice = move |m: Mode, label: &'static str| {
        view! {
            <label class="check">
                <input
                    type="radio"
                    name="dry-run-mode"
                    prop:checked=move || mode.get() == m
                    on:change=move |_| {
                        mode.set(m);
                        error.set(None);
                    }
                />
                <span>{label}</span>
            </label>
        }
    };

    let numbered_lines = move || lines.get().into_iter().enumerate().collect::<Vec<_>>();

    view! {
        <section class="card" aria-labelledby="dry-run-title">
            <h2 id="dry-run-title">"Dry run"</h2>
            <p class="muted">"Which rule an order would take, why, and what it would ship from where. Nothing is reserved."</p>
            <form class="dry-run-form" novalidate on:submit=on_submit aria-labelledby="dry-run-title">
                <fieldset class="field choice-group choice-row">
                    <legend>"The order"</legend>
                    {mode_choice(Mode::Described, "Describe a sample order")}
                    {mode_choice(Mode::Existing, "An existing order")}
                </fieldset>
                <Show
                    when=move || mode.get() == Mode::Described
                    fallback=move || {
                        view! {
                            <div class="form-grid">
                                <TextField
                                    id="dry-run-order"
                                    label="Order number or id"
                                    value=reference
                                    errors=Signal::derive(move || {
                                        error.with(|e| e.as_ref().map(|e| [e.field("order"), e.field("orderId")].concat()).unwrap_or_default())
                                    })
                                    autocomplete="off"
                                />
                            </div>
                        }
                    }
                >
                    <div class="form-grid">
                        <TextField id="dry-run-country" label="Country" value=country errors=field_errors(error, "country") autocomplete="off" hint="ISO code, e.g. CN" />
                        <TextField id="dry-run-region" label="Region" value=region errors=field_errors(error, "region") autocomplete="off" hint="Province or state, e.g. Guangdong" />
                        <TextField id="dry-run-channel" label="Channel" value=channel errors=field_errors(error, "channel") autocomplete="off" hint="Blank: the console" />
                        <TextField id="dry-run-tags" label="Tags" value=tags errors=field_errors(error, "tags") autocomplete="off" hint="Comma-separated" />
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
                    <fieldset class="dry-run-lines">
                        <legend>"Lines"</legend>
                        <For
                            each=numbered_lines
                            key=|(i, line)| (*i, line.key)
                            children=move |(i, line)| view! { <LineRow index=i line=line lines=lines error=error /> }
                        />
                        <button type="button" class="btn btn-small btn-secondary" on:click=add_line>
                            "Add line"
                        </button>
                    </fieldset>
                </Show>
                <FormError error=error fields=FIELDS />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        {move || if busy.get() { "Running…" } else { "Run dry run" }}
                    </button>
                </div>
            </form>
            {move || result.get().map(|d| view! { <DecisionView decision=d /> })}
        </section>
    }
}

/// One line of the described order: SKU × quantity, with its problems.
#[component]
fn LineRow(
    index: usize,
    line: LineDraft,
    lines: RwSignal<Vec<LineDraft>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let n = index + 1;
    let errors = move |name: &'static str| {
        Signal::derive(move || {
            error.with(|e| {
                e.as_ref()
                    .map(|e| e.item_field("lines", index, name))
                    .unwrap_or_default()
            })
        })
    };
    view! {
        <div class="line-row" data-line=n>
            <TextField id=format!("dry-run-line-{n}-sku") label=format!("SKU {n}") value=line.sku errors=errors("sku") autocomplete="off" />
            <TextField
                id=format!("dry-run-line-{n}-quantity")
                label=format!("Quantity {n}")
                input_type="number"
                value=line.quantity
                errors=errors("quantity")
            />
            <button
                type="button"
                class="btn btn-small btn-link"
                disabled=move || lines.with(|l| l.len() <= 1)
                on:click=move |_| lines.update(|l| l.retain(|x| x.key != line.key))
                aria-label=format!("Remove line {n}")
            >
                "Remove"
            </button>
        </div>
    }
}

/// The answer: the rule chosen, what it would ship from where, the ranking, the notes, and how
/// every rule fared.
#[component]
fn DecisionView(decision: AllocationDecision) -> impl IntoView {
    let d = decision;
    view! {
        <div class="dry-run-result" role="region" aria-label="Dry run result" data-testid="dry-run-result">
            <p class="dry-run-verdict">
                "Rule: "
                <strong data-testid="dry-run-rule">{d.rule_name.clone()}</strong>
                {d.is_default.then(|| view! { " " <span class="badge badge-info">"default"</span> })}
            </p>
            <h3>"Shipments"</h3>
            {if d.shipments.is_empty() {
                view! { <p class="muted">"No shipment: no warehouse could ship any of it."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" aria-label="Planned shipments">
                            <thead>
                                <tr>
                                    <th scope="col">"From"</th>
                                    <th scope="col">"Lines"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {d
                                    .shipments
                                    .iter()
                                    .map(|s| {
                                        view! {
                                            <tr data-warehouse=s.warehouse.clone()>
                                                <td class="cell-primary">{s.warehouse.clone()}</td>
                                                <td>{lines_text(&s.lines)}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            {(!d.unfilled.is_empty())
                .then(|| {
                    view! {
                        <p class="alert alert-error" data-testid="dry-run-unfilled">
                            {format!("Not shippable from any warehouse: {}.", lines_text(&d.unfilled))}
                        </p>
                    }
                })}
            <div class="detail-grid">
                <div>
                    <h3>"Warehouse ranking"</h3>
                    {if d.ranking.is_empty() {
                        view! { <p class="muted">"No warehouse was considered."</p> }.into_any()
                    } else {
                        view! {
                            <ol class="ranking" data-testid="dry-run-ranking">
                                {d.ranking.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                            </ol>
                        }
                            .into_any()
                    }}
                </div>
                <div>
                    <h3>"Notes"</h3>
                    {if d.notes.is_empty() {
                        view! { <p class="muted">"None."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="plain-list">
                                {d.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                            </ul>
                        }
                            .into_any()
                    }}
                </div>
            </div>
            <h3>"Rules tried"</h3>
            {if d.trace.is_empty() {
                view! { <p class="muted">"No rule besides the default was tried."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" aria-label="Rules tried">
                            <thead>
                                <tr>
                                    <th scope="col">"Rule"</th>
                                    <th scope="col">"Matched"</th>
                                    <th scope="col">"Why"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {d
                                    .trace
                                    .iter()
                                    .map(|t| {
                                        view! {
                                            <tr data-rule=t.rule_name.clone() data-matched=t.matched.to_string()>
                                                <td class="cell-primary">{t.rule_name.clone()}</td>
                                                <td>
                                                    {if t.matched {
                                                        view! { <span class="badge badge-ok">"Yes"</span> }
                                                    } else {
                                                        view! { <span class="badge badge-muted">"No"</span> }
                                                    }}
                                                </td>
                                                <td>
                                                    <ul class="plain-list">
                                                        {t.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                                                    </ul>
                                                </td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </div>
    }
}

/// `MUG-CERAMIC-350 × 2, TEA-OOLONG-250 × 1`.
fn lines_text(lines: &[PlannedLine]) -> String {
    lines
        .iter()
        .map(|l| format!("{} × {}", l.sku, l.quantity))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_ids_are_told_from_order_numbers() {
        assert!(is_order_id("0193a1b2-0000-7000-8000-000000000001"));
        assert!(!is_order_id("OR261125-7KQ2XMA"));
        assert!(!is_order_id("0193a1b2-0000-7000-8000-00000000000g"));
    }

    #[test]
    fn planned_lines_read_as_sku_times_quantity() {
        let lines = [
            PlannedLine {
                sku: "MUG-CERAMIC-350".into(),
                quantity: 2,
            },
            PlannedLine {
                sku: "TEA-OOLONG-250".into(),
                quantity: 1,
            },
        ];
        assert_eq!(
            lines_text(&lines),
            "MUG-CERAMIC-350 × 2, TEA-OOLONG-250 × 1"
        );
    }
}
