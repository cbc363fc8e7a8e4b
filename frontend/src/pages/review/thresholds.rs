//! The score thresholds: at "hold at" an order waits for a reviewer, at "reject at" it is
//! rejected without one.

use crate::api::{ApiError, ops};
use crate::components::feedback::SuccessAlert;
use crate::components::form::{FormError, TextField, field_errors, local_problems, whole_number};
use crate::session::use_auth;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orderly_shared::FieldProblem;

#[component]
pub fn ThresholdsSection() -> impl IntoView {
    let auth = use_auth();
    let hold_at = RwSignal::new(String::new());
    let reject_at = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(None::<String>);
    let busy = RwSignal::new(true);

    spawn_local(async move {
        match auth
            .call(|token| async move { ops::risk_thresholds(&token).await })
            .await
        {
            Ok(t) => {
                let _ = hold_at.try_set(t.hold_at.to_string());
                let _ = reject_at.try_set(t.reject_at.to_string());
            }
            Err(e) => {
                let _ = error.try_set(Some(e));
            }
        }
        let _ = busy.try_set(false);
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut problems = Vec::new();
        let hold = whole_number("holdAt", &hold_at.get_untracked(), &mut problems);
        let reject = whole_number("rejectAt", &reject_at.get_untracked(), &mut problems);
        for (path, value) in [("holdAt", hold), ("rejectAt", reject)] {
            if value.is_none() && !problems.iter().any(|p| p.path == path) {
                problems.push(FieldProblem::new(path, "REQUIRED", "Give a score."));
            }
        }
        let (Some(hold), Some(reject), None) = (hold, reject, local_problems(problems.clone()))
        else {
            error.set(local_problems(problems));
            return;
        };
        busy.set(true);
        error.set(None);
        saved.set(None);
        spawn_local(async move {
            let result = auth
                .call(|token| async move { ops::set_risk_thresholds(&token, hold, reject).await })
                .await;
            let _ = busy.try_set(false);
            match result {
                Ok(t) => {
                    let _ = saved.try_set(Some(format!(
                        "Saved: orders scoring {} or more wait for a reviewer; {} or more are rejected.",
                        t.hold_at, t.reject_at
                    )));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };

    view! {
        <section class="card" aria-labelledby="thresholds-title">
            <h2 id="thresholds-title">"Score thresholds"</h2>
            <form class="form-grid" novalidate on:submit=on_submit aria-labelledby="thresholds-title">
                <TextField
                    id="threshold-hold"
                    label="Hold at"
                    input_type="number"
                    value=hold_at
                    errors=field_errors(error, "holdAt")
                    hint="From this score an order waits for a reviewer."
                />
                <TextField
                    id="threshold-reject"
                    label="Reject at"
                    input_type="number"
                    value=reject_at
                    errors=field_errors(error, "rejectAt")
                    hint="From this score an order is rejected."
                />
                <FormError error=error fields=&["holdAt", "rejectAt"] />
                <SuccessAlert message=saved />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=busy>
                        "Save thresholds"
                    </button>
                </div>
            </form>
        </section>
    }
}
