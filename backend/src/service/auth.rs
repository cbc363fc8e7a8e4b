//! Signing in and staying signed in: password hashing (bounded), JWT access tokens, rotating
//! refresh tokens, and turning request credentials into an [`Actor`].

use crate::config::{Config, Secret};
use crate::db::entity::{api_key, channel, session, user, user_role, user_warehouse};
use crate::domain::auth::{
    Actor, Email, LoginLimiter, OpaqueToken, PartnerActor, RefreshDecision, Refusal, SessionState,
    StaffActor, decide_refresh, hash_token,
};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm as JwtAlg, DecodingKey, EncodingKey, Header, Validation};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use uuid::Uuid;

const ISSUER: &str = "orderly";
const AUDIENCE: &str = "orderly-api";
const REFRESH_PREFIX: &str = "orr_";
pub const API_KEY_PREFIX: &str = "ork_";
/// `last_used_at` of an API key is written at most this often, not on every request.
const KEY_USE_RESOLUTION: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

const BAD_CREDENTIALS: &str = "Email or password is incorrect.";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: Uuid,
    /// The session family, so signing out or reuse detection ends the access token too.
    sid: Uuid,
    iss: String,
    aud: String,
    iat: i64,
    exp: i64,
}

/// A signed-in session as handed to the client.
#[derive(Debug, Clone)]
pub struct IssuedSession {
    pub access_token: String,
    pub refresh_token: OpaqueToken,
    pub expires_at: DateTime<Utc>,
    pub user: user::Model,
}

/// Long-lived authentication machinery, one per server.
pub struct Auth {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    argon2: Argon2<'static>,
    /// Bounds concurrent Argon2 work (19 MiB and ~tens of ms each) so a login flood queues
    /// instead of starving the cores and memory.
    hashing: Arc<Semaphore>,
    hash_queue_timeout: Duration,
    limiter: LoginLimiter,
    access_ttl: Duration,
    refresh_ttl: Duration,
    /// Verified against when the account does not exist, so timing does not reveal accounts.
    dummy_hash: String,
    /// Recently verified partner keys by digest: intake is the hot path, and a key lookup costs
    /// two round trips. Revocation through this replica evicts at once; other replicas within
    /// [`API_KEY_CACHE_TTL`].
    api_keys: std::sync::Mutex<std::collections::HashMap<String, (PartnerActor, Instant)>>,
}

/// How long a verified partner key is trusted without asking the database again.
pub const API_KEY_CACHE_TTL: Duration = Duration::from_secs(10);

