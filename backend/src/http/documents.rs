//! Printable documents over HTTP: `GET /documents/{kind}/{id}.pdf` with the staff bearer token
//! (the console fetches them and opens the PDF). The same permission table as GraphQL decides.

use crate::app::AppState;
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
        Err(err) => super::staff::error_response(err, "document"),
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
    let actor = super::staff::authorize(state, headers, operation).await?;
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
