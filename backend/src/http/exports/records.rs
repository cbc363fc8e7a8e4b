//! `GET /exports/{lines,shipments,refunds}.csv?from=&to=&channel=&carrier=&warehouseId=`: the
//! lines, shipments and refunds of the orders an analytics window selects (the orders export's
//! window), one row each, streamed in id order.

use super::{CHUNK, WindowQuery, csv, resolve};
use crate::app::AppState;
use crate::db::entity::{order_line, refund, shipment};
use crate::domain::export::{Cell, record};
use crate::domain::money::{Currency, Money};
use crate::error::AppError;
use crate::http::staff::error_response;
use crate::service::analytics::queries::warehouse_codes;
use crate::service::analytics::records::{self, order_refs};
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::{DatabaseConnection, EntityTrait};
use std::collections::HashMap;
use uuid::Uuid;

/// What a row may need besides its own columns.
struct Context {
    /// Order number and currency by order id.
    orders: HashMap<Uuid, (String, String)>,
    warehouses: HashMap<Uuid, String>,
}

impl Context {
    fn number(&self, order_id: Uuid) -> &str {
        self.orders.get(&order_id).map_or("", |o| o.0.as_str())
    }
    fn currency(&self, order_id: Uuid) -> &str {
        self.orders.get(&order_id).map_or("", |o| o.1.as_str())
    }
}

/// One export: its file, columns, how its rows find their order and how each is written.
struct Table<E: EntityTrait> {
    file: &'static str,
    columns: &'static [&'static str],
    order_id: E::Column,
    id: E::Column,
    /// The row's own id and its order's.
    keys: fn(&E::Model) -> (Uuid, Uuid),
    row: fn(&E::Model, &Context) -> Vec<u8>,
    /// Whether rows show their warehouse (one more query per chunk).
    warehouses: bool,
}