impl Auth {
    pub fn new(config: &Config, jwt_secret: &Secret) -> AppResult<Auth> {
        // OWASP Password Storage Cheat Sheet: Argon2id, m = 19 MiB, t = 2, p = 1.
        let params = Params::new(19 * 1024, 2, 1, None)
            .map_err(|e| AppError::Internal(e.to_string().into()))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let dummy_hash = argon2
            .hash_password(b"not a real password, only for timing")
            .map_err(|e| AppError::Internal(e.to_string().into()))?
            .to_string();
        let mut validation = Validation::new(JwtAlg::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 0;
        let limits = &config.login;
        Ok(Auth {
            encoding: EncodingKey::from_secret(jwt_secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(jwt_secret.expose().as_bytes()),
            validation,
            argon2,
            hashing: Arc::new(Semaphore::new(limits.concurrent_hashes.max(1))),
            hash_queue_timeout: limits.hash_queue_timeout,
            limiter: LoginLimiter::new(
                limits.failures_per_account,
                limits.failures_per_address,
                limits.window,
            ),
            access_ttl: config.access_token_ttl,
            refresh_ttl: config.refresh_token_ttl,
            dummy_hash,
            api_keys: Default::default(),
        })
    }

    /// Argon2id hash of a password, computed off the async threads within the hashing bound.
    pub async fn hash_password(&self, password: &str) -> AppResult<String> {
        let argon2 = self.argon2.clone();
        let password = password.to_owned();
        self.with_hash_slot(move || {
            argon2
                .hash_password(password.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| AppError::Internal(e.to_string().into()))
        })
        .await
    }

    async fn verify_password(&self, password: &str, hash: &str) -> AppResult<bool> {
        let argon2 = self.argon2.clone();
        let (password, hash) = (password.to_owned(), hash.to_owned());
        self.with_hash_slot(move || {
            Ok(argon2
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok())
        })
        .await
    }

    async fn with_hash_slot<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> AppResult<T> + Send + 'static,
    ) -> AppResult<T> {
        let permit = tokio::time::timeout(
            self.hash_queue_timeout,
            self.hashing.clone().acquire_owned(),
        )
        .await
        .map_err(|_| {
            AppError::RateLimited(
                "The server is busy signing people in. Try again in a few seconds.".into(),
            )
        })?
        .map_err(AppError::internal)?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(AppError::internal)?
    }

    /// Checks e-mail and password and starts a new session family.
    pub async fn login(
        &self,
        db: &DatabaseConnection,
        bus: &AuditBus,
        email: &str,
        password: &str,
        client_addr: &str,
    ) -> AppResult<IssuedSession> {
        let now = Instant::now();
        self.limiter
            .check(email, client_addr, now)
            .map_err(|refusal| {
                let (whom, wait) = match refusal {
                    Refusal::Account { retry_after } => ("this account", retry_after),
                    Refusal::Address { retry_after } => ("your network address", retry_after),
                };
                AppError::RateLimited(format!(
                    "Too many failed sign-in attempts for {whom}. Try again in {} minute(s).",
                    wait.as_secs().div_ceil(60).max(1)
                ))
            })?;
        let account = match Email::parse(email) {
            Ok(email) => {
                user::Entity::find()
                    .filter(user::Column::Email.eq(email.as_str()))
                    .one(db)
                    .await?
            }
            Err(_) => None,
        };
        let hash = account
            .as_ref()
            .map_or(self.dummy_hash.as_str(), |u| u.password_hash.as_str());
        let verified = self.verify_password(password, hash).await? && account.is_some();
        let Some(account) = account.filter(|_| verified) else {
            self.limiter.record_failure(email, client_addr, now);
            tracing::warn!(client_addr, "failed sign-in");
            return Err(AppError::Unauthenticated(BAD_CREDENTIALS.into()));
        };
        if !account.active {
            return Err(AppError::Unauthenticated(
                "This account has been deactivated. Ask an administrator.".into(),
            ));
        }
        self.limiter.record_success(email);

        let actor = staff_actor(db, &account).await?;
        let family = Uuid::now_v7();
        let expires = Utc::now() + self.refresh_ttl;
        let (refresh, entry) = db
            .transaction::<_, _, AppError>(|txn| {
                let actor = Actor::Staff(actor);
                let addr = client_addr.to_owned();
                Box::pin(async move {
                    let refresh = insert_session(txn, account.id, family, expires, &addr).await?;
                    let entry = audit::record(
                        txn,
                        &actor,
                        AuditAction::SignedIn,
                        "USER",
                        Some(account.id.to_string()),
                        Some(serde_json::json!({ "clientAddr": addr })),
                    )
                    .await?;
                    Ok((refresh, entry))
                })
            })
            .await?;
        bus.publish([entry]);
        self.issue(account, family, refresh)
    }

    /// Exchanges a refresh token for a new pair; a second use of one token ends its family.
    pub async fn refresh(
        &self,
        db: &DatabaseConnection,
        bus: &AuditBus,
        refresh_token: &str,
        client_addr: &str,
    ) -> AppResult<IssuedSession> {
        let invalid = || {
            AppError::Unauthenticated(
                "The refresh token is not valid. Please sign in again.".into(),
            )
        };
        let Some(current) = session::Entity::find()
            .filter(session::Column::TokenHash.eq(hash_token(refresh_token)))
            .one(db)
            .await?
        else {
            return Err(invalid());
        };
        let account = user::Entity::find_by_id(current.user_id)
            .one(db)
            .await?
            .ok_or_else(invalid)?;
        let state = SessionState {
            expires_at: current.expires_at,
            rotated_at: current.rotated_at,
            revoked_at: current.revoked_at,
            user_active: account.active,
        };
        match decide_refresh(&state, Utc::now()) {
            RefreshDecision::Rotate => {}
            RefreshDecision::ReuseDetected => {
                self.revoke_reused_family(db, bus, &account, current.family_id)
                    .await?;
                return Err(AppError::Unauthenticated(
                    "This session was ended because its refresh token was used twice. Please sign in again.".into(),
                ));
            }
            RefreshDecision::Expired => {
                return Err(AppError::Unauthenticated(
                    "The session has expired. Please sign in again.".into(),
                ));
            }
            RefreshDecision::Revoked => return Err(invalid()),
            RefreshDecision::UserDeactivated => {
                return Err(AppError::Unauthenticated(
                    "This account has been deactivated.".into(),
                ));
            }
        }
        let addr = client_addr.to_owned();
        let rotated = db
            .transaction::<_, _, AppError>(|txn| {
                Box::pin(async move {
                    // Conditional update: of two concurrent refreshes with one token, one wins.
                    let claimed = session::Entity::update_many()
                        .col_expr(session::Column::RotatedAt, Expr::value(Utc::now()))
                        .filter(session::Column::Id.eq(current.id))
                        .filter(session::Column::RotatedAt.is_null())
                        .filter(session::Column::RevokedAt.is_null())
                        .exec(txn)
                        .await?;
                    if claimed.rows_affected != 1 {
                        return Ok(None);
                    }
                    let next = insert_session(
                        txn,
                        current.user_id,
                        current.family_id,
                        current.expires_at,
                        &addr,
                    )
                    .await?;
                    Ok(Some(next))
                })
            })
            .await?;
        match rotated {
            Some(next) => self.issue(account, current.family_id, next),
            None => {
                self.revoke_reused_family(db, bus, &account, current.family_id)
                    .await?;
                Err(invalid())
            }
        }
    }

    async fn revoke_reused_family(
        &self,
        db: &DatabaseConnection,
        bus: &AuditBus,
        account: &user::Model,
        family: Uuid,
    ) -> AppResult<()> {
        let actor = Actor::Staff(staff_actor(db, account).await?);
        let user_id = account.id;
        let entry = db
            .transaction::<_, _, AppError>(|txn| {
                Box::pin(async move {
                    revoke_where(txn, session::Column::FamilyId.eq(family)).await?;
                    audit::record(
                        txn,
                        &actor,
                        AuditAction::SessionReuseDetected,
                        "USER",
                        Some(user_id.to_string()),
                        Some(serde_json::json!({ "family": family })),
                    )
                    .await
                })
            })
            .await?;
        tracing::warn!(user = %user_id, %family, "refresh token reuse: session family revoked");
        bus.publish([entry]);
        Ok(())
    }

    /// Ends the session family of `refresh_token`. Returns whether a live session was ended.
    pub async fn logout(
        &self,
        db: &DatabaseConnection,
        bus: &AuditBus,
        refresh_token: &str,
    ) -> AppResult<bool> {
        let Some(current) = session::Entity::find()
            .filter(session::Column::TokenHash.eq(hash_token(refresh_token)))
            .one(db)
            .await?
        else {
            return Ok(false);
        };
        let Some(account) = user::Entity::find_by_id(current.user_id).one(db).await? else {
            return Ok(false);
        };
        let actor = Actor::Staff(staff_actor(db, &account).await?);
        let ended = db
            .transaction::<_, _, AppError>(|txn| {
                Box::pin(async move {
                    let n =
                        revoke_where(txn, session::Column::FamilyId.eq(current.family_id)).await?;
                    if n == 0 {
                        return Ok(None);
                    }
                    let entry = audit::record(
                        txn,
                        &actor,
                        AuditAction::SignedOut,
                        "USER",
                        Some(current.user_id.to_string()),
                        None,
                    )
                    .await?;
                    Ok(Some(entry))
                })
            })
            .await?;
        let was_live = ended.is_some();
        bus.publish(ended);
        Ok(was_live)
    }

    /// Verifies a password for a known user (e.g. before changing it).
    pub async fn check_password(&self, account: &user::Model, password: &str) -> AppResult<bool> {
        self.verify_password(password, &account.password_hash).await
    }

    /// Resolves `Authorization: Bearer <jwt>` to the staff member, as they are right now: a
    /// deactivated user, or a signed-out session, is refused at once.
    pub async fn authenticate_bearer(
        &self,
        db: &DatabaseConnection,
        token: &str,
    ) -> AppResult<StaffActor> {
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                AppError::Unauthenticated(match e.kind() {
                    ErrorKind::ExpiredSignature => {
                        "The access token has expired; refresh the session.".into()
                    }
                    _ => "The access token is not valid.".into(),
                })
            })?
            .claims;
        let account = user::Entity::find_by_id(claims.sub)
            .one(db)
            .await?
            .filter(|u| u.active)
            .ok_or_else(|| AppError::Unauthenticated("This account is not active.".into()))?;
        let live_session = session::Entity::find()
            .filter(session::Column::FamilyId.eq(claims.sid))
            .filter(session::Column::RevokedAt.is_null())
            .one(db)
            .await?;
        if live_session.is_none() {
            return Err(AppError::Unauthenticated(
                "This session has ended. Please sign in again.".into(),
            ));
        }
        staff_actor(db, &account).await
    }

    /// Resolves `X-Api-Key` to the partner channel it belongs to.
    pub async fn authenticate_api_key(
        &self,
        db: &DatabaseConnection,
        key: &str,
    ) -> AppResult<PartnerActor> {
        let invalid =
            || AppError::Unauthenticated("The API key is not valid or has been revoked.".into());
        let digest = hash_token(key);
        if let Some(actor) = self.cached_key(&digest) {
            return Ok(actor);
        }
        let key_row = api_key::Entity::find()
            .filter(api_key::Column::KeyHash.eq(digest.clone()))
            .filter(api_key::Column::RevokedAt.is_null())
            .one(db)
            .await?
            .ok_or_else(invalid)?;
        let channel_row = channel::Entity::find_by_id(key_row.channel_id)
            .one(db)
            .await?
            .ok_or_else(invalid)?;
        let now = Utc::now();
        if key_row
            .last_used_at
            .is_none_or(|t| now - t > KEY_USE_RESOLUTION)
        {
            api_key::Entity::update_many()
                .col_expr(api_key::Column::LastUsedAt, Expr::value(now))
                .filter(api_key::Column::Id.eq(key_row.id))
                .exec(db)
                .await?;
        }
        let actor = PartnerActor {
            api_key_id: key_row.id,
            channel_id: channel_row.id,
            channel_code: channel_row.code,
        };
        let mut cache = self.api_keys.lock().unwrap_or_else(|e| e.into_inner());
        if cache.len() > 10_000 {
            cache.clear(); // bounded: a flood of distinct keys cannot grow it
        }
        cache.insert(digest, (actor.clone(), Instant::now()));
        Ok(actor)
    }

    fn cached_key(&self, digest: &str) -> Option<PartnerActor> {
        let cache = self.api_keys.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .get(digest)
            .filter(|(_, at)| at.elapsed() < API_KEY_CACHE_TTL)
            .map(|(actor, _)| actor.clone())
    }

    /// Stops trusting a revoked key on this replica at once.
    pub fn forget_api_key(&self, id: Uuid) {
        let mut cache = self.api_keys.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|_, (actor, _)| actor.api_key_id != id);
    }

    fn issue(
        &self,
        account: user::Model,
        family: Uuid,
        refresh: OpaqueToken,
    ) -> AppResult<IssuedSession> {
        let now = Utc::now();
        let expires_at = now + self.access_ttl;
        let claims = Claims {
            sub: account.id,
            sid: family,
            iss: ISSUER.into(),
            aud: AUDIENCE.into(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
        };
        let access_token =
            jsonwebtoken::encode(&Header::new(JwtAlg::HS256), &claims, &self.encoding)
                .map_err(AppError::internal)?;
        Ok(IssuedSession {
            access_token,
            refresh_token: refresh,
            expires_at,
            user: account,
        })
    }
}

