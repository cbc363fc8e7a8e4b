//! Cash on delivery reconciliation. When a COD order is delivered the ledger records a
//! `COD_COLLECTED` payment for the carrier; later the carrier pays the cash over with a
//! statement. Finance records that statement here, line by line (one parcel per line), and sees
//! what matched, what differs, and what was collected but not yet remitted.

use crate::db::entity::{cod_remittance, cod_remittance_line, order, payment, shipment};
use crate::domain::auth::Actor;
use crate::domain::cod;
use crate::domain::money::{Currency, Money};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::orders::timeline::{self, EventKind, actor_of};
use crate::service::page::{Page, PageRequest};
use chrono::Utc;
use orderly_shared::{FieldProblem, PaymentKind, PaymentMethod};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Postgres sums bigints as numeric; both databases read the cast back as an i64.
const BIGINT: &str = "bigint";

/// The most lines one statement may carry (larger statements are split by the carrier anyway).
pub const MAX_LINES: usize = 2000;

/// A carrier's statement as finance types or pastes it.
#[derive(Debug, Clone)]
pub struct NewRemittance {
    pub carrier: String,
    pub reference: String,
    pub currency: String,
    pub note: Option<String>,
    pub lines: Vec<NewLine>,
}

#[derive(Debug, Clone)]
pub struct NewLine {
    pub tracking_number: String,
    pub amount: String,
}

/// What one carrier owes or paid in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balance {
    pub carrier: String,
    pub currency: String,
    pub collected_minor: i64,
    pub remitted_minor: i64,
    /// Collected for orders no remittance names yet.
    pub outstanding_minor: i64,
    pub outstanding_orders: i64,
    /// Σ (remitted − expected) over remitted lines: negative when the carrier kept cash.
    pub difference_minor: i64,
}

/// A parcel resolved from the statement: its order and that order's collection, if any.
struct Resolved {
    order: order::Model,
    collection: Option<payment::Model>,
}

