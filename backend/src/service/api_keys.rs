//! Partner API keys: one channel each, shown once at creation, stored as a digest, revocable.

use crate::db::entity::{api_key, channel};
use crate::domain::auth::{Actor, OpaqueToken};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::auth::API_KEY_PREFIX;
use crate::service::page::{Page, PageRequest};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

/// Characters of the key kept in clear, so people can tell keys apart.
const SHOWN_PREFIX_CHARS: usize = 12;

/// A channel code: lower-case letters, digits, `-` and `_`, 1–64 characters.
pub fn parse_channel_code(raw: &str) -> AppResult<String> {
    let code = raw.trim().to_lowercase();
    let ok = !code.is_empty()
        && code.len() <= 64
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(code)
    } else {
        Err(AppError::invalid(
            "channel",
            "INVALID_CODE",
            "must be 1 to 64 characters of a-z, 0-9, '-' or '_'",
        ))
    }
}

/// Creates a key for `channel` (creating the channel if new). The returned token is the only
/// time the key exists in clear.
pub async fn create(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    channel: &str,
) -> AppResult<(OpaqueToken, api_key::Model)> {
    let code = parse_channel_code(channel)?;
    let token = OpaqueToken::generate(API_KEY_PREFIX).map_err(AppError::internal)?;
    let actor = actor.clone();
    let digest = token.digest();
    let prefix: String = token.expose().chars().take(SHOWN_PREFIX_CHARS).collect();
    let (key, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let channel = find_or_create_channel(txn, &code).await?;
                let key = api_key::Entity::insert(api_key::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    channel_id: Set(channel.id),
                    prefix: Set(prefix),
                    key_hash: Set(digest),
                    created_at: Set(Utc::now()),
                    created_by: Set(actor.audit_identity().2),
                    revoked_at: Set(None),
                    last_used_at: Set(None),
                })
                .exec_with_returning(txn)
                .await?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::ApiKeyCreated,
                    "API_KEY",
                    Some(key.id.to_string()),
                    Some(serde_json::json!({ "channel": channel.code, "prefix": key.prefix })),
                )
                .await?;
                Ok((key, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok((token, key))
}

pub async fn find_or_create_channel(
    conn: &impl ConnectionTrait,
    code: &str,
) -> AppResult<channel::Model> {
    if let Some(found) = channel::Entity::find()
        .filter(channel::Column::Code.eq(code))
        .one(conn)
        .await?
    {
        return Ok(found);
    }
    Ok(channel::Entity::insert(channel::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(code.to_string()),
        created_at: Set(Utc::now()),
        out_of_stock_policy: Set(None),
    })
    .exec_with_returning(conn)
    .await?)
}

/// Revokes a key; revoking a revoked key changes nothing.
pub async fn revoke(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    id: Uuid,
) -> AppResult<api_key::Model> {
    let actor = actor.clone();
    let (key, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let key = api_key::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("No API key with id {id}.")))?;
                if key.revoked_at.is_some() {
                    return Ok((key, None));
                }
                let mut row: api_key::ActiveModel = key.into();
                row.revoked_at = Set(Some(Utc::now()));
                let key = api_key::Entity::update(row).exec(txn).await?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::ApiKeyRevoked,
                    "API_KEY",
                    Some(id.to_string()),
                    None,
                )
                .await?;
                Ok((key, Some(entry)))
            })
        })
        .await?;
    bus.publish(entry);
    Ok(key)
}

/// Oldest first.
pub async fn list(db: &DatabaseConnection, page: PageRequest) -> AppResult<Page<api_key::Model>> {
    let mut query = api_key::Entity::find().order_by_asc(api_key::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(api_key::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_codes_are_lower_case_slugs() {
        assert_eq!(parse_channel_code(" Web-Store ").unwrap(), "web-store");
        assert!(parse_channel_code("").is_err());
        assert!(parse_channel_code("web store").is_err());
        assert!(parse_channel_code(&"x".repeat(65)).is_err());
    }
}
