//! The console's view of a failed request: the contract's error code, the server's sentence for
//! people, and field-precise problems for forms.

use orderly_shared::{ErrorCode, FieldProblem};
use serde::Deserialize;
use std::fmt;

/// One entry of a GraphQL response's `errors`.
#[derive(Debug, Deserialize)]
pub(super) struct RawError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    extensions: Option<RawExtensions>,
}

#[derive(Debug, Deserialize)]
struct RawExtensions {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    fields: Vec<FieldProblem>,
}

/// Why a request failed.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The contract's code; `None` when the server could not be reached or answered nonsense.
    pub code: Option<ErrorCode>,
    /// A sentence to show a person.
    pub message: String,
    /// Field problems of a VALIDATION error, in the server's order.
    pub fields: Vec<FieldProblem>,
}

impl ApiError {
    /// The server could not be reached, or its answer was not a GraphQL response.
    pub fn transport(detail: String) -> ApiError {
        leptos::logging::warn!("GraphQL transport problem: {detail}");
        ApiError {
            code: None,
            message: "Could not reach the server. Check your connection and try again.".into(),
            fields: Vec::new(),
        }
    }

    /// Folds a response's `errors` into one: the first error's code and message, and the field
    /// problems of all of them.
    pub(super) fn from_raw(errors: Vec<RawError>) -> ApiError {
        let mut code = None;
        let mut message = String::new();
        let mut fields = Vec::new();
        for error in errors {
            let (c, f) = match error.extensions {
                Some(ext) => (ext.code.as_deref().and_then(ErrorCode::parse), ext.fields),
                None => (None, Vec::new()),
            };
            if message.is_empty() {
                code = c;
                message = error.message;
            }
            fields.extend(f);
        }
        if message.is_empty() {
            message = "Something went wrong on the server. Please try again.".into();
        }
        // An error without a known code is the server's fault, not the person's.
        ApiError {
            code: Some(code.unwrap_or(ErrorCode::Internal)),
            message,
            fields,
        }
    }

    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == Some(code)
    }

    /// The problems reported for one input field, matched on the last segment of the path so
    /// `input.email` and `email` both name the `email` field, and `strategy.warehouses[1]` names
    /// the `warehouses` field.
    pub fn field(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|p| field_name(&p.path) == name)
            .map(|p| sentence(&p.message))
            .collect()
    }

    /// The problems reported for one field of one item of a list input: `("lines", 2, "sku")`
    /// matches `lines[2].sku` (with any prefix).
    pub fn item_field(&self, list: &str, index: usize, name: &str) -> Vec<String> {
        let suffix = format!("{list}[{index}].{name}");
        self.fields
            .iter()
            .filter(|p| p.path == suffix || p.path.ends_with(&format!(".{suffix}")))
            .map(|p| sentence(&p.message))
            .collect()
    }
}

/// The input field a problem's path names: its last segment without a list index, so
/// `input.strategy.warehouses[0]` is the `warehouses` field and `lines[2].sku` the `sku` field.
pub fn field_name(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    match last.find('[') {
        Some(at) => &last[..at],
        None => last,
    }
}

/// Field messages may start lower-case ("is required"); beside a label they read as sentences.
fn sentence(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> ApiError {
        let errors: Vec<RawError> = serde_json::from_str(json).unwrap();
        ApiError::from_raw(errors)
    }

    #[test]
    fn the_code_and_message_come_from_the_first_error() {
        let e = parse(
            r#"[{"message":"Email or password is incorrect.","extensions":{"code":"UNAUTHENTICATED"}},
                {"message":"later","extensions":{"code":"INTERNAL"}}]"#,
        );
        assert!(e.is(ErrorCode::Unauthenticated));
        assert_eq!(e.message, "Email or password is incorrect.");
    }

    #[test]
    fn field_problems_are_found_by_the_last_path_segment() {
        let e = parse(
            r#"[{"message":"invalid","extensions":{"code":"VALIDATION","fields":[
                {"path":"input.password","code":"TOO_SHORT","message":"At least 12 characters."},
                {"path":"input.email","code":"MALFORMED","message":"Not an e-mail address."}]}}]"#,
        );
        assert!(e.is(ErrorCode::Validation));
        assert_eq!(e.field("password"), vec!["At least 12 characters."]);
        assert_eq!(e.field("email"), vec!["Not an e-mail address."]);
        assert!(e.field("roles").is_empty());
    }

    #[test]
    fn list_items_are_matched_by_their_index_or_as_the_whole_list() {
        let e = parse(
            r#"[{"message":"invalid","extensions":{"code":"VALIDATION","fields":[
                {"path":"strategy.warehouses[1]","code":"UNKNOWN_WAREHOUSE","message":"warehouse XX1 is not known"},
                {"path":"lines[2].sku","code":"UNKNOWN_SKU","message":"no product NOPE"}]}}]"#,
        );
        assert_eq!(e.field("warehouses"), vec!["Warehouse XX1 is not known"]);
        assert_eq!(e.item_field("lines", 2, "sku"), vec!["No product NOPE"]);
        assert!(e.item_field("lines", 1, "sku").is_empty());
        assert_eq!(field_name("input.split.shipments"), "shipments");
        assert_eq!(field_name("areas[0].country"), "country");
    }

    #[test]
    fn field_messages_read_as_sentences() {
        let e = parse(
            r#"[{"message":"invalid","extensions":{"code":"VALIDATION","fields":[
                {"path":"input.displayName","code":"REQUIRED","message":"is required"}]}}]"#,
        );
        assert_eq!(e.field("displayName"), vec!["Is required"]);
    }

    #[test]
    fn an_error_without_a_known_code_counts_as_internal() {
        let e = parse(r#"[{"message":"boom"}]"#);
        assert!(e.is(ErrorCode::Internal));
        let e = parse(r#"[{"message":"x","extensions":{"code":"TEAPOT"}}]"#);
        assert!(e.is(ErrorCode::Internal));
    }
}
