//! Reading exception tasks: the customer-service queue, oldest first.

use crate::db::entity::exception_task;
use crate::error::AppResult;
use crate::service::page::{Page, PageRequest};
use orderly_shared::ExceptionTaskStatus;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct TaskFilter {
    pub status: Vec<ExceptionTaskStatus>,
    pub order_id: Option<Uuid>,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &TaskFilter,
    page: PageRequest,
) -> AppResult<Page<exception_task::Model>> {
    let mut q = exception_task::Entity::find().order_by_asc(exception_task::Column::Id);
    if !filter.status.is_empty() {
        q = q.filter(exception_task::Column::Status.is_in(filter.status.iter().copied()));
    }
    if let Some(id) = filter.order_id {
        q = q.filter(exception_task::Column::OrderId.eq(id));
    }
    if let Some(after) = page.after {
        q = q.filter(exception_task::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

pub async fn by_id(
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> AppResult<Option<exception_task::Model>> {
    Ok(exception_task::Entity::find_by_id(id).one(conn).await?)
}
