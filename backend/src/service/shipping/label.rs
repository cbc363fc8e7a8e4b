//! Labels: a packed shipment gets its carrier (the cheapest that covers the destination, meets
//! the promised delivery and takes the weight and the COD — or the operator's choice, checked by
//! the same hard rules), is booked with the carrier's adapter for a tracking number, and becomes
//! LABELLED. The label PDF is rendered from what is stored.

use super::{carriers, facts, status};
use crate::carrier::{BookingRequest, CarrierAdapter};
use crate::db::entity::{order, shipment, warehouse};
use crate::domain::auth::Actor;
use crate::domain::shipping::{
    CandidateTrace, ParcelFacts, ShipmentCommand, override_choice, select,
};
use crate::error::{AppError, AppResult};
use crate::jobs::outbox;
use crate::realtime::WarehouseLive;
use crate::service::orders::stored;
use crate::service::orders::timeline::{self, EventKind, actor_of};
use crate::service::picking::stage_event;
use chrono::Utc;
use orderly_shared::ShipmentStatus;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use uuid::Uuid;

/// The outbox topic of an invoice the customer wanted sent separately.
pub const INVOICE_SEPARATE: &str = "notify.invoice";

/// The carrier decision for a packed shipment, with every candidate's reason.
#[derive(Debug, Clone)]
pub struct CarrierOptions {
    pub facts: ParcelFacts,
    pub chosen: Option<(String, String)>,
    pub trace: Vec<CandidateTrace>,
    /// Why nothing can take it, when nothing can.
    pub problem: Option<String>,
}

struct Parcel {
    shipment: shipment::Model,
    order: order::Model,
    facts: ParcelFacts,
}

