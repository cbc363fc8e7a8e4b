//! Completes delivered orders once the auto-confirm period has passed without the customer
//! confirming. With several replicas running it, each order completes exactly once: candidates
//! are claimed with `FOR UPDATE SKIP LOCKED` (PostgreSQL), and the completion itself is the
//! state machine's conditional update, which only one transaction can win. An order with an
//! open after-sales case waits: it completes once the case is resolved or rejected and the
//! period has passed.

use crate::db::entity::{after_sales_case, order};
use crate::domain::orders::OrderCommand;
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use crate::service::orders::transition;
use chrono::{DateTime, TimeDelta, Utc};
use orderly_shared::{CaseStatus, OrderStatus};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::{Query, SelectStatement},
};
use std::time::Duration;

/// Orders completed per batch (one transaction each).
const BATCH: u64 = 200;

/// Completes every order delivered more than `after` before `now`; returns how many this call
/// completed.
pub async fn run_once(
    db: &DatabaseConnection,
    realtime: &Realtime,
    now: DateTime<Utc>,
    after: TimeDelta,
) -> AppResult<usize> {
    let due = order::Entity::find()
        .select_only()
        .column(order::Column::Id)
        .filter(order::Column::Status.eq(OrderStatus::Delivered))
        .filter(order::Column::DeliveredAt.lte(now - after))
        .filter(order::Column::Id.not_in_subquery(orders_with_open_cases()))
        .order_by_asc(order::Column::DeliveredAt)
        .limit(BATCH)
        .into_tuple::<uuid::Uuid>()
        .all(db)
        .await?;
    let mut completed = 0;
    for id in due {
        if complete(db, realtime, id, after).await? {
            completed += 1;
        }
    }
    Ok(completed)
}

async fn complete(
    db: &DatabaseConnection,
    realtime: &Realtime,
    id: uuid::Uuid,
    after: TimeDelta,
) -> AppResult<bool> {
    let hub = realtime.clone();
    let postgres = db.get_database_backend() == DbBackend::Postgres;
    let event = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let mut q = order::Entity::find_by_id(id)
                    .filter(order::Column::Status.eq(OrderStatus::Delivered));
                if postgres {
                    // Another replica working on this order: leave it to them.
                    q = q.lock_with_behavior(
                        sea_orm::sea_query::LockType::Update,
                        sea_orm::sea_query::LockBehavior::SkipLocked,
                    );
                }
                let Some(o) = q.one(txn).await? else {
                    return Ok(None);
                };
                // A case opened since the candidates were read (opening one locks the order
                // row too, so this sees it).
                if has_open_case(txn, o.id).await? {
                    return Ok(None);
                }
                let days = after.num_days();
                match transition::apply(
                    txn,
                    &hub,
                    &o,
                    &OrderCommand::Complete,
                    &transition::system(),
                    format!("completed automatically {days} days after delivery"),
                )
                .await
                {
                    Ok((_, event)) => Ok(Some(event)),
                    // Confirmed by the customer, or completed by another replica, meanwhile.
                    Err(AppError::Conflict(_)) => Ok(None),
                    Err(e) => Err(e),
                }
            })
        })
        .await?;
    let done = event.is_some();
    realtime.committed(event);
    Ok(done)
}

fn open_statuses() -> Vec<CaseStatus> {
    CaseStatus::ALL
        .iter()
        .copied()
        .filter(|s| crate::domain::aftersales::is_open(*s))
        .collect()
}

fn orders_with_open_cases() -> SelectStatement {
    Query::select()
        .column(after_sales_case::Column::OrderId)
        .from(after_sales_case::Entity)
        .and_where(after_sales_case::Column::Status.is_in(open_statuses()))
        .to_owned()
}

async fn has_open_case(conn: &impl ConnectionTrait, order_id: uuid::Uuid) -> AppResult<bool> {
    let n = after_sales_case::Entity::find()
        .filter(after_sales_case::Column::OrderId.eq(order_id))
        .filter(after_sales_case::Column::Status.is_in(open_statuses()))
        .count(conn)
        .await?;
    Ok(n > 0)
}

/// Runs the check every `every` for as long as the process lives.
pub async fn run_forever(
    db: DatabaseConnection,
    realtime: Realtime,
    after: TimeDelta,
    every: Duration,
) {
    loop {
        if let Err(err) = run_once(&db, &realtime, Utc::now(), after).await {
            tracing::error!(error = %err, "auto-confirm failed");
        }
        tokio::time::sleep(every).await;
    }
}
