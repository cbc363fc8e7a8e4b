//! Expires prepaid orders not paid within their payment window, releasing what they held (so
//! far: their coupon uses). Each order expires in its own transaction with a conditional update,
//! so with several replicas running this job an order still expires exactly once.

use crate::db::entity::order;
use crate::domain::orders::{OrderCommand, decide};
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use crate::service::orders::intake::moved;
use crate::service::orders::timeline::{self, EventKind};
use chrono::{DateTime, Utc};
use orderly_shared::OrderStatus;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, sea_query::Expr,
};
use std::time::Duration;

/// Expires every order due by `now`; returns how many this call expired.
pub async fn run_once(
    db: &DatabaseConnection,
    realtime: &Realtime,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let due = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::PendingPayment))
        .filter(order::Column::PaymentDueAt.lte(now))
        .order_by_asc(order::Column::PaymentDueAt)
        .limit(500)
        .all(db)
        .await?;
    let mut expired = 0;
    for found in due {
        if expire(db, realtime, found).await? {
            expired += 1;
        }
    }
    Ok(expired)
}

async fn expire(
    db: &DatabaseConnection,
    realtime: &Realtime,
    found: order::Model,
) -> AppResult<bool> {
    let to = decide(found.status, &OrderCommand::Expire)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    let hub = realtime.clone();
    let event = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let now = Utc::now();
                let claimed = order::Entity::update_many()
                    .col_expr(order::Column::Status, Expr::value(to))
                    .col_expr(order::Column::UpdatedAt, Expr::value(now))
                    .filter(order::Column::Id.eq(found.id))
                    .filter(order::Column::Status.eq(OrderStatus::PendingPayment))
                    .exec(txn)
                    .await?;
                if claimed.rows_affected != 1 {
                    return Ok(None); // paid or expired meanwhile, by us or another replica
                }
                let codes: Vec<String> =
                    serde_json::from_str(&found.coupon_codes).unwrap_or_default();
                crate::service::coupons::give_back(txn, codes).await?;
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: found.id,
                        kind: EventKind::StatusChanged,
                        from: Some(found.status),
                        to: Some(to),
                        actor: ("SYSTEM", "system".into()),
                        reason: Some("not paid within the payment window".into()),
                    },
                )
                .await?;
                let event = moved(&found, to, now);
                hub.stage(txn, &event).await?;
                Ok(Some(event))
            })
        })
        .await?;
    let done = event.is_some();
    realtime.committed(event);
    Ok(done)
}

/// Runs the expiry check every `every` for as long as the process lives.
pub async fn run_forever(db: DatabaseConnection, realtime: Realtime, every: Duration) {
    loop {
        if let Err(err) = run_once(&db, &realtime, Utc::now()).await {
            tracing::error!(error = %err, "order expiry failed");
        }
        tokio::time::sleep(every).await;
    }
}
