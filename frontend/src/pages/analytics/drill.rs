//! The orders behind a figure: those waiting in a stage, longest first, each a link to it.

use crate::api::ops;
use crate::api::types::{AnalyticsFilter, StuckOrder};
use crate::components::feedback::{EmptyNote, ErrorAlert, LoadMore};
use crate::components::format;
use crate::components::paged::Paged;
use crate::components::status::{order_status_label, stage_label};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos_router::components::A;
use orderly_shared::Stage;

const PAGE: u32 = 50;

#[component]
pub fn Drill(
    filter: AnalyticsFilter,
    stage: Stage,
    minutes: u32,
    on_close: Callback<()>,
) -> impl IntoView {
    let auth = use_auth();
    let list = Paged::new(
        |s: &StuckOrder| s.order.number.as_str(),
        move |after| {
            let filter = filter.clone();
            async move {
                auth.call(|token| {
                    let (after, filter) = (after.clone(), filter.clone());
                    async move {
                        ops::stuck_orders(&token, &filter, Some(stage), minutes, PAGE, after).await
                    }
                })
                .await
            }
        },
    );
    list.reload();
    view! {
        <section class="card" aria-labelledby="drill-title" data-testid="drill">
            <div class="card-header">
                <h2 id="drill-title">{format!("Orders waiting in {}", stage_label(stage))}</h2>
                <div class="card-header-aside">
                    <button type="button" class="btn btn-secondary" on:click=move |_| on_close.run(())>"Close"</button>
                </div>
            </div>
            <ErrorAlert message=list.error />
            <table class="table" aria-label="Waiting orders">
                <thead><tr><th scope="col">"Order"</th><th scope="col">"Status"</th><th scope="col">"Waiting since (UTC)"</th></tr></thead>
                <tbody>
                    <For each=move || list.rows.get() key=|s| s.order.number.clone() let(s)>
                        <DrillRow s=s />
                    </For>
                </tbody>
            </table>
            <EmptyNote when=Signal::derive(move || list.is_empty()) text="No order waits in this stage." />
            <LoadMore has_more=list.has_more loading=list.loading on_load=Callback::new(move |_| list.more()) />
        </section>
    }
}

#[component]
fn DrillRow(s: StuckOrder) -> impl IntoView {
    let number = s.order.number;
    let (href, label) = (format!("/orders/{number}"), number.clone());
    let since = s
        .since
        .as_deref()
        .map(format::timestamp)
        .unwrap_or_default();
    view! {
        <tr data-order=number>
            <td><A href=href>{label}</A></td>
            <td>{order_status_label(s.order.status)}</td>
            <td>{since}</td>
        </tr>
    }
}
