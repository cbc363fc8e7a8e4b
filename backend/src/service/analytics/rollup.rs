//! Keeping each order's analytics rollup current as its events are written, in the same
//! transaction (so a figure never counts an event that rolled back, nor misses one that landed).

use crate::db::entity::{order, order_event, order_fact, shipment, shipment_event};
use crate::domain::analytics::{Facts, Happening};
use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use orderly_shared::{HoldReasonCode, OrderStatus, ShipmentStatus, Stage};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

/// An order was written: its rollup starts at its placement.
pub async fn opened(conn: &impl ConnectionTrait, o: &order::Model) -> AppResult<()> {
    let facts = Facts::placed(o.created_at, o.status);
    order_fact::Entity::insert(row(o, &facts))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The order's status changed (the timeline entry is written beside it, at the same `at`).
pub async fn order_moved(
    conn: &impl ConnectionTrait,
    order_id: Uuid,
    at: DateTime<Utc>,
    to: OrderStatus,
    codes: &[HoldReasonCode],
) -> AppResult<()> {
    fold(conn, order_id, &Happening::Order { at, to, codes }).await
}

/// A shipment's status changed: recorded as a shipment event and folded into its order's rollup.
pub async fn shipment_moved(
    conn: &impl ConnectionTrait,
    before: ShipmentStatus,
    after: &shipment::Model,
) -> AppResult<()> {
    let at = after.updated_at;
    shipment_event::Entity::insert(shipment_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        shipment_id: Set(after.id),
        order_id: Set(after.order_id),
        warehouse_id: Set(after.warehouse_id),
        carrier: Set(after.carrier.clone()),
        at: Set(at),
        from_status: Set(Some(before)),
        to_status: Set(after.status),
    })
    .exec_without_returning(conn)
    .await?;
    let happening = Happening::Shipment {
        at,
        to: after.status,
        warehouse_id: after.warehouse_id,
        carrier: after.carrier.as_deref(),
    };
    fold(conn, after.order_id, &happening).await
}

