//! Database access: connecting (SQLite or PostgreSQL by URL), migrating, and the SeaORM
//! entities. Entities are storage shapes; the API exposes its own types.

pub mod entity;

use orderly_migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Counts the SQL statements a connection pool executes (for tests that prove batching, and for
/// the `orderly_db_statements_total` metric the benchmark reads).
#[derive(Clone, Default, Debug)]
pub struct StatementCounter(Arc<AtomicU64>);

impl StatementCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Connects to `url` (`sqlite://…` or `postgres://…`).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    Ok(connect_counted(url).await?.0)
}

/// Connects, counting every statement executed through the connection.
pub async fn connect_counted(url: &str) -> Result<(DatabaseConnection, StatementCounter), DbErr> {
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // SQLite allows one writer; with several pooled connections a transaction that read first
        // can fail to upgrade to a writer ("database is locked") however long it waits. One
        // connection serializes everything instead — right for the embedded, single-process
        // default; PostgreSQL is the database for concurrency.
        opts.max_connections(1).min_connections(1);
    } else {
        opts.max_connections(20).min_connections(1);
    }
    let mut db = Database::connect(opts).await?;
    let counter = StatementCounter::default();
    let count = counter.0.clone();
    db.set_metric_callback(move |info| {
        count.fetch_add(1, Ordering::Relaxed);
        metrics::counter!("orderly_db_statements_total").increment(1);
        metrics::histogram!("orderly_db_statement_duration_seconds")
            .record(info.elapsed.as_secs_f64());
    });
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers run beside the writer; the busy timeout makes writers queue instead of
        // failing; foreign keys are off by default in SQLite.
        for pragma in [
            "PRAGMA journal_mode = WAL",
            "PRAGMA busy_timeout = 5000",
            "PRAGMA foreign_keys = ON",
            "PRAGMA synchronous = NORMAL",
        ] {
            db.execute_unprepared(pragma).await?;
        }
    }
    Ok((db, counter))
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the database answers (for `/readyz`).
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}
