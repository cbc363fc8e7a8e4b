//! The analytics dashboard: for the orders placed in a window (filtered by channel and
//! carrier), the volume over time, each stage's lead time with the bottleneck, what waits now,
//! holds by reason, carrier quality, returns, refunds, ratings and unmet demand; every figure opens the orders behind it, and the
//! counters move as orders do.

mod charts;
mod drill;
mod quality;

use crate::api::documents;
use crate::api::live::{self, LiveEvent};
use crate::api::ops;
use crate::api::types::{AnalyticsFilter, Figures};
use crate::components::AreaGate;
use crate::components::feedback::ErrorAlert;
use crate::components::format;
use crate::components::status::{LiveIndicator, LiveState, hold_reason_label, stage_label};
use crate::session::use_auth;
use charts::{LeadTimeChart, VolumeChart, duration, per_period};
use drill::Drill;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::{Area, Operation, Stage};
use quality::Quality;

/// Live events arriving within this long of each other refresh the figures once.
const SETTLE_MS: u32 = 400;

/// The filter form as typed: whole UTC days, `to` included.
fn filter_of(from: &str, to: &str, channel: &str, carrier: &str) -> AnalyticsFilter {
    let day = |d: &str| (!d.trim().is_empty()).then(|| format!("{}T00:00:00Z", d.trim()));
    AnalyticsFilter {
        from: day(from),
        to: day(to).and_then(|_| crate::pages::finance::next_day(to.trim())),
        channel: Some(channel.trim().to_lowercase()).filter(|c| !c.is_empty()),
        carrier: Some(carrier.trim().to_uppercase()).filter(|c| !c.is_empty()),
    }
}

#[component]
pub fn AnalyticsPage() -> impl IntoView {
    view! {
        <AreaGate area=Area::Analytics>
            <Dashboard />
        </AreaGate>
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let auth = use_auth();
    let (from, to, channel, carrier) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let applied = RwSignal::new(AnalyticsFilter::default());
    let figures = RwSignal::new(None::<Figures>);
    let error = RwSignal::new(None::<String>);
    let drill = RwSignal::new(None::<(Stage, u32)>);
    let generation = StoredValue::new(0_u32);

    let load = move || {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let filter = applied.get_untracked();
        spawn_local(async move {
            let result = auth
                .call(|token| {
                    let filter = filter.clone();
                    async move { ops::analytics(&token, &filter).await }
                })
                .await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            match result {
                Ok(f) => {
                    let _ = figures.try_set(Some(f));
                    let _ = error.try_set(None);
                }
                Err(e) => {
                    let _ = error.try_set(Some(e.message));
                }
            }
        });
    };
    load();

    // Live: any order's status change may move a counter; refresh once things settle.
    let pending = StoredValue::new_local(None::<Timeout>);
    let live = RwSignal::new(LiveState::Connecting);
    let watching = Operation::WatchOrders.allows_any(&auth.roles());
    if watching {
        let on_event = move |event: LiveEvent| match event {
            LiveEvent::Live { resumed } => {
                live.set(LiveState::Live);
                if resumed {
                    load();
                }
            }
            LiveEvent::Data(_) => {
                pending.set_value(Some(Timeout::new(SETTLE_MS, load)));
            }
            LiveEvent::Reconnecting => live.set(LiveState::Reconnecting),
            LiveEvent::Failed(why) => live.set(LiveState::Failed(why)),
        };
        let subscription = live::subscribe(
            auth,
            ops::ORDER_STATUS_CHANGED,
            serde_json::json!({}),
            on_event,
        );
        on_cleanup(move || drop(subscription));
    }

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        applied.set(filter_of(
            &from.get(),
            &to.get(),
            &channel.get(),
            &carrier.get(),
        ));
        drill.set(None);
        load();
    };
    let pick = Callback::new(move |stage: Stage| drill.set(Some((stage, 0))));
    let exporting = RwSignal::new(false);
    let on_export = move |_| {
        let path = ops::orders_export_path(&applied.get_untracked());
        exporting.set(true);
        spawn_local(async move {
            let result = documents::download(auth, path, "orders.csv").await;
            let _ = exporting.try_set(false);
            if let Err(message) = result {
                let _ = error.try_set(Some(message));
            }
        });
    };

    view! {
        <header class="page-header">
            <h1>"Analytics"</h1>
            <p class="lead">"Orders placed in the window, how long each stage took, and where they wait now."</p>
            {watching.then(|| view! { <LiveIndicator state=live /> })}
        </header>
        <form class="inline-form" role="search" aria-label="Analytics filter" on:submit=on_submit>
            <div class="field">
                <label for="an-from">"From (UTC)"</label>
                <input id="an-from" type="date" bind:value=from />
            </div>
            <div class="field">
                <label for="an-to">"To (UTC, included)"</label>
                <input id="an-to" type="date" bind:value=to />
            </div>
            <div class="field">
                <label for="an-channel">"Channel"</label>
                <input id="an-channel" type="search" autocomplete="off" placeholder="Any, e.g. demo-store" bind:value=channel />
            </div>
            <div class="field">
                <label for="an-carrier">"Carrier"</label>
                <input id="an-carrier" type="search" autocomplete="off" placeholder="Any, e.g. SIMEX" bind:value=carrier />
            </div>
            <button type="submit" class="btn btn-secondary">"Show"</button>
            <button type="button" class="btn btn-secondary" data-testid="export-orders" disabled=exporting on:click=on_export>
                {move || if exporting.get() { "Preparing…" } else { "Download orders CSV" }}
            </button>
        </form>
        <ErrorAlert message=error />
        {move || figures.get().map(|f| view! { <Overview f=f pick=pick /> })}
        {move || drill.get().map(|(stage, minutes)| view! { <Drill filter=applied.get_untracked() stage=stage minutes=minutes on_close=Callback::new(move |_| drill.set(None)) /> })}
    }
}

