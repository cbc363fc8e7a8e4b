//! The rows behind the orders an analytics window selects — their lines, shipments and
//! refunds — one keyset page at a time, for the CSV exports.

use super::filter::Filter;
use crate::db::entity::order;
use crate::error::AppResult;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// Up to `limit` rows of `E` that belong to the selected orders (`order_id`), in id order after
/// `after`. Ids are UUIDv7, so id order is creation order.
pub async fn page<E>(
    conn: &impl ConnectionTrait,
    f: &Filter,
    order_id: E::Column,
    id: E::Column,
    after: Option<Uuid>,
    limit: u64,
) -> AppResult<Vec<E::Model>>
where
    E: EntityTrait,
{
    let mut q = E::find()
        .filter(order_id.in_subquery(f.order_ids()))
        .order_by_asc(id);
    if let Some(after) = after {
        q = q.filter(id.gt(after));
    }
    Ok(q.limit(limit).all(conn).await?)
}

/// Each order's number and currency, by id, in one query.
pub async fn order_refs(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> AppResult<HashMap<Uuid, (String, String)>> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String, String)> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .column(order::Column::Number)
        .column(order::Column::Currency)
        .filter(order::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|(id, n, c)| (id, (n, c))).collect())
}
