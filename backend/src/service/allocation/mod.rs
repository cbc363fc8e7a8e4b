//! Allocation: routes an approved order to warehouses by the rules, creates its shipments and
//! reserves their stock — or, when stock is short, follows the out-of-stock policy. Runs inside
//! the caller's transaction with the order's stock rows locked, so concurrent orders for the
//! last units reserve exactly what there is.

pub mod dry_run;
mod policy;
pub mod release;
pub mod rules;
pub mod snapshot;
pub mod waiting;

pub use policy::{set_channel_policy, set_policy};

use crate::db::entity::reservation::ReservationState;
use crate::db::entity::{
    order, order_line, product, reservation, shipment, shipment_line, stock_ledger, stockout,
};
use crate::domain::allocation::{Plan, PlannedLine, allocate as decide_allocation, pick_bins};
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{HoldReason, OrderCommand};
use crate::domain::review::{SpecialRequestPolicy, check_special_requests};
use crate::domain::stock::Movement;
use crate::error::{AppError, AppResult};
use crate::jobs::outbox;
use crate::realtime::{OrderStatusEvent, Realtime};
use crate::service::orders::stored;
use crate::service::orders::timeline::{self, EventKind};
use crate::service::orders::transition::{self, ActorLabel};
use crate::service::shop_config::{self, ShopConfig};
use crate::service::stock::ledger;
use chrono::{NaiveDate, TimeDelta, Utc};
use orderly_shared::{
    HoldReasonCode, OrderStatus, OutOfStockPolicy, ShipmentStatus, StockMovementKind,
};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use snapshot::Remaining;
use std::collections::HashMap;
use uuid::Uuid;

/// The outbox topic of a message telling the customer what stock did to their order.
pub const ORDER_UPDATE: &str = "notify.order_update";

/// The merchant's out-of-stock policy and backorder lead time (channels may override the policy).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StockPolicy {
    pub policy: OutOfStockPolicy,
    /// Days until backordered stock is expected, for the customer's message.
    pub backorder_days: u32,
}

impl Default for StockPolicy {
    fn default() -> StockPolicy {
        StockPolicy {
            policy: OutOfStockPolicy::Backorder,
            backorder_days: 7,
        }
    }
}

/// Why allocation runs, which decides what a shortage does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Right after the automatic review: the policy applies as configured.
    Automatic,
    /// A reviewer approved the order: a HOLD policy would only hold it again, so it waits
    /// (backorder) instead.
    Approved,
    /// Stock arrived for a waiting order: it takes what it may, or keeps waiting unchanged.
    Waiting,
    /// A short pick gave units back: other stock takes them, or they wait (a HOLD policy waits
    /// too, since the rest of the order is already in the warehouse).
    Reallocated,
}

/// What allocation did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Live events to publish after commit.
    pub events: Vec<OrderStatusEvent>,
    /// Whether stock was reserved.
    pub reserved: bool,
    /// The order as it is now, when allocation changed its status.
    pub order: Option<order::Model>,
}

/// Allocates what is still unallocated of `o` (APPROVED, BACKORDERED, or ALLOCATED with a
/// split remainder).
pub async fn allocate(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    o: &order::Model,
    mode: Mode,
    locking: Locking,
    actor: &ActorLabel,
) -> AppResult<Outcome> {
    let shop = shop_config::current(conn).await?;
    let known = Known {
        shop: &shop,
        placed: None,
    };
    allocate_with(conn, realtime, &known, o, mode, locking, actor).await
}

/// What the caller already read, so that allocation need not read it again.
pub struct Known<'a> {
    pub shop: &'a ShopConfig,
    /// The order was placed in this transaction: its lines and their products as written.
    pub placed: Option<Placed<'a>>,
}

/// A just-placed order's lines and their products (by SKU).
#[derive(Clone, Copy)]
pub struct Placed<'a> {
    pub lines: &'a [order_line::Model],
    pub products: &'a HashMap<String, product::Model>,
}

