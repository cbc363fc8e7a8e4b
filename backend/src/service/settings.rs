//! Server settings kept in the database, shared by every replica.

use crate::config::Secret;
use crate::db::entity::setting;
use crate::domain::auth::OpaqueToken;
use crate::error::{AppError, AppResult};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

pub const JWT_SECRET: &str = "jwt_secret";
pub const PAYMENT_WEBHOOK_SECRET: &str = "payment_webhook_secret";
pub const CARRIER_WEBHOOK_SECRET: &str = "carrier_webhook_secret";

/// The configured JWT secret, or the one generated on first run.
pub async fn jwt_secret(db: &DatabaseConnection, configured: Option<&Secret>) -> AppResult<Secret> {
    secret(db, JWT_SECRET, configured).await
}

/// A configured secret, or the one generated on first run and kept under `key`. Concurrent
/// first starts agree: the first insert wins and everyone reads it back.
pub async fn secret(
    db: &DatabaseConnection,
    key: &str,
    configured: Option<&Secret>,
) -> AppResult<Secret> {
    if let Some(secret) = configured {
        return Ok(secret.clone());
    }
    let candidate = OpaqueToken::generate("").map_err(AppError::internal)?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.into()),
        value: Set(candidate.expose().to_string()),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(db)
    .await?;
    let stored = setting::Entity::find_by_id(key.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal(format!("setting {key} vanished after insert").into()))?;
    Ok(Secret::new(stored.value))
}
