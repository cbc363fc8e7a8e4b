//! CSV exports for finance: `GET /exports/payments.csv?kinds=REFUND,CAPTURE&provider=&from=&to=`
//! with the staff bearer token. The body streams page by page, so the whole ledger never sits
//! in memory; free-text cells are spreadsheet-safe (`domain::export`).

use super::staff::{authorize, error_response};
use crate::app::AppState;
use crate::db::entity::payment;
use crate::domain::export::{Cell, header, record};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::service::page::PageRequest;
use crate::service::payments::ledger::{self, PaymentFilter};
use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header as http_header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, SecondsFormat, Utc};
use orderly_shared::{Operation, PaymentKind};
use serde::Deserialize;
use uuid::Uuid;

/// Rows fetched per database round trip while streaming.
const CHUNK: u64 = 500;

const COLUMNS: &[&str] = &[
    "id",
    "at",
    "order_number",
    "kind",
    "provider",
    "reference",
    "amount",
    "currency",
    "detail",
];

#[derive(Debug, Deserialize)]
pub struct LedgerQuery {
    kinds: Option<String>,
    provider: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

pub async fn payments(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LedgerQuery>,
) -> Response {
    let filter = match authorize(&state, &headers, Operation::ReadPayments).await {
        Ok(_) => match filter_of(query) {
            Ok(f) => f,
            Err(e) => return error_response(e, "payments export"),
        },
        Err(e) => return error_response(e, "payments export"),
    };
    let stream = futures_util::stream::unfold(Walk::Header(filter), move |walk| {
        let db = state.db.clone();
        async move { walk.next(&db).await }
    });
    let mut response = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let h = response.headers_mut();
    h.insert(
        http_header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        http_header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"payments.csv\""),
    );
    h.insert(
        http_header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    response
}

/// Where the export stands between chunks.
enum Walk {
    Header(PaymentFilter),
    Rows(PaymentFilter, Option<Uuid>),
    Done,
}

impl Walk {
    async fn next(
        self,
        db: &sea_orm::DatabaseConnection,
    ) -> Option<(Result<Bytes, std::io::Error>, Walk)> {
        match self {
            Walk::Done => None,
            Walk::Header(filter) => {
                Some((Ok(Bytes::from(header(COLUMNS))), Walk::Rows(filter, None)))
            }
            Walk::Rows(filter, after) => match chunk(db, &filter, after).await {
                Ok((bytes, Some(last))) => Some((Ok(bytes), Walk::Rows(filter, Some(last)))),
                Ok((bytes, None)) if bytes.is_empty() => None,
                Ok((bytes, None)) => Some((Ok(bytes), Walk::Done)),
                Err(e) => {
                    // The status line is gone; cutting the body short tells the client it failed.
                    tracing::error!(error = %e, "payments export failed mid-stream");
                    Some((Err(std::io::Error::other(e.to_string())), Walk::Done))
                }
            },
        }
    }
}

/// One chunk of rows, and the cursor to continue from if more follow.
async fn chunk(
    db: &sea_orm::DatabaseConnection,
    filter: &PaymentFilter,
    after: Option<Uuid>,
) -> Result<(Bytes, Option<Uuid>), AppError> {
    let page = ledger::list(
        db,
        filter,
        PageRequest {
            first: CHUNK,
            after,
        },
    )
    .await?;
    let numbers = ledger::order_numbers(db, &page.items).await?;
    let mut out = Vec::with_capacity(page.items.len() * 120);
    for p in &page.items {
        out.extend(row(
            p,
            numbers.get(&p.order_id).map(String::as_str).unwrap_or(""),
        ));
    }
    let next = page
        .has_next
        .then(|| page.items.last().map(|p| p.id))
        .flatten();
    Ok((Bytes::from(out), next))
}

fn row(p: &payment::Model, order_number: &str) -> Vec<u8> {
    let amount = Currency::parse(&p.currency)
        .map(|c| Money::from_minor(p.amount_minor, c).amount().to_string())
        .unwrap_or_else(|_| p.amount_minor.to_string());
    let id = p.id.to_string();
    let at = p.at.to_rfc3339_opts(SecondsFormat::Millis, true);
    record(&[
        Cell::Figure(&id),
        Cell::Figure(&at),
        Cell::Text(order_number),
        Cell::Figure(p.kind.as_str()),
        Cell::Text(&p.provider),
        Cell::Text(&p.provider_event_id),
        Cell::Figure(&amount),
        Cell::Figure(&p.currency),
        Cell::Text(p.detail.as_deref().unwrap_or("")),
    ])
}

/// The query string as a ledger filter, with errors at the parameter's name.
fn filter_of(q: LedgerQuery) -> Result<PaymentFilter, AppError> {
    let kinds = q
        .kinds
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(|k| {
            PaymentKind::parse(k).ok_or_else(|| {
                AppError::invalid(
                    "kinds",
                    "INVALID_KIND",
                    format!("{k} is not one of CAPTURE, CAPTURE_FAILED, COD_COLLECTED, REFUND"),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    PaymentFilter {
        kinds,
        provider: q.provider,
        from: time("from", q.from)?,
        to: time("to", q.to)?,
    }
    .validated()
    .map_err(|_| AppError::invalid("to", "INVALID_RANGE", "must be after from"))
}

fn time(name: &str, value: Option<String>) -> Result<Option<DateTime<Utc>>, AppError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            DateTime::parse_from_rfc3339(v.trim())
                .map(|t| t.with_timezone(&Utc))
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