async fn fold(
    conn: &impl ConnectionTrait,
    order_id: Uuid,
    happening: &Happening<'_>,
) -> AppResult<()> {
    let stored = order_fact::Entity::find_by_id(order_id)
        .lock_exclusive()
        .one(conn)
        .await?;
    let Some(stored) = stored else {
        // An order written before analytics existed: fold its whole history (which includes
        // this event, written just before) instead of starting from the middle.
        return Box::pin(recompute_one(conn, order_id)).await;
    };
    let mut facts = facts_of(&stored)?;
    let before = facts.clone();
    facts.apply(happening);
    if facts != before {
        order_fact::Entity::update(update(&stored, &facts))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Rebuilds one order's rollup from its events.
async fn recompute_one(conn: &impl ConnectionTrait, order_id: Uuid) -> AppResult<()> {
    let Some(o) = order::Entity::find_by_id(order_id).one(conn).await? else {
        return Err(AppError::NotFound(format!("no order {order_id}")));
    };
    let facts = super::rebuild::fold_orders(conn, std::slice::from_ref(&o))
        .await?
        .remove(&o.id)
        .unwrap_or_else(|| Facts::placed(o.created_at, o.status));
    order_fact::Entity::insert(row(&o, &facts))
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The hold reasons of a timeline entry, as stored on it.
pub fn codes_json(codes: &[HoldReasonCode]) -> Option<String> {
    (!codes.is_empty()).then(|| {
        serde_json::to_string(&codes.iter().map(|c| c.as_str()).collect::<Vec<_>>())
            .unwrap_or_else(|_| "[]".into())
    })
}

pub fn parse_codes(json: Option<&str>) -> Vec<HoldReasonCode> {
    json.and_then(|j| serde_json::from_str::<Vec<String>>(j).ok())
        .unwrap_or_default()
        .iter()
        .filter_map(|c| HoldReasonCode::parse(c))
        .collect()
}

/// The facts a stored rollup row holds.
pub fn facts_of(r: &order_fact::Model) -> AppResult<Facts> {
    Ok(Facts {
        placed_at: r.placed_at,
        milestones: [
            r.paid_at,
            r.approved_at,
            r.allocated_at,
            r.picked_at,
            r.packed_at,
            r.shipped_at,
            r.delivered_at,
            r.completed_at,
        ],
        ended_at: r.ended_at,
        status: r.status,
        status_at: r.status_at,
        holds: r.holds,
        hold_codes: parse_codes(Some(&r.hold_codes)),
        exceptions: r.exceptions,
        warehouse_id: r.warehouse_id,
        carrier: r.carrier.clone(),
    })
}

/// A new rollup row for `o` holding `facts`.
pub fn row(o: &order::Model, facts: &Facts) -> order_fact::ActiveModel {
    let mut r = order_fact::ActiveModel {
        order_id: Set(o.id),
        channel_id: Set(o.channel_id),
        currency: Set(o.currency.clone()),
        total_minor: Set(o.total_minor),
        placed_at: Set(facts.placed_at),
        placed_day: Set(facts.placed_at.format("%Y-%m-%d").to_string()),
        ..Default::default()
    };
    set_facts(&mut r, facts);
    r
}

fn update(stored: &order_fact::Model, facts: &Facts) -> order_fact::ActiveModel {
    let mut r = order_fact::ActiveModel {
        order_id: sea_orm::ActiveValue::Unchanged(stored.order_id),
        ..Default::default()
    };
    set_facts(&mut r, facts);
    r
}

fn set_facts(r: &mut order_fact::ActiveModel, f: &Facts) {
    let m = |s: Stage| f.reached(s);
    r.paid_at = Set(m(Stage::Payment));
    r.approved_at = Set(m(Stage::Review));
    r.allocated_at = Set(m(Stage::Allocation));
    r.picked_at = Set(m(Stage::Picking));
    r.packed_at = Set(m(Stage::Packing));
    r.shipped_at = Set(m(Stage::Shipping));
    r.delivered_at = Set(m(Stage::Delivery));
    r.completed_at = Set(m(Stage::Completion));
    r.ended_at = Set(f.ended_at);
    r.status = Set(f.status);
    r.status_at = Set(f.status_at);
    let waiting = f.waiting();
    r.stage = Set(waiting.map(|w| w.0));
    r.stage_since = Set(waiting.map(|w| w.1));
    r.holds = Set(f.holds);
    r.hold_codes = Set(codes_json(&f.hold_codes).unwrap_or_else(|| "[]".into()));
    r.exceptions = Set(f.exceptions);
    r.warehouse_id = Set(f.warehouse_id);
    r.carrier = Set(f.carrier.clone());
    let took = durations(f);
    r.payment_seconds = Set(took[0]);
    r.review_seconds = Set(took[1]);
    r.allocation_seconds = Set(took[2]);
    r.picking_seconds = Set(took[3]);
    r.packing_seconds = Set(took[4]);
    r.shipping_seconds = Set(took[5]);
    r.delivery_seconds = Set(took[6]);
    r.completion_seconds = Set(took[7]);
}

/// How long each stage took, in whole seconds, by [`Stage::index`]: what the rollup stores
/// beside the milestones, so lead times read integers.
pub fn durations(f: &Facts) -> [Option<i64>; 8] {
    let mut took = [None; 8];
    for stage in Stage::ALL {
        took[stage.index()] = f.duration(*stage).map(|d| d.num_seconds());
    }
    took
}

/// The orders' status-change entries (placement included) and shipment events, oldest first.
pub async fn history(
    conn: &impl ConnectionTrait,
    order_ids: &[Uuid],
) -> AppResult<(Vec<order_event::Model>, Vec<shipment_event::Model>)> {
    let events = order_event::Entity::find()
        .filter(order_event::Column::OrderId.is_in(order_ids.iter().copied()))
        .filter(
            order_event::Column::Kind
                .eq(crate::service::orders::timeline::EventKind::StatusChanged.as_str()),
        )
        .order_by_asc(order_event::Column::At)
        .order_by_asc(order_event::Column::Id)
        .all(conn)
        .await?;
    let parcels = shipment_event::Entity::find()
        .filter(shipment_event::Column::OrderId.is_in(order_ids.iter().copied()))
        .order_by_asc(shipment_event::Column::At)
        .order_by_asc(shipment_event::Column::Id)
        .all(conn)
        .await?;
    Ok((events, parcels))
}
