//! Merchant settings stored as JSON under a key in the `settings` table, with a default when
//! none was saved.

use crate::db::entity::setting;
use crate::error::{AppError, AppResult};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::OnConflict};
use serde::{Serialize, de::DeserializeOwned};

/// Risk score thresholds (`RiskThresholds`).
pub const RISK_THRESHOLDS: &str = "review.risk_thresholds";
/// Remote areas (`AddressPolicy`).
pub const ADDRESS_POLICY: &str = "review.address_policy";
/// What special requests can be met (`SpecialRequestPolicy`).
pub const SPECIAL_REQUEST_POLICY: &str = "review.special_request_policy";
/// The merchant's out-of-stock policy (`StockPolicy`).
pub const STOCK_POLICY: &str = "stock.policy";

/// The value under `key`, or `T::default()` when nothing (or nothing readable) is stored.
pub async fn get<T: DeserializeOwned + Default>(
    conn: &impl ConnectionTrait,
    key: &str,
) -> AppResult<T> {
    let row = setting::Entity::find_by_id(key.to_string())
        .one(conn)
        .await?;
    Ok(row
        .and_then(|r| serde_json::from_str(&r.value).ok())
        .unwrap_or_default())
}

/// Stores `value` under `key`.
pub async fn put<T: Serialize>(conn: &impl ConnectionTrait, key: &str, value: &T) -> AppResult<()> {
    let json = serde_json::to_string(value).map_err(AppError::internal)?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_string()),
        value: Set(json),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .update_column(setting::Column::Value)
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}

/// Stores `value` under `key` and writes the audit entry in the same transaction.
pub async fn put_audited<T: Serialize + Send + Sync + 'static>(
    db: &sea_orm::DatabaseConnection,
    bus: &crate::service::audit::AuditBus,
    actor: &crate::domain::auth::Actor,
    key: &'static str,
    action: crate::service::audit::AuditAction,
    value: T,
) -> AppResult<()> {
    use sea_orm::TransactionTrait;
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                put(txn, key, &value).await?;
                crate::service::audit::record(
                    txn,
                    &actor,
                    action,
                    "SETTINGS",
                    Some(key.into()),
                    Some(serde_json::to_value(&value).map_err(AppError::internal)?),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(())
}
