//! The pack station: the packer scans the shipment (its order number, its put-wall slot label or
//! its id), then every unit. Wrong and extra units are refused on the spot; the shipment can
//! only be completed when exactly its units were scanned. Cartonization suggests the packaging,
//! the packer may choose another that fits, and the parcel's weight is recorded.

use super::catalogue;
use crate::db::entity::{order, product, shipment, shipment_line, wave};
use crate::domain::auth::Actor;
use crate::domain::packing::{
    Dimensions, ExpectedItem, PackCheck, PackItem, PackScanOutcome, PackingRules, Suggestion,
    evaluate, suggest,
};
use crate::domain::shipping::ShipmentCommand;
use crate::error::{AppError, AppResult};
use crate::realtime::WarehouseLive;
use crate::service::orders::stored;
use crate::service::orders::timeline::{self, EventKind, actor_of};
use crate::service::picking::stage_event;
use crate::service::shipping::status;
use orderly_shared::{FieldProblem, ShipmentStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait, sea_query::Expr,
};
use std::collections::HashMap;
use uuid::Uuid;

/// One SKU of the shipment at the pack station.
#[derive(Debug, Clone)]
pub struct StationLine {
    pub sku: String,
    pub name: String,
    pub expected: u32,
    pub packed: u32,
    pub fragile: bool,
    pub liquid: bool,
}

/// What the packer sees for one shipment.
#[derive(Debug, Clone)]
pub struct PackSession {
    pub shipment: shipment::Model,
    pub order_number: String,
    pub lines: Vec<StationLine>,
    /// Special-request instructions (gift wrap, a gift message, an invoice in the parcel).
    pub instructions: Vec<String>,
    pub gift_message: Option<String>,
    /// The suggested packaging, or why none fits.
    pub suggestion: Result<Suggestion, String>,
    /// Every unit scanned, nothing extra.
    pub complete: bool,
}

/// The shipment a pack-station scan names: its id, its order number (the order's shipment that
/// is picked, or packed and waiting for its label), or a put-wall slot label
/// `<wave number>-<slot>`.
pub async fn find(conn: &impl ConnectionTrait, code: &str) -> AppResult<shipment::Model> {
    let code = code.trim().to_uppercase();
    let not_found = || AppError::NotFound(format!("No shipment to pack for {code}."));
    if let Ok(id) = Uuid::parse_str(&code) {
        return shipment::Entity::find_by_id(id)
            .one(conn)
            .await?
            .ok_or_else(not_found);
    }
    if let Some(o) = order::Entity::find()
        .filter(order::Column::Number.eq(code.clone()))
        .one(conn)
        .await?
    {
        return shipment::Entity::find()
            .filter(shipment::Column::OrderId.eq(o.id))
            // Picked (to pack), or packed and waiting for its label.
            .filter(
                shipment::Column::Status.is_in([ShipmentStatus::Picked, ShipmentStatus::Packed]),
            )
            .filter(shipment::Column::CancelledAt.is_null())
            .order_by_asc(shipment::Column::Id)
            .one(conn)
            .await?
            .ok_or_else(not_found);
    }
    if let Some((number, slot)) = code.rsplit_once('-')
        && let Ok(slot) = slot.parse::<i32>()
        && let Some(w) = wave::Entity::find()
            .filter(wave::Column::Number.eq(number))
            .one(conn)
            .await?
    {
        return shipment::Entity::find()
            .filter(shipment::Column::WaveId.eq(w.id))
            .filter(shipment::Column::WallSlot.eq(slot))
            .one(conn)
            .await?
            .ok_or_else(not_found);
    }
    Err(not_found())
}

/// The put-wall slot label of a batch wave's shipment.
pub fn slot_label(wave_number: &str, slot: i32) -> String {
    format!("{wave_number}-{slot:02}")
}

/// The session of a shipment (refused unless it is picked and, in a batch wave, sorted).
pub async fn session(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    s: shipment::Model,
) -> AppResult<PackSession> {
    crate::service::stock::scope::check(conn, actor, s.warehouse_id).await?;
    let (session, _) = load(conn, s).await?;
    Ok(session)
}

