//! `GET /exports/payments.csv?kinds=REFUND,CAPTURE&provider=&from=&to=`: the payments ledger,
//! newest first, for finance.

use super::{CHUNK, csv, time};
use crate::app::AppState;
use crate::db::entity::payment;
use crate::domain::export::{Cell, record};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::http::staff::{authorize, error_response};
use crate::service::page::PageRequest;
use crate::service::payments::ledger::{self, PaymentFilter};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::SecondsFormat;
use orderly_shared::{Operation, PaymentKind};
use serde::Deserialize;
use uuid::Uuid;

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
    csv(
        state.db.clone(),
        "payments.csv",
        COLUMNS,
        move |db, after| {
            let filter = filter.clone();
            async move { chunk(&db, &filter, after).await }
        },
    )
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
