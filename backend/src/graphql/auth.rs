//! Signing in and out, sessions, and the signed-in user.

use super::guard::Require;
use super::users::User;
use super::{actor, client_addr, state};
use crate::domain::auth::Actor;
use crate::error::AppError;
use crate::service::auth::IssuedSession;
use crate::service::users;
use async_graphql::{Context, ErrorExtensions, Object, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use orderly_shared::Operation;

/// A new session: a short-lived access token and a single-use refresh token.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    access_token: String,
    /// Exchange with `refreshSession` before `expiresAt`; each refresh token works once.
    refresh_token: String,
    /// When the access token expires (UTC).
    expires_at: DateTime<Utc>,
    user: User,
}

impl From<IssuedSession> for AuthPayload {
    fn from(s: IssuedSession) -> Self {
        AuthPayload {
            access_token: s.access_token,
            refresh_token: s.refresh_token.expose().to_string(),
            expires_at: s.expires_at,
            user: User(s.user),
        }
    }
}

#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The signed-in staff user.
    #[graphql(guard = "Require(Operation::ReadOwnProfile)")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let Actor::Staff(staff) = actor(ctx)? else {
            return Err(AppError::Forbidden("Only staff users have a profile.".into()).extend());
        };
        users::find(&state(ctx).db, staff.user_id)
            .await
            .extend()?
            .map(User)
            .ok_or_else(|| {
                AppError::Unauthenticated("This account no longer exists.".into()).extend()
            })
    }
}

#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs a staff user in. Repeated failures are refused with RATE_LIMITED for a while.
    async fn login(
        &self,
        ctx: &Context<'_>,
        email: String,
        password: String,
    ) -> async_graphql::Result<AuthPayload> {
        let s = state(ctx);
        let session = s
            .auth
            .login(&s.db, &s.bus, &email, &password, &client_addr(ctx))
            .await
            .extend()?;
        Ok(session.into())
    }

    /// Exchanges a refresh token for a new session. A refresh token used twice ends its session.
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<AuthPayload> {
        let s = state(ctx);
        let session = s
            .auth
            .refresh(&s.db, &s.bus, &refresh_token, &client_addr(ctx))
            .await
            .extend()?;
        Ok(session.into())
    }

    /// Ends the session the refresh token belongs to. True if a live session was ended.
    async fn logout(
        &self,
        ctx: &Context<'_>,
        refresh_token: String,
    ) -> async_graphql::Result<bool> {
        let s = state(ctx);
        s.auth.logout(&s.db, &s.bus, &refresh_token).await.extend()
    }

    /// Changes the signed-in user's password; every session of theirs ends.
    #[graphql(guard = "Require(Operation::ChangeOwnPassword)")]
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<bool> {
        let s = state(ctx);
        users::change_password(
            &s.db,
            &s.auth,
            &s.bus,
            actor(ctx)?,
            &current_password,
            &new_password,
        )
        .await
        .extend()?;
        Ok(true)
    }
}