async fn load(
    conn: &impl ConnectionTrait,
    s: shipment::Model,
) -> AppResult<(PackSession, PackCheck)> {
    if s.cancelled_at.is_some() {
        return Err(AppError::InvalidTransition(
            "this shipment was cancelled: nothing to pack".into(),
        ));
    }
    let o = order::Entity::find_by_id(s.order_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("shipment without its order".into()))?;
    let lines = shipment_line::Entity::find()
        .filter(shipment_line::Column::ShipmentId.eq(s.id))
        .order_by_asc(shipment_line::Column::Id)
        .all(conn)
        .await?;
    if s.wall_slot.is_some() && lines.iter().any(|l| l.sorted_quantity < l.picked_quantity) {
        return Err(AppError::InvalidTransition(format!(
            "order {}: its put-wall slot {} is not complete yet",
            o.number,
            s.wall_slot.unwrap_or_default()
        )));
    }
    let products: HashMap<String, product::Model> = product::Entity::find()
        .filter(product::Column::Sku.is_in(lines.iter().map(|l| l.sku.clone())))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect();
    let mut station = Vec::new();
    let mut expected = Vec::new();
    let mut items = Vec::new();
    for l in lines.iter().filter(|l| l.quantity > 0) {
        let p = products.get(&l.sku);
        let name = p.map(|p| p.name.clone()).unwrap_or_else(|| l.sku.clone());
        let quantity = l.quantity as u32;
        let mut item = ExpectedItem::new(&l.sku, &name, quantity, None);
        if let Some(gtin) = p.and_then(|p| p.gtin.clone()) {
            item.barcodes.insert(0, gtin);
        }
        expected.push(item);
        if let Some(p) = p {
            items.push(pack_item(p, quantity));
        }
        station.push(StationLine {
            sku: l.sku.clone(),
            name,
            expected: quantity,
            packed: l.packed_quantity.max(0) as u32,
            fragile: p.is_some_and(|p| p.fragile),
            liquid: p.is_some_and(|p| p.liquid),
        });
    }
    let check = PackCheck::resume(expected, station.iter().map(|l| (l.sku.clone(), l.packed)))
        .map_err(|e| AppError::Internal(e.to_string().into()))?;
    let catalogue = catalogue::all(conn).await?;
    let suggestion =
        suggest(&items, &catalogue, &PackingRules::default()).map_err(|e| e.to_string());
    let requests = stored::special_requests(&o);
    let instructions = stored::instructions(&s)
        .iter()
        .map(|i| i.describe())
        .collect();
    Ok((
        PackSession {
            order_number: o.number.clone(),
            lines: station,
            instructions,
            gift_message: requests.gift_message,
            suggestion,
            complete: check.is_complete(),
            shipment: s,
        },
        check,
    ))
}

fn picked_only(s: &shipment::Model) -> AppResult<()> {
    match s.status {
        ShipmentStatus::Picked => Ok(()),
        other => Err(AppError::InvalidTransition(format!(
            "a shipment that is {other} is not at the pack station (it must be PICKED)"
        ))),
    }
}

/// One scan (or, with `remove`, one unit taken out again) at the pack station.
pub async fn scan(
    db: &DatabaseConnection,
    live: &WarehouseLive,
    actor: &Actor,
    shipment_id: Uuid,
    code: String,
    remove: bool,
) -> AppResult<(PackSession, PackScanOutcome)> {
    let actor = actor.clone();
    let (result, event) = db
        .transaction::<_, _, AppError>(|txn| {
            let live = live.clone();
            Box::pin(async move {
                let s = shipment::Entity::find_by_id(shipment_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::NotFound("No such shipment.".into()))?;
                crate::service::stock::scope::check(txn, &actor, s.warehouse_id).await?;
                picked_only(&s)?;
                let (_, mut check) = load(txn, s.clone()).await?;
                let outcome = if remove {
                    check.unscan(code.trim())
                } else {
                    check.scan(&code)
                }
                .map_err(|e| {
                    AppError::Validation(vec![FieldProblem::new(
                        "code",
                        e.code().as_str(),
                        e.to_string(),
                    )])
                })?;
                let line = shipment_line::Entity::find()
                    .filter(shipment_line::Column::ShipmentId.eq(s.id))
                    .filter(shipment_line::Column::Sku.eq(outcome.sku.clone()))
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::Internal("scanned line vanished".into()))?;
                let stored = shipment_line::Entity::update_many()
                    .col_expr(
                        shipment_line::Column::PackedQuantity,
                        Expr::value(outcome.scanned as i32),
                    )
                    .filter(shipment_line::Column::Id.eq(line.id))
                    .filter(shipment_line::Column::PackedQuantity.eq(line.packed_quantity))
                    .exec(txn)
                    .await?;
                if stored.rows_affected != 1 {
                    return Err(AppError::Conflict(
                        "This shipment was scanned at another station meanwhile; reload it.".into(),
                    ));
                }
                let (session, _) = load(txn, s.clone()).await?;
                let event = stage_event(
                    txn,
                    &live,
                    s.warehouse_id,
                    s.wave_id,
                    Some(s.id),
                    "PACK_SCANNED",
                )
                .await?;
                Ok(((session, outcome), event))
            })
        })
        .await?;
    live.committed([event]);
    Ok(result)
}

