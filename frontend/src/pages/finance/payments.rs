//! The payments ledger, newest first, filtered by kind, provider and dates, and the same rows
//! as a CSV file (the server streams it; the console saves what it sends).

use crate::api::documents;
use crate::api::ops;
use crate::api::types::{LedgerEntry, LedgerFilter};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore};
use crate::components::format;
use crate::components::paged::Paged;
use crate::components::status::payment_kind_label;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::PaymentKind;

const PAGE: u32 = 50;

/// The filter form's fields as typed: dates are whole UTC days, `to` included.
fn filter_of(kind: &str, provider: &str, from: &str, to: &str) -> LedgerFilter {
    let day = |d: &str| (!d.trim().is_empty()).then(|| format!("{}T00:00:00Z", d.trim()));
    LedgerFilter {
        kinds: PaymentKind::parse(kind).into_iter().collect(),
        provider: Some(provider.trim().to_uppercase()).filter(|p| !p.is_empty()),
        from: day(from),
        to: day(to).and_then(|_| next_day(to.trim())),
    }
}

/// `2026-12-31` → `2027-01-01T00:00:00Z`: the exclusive end of a day picked as the last one.
pub(crate) fn next_day(date: &str) -> Option<String> {
    let (y, m, d) = date_parts(date)?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    let (y, m, d) = match (d >= days, m == 12) {
        (false, _) => (y, m, d + 1),
        (true, false) => (y, m + 1, 1),
        (true, true) => (y + 1, 1, 1),
    };
    Some(format!("{y:04}-{m:02}-{d:02}T00:00:00Z"))
}

/// `YYYY-MM-DD` as numbers (what a date input gives).
fn date_parts(date: &str) -> Option<(u32, u32, u32)> {
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??, parts.next()??))
}

#[component]
pub fn LedgerSection() -> impl IntoView {
    let auth = use_auth();
    let (kind, provider, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let applied = RwSignal::new(LedgerFilter::default());
    let export_error = RwSignal::new(None::<String>);
    let exporting = RwSignal::new(false);
    let ledger = Paged::new(
        |p: &LedgerEntry| p.id.as_str(),
        move |after| async move {
            let filter = applied.get_untracked();
            auth.call(|token| {
                let (after, filter) = (after.clone(), filter.clone());
                async move { ops::payments(&token, &filter, PAGE, after).await }
            })
            .await
        },
    );
    ledger.reload();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(filter_of(
            &kind.get(),
            &provider.get(),
            &from.get(),
            &to.get(),
        ));
        ledger.reload();
    };
    let on_export = move |_| {
        let path = ops::payments_export_path(&applied.get_untracked());
        exporting.set(true);
        spawn_local(async move {
            let result = documents::download(auth, path, "payments.csv").await;
            let _ = exporting.try_set(false);
            let _ = export_error.try_set(result.err());
        });
    };
    view! {
        <section class="card" aria-labelledby="ledger-title">
            <div class="card-header">
                <h2 id="ledger-title">"Payments ledger"</h2>
                <div class="card-header-aside">
                    <button type="button" class="btn btn-secondary" data-testid="export-payments" disabled=exporting on:click=on_export>
                        {move || if exporting.get() { "Preparing…" } else { "Download CSV" }}
                    </button>
                </div>
            </div>
            <form class="inline-form" role="search" aria-label="Ledger filter" on:submit=on_submit>
                <div class="field">
                    <label for="ledger-kind">"Kind"</label>
                    <select id="ledger-kind" bind:value=kind>
                        <option value="">"Every kind"</option>
                        {PaymentKind::ALL
                            .iter()
                            .map(|k| view! { <option value=k.as_str()>{payment_kind_label(*k)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="ledger-provider">"Provider"</label>
                    <input id="ledger-provider" type="search" autocomplete="off" placeholder="Any, e.g. SIMEX" bind:value=provider />
                </div>
                <div class="field">
                    <label for="ledger-from">"From (UTC)"</label>
                    <input id="ledger-from" type="date" bind:value=from />
                </div>
                <div class="field">
                    <label for="ledger-to">"To (UTC, included)"</label>
                    <input id="ledger-to" type="date" bind:value=to />
                </div>
                <button type="submit" class="btn btn-secondary">"Show"</button>
            </form>
            <ErrorAlert message=export_error />
            <ErrorAlert message=ledger.error />
            <div class="table-wrap">
                <table class="table" aria-label="Payments">
                    <thead>
                        <tr>
                            <th scope="col">"When (UTC)"</th>
                            <th scope="col">"Order"</th>
                            <th scope="col">"Kind"</th>
                            <th scope="col">"Provider"</th>
                            <th scope="col">"Reference"</th>
                            <th scope="col" class="num">"Amount"</th>
                            <th scope="col">"Detail"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || ledger.rows.get() key=|p| p.id.clone() let(p)>
                            <LedgerRow p=p />
                        </For>
                    </tbody>
                </table>
            </div>
            <EmptyNote when=Signal::derive(move || ledger.is_empty()) text="No payment matches these filters." />
            <LoadMore has_more=ledger.has_more loading=ledger.loading on_load=Callback::new(move |_| ledger.more()) />
        </section>
    }
}

#[component]
fn LedgerRow(p: LedgerEntry) -> impl IntoView {
    let (number, href) = (
        p.order.number.clone(),
        format!("/orders/{}", p.order.number),
    );
    view! {
        <tr data-kind=p.kind.as_str() data-order=number>
            <td class="nowrap">{format::timestamp_seconds(&p.at)}</td>
            <td>
                <A href=href>{p.order.number.clone()}</A>
            </td>
            <td>{payment_kind_label(p.kind)}</td>
            <td>{p.provider.clone()}</td>
            <td class="nowrap"><code>{p.reference.clone()}</code></td>
            <td class="num">{format::money(&p.amount)}</td>
            <td>{p.detail.clone().unwrap_or_default()}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_day_picked_is_included() {
        let f = filter_of("REFUND", " simex ", "2026-12-01", "2026-12-31");
        assert_eq!(f.kinds, vec![PaymentKind::Refund]);
        assert_eq!(f.provider.as_deref(), Some("SIMEX"));
        assert_eq!(f.from.as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(f.to.as_deref(), Some("2027-01-01T00:00:00Z"));
        assert_eq!(
            next_day("2028-02-28").as_deref(),
            Some("2028-02-29T00:00:00Z")
        );
        assert_eq!(
            next_day("2026-02-28").as_deref(),
            Some("2026-03-01T00:00:00Z")
        );
        assert_eq!(
            next_day("2026-04-30").as_deref(),
            Some("2026-05-01T00:00:00Z")
        );
    }

    #[test]
    fn blank_fields_filter_nothing() {
        assert_eq!(filter_of("", "  ", "", ""), LedgerFilter::default());
    }
}
