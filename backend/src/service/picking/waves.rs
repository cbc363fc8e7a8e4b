//! Waves: which allocated shipments of one warehouse are picked together, and how. Creating a
//! wave turns the shipments' reservations into pick lists walked in bin order, gives each
//! shipment of a batch wave its put-wall slot, and starts the orders' fulfilment.

use super::{move_wave, refused, stage_event};
use crate::db::entity::reservation::ReservationState;
use crate::db::entity::{
    bin, order, pick_task, pick_task_part, product, reservation, shipment, shipment_line, stock,
    warehouse, wave,
};
use crate::domain::auth::Actor;
use crate::domain::orders::OrderCommand;
use crate::domain::picking::{
    PickSource, WaveCandidate, WaveCommand, WaveFilter, assign_slots, build_pick_lists,
    select_for_wave,
};
use crate::domain::shipping::{ShipmentCommand, select};
use crate::domain::stock::BinCode;
use crate::error::{AppError, AppResult};
use crate::realtime::{OrderStatusEvent, Realtime, WarehouseEvent, WarehouseLive};
use crate::service::audit::{self, AuditAction};
use crate::service::orders::intake::document_number;
use crate::service::orders::stored;
use crate::service::orders::timeline::actor_of;
use crate::service::orders::transition;
use crate::service::shipping::facts::{cod_amount, parcel_facts};
use crate::service::shipping::{carriers, status};
use crate::service::stock::scope;
use chrono::{DateTime, Utc};
use orderly_shared::{OrderStatus, ShipmentStatus, WaveKind, WaveStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// The most shipments one wave takes.
pub const MAX_WAVE_SHIPMENTS: u32 = 200;
/// Put-wall slots when the request names none.
pub const DEFAULT_WALL_SIZE: u32 = 24;
/// How many waiting shipments a wave is chosen from (oldest first).
const CANDIDATE_POOL: u64 = 5_000;

/// What a warehouse user asks for.
#[derive(Debug, Clone)]
pub struct WaveRequest {
    pub warehouse_id: Uuid,
    pub kind: WaveKind,
    pub filter: WaveFilter,
    /// Put-wall slots (batch waves).
    pub wall_size: Option<u32>,
}

/// A shipment waiting for a wave, with what the wave filters look at.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub shipment: shipment::Model,
    pub order_number: String,
    /// The carrier selection would pick for it now (by the items' weight).
    pub planned_carrier: Option<String>,
    /// The latest dispatch that still meets the customer's delivery window.
    pub ship_by: Option<DateTime<Utc>>,
    pub priority: i32,
    pub units: u32,
    pub weight_g: u32,
}

/// Orders tagged `priority` or `express` go first; a delivery window adds one more.
fn priority(o: &order::Model) -> i32 {
    let tagged = stored::tags(o)
        .iter()
        .any(|t| matches!(t.to_lowercase().as_str(), "priority" | "express"));
    let windowed = stored::special_requests(o).delivery_window.is_some();
    i32::from(tagged) + i32::from(windowed)
}