/// Completes packing: exactly the shipment's units must have been scanned; the packaging is the
/// suggestion or the packer's choice (checked by the same rules); the weight is what the scale
/// said, or else items plus packaging.
pub async fn complete(
    db: &DatabaseConnection,
    live: &WarehouseLive,
    actor: &Actor,
    shipment_id: Uuid,
    packaging_code: Option<String>,
    weight_g: Option<u32>,
) -> AppResult<shipment::Model> {
    let actor = actor.clone();
    let (s, event) = db
        .transaction::<_, _, AppError>(|txn| {
            let live = live.clone();
            Box::pin(async move {
                let s = shipment::Entity::find_by_id(shipment_id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::NotFound("No such shipment.".into()))?;
                crate::service::stock::scope::check(txn, &actor, s.warehouse_id).await?;
                picked_only(&s)?;
                let (session, check) = load(txn, s.clone()).await?;
                if let Err(discrepancies) = check.verify() {
                    return Err(AppError::Validation(
                        discrepancies
                            .iter()
                            .map(|d| FieldProblem::new("lines", d.code().as_str(), d.to_string()))
                            .collect(),
                    ));
                }
                let chosen = match packaging_code.as_deref() {
                    Some(code) => {
                        let items = pack_items(txn, &s).await?;
                        let catalogue = catalogue::all(txn).await?;
                        evaluate(&items, code, &catalogue, &PackingRules::default()).map_err(
                            |e| {
                                AppError::invalid("packagingCode", e.code().as_str(), e.to_string())
                            },
                        )?
                    }
                    None => session.suggestion.clone().map_err(|why| {
                        AppError::invalid(
                            "packagingCode",
                            "NO_SUGGESTION",
                            format!("nothing in the catalogue fits ({why}); choose a packaging"),
                        )
                    })?,
                };
                if weight_g == Some(0) {
                    return Err(AppError::invalid(
                        "weightG",
                        "MUST_BE_POSITIVE",
                        "a packed parcel weighs something",
                    ));
                }
                let weight = weight_g.unwrap_or(chosen.packed_weight_g);
                let packed = status::apply(txn, &s, &ShipmentCommand::Pack).await?;
                let packed = shipment::Entity::update_many()
                    .col_expr(
                        shipment::Column::PackagingCode,
                        Expr::value(chosen.container.clone()),
                    )
                    .col_expr(shipment::Column::PackedWeightG, Expr::value(weight as i32))
                    .filter(shipment::Column::Id.eq(packed.id))
                    .exec_with_returning(txn)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| AppError::Internal("packed shipment vanished".into()))?;
                let extras: Vec<String> = chosen
                    .extras
                    .iter()
                    .map(|e| format!("{} × {}", e.count, e.code))
                    .collect();
                let (actor_kind, actor_label) = actor_of(&actor);
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: s.order_id,
                        kind: EventKind::Fulfilment,
                        from: None,
                        to: None,
                        actor: (actor_kind, actor_label),
                        reason: Some(format!(
                            "packed in {}{} ({weight} g), every unit scanned",
                            chosen.container,
                            if extras.is_empty() {
                                String::new()
                            } else {
                                format!(" with {}", extras.join(", "))
                            }
                        )),
                    },
                )
                .await?;
                let event =
                    stage_event(txn, &live, s.warehouse_id, s.wave_id, Some(s.id), "PACKED")
                        .await?;
                Ok((packed, event))
            })
        })
        .await?;
    live.committed([event]);
    Ok(s)
}

async fn pack_items(conn: &impl ConnectionTrait, s: &shipment::Model) -> AppResult<Vec<PackItem>> {
    let lines = shipment_line::Entity::find()
        .filter(shipment_line::Column::ShipmentId.eq(s.id))
        .all(conn)
        .await?;
    let products: HashMap<String, product::Model> = product::Entity::find()
        .filter(product::Column::Sku.is_in(lines.iter().map(|l| l.sku.clone())))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect();
    Ok(lines
        .iter()
        .filter(|l| l.quantity > 0)
        .filter_map(|l| Some(pack_item(products.get(&l.sku)?, l.quantity as u32)))
        .collect())
}

fn pack_item(p: &product::Model, quantity: u32) -> PackItem {
    let side = |n: i32| n.max(0) as u32;
    PackItem {
        sku: p.sku.clone(),
        quantity,
        dimensions: Dimensions::new(side(p.length_mm), side(p.width_mm), side(p.height_mm)),
        weight_g: side(p.weight_g),
        fragile: p.fragile,
        liquid: p.liquid,
    }
}
