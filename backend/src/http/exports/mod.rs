//! CSV exports for signed-in staff, with the bearer token: the payments ledger; and for the
//! orders placed in an analytics window, the orders with their rollup, their lines, shipments
//! and refunds. Bodies stream chunk by chunk (keyset pages), so a million rows
//! never sit in memory; free-text cells are spreadsheet-safe (`domain::export`).

mod orders;
mod payments;
mod records;

pub use orders::orders;
pub use payments::payments;
pub use records::{lines, refunds, shipments};

use crate::app::AppState;
use crate::domain::export::header;
use crate::error::AppError;
use crate::http::staff::authorize;
use crate::service::analytics::filter::{Filter, Requested};
use axum::body::{Body, Bytes};
use axum::http::HeaderMap;
use axum::http::{HeaderValue, StatusCode, header as http_header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use orderly_shared::Operation;
use sea_orm::DatabaseConnection;
use serde::Deserialize;
use std::future::Future;
use uuid::Uuid;

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

/// The analytics window of an export, as query parameters.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowQuery {
    from: Option<String>,
    to: Option<String>,
    channel: Option<String>,
    carrier: Option<String>,
    warehouse_id: Option<String>,
}

/// Checks the caller may read analytics and resolves the window as the dashboard does.
async fn resolve(
    state: &AppState,
    headers: &HeaderMap,
    q: WindowQuery,
) -> Result<Filter, AppError> {
    let actor = authorize(state, headers, Operation::ReadAnalytics).await?;
    let warehouse_id = q
        .warehouse_id
        .filter(|w| !w.trim().is_empty())
        .map(|w| {
            Uuid::parse_str(w.trim()).map_err(|_| {
                AppError::invalid("warehouseId", "INVALID_ID", "must be a warehouse id")
            })
        })
        .transpose()?;
    Requested {
        from: time("from", q.from)?,
        to: time("to", q.to)?,
        channel: q.channel,
        warehouse_id,
        carrier: q.carrier,
    }
    .resolve(&state.db, &actor, Utc::now())
    .await
    .map_err(|e| match e {
        // The query string has no `filter.` prefix.
        AppError::Validation(problems) => AppError::Validation(
            problems
                .into_iter()
                .map(|mut p| {
                    p.path = p.path.trim_start_matches("filter.").to_string();
                    p
                })
                .collect(),
        ),
        other => other,
    })
}