/// [`allocate`] with what the caller already read.
pub async fn allocate_with(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    known: &Known<'_>,
    o: &order::Model,
    mode: Mode,
    locking: Locking,
    actor: &ActorLabel,
) -> AppResult<Outcome> {
    let shop = known.shop;
    let remaining = match known.placed {
        // Nothing of a just-placed order is cancelled or in a shipment yet.
        Some(placed) if o.status == OrderStatus::Approved => placed
            .lines
            .iter()
            .filter(|l| l.quantity > 0)
            .map(|l| Remaining {
                quantity: l.quantity as u32,
                line: l.clone(),
            })
            .collect(),
        _ => remaining(conn, o).await?,
    };
    if remaining.is_empty() {
        return Ok(Outcome::default());
    }
    let channel = shop.channel(o.channel_id)?;
    let merchant = &shop.stock_policy;
    let policy = channel.out_of_stock_policy.unwrap_or(merchant.policy);
    let products = known.placed.map(|p| p.products);
    let facts = snapshot::order_facts(conn, o, &remaining, &channel.code, products).await?;
    let skus: Vec<String> = remaining.iter().map(|r| r.line.sku.clone()).collect();
    let snap = snapshot::load(conn, shop, &skus, locking == Locking::Pessimistic).await?;
    let decision = decide_allocation(
        &facts,
        &snap.rules,
        &snap.warehouse_infos(),
        &snap.stock,
        &snap.costs,
    );
    let plan = decision.plan;
    let complete = plan.is_complete();
    let policy = match (policy, mode) {
        (OutOfStockPolicy::Hold, Mode::Approved | Mode::Reallocated) => OutOfStockPolicy::Backorder,
        (p, _) => p,
    };
    let partial_allowed = matches!(
        policy,
        OutOfStockPolicy::Split | OutOfStockPolicy::CancelLines
    );
    let reserve = complete || partial_allowed;
    if mode == Mode::Waiting && !reserve {
        return Ok(Outcome::default()); // still short: keeps waiting in line, unchanged
    }
    let mut outcome = Outcome::default();
    let mut moves = Vec::new();
    if reserve && !plan.shipments.is_empty() {
        let special = &shop.review.special;
        moves = write_shipments(conn, o, &remaining, &plan, &snap, special, actor).await?;
        outcome.reserved = true;
        if locking == Locking::Pessimistic {
            self::reserve(conn, &moves).await?;
            moves.clear();
        }
    }
    let by_sku: HashMap<&str, &Remaining> =
        remaining.iter().map(|r| (r.line.sku.as_str(), r)).collect();
    let shortage = |lines: &[PlannedLine]| -> String {
        lines
            .iter()
            .map(|l| {
                let ordered = by_sku.get(l.sku.as_str()).map_or(0, |r| r.quantity);
                format!(
                    "{}: {} ordered, {} available",
                    l.sku,
                    ordered,
                    ordered - l.quantity
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let now = Utc::now();
    let expected_on = now.date_naive() + TimeDelta::days(i64::from(merchant.backorder_days));
    // Waiting demand stays registered once; a re-try after stock arrived replaces it. Only
    // orders that waited before can have any.
    if o.status != OrderStatus::Approved {
        close_stockouts(conn, o.id, "ALLOCATED").await?;
    }
    if !complete {
        let (open, resolution) = match policy {
            OutOfStockPolicy::Backorder | OutOfStockPolicy::Split => (true, None),
            OutOfStockPolicy::CancelLines => (false, Some("CANCELLED")),
            OutOfStockPolicy::Hold => (false, Some("HELD")),
        };
        let expected = open.then_some(expected_on);
        register_stockouts(
            conn,
            o,
            &remaining,
            &plan.unfilled,
            policy,
            expected,
            resolution,
        )
        .await?;
    }
    let summary = summarize(&plan, &decision.rule_name);
    let command_and_reason: Option<(OrderCommand, String)> = match (complete, policy) {
        (true, _) => Some((OrderCommand::Allocate, summary)),
        (false, OutOfStockPolicy::Hold) => Some((
            OrderCommand::Hold {
                reasons: vec![HoldReason::new(
                    HoldReasonCode::StockShortage,
                    shortage(&plan.unfilled),
                )],
            },
            "stock is short".to_string(),
        )),
        (false, OutOfStockPolicy::Backorder) => Some((
            OrderCommand::Backorder,
            format!(
                "waiting for stock ({}), expected by {expected_on}",
                shortage(&plan.unfilled)
            ),
        )),
        (false, OutOfStockPolicy::Split) if outcome.reserved => Some((
            OrderCommand::Allocate,
            format!(
                "{summary}; the rest follows when stock arrives ({})",
                shortage(&plan.unfilled)
            ),
        )),
        (false, OutOfStockPolicy::Split) => Some((
            OrderCommand::Backorder,
            format!("waiting for stock ({})", shortage(&plan.unfilled)),
        )),
        (false, OutOfStockPolicy::CancelLines) => {
            let refund = cancel_lines(conn, realtime, o, &remaining, &plan.unfilled, actor).await?;
            let what = shortage(&plan.unfilled);
            let refund_text = refund
                .map(|m| format!("; {m} to refund"))
                .unwrap_or_default();
            if outcome.reserved {
                Some((
                    OrderCommand::Allocate,
                    format!("{summary}; cancelled what is out of stock ({what}){refund_text}"),
                ))
            } else {
                Some((
                    OrderCommand::Cancel {
                        reason: format!("out of stock ({what})"),
                    },
                    format!("out of stock ({what}){refund_text}"),
                ))
            }
        }
    };
    // An order already in the warehouse keeps its status whatever happens to a remainder: its
    // other shipments go on. The timeline and the customer still hear of it.
    let in_warehouse = matches!(
        o.status,
        OrderStatus::Allocated | OrderStatus::InFulfillment | OrderStatus::PartiallyShipped
    );
    if let (true, Some((_, reason))) = (in_warehouse, &command_and_reason) {
        timeline::record(
            conn,
            timeline::Entry {
                order_id: o.id,
                kind: EventKind::Fulfilment,
                from: None,
                to: None,
                actor: (actor.0, actor.1.clone()),
                reason: Some(reason.clone()),
            },
        )
        .await?;
        if !complete {
            notify(conn, o, reason).await?;
        }
    }
    if let Some((command, reason)) = command_and_reason.filter(|_| !in_warehouse) {
        let (after, event) =
            transition::apply(conn, realtime, o, &command, actor, reason.clone()).await?;
        outcome.events.push(event);
        outcome.order = Some(after.clone());
        if matches!(
            after.status,
            OrderStatus::Backordered | OrderStatus::Cancelled
        ) || (!complete && policy == OutOfStockPolicy::CancelLines)
            || (!complete && policy == OutOfStockPolicy::Split && outcome.reserved)
        {
            notify(conn, &after, &reason).await?;
        }
    }
    // Last, so that a hot SKU's row is locked only from here to the commit.
    self::reserve(conn, &moves).await?;
    Ok(outcome)
}

/// One line of what the customer is told, through the outbox.
pub async fn notify(conn: &impl ConnectionTrait, o: &order::Model, text: &str) -> AppResult<()> {
    outbox::enqueue(
        conn,
        ORDER_UPDATE,
        o.id,
        &serde_json::json!({ "orderId": o.id, "message": text }),
    )
    .await?;
    Ok(())
}

fn summarize(plan: &Plan, rule: &str) -> String {
    let parts: Vec<String> = plan
        .shipments
        .iter()
        .map(|s| {
            let units: u32 = s.lines.iter().map(|l| l.quantity).sum();
            format!("{} ({} units)", s.warehouse, units)
        })
        .collect();
    format!("allocated by rule \"{rule}\": {}", parts.join(", "))
}

/// Each line's units not yet cancelled or in a shipment.
pub async fn remaining(conn: &impl ConnectionTrait, o: &order::Model) -> AppResult<Vec<Remaining>> {
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(o.id))
        .order_by_asc(order_line::Column::LineNo)
        .all(conn)
        .await?;
    let ids: Vec<Uuid> = lines.iter().map(|l| l.id).collect();
    // An order just approved has no shipments yet: no need to ask.
    let shipped = if o.status == OrderStatus::Approved {
        Vec::new()
    } else {
        shipment_line::Entity::find()
            .filter(shipment_line::Column::OrderLineId.is_in(ids))
            .all(conn)
            .await?
    };
    let mut allocated: HashMap<Uuid, i32> = HashMap::new();
    for s in shipped {
        *allocated.entry(s.order_line_id).or_default() += s.quantity;
    }
    Ok(lines
        .into_iter()
        .filter_map(|line| {
            let left = line.quantity
                - line.cancelled_quantity
                - allocated.get(&line.id).copied().unwrap_or(0);
            (left > 0).then_some(Remaining {
                quantity: left as u32,
                line,
            })
        })
        .collect())
}

/// Creates the plan's shipments, their lines, reservations and ledger rows (one batched insert
/// each), and returns the reservations to apply to the stock rows.
async fn write_shipments(
    conn: &impl ConnectionTrait,
    o: &order::Model,
    remaining: &[Remaining],
    plan: &Plan,
    snap: &snapshot::Snapshot,
    special_policy: &SpecialRequestPolicy,
    actor: &ActorLabel,
) -> AppResult<Vec<(Uuid, Movement)>> {
    let instructions =
        check_special_requests(&stored::special_requests(o), Utc::now(), special_policy)
            .instructions;
    let instructions = serde_json::to_string(&instructions).map_err(AppError::internal)?;
    let line_of: HashMap<&str, &order_line::Model> = remaining
        .iter()
        .map(|r| (r.line.sku.as_str(), &r.line))
        .collect();
    let now = Utc::now();
    let (mut shipments, mut lines, mut reservations, mut ledger_rows, mut moves) =
        (vec![], vec![], vec![], vec![], vec![]);
    for planned in &plan.shipments {
        let wh = snap.warehouse(&planned.warehouse).ok_or_else(|| {
            AppError::Internal(format!("planned warehouse {} vanished", planned.warehouse).into())
        })?;
        let shipment_id = Uuid::now_v7();
        shipments.push(shipment::ActiveModel {
            id: Set(shipment_id),
            order_id: Set(o.id),
            warehouse_id: Set(wh.id),
            status: Set(ShipmentStatus::Pending),
            carrier: Set(None),
            tracking_number: Set(None),
            instructions: Set(instructions.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        });
        for planned_line in &planned.lines {
            let line = line_of.get(planned_line.sku.as_str()).ok_or_else(|| {
                AppError::Internal(format!("planned SKU {} not ordered", planned_line.sku).into())
            })?;
            let shipment_line_id = Uuid::now_v7();
            lines.push(shipment_line::ActiveModel {
                id: Set(shipment_line_id),
                shipment_id: Set(shipment_id),
                order_line_id: Set(line.id),
                sku: Set(line.sku.clone()),
                quantity: Set(planned_line.quantity as i32),
                ..Default::default()
            });
            let key = (planned.warehouse.clone(), planned_line.sku.clone());
            let bins = snap.bins.get(&key).map(Vec::as_slice).unwrap_or(&[]);
            let offer: Vec<(String, u32)> = bins
                .iter()
                .map(|b| {
                    (
                        b.bin_code.clone(),
                        std::cmp::max(b.stock.on_hand - b.stock.reserved, 0) as u32,
                    )
                })
                .collect();
            let picks = pick_bins(&offer, planned_line.quantity);
            if picks.iter().map(|p| p.1).sum::<u32>() != planned_line.quantity {
                return Err(AppError::Internal(
                    format!("bins of {} cannot cover the plan", planned_line.sku).into(),
                ));
            }
            for (bin_code, units) in picks {
                let Some(bin) = bins.iter().find(|b| b.bin_code == bin_code) else {
                    continue;
                };
                let movement = Movement::new(StockMovementKind::Reservation, units as i32)
                    .map_err(AppError::internal)?;
                ledger_rows.push(ledger::entry(
                    &bin.stock,
                    movement,
                    "allocated",
                    &o.number,
                    (actor.0, &actor.1),
                ));
                moves.push((bin.stock.id, movement));
                reservations.push(reservation::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    order_id: Set(o.id),
                    shipment_line_id: Set(shipment_line_id),
                    stock_id: Set(bin.stock.id),
                    sku: Set(line.sku.clone()),
                    quantity: Set(units as i32),
                    state: Set(ReservationState::Active),
                    created_at: Set(now),
                    released_at: Set(None),
                });
            }
        }
    }
    shipment::Entity::insert_many(shipments).exec(conn).await?;
    shipment_line::Entity::insert_many(lines).exec(conn).await?;
    reservation::Entity::insert_many(reservations)
        .exec(conn)
        .await?;
    stock_ledger::Entity::insert_many(ledger_rows)
        .exec(conn)
        .await?;
    Ok(moves)
}

/// Applies reservations to their stock rows. Under [`Locking::Pessimistic`] the rows are locked
/// and each update succeeds; under [`Locking::Optimistic`] one that finds the units gone fails
/// the transaction with [`StockRace`], for the caller to run again.
async fn reserve(conn: &impl ConnectionTrait, moves: &[(Uuid, Movement)]) -> AppResult<()> {
    for (stock_id, movement) in moves {
        if ledger::apply(conn, *stock_id, *movement).await?.is_none() {
            return Err(AppError::Internal(Box::new(StockRace)));
        }
    }
    Ok(())
}

/// Another order took the units this one planned with; run the transaction again.
#[derive(Debug, thiserror::Error)]
#[error("stock changed while allocating; retry")]
pub struct StockRace;

impl StockRace {
    /// Whether `err` is a lost race for stock.
    pub fn is(err: &AppError) -> bool {
        matches!(err, AppError::Internal(e) if e.downcast_ref::<StockRace>().is_some())
    }
}

/// How allocation guards the stock it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locking {
    /// Lock the order's stock rows when reading them (PostgreSQL `FOR UPDATE`): never fails,
    /// but holds the rows for the rest of the transaction.
    Pessimistic,
    /// Read without locks and reserve with conditional updates as the transaction's last
    /// writes, so a hot SKU's row is held only from that update to the commit; a lost race
    /// fails with [`StockRace`].
    Optimistic,
}

/// Closes the order's open stockouts (served, or replaced by a fresh registration).
pub async fn close_stockouts(
    conn: &impl ConnectionTrait,
    order_id: Uuid,
    resolution: &str,
) -> AppResult<()> {
    stockout::Entity::update_many()
        .col_expr(stockout::Column::Open, Expr::value(false))
        .col_expr(stockout::Column::ResolvedAt, Expr::value(Utc::now()))
        .col_expr(stockout::Column::Resolution, Expr::value(resolution))
        .filter(stockout::Column::OrderId.eq(order_id))
        .filter(stockout::Column::Open.eq(true))
        .exec(conn)
        .await?;
    Ok(())
}

async fn register_stockouts(
    conn: &impl ConnectionTrait,
    o: &order::Model,
    remaining: &[Remaining],
    unfilled: &[PlannedLine],
    policy: OutOfStockPolicy,
    expected_on: Option<NaiveDate>,
    resolution: Option<&str>,
) -> AppResult<()> {
    let now = Utc::now();
    let rows: Vec<stockout::ActiveModel> = unfilled
        .iter()
        .filter_map(|u| {
            let line = remaining.iter().find(|r| r.line.sku == u.sku)?;
            Some(stockout::ActiveModel {
                id: Set(Uuid::now_v7()),
                order_id: Set(o.id),
                order_line_id: Set(line.line.id),
                sku: Set(u.sku.clone()),
                quantity: Set(u.quantity as i32),
                policy: Set(policy),
                expected_on: Set(expected_on),
                open: Set(resolution.is_none()),
                at: Set(now),
                resolved_at: Set(resolution.map(|_| now)),
                resolution: Set(resolution.map(str::to_string)),
            })
        })
        .collect();
    if !rows.is_empty() {
        stockout::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// Cancels the unfilled units of their lines; returns the refund due (paid orders only), which is
/// recorded for finance: unit price less the line's per-unit discount, times the units.
async fn cancel_lines(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    o: &order::Model,
    remaining: &[Remaining],
    unfilled: &[PlannedLine],
    actor: &ActorLabel,
) -> AppResult<Option<Money>> {
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    let mut due = 0i64;
    for u in unfilled {
        let Some(r) = remaining.iter().find(|r| r.line.sku == u.sku) else {
            continue;
        };
        order_line::Entity::update_many()
            .col_expr(
                order_line::Column::CancelledQuantity,
                Expr::col(order_line::Column::CancelledQuantity).add(u.quantity as i32),
            )
            .filter(order_line::Column::Id.eq(r.line.id))
            .exec(conn)
            .await?;
        let paid_per_unit = (r.line.line_total_minor - r.line.discount_minor)
            / i64::from(std::cmp::max(r.line.quantity, 1));
        due += paid_per_unit * i64::from(u.quantity);
    }
    if due == 0 {
        return Ok(None);
    }
    let refunded = crate::service::refunds::request::owed(
        conn,
        realtime.queues(),
        o,
        Some(due),
        "lines cancelled: out of stock",
        actor,
    )
    .await?;
    Ok(refunded.map(|minor| Money::from_minor(minor, currency)))
}

/// Active reservations of an order, for release or inspection.
pub async fn active_reservations(
    conn: &impl ConnectionTrait,
    order_id: Uuid,
) -> AppResult<Vec<reservation::Model>> {
    Ok(reservation::Entity::find()
        .filter(reservation::Column::OrderId.eq(order_id))
        .filter(reservation::Column::State.eq(ReservationState::Active))
        .all(conn)
        .await?)
}
