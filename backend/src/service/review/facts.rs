//! Answers the risk engine's questions about history (`FactQuery`) with counts from the orders
//! table — each an indexed count (by address key, by phone, by e-mail, within a UUIDv7 id range),
//! all asked in one statement — and the blocklist from the shop's configuration.

use crate::db::entity::{blocklist_entry, order};
use crate::domain::review::{FactQuery, Facts};
use crate::error::AppResult;
use crate::service::orders::query::v7_floor;
use crate::service::orders::stored;
use chrono::{TimeDelta, Utc};
use orderly_shared::{BlocklistKind, OrderStatus};
use sea_orm::sea_query::{Expr, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};
use std::collections::HashMap;

/// The blocklist by kind and normalized value.
pub type Blocklist = HashMap<(BlocklistKind, String), blocklist_entry::Model>;

/// Counts what `queries` ask about `o`, in one statement; blocklist hits come from `blocklist`.
pub async fn gather(
    conn: &impl ConnectionTrait,
    o: &order::Model,
    queries: &[FactQuery],
    blocklist: &Blocklist,
) -> AppResult<Facts> {
    let mut facts = Facts::new();
    let since = |minutes: u32| v7_floor(Utc::now() - TimeDelta::minutes(i64::from(minutes)));
    let same_identity = || {
        Condition::any()
            .add(order::Column::AddressKey.eq(o.address_key.clone()))
            .add(order::Column::CustomerPhone.eq(o.customer_phone.clone()))
    };
    let counted = || order::Entity::find().select_only();
    let coupons = stored::coupon_codes(o);
    // Each count with where its answer goes: the query, and the coupon for per-coupon ones.
    let mut counts: Vec<(FactQuery, Option<&str>, SelectStatement)> = Vec::new();
    for query in queries {
        match *query {
            FactQuery::OrdersToAddress { window_minutes } => counts.push((
                *query,
                None,
                counted()
                    .expr(Expr::cust("count(*)"))
                    .filter(order::Column::AddressKey.eq(o.address_key.clone()))
                    .filter(order::Column::Id.gte(since(window_minutes)))
                    .into_query(),
            )),
            FactQuery::OrdersFromPhone { window_minutes } => counts.push((
                *query,
                None,
                counted()
                    .expr(Expr::cust("count(*)"))
                    .filter(order::Column::CustomerPhone.eq(o.customer_phone.clone()))
                    .filter(order::Column::Id.gte(since(window_minutes)))
                    .into_query(),
            )),
            FactQuery::CustomersSharingIdentityOnCoupon { window_days } => {
                for code in &coupons {
                    counts.push((
                        *query,
                        Some(code),
                        counted()
                            .expr(Expr::cust("count(DISTINCT customer_email)"))
                            .filter(same_identity())
                            .filter(order::Column::CouponCodes.contains(format!("\"{code}\"")))
                            .filter(order::Column::Id.gte(since(window_days * 24 * 60)))
                            .into_query(),
                    ));
                }
            }
            FactQuery::CouponUsesByIdentity { window_days } => {
                for code in &coupons {
                    counts.push((
                        *query,
                        Some(code),
                        counted()
                            .expr(Expr::cust("count(*)"))
                            .filter(same_identity())
                            .filter(order::Column::CouponCodes.contains(format!("\"{code}\"")))
                            .filter(order::Column::Id.gte(since(window_days * 24 * 60)))
                            .filter(
                                order::Column::Status
                                    .is_not_in([OrderStatus::Cancelled, OrderStatus::Expired]),
                            )
                            .into_query(),
                    ));
                }
            }
            FactQuery::EarlierOrdersOfCustomer => counts.push((
                *query,
                None,
                counted()
                    .expr(Expr::cust("count(*)"))
                    .filter(
                        Condition::any()
                            .add(order::Column::CustomerEmail.eq(o.customer_email.clone()))
                            .add(order::Column::CustomerPhone.eq(o.customer_phone.clone())),
                    )
                    .filter(order::Column::Id.lt(o.id))
                    .filter(order::Column::Status.ne(OrderStatus::Expired))
                    .into_query(),
            )),
            FactQuery::BlocklistHits => facts.blocklist_hits = blocklist_hits(blocklist, o),
        }
    }
    if counts.is_empty() {
        return Ok(facts);
    }
    let mut all = Query::select();
    for (_, _, count) in &counts {
        all.expr(Expr::SubQuery(None, Box::new(count.clone().into())));
    }
    let backend = conn.get_database_backend();
    let row = conn
        .query_one_raw(backend.build(&all))
        .await?
        .ok_or_else(|| crate::error::AppError::Internal("a count returned no row".into()))?;
    for (i, (query, coupon, _)) in counts.iter().enumerate() {
        let n = row.try_get_by_index::<i64>(i)?.max(0) as u64;
        match coupon {
            Some(code) => facts.set_for_coupon(*query, code, n),
            None => facts.set(*query, n),
        }
    }
    Ok(facts)
}

/// Sentences naming each blocklisted phone, e-mail or address of the order.
fn blocklist_hits(blocklist: &Blocklist, o: &order::Model) -> Vec<String> {
    let candidates = [
        (BlocklistKind::Phone, &o.customer_phone),
        (BlocklistKind::Phone, &o.ship_phone),
        (BlocklistKind::Email, &o.customer_email),
        (BlocklistKind::Address, &o.address_key),
    ];
    let mut hits: Vec<&blocklist_entry::Model> = Vec::new();
    for (kind, value) in candidates {
        if let Some(entry) = blocklist.get(&(kind, value.clone()))
            && !hits.iter().any(|h| h.id == entry.id)
        {
            hits.push(entry);
        }
    }
    hits.into_iter()
        .map(|r| {
            let what = match r.kind {
                BlocklistKind::Phone => "phone",
                BlocklistKind::Email => "e-mail",
                BlocklistKind::Address => "address",
            };
            format!("{what} {} is blocklisted: {}", r.label, r.reason)
        })
        .collect()
}
