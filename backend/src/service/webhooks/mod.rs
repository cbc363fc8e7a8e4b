//! Partners' outbound webhooks. Every live event (an order's status, a parcel's tracking, a
//! refund paid out, an after-sales case moving on) is staged inside the transaction that makes
//! the change (`realtime::Hub::stage`); there, this module writes one delivery row per
//! subscribed endpoint of the order's channel — so a committed change always has its deliveries,
//! and a rolled-back one has none. The delivery worker (`deliver`) posts them, signed like
//! API.md's inbound webhooks, and retries with backoff for 24 hours.
//!
//! Which endpoints exist is cached per process for a few seconds, so that the hot paths (order
//! intake) spend no statement on webhooks for channels that have none.

pub mod admin;
pub mod deliver;

use crate::db::entity::{
    after_sales_case, order, refund, shipment, webhook_delivery, webhook_endpoint,
};
use crate::error::{AppError, AppResult};
use crate::realtime::{OrderStatusEvent, QueueEvent, WarehouseEvent, WorkQueue};
use chrono::{DateTime, Utc};
use orderly_shared::{WebhookDeliveryStatus, WebhookEventType};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long this process trusts its list of endpoints: an endpoint registered on another
/// replica receives events from at most this long after it was created.
const FRESH_FOR: Duration = Duration::from_secs(5);

/// An active endpoint, as emission needs it.
#[derive(Debug, Clone)]
struct Endpoint {
    id: Uuid,
    channel_id: Uuid,
    events: Vec<WebhookEventType>,
}

/// This process's cached list of active endpoints.
#[derive(Default)]
pub struct WebhookDirectory {
    cached: Mutex<Option<(Instant, Arc<Vec<Endpoint>>)>>,
}

impl WebhookDirectory {
    async fn endpoints(&self, conn: &impl ConnectionTrait) -> AppResult<Arc<Vec<Endpoint>>> {
        if let Some((at, list)) = self.cached.lock().ok().and_then(|c| c.clone())
            && at.elapsed() < FRESH_FOR
        {
            return Ok(list);
        }
        let rows = webhook_endpoint::Entity::find()
            .filter(webhook_endpoint::Column::Active.eq(true))
            .all(conn)
            .await?;
        let list = Arc::new(
            rows.into_iter()
                .map(|e| Endpoint {
                    id: e.id,
                    channel_id: e.channel_id,
                    events: events_of(&e),
                })
                .collect::<Vec<_>>(),
        );
        if let Ok(mut c) = self.cached.lock() {
            *c = Some((Instant::now(), list.clone()));
        }
        Ok(list)
    }

    /// Forgets the list: this replica sees an endpoint change at once.
    pub fn invalidate(&self) {
        if let Ok(mut c) = self.cached.lock() {
            *c = None;
        }
    }
}

pub(crate) fn events_of(e: &webhook_endpoint::Model) -> Vec<WebhookEventType> {
    serde_json::from_str(&e.events).unwrap_or_default()
}

