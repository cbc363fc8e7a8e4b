//! The transactional outbox: messages are written in the same transaction as the change that
//! causes them, and delivered at least once by workers after commit.
//!
//! Claiming is one statement. On PostgreSQL, `FOR UPDATE SKIP LOCKED` lets any number of workers
//! on any number of replicas take disjoint batches; a claim is a lease (`claimed_until`), so a
//! worker that dies mid-delivery leaves its messages to be retried by another after the lease.
//! On SQLite (one process) the same statement without the locking clause suffices.

use crate::db::entity::outbox;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, TimeDelta, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait,
    FromQueryResult, QueryFilter, Statement, sea_query::Expr,
};
use serde::Serialize;
use uuid::Uuid;

/// How long a claimed message is reserved for the worker that claimed it.
pub const LEASE: TimeDelta = TimeDelta::seconds(60);
/// After this many failed attempts a message is parked (kept, with its last error) for a person.
pub const MAX_ATTEMPTS: i32 = 12;

/// Appends a message; call with the transaction of the change.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    topic: &str,
    aggregate_id: Uuid,
    payload: &impl Serialize,
) -> AppResult<Uuid> {
    let id = Uuid::now_v7();
    let now = Utc::now();
    outbox::Entity::insert(outbox::ActiveModel {
        id: Set(id),
        topic: Set(topic.to_string()),
        aggregate_id: Set(aggregate_id),
        payload: Set(serde_json::to_string(payload).map_err(AppError::internal)?),
        created_at: Set(now),
        available_at: Set(now),
        attempts: Set(0),
        claimed_until: Set(None),
        delivered_at: Set(None),
        last_error: Set(None),
    })
    .exec(conn)
    .await?;
    Ok(id)
}

/// Claims up to `limit` messages that are due, for `LEASE`.
pub async fn claim(
    db: &DatabaseConnection,
    limit: u64,
    now: DateTime<Utc>,
) -> AppResult<Vec<outbox::Model>> {
    let backend = db.get_database_backend();
    let lock = if backend == DbBackend::Postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM outbox \
                      WHERE delivered_at IS NULL AND available_at <= $2 \
                        AND (claimed_until IS NULL OR claimed_until < $2) \
                      ORDER BY available_at LIMIT $3 {lock}) \
         RETURNING *"
    );
    let stmt = Statement::from_sql_and_values(
        backend,
        sql,
        [(now + LEASE).into(), now.into(), (limit as i64).into()],
    );
    Ok(outbox::Model::find_by_statement(stmt).all(db).await?)
}

/// Marks a claimed message delivered.
pub async fn delivered(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<()> {
    outbox::Entity::update_many()
        .col_expr(outbox::Column::DeliveredAt, Expr::value(Utc::now()))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Records a failed attempt and schedules the retry with exponential backoff.
pub async fn failed(
    db: &DatabaseConnection,
    message: &outbox::Model,
    error: &str,
) -> AppResult<()> {
    let retry_at = if message.attempts >= MAX_ATTEMPTS {
        // Parked: far enough in the future that no worker takes it; a person can reset it.
        Utc::now() + TimeDelta::days(3650)
    } else {
        Utc::now() + backoff(message.attempts)
    };
    outbox::Entity::update_many()
        .col_expr(outbox::Column::AvailableAt, Expr::value(retry_at))
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(error.chars().take(2000).collect::<String>()),
        )
        .filter(outbox::Column::Id.eq(message.id))
        .exec(db)
        .await?;
    Ok(())
}

/// 2 s, 4 s, 8 s … capped at one hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exp = attempts.clamp(1, 12) as u32;
    TimeDelta::seconds((1i64 << exp).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped_at_an_hour() {
        assert_eq!(backoff(1), TimeDelta::seconds(2));
        assert_eq!(backoff(2), TimeDelta::seconds(4));
        assert_eq!(backoff(11), TimeDelta::seconds(2048));
        assert_eq!(backoff(12), TimeDelta::seconds(3600));
        assert_eq!(backoff(50), TimeDelta::seconds(3600));
    }
}
