//! The dashboard's figures, computed from the rollups: volume, what waits now, holds by
//! reason and carrier quality (lead times are in `lead_times`).

use super::filter::Filter;
use super::quality;
use super::rollup::parse_codes;
use crate::db::entity::{channel, order_fact, warehouse};
use crate::domain::analytics::volume::{self, Volume};
use crate::error::AppResult;
use crate::service::page::{Page, PageRequest};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use orderly_shared::{Granularity, HoldReasonCode, Stage};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Postgres sums bigints as numeric; both databases read the cast back as an i64.
const BIGINT: &str = "bigint";

/// Orders and their value per period, channel and currency.
pub async fn volume(
    conn: &impl ConnectionTrait,
    f: &Filter,
    granularity: Granularity,
) -> AppResult<Vec<Volume>> {
    let rows: Vec<(String, Uuid, String, i64, i64)> = f
        .placed(order_fact::Entity::find())
        .select_only()
        .column(order_fact::Column::PlacedDay)
        .column(order_fact::Column::ChannelId)
        .column(order_fact::Column::Currency)
        .column_as(Expr::col(order_fact::Column::OrderId).count(), "orders")
        .column_as(
            Expr::col(order_fact::Column::TotalMinor)
                .sum()
                .cast_as(BIGINT),
            "value",
        )
        .group_by(order_fact::Column::PlacedDay)
        .group_by(order_fact::Column::ChannelId)
        .group_by(order_fact::Column::Currency)
        .into_tuple()
        .all(conn)
        .await?;
    let channels = channel_codes(conn).await?;
    let daily = rows
        .into_iter()
        .filter_map(|(day, channel, currency, orders, value_minor)| {
            Some(Volume {
                period: NaiveDate::parse_from_str(&day, "%Y-%m-%d").ok()?,
                channel: channels.get(&channel).cloned().unwrap_or_default(),
                currency,
                orders,
                value_minor,
            })
        })
        .collect();
    Ok(volume::bucket(daily, granularity))
}

/// How many orders wait in a stage now, and since when the longest-waiting one has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub stage: Stage,
    pub orders: i64,
    pub oldest_since: DateTime<Utc>,
}

/// The orders waiting in each stage now (the window does not apply: this is the present).
pub async fn waiting(conn: &impl ConnectionTrait, f: &Filter) -> AppResult<Vec<Waiting>> {
    let rows: Vec<(Stage, i64, DateTime<Utc>)> = f
        .dimensions(order_fact::Entity::find())
        .select_only()
        .column(order_fact::Column::Stage)
        .column_as(Expr::col(order_fact::Column::OrderId).count(), "orders")
        .column_as(Expr::col(order_fact::Column::StageSince).min(), "oldest")
        .filter(order_fact::Column::Stage.is_not_null())
        .group_by(order_fact::Column::Stage)
        .into_tuple()
        .all(conn)
        .await?;
    let mut waiting: Vec<Waiting> = rows
        .into_iter()
        .map(|(stage, orders, oldest_since)| Waiting {
            stage,
            orders,
            oldest_since,
        })
        .collect();
    waiting.sort_by_key(|w| w.stage.index());
    Ok(waiting)
}

/// Orders waiting in `stage` (any stage when None) since before `now - older_than`, longest
/// waiting first.
pub async fn stuck(
    conn: &impl ConnectionTrait,
    f: &Filter,
    stage: Option<Stage>,
    older_than: Duration,
    now: DateTime<Utc>,
    page: PageRequest,
) -> AppResult<Page<order_fact::Model>> {
    let mut q = f
        .dimensions(order_fact::Entity::find())
        .filter(order_fact::Column::StageSince.lt(now - older_than))
        .order_by_asc(order_fact::Column::StageSince)
        .order_by_asc(order_fact::Column::OrderId);
    q = match stage {
        Some(s) => q.filter(order_fact::Column::Stage.eq(s)),
        None => q.filter(order_fact::Column::Stage.is_not_null()),
    };
    if let Some(after) = page.after
        && let Some(cursor) = order_fact::Entity::find_by_id(after).one(conn).await?
        && let Some(since) = cursor.stage_since
    {
        q = q.filter(order_fact::Column::StageSince.gte(since)).filter(
            Condition::any()
                .add(order_fact::Column::StageSince.gt(since))
                .add(
                    Condition::all()
                        .add(order_fact::Column::StageSince.eq(since))
                        .add(order_fact::Column::OrderId.gt(after)),
                ),
        );
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// How often orders placed in the window were held, and for which reasons.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Holds {
    pub orders: i64,
    pub held: i64,
    /// Orders held for each reason (an order held for two reasons counts for both), most first.
    pub by_reason: Vec<(HoldReasonCode, i64)>,
}

pub async fn holds(conn: &impl ConnectionTrait, f: &Filter) -> AppResult<Holds> {
    let orders = f.placed(order_fact::Entity::find()).count(conn).await? as i64;
    let held: Vec<String> = f
        .placed(order_fact::Entity::find())
        .select_only()
        .column(order_fact::Column::HoldCodes)
        .filter(order_fact::Column::Holds.gt(0))
        .into_tuple()
        .all(conn)
        .await?;
    let mut counts: BTreeMap<HoldReasonCode, i64> = BTreeMap::new();
    for codes in &held {
        for c in parse_codes(Some(codes)) {
            *counts.entry(c).or_default() += 1;
        }
    }
    let mut by_reason: Vec<_> = counts.into_iter().collect();
    by_reason.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(Holds {
        orders,
        held: held.len() as i64,
        by_reason,
    })
}

/// One carrier's record with the orders placed in the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierQuality {
    pub carrier: String,
    pub shipped: i64,
    pub delivered: i64,
    /// Shipped orders that had at least one delivery exception.
    pub with_exceptions: i64,
    /// Shipped orders whose parcel the SLA check found late.
    pub sla_breached: i64,
    /// Shipped orders the customer came back about (an after-sales case).
    pub returned: i64,
}

