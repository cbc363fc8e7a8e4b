//! The dashboard's charts, drawn as SVG so they scale, print and need no chart library: orders
//! per period, and each stage's p50 and p90 lead time with the bottleneck marked.

use crate::api::types::{StageLeadTime, VolumePoint};
use crate::components::format;
use crate::components::status::stage_label;
use leptos::prelude::*;
use orderly_shared::Stage;
use std::collections::BTreeMap;

/// Orders per period, summed over channels and currencies, oldest first.
pub fn per_period(points: &[VolumePoint]) -> Vec<(String, i64)> {
    let mut sums: BTreeMap<String, i64> = BTreeMap::new();
    for p in points {
        *sums.entry(p.period.clone()).or_default() += p.orders;
    }
    sums.into_iter().collect()
}

/// How long, for people: `0 s`, `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`.
pub fn duration(seconds: i64) -> String {
    if seconds < 60 {
        return format!("{} s", seconds.max(0));
    }
    format::age(seconds as f64 * 1000.0)
}

/// Bars of orders per period.
#[component]
pub fn VolumeChart(points: Vec<(String, i64)>) -> impl IntoView {
    let max = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    let n = points.len().max(1);
    let (width, height) = (640.0_f64, 160.0_f64);
    let slot = width / n as f64;
    let bars = points
        .iter()
        .enumerate()
        .map(|(i, (period, orders))| {
            let h = (*orders as f64 / max as f64) * (height - 20.0);
            let x = i as f64 * slot + slot * 0.1;
            let label = format!("{period}: {orders} orders");
            view! {
                <rect class="bar" x=x y=height - h width=slot * 0.8 height=h data-period=period.clone() data-orders=*orders>
                    <title>{label}</title>
                </rect>
            }
        })
        .collect_view();
    let first = points.first().map(|p| p.0.clone()).unwrap_or_default();
    let last = points.last().map(|p| p.0.clone()).unwrap_or_default();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {width} {height}") role="img" aria-label="Orders placed per period" data-testid="volume-chart">
                {bars}
            </svg>
            <figcaption class="chart-axis">
                <span>{first}</span>
                <span>{format!("highest: {max} orders")}</span>
                <span>{last}</span>
            </figcaption>
        </figure>
    }
}

/// One row per stage: a p50 bar inside a p90 bar, to one scale; the bottleneck's row stands out
/// and opens the orders waiting there.
#[component]
pub fn LeadTimeChart(
    stages: Vec<StageLeadTime>,
    bottleneck: Option<Stage>,
    on_pick: Callback<Stage>,
) -> impl IntoView {
    let max = stages
        .iter()
        .map(|s| s.p90_seconds)
        .max()
        .unwrap_or(0)
        .max(1);
    let rows = stages
        .into_iter()
        .map(|s| {
            let wide = |v: i64| format!("width: {:.1}%", v as f64 * 100.0 / max as f64);
            let worst = bottleneck == Some(s.stage);
            let stage = s.stage;
            view! {
                <li class="lead-row" class:bottleneck=worst data-stage=s.stage.as_str()>
                    <button type="button" class="lead-label btn btn-link" on:click=move |_| on_pick.run(stage)
                        title="Show the orders waiting in this stage">
                        {stage_label(s.stage)}
                        {worst.then(|| view! { <span class="badge badge-warn">"Bottleneck"</span> })}
                    </button>
                    <div class="lead-track" aria-hidden="true">
                        <div class="lead-p90" style=wide(s.p90_seconds)></div>
                        <div class="lead-p50" style=wide(s.p50_seconds)></div>
                    </div>
                    <span class="lead-figures">
                        {format!("p50 {} · p90 {} · p99 {} · {} orders", duration(s.p50_seconds), duration(s.p90_seconds), duration(s.p99_seconds), s.orders)}
                    </span>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="lead-chart" aria-label="Lead time per stage" data-testid="lead-times">{rows}</ol> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::types::Money;

    fn point(period: &str, channel: &str, orders: i64) -> VolumePoint {
        VolumePoint {
            period: period.into(),
            channel: channel.into(),
            orders,
            value: Money {
                amount: "1.00".into(),
                currency: "CNY".into(),
            },
        }
    }

    #[test]
    fn channels_add_up_per_period_in_date_order() {
        let points = [
            point("2026-11-03", "web", 2),
            point("2026-11-02", "app", 1),
            point("2026-11-03", "app", 5),
        ];
        assert_eq!(
            per_period(&points),
            vec![("2026-11-02".to_string(), 1), ("2026-11-03".to_string(), 7)]
        );
    }

    #[test]
    fn durations_read_like_a_person_says_them() {
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45), "45 s");
        assert_eq!(duration(1200), "20 min");
        assert_eq!(duration(162_000), "1 d 21 h");
    }
}
