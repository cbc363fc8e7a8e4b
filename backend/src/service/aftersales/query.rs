//! Reading cases: the after-sales queue (oldest first), one case, a partner's own.

use crate::db::entity::after_sales_case;
use crate::domain::auth::Actor;
use crate::error::AppResult;
use crate::service::orders::OrderScope;
use crate::service::page::{Page, PageRequest};
use orderly_shared::{CaseKind, CaseStatus};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct CaseFilter {
    pub status: Vec<CaseStatus>,
    pub kind: Vec<CaseKind>,
    pub order_id: Option<Uuid>,
}

pub async fn list(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    filter: &CaseFilter,
    page: PageRequest,
) -> AppResult<Page<after_sales_case::Model>> {
    let mut q = after_sales_case::Entity::find().order_by_asc(after_sales_case::Column::Id);
    if let OrderScope::Channel(own) = OrderScope::of(actor) {
        q = q.filter(after_sales_case::Column::ChannelId.eq(own));
    }
    if !filter.status.is_empty() {
        q = q.filter(after_sales_case::Column::Status.is_in(filter.status.iter().copied()));
    }
    if !filter.kind.is_empty() {
        q = q.filter(after_sales_case::Column::Kind.is_in(filter.kind.iter().copied()));
    }
    if let Some(id) = filter.order_id {
        q = q.filter(after_sales_case::Column::OrderId.eq(id));
    }
    if let Some(after) = page.after {
        q = q.filter(after_sales_case::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// The case, if the actor may see it (a partner only its own channel's).
pub async fn by_id(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<Option<after_sales_case::Model>> {
    Ok(after_sales_case::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|c| OrderScope::of(actor).admits(c.channel_id)))
}
