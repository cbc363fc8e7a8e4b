//! Partner API keys.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::{Loaders, actor, parse_id, state};
use crate::db::entity::api_key;
use crate::error::AppError;
use crate::service::api_keys;
use crate::service::page::PageRequest;
use async_graphql::{Context, ErrorExtensions, ID, Object, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use orderly_shared::Operation;

/// A partner's key for one sales channel. The key itself is never shown again after creation.
pub struct ApiKey(api_key::Model);

#[Object]
impl ApiKey {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The channel whose orders the key may place and read.
    async fn channel(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let loaders = ctx.data::<Loaders>()?;
        let channel = loaders
            .channels
            .load_one(self.0.channel_id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?
            .ok_or_else(|| AppError::Internal("api key without channel".into()).extend())?;
        Ok(channel.code)
    }
    /// The first characters of the key, to tell keys apart.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Who created the key.
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    /// Last use, to the minute.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}

/// A freshly created key: `key` is shown this once; only its digest is stored.
#[derive(SimpleObject)]
pub struct CreatedApiKey {
    key: String,
    api_key: ApiKey,
}

#[derive(Default)]
pub struct ApiKeysQuery;

#[Object]
impl ApiKeysQuery {
    /// Every API key, oldest first, revoked ones included.
    #[graphql(guard = "Require(Operation::ReadApiKeys)")]
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<ApiKey>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = api_keys::list(&state(ctx).db, page).await.extend()?;
        Ok(connection(rows, page.after.is_some(), |k| k.id, ApiKey))
    }
}

#[derive(Default)]
pub struct ApiKeysMutation;

#[Object]
impl ApiKeysMutation {
    /// Creates a key for a channel (the channel is created if new).
    #[graphql(guard = "Require(Operation::CreateApiKey)")]
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        channel: String,
    ) -> async_graphql::Result<CreatedApiKey> {
        let s = state(ctx);
        let (key, row) = api_keys::create(&s.db, &s.bus, actor(ctx)?, &channel)
            .await
            .extend()?;
        Ok(CreatedApiKey {
            key: key.expose().to_string(),
            api_key: ApiKey(row),
        })
    }

    /// Revokes a key at once; revoking twice changes nothing.
    #[graphql(guard = "Require(Operation::RevokeApiKey)")]
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiKey> {
        let s = state(ctx);
        let id = parse_id("id", &id)?;
        let revoked = api_keys::revoke(&s.db, &s.bus, actor(ctx)?, id)
            .await
            .extend()?;
        // After the commit, so a request racing the revocation cannot cache the key again.
        s.auth.forget_api_key(id);
        Ok(ApiKey(revoked))
    }
}
