//! Live fan-out of changes to subscribers, across server replicas: order status changes, and
//! warehouse progress (waves, picks, packing, hand-over) for the warehouse screens, and work
//! queues (refunds for finance).
//!
//! On PostgreSQL the change's transaction itself sends `NOTIFY` (delivered only if it commits,
//! in commit order), and every replica LISTENs and rebroadcasts to its own subscribers — so a
//! change made through one replica reaches subscribers on all of them. On SQLite (one process
//! by nature) events are broadcast in-process after commit.
//!
//! Staging an event also writes its partner webhook deliveries in the same transaction
//! (`service::webhooks::emit`), so partners hear of exactly the changes that committed.

use crate::error::{AppError, AppResult};
use crate::service::webhooks::{self, Source, WebhookDirectory};
use chrono::{DateTime, Utc};
use orderly_shared::OrderStatus;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use uuid::Uuid;

const ORDER_CHANNEL: &str = "orderly_order_status";
const WAREHOUSE_CHANNEL: &str = "orderly_warehouse";
const QUEUE_CHANNEL: &str = "orderly_queues";

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

/// A work queue the console shows live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, async_graphql::Enum)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WorkQueue {
    /// Refunds waiting for finance, and their execution.
    Refunds,
    /// Delivery exceptions for customer service.
    Exceptions,
    /// After-sales cases: customer service's decisions and the warehouse's returns.
    AfterSales,
}

/// Something in a work queue changed: an item arrived, was decided or finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueEvent {
    pub queue: WorkQueue,
    pub item_id: Uuid,
    pub order_id: Uuid,
    pub order_number: String,
    /// What happened, e.g. `REQUESTED`, `APPROVED`, `EXECUTED`.
    pub kind: String,
    pub at: DateTime<Utc>,
}

/// The order-status hub.
pub type Realtime = Hub<OrderStatusEvent>;
/// The warehouse-progress hub.
pub type WarehouseLive = Hub<WarehouseEvent>;
/// The work-queue hub (finance and customer-service queues).
pub type QueueLive = Hub<QueueEvent>;

/// Fans events of one kind out to this replica's subscribers (and, on PostgreSQL, to every
/// replica's, through one NOTIFY channel).
#[derive(Clone)]
pub struct Hub<T> {
    sender: broadcast::Sender<T>,
    via_database: bool,
    channel: &'static str,
    /// The order hub carries the work-queue hub: order changes often put work in a queue (a
    /// cancellation after payment owes a refund), deep inside use cases that only know the
    /// order hub.
    queues: Option<std::sync::Arc<Hub<QueueEvent>>>,
    /// Where staged events find the partners' endpoints that want them.
    webhooks: Option<Arc<WebhookDirectory>>,
}

/// Which events partners may receive as webhooks.
pub trait Webhooked {
    fn webhook_source(&self) -> Option<Source<'_>>;
}

impl Webhooked for OrderStatusEvent {
    fn webhook_source(&self) -> Option<Source<'_>> {
        Some(Source::Order(self))
    }
}

impl Webhooked for QueueEvent {
    fn webhook_source(&self) -> Option<Source<'_>> {
        Some(Source::Queue(self))
    }
}

impl Webhooked for WarehouseEvent {
    fn webhook_source(&self) -> Option<Source<'_>> {
        Some(Source::Warehouse(self))
    }
}

impl Hub<OrderStatusEvent> {
    /// Creates the order-status hub, and the work-queue hub it carries; on PostgreSQL also
    /// starts the listeners that feed them.
    pub fn start(db: &DatabaseConnection) -> Realtime {
        let directory = Arc::new(WebhookDirectory::default());
        let mut hub = Hub::start_on(db, ORDER_CHANNEL).with_webhooks(directory.clone());
        hub.queues = Some(Arc::new(
            Hub::start_on(db, QUEUE_CHANNEL).with_webhooks(directory),
        ));
        hub
    }

    /// The partners' endpoints, shared by the hubs of this process.
    pub fn webhooks(&self) -> Arc<WebhookDirectory> {
        self.webhooks
            .clone()
            .unwrap_or_else(|| unreachable!("the order hub is always started with webhooks"))
    }

    /// The work-queue hub.
    pub fn queues(&self) -> &QueueLive {
        self.queues
            .as_deref()
            .unwrap_or_else(|| unreachable!("the order hub is always started with its queue hub"))
    }
}

impl Hub<WarehouseEvent> {
    /// Creates the warehouse hub; on PostgreSQL also starts the listener that feeds it.
    pub fn start(db: &DatabaseConnection) -> WarehouseLive {
        Hub::start_on(db, WAREHOUSE_CHANNEL)
    }
}

impl<T: Clone + Serialize + DeserializeOwned + Send + Webhooked + 'static> Hub<T> {
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
            queues: None,
            webhooks: None,
        }
    }

    /// Events staged on this hub also go to partners' webhook endpoints.
    pub fn with_webhooks(mut self, directory: Arc<WebhookDirectory>) -> Hub<T> {
        self.webhooks = Some(directory);
        self
    }

    /// Call inside the transaction that makes the change.
    pub async fn stage(&self, txn: &impl ConnectionTrait, event: &T) -> AppResult<()> {
        if let (Some(directory), Some(source)) = (&self.webhooks, event.webhook_source()) {
            webhooks::emit(txn, directory, source).await?;
        }
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
