//! Which orders a dashboard figure covers: those placed in a time window, optionally on one
//! channel, at some warehouses (warehouse staff: only theirs) and with one carrier.

use crate::db::entity::{channel, order_fact};
use crate::domain::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::service::stock::scope;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

/// The longest window one query may cover.
pub const MAX_DAYS: i64 = 400;
/// The window when none is given.
pub const DEFAULT_DAYS: i64 = 30;

/// What the caller asked for, before it is checked.
#[derive(Debug, Default, Clone)]
pub struct Requested {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub channel: Option<String>,
    pub warehouse_id: Option<Uuid>,
    pub carrier: Option<String>,
}

/// A checked filter: `from` inclusive, `to` exclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub channel_id: Option<Uuid>,
    /// None: every warehouse.
    pub warehouses: Option<Vec<Uuid>>,
    pub carrier: Option<String>,
}

impl Requested {
    /// Checks the window and resolves the channel and the warehouses the actor may see.
    pub async fn resolve(
        self,
        conn: &impl ConnectionTrait,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> AppResult<Filter> {
        let to = self.to.unwrap_or(now);
        let from = self.from.unwrap_or(to - Duration::days(DEFAULT_DAYS));
        if to <= from {
            return Err(AppError::invalid(
                "filter.to",
                "INVALID_RANGE",
                "must be after filter.from",
            ));
        }
        if to - from > Duration::days(MAX_DAYS) {
            return Err(AppError::invalid(
                "filter.from",
                "INVALID_RANGE",
                format!("the window may span at most {MAX_DAYS} days"),
            ));
        }
        let channel_id = match self
            .channel
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            None => None,
            Some(code) => Some(
                channel::Entity::find()
                    .filter(channel::Column::Code.eq(code))
                    .one(conn)
                    .await?
                    .ok_or_else(|| {
                        AppError::invalid(
                            "filter.channel",
                            "UNKNOWN_CHANNEL",
                            format!("no channel {code}"),
                        )
                    })?
                    .id,
            ),
        };
        Ok(Filter {
            from,
            to,
            channel_id,
            warehouses: scope::restrict(conn, actor, self.warehouse_id).await?,
            carrier: self
                .carrier
                .map(|c| c.trim().to_uppercase())
                .filter(|c| !c.is_empty()),
        })
    }
}

impl Filter {
    /// The window of the same length just before this one (for trends).
    pub fn previous(&self) -> Filter {
        Filter {
            from: self.from - (self.to - self.from),
            to: self.from,
            ..self.clone()
        }
    }

    /// Rollups of orders placed in the window, matching the dimensions.
    pub fn placed(&self, q: Select<order_fact::Entity>) -> Select<order_fact::Entity> {
        self.dimensions(q)
            .filter(order_fact::Column::PlacedAt.gte(self.from))
            .filter(order_fact::Column::PlacedAt.lt(self.to))
    }

    /// The ids of the orders placed in the window matching the dimensions, as a subquery.
    pub fn order_ids(&self) -> SelectStatement {
        self.placed(order_fact::Entity::find())
            .select_only()
            .column(order_fact::Column::OrderId)
            .into_query()
    }

    /// Rollups matching the channel, warehouse and carrier, whenever placed.
    pub fn dimensions(&self, mut q: Select<order_fact::Entity>) -> Select<order_fact::Entity> {
        if let Some(c) = self.channel_id {
            q = q.filter(order_fact::Column::ChannelId.eq(c));
        }
        if let Some(w) = &self.warehouses {
            q = q.filter(order_fact::Column::WarehouseId.is_in(w.iter().copied()));
        }
        if let Some(c) = &self.carrier {
            q = q.filter(order_fact::Column::Carrier.eq(c.as_str()));
        }
        q
    }
}