/// A live event that partners may hear about.
pub enum Source<'a> {
    Order(&'a OrderStatusEvent),
    Queue(&'a QueueEvent),
    Warehouse(&'a WarehouseEvent),
}

impl Source<'_> {
    fn event_type(&self) -> Option<WebhookEventType> {
        match self {
            Source::Order(_) => Some(WebhookEventType::OrderStatusChanged),
            Source::Queue(q) => match q.queue {
                WorkQueue::Refunds if q.kind == "EXECUTED" => {
                    Some(WebhookEventType::RefundExecuted)
                }
                WorkQueue::AfterSales => Some(WebhookEventType::AfterSalesCaseUpdated),
                _ => None,
            },
            Source::Warehouse(w) if w.kind == "TRACKING" && w.shipment_id.is_some() => {
                Some(WebhookEventType::ShipmentTrackingUpdated)
            }
            Source::Warehouse(_) => None,
        }
    }
}

/// Writes the deliveries of `source` for every endpoint subscribed to it, in the caller's
/// transaction. Nothing (and no statement) when no endpoint wants this kind of event.
pub async fn emit(
    conn: &impl ConnectionTrait,
    directory: &WebhookDirectory,
    source: Source<'_>,
) -> AppResult<()> {
    let Some(kind) = source.event_type() else {
        return Ok(());
    };
    let endpoints = directory.endpoints(conn).await?;
    let wanted = |channel: Option<Uuid>| -> Vec<&Endpoint> {
        endpoints
            .iter()
            .filter(|e| e.events.contains(&kind))
            .filter(|e| channel.is_none_or(|c| c == e.channel_id))
            .collect()
    };
    if wanted(None).is_empty() {
        return Ok(());
    }
    let Some((channel_id, at, data)) = describe(conn, &source).await? else {
        return Ok(());
    };
    let targets = wanted(Some(channel_id));
    if targets.is_empty() {
        return Ok(());
    }
    let event_id = Uuid::now_v7();
    let payload = json!({
        "id": event_id,
        "type": kind,
        "occurredAt": at,
        "data": data,
    })
    .to_string();
    let now = Utc::now();
    let rows = targets.iter().map(|e| webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        endpoint_id: Set(e.id),
        event_id: Set(event_id),
        event_type: Set(kind),
        payload: Set(payload.clone()),
        status: Set(WebhookDeliveryStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        claimed_until: Set(None),
        last_response_status: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        retry_from: Set(now),
        delivered_at: Set(None),
    });
    webhook_delivery::Entity::insert_many(rows)
        .exec(conn)
        .await?;
    Ok(())
}

/// The event's channel, time and `data` for the payload.
async fn describe(
    conn: &impl ConnectionTrait,
    source: &Source<'_>,
) -> AppResult<Option<(Uuid, DateTime<Utc>, Value)>> {
    Ok(match source {
        Source::Order(e) => Some((
            e.channel_id,
            e.at,
            json!({ "orderId": e.order_id, "orderNumber": e.number, "from": e.from, "to": e.to }),
        )),
        Source::Queue(q) if q.queue == WorkQueue::Refunds => {
            let Some(r) = refund::Entity::find_by_id(q.item_id).one(conn).await? else {
                return Ok(None);
            };
            let o = order_of(conn, r.order_id).await?;
            let currency =
                crate::domain::money::Currency::parse(&r.currency).map_err(AppError::internal)?;
            let amount = crate::domain::money::Money::from_minor(r.amount_minor, currency);
            Some((
                o.channel_id,
                q.at,
                json!({
                    "orderId": o.id, "orderNumber": o.number, "refundId": r.id,
                    "amount": amount.amount().to_string(), "currency": r.currency,
                    "payoutReference": r.payout_reference, "caseId": r.case_id,
                }),
            ))
        }
        Source::Queue(q) => {
            let Some(c) = after_sales_case::Entity::find_by_id(q.item_id)
                .one(conn)
                .await?
            else {
                return Ok(None);
            };
            Some((
                c.channel_id,
                q.at,
                json!({
                    "orderId": c.order_id, "orderNumber": q.order_number, "caseId": c.id,
                    "caseNumber": c.number, "status": c.status, "kind": c.kind, "reason": c.reason,
                }),
            ))
        }
        Source::Warehouse(w) => {
            let Some(id) = w.shipment_id else {
                return Ok(None);
            };
            let Some(s) = shipment::Entity::find_by_id(id).one(conn).await? else {
                return Ok(None);
            };
            let o = order_of(conn, s.order_id).await?;
            Some((
                o.channel_id,
                w.at,
                json!({
                    "orderId": o.id, "orderNumber": o.number, "shipmentId": s.id,
                    "carrier": s.carrier, "trackingNumber": s.tracking_number, "status": s.status,
                    "exceptionCode": s.exception_code,
                }),
            ))
        }
    })
}

async fn order_of(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<order::Model> {
    order::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("webhook event without its order".into()))
}
