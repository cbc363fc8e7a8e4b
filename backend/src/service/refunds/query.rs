//! Reading refunds: finance's queue (filtered by status, oldest first so nothing waits
//! unseen) and an order's refunds.

use crate::db::entity::refund;
use crate::error::AppResult;
use crate::service::page::{Page, PageRequest};
use orderly_shared::RefundStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

/// What to list; both optional.
#[derive(Debug, Default)]
pub struct RefundFilter {
    pub status: Vec<RefundStatus>,
    pub order_id: Option<Uuid>,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &RefundFilter,
    page: PageRequest,
) -> AppResult<Page<refund::Model>> {
    let mut q = refund::Entity::find().order_by_asc(refund::Column::Id);
    if !filter.status.is_empty() {
        q = q.filter(refund::Column::Status.is_in(filter.status.iter().copied()));
    }
    if let Some(id) = filter.order_id {
        q = q.filter(refund::Column::OrderId.eq(id));
    }
    if let Some(after) = page.after {
        q = q.filter(refund::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

pub async fn by_id(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<Option<refund::Model>> {
    Ok(refund::Entity::find_by_id(id).one(conn).await?)
}
