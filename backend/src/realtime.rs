//! Live fan-out of changes to subscribers, across server replicas: order status changes, and
//! warehouse progress (waves, picks, packing, hand-over) for the warehouse screens.
//!
//! On PostgreSQL the change's transaction itself sends `NOTIFY` (delivered only if it commits,
//! in commit order), and every replica LISTENs and rebroadcasts to its own subscribers — so a
//! change made through one replica reaches subscribers on all of them. On SQLite (one process
//! by nature) events are broadcast in-process after commit.

use crate::error::{AppError, AppResult};
use chrono::{DateTime, Utc};
use orderly_shared::OrderStatus;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

const ORDER_CHANNEL: &str = "orderly_order_status";
const WAREHOUSE_CHANNEL: &str = "orderly_warehouse";

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

/// Something changed in a warehouse: a wave, a pick, a sort, a pack, a label or a hand-over.
/// Screens refetch what they show; the event says where to look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarehouseEvent {
    pub warehouse_id: Uuid,
    pub wave_id: Option<Uuid>,
    pub shipment_id: Option<Uuid>,
    /// What happened, e.g. `WAVE_CREATED`, `PICKED`, `SORTED`, `PACKED`, `HANDED_OVER`.
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// The order-status hub.
pub type Realtime = Hub<OrderStatusEvent>;
/// The warehouse-progress hub.
pub type WarehouseLive = Hub<WarehouseEvent>;

/// Fans events of one kind out to this replica's subscribers (and, on PostgreSQL, to every
/// replica's, through one NOTIFY channel).
#[derive(Clone)]
pub struct Hub<T> {
    sender: broadcast::Sender<T>,
    via_database: bool,
    channel: &'static str,
}

impl Hub<OrderStatusEvent> {
    /// Creates the order-status hub; on PostgreSQL also starts the listener that feeds it.
    pub fn start(db: &DatabaseConnection) -> Realtime {
        Hub::start_on(db, ORDER_CHANNEL)
    }
}

impl Hub<WarehouseEvent> {
    /// Creates the warehouse hub; on PostgreSQL also starts the listener that feeds it.
    pub fn start(db: &DatabaseConnection) -> WarehouseLive {
        Hub::start_on(db, WAREHOUSE_CHANNEL)
    }
}

impl<T: Clone + Serialize + DeserializeOwned + Send + 'static> Hub<T> {
    fn start_on(db: &DatabaseConnection, channel: &'static str) -> Hub<T> {
        let (sender, _) = broadcast::channel(4096);
        let via_database = db.get_database_backend() == DbBackend::Postgres;
        if via_database {
            tokio::spawn(listen(db.clone(), sender.clone(), channel));
        }
        Hub {
            sender,
            via_database,
            channel,
        }
    }

    /// Call inside the transaction that makes the change.
    pub async fn stage(&self, txn: &impl ConnectionTrait, event: &T) -> AppResult<()> {
        if self.via_database {
            let payload = serde_json::to_string(event).map_err(AppError::internal)?;
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [self.channel.into(), payload.into()],
            ))
            .await?;
        }
        Ok(())
    }

    /// Call after the transaction committed.
    pub fn committed(&self, events: impl IntoIterator<Item = T>) {
        if !self.via_database {
            for event in events {
                let _ = self.sender.send(event);
            }
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<T> {
        self.sender.subscribe()
    }
}

/// LISTENs for as long as the process lives, reconnecting after a lost connection.
async fn listen<T: DeserializeOwned>(
    db: DatabaseConnection,
    sender: broadcast::Sender<T>,
    channel: &'static str,
) {
    use sea_orm::sqlx::postgres::PgListener;
    loop {
        let pool = db.get_postgres_connection_pool();
        let result = async {
            let mut listener = PgListener::connect_with(pool).await?;
            listener.listen(channel).await?;
            loop {
                let notification = listener.recv().await?;
                match serde_json::from_str::<T>(notification.payload()) {
                    Ok(event) => {
                        let _ = sender.send(event);
                    }
                    Err(err) => {
                        tracing::warn!(error = %err, channel, "unreadable live notification")
                    }
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), sea_orm::sqlx::Error>(())
        }
        .await;
        if let Err(err) = result {
            tracing::warn!(error = %err, channel, "live listener lost its connection; reconnecting");
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
