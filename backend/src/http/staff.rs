//! Plain-HTTP endpoints for signed-in staff (documents, exports): the console's bearer token,
//! the same permission table as GraphQL, and errors as `{code, message, fields}` JSON.

use crate::app::AppState;
use crate::domain::auth::Actor;
use crate::error::AppError;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orderly_shared::Operation;

/// The signed-in staff member behind the request, if they may run `operation`.
pub async fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    operation: Operation,
) -> Result<Actor, AppError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| AppError::Unauthenticated("Sign in first.".into()))?;
    let actor = Actor::Staff(
        state
            .auth
            .authenticate_bearer(&state.db, token.trim())
            .await?,
    );
    if !actor.may(operation) {
        return Err(AppError::Forbidden(format!(
            "You are not allowed to do this ({operation:?})."
        )));
    }
    Ok(actor)
}

/// The error as the HTTP status and `{code, message}` body a client can act on (with
/// `fields`, the problem per parameter, when the input was at fault).
pub fn error_response(err: AppError, what: &str) -> Response {
    let status = match err {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Validation(_) => StatusCode::BAD_REQUEST,
        AppError::Conflict(_) | AppError::InvalidTransition(_) => StatusCode::CONFLICT,
        AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(ref e) => {
            tracing::error!(error = %e, "{what} failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    let message = match status {
        StatusCode::INTERNAL_SERVER_ERROR => "Internal error.".to_string(),
        _ => err.to_string(),
    };
    let mut body = serde_json::json!({ "code": err.code().as_str(), "message": message });
    // The same field problems GraphQL reports, so a client shows them at the parameter.
    if let AppError::Validation(problems) = &err {
        body["fields"] = serde_json::json!(problems);
    }
    (status, axum::Json(body)).into_response()
}
