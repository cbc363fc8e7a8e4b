//! Live fan-out of order status changes to subscribers, across server replicas.
//!
//! On PostgreSQL the change's transaction itself sends `NOTIFY` (delivered only if it commits,
//! in commit order), and every replica LISTENs and rebroadcasts to its own subscribers — so a
//! change made through one replica reaches subscribers on all of them. On SQLite (one process
//! by nature) events are broadcast in-process after commit.

use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use orderly_shared::OrderStatus;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

const CHANNEL: &str = "orderly_order_status";

/// One order moved from one status to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderStatusEvent {
    pub order_id: Uuid,
    pub number: String,
    /// The sales channel, so partners see only their own orders' events.
    pub channel_id: Uuid,
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct Realtime {
    sender: broadcast::Sender<OrderStatusEvent>,
    via_database: bool,
}

impl Realtime {
    /// Creates the hub; on PostgreSQL also starts the listener that feeds it.
    pub fn start(db: &DatabaseConnection) -> Realtime {
        let (sender, _) = broadcast::channel(4096);
        let via_database = db.get_database_backend() == DbBackend::Postgres;
        if via_database {
            tokio::spawn(listen(db.clone(), sender.clone()));
        }
        Realtime {
            sender,
            via_database,
        }
    }

    /// Call inside the transaction that makes the change.
    pub async fn stage(
        &self,
        txn: &impl ConnectionTrait,
        event: &OrderStatusEvent,
    ) -> AppResult<()> {
        if self.via_database {
            let payload = serde_json::to_string(event).map_err(AppError::internal)?;
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await?;
        }
        Ok(())
    }

    /// Call after the transaction committed.
    pub fn committed(&self, events: impl IntoIterator<Item = OrderStatusEvent>) {
        if !self.via_database {
            for event in events {
                let _ = self.sender.send(event);
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<OrderStatusEvent> {
        self.sender.subscribe()
    }
}

/// LISTENs for as long as the process lives, reconnecting after a lost connection.
async fn listen(db: DatabaseConnection, sender: broadcast::Sender<OrderStatusEvent>) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let pool = db.get_postgres_connection_pool();
        let result = async {
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(CHANNEL).await?;
            loop {
                let notification = listener.recv().await?;
                match serde_json::from_str::<OrderStatusEvent>(notification.payload()) {
                    Ok(event) => {
                        let _ = sender.send(event);
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, "unreadable order status notification")
                    }
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sea_orm::sqlx::Error>(())
        }
        .await;
        if let Err(err) = result {
            tracing::warn!(error = %err, "order status listener lost its connection; reconnecting");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
