//! Answers the risk engine's questions about history (`FactQuery`) with counts from the orders
//! table, each one indexed query: by address key, by phone, by e-mail, within a UUIDv7 id range.

use crate::db::entity::{blocklist_entry, order};
use crate::domain::review::{FactQuery, Facts};
use crate::error::AppResult;
use crate::service::orders::query::v7_floor;
use crate::service::orders::stored;
use chrono::{TimeDelta, Utc};
use orderly_shared::{BlocklistKind, OrderStatus};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use std::collections::HashSet;

/// Counts what `queries` ask about `o`.
pub async fn gather(
    conn: &impl ConnectionTrait,
    o: &order::Model,
    queries: &[FactQuery],
) -> AppResult<Facts> {
    let mut facts = Facts::new();
    let since = |minutes: u32| v7_floor(Utc::now() - TimeDelta::minutes(i64::from(minutes)));
    let same_identity = || {
        Condition::any()
            .add(order::Column::AddressKey.eq(o.address_key.clone()))
            .add(order::Column::CustomerPhone.eq(o.customer_phone.clone()))
    };
    let coupons = stored::coupon_codes(o);
    for query in queries {
        match *query {
            FactQuery::OrdersToAddress { window_minutes } => {
                let n = order::Entity::find()
                    .filter(order::Column::AddressKey.eq(o.address_key.clone()))
                    .filter(order::Column::Id.gte(since(window_minutes)))
                    .count(conn)
                    .await?;
                facts.set(*query, n);
            }
            FactQuery::OrdersFromPhone { window_minutes } => {
                let n = order::Entity::find()
                    .filter(order::Column::CustomerPhone.eq(o.customer_phone.clone()))
                    .filter(order::Column::Id.gte(since(window_minutes)))
                    .count(conn)
                    .await?;
                facts.set(*query, n);
            }
            FactQuery::CustomersSharingIdentityOnCoupon { window_days } => {
                for code in &coupons {
                    let emails: Vec<String> = order::Entity::find()
                        .select_only()
                        .column(order::Column::CustomerEmail)
                        .filter(same_identity())
                        .filter(order::Column::CouponCodes.contains(format!("\"{code}\"")))
                        .filter(order::Column::Id.gte(since(window_days * 24 * 60)))
                        .into_tuple()
                        .all(conn)
                        .await?;
                    let distinct: HashSet<String> = emails.into_iter().collect();
                    facts.set_for_coupon(*query, code, distinct.len() as u64);
                }
            }
            FactQuery::CouponUsesByIdentity { window_days } => {
                for code in &coupons {
                    let n = order::Entity::find()
                        .filter(same_identity())
                        .filter(order::Column::CouponCodes.contains(format!("\"{code}\"")))
                        .filter(order::Column::Id.gte(since(window_days * 24 * 60)))
                        .filter(
                            order::Column::Status
                                .is_not_in([OrderStatus::Cancelled, OrderStatus::Expired]),
                        )
                        .count(conn)
                        .await?;
                    facts.set_for_coupon(*query, code, n);
                }
            }
            FactQuery::EarlierOrdersOfCustomer => {
                let n = order::Entity::find()
                    .filter(
                        Condition::any()
                            .add(order::Column::CustomerEmail.eq(o.customer_email.clone()))
                            .add(order::Column::CustomerPhone.eq(o.customer_phone.clone())),
                    )
                    .filter(order::Column::Id.lt(o.id))
                    .filter(order::Column::Status.ne(OrderStatus::Expired))
                    .count(conn)
                    .await?;
                facts.set(*query, n);
            }
            FactQuery::BlocklistHits => {
                facts.blocklist_hits = blocklist_hits(conn, o).await?;
            }
        }
    }
    Ok(facts)
}

/// Sentences naming each blocklisted phone, e-mail or address of the order.
async fn blocklist_hits(conn: &impl ConnectionTrait, o: &order::Model) -> AppResult<Vec<String>> {
    let phones = [o.customer_phone.clone(), o.ship_phone.clone()];
    let rows = blocklist_entry::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(blocklist_entry::Column::Kind.eq(BlocklistKind::Phone))
                        .add(blocklist_entry::Column::Value.is_in(phones)),
                )
                .add(
                    Condition::all()
                        .add(blocklist_entry::Column::Kind.eq(BlocklistKind::Email))
                        .add(blocklist_entry::Column::Value.eq(o.customer_email.clone())),
                )
                .add(
                    Condition::all()
                        .add(blocklist_entry::Column::Kind.eq(BlocklistKind::Address))
                        .add(blocklist_entry::Column::Value.eq(o.address_key.clone())),
                ),
        )
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let what = match r.kind {
                BlocklistKind::Phone => "phone",
                BlocklistKind::Email => "e-mail",
                BlocklistKind::Address => "address",
            };
            format!("{what} {} is blocklisted: {}", r.label, r.reason)
        })
        .collect())
}
