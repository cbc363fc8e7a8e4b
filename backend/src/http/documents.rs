//! Printable documents over HTTP: `GET /documents/{kind}/{id}.pdf` with the staff bearer token
//! (the console fetches them and opens the PDF). The same permission table as GraphQL decides.

use crate::app::AppState;
use crate::domain::auth::Actor;
use crate::error::AppError;
use crate::service::documents;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use orderly_shared::Operation;
use uuid::Uuid;

pub async fn document(
    State(state): State<AppState>,
    Path((kind, file)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    match render(&state, &kind, &file, &headers).await {
        Ok((name, bytes)) => {
            let disposition = format!("inline; filename=\"{name}\"");
            let mut response = (StatusCode::OK, bytes).into_response();
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            );
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(err) => {
            let status = match err {
                AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
                AppError::Forbidden(_) => StatusCode::FORBIDDEN,
                AppError::NotFound(_) => StatusCode::NOT_FOUND,
                AppError::Validation(_) => StatusCode::BAD_REQUEST,
                AppError::Conflict(_) | AppError::InvalidTransition(_) => StatusCode::CONFLICT,
                AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
                AppError::Internal(ref e) => {
                    tracing::error!(error = %e, "document failed");
                    StatusCode::INTERNAL_SERVER_ERROR
                }
            };
            let body = serde_json::json!({ "code": err.code().as_str(), "message": match status {
                StatusCode::INTERNAL_SERVER_ERROR => "Internal error.".to_string(),
                _ => err.to_string(),
            } });
            (status, axum::Json(body)).into_response()
        }
    }
}

async fn render(
    state: &AppState,
    kind: &str,
    file: &str,
    headers: &HeaderMap,
) -> Result<(String, Vec<u8>), AppError> {
    let operation = match kind {
        "labels" | "invoices" => Operation::PackShipments,
        "pick-lists" => Operation::ManageWaves,
        "manifests" => Operation::HandOverParcels,
        "return-labels" => Operation::ReadCases,
        _ => return Err(AppError::NotFound(format!("No document kind {kind}."))),
    };
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
    let id = file
        .strip_suffix(".pdf")
        .and_then(|id| Uuid::parse_str(id).ok())
        .ok_or_else(|| AppError::NotFound(format!("No document {file}.")))?;
    let db = &state.db;
    let bytes = match kind {
        "labels" => documents::label(db, &actor, id).await?,
        "invoices" => documents::invoice(db, &actor, id).await?,
        "pick-lists" => documents::pick_list(db, &actor, id).await?,
        "return-labels" => documents::return_label(db, id).await?,
        _ => documents::manifest(db, &actor, id).await?,
    };
    Ok((format!("{}-{id}.pdf", kind.trim_end_matches('s')), bytes))
}