/// Allocated shipments of the warehouse not in any wave yet, oldest first.
pub async fn candidates(
    conn: &impl ConnectionTrait,
    warehouse_id: Uuid,
) -> AppResult<Vec<Candidate>> {
    let wh = warehouse::Entity::find_by_id(warehouse_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such warehouse.".into()))?;
    let shipments = shipment::Entity::find()
        .filter(shipment::Column::WarehouseId.eq(warehouse_id))
        .filter(shipment::Column::Status.eq(ShipmentStatus::Pending))
        .filter(shipment::Column::WaveId.is_null())
        .filter(shipment::Column::CancelledAt.is_null())
        .order_by_asc(shipment::Column::Id)
        .limit(CANDIDATE_POOL)
        .all(conn)
        .await?;
    if shipments.is_empty() {
        return Ok(Vec::new());
    }
    let order_ids: Vec<Uuid> = shipments.iter().map(|s| s.order_id).collect();
    let orders: HashMap<Uuid, order::Model> = order::Entity::find()
        .filter(order::Column::Id.is_in(order_ids))
        .filter(order::Column::Status.is_in([
            OrderStatus::Allocated,
            OrderStatus::InFulfillment,
            OrderStatus::PartiallyShipped,
        ]))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let ids: Vec<Uuid> = shipments.iter().map(|s| s.id).collect();
    let lines = shipment_line::Entity::find()
        .filter(shipment_line::Column::ShipmentId.is_in(ids))
        .all(conn)
        .await?;
    let skus: BTreeSet<String> = lines.iter().map(|l| l.sku.clone()).collect();
    let weights: HashMap<String, u32> = product::Entity::find()
        .filter(product::Column::Sku.is_in(skus))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku, p.weight_g.max(0) as u32))
        .collect();
    let all_carriers = carriers::all(conn).await?;
    let now = Utc::now();
    let mut out = Vec::new();
    for s in shipments {
        let Some(o) = orders.get(&s.order_id) else {
            continue; // cancelled or held meanwhile
        };
        let (units, weight_g) = lines
            .iter()
            .filter(|l| l.shipment_id == s.id && l.quantity > 0)
            .fold((0u32, 0u32), |(u, w), l| {
                let q = l.quantity as u32;
                (u + q, w + q * weights.get(&l.sku).copied().unwrap_or(0))
            });
        if units == 0 {
            continue;
        }
        let planned_carrier = match s.carrier.clone() {
            Some(c) => Some(c),
            None => cod_amount(o, &s, s.id)
                .and_then(|cod| parcel_facts(o, &wh, weight_g.max(1), cod, now))
                .ok()
                .and_then(|f| select(&all_carriers, &f).ok())
                .map(|c| c.carrier_code),
        };
        let window = stored::special_requests(o).delivery_window;
        out.push(Candidate {
            order_number: o.number.clone(),
            planned_carrier,
            ship_by: window.map(|w| w.from),
            priority: priority(o),
            units,
            weight_g,
            shipment: s,
        });
    }
    Ok(out)
}

/// Creates a wave from the candidates the filter selects, and publishes its live events.
pub async fn create(
    db: &DatabaseConnection,
    realtime: &Realtime,
    live: &WarehouseLive,
    actor: &Actor,
    request: WaveRequest,
) -> AppResult<wave::Model> {
    let actor = actor.clone();
    let (w, order_events, event) = db
        .transaction::<_, _, AppError>(|txn| {
            let realtime = realtime.clone();
            let live = live.clone();
            Box::pin(async move { create_in(txn, &realtime, &live, &actor, request).await })
        })
        .await?;
    realtime.committed(order_events);
    live.committed([event]);
    Ok(w)
}

