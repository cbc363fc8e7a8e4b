//! `GET /exports/orders.csv?from=&to=&channel=&carrier=&warehouseId=`: one row per order placed
//! in the window with its analytics rollup — when it reached each milestone, how long each
//! stage took, holds and exceptions — the same orders the dashboard's figures count.

use super::{CHUNK, WindowQuery, csv, resolve};
use crate::app::AppState;
use crate::db::entity::order_fact;
use crate::domain::export::{Cell, record};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::http::staff::error_response;
use crate::service::analytics::filter::Filter;
use crate::service::analytics::queries;
use crate::service::analytics::rollup::facts_of;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use orderly_shared::Stage;
use std::collections::HashMap;
use uuid::Uuid;

const COLUMNS: &[&str] = &[
    "order_number",
    "placed_at",
    "channel",
    "status",
    "total",
    "currency",
    "warehouse",
    "carrier",
    "paid_at",
    "approved_at",
    "allocated_at",
    "picked_at",
    "packed_at",
    "shipped_at",
    "delivered_at",
    "completed_at",
    "ended_at",
    "waiting_in",
    "waiting_since",
    "payment_seconds",
    "review_seconds",
    "allocation_seconds",
    "picking_seconds",
    "packing_seconds",
    "shipping_seconds",
    "delivery_seconds",
    "completion_seconds",
    "holds",
    "hold_reasons",
    "exceptions",
];

pub async fn orders(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<WindowQuery>,
) -> Response {
    let filter = match resolve(&state, &headers, query).await {
        Ok(f) => f,
        Err(e) => return error_response(e, "orders export"),
    };
    csv(state.db.clone(), "orders.csv", COLUMNS, move |db, after| {
        let filter = filter.clone();
        async move { chunk(&db, &filter, after).await }
    })
}

type Cursor = (DateTime<Utc>, Uuid);

async fn chunk(
    db: &sea_orm::DatabaseConnection,
    filter: &Filter,
    after: Option<Cursor>,
) -> Result<(Bytes, Option<Cursor>), AppError> {
    let rows = queries::facts_page(db, filter, after, CHUNK).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.order_id).collect();
    let numbers = queries::order_numbers(db, &ids).await?;
    let channels = queries::channel_names(db).await?;
    let warehouses = queries::warehouse_codes(db).await?;
    let mut out = Vec::with_capacity(rows.len() * 300);
    for r in &rows {
        out.extend(row(r, &numbers, &channels, &warehouses)?);
    }
    let next = (rows.len() as u64 == CHUNK)
        .then(|| rows.last().map(|r| (r.placed_at, r.order_id)))
        .flatten();
    Ok((Bytes::from(out), next))
}

fn row(
    r: &order_fact::Model,
    numbers: &HashMap<Uuid, String>,
    channels: &HashMap<Uuid, String>,
    warehouses: &HashMap<Uuid, String>,
) -> Result<Vec<u8>, AppError> {
    let facts = facts_of(r)?;
    let when = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let total = Currency::parse(&r.currency)
        .map(|c| Money::from_minor(r.total_minor, c).amount().to_string())
        .unwrap_or_else(|_| r.total_minor.to_string());
    let milestones: Vec<String> = Stage::ALL.iter().map(|s| when(facts.reached(*s))).collect();
    // The stored durations: the same numbers the lead times are computed from.
    let seconds: Vec<String> = r
        .durations()
        .iter()
        .map(|s| s.map(|s| s.to_string()).unwrap_or_default())
        .collect();
    let (placed, ended, since) = (
        when(Some(r.placed_at)),
        when(r.ended_at),
        when(r.stage_since),
    );
    let (holds, exceptions) = (r.holds.to_string(), r.exceptions.to_string());
    let codes: Vec<&str> = facts.hold_codes.iter().map(|c| c.as_str()).collect();
    let codes = codes.join(" ");
    let text = |m: &HashMap<Uuid, String>, id: Option<Uuid>| {
        id.and_then(|id| m.get(&id).cloned()).unwrap_or_default()
    };
    let (number, channel, warehouse) = (
        text(numbers, Some(r.order_id)),
        text(channels, Some(r.channel_id)),
        text(warehouses, r.warehouse_id),
    );
    let mut cells = vec![
        Cell::Text(&number),
        Cell::Figure(&placed),
        Cell::Text(&channel),
        Cell::Figure(r.status.as_str()),
        Cell::Figure(&total),
        Cell::Figure(&r.currency),
        Cell::Text(&warehouse),
        Cell::Text(r.carrier.as_deref().unwrap_or("")),
    ];
    cells.extend(milestones.iter().map(|m| Cell::Figure(m)));
    cells.push(Cell::Figure(&ended));
    cells.push(Cell::Figure(r.stage.map(|s| s.as_str()).unwrap_or("")));
    cells.push(Cell::Figure(&since));
    cells.extend(seconds.iter().map(|s| Cell::Figure(s)));
    cells.push(Cell::Figure(&holds));
    cells.push(Cell::Figure(&codes));
    cells.push(Cell::Figure(&exceptions));
    Ok(record(&cells))
}
