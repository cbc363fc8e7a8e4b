//! Flags parcels past their promised delivery, even when the carrier says nothing: each opens a
//! DELAYED task in the customer-service exceptions queue (once per parcel, whichever replica
//! runs the check first).

use crate::realtime::Realtime;
use crate::service::exceptions::open::flag_overdue;
use chrono::Utc;
use sea_orm::DatabaseConnection;
use std::time::Duration;

/// Runs the check every `every` for as long as the process lives.
pub async fn run_forever(db: DatabaseConnection, realtime: Realtime, every: Duration) {
    loop {
        if let Err(err) = flag_overdue(&db, &realtime, Utc::now()).await {
            tracing::error!(error = %err, "SLA check failed");
        }
        tokio::time::sleep(every).await;
    }
}
