//! Small helpers for field-precise validation: paths relative to the input object, and the
//! problems every text field can have, with messages that carry the numbers.

use orderly_shared::FieldProblem;

/// `prefix.field`, or just `field` at the top level.
pub(crate) fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_string()
    } else {
        format!("{prefix}.{field}")
    }
}

pub(crate) fn required(path: impl Into<String>) -> FieldProblem {
    FieldProblem::new(path, "REQUIRED", "is required")
}

fn too_long(path: &str, max: usize, got: usize) -> FieldProblem {
    FieldProblem::new(
        path,
        "TOO_LONG",
        format!("must be at most {max} characters (got {got})"),
    )
}

/// A required text: trimmed, non-blank, at most `max` characters.
pub(crate) fn required_text(
    path: &str,
    raw: &str,
    max: usize,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    let text = raw.trim();
    if text.is_empty() {
        problems.push(required(path));
        return None;
    }
    bounded(path, text, max, problems)
}

/// An optional text: trimmed; blank becomes `None`; at most `max` characters.
pub(crate) fn optional_text(
    path: &str,
    raw: Option<&str>,
    max: usize,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty())?;
    bounded(path, text, max, problems)
}

fn bounded(path: &str, text: &str, max: usize, problems: &mut Vec<FieldProblem>) -> Option<String> {
    let chars = text.chars().count();
    if chars > max {
        problems.push(too_long(path, max, chars));
        None
    } else {
        Some(text.to_string())
    }
}
