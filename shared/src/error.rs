//! The error vocabulary of the API (API.md): every GraphQL error carries one of these codes in
//! `extensions.code`, and validation errors list field-precise problems in `extensions.fields`.

use serde::{Deserialize, Serialize};

/// Machine-readable error class; clients branch on it, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    Validation,
    NotFound,
    Conflict,
    InvalidTransition,
    RateLimited,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Internal => "INTERNAL",
        }
    }

    pub fn parse(s: &str) -> Option<ErrorCode> {
        use ErrorCode::*;
        [
            Unauthenticated,
            Forbidden,
            Validation,
            NotFound,
            Conflict,
            InvalidTransition,
            RateLimited,
            Internal,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// One problem with one input field: `{ path: "lines[2].quantity", code: "MUST_BE_POSITIVE" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// Path into the operation's input, e.g. `input.email` or `lines[2].quantity`.
    pub path: String,
    /// Stable machine code, e.g. `TOO_SHORT`.
    pub code: String,
    /// A sentence for people, with the numbers that matter.
    pub message: String,
}

impl FieldProblem {
    pub fn new(path: impl Into<String>, code: &str, message: impl Into<String>) -> Self {
        FieldProblem {
            path: path.into(),
            code: code.to_string(),
            message: message.into(),
        }
    }
}
