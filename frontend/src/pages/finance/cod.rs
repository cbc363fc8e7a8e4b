//! Cash on delivery: what each carrier collected, remitted and still owes; recording a
//! carrier's statement (pasted one parcel per line) and seeing at once what matched and what
//! differs; the collections no statement names yet; and the statements recorded.

use crate::api::ApiError;
use crate::api::ops;
use crate::api::types::{
    CodBalance, CodRemittance, CodRemittanceInput, CodRemittanceLineInput, LedgerEntry,
};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore, SuccessAlert};
use crate::components::form::{FormError, TextArea, TextField, field_errors, local_problems};
use crate::components::format;
use crate::components::paged::Paged;
use crate::components::status::cod_finding_label;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::{CodFinding, FieldProblem};

const PAGE: u32 = 25;
/// Fields shown beside their input; statement lines (`lines[i].…`) go under the pasted text.
const FORM_FIELDS: &[&str] = &[
    "carrier",
    "reference",
    "currency",
    "note",
    "lines",
    "trackingNumber",
    "amount",
];

#[component]
pub fn CodSections() -> impl IntoView {
    let auth = use_auth();
    // Bumped after a statement is recorded: every section reads again.
    let recorded = RwSignal::new(0u32);
    let outstanding = Paged::new(
        |p: &LedgerEntry| p.id.as_str(),
        move |after| async move {
            auth.call(|token| {
                let after = after.clone();
                async move { ops::cod_outstanding(&token, None, PAGE, after).await }
            })
            .await
        },
    );
    let statements = Paged::new(
        |r: &CodRemittance| r.id.as_str(),
        move |after| async move {
            auth.call(|token| {
                let after = after.clone();
                async move { ops::cod_remittances(&token, PAGE, after).await }
            })
            .await
        },
    );
    Effect::new(move |_| {
        recorded.track();
        outstanding.reload();
        statements.reload();
    });
    view! {
        <BalancesSection recorded=recorded />
        <StatementForm recorded=recorded />
        <OutstandingSection outstanding=outstanding />
        <StatementsSection statements=statements />
    }
}