pub async fn carriers(conn: &impl ConnectionTrait, f: &Filter) -> AppResult<Vec<CarrierQuality>> {
    use order_fact::Column as C;
    // One pass over the window's shipped orders; the late and returned ones are looked up in
    // the (much smaller) sets of SLA tasks and after-sales cases.
    let orders_in = |set| {
        Expr::case(Expr::col(C::OrderId).in_subquery(set), 1)
            .finally(0)
            .sum()
            .cast_as(BIGINT)
    };
    let rows: Vec<(String, i64, i64, i64, i64, i64)> = f
        .placed(order_fact::Entity::find())
        .select_only()
        .column(C::Carrier)
        .column_as(Expr::col(C::ShippedAt).count(), "shipped")
        .column_as(Expr::col(C::DeliveredAt).count(), "delivered")
        .column_as(
            Expr::case(C::Exceptions.gt(0), 1)
                .finally(0)
                .sum()
                .cast_as(BIGINT),
            "with_exceptions",
        )
        .column_as(orders_in(quality::sla_breached()), "sla_breached")
        .column_as(orders_in(quality::came_back()), "returned")
        .filter(C::Carrier.is_not_null())
        .filter(C::ShippedAt.is_not_null())
        .group_by(C::Carrier)
        .order_by_asc(C::Carrier)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(carrier, shipped, delivered, with_exceptions, sla_breached, returned)| {
                CarrierQuality {
                    carrier,
                    shipped,
                    delivered,
                    with_exceptions,
                    sla_breached,
                    returned,
                }
            },
        )
        .collect())
}

async fn channel_codes(conn: &impl ConnectionTrait) -> AppResult<HashMap<Uuid, String>> {
    Ok(channel::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c.code))
        .collect())
}

pub async fn warehouse_codes(conn: &impl ConnectionTrait) -> AppResult<HashMap<Uuid, String>> {
    Ok(warehouse::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|w| (w.id, w.code))
        .collect())
}

/// One keyset page of the rollups of orders placed in the window, in placement order, for the
/// export: rows after `(placed_at, order_id)`.
pub async fn facts_page(
    conn: &impl ConnectionTrait,
    f: &Filter,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> AppResult<Vec<order_fact::Model>> {
    let mut q = f
        .placed(order_fact::Entity::find())
        .order_by_asc(order_fact::Column::PlacedAt)
        .order_by_asc(order_fact::Column::OrderId);
    if let Some((at, id)) = after {
        // The redundant bound lets the database start the index range at the cursor.
        q = q.filter(order_fact::Column::PlacedAt.gte(at)).filter(
            Condition::any()
                .add(order_fact::Column::PlacedAt.gt(at))
                .add(
                    Condition::all()
                        .add(order_fact::Column::PlacedAt.eq(at))
                        .add(order_fact::Column::OrderId.gt(id)),
                ),
        );
    }
    Ok(q.limit(limit).all(conn).await?)
}

/// Order numbers by id, in one query.
pub async fn order_numbers(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String)> = crate::db::entity::order::Entity::find()
        .select_only()
        .column(crate::db::entity::order::Column::Id)
        .column(crate::db::entity::order::Column::Number)
        .filter(crate::db::entity::order::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

pub async fn channel_names(conn: &impl ConnectionTrait) -> AppResult<HashMap<Uuid, String>> {
    channel_codes(conn).await
}
