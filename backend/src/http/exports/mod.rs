//! CSV exports for signed-in staff, with the bearer token: the payments ledger, and orders
//! with their analytics rollup. Bodies stream chunk by chunk (keyset pages), so a million rows
//! never sit in memory; free-text cells are spreadsheet-safe (`domain::export`).

mod orders;
mod payments;

pub use orders::orders;
pub use payments::payments;

use crate::domain::export::header;
use crate::error::AppError;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header as http_header};
use axum::response::{IntoResponse, Response};
use sea_orm::DatabaseConnection;
use std::future::Future;

/// Rows fetched per database round trip while streaming.
const CHUNK: u64 = 500;

/// Where a streamed export stands between chunks.
enum Walk<C> {
    Header,
    Rows(Option<C>),
    Done,
}

/// A `200 text/csv` attachment named `file`: the header row, then the chunks `next` reads from
/// each cursor (`None`: the first) until it returns no cursor to go on from.
fn csv<C, F, Fut>(
    db: DatabaseConnection,
    file: &'static str,
    columns: &'static [&'static str],
    next: F,
) -> Response
where
    C: Send + 'static,
    F: Fn(DatabaseConnection, Option<C>) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = Result<(Bytes, Option<C>), AppError>> + Send,
{
    let stream = futures_util::stream::unfold(Walk::Header, move |walk| {
        let (db, next) = (db.clone(), next.clone());
        async move {
            match walk {
                Walk::Done => None,
                Walk::Header => Some((Ok(Bytes::from(header(columns))), Walk::Rows(None))),
                Walk::Rows(after) => match next(db, after).await {
                    Ok((bytes, Some(last))) => Some((Ok(bytes), Walk::Rows(Some(last)))),
                    Ok((bytes, None)) if bytes.is_empty() => None,
                    Ok((bytes, None)) => Some((Ok(bytes), Walk::Done)),
                    Err(e) => {
                        // The status line is gone; cutting the body short tells the client.
                        tracing::error!(error = %e, file, "export failed mid-stream");
                        Some((Err(std::io::Error::other(e.to_string())), Walk::Done))
                    }
                },
            }
        }
    });
    let mut response = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let h = response.headers_mut();
    h.insert(
        http_header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(http_header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        http_header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    response
}

/// An RFC 3339 query parameter, with the error at its name.
fn time(
    name: &str,
    value: Option<String>,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            chrono::DateTime::parse_from_rfc3339(v.trim())
                .map(|t| t.with_timezone(&chrono::Utc))
                .map_err(|_| {
                    AppError::invalid(
                        name,
                        "INVALID_TIME",
                        "must be an RFC 3339 time such as 2026-12-01T00:00:00Z",
                    )
                })
        })
        .transpose()
}