#[component]
fn BalancesSection(recorded: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let balances = RwSignal::new(Vec::<CodBalance>::new());
    let error = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    Effect::new(move |_| {
        recorded.track();
        spawn_local(async move {
            match auth
                .call(|token| async move { ops::cod_balances(&token).await })
                .await
            {
                Ok(list) => {
                    let _ = balances.try_set(list);
                    let _ = error.try_set(None);
                    let _ = loaded.try_set(true);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    });
    view! {
        <section class="card" aria-labelledby="cod-balances-title">
            <div class="card-header">
                <h2 id="cod-balances-title">"Carriers"</h2>
            </div>
            <ErrorAlert message=error />
            <div class="table-wrap">
                <table class="table" aria-label="Cash on delivery by carrier">
                    <thead>
                        <tr>
                            <th scope="col">"Carrier"</th>
                            <th scope="col" class="num">"Collected"</th>
                            <th scope="col" class="num">"Remitted"</th>
                            <th scope="col" class="num">"Outstanding"</th>
                            <th scope="col" class="num">"Difference"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || balances.get() key=|b| b.clone() let(b)>
                            <tr data-carrier=b.carrier.clone()>
                                <th scope="row">{b.carrier.clone()}</th>
                                <td class="num">{format::money(&b.collected)}</td>
                                <td class="num">{format::money(&b.remitted)}</td>
                                <td class="num" data-testid="cod-outstanding">
                                    {format!("{} ({} orders)", format::money(&b.outstanding), b.outstanding_orders)}
                                </td>
                                <td class="num" class:field-error=differs(&b.difference.amount) data-testid="cod-difference">
                                    {format::money(&b.difference)}
                                </td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || loaded.get() && balances.with(Vec::is_empty)) text="No cash on delivery has been collected yet." />
        </section>
    }
}

/// Whether an amount such as `"-5.00"` is not zero.
fn differs(amount: &str) -> bool {
    amount.chars().any(|c| c.is_ascii_digit() && c != '0')
}

/// The pasted statement as lines: `tracking number, amount` (comma, tab or spaces between).
fn parse_statement(text: &str) -> Result<Vec<CodRemittanceLineInput>, Vec<FieldProblem>> {
    let mut lines = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in text.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let cells: Vec<&str> = raw
            .split([',', '\t', ';', ' '])
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        match cells.as_slice() {
            [tracking, amount] => lines.push(CodRemittanceLineInput {
                tracking_number: tracking.to_string(),
                amount: amount.to_string(),
            }),
            _ => problems.push(FieldProblem::new(
                format!("lines[{i}]"),
                "INVALID_LINE",
                format!("\"{}\" is not a tracking number and an amount", raw.trim()),
            )),
        }
    }
    match problems.is_empty() {
        true => Ok(lines),
        false => Err(problems),
    }
}

/// The server's (or the console's) problems with statement lines, numbered as the person
/// pasted them: `lines[2].amount` → "Line 3: …".
fn line_messages(error: &ApiError) -> Vec<String> {
    error
        .fields
        .iter()
        .filter_map(|p| {
            let rest = p.path.strip_prefix("lines[")?;
            let n: usize = rest.split(']').next()?.parse().ok()?;
            Some(format!("Line {}: {}", n + 1, p.message))
        })
        .chain(
            error
                .fields
                .iter()
                .filter(|p| p.path == "lines")
                .map(|p| p.message.clone()),
        )
        .collect()
}

#[component]
fn StatementForm(recorded: RwSignal<u32>) -> impl IntoView {
    let auth = use_auth();
    let carrier = RwSignal::new("SIMEX".to_string());
    let reference = RwSignal::new(String::new());
    let currency = RwSignal::new("CNY".to_string());
    let note = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<CodRemittance>);
    let line_errors =
        Signal::derive(move || error.with(|e| e.as_ref().map(line_messages).unwrap_or_default()));
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lines = match parse_statement(&text.get_untracked()) {
            Ok(lines) => lines,
            Err(problems) => {
                error.set(local_problems(problems));
                return;
            }
        };
        let input = CodRemittanceInput {
            carrier: carrier.get_untracked(),
            reference: reference.get_untracked(),
            currency: currency.get_untracked(),
            note: Some(note.get_untracked()).filter(|n| !n.trim().is_empty()),
            lines,
        };
        busy.set(true);
        spawn_local(async move {
            let answer = auth
                .call(|token| {
                    let input = input.clone();
                    async move { ops::record_cod_remittance(&token, &input).await }
                })
                .await;
            let _ = busy.try_set(false);
            match answer {
                Ok(r) => {
                    let _ = notice.try_set(Some(format!(
                        "Statement {} recorded: {} remitted, {} difference.",
                        r.reference,
                        format::money(&r.total),
                        format::money(&r.difference)
                    )));
                    let _ = error.try_set(None);
                    let _ = result.try_set(Some(r));
                    let _ = reference.try_set(String::new());
                    let _ = text.try_set(String::new());
                    let _ = note.try_set(String::new());
                    recorded.update(|n| *n += 1);
                }
                Err(e) => {
                    let _ = notice.try_set(None);
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    view! {
        <section class="card" aria-labelledby="cod-record-title">
            <div class="card-header">
                <h2 id="cod-record-title">"Record a carrier's statement"</h2>
            </div>
            <SuccessAlert message=notice />
            <form aria-label="Carrier statement" on:submit=on_submit novalidate>
                <div class="form-grid">
                    <TextField id="cod-carrier" label="Carrier" value=carrier errors=field_errors(error, "carrier") />
                    <TextField id="cod-reference" label="Statement number" value=reference errors=field_errors(error, "reference") hint="As the carrier prints it; a statement is recorded once." />
                    <TextField id="cod-currency" label="Currency" value=currency errors=field_errors(error, "currency") />
                </div>
                <TextArea id="cod-lines" label="Parcels: tracking number and amount, one per line" value=text errors=line_errors rows=6 hint="Paste from the carrier's file, e.g. SIM1234567890, 120.50" />
                <TextArea id="cod-note" label="Note (optional)" value=note errors=field_errors(error, "note") />
                <FormError error=error fields=FORM_FIELDS />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        {move || if busy.get() { "Recording…" } else { "Record statement" }}
                    </button>
                </div>
            </form>
            {move || result.get().map(|r| view! { <StatementLines remittance=r /> })}
        </section>
    }
}

/// A statement's lines with what each one found.
#[component]
fn StatementLines(remittance: CodRemittance) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table" aria-label=format!("Statement {}", remittance.reference)>
                <thead>
                    <tr>
                        <th scope="col" class="num">"Line"</th>
                        <th scope="col">"Tracking number"</th>
                        <th scope="col">"Order"</th>
                        <th scope="col" class="num">"Collected"</th>
                        <th scope="col" class="num">"Remitted"</th>
                        <th scope="col" class="num">"Difference"</th>
                        <th scope="col">"Finding"</th>
                    </tr>
                </thead>
                <tbody>
                    {remittance
                        .lines
                        .into_iter()
                        .map(|l| {
                            let badge = match l.finding {
                                CodFinding::Matched => "badge badge-ok",
                                _ => "badge badge-warn",
                            };
                            view! {
                                <tr data-finding=l.finding.as_str()>
                                    <td class="num">{l.line}</td>
                                    <td><code>{l.tracking_number.clone()}</code></td>
                                    <td>
                                        <A href=format!("/orders/{}", l.order.number)>{l.order.number.clone()}</A>
                                    </td>
                                    <td class="num">{format::money(&l.expected)}</td>
                                    <td class="num">{format::money(&l.remitted)}</td>
                                    <td class="num">{format::money(&l.difference)}</td>
                                    <td>
                                        <span class=badge data-status=l.finding.as_str()>{cod_finding_label(l.finding)}</span>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OutstandingSection(outstanding: Paged<LedgerEntry>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="cod-outstanding-title">
            <div class="card-header">
                <h2 id="cod-outstanding-title">"Collected, not yet remitted"</h2>
            </div>
            <ErrorAlert message=outstanding.error />
            <div class="table-wrap">
                <table class="table" aria-label="Collections waiting for a statement">
                    <thead>
                        <tr>
                            <th scope="col">"Collected (UTC)"</th>
                            <th scope="col">"Carrier"</th>
                            <th scope="col">"Order"</th>
                            <th scope="col" class="num">"Amount"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || outstanding.rows.get() key=|p| p.id.clone() let(p)>
                            <OutstandingRow p=p />
                        </For>
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || outstanding.is_empty()) text="Every collection is on a statement." />
            <LoadMore has_more=outstanding.has_more loading=outstanding.loading on_load=Callback::new(move |_| outstanding.more()) />
        </section>
    }
}

#[component]
fn OutstandingRow(p: LedgerEntry) -> impl IntoView {
    let (number, href) = (
        p.order.number.clone(),
        format!("/orders/{}", p.order.number),
    );
    view! {
        <tr data-order=number>
            <td class="nowrap">{format::timestamp(&p.at)}</td>
            <td>{p.provider.clone()}</td>
            <td>
                <A href=href>{p.order.number.clone()}</A>
            </td>
            <td class="num">{format::money(&p.amount)}</td>
        </tr>
    }
}

#[component]
fn StatementsSection(statements: Paged<CodRemittance>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="cod-statements-title">
            <div class="card-header">
                <h2 id="cod-statements-title">"Statements recorded"</h2>
            </div>
            <ErrorAlert message=statements.error />
            <ul class="queue" aria-label="Statements">
                <For each=move || statements.rows.get() key=|r| r.id.clone() let(r)>
                    <li class="queue-item" data-reference=r.reference.clone()>
                        <details>
                            <summary>
                                {format!(
                                    "{} {} · {} remitted, {} expected, {} difference · {} by {}",
                                    r.carrier,
                                    r.reference,
                                    format::money(&r.total),
                                    format::money(&r.expected),
                                    format::money(&r.difference),
                                    format::timestamp(&r.recorded_at),
                                    r.recorded_by,
                                )}
                            </summary>
                            {r.note.clone().map(|n| view! { <p class="muted">{n}</p> })}
                            <StatementLines remittance=r.clone() />
                        </details>
                    </li>
                </For>
            </ul>
            <EmptyNote when=Signal::derive(move || statements.is_empty()) text="No statement has been recorded yet." />
            <LoadMore has_more=statements.has_more loading=statements.loading on_load=Callback::new(move |_| statements.more()) />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_statements_take_commas_tabs_or_spaces_and_skip_blank_lines() {
        let lines = parse_statement("SIM1, 10.00\n\nSIM2\t20.50\n  SIM3   30  \n").unwrap();
        let pairs: Vec<(&str, &str)> = lines
            .iter()
            .map(|l| (l.tracking_number.as_str(), l.amount.as_str()))
            .collect();
        assert_eq!(
            pairs,
            vec![("SIM1", "10.00"), ("SIM2", "20.50"), ("SIM3", "30")]
        );
    }

    #[test]
    fn a_line_without_an_amount_is_named_by_its_number() {
        let problems = parse_statement("SIM1, 10.00\nSIM2\n").unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "lines[1]");
        let error = local_problems(problems).unwrap();
        assert_eq!(
            line_messages(&error),
            vec!["Line 2: \"SIM2\" is not a tracking number and an amount"]
        );
    }

    #[test]
    fn only_non_zero_differences_stand_out() {
        assert!(!differs("0.00") && !differs("-0.00") && !differs("0"));
        assert!(differs("-5.00") && differs("0.01"));
    }
}
