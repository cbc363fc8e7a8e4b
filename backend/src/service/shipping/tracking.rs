//! Tracking: carrier callbacks move a shipment along (picked up, in transit, out for delivery,
//! delivered, exception). Each event is kept once per (carrier, event id), so a replay changes
//! nothing; an event older than one already applied (or one the state machine calls stale)
//! still lands on the order timeline but never moves the shipment backwards. When every
//! shipment of a shipped order is delivered, the order is DELIVERED.

use super::status;
use crate::carrier::{TrackingEvent, TrackingStatus};
use crate::db::entity::{carrier_event, order, payment, shipment};
use crate::domain::orders::OrderCommand;
use crate::domain::shipping::{
    ShipmentCommand, ShipmentOutcome, ShipmentSnapshot, decide, order_fulfilment_status,
};
use crate::error::{AppError, AppResult};
use crate::realtime::{Realtime, WarehouseLive};
use crate::service::orders::timeline::{self, EventKind};
use crate::service::orders::transition;
use crate::service::picking::stage_event;
use chrono::Utc;
use orderly_shared::{ExceptionSource, OrderStatus, PaymentStatus, ShipmentStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

/// What a tracking callback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackingOutcome {
    /// The shipment moved.
    Applied,
    /// Kept and on the timeline, but the parcel stays as it is: the event is older than one
    /// already applied, or says what the parcel already is.
    Unchanged,
    /// The same event again: nothing changed.
    Duplicate,
}

fn command_of(event: &TrackingEvent) -> ShipmentCommand {
    match (event.status, event.exception_code) {
        (TrackingStatus::PickedUp, _) => ShipmentCommand::PickedUp,
        (TrackingStatus::InTransit, _) => ShipmentCommand::InTransit,
        (TrackingStatus::OutForDelivery, _) => ShipmentCommand::OutForDelivery,
        (TrackingStatus::Delivered, _) => ShipmentCommand::Delivered,
        (TrackingStatus::Exception, code) => ShipmentCommand::Exception {
            code: code.unwrap_or(crate::domain::shipping::ExceptionCode::Delayed),
        },
    }
}

fn reported_status(event: &TrackingEvent) -> ShipmentStatus {
    match event.status {
        TrackingStatus::PickedUp | TrackingStatus::InTransit => ShipmentStatus::InTransit,
        TrackingStatus::OutForDelivery => ShipmentStatus::OutForDelivery,
        TrackingStatus::Delivered => ShipmentStatus::Delivered,
        TrackingStatus::Exception => ShipmentStatus::Exception,
    }
}

/// Applies one verified callback of `carrier_code`.
pub async fn apply(
    db: &DatabaseConnection,
    realtime: &Realtime,
    live: &WarehouseLive,
    carrier_code: &str,
    event: TrackingEvent,
) -> AppResult<TrackingOutcome> {
    let carrier_code = carrier_code.trim().to_uppercase();
    let (outcome, order_events, events, queue_events) = db
        .transaction::<_, _, AppError>(|txn| {
            let (realtime, live) = (realtime.clone(), live.clone());
            Box::pin(async move {
                let s = shipment::Entity::find()
                    .filter(shipment::Column::TrackingNumber.eq(event.tracking_number.clone()))
                    .filter(shipment::Column::Carrier.eq(carrier_code.clone()))
                    .one(txn)
                    .await?
                    .ok_or_else(|| {
                        AppError::NotFound(format!(
                            "No {carrier_code} parcel has tracking number {}.",
                            event.tracking_number
                        ))
                    })?;
                let command = command_of(&event);
                let newer_applied = latest_applied(txn, s.id).await?;
                let late = newer_applied.is_some_and(|at| at > event.occurred_at);
                let moves = match decide(s.status, &command) {
                    Ok(ShipmentOutcome::Moved(_)) => !late,
                    Ok(_) => false,
                    // Not yet handed over (or cancelled): the carrier is ahead of the warehouse.
                    Err(e) => return Err(AppError::Conflict(e.to_string())),
                };
                let inserted = carrier_event::Entity::insert(carrier_event::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    carrier_code: Set(carrier_code.clone()),
                    event_id: Set(event.event_id.clone()),
                    tracking_number: Set(event.tracking_number.clone()),
                    shipment_id: Set(s.id),
                    status: Set(reported_status(&event)),
                    exception_code: Set(event.exception_code.map(|c| c.as_str().to_string())),
                    occurred_at: Set(event.occurred_at),
                    received_at: Set(Utc::now()),
                    applied: Set(moves),
                })
                .on_conflict_do_nothing_on([
                    carrier_event::Column::CarrierCode,
                    carrier_event::Column::EventId,
                ])
                .exec(txn)
                .await?;
                if matches!(inserted, sea_orm::TryInsertResult::Conflicted) {
                    return Ok((
                        TrackingOutcome::Duplicate,
                        Vec::new(),
                        Vec::new(),
                        Vec::new(),
                    ));
                }
                let what = match event.exception_code {
                    Some(code) => format!("{} ({})", reported_status(&event), code.as_str()),
                    None => reported_status(&event).to_string(),
                };
                let mut order_events = Vec::new();
                let mut queue_events = Vec::new();
                let reason = if moves {
                    let moved = status::apply(txn, &s, &command).await?;
                    shipment::Entity::update_many()
                        .col_expr(
                            shipment::Column::ExceptionCode,
                            Expr::value(event.exception_code.map(|c| c.as_str().to_string())),
                        )
                        .filter(shipment::Column::Id.eq(moved.id))
                        .exec(txn)
                        .await?;
                    if let Some(event) = deliver_order(txn, &realtime, s.order_id).await? {
                        order_events.push(event);
                    }
                    if let Some(code) = event.exception_code {
                        let detail = format!(
                            "{carrier_code} {}: {} at {}",
                            event.tracking_number,
                            code.label(),
                            event.occurred_at.format("%Y-%m-%d %H:%M UTC")
                        );
                        let number = order_number(txn, s.order_id).await?;
                        if let Some(e) = crate::service::exceptions::open::open(
                            txn,
                            &realtime,
                            &moved,
                            &number,
                            code.as_str(),
                            ExceptionSource::Carrier,
                            detail,
                        )
                        .await?
                        {
                            queue_events.push(e);
                        }
                    }
                    format!(
                        "{carrier_code} {}: {what} at {}",
                        event.tracking_number,
                        event.occurred_at.format("%Y-%m-%d %H:%M UTC")
                    )
                } else {
                    format!(
                        "{carrier_code} {}: {what} at {} ({}; the parcel stays {})",
                        event.tracking_number,
                        event.occurred_at.format("%Y-%m-%d %H:%M UTC"),
                        if late { "arrived late" } else { "nothing new" },
                        s.status
                    )
                };
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: s.order_id,
                        kind: EventKind::Fulfilment,
                        from: None,
                        to: None,
                        actor: ("CARRIER", carrier_code.clone()),
                        reason: Some(reason),
                    },
                )
                .await?;
                let live_event = stage_event(
                    txn,
                    &live,
                    s.warehouse_id,
                    s.wave_id,
                    Some(s.id),
                    "TRACKING",
                )
                .await?;
                let outcome = if moves {
                    TrackingOutcome::Applied
                } else {
                    TrackingOutcome::Unchanged
                };
                Ok((outcome, order_events, vec![live_event], queue_events))
            })
        })
        .await?;
    realtime.committed(order_events);
    realtime.queues().committed(queue_events);
    live.committed(events);
    Ok(outcome)
}