async fn stream<E>(
    state: AppState,
    headers: HeaderMap,
    query: WindowQuery,
    table: Table<E>,
) -> Response
where
    E: EntityTrait,
    E::Column: Send + Sync + 'static,
    E::Model: Send + Sync,
{
    let filter = match resolve(&state, &headers, query).await {
        Ok(f) => f,
        Err(e) => return error_response(e, table.file),
    };
    let (file, columns) = (table.file, table.columns);
    let table = std::sync::Arc::new(table);
    csv(
        state.db.clone(),
        file,
        columns,
        move |db: DatabaseConnection, after| {
            let (filter, table) = (filter.clone(), table.clone());
            async move {
                let rows = records::page::<E>(&db, &filter, table.order_id, table.id, after, CHUNK)
                    .await?;
                let ctx = Context {
                    orders: order_refs(&db, rows.iter().map(|r| (table.keys)(r).1)).await?,
                    warehouses: match table.warehouses {
                        true => warehouse_codes(&db).await?,
                        false => HashMap::new(),
                    },
                };
                let mut out = Vec::with_capacity(rows.len() * 160);
                for r in &rows {
                    out.extend((table.row)(r, &ctx));
                }
                let next = (rows.len() as u64 == CHUNK)
                    .then(|| rows.last().map(|r| (table.keys)(r).0))
                    .flatten();
                Ok::<_, AppError>((Bytes::from(out), next))
            }
        },
    )
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// Minor units as the currency's decimal amount (`8900` CNY → `89.00`).
fn amount(minor: i64, currency: &str) -> String {
    Currency::parse(currency)
        .map(|c| Money::from_minor(minor, c).amount().to_string())
        .unwrap_or_else(|_| minor.to_string())
}

pub async fn lines(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<WindowQuery>,
) -> Response {
    let table = Table::<order_line::Entity> {
        file: "order-lines.csv",
        columns: &[
            "order_number",
            "line_no",
            "sku",
            "name",
            "quantity",
            "cancelled_quantity",
            "unit_price",
            "discount",
            "line_total",
            "currency",
        ],
        order_id: order_line::Column::OrderId,
        id: order_line::Column::Id,
        keys: |l| (l.id, l.order_id),
        row: |l, ctx| {
            let currency = ctx.currency(l.order_id);
            let figures = [
                l.line_no.to_string(),
                l.quantity.to_string(),
                l.cancelled_quantity.to_string(),
                amount(l.unit_price_minor, currency),
                amount(l.discount_minor, currency),
                amount(l.line_total_minor, currency),
            ];
            record(&[
                Cell::Text(ctx.number(l.order_id)),
                Cell::Figure(&figures[0]),
                Cell::Text(&l.sku),
                Cell::Text(&l.name),
                Cell::Figure(&figures[1]),
                Cell::Figure(&figures[2]),
                Cell::Figure(&figures[3]),
                Cell::Figure(&figures[4]),
                Cell::Figure(&figures[5]),
                Cell::Figure(currency),
            ])
        },
        warehouses: false,
    };
    stream(state, headers, query, table).await
}

pub async fn shipments(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<WindowQuery>,
) -> Response {
    let table = Table::<shipment::Entity> {
        file: "shipments.csv",
        columns: &[
            "order_number",
            "shipment_id",
            "warehouse",
            "status",
            "carrier",
            "service",
            "tracking_number",
            "packaging",
            "packed_weight_g",
            "shipping_cost",
            "currency",
            "created_at",
            "handed_over_at",
            "exception_code",
            "cancelled_at",
        ],
        order_id: shipment::Column::OrderId,
        id: shipment::Column::Id,
        keys: |s| (s.id, s.order_id),
        row: |s, ctx| {
            let currency = ctx.currency(s.order_id);
            let figures = [
                s.id.to_string(),
                s.packed_weight_g.map(|w| w.to_string()).unwrap_or_default(),
                s.shipping_cost_minor
                    .map(|c| amount(c, currency))
                    .unwrap_or_default(),
                when(Some(s.created_at)),
                when(s.handed_over_at),
                when(s.cancelled_at),
            ];
            let warehouse = ctx
                .warehouses
                .get(&s.warehouse_id)
                .map_or("", |w| w.as_str());
            let text = |t: &Option<String>| t.clone().unwrap_or_default();
            let (carrier, service, tracking, packaging, exception) = (
                text(&s.carrier),
                text(&s.service_code),
                text(&s.tracking_number),
                text(&s.packaging_code),
                text(&s.exception_code),
            );
            record(&[
                Cell::Text(ctx.number(s.order_id)),
                Cell::Figure(&figures[0]),
                Cell::Text(warehouse),
                Cell::Figure(s.status.as_str()),
                Cell::Text(&carrier),
                Cell::Text(&service),
                Cell::Text(&tracking),
                Cell::Text(&packaging),
                Cell::Figure(&figures[1]),
                Cell::Figure(&figures[2]),
                Cell::Figure(currency),
                Cell::Figure(&figures[3]),
                Cell::Figure(&figures[4]),
                Cell::Text(&exception),
                Cell::Figure(&figures[5]),
            ])
        },
        warehouses: true,
    };
    stream(state, headers, query, table).await
}

pub async fn refunds(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<WindowQuery>,
) -> Response {
    let table = Table::<refund::Entity> {
        file: "refunds.csv",
        columns: &[
            "order_number",
            "refund_id",
            "requested_at",
            "status",
            "amount",
            "currency",
            "reason",
            "requested_by",
            "approvals_needed",
            "decided_by",
            "decided_at",
            "executed_at",
            "failure_reason",
        ],
        order_id: refund::Column::OrderId,
        id: refund::Column::Id,
        keys: |r| (r.id, r.order_id),
        row: |r, ctx| {
            let figures = [
                r.id.to_string(),
                when(Some(r.created_at)),
                amount(r.amount_minor, &r.currency),
                r.approvals_needed.to_string(),
                when(r.decided_at),
                when(r.executed_at),
            ];
            let text = |t: &Option<String>| t.clone().unwrap_or_default();
            let (decided_by, failure) = (text(&r.decided_by_label), text(&r.failure_reason));
            record(&[
                Cell::Text(ctx.number(r.order_id)),
                Cell::Figure(&figures[0]),
                Cell::Figure(&figures[1]),
                Cell::Figure(r.status.as_str()),
                Cell::Figure(&figures[2]),
                Cell::Figure(&r.currency),
                Cell::Text(&r.reason),
                Cell::Text(&r.requested_by_label),
                Cell::Figure(&figures[3]),
                Cell::Text(&decided_by),
                Cell::Figure(&figures[4]),
                Cell::Figure(&figures[5]),
                Cell::Text(&failure),
            ])
        },
        warehouses: false,
    };
    stream(state, headers, query, table).await
}
