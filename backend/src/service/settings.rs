//! Server settings kept in the database, shared by every replica.

use crate::config::Secret;
use crate::db::entity::setting;
use crate::domain::auth::OpaqueToken;
use crate::error::{AppError, AppResult};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};

const JWT_SECRET: &str = "jwt_secret";

/// The configured JWT secret, or the one generated on first run. Concurrent first starts agree:
/// the first insert wins and everyone reads it back.
pub async fn jwt_secret(db: &DatabaseConnection, configured: Option<&Secret>) -> AppResult<Secret> {
    if let Some(secret) = configured {
        return Ok(secret.clone());
    }
    let candidate = OpaqueToken::generate("").map_err(AppError::internal)?;
    setting::Entity::insert(setting::ActiveModel {
        key: Set(JWT_SECRET.into()),
        value: Set(candidate.expose().to_string()),
    })
    .on_conflict_do_nothing_on([setting::Column::Key])
    .exec(db)
    .await?;
    let stored = setting::Entity::find_by_id(JWT_SECRET.to_string())
        .one(db)
        .await?
        .ok_or_else(|| AppError::Internal("jwt secret vanished after insert".into()))?;
    Ok(Secret::new(stored.value))
}