/// Records a statement, all or nothing: every problem is reported at its `lines[i]` path and
/// nothing is stored unless the whole statement is sound.
pub async fn record(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    new: NewRemittance,
) -> AppResult<(cod_remittance::Model, Vec<cod_remittance_line::Model>)> {
    let carrier = new.carrier.trim().to_uppercase();
    let reference = new.reference.trim().to_string();
    let mut problems = Vec::new();
    if reference.is_empty() || reference.chars().count() > 64 {
        problems.push(FieldProblem::new(
            "reference",
            "INVALID_REFERENCE",
            "must be the carrier's statement number, 1 to 64 characters",
        ));
    }
    let currency = Currency::parse(new.currency.trim())
        .map_err(|e| AppError::invalid("currency", "INVALID_CURRENCY", e.to_string()))?;
    if new.lines.is_empty() || new.lines.len() > MAX_LINES {
        return Err(AppError::invalid(
            "lines",
            "INVALID_LINES",
            format!("must list 1 to {MAX_LINES} parcels"),
        ));
    }
    if recorded(db, &carrier, &reference).await? {
        return Err(already_recorded(&carrier, &reference));
    }
    let carrier_known = crate::db::entity::carrier::Entity::find()
        .filter(crate::db::entity::carrier::Column::Code.eq(carrier.as_str()))
        .one(db)
        .await?
        .is_some();
    if !carrier_known {
        return Err(AppError::invalid(
            "carrier",
            "UNKNOWN_CARRIER",
            format!("no carrier has the code {carrier}"),
        ));
    }
    let tracking: Vec<String> = new
        .lines
        .iter()
        .map(|l| l.tracking_number.trim().to_uppercase())
        .collect();
    let mut amounts = Vec::with_capacity(new.lines.len());
    for (i, line) in new.lines.iter().enumerate() {
        match Money::parse(&line.amount, currency) {
            Ok(m) => amounts.push(m),
            Err(e) => {
                problems.push(FieldProblem::new(
                    format!("lines[{i}].amount"),
                    "INVALID_AMOUNT",
                    e.to_string(),
                ));
                amounts.push(Money::zero(currency));
            }
        }
    }
    let resolved = resolve(db, &carrier, &tracking).await?;
    let order_of_line: Vec<Option<Uuid>> = tracking
        .iter()
        .map(|t| resolved.get(t).map(|r| r.order.id))
        .collect();
    let repeated = cod::repeated(&order_of_line);
    let remitted_before = already_remitted(db, resolved.values().map(|r| r.order.id)).await?;
    for (i, number) in tracking.iter().enumerate() {
        let path = format!("lines[{i}].trackingNumber");
        let Some(r) = resolved.get(number) else {
            problems.push(FieldProblem::new(
                &path,
                "UNKNOWN_PARCEL",
                format!("{carrier} has no parcel with tracking number {number}"),
            ));
            continue;
        };
        if r.order.payment_method != PaymentMethod::CashOnDelivery {
            problems.push(FieldProblem::new(
                &path,
                "NOT_CASH_ON_DELIVERY",
                format!(
                    "order {} was paid in advance: no cash to remit",
                    r.order.number
                ),
            ));
        } else if r.order.currency != currency.code() {
            problems.push(FieldProblem::new(
                &path,
                "CURRENCY_MISMATCH",
                format!("order {} is in {}", r.order.number, r.order.currency),
            ));
        } else if let Some(Some(first)) = repeated.get(i) {
            problems.push(FieldProblem::new(
                &path,
                "DUPLICATE_ORDER",
                format!(
                    "order {} is on line {} already; one line per order",
                    r.order.number,
                    first + 1
                ),
            ));
        } else if let Some(earlier) = remitted_before.get(&r.order.id) {
            problems.push(FieldProblem::new(
                &path,
                "ALREADY_REMITTED",
                format!(
                    "order {}'s cash was remitted in statement {earlier}",
                    r.order.number
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }

    let now = Utc::now();
    let remittance_id = Uuid::now_v7();
    let mut lines = Vec::with_capacity(tracking.len());
    let (mut total, mut expected_total) = (Money::zero(currency), Money::zero(currency));
    for (i, number) in tracking.iter().enumerate() {
        let r = &resolved[number];
        let collected = r
            .collection
            .as_ref()
            .map(|p| Money::from_minor(p.amount_minor, currency));
        let a = cod::assess(collected, amounts[i]).map_err(AppError::internal)?;
        total = total.checked_add(amounts[i]).map_err(AppError::internal)?;
        expected_total = expected_total
            .checked_add(a.expected)
            .map_err(AppError::internal)?;
        lines.push(cod_remittance_line::Model {
            id: Uuid::now_v7(),
            remittance_id,
            line: i as i32 + 1,
            tracking_number: number.clone(),
            order_id: r.order.id,
            payment_id: r.collection.as_ref().map(|p| p.id),
            expected_minor: a.expected.to_minor().map_err(AppError::internal)?,
            remitted_minor: amounts[i].to_minor().map_err(AppError::internal)?,
        });
    }
    let remittance = cod_remittance::Model {
        id: remittance_id,
        carrier: carrier.clone(),
        reference: reference.clone(),
        currency: currency.code().to_string(),
        total_minor: total.to_minor().map_err(AppError::internal)?,
        expected_minor: expected_total.to_minor().map_err(AppError::internal)?,
        note: new
            .note
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
        recorded_at: now,
        recorded_by_label: actor_of(actor).1,
    };
    let (stored, stored_lines, actor) = (remittance.clone(), lines.clone(), actor.clone());
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                cod_remittance::Entity::insert(stored.clone().into_active_model())
                    .exec(txn)
                    .await
                    .map_err(|e| unique_or(e, || already_recorded(&stored.carrier, &stored.reference)))?;
                for chunk in stored_lines.chunks(200) {
                    cod_remittance_line::Entity::insert_many(
                        chunk
                            .iter()
                            .cloned()
                            .map(IntoActiveModel::into_active_model),
                    )
                    .exec(txn)
                    .await
                    .map_err(|e| {
                        unique_or(e, || {
                            AppError::Conflict(format!(
                                "An order of statement {} was remitted at the same moment; reload and retry.",
                                stored.reference
                            ))
                        })
                    })?;
                }
                for line in &stored_lines {
                    let finding = cod::finding(
                        line.payment_id.is_some(),
                        line.expected_minor,
                        line.remitted_minor,
                    );
                    timeline::record(
                        txn,
                        timeline::Entry {
                            order_id: line.order_id,
                            kind: EventKind::CodRemitted,
                            from: None,
                            to: None,
                            actor: actor_of(&actor),
                            reason: Some(format!(
                                "{} remitted {} in statement {} ({finding})",
                                stored.carrier,
                                Money::from_minor(line.remitted_minor, currency),
                                stored.reference
                            )),
                        },
                    )
                    .await?;
                }
                audit::record(
                    txn,
                    &actor,
                    AuditAction::CodRemittanceRecorded,
                    "COD_REMITTANCE",
                    Some(stored.id.to_string()),
                    Some(serde_json::json!({
                        "carrier": stored.carrier, "reference": stored.reference,
                        "lines": stored_lines.len(), "totalMinor": stored.total_minor,
                        "expectedMinor": stored.expected_minor,
                    })),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok((remittance, lines))
}

async fn recorded(conn: &impl ConnectionTrait, carrier: &str, reference: &str) -> AppResult<bool> {
    Ok(cod_remittance::Entity::find()
        .filter(cod_remittance::Column::Carrier.eq(carrier))
        .filter(cod_remittance::Column::Reference.eq(reference))
        .one(conn)
        .await?
        .is_some())
}

fn already_recorded(carrier: &str, reference: &str) -> AppError {
    AppError::Conflict(format!(
        "{carrier}'s statement {reference} is already recorded."
    ))
}

/// A concurrent recording lost the race to a unique index: `conflict` says which.
fn unique_or(err: sea_orm::DbErr, conflict: impl FnOnce() -> AppError) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => conflict(),
        _ => err.into(),
    }
}

/// The statement's parcels of this carrier by tracking number, with their orders and the
/// orders' COD collections.
async fn resolve(
    conn: &impl ConnectionTrait,
    carrier: &str,
    tracking: &[String],
) -> AppResult<HashMap<String, Resolved>> {
    let shipments = shipment::Entity::find()
        .filter(shipment::Column::Carrier.eq(carrier))
        .filter(shipment::Column::TrackingNumber.is_in(tracking.iter().map(String::as_str)))
        .all(conn)
        .await?;
    let order_ids: Vec<Uuid> = shipments.iter().map(|s| s.order_id).collect();
    let orders: HashMap<Uuid, order::Model> = order::Entity::find()
        .filter(order::Column::Id.is_in(order_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let collections: HashMap<Uuid, payment::Model> = payment::Entity::find()
        .filter(payment::Column::Kind.eq(PaymentKind::CodCollected))
        .filter(payment::Column::OrderId.is_in(order_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.order_id, p))
        .collect();
    Ok(shipments
        .into_iter()
        .filter_map(|s| {
            let order = orders.get(&s.order_id)?.clone();
            let collection = collections.get(&s.order_id).cloned();
            Some((s.tracking_number?, Resolved { order, collection }))
        })
        .collect())
}

/// Orders already on a statement, with that statement's reference.
async fn already_remitted(
    conn: &impl ConnectionTrait,
    orders: impl Iterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = orders.collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String)> = cod_remittance_line::Entity::find()
        .select_only()
        .column(cod_remittance_line::Column::OrderId)
        .column_as(
            Expr::col((cod_remittance::Entity, cod_remittance::Column::Reference)),
            "reference",
        )
        .join_rev(
            sea_orm::JoinType::InnerJoin,
            cod_remittance::Entity::belongs_to(cod_remittance_line::Entity)
                .from(cod_remittance::Column::Id)
                .to(cod_remittance_line::Column::RemittanceId)
                .into(),
        )
        .filter(cod_remittance_line::Column::OrderId.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Per carrier and currency: collected, remitted, outstanding and the differences found.
pub async fn balances(conn: &impl ConnectionTrait) -> AppResult<Vec<Balance>> {
    let collected: Vec<(String, String, i64, i64)> = payment::Entity::find()
        .select_only()
        .column(payment::Column::Provider)
        .column(payment::Column::Currency)
        .column_as(
            Expr::col(payment::Column::AmountMinor)
                .sum()
                .cast_as(BIGINT),
            "sum",
        )
        .column_as(Expr::col(payment::Column::Id).count(), "n")
        .filter(payment::Column::Kind.eq(PaymentKind::CodCollected))
        .group_by(payment::Column::Provider)
        .group_by(payment::Column::Currency)
        .into_tuple()
        .all(conn)
        .await?;
    let outstanding: Vec<(String, String, i64, i64)> = payment::Entity::find()
        .select_only()
        .column(payment::Column::Provider)
        .column(payment::Column::Currency)
        .column_as(
            Expr::col(payment::Column::AmountMinor)
                .sum()
                .cast_as(BIGINT),
            "sum",
        )
        .column_as(Expr::col(payment::Column::Id).count(), "n")
        .filter(payment::Column::Kind.eq(PaymentKind::CodCollected))
        .filter(not_remitted())
        .group_by(payment::Column::Provider)
        .group_by(payment::Column::Currency)
        .into_tuple()
        .all(conn)
        .await?;
    let remitted: Vec<(String, String, i64, i64)> = cod_remittance::Entity::find()
        .select_only()
        .column(cod_remittance::Column::Carrier)
        .column(cod_remittance::Column::Currency)
        .column_as(
            Expr::col(cod_remittance::Column::TotalMinor)
                .sum()
                .cast_as(BIGINT),
            "total",
        )
        .column_as(
            Expr::col(cod_remittance::Column::ExpectedMinor)
                .sum()
                .cast_as(BIGINT),
            "expected",
        )
        .group_by(cod_remittance::Column::Carrier)
        .group_by(cod_remittance::Column::Currency)
        .into_tuple()
        .all(conn)
        .await?;
    let mut by_key: HashMap<(String, String), Balance> = HashMap::new();
    for (carrier, currency, sum, _) in collected {
        balance(&mut by_key, carrier, currency).collected_minor = sum;
    }
    for (carrier, currency, sum, n) in outstanding {
        let b = balance(&mut by_key, carrier, currency);
        b.outstanding_minor = sum;
        b.outstanding_orders = n;
    }
    for (carrier, currency, total, expected) in remitted {
        let b = balance(&mut by_key, carrier, currency);
        b.remitted_minor = total;
        b.difference_minor = total - expected;
    }
    let mut out: Vec<Balance> = by_key.into_values().collect();
    out.sort_by(|a, b| (&a.carrier, &a.currency).cmp(&(&b.carrier, &b.currency)));
    Ok(out)
}

/// The carrier's balance in the currency, zero until the sums fill it in.
fn balance(
    by_key: &mut HashMap<(String, String), Balance>,
    carrier: String,
    currency: String,
) -> &mut Balance {
    by_key
        .entry((carrier.clone(), currency.clone()))
        .or_insert_with(|| Balance {
            carrier,
            currency,
            collected_minor: 0,
            remitted_minor: 0,
            outstanding_minor: 0,
            outstanding_orders: 0,
            difference_minor: 0,
        })
}

/// Collections whose order no statement names yet, oldest first (the longest unpaid at the top).
pub async fn outstanding(
    conn: &impl ConnectionTrait,
    carrier: Option<&str>,
    page: PageRequest,
) -> AppResult<Page<payment::Model>> {
    let mut q = payment::Entity::find()
        .filter(payment::Column::Kind.eq(PaymentKind::CodCollected))
        .filter(not_remitted())
        .order_by_asc(payment::Column::Id);
    if let Some(carrier) = carrier {
        q = q.filter(payment::Column::Provider.eq(carrier.trim().to_uppercase()));
    }
    if let Some(after) = page.after {
        q = q.filter(payment::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Recorded statements, newest first.
pub async fn remittances(
    conn: &impl ConnectionTrait,
    carrier: Option<&str>,
    page: PageRequest,
) -> AppResult<Page<cod_remittance::Model>> {
    let mut q = cod_remittance::Entity::find().order_by_desc(cod_remittance::Column::Id);
    if let Some(carrier) = carrier {
        q = q.filter(cod_remittance::Column::Carrier.eq(carrier.trim().to_uppercase()));
    }
    if let Some(after) = page.after {
        q = q.filter(cod_remittance::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// `payments.order_id NOT IN (SELECT order_id FROM cod_remittance_lines)`.
fn not_remitted() -> sea_orm::sea_query::SimpleExpr {
    Expr::col((payment::Entity, payment::Column::OrderId)).not_in_subquery(
        Query::select()
            .column(cod_remittance_line::Column::OrderId)
            .from(cod_remittance_line::Entity)
            .to_owned(),
    )
}