async fn parcel(conn: &impl ConnectionTrait, shipment_id: Uuid) -> AppResult<Parcel> {
    let s = shipment::Entity::find_by_id(shipment_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such shipment.".into()))?;
    if s.status != ShipmentStatus::Packed || s.cancelled_at.is_some() {
        return Err(AppError::InvalidTransition(format!(
            "a shipment that is {} gets no label (it must be PACKED)",
            s.status
        )));
    }
    let o = order::Entity::find_by_id(s.order_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("shipment without its order".into()))?;
    let wh = warehouse::Entity::find_by_id(s.warehouse_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("shipment without its warehouse".into()))?;
    let first = facts::first_shipment_id(conn, &s).await?;
    let cod = facts::cod_amount(&o, &s, first)?;
    let weight = s.packed_weight_g.unwrap_or(0).max(1) as u32;
    let facts = facts::parcel_facts(&o, &wh, weight, cod, Utc::now())?;
    Ok(Parcel {
        shipment: s,
        order: o,
        facts,
    })
}

/// What carrier selection says for the packed shipment.
pub async fn options(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    shipment_id: Uuid,
) -> AppResult<CarrierOptions> {
    let p = parcel(conn, shipment_id).await?;
    crate::service::stock::scope::check(conn, actor, p.shipment.warehouse_id).await?;
    let all = carriers::all(conn).await?;
    Ok(match select(&all, &p.facts) {
        Ok(choice) => CarrierOptions {
            facts: p.facts,
            chosen: Some((choice.carrier_code, choice.service_code)),
            trace: choice.trace,
            problem: None,
        },
        Err(none) => CarrierOptions {
            facts: p.facts,
            chosen: None,
            problem: Some(none.to_string()),
            trace: none.trace,
        },
    })
}

/// Chooses the carrier (or checks the operator's), books the parcel and labels the shipment.
pub async fn create(
    db: &DatabaseConnection,
    adapter: &dyn CarrierAdapter,
    live: &WarehouseLive,
    actor: &Actor,
    shipment_id: Uuid,
    carrier: Option<(String, String)>,
) -> AppResult<shipment::Model> {
    let p = parcel(db, shipment_id).await?;
    crate::service::stock::scope::check(db, actor, p.shipment.warehouse_id).await?;
    let all = carriers::all(db).await?;
    let (carrier_code, service_code, price, warnings) = match carrier {
        Some((carrier_code, service_code)) => {
            let o = override_choice(&all, &p.facts, &carrier_code, &service_code)
                .map_err(|e| AppError::invalid("carrierCode", "CARRIER_REFUSED", e.to_string()))?;
            let warnings: Vec<String> = o.warnings.iter().map(|w| w.to_string()).collect();
            (o.carrier_code, o.service_code, o.price, warnings)
        }
        None => {
            let c = select(&all, &p.facts)
                .map_err(|e| AppError::invalid("carrierCode", "NO_CARRIER", e.to_string()))?;
            (c.carrier_code, c.service_code, c.price, Vec::new())
        }
    };
    let o = &p.order;
    let booking = adapter
        .book(&BookingRequest {
            carrier_code: carrier_code.clone(),
            service_code: service_code.clone(),
            order_number: o.number.clone(),
            recipient: o.ship_recipient.clone(),
            phone: o.ship_phone.clone(),
            country: o.ship_country.clone(),
            postal_code: o.ship_postal_code.clone(),
            weight_g: p.facts.weight_g,
            cod: p.facts.cod,
        })
        .await
        .map_err(|e| AppError::Conflict(format!("carrier {carrier_code}: {e}")))?;
    let actor = actor.clone();
    let tracking = booking.tracking_number.clone();
    let invoice_separate = stored::special_requests(o)
        .invoice
        .is_some_and(|i| i.delivery == crate::domain::orders::InvoiceDelivery::Separate);
    let shipment = p.shipment.clone();
    let order_id = o.id;
    let result = db
        .transaction::<_, _, AppError>(|txn| {
            let live = live.clone();
            let (carrier_code, service_code) = (carrier_code.clone(), service_code.clone());
            Box::pin(async move {
                let labelled = status::apply(txn, &shipment, &ShipmentCommand::Label).await?;
                let labelled = shipment::Entity::update_many()
                    .col_expr(shipment::Column::Carrier, Expr::value(carrier_code.clone()))
                    .col_expr(shipment::Column::ServiceCode, Expr::value(service_code.clone()))
                    .col_expr(shipment::Column::TrackingNumber, Expr::value(tracking.clone()))
                    .col_expr(
                        shipment::Column::ShippingCostMinor,
                        Expr::value(price.to_minor().map_err(AppError::internal)?),
                    )
                    .filter(shipment::Column::Id.eq(labelled.id))
                    .exec_with_returning(txn)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| AppError::Internal("labelled shipment vanished".into()))?;
                let (actor_kind, actor_label) = actor_of(&actor);
                let warning = if warnings.is_empty() {
                    String::new()
                } else {
                    format!(" (chosen despite: {})", warnings.join("; "))
                };
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id,
                        kind: EventKind::Fulfilment,
                        from: None,
                        to: None,
                        actor: (actor_kind, actor_label),
                        reason: Some(format!(
                            "labelled for {carrier_code} {service_code}, tracking {tracking}, {price}{warning}"
                        )),
                    },
                )
                .await?;
                if invoice_separate {
                    outbox::enqueue(
                        txn,
                        INVOICE_SEPARATE,
                        order_id,
                        &serde_json::json!({ "orderId": order_id, "shipmentId": labelled.id }),
                    )
                    .await?;
                }
                let event = stage_event(
                    txn,
                    &live,
                    labelled.warehouse_id,
                    labelled.wave_id,
                    Some(labelled.id),
                    "LABELLED",
                )
                .await?;
                Ok((labelled, event))
            })
        })
        .await;
    match result {
        Ok((labelled, event)) => {
            live.committed([event]);
            Ok(labelled)
        }
        Err(err) => {
            // Nobody else will use this booking: give it back to the carrier.
            if let Err(cancel) = adapter.cancel(&booking.tracking_number).await {
                tracing::warn!(error = %cancel, tracking = %booking.tracking_number, "could not cancel an unused booking");
            }
            Err(err.into())
        }
    }
}
