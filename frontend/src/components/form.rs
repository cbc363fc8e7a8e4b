//! Form fields that show the server's field problems next to the input they concern.

use crate::api::ApiError;
use leptos::prelude::*;
use orderly_shared::Role;

/// A labelled text input. `errors` are the messages for this field (empty when it is fine).
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || errors.with(|e| !e.is_empty());
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if has_error() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                bind:value=value
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
            />
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <Show when=has_error>
                <p class="field-error" id=error_id.clone()>
                    {move || errors.get().join(" ")}
                </p>
            </Show>
        </div>
    }
}

/// The part of an error that no field shows: the general message, and problems for inputs the
/// form does not have.
pub fn form_level_messages(error: &ApiError, fields: &[&str]) -> Vec<String> {
    let shown = |path: &str| fields.contains(&path.rsplit('.').next().unwrap_or(path));
    let stray: Vec<String> = error
        .fields
        .iter()
        .filter(|p| !shown(&p.path))
        .map(|p| p.message.clone())
        .collect();
    if error.fields.is_empty() || !stray.is_empty() {
        std::iter::once(error.message.clone())
            .chain(stray)
            .collect()
    } else {
        // Every problem sits beside its field; one line says where to look.
        vec!["Please correct the highlighted fields.".to_string()]
    }
}

/// Shows form-level messages of the last error, if any.
#[component]
pub fn FormError(
    error: RwSignal<Option<ApiError>>,
    fields: &'static [&'static str],
) -> impl IntoView {
    move || {
        error.with(|e| {
            e.as_ref().map(|e| {
                let messages = form_level_messages(e, fields);
                view! {
                    <div class="alert alert-error" role="alert">
                        {messages.into_iter().map(|m| view! { <p>{m}</p> }).collect_view()}
                    </div>
                }
            })
        })
    }
}

/// One checkbox per role; `selected` holds the ticked roles in the contract's order.
#[component]
pub fn RoleChoice(
    /// Makes the inputs' ids unique on the page.
    id_prefix: String,
    selected: RwSignal<Vec<Role>>,
) -> impl IntoView {
    Role::ALL
        .into_iter()
        .map(|role| {
            let id = format!("{id_prefix}-{}", role.as_str().to_lowercase());
            let checked = move || selected.with(|s| s.contains(&role));
            let on_change = move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                selected.update(|s| {
                    s.retain(|r| *r != role);
                    if on {
                        s.push(role);
                        s.sort();
                    }
                });
            };
            view! {
                <label class="check">
                    <input id=id type="checkbox" prop:checked=checked on:change=on_change />
                    <span>{role.label()}</span>
                </label>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderly_shared::{ErrorCode, FieldProblem};

    fn error(fields: Vec<FieldProblem>) -> ApiError {
        ApiError {
            code: Some(ErrorCode::Validation),
            message: "Invalid input.".into(),
            fields,
        }
    }

    #[test]
    fn problems_of_known_fields_stay_beside_them() {
        let e = error(vec![FieldProblem::new(
            "input.email",
            "MALFORMED",
            "Not an e-mail.",
        )]);
        assert_eq!(
            form_level_messages(&e, &["email"]),
            vec!["Please correct the highlighted fields."]
        );
    }

    #[test]
    fn problems_of_unknown_fields_and_plain_errors_show_at_the_form() {
        let e = error(vec![FieldProblem::new(
            "input.warehouseCodes",
            "UNKNOWN",
            "No such warehouse.",
        )]);
        assert_eq!(
            form_level_messages(&e, &["email"]),
            vec!["Invalid input.", "No such warehouse."]
        );
        assert_eq!(
            form_level_messages(&error(vec![]), &["email"]),
            vec!["Invalid input."]
        );
    }
}
