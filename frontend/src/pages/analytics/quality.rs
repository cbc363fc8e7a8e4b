//! How the window's orders went after they left: carriers' exception, SLA-breach and return
//! rates, returns by reason and SKU, refunds, ratings and the demand stock could not meet.

use crate::api::types::Figures;
use crate::components::format;
use crate::components::status::{case_reason_label, refund_status_label};
use leptos::prelude::*;

fn percent(rate: f64) -> String {
    format!("{:.1} %", rate * 100.0)
}

#[component]
pub fn Quality(f: Figures) -> impl IntoView {
    let (returns, refunds, ratings) = (f.returns.clone(), f.refunds.clone(), f.ratings.clone());
    let average = ratings
        .average
        .map(|a| format!("{a:.2} / 5"))
        .unwrap_or_else(|| "—".into());
    view! {
        <div class="stat-grid">
            <div class="card stat">
                <span class="stat-label">"Came back"</span>
                <span class="stat-value" data-testid="return-rate">{percent(returns.rate)}</span>
                <span class="stat-note">{format!("{} of {} delivered orders", returns.returned, returns.delivered)}</span>
            </div>
            <div class="card stat">
                <span class="stat-label">"Refunded"</span>
                <span class="stat-value">{percent(refunds.rate)}</span>
                <span class="stat-note">{format!("{} of {} orders", refunds.refunded, refunds.orders)}</span>
            </div>
            <div class="card stat">
                <span class="stat-label">"Average rating"</span>
                <span class="stat-value" data-testid="average-rating">{average}</span>
                <span class="stat-note">{format!("{} ratings", ratings.ratings)}</span>
            </div>
        </div>
        <section class="card" aria-labelledby="carriers-title">
            <h2 id="carriers-title">"Carriers"</h2>
            <table class="table" aria-label="Carrier quality">
                <thead><tr>
                    <th scope="col">"Carrier"</th><th scope="col" class="num">"Shipped"</th><th scope="col" class="num">"Delivered"</th>
                    <th scope="col" class="num">"Exception rate"</th><th scope="col" class="num">"Late (SLA)"</th><th scope="col" class="num">"Return rate"</th>
                </tr></thead>
                <tbody>
                    {f.carriers.iter().map(|c| view! {
                        <tr data-carrier=c.carrier.clone()>
                            <td>{c.carrier.clone()}</td>
                            <td class="num">{c.shipped}</td>
                            <td class="num">{c.delivered}</td>
                            <td class="num">{format!("{} ({})", percent(c.exception_rate), c.with_exceptions)}</td>
                            <td class="num">{format!("{} ({})", percent(c.sla_breach_rate), c.sla_breached)}</td>
                            <td class="num">{format!("{} ({})", percent(c.return_rate), c.returned)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <div class="two-columns">
            <section class="card" aria-labelledby="returns-title">
                <h2 id="returns-title">"Returns by reason"</h2>
                <ul class="rate-list" aria-label="Returns by reason">
                    {returns.by_reason.iter().map(|r| {
                        let share = r.cases as f64 / returns.by_reason.iter().map(|x| x.cases).sum::<i64>().max(1) as f64;
                        view! {
                            <li data-reason=r.reason.as_str()>
                                <span>{case_reason_label(r.reason)}</span>
                                <span class="rate-bar" aria-hidden="true"><span style=format!("width: {:.1}%", share * 100.0)></span></span>
                                <span class="num">{r.cases}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                {returns.by_reason.is_empty().then(|| view! { <p class="muted">"No customer came back about an order of the window."</p> })}
                {(!f.returns_by_sku.is_empty()).then(|| view! {
                    <table class="table" aria-label="Most returned products">
                        <thead><tr><th scope="col">"SKU"</th><th scope="col" class="num">"Sold"</th><th scope="col" class="num">"Came back"</th><th scope="col" class="num">"Rate"</th></tr></thead>
                        <tbody>
                            {f.returns_by_sku.iter().map(|s| view! {
                                <tr><td>{s.sku.clone()}</td><td class="num">{s.sold_units}</td><td class="num">{s.returned_units}</td><td class="num">{percent(s.rate)}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                })}
            </section>
            <section class="card" aria-labelledby="refunds-title">
                <h2 id="refunds-title">"Refunds"</h2>
                <table class="table" aria-label="Refunds by status">
                    <thead><tr><th scope="col">"Status"</th><th scope="col" class="num">"Refunds"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                    <tbody>
                        {refunds.totals.iter().map(|t| view! {
                            <tr data-status=t.status.as_str()><td>{refund_status_label(t.status)}</td><td class="num">{t.refunds}</td><td class="num">{format::money(&t.amount)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {refunds.totals.is_empty().then(|| view! { <p class="muted">"No refunds for orders of the window."</p> })}
                <h3>"Unmet demand"</h3>
                <table class="table" aria-label="Stockouts by SKU">
                    <thead><tr><th scope="col">"SKU"</th><th scope="col" class="num">"Orders"</th><th scope="col" class="num">"Units short"</th><th scope="col" class="num">"Still waiting"</th></tr></thead>
                    <tbody>
                        {f.stockouts.iter().map(|s| view! {
                            <tr data-sku=s.sku.clone()><td>{s.sku.clone()}</td><td class="num">{s.orders}</td><td class="num">{s.units}</td><td class="num">{s.waiting_units}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                {f.stockouts.is_empty().then(|| view! { <p class="muted">"Stock met every order of the window."</p> })}
            </section>
        </div>
    }
}
