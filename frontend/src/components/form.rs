//! Form fields that show the server's field problems next to the input they concern.

use crate::api::{ApiError, field_name};
use leptos::prelude::*;
use orderly_shared::{FieldProblem, Role};

/// A labelled text input. `errors` are the messages for this field (empty when it is fine).
#[component]
pub fn TextField(
    /// Unique on the page; forms repeated per row put the row's id in it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] placeholder: Option<&'static str>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || errors.with(|e| !e.is_empty());
    let described_by = described_by(hint.is_some(), hint_id.clone(), error_id.clone(), errors);
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            <input
                id=id.clone()
                name=id
                type=input_type
                autocomplete=autocomplete
                placeholder=placeholder
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

/// A labelled multi-line input for notes and reasons, with the field's problems beneath it.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<String>>,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(default = 2)] rows: u32,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || errors.with(|e| !e.is_empty());
    let described_by = described_by(hint.is_some(), hint_id.clone(), error_id.clone(), errors);
    view! {
        <div class="field" class:has-error=has_error>
            <label for=id.clone()>{label}</label>
            <textarea
                id=id.clone()
                name=id
                rows=rows
                bind:value=value
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by
            ></textarea>
            {hint.map(|h| view! { <p class="hint" id=hint_id>{h}</p> })}
            <Show when=has_error>
                <p class="field-error" id=error_id.clone()>
                    {move || errors.get().join(" ")}
                </p>
            </Show>
        </div>
    }
}

/// `aria-describedby` of a field: its hint, and its error while it has one.
fn described_by(
    has_hint: bool,
    hint_id: String,
    error_id: String,
    errors: Signal<Vec<String>>,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if errors.with(|e| !e.is_empty()) {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The messages the last error of a form has for one of its fields.
pub fn field_errors(error: RwSignal<Option<ApiError>>, name: &'static str) -> Signal<Vec<String>> {
    Signal::derive(move || error.with(|e| e.as_ref().map(|e| e.field(name)).unwrap_or_default()))
}

/// A problem the console finds before asking the server, shown like the server's own.
pub fn local_problem(path: &str, code: &str, message: impl Into<String>) -> ApiError {
    ApiError {
        code: Some(orderly_shared::ErrorCode::Validation),
        message: "Please correct the highlighted fields.".into(),
        fields: vec![FieldProblem::new(path, code, message)],
    }
}

/// A whole number typed into a field: `None` when the field is blank, a problem at `path` when
/// it is not a whole number.
pub fn whole_number(path: &str, text: &str, problems: &mut Vec<FieldProblem>) -> Option<i32> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    // People type a proper minus sign as often as a hyphen.
    match text.replace('−', "-").parse::<i32>() {
        Ok(n) => Some(n),
        Err(_) => {
            problems.push(FieldProblem::new(
                path,
                "NOT_A_NUMBER",
                "Enter a whole number.",
            ));
            None
        }
    }
}

/// The values of a list typed as text, separated by commas or new lines: trimmed, blanks left
/// out. `"SH1, GZ1,"` → `["SH1", "GZ1"]`.
pub fn list_items(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The problems found before asking the server, as an error the form shows like the server's.
pub fn local_problems(problems: Vec<FieldProblem>) -> Option<ApiError> {
    (!problems.is_empty()).then(|| ApiError {
        code: Some(orderly_shared::ErrorCode::Validation),
        message: "Please correct the highlighted fields.".into(),
        fields: problems,
    })
}

/// The part of an error that no field shows: the general message, and problems for inputs the
/// form does not have.
pub fn form_level_messages(error: &ApiError, fields: &[&str]) -> Vec<String> {
    let shown = |path: &str| fields.contains(&field_name(path));
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
    use orderly_shared::ErrorCode;

    #[test]
    fn whole_numbers_are_read_or_reported() {
        let mut problems = Vec::new();
        assert_eq!(whole_number("quantity", " 12 ", &mut problems), Some(12));
        assert_eq!(whole_number("quantity", "−3", &mut problems), Some(-3));
        assert_eq!(whole_number("quantity", "", &mut problems), None);
        assert!(problems.is_empty());
        assert_eq!(whole_number("quantity", "2.5", &mut problems), None);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "quantity");
    }

    #[test]
    fn lists_are_typed_as_comma_separated_text() {
        assert_eq!(list_items(" SH1, GZ1,, "), vec!["SH1", "GZ1"]);
        assert_eq!(list_items("a\nb"), vec!["a", "b"]);
        assert!(list_items(" ").is_empty());
    }

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