/// Loads the roles and warehouse scope that make a user an actor.
pub async fn staff_actor(
    db: &impl ConnectionTrait,
    account: &user::Model,
) -> AppResult<StaffActor> {
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(account.id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.role)
        .collect();
    let warehouse_codes = user_warehouse::Entity::find()
        .filter(user_warehouse::Column::UserId.eq(account.id))
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.warehouse_code)
        .collect();
    Ok(StaffActor {
        user_id: account.id,
        email: account.email.clone(),
        roles,
        warehouse_codes,
    })
}

async fn insert_session(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    family: Uuid,
    expires_at: DateTime<Utc>,
    client_addr: &str,
) -> AppResult<OpaqueToken> {
    let token = OpaqueToken::generate(REFRESH_PREFIX).map_err(AppError::internal)?;
    session::Entity::insert(session::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        family_id: Set(family),
        token_hash: Set(token.digest()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        rotated_at: Set(None),
        revoked_at: Set(None),
        client_addr: Set(Some(client_addr.chars().take(64).collect())),
    })
    .exec(conn)
    .await?;
    Ok(token)
}

/// Revokes the live sessions matching `filter`; returns how many.
pub async fn revoke_where(
    conn: &impl ConnectionTrait,
    filter: sea_orm::sea_query::SimpleExpr,
) -> AppResult<u64> {
    let result = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(filter)
        .filter(session::Column::RevokedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