#[component]
fn Overview(f: Figures, pick: Callback<Stage>) -> impl IntoView {
    let placed: i64 = f.volume.iter().map(|v| v.orders).sum();
    let waiting: i64 = f.waiting.iter().map(|w| w.orders).sum();
    let window = format!(
        "{} – {}",
        format::timestamp(&f.from),
        format::timestamp(&f.to)
    );
    let periods = per_period(&f.volume);
    let overall = f
        .lead_times
        .iter()
        .find(|g| g.group.is_none())
        .map(|g| g.stages.clone())
        .unwrap_or_default();
    let worst = f.bottleneck.as_ref().map(|b| b.stage);
    let bottleneck = f.bottleneck.clone().map(|b| {
        let trend = match b.change_seconds {
            None => "no orders in the window before".to_string(),
            Some(c) if c > 0 => format!("{} slower than the window before", duration(c)),
            Some(c) if c < 0 => format!("{} faster than the window before", duration(-c)),
            Some(_) => "as in the window before".to_string(),
        };
        view! {
            <button type="button" class="card stat stat-alert link-card" data-testid="bottleneck" on:click=move |_| pick.run(b.stage)>
                <span class="stat-label">"Bottleneck"</span>
                <span class="stat-value">{stage_label(b.stage)}</span>
                <span class="stat-note">{format!("p90 {} — {trend}", duration(b.p90_seconds))}</span>
            </button>
        }
    });
    let holds = f.holds.clone();
    view! {
        <div class="stat-grid">
            <div class="card stat">
                <span class="stat-label">"Orders placed"</span>
                <span class="stat-value" data-testid="orders-placed">{placed}</span>
                <span class="stat-note">{window}</span>
            </div>
            <div class="card stat">
                <span class="stat-label">"Waiting now"</span>
                <span class="stat-value" data-testid="orders-waiting">{waiting}</span>
                <span class="stat-note">"in every stage, whenever placed"</span>
            </div>
            <div class="card stat">
                <span class="stat-label">"Held for review"</span>
                <span class="stat-value">{format!("{:.1} %", holds.rate * 100.0)}</span>
                <span class="stat-note">{format!("{} of {} orders", holds.held, holds.orders)}</span>
            </div>
            {bottleneck}
        </div>
        <section class="card" aria-labelledby="volume-title">
            <h2 id="volume-title">"Orders per day"</h2>
            <VolumeChart points=periods />
        </section>
        <section class="card" aria-labelledby="lead-title">
            <h2 id="lead-title">"Lead time per stage"</h2>
            <p class="muted">"Dark: half the orders took at most this long (p50). Light: nine in ten (p90)."</p>
            <LeadTimeChart stages=overall bottleneck=worst on_pick=pick />
        </section>
        <div class="two-columns">
            <section class="card" aria-labelledby="waiting-title">
                <h2 id="waiting-title">"Waiting now"</h2>
                <table class="table" aria-label="Orders waiting per stage">
                    <thead><tr><th scope="col">"Stage"</th><th scope="col" class="num">"Orders"</th><th scope="col">"Longest wait"</th></tr></thead>
                    <tbody>
                        {f.waiting.iter().map(|w| {
                            let stage = w.stage;
                            view! {
                                <tr data-stage=stage.as_str()>
                                    <td><button type="button" class="btn btn-link" on:click=move |_| pick.run(stage)>{stage_label(stage)}</button></td>
                                    <td class="num">{w.orders}</td>
                                    <td>{format!("since {}", format::timestamp(&w.oldest_since))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="card" aria-labelledby="holds-title">
                <h2 id="holds-title">"Holds by reason"</h2>
                <ul class="rate-list" aria-label="Holds by reason">
                    {holds.by_reason.iter().map(|r| view! {
                        <li data-code=r.code.as_str()>
                            <span>{hold_reason_label(r.code)}</span>
                            <span class="rate-bar" aria-hidden="true"><span style=format!("width: {:.1}%", r.rate * 100.0)></span></span>
                            <span class="num">{format!("{} ({:.1} %)", r.orders, r.rate * 100.0)}</span>
                        </li>
                    }).collect_view()}
                </ul>
                {holds.by_reason.is_empty().then(|| view! { <p class="muted">"No order in the window was held."</p> })}
            </section>
        </div>
        <Quality f=f.clone() />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_the_filter_with_the_last_day_included() {
        let f = filter_of("2026-11-01", "2026-11-30", " Demo-Store ", " simex ");
        assert_eq!(f.from.as_deref(), Some("2026-11-01T00:00:00Z"));
        assert_eq!(f.to.as_deref(), Some("2026-12-01T00:00:00Z"));
        assert_eq!(f.channel.as_deref(), Some("demo-store"));
        assert_eq!(f.carrier.as_deref(), Some("SIMEX"));
        assert_eq!(filter_of("", "", "", ""), AnalyticsFilter::default());
    }
}
