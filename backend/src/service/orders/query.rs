//! Reading orders: one by id or number, and the filtered, keyset-paged list.
//!
//! Ids are UUIDv7, so "newest first" is "highest id first", and a creation-time range is an id
//! range: every list query is an index range scan, whatever the page.

use super::OrderScope;
use crate::db::entity::{channel, order};
use crate::error::AppResult;
use crate::service::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use orderly_shared::{OrderStatus, PaymentStatus};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

/// All optional, combined with AND (API.md `OrderFilter`).
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub statuses: Vec<OrderStatus>,
    pub payment_statuses: Vec<PaymentStatus>,
    pub channel: Option<String>,
    pub created_after: Option<DateTime<Utc>>,
    pub created_before: Option<DateTime<Utc>>,
    /// An order number, an e-mail, a phone number (or its last digits), or part of a name.
    pub search: Option<String>,
}

pub async fn by_id(
    db: &DatabaseConnection,
    scope: OrderScope,
    id: Uuid,
) -> AppResult<Option<order::Model>> {
    let found = order::Entity::find_by_id(id).one(db).await?;
    Ok(found.filter(|o| scope.admits(o.channel_id)))
}

pub async fn by_number(
    db: &DatabaseConnection,
    scope: OrderScope,
    number: &str,
) -> AppResult<Option<order::Model>> {
    let found = order::Entity::find()
        .filter(order::Column::Number.eq(number.trim().to_uppercase()))
        .one(db)
        .await?;
    Ok(found.filter(|o| scope.admits(o.channel_id)))
}

/// Newest first.
pub async fn list(
    db: &DatabaseConnection,
    scope: OrderScope,
    filter: &OrderFilter,
    page: PageRequest,
) -> AppResult<Page<order::Model>> {
    let mut cond = Condition::all();
    if let OrderScope::Channel(own) = scope {
        cond = cond.add(order::Column::ChannelId.eq(own));
    }
    if let Some(code) = &filter.channel {
        let channel = channel::Entity::find()
            .filter(channel::Column::Code.eq(code.trim().to_lowercase()))
            .one(db)
            .await?;
        match channel {
            Some(c) => cond = cond.add(order::Column::ChannelId.eq(c.id)),
            None => {
                return Ok(Page {
                    items: vec![],
                    has_next: false,
                });
            }
        }
    }
    if !filter.statuses.is_empty() {
        cond = cond.add(order::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    if !filter.payment_statuses.is_empty() {
        cond =
            cond.add(order::Column::PaymentStatus.is_in(filter.payment_statuses.iter().copied()));
    }
    if let Some(after) = filter.created_after {
        cond = cond.add(order::Column::Id.gte(v7_floor(after)));
    }
    if let Some(before) = filter.created_before {
        cond = cond.add(order::Column::Id.lt(v7_floor(before)));
    }
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        cond = cond.add(search_condition(search));
    }
    if let Some(after) = page.after {
        cond = cond.add(order::Column::Id.lt(after));
    }
    let rows = order::Entity::find()
        .filter(cond)
        .order_by_desc(order::Column::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Chooses the column by the shape of the text, so each search can use an index.
fn search_condition(search: &str) -> Condition {
    let digits: String = search.chars().filter(|c| c.is_ascii_digit()).collect();
    let phone_like = !digits.is_empty()
        && search
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c));
    if search.contains('@') {
        Condition::all().add(order::Column::CustomerEmail.eq(search.to_lowercase()))
    } else if phone_like {
        Condition::all().add(order::Column::CustomerPhone.ends_with(&digits))
    } else if search.to_uppercase().starts_with("OR") && search.len() >= 8 {
        Condition::any()
            .add(order::Column::Number.eq(search.to_uppercase()))
            .add(order::Column::CustomerName.contains(search))
    } else {
        Condition::all().add(order::Column::CustomerName.contains(search))
    }
}

/// The smallest UUIDv7 of the millisecond `t`: ids at or after `t` are ≥ it.
pub fn v7_floor(t: DateTime<Utc>) -> Uuid {
    let ms = t.timestamp_millis().max(0) as u64;
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    bytes[6] = 0x70; // version 7
    bytes[8] = 0x80; // RFC 4122 variant
    Uuid::from_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn the_v7_floor_orders_ids_by_their_creation_millisecond() {
        let t = Utc::now();
        let id = Uuid::now_v7();
        assert!(v7_floor(t - TimeDelta::milliseconds(1)) <= id);
        assert!(v7_floor(t + TimeDelta::milliseconds(5)) > id);
        assert_eq!(v7_floor(t).get_version_num(), 7);
    }
}
