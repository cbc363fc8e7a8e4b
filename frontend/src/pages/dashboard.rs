//! The landing page after sign-in: who you are, where your work is, and how many orders wait
//! in the stages that are yours (your slice of the analytics).

use super::area::purpose;
use crate::api::ops;
use crate::api::types::StageBacklog;
use crate::components::format;
use crate::components::status::stage_label;
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use orderly_shared::{Area, Operation, Role, Stage};

/// The stages each role moves orders out of.
fn stages_of(roles: &[Role]) -> Vec<Stage> {
    Stage::ALL
        .iter()
        .copied()
        .filter(|s| {
            roles.iter().any(|r| match r {
                Role::Admin => true,
                Role::Finance => *s == Stage::Payment,
                Role::Reviewer => *s == Stage::Review,
                Role::CustomerService => matches!(s, Stage::Review | Stage::Delivery),
                Role::Warehouse => matches!(
                    s,
                    Stage::Allocation | Stage::Picking | Stage::Packing | Stage::Shipping
                ),
            })
        })
        .collect()
}

/// Orders waiting now in the signed-in person's stages.
#[component]
fn YourStages() -> impl IntoView {
    let auth = use_auth();
    let stages = stages_of(&auth.roles());
    let waiting = RwSignal::new(None::<Vec<StageBacklog>>);
    spawn_local(async move {
        let result = auth
            .call(|token| async move { ops::waiting_now(&token).await })
            .await;
        // Figures are a convenience here: the areas below work without them.
        let _ = waiting.try_set(result.ok());
    });
    view! {
        <section aria-labelledby="your-stages">
            <h2 id="your-stages" class="section-title">"Waiting in your stages now"</h2>
            <div class="stat-grid">
                {move || waiting.get().map(|all| stages.iter().map(|stage| {
                    let here = all.iter().find(|w| w.stage == *stage);
                    let orders = here.map_or(0, |w| w.orders);
                    let note = here.map_or("none waiting".to_string(), |w| format!("oldest since {}", format::timestamp(&w.oldest_since)));
                    view! {
                        <div class="card stat" data-stage=stage.as_str()>
                            <span class="stat-label">{stage_label(*stage)}</span>
                            <span class="stat-value">{orders}</span>
                            <span class="stat-note">{note}</span>
                        </div>
                    }
                }).collect_view())}
            </div>
        </section>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let auth = use_auth();
    let name = Memo::new(move |_| auth.user().map(|u| u.display_name).unwrap_or_default());
    let roles = Memo::new(move |_| format::roles(&auth.roles()));
    let areas = Memo::new(move |_| {
        Area::visible_to(&auth.roles())
            .into_iter()
            .filter(|a| *a != Area::Dashboard)
            .collect::<Vec<_>>()
    });
    let analytics = Operation::ReadAnalytics.allows_any(&auth.roles());
    view! {
        <header class="page-header">
            <h1>"Dashboard"</h1>
            <p class="lead">
                {move || format!("Welcome, {}. You are signed in as {}.", name.get(), roles.get())}
            </p>
        </header>
        {analytics.then(|| view! { <YourStages /> })}
        <section aria-labelledby="your-areas">
            <h2 id="your-areas" class="section-title">"Your areas"</h2>
            <div class="card-grid">
                <For each=move || areas.get() key=|area| *area let(area)>
                    <A href=area.path() attr:class="card card-link">
                        <h3>{area.label()}</h3>
                        <p>{purpose(area)}</p>
                    </A>
                </For>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_the_stages_it_moves_orders_out_of() {
        assert_eq!(stages_of(&[Role::Reviewer]), vec![Stage::Review]);
        assert_eq!(
            stages_of(&[Role::Warehouse]),
            vec![
                Stage::Allocation,
                Stage::Picking,
                Stage::Packing,
                Stage::Shipping
            ]
        );
        assert_eq!(
            stages_of(&[Role::Finance, Role::CustomerService]),
            vec![Stage::Payment, Stage::Review, Stage::Delivery]
        );
        assert_eq!(stages_of(&[Role::Admin]), Stage::ALL.to_vec());
    }
}
