//! Hand-over: labelled parcels wait in the dispatch area by carrier; the carrier's driver takes
//! them with a manifest. Every scanned tracking number must be a labelled parcel of this carrier
//! at this warehouse, or nothing is handed over. The shipments become HANDED_OVER, their orders
//! PARTIALLY_SHIPPED or SHIPPED, and each customer is told the tracking number.

use super::status;
use crate::db::entity::{manifest, order, shipment};
use crate::domain::auth::Actor;
use crate::domain::orders::OrderCommand;
use crate::domain::shipping::{ShipmentCommand, ShipmentSnapshot, order_fulfilment_status};
use crate::error::{AppError, AppResult};
use crate::realtime::{Realtime, WarehouseLive};
use crate::service::allocation::{self, notify};
use crate::service::audit::{self, AuditAction};
use crate::service::orders::intake::document_number;
use crate::service::orders::timeline::actor_of;
use crate::service::orders::transition;
use crate::service::page::{Page, PageRequest};
use crate::service::picking::stage_event;
use chrono::Utc;
use orderly_shared::{FieldProblem, OrderStatus, ShipmentStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr,
};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// Labelled parcels of a warehouse waiting for their carrier (optionally one carrier).
pub async fn staged(
    conn: &impl ConnectionTrait,
    warehouse_id: Uuid,
    carrier: Option<&str>,
    page: PageRequest,
) -> AppResult<Page<shipment::Model>> {
    let mut q = shipment::Entity::find()
        .filter(shipment::Column::WarehouseId.eq(warehouse_id))
        .filter(shipment::Column::Status.eq(ShipmentStatus::Labelled))
        .filter(shipment::Column::CancelledAt.is_null())
        .order_by_asc(shipment::Column::Id);
    if let Some(code) = carrier {
        q = q.filter(shipment::Column::Carrier.eq(code.trim().to_uppercase()));
    }
    if let Some(after) = page.after {
        q = q.filter(shipment::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Manifests, newest first.
pub async fn manifests(
    conn: &impl ConnectionTrait,
    warehouses: Option<&[Uuid]>,
    page: PageRequest,
) -> AppResult<Page<manifest::Model>> {
    let mut q = manifest::Entity::find().order_by_desc(manifest::Column::Id);
    if let Some(ids) = warehouses {
        q = q.filter(manifest::Column::WarehouseId.is_in(ids.iter().copied()));
    }
    if let Some(after) = page.after {
        q = q.filter(manifest::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Hands the scanned parcels to the carrier.
pub async fn hand_over(
    db: &DatabaseConnection,
    realtime: &Realtime,
    live: &WarehouseLive,
    actor: &Actor,
    warehouse_id: Uuid,
    carrier_code: &str,
    tracking_numbers: Vec<String>,
) -> AppResult<manifest::Model> {
    let carrier_code = carrier_code.trim().to_uppercase();
    let actor = actor.clone();
    let (m, order_events, events) = db
        .transaction::<_, _, AppError>(|txn| {
            let (realtime, live) = (realtime.clone(), live.clone());
            Box::pin(async move {
                crate::service::stock::scope::check(txn, &actor, warehouse_id).await?;
                let parcels =
                    check_parcels(txn, warehouse_id, &carrier_code, &tracking_numbers).await?;
                let (actor_kind, actor_label) = actor_of(&actor);
                let now = Utc::now();
                let total_weight: i32 =
                    parcels.iter().map(|s| s.packed_weight_g.unwrap_or(0)).sum();
                let m = manifest::Entity::insert(manifest::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    number: Set(document_number("MF", now)?),
                    warehouse_id: Set(warehouse_id),
                    carrier_code: Set(carrier_code.clone()),
                    parcel_count: Set(parcels.len() as i32),
                    total_weight_g: Set(total_weight),
                    handed_over_by: Set(actor_label.clone()),
                    created_at: Set(now),
                })
                .exec_with_returning(txn)
                .await?;
                let mut events = Vec::new();
                for s in &parcels {
                    let moved = status::apply(txn, s, &ShipmentCommand::HandOver).await?;
                    shipment::Entity::update_many()
                        .col_expr(shipment::Column::ManifestId, Expr::value(m.id))
                        .col_expr(shipment::Column::HandedOverAt, Expr::value(now))
                        .filter(shipment::Column::Id.eq(moved.id))
                        .exec(txn)
                        .await?;
                    events.push(
                        stage_event(
                            txn,
                            &live,
                            warehouse_id,
                            s.wave_id,
                            Some(s.id),
                            "HANDED_OVER",
                        )
                        .await?,
                    );
                }
                let mut order_events = Vec::new();
                let order_ids: BTreeSet<Uuid> = parcels.iter().map(|s| s.order_id).collect();
                for order_id in order_ids {
                    let o = order::Entity::find_by_id(order_id)
                        .one(txn)
                        .await?
                        .ok_or_else(|| AppError::Internal("handed-over order vanished".into()))?;
                    let theirs: Vec<&shipment::Model> =
                        parcels.iter().filter(|s| s.order_id == o.id).collect();
                    let tracking: Vec<String> = theirs
                        .iter()
                        .filter_map(|s| s.tracking_number.clone())
                        .collect();
                    let reason = format!(
                        "handed over to {carrier_code} on manifest {} (tracking {})",
                        m.number,
                        tracking.join(", ")
                    );
                    if let Some(command) = order_command(txn, &o).await? {
                        let (_, event) = transition::apply(
                            txn,
                            &realtime,
                            &o,
                            &command,
                            &(actor_kind, actor_label.clone()),
                            reason,
                        )
                        .await?;
                        order_events.push(event);
                    }
                    notify(
                        txn,
                        &o,
                        &format!(
                            "your parcel is on its way with {carrier_code}, tracking number {}",
                            tracking.join(", ")
                        ),
                    )
                    .await?;
                }
                audit::record(
                    txn,
                    &actor,
                    AuditAction::ParcelsHandedOver,
                    "MANIFEST",
                    Some(m.number.clone()),
                    Some(serde_json::json!({
                        "carrier": carrier_code,
                        "parcels": tracking_numbers,
                    })),
                )
                .await?;
                Ok((m, order_events, events))
            })
        })
        .await?;
    realtime.committed(order_events);
    live.committed(events);
    Ok(m)
}

/// The labelled parcels behind the tracking numbers, or every problem at once.
async fn check_parcels(
    conn: &impl ConnectionTrait,
    warehouse_id: Uuid,
    carrier_code: &str,
    tracking_numbers: &[String],
) -> AppResult<Vec<shipment::Model>> {
    if tracking_numbers.is_empty() {
        return Err(AppError::invalid(
            "trackingNumbers",
            "REQUIRED",
            "scan at least one parcel",
        ));
    }
    let wanted: Vec<String> = tracking_numbers
        .iter()
        .map(|t| t.trim().to_uppercase())
        .collect();
    let found: HashMap<String, shipment::Model> = shipment::Entity::find()
        .filter(shipment::Column::TrackingNumber.is_in(wanted.clone()))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.tracking_number.clone()?, s)))
        .collect();
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    let mut parcels = Vec::new();
    for (i, t) in wanted.iter().enumerate() {
        let path = format!("trackingNumbers[{i}]");
        let problem = if !seen.insert(t.clone()) {
            Some(("DUPLICATE", format!("{t} was scanned twice")))
        } else {
            match found.get(t) {
                None => Some((
                    "UNKNOWN_PARCEL",
                    format!("no parcel has tracking number {t}"),
                )),
                Some(s) if s.warehouse_id != warehouse_id => Some((
                    "OTHER_WAREHOUSE",
                    format!("{t} is staged at another warehouse"),
                )),
                Some(s) if s.carrier.as_deref() != Some(carrier_code) => Some((
                    "OTHER_CARRIER",
                    format!(
                        "{t} goes with {}, not {carrier_code}",
                        s.carrier.as_deref().unwrap_or("no carrier")
                    ),
                )),
                Some(s) if s.cancelled_at.is_some() || s.status != ShipmentStatus::Labelled => {
                    Some((
                        "NOT_STAGED",
                        format!("{t} is {}, not waiting for hand-over", s.status),
                    ))
                }
                Some(s) => {
                    parcels.push(s.clone());
                    None
                }
            }
        };
        if let Some((code, message)) = problem {
            problems.push(FieldProblem::new(path, code, message));
        }
    }
    if problems.is_empty() {
        Ok(parcels)
    } else {
        Err(AppError::Validation(problems))
    }
}

/// What the order's shipments (as they are now in this transaction) mean for its status: units
/// still unallocated keep a fully handed-over order PARTIALLY_SHIPPED.
async fn order_command(
    conn: &impl ConnectionTrait,
    o: &order::Model,
) -> AppResult<Option<OrderCommand>> {
    let shipments = shipment::Entity::find()
        .filter(shipment::Column::OrderId.eq(o.id))
        .all(conn)
        .await?;
    let snapshots: Vec<ShipmentSnapshot> = shipments
        .iter()
        .map(|s| ShipmentSnapshot {
            status: s.status,
            cancelled: s.cancelled_at.is_some(),
        })
        .collect();
    let mut target = order_fulfilment_status(o.status, &snapshots);
    if target == OrderStatus::Shipped && !allocation::remaining(conn, o).await?.is_empty() {
        target = OrderStatus::PartiallyShipped;
    }
    Ok(match (o.status, target) {
        (from, to) if from == to && to != OrderStatus::PartiallyShipped => None,
        (_, OrderStatus::PartiallyShipped) => Some(OrderCommand::ShipPart),
        (_, OrderStatus::Shipped) => Some(OrderCommand::ShipAll),
        _ => None,
    })
}
