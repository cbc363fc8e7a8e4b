//! Opening exception tasks: from a carrier's EXCEPTION event, and from the scheduled check for
//! parcels past their promised delivery. One open task per parcel: a second report while one
//! is open adds nothing (the unique `open_shipment_id` decides, also between replicas).

use super::queue_event;
use crate::db::entity::{exception_task, order, shipment};
use crate::domain::exceptions::overdue;
use crate::error::AppResult;
use crate::realtime::{QueueEvent, Realtime};
use crate::service::orders::timeline::{self, EventKind};
use crate::service::shipping::carriers;
use chrono::{DateTime, Utc};
use orderly_shared::{ExceptionSource, ExceptionTaskStatus, ShipmentStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait, TryInsertResult,
};
use std::collections::HashSet;
use uuid::Uuid;

/// Opens a task for the parcel unless one is open; returns the live event when it opened one.
pub async fn open(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    s: &shipment::Model,
    order_number: &str,
    code: &str,
    source: ExceptionSource,
    detail: String,
) -> AppResult<Option<QueueEvent>> {
    let task = exception_task::Model {
        id: Uuid::now_v7(),
        shipment_id: s.id,
        order_id: s.order_id,
        open_shipment_id: Some(s.id),
        code: code.to_string(),
        source,
        status: ExceptionTaskStatus::Open,
        detail: detail.clone(),
        outcome: None,
        resolution_note: None,
        refund_id: None,
        opened_at: Utc::now(),
        resolved_at: None,
        resolved_by_label: None,
    };
    let inserted = exception_task::Entity::insert(exception_task::ActiveModel {
        id: Set(task.id),
        shipment_id: Set(task.shipment_id),
        order_id: Set(task.order_id),
        open_shipment_id: Set(task.open_shipment_id),
        code: Set(task.code.clone()),
        source: Set(task.source),
        status: Set(task.status),
        detail: Set(task.detail.clone()),
        outcome: Set(None),
        resolution_note: Set(None),
        refund_id: Set(None),
        opened_at: Set(task.opened_at),
        resolved_at: Set(None),
        resolved_by_label: Set(None),
    })
    .on_conflict_do_nothing_on([exception_task::Column::OpenShipmentId])
    .exec(conn)
    .await?;
    if matches!(inserted, TryInsertResult::Conflicted) {
        return Ok(None);
    }
    timeline::record(
        conn,
        timeline::Entry {
            order_id: s.order_id,
            kind: EventKind::Exception,
            from: None,
            to: None,
            actor: ("SYSTEM", "system".into()),
            reason: Some(format!(
                "exception task opened for customer service: {detail}"
            )),
        },
    )
    .await?;
    let event = queue_event(&task, order_number, "OPENED");
    realtime.queues().stage(conn, &event).await?;
    Ok(Some(event))
}

/// Flags every parcel with the carrier past its service's SLA that was never flagged by this
/// check before; returns how many tasks it opened.
pub async fn flag_overdue(
    db: &DatabaseConnection,
    realtime: &Realtime,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let moving = shipment::Entity::find()
        .filter(shipment::Column::Status.is_in([
            ShipmentStatus::HandedOver,
            ShipmentStatus::InTransit,
            ShipmentStatus::OutForDelivery,
        ]))
        .filter(shipment::Column::CancelledAt.is_null())
        .filter(shipment::Column::HandedOverAt.is_not_null())
        .all(db)
        .await?;
    if moving.is_empty() {
        return Ok(0);
    }
    let flagged: HashSet<Uuid> = exception_task::Entity::find()
        .filter(exception_task::Column::Source.eq(ExceptionSource::SlaCheck))
        .filter(exception_task::Column::ShipmentId.is_in(moving.iter().map(|s| s.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.shipment_id)
        .collect();
    let carriers = carriers::all(db).await?;
    let mut opened = 0;
    for s in moving.into_iter().filter(|s| !flagged.contains(&s.id)) {
        let sla = carriers
            .iter()
            .find(|c| Some(&c.code) == s.carrier.as_ref())
            .and_then(|c| {
                c.services
                    .iter()
                    .find(|v| Some(&v.code) == s.service_code.as_ref())
            })
            .map(|v| v.sla_days);
        let (Some(sla_days), Some(handed)) = (sla, s.handed_over_at) else {
            continue;
        };
        if !overdue(s.status, handed, sla_days, now) {
            continue;
        }
        let hub = realtime.clone();
        let event = db
            .transaction::<_, _, crate::error::AppError>(|txn| {
                Box::pin(async move {
                    let number = order::Entity::find_by_id(s.order_id)
                        .one(txn)
                        .await?
                        .map(|o| o.number)
                        .unwrap_or_default();
                    let detail = format!(
                        "{} {}: {} {} days after hand-over, past the {sla_days}-day SLA",
                        s.carrier.clone().unwrap_or_default(),
                        s.tracking_number.clone().unwrap_or_default(),
                        s.status,
                        (now - handed).num_days()
                    );
                    open(
                        txn,
                        &hub,
                        &s,
                        &number,
                        "DELAYED",
                        ExceptionSource::SlaCheck,
                        detail,
                    )
                    .await
                })
            })
            .await?;
        if let Some(event) = event {
            realtime.queues().committed([event]);
            opened += 1;
        }
    }
    Ok(opened)
}