async fn order_number(conn: &impl ConnectionTrait, order_id: Uuid) -> AppResult<String> {
    Ok(order::Entity::find_by_id(order_id)
        .one(conn)
        .await?
        .map(|o| o.number)
        .unwrap_or_default())
}

/// When the parcel's last applied event happened.
async fn latest_applied(
    conn: &impl ConnectionTrait,
    shipment_id: Uuid,
) -> AppResult<Option<chrono::DateTime<Utc>>> {
    Ok(carrier_event::Entity::find()
        .filter(carrier_event::Column::ShipmentId.eq(shipment_id))
        .filter(carrier_event::Column::Applied.eq(true))
        .order_by_desc(carrier_event::Column::OccurredAt)
        .one(conn)
        .await?
        .map(|e| e.occurred_at))
}

/// A shipped order whose every live shipment is delivered becomes DELIVERED.
async fn deliver_order(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    order_id: Uuid,
) -> AppResult<Option<crate::realtime::OrderStatusEvent>> {
    let o = order::Entity::find_by_id(order_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("tracked order vanished".into()))?;
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
    if o.status != OrderStatus::Shipped
        || order_fulfilment_status(o.status, &snapshots) != OrderStatus::Delivered
    {
        return Ok(None);
    }
    let (_, event) = transition::apply(
        conn,
        realtime,
        &o,
        &OrderCommand::ConfirmDelivery,
        &("CARRIER", "carrier".into()),
        "every parcel was delivered",
    )
    .await?;
    let now = Utc::now();
    let mut update = order::Entity::update_many()
        .col_expr(order::Column::DeliveredAt, Expr::value(now))
        .filter(order::Column::Id.eq(o.id));
    if o.payment_status == PaymentStatus::CodPending {
        // The carrier took the cash at the door; finance reconciles it with their remittance.
        update = update.col_expr(
            order::Column::PaymentStatus,
            Expr::value(PaymentStatus::CodCollected),
        );
        payment::Entity::insert(payment::ActiveModel {
            id: Set(Uuid::now_v7()),
            order_id: Set(o.id),
            provider: Set(shipments
                .iter()
                .find_map(|s| s.carrier.clone())
                .unwrap_or_else(|| "carrier".into())),
            provider_event_id: Set(format!("cod:{}", o.id)),
            kind: Set(orderly_shared::PaymentKind::CodCollected),
            amount_minor: Set(o.total_minor),
            currency: Set(o.currency.clone()),
            at: Set(now),
            detail: Set(Some("cash collected on delivery".into())),
        })
        .on_conflict_do_nothing_on([payment::Column::Provider, payment::Column::ProviderEventId])
        .exec(conn)
        .await?;
    }
    update.exec(conn).await?;
    Ok(Some(event))
}
