//! The dry run: for an existing order or one described by hand, which rule matches, why the
//! others do not, and what shipments it would make — from current stock, reserving nothing.

use super::snapshot::{self, Remaining};
use crate::db::entity::{channel, order, order_line, product};
use crate::domain::allocation::{
    Decision, Destination, LineFacts, OrderFacts, SpecialRequestKind, allocate,
};
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// An order described for a dry run.
#[derive(Debug, Clone)]
pub struct Described {
    pub channel: String,
    pub country: String,
    pub region: Option<String>,
    pub tags: Vec<String>,
    pub special_requests: Vec<SpecialRequestKind>,
    pub lines: Vec<(String, u32)>,
}

/// The decision for an existing order (all its lines, as if nothing were allocated yet).
pub async fn for_order(conn: &impl ConnectionTrait, o: &order::Model) -> AppResult<Decision> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(o.id))
        .order_by_asc(order_line::Column::LineNo)
        .all(conn)
        .await?;
    let remaining: Vec<Remaining> = lines
        .into_iter()
        .map(|line| Remaining {
            quantity: (line.quantity - line.cancelled_quantity).max(0) as u32,
            line,
        })
        .collect();
    let channel = channel::Entity::find_by_id(o.channel_id)
        .one(conn)
        .await?
        .map(|c| c.code)
        .unwrap_or_default();
    let facts = snapshot::order_facts(conn, o, &remaining, &channel, None).await?;
    decide(conn, facts).await
}

/// The decision for an order described by hand; unknown SKUs are a validation error.
pub async fn for_described(conn: &impl ConnectionTrait, d: Described) -> AppResult<Decision> {
    let skus: Vec<String> = d.lines.iter().map(|l| l.0.trim().to_string()).collect();
    let products: HashMap<String, product::Model> = product::Entity::find()
        .filter(product::Column::Sku.is_in(skus.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect();
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    for (i, (sku, quantity)) in d.lines.iter().enumerate() {
        match products.get(sku.trim()) {
            Some(p) if *quantity > 0 => lines.push(LineFacts {
                sku: p.sku.clone(),
                category: p.category.clone(),
                quantity: *quantity,
                unit_weight_g: p.weight_g.max(0) as u32,
            }),
            Some(_) => problems.push(orderly_shared::FieldProblem::new(
                format!("lines[{i}].quantity"),
                "MUST_BE_POSITIVE",
                "must be at least 1",
            )),
            None => problems.push(orderly_shared::FieldProblem::new(
                format!("lines[{i}].sku"),
                "UNKNOWN_SKU",
                format!("no product {}", sku.trim()),
            )),
        }
    }
    if lines.is_empty() && problems.is_empty() {
        problems.push(orderly_shared::FieldProblem::new(
            "lines",
            "REQUIRED",
            "describe at least one line",
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let facts = OrderFacts {
        channel: d.channel.trim().to_lowercase(),
        destination: Destination {
            country: d.country.trim().to_ascii_uppercase(),
            region: d
                .region
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty()),
        },
        tags: d.tags.iter().map(|t| t.trim().to_lowercase()).collect(),
        special_requests: d.special_requests,
        lines,
    };
    decide(conn, facts).await
}

async fn decide(conn: &impl ConnectionTrait, facts: OrderFacts) -> AppResult<Decision> {
    let skus: Vec<String> = facts.lines.iter().map(|l| l.sku.clone()).collect();
    let shop = crate::service::shop_config::current(conn).await?;
    let snap = snapshot::load(conn, &shop, &skus, false).await?;
    Ok(allocate(
        &facts,
        &snap.rules,
        &snap.warehouse_infos(),
        &snap.stock,
        &snap.costs,
    ))
}