async fn create_in(
    txn: &impl ConnectionTrait,
    realtime: &Realtime,
    live: &WarehouseLive,
    actor: &Actor,
    request: WaveRequest,
) -> AppResult<(wave::Model, Vec<OrderStatusEvent>, WarehouseEvent)> {
    let wh = scope::check(txn, actor, request.warehouse_id).await?;
    let mut filter = request.filter.clone();
    let max = filter.max_shipments.unwrap_or(MAX_WAVE_SHIPMENTS);
    if max > MAX_WAVE_SHIPMENTS {
        return Err(AppError::invalid(
            "filter.maxShipments",
            "OUT_OF_RANGE",
            format!("a wave takes at most {MAX_WAVE_SHIPMENTS} shipments (asked for {max})"),
        ));
    }
    filter.max_shipments = Some(max);
    let pool = candidates(txn, wh.id).await?;
    let domain: Vec<WaveCandidate> = pool
        .iter()
        .map(|c| WaveCandidate {
            id: c.shipment.id,
            warehouse_code: wh.code.clone(),
            carrier: c.planned_carrier.clone(),
            ship_by: c.ship_by,
            priority: c.priority,
            has_instructions: c.shipment.instructions != "[]",
            created_at: c.shipment.created_at,
        })
        .collect();
    let chosen = select_for_wave(&domain, &filter)
        .map_err(|e| refused("filter", e.code(), e.to_string()))?;
    let by_id: HashMap<Uuid, &Candidate> = pool.iter().map(|c| (c.shipment.id, c)).collect();
    let chosen: Vec<&Candidate> = chosen
        .iter()
        .filter_map(|id| by_id.get(id).copied())
        .collect();
    let wall_size = match request.kind {
        WaveKind::Batch => Some(request.wall_size.unwrap_or(DEFAULT_WALL_SIZE)),
        WaveKind::Discrete => None,
    };
    let sources = pick_sources(txn, &chosen).await?;
    let lists = build_pick_lists(request.kind, &sources.sources);
    let slots = match wall_size {
        Some(size) => {
            let ids: Vec<Uuid> = chosen.iter().map(|c| c.shipment.id).collect();
            assign_slots(&ids, size).map_err(|e| refused("wallSize", e.code(), e.to_string()))?
        }
        None => Vec::new(),
    };

    let now = Utc::now();
    let (actor_kind, actor_label) = actor_of(actor);
    let wave_id = Uuid::now_v7();
    let number = document_number("WV", now)?;
    let w = wave::Entity::insert(wave::ActiveModel {
        id: Set(wave_id),
        number: Set(number.clone()),
        warehouse_id: Set(wh.id),
        kind: Set(request.kind),
        status: Set(WaveStatus::Released),
        filter: Set(serde_json::to_string(&request.filter).map_err(AppError::internal)?),
        wall_size: Set(wall_size.map(|n| n as i32)),
        shipment_count: Set(chosen.len() as i32),
        created_by: Set(actor_label.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(txn)
    .await?;

    let (mut tasks, mut parts) = (Vec::new(), Vec::new());
    for (list_no, list) in lists.iter().enumerate() {
        for task in &list.tasks {
            let task_id = Uuid::now_v7();
            let stock_id = sources
                .stock_of
                .get(&(task.bin_code.as_str().to_string(), task.sku.clone()))
                .copied()
                .ok_or_else(|| AppError::Internal("pick task without its stock row".into()))?;
            tasks.push(pick_task::ActiveModel {
                id: Set(task_id),
                wave_id: Set(wave_id),
                list_no: Set(list_no as i32 + 1),
                shipment_id: Set(list.shipment_id),
                seq: Set(task.sequence as i32),
                stock_id: Set(stock_id),
                bin_code: Set(task.bin_code.as_str().to_string()),
                sku: Set(task.sku.clone()),
                name: Set(task.name.clone()),
                barcodes: Set(serde_json::to_string(&task.barcodes).map_err(AppError::internal)?),
                quantity: Set(task.quantity as i32),
                picked: Set(0),
                bin_confirmed: Set(false),
                awaiting_confirmation: Set(false),
                short_quantity: Set(0),
                fragile: Set(task.is_fragile()),
                high_value: Set(task.is_high_value()),
                done: Set(false),
                updated_at: Set(now),
            });
            for portion in &task.portions {
                let reservation_id = sources
                    .reservation_of
                    .get(&(portion.shipment_line_id, stock_id))
                    .copied()
                    .ok_or_else(|| {
                        AppError::Internal("pick portion without a reservation".into())
                    })?;
                parts.push(pick_task_part::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    task_id: Set(task_id),
                    shipment_id: Set(portion.shipment_id),
                    shipment_line_id: Set(portion.shipment_line_id),
                    reservation_id: Set(reservation_id),
                    quantity: Set(portion.quantity as i32),
                    picked: Set(0),
                });
            }
        }
    }
    if !tasks.is_empty() {
        pick_task::Entity::insert_many(tasks).exec(txn).await?;
        pick_task_part::Entity::insert_many(parts).exec(txn).await?;
    }

    // Claim the shipments; a concurrent wave that took one of them makes this a CONFLICT.
    let slot_of: HashMap<Uuid, u32> = slots.into_iter().collect();
    for c in &chosen {
        let s = status::apply(txn, &c.shipment, &ShipmentCommand::StartPicking).await?;
        let claimed = shipment::Entity::update_many()
            .col_expr(shipment::Column::WaveId, Expr::value(wave_id))
            .col_expr(
                shipment::Column::WallSlot,
                Expr::value(slot_of.get(&s.id).map(|n| *n as i32)),
            )
            .col_expr(
                shipment::Column::Carrier,
                Expr::value(c.planned_carrier.clone()),
            )
            .filter(shipment::Column::Id.eq(s.id))
            .filter(shipment::Column::WaveId.is_null())
            .exec(txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(AppError::Conflict(format!(
                "Shipment of order {} joined another wave meanwhile; try again.",
                c.order_number
            )));
        }
    }

    // The orders' fulfilment starts with their first wave.
    let mut order_events = Vec::new();
    let order_ids: BTreeSet<Uuid> = chosen.iter().map(|c| c.shipment.order_id).collect();
    let orders = order::Entity::find()
        .filter(order::Column::Id.is_in(order_ids))
        .all(txn)
        .await?;
    for o in orders {
        let reason = format!(
            "picking in {} wave {number} at {} (created by {actor_label})",
            request.kind.as_str().to_lowercase(),
            wh.code
        );
        if o.status == OrderStatus::Allocated {
            let (_, event) = transition::apply(
                txn,
                realtime,
                &o,
                &OrderCommand::StartFulfillment,
                &(actor_kind, actor_label.clone()),
                reason,
            )
            .await?;
            order_events.push(event);
        } else {
            crate::service::orders::timeline::record(
                txn,
                crate::service::orders::timeline::Entry {
                    order_id: o.id,
                    kind: crate::service::orders::timeline::EventKind::Fulfilment,
                    from: None,
                    to: None,
                    actor: (actor_kind, actor_label.clone()),
                    reason: Some(reason),
                },
            )
            .await?;
        }
    }
    audit::record(
        txn,
        actor,
        AuditAction::WaveCreated,
        "WAVE",
        Some(number.clone()),
        Some(serde_json::json!({
            "warehouse": wh.code,
            "kind": request.kind,
            "shipments": chosen.len(),
        })),
    )
    .await?;
    let event = stage_event(txn, live, wh.id, Some(wave_id), None, "WAVE_CREATED").await?;
    Ok((w, order_events, event))
}

/// Pick sources of the chosen shipments' active reservations, with the lookups the tasks need.
struct Sources {
    sources: Vec<PickSource>,
    /// (bin code, SKU) → stock row.
    stock_of: HashMap<(String, String), Uuid>,
    /// (shipment line, stock row) → reservation.
    reservation_of: HashMap<(Uuid, Uuid), Uuid>,
}

async fn pick_sources(conn: &impl ConnectionTrait, chosen: &[&Candidate]) -> AppResult<Sources> {
    let shipment_ids: Vec<Uuid> = chosen.iter().map(|c| c.shipment.id).collect();
    let lines = shipment_line::Entity::find()
        .filter(shipment_line::Column::ShipmentId.is_in(shipment_ids))
        .all(conn)
        .await?;
    let shipment_of: HashMap<Uuid, Uuid> = lines.iter().map(|l| (l.id, l.shipment_id)).collect();
    let reservations = reservation::Entity::find()
        .filter(reservation::Column::ShipmentLineId.is_in(lines.iter().map(|l| l.id)))
        .filter(reservation::Column::State.eq(ReservationState::Active))
        .order_by_asc(reservation::Column::Id)
        .all(conn)
        .await?;
    let stock_rows: HashMap<Uuid, stock::Model> = stock::Entity::find()
        .filter(stock::Column::Id.is_in(reservations.iter().map(|r| r.stock_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let bins: HashMap<Uuid, String> = bin::Entity::find()
        .filter(bin::Column::Id.is_in(stock_rows.values().map(|s| s.bin_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|b| (b.id, b.code))
        .collect();
    let products: HashMap<String, product::Model> = product::Entity::find()
        .filter(product::Column::Sku.is_in(reservations.iter().map(|r| r.sku.clone())))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect();
    let mut out = Sources {
        sources: Vec::new(),
        stock_of: HashMap::new(),
        reservation_of: HashMap::new(),
    };
    // Keep the wave's shipment order: sources in the order the shipments were chosen.
    let rank: HashMap<Uuid, usize> = chosen
        .iter()
        .enumerate()
        .map(|(i, c)| (c.shipment.id, i))
        .collect();
    let mut reservations = reservations;
    reservations.sort_by_key(|r| {
        shipment_of
            .get(&r.shipment_line_id)
            .and_then(|s| rank.get(s))
            .copied()
            .unwrap_or(usize::MAX)
    });
    for r in reservations {
        let (Some(shipment_id), Some(row)) = (
            shipment_of.get(&r.shipment_line_id),
            stock_rows.get(&r.stock_id),
        ) else {
            continue;
        };
        let code = bins.get(&row.bin_id).cloned().unwrap_or_default();
        let bin_code = BinCode::parse(&code)
            .map_err(|e| AppError::Internal(format!("stored bin code: {e}").into()))?;
        let p = products.get(&r.sku);
        let barcodes = match p.and_then(|p| p.gtin.clone()) {
            Some(gtin) => vec![gtin, r.sku.clone()],
            None => vec![r.sku.clone()],
        };
        out.stock_of.insert((code, r.sku.clone()), row.id);
        out.reservation_of
            .insert((r.shipment_line_id, row.id), r.id);
        out.sources.push(PickSource {
            shipment_id: *shipment_id,
            shipment_line_id: r.shipment_line_id,
            bin_code,
            sku: r.sku.clone(),
            name: p.map(|p| p.name.clone()).unwrap_or_else(|| r.sku.clone()),
            barcodes,
            quantity: r.quantity.max(0) as u32,
            fragile: p.is_some_and(|p| p.fragile),
            high_value: p.is_some_and(|p| p.high_value),
        });
    }
    Ok(out)
}

/// Cancels a wave nothing was picked from: its shipments go back to the pool.
pub async fn cancel(
    db: &DatabaseConnection,
    live: &WarehouseLive,
    actor: &Actor,
    wave_id: Uuid,
) -> AppResult<wave::Model> {
    let actor = actor.clone();
    let (w, event) = db
        .transaction::<_, _, AppError>(|txn| {
            let live = live.clone();
            Box::pin(async move {
                let w = super::wave(txn, wave_id).await?;
                scope::check(txn, &actor, w.warehouse_id).await?;
                let tasks = pick_task::Entity::find()
                    .filter(pick_task::Column::WaveId.eq(w.id))
                    .all(txn)
                    .await?;
                let units_picked: i32 = tasks.iter().map(|t| t.picked + t.short_quantity).sum();
                let w = move_wave(
                    txn,
                    &w,
                    &WaveCommand::Cancel {
                        units_picked: units_picked.max(0) as u32,
                    },
                )
                .await?;
                let shipments = shipment::Entity::find()
                    .filter(shipment::Column::WaveId.eq(w.id))
                    .all(txn)
                    .await?;
                for s in shipments {
                    status::apply(txn, &s, &ShipmentCommand::ReturnToPending).await?;
                    shipment::Entity::update_many()
                        .col_expr(shipment::Column::WaveId, Expr::value(Option::<Uuid>::None))
                        .col_expr(shipment::Column::WallSlot, Expr::value(Option::<i32>::None))
                        .filter(shipment::Column::Id.eq(s.id))
                        .exec(txn)
                        .await?;
                }
                audit::record(
                    txn,
                    &actor,
                    AuditAction::WaveCancelled,
                    "WAVE",
                    Some(w.number.clone()),
                    None,
                )
                .await?;
                let event = stage_event(
                    txn,
                    &live,
                    w.warehouse_id,
                    Some(w.id),
                    None,
                    "WAVE_CANCELLED",
                )
                .await?;
                Ok((w, event))
            })
        })
        .await?;
    live.committed([event]);
    Ok(w)
}

/// Waves of some warehouses (or all), newest first, optionally by status.
pub async fn list(
    conn: &impl ConnectionTrait,
    warehouses: Option<&[Uuid]>,
    statuses: &[WaveStatus],
    page: crate::service::page::PageRequest,
) -> AppResult<crate::service::page::Page<wave::Model>> {
    let mut q = wave::Entity::find().order_by_desc(wave::Column::Id);
    if let Some(ids) = warehouses {
        q = q.filter(wave::Column::WarehouseId.is_in(ids.iter().copied()));
    }
    if !statuses.is_empty() {
        q = q.filter(wave::Column::Status.is_in(statuses.iter().copied()));
    }
    if let Some(after) = page.after {
        q = q.filter(wave::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(crate::service::page::Page::from_overfetch(rows, page.first))
}

/// A wave's tasks in walking order, list by list.
pub async fn tasks(conn: &impl ConnectionTrait, wave_id: Uuid) -> AppResult<Vec<pick_task::Model>> {
    Ok(pick_task::Entity::find()
        .filter(pick_task::Column::WaveId.eq(wave_id))
        .order_by_asc(pick_task::Column::ListNo)
        .order_by_asc(pick_task::Column::Seq)
        .all(conn)
        .await?)
}
