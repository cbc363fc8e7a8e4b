//! Reading the payments ledger: newest first, filtered by kind, provider and time, for the
//! finance console and the CSV export (which walks it page by page, never all at once).

use crate::db::entity::{order, payment};
use crate::error::{AppError, AppResult};
use crate::service::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use orderly_shared::PaymentKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// What to list; everything optional. `from` is inclusive, `to` exclusive.
#[derive(Debug, Default, Clone)]
pub struct PaymentFilter {
    pub kinds: Vec<PaymentKind>,
    pub provider: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl PaymentFilter {
    /// Refuses a window that ends before it starts (it could only ever list nothing).
    pub fn validated(self) -> AppResult<PaymentFilter> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && to <= from
        {
            return Err(AppError::invalid(
                "filter.to",
                "INVALID_RANGE",
                "must be after filter.from",
            ));
        }
        Ok(PaymentFilter {
            provider: self
                .provider
                .map(|p| p.trim().to_string())
                .filter(|p| !p.is_empty()),
            ..self
        })
    }
}

/// One page of the ledger, newest first (ids are UUIDv7, so id order is insertion order).
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &PaymentFilter,
    page: PageRequest,
) -> AppResult<Page<payment::Model>> {
    let mut q = payment::Entity::find().order_by_desc(payment::Column::Id);
    if !filter.kinds.is_empty() {
        q = q.filter(payment::Column::Kind.is_in(filter.kinds.iter().copied()));
    }
    if let Some(provider) = &filter.provider {
        q = q.filter(payment::Column::Provider.eq(provider.as_str()));
    }
    if let Some(from) = filter.from {
        q = q.filter(payment::Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        q = q.filter(payment::Column::At.lt(to));
    }
    if let Some(after) = page.after {
        q = q.filter(payment::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// The order numbers of a page's payments, in one query.
pub async fn order_numbers(
    conn: &impl ConnectionTrait,
    payments: &[payment::Model],
) -> AppResult<HashMap<Uuid, String>> {
    let ids: Vec<Uuid> = payments.iter().map(|p| p.order_id).collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, String)> = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .column(order::Column::Number)
        .filter(order::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}
