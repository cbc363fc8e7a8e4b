//! The merchant's configuration that every order reads — risk rules and thresholds, address and
//! special-request policies, the stock policy, allocation rules, warehouses, channels and the
//! blocklist — kept in memory and checked against the database's configuration token (one
//! indexed read) each time it is used.
//!
//! Triggers on the configuration tables change the token in the writing transaction (migration
//! `m20261203_000018_config_version`), so a change made by any replica, the CLI or plain SQL is
//! seen by the next order, and a transaction sees its own changes. Tokens are random and so never
//! repeat: entries of different databases (tests run many in one process) cannot be confused.

use crate::db::entity::{blocklist_entry, channel, warehouse};
use crate::domain::allocation::RuleSet;
use crate::error::{AppError, AppResult};
use crate::service::allocation::StockPolicy;
use crate::service::allocation::rules::load_rule_set;
use crate::service::review::config::{self as review_config, ReviewConfig};
use crate::service::settings_json::{self, STOCK_POLICY};
use orderly_shared::BlocklistKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Statement};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// Everything about the shop that review and allocation read for each order.
pub struct ShopConfig {
    pub review: ReviewConfig,
    pub stock_policy: StockPolicy,
    pub allocation_rules: RuleSet,
    /// Active warehouses, by code.
    pub warehouses: Vec<warehouse::Model>,
    pub channels: HashMap<Uuid, channel::Model>,
    /// Blocklisted values by kind and normalized value.
    pub blocklist: HashMap<(BlocklistKind, String), blocklist_entry::Model>,
}

impl ShopConfig {
    /// The order's channel.
    pub fn channel(&self, id: Uuid) -> AppResult<&channel::Model> {
        self.channels
            .get(&id)
            .ok_or_else(|| AppError::Internal(format!("no channel {id}").into()))
    }
}

/// Configurations by token; a handful, since a process normally serves one database.
static CACHE: Mutex<Vec<(String, Arc<ShopConfig>)>> = Mutex::new(Vec::new());
const KEEP: usize = 4;

/// The configuration as `conn` sees it now.
pub async fn current(conn: &impl ConnectionTrait) -> AppResult<Arc<ShopConfig>> {
    let token = token(conn).await?;
    if let Some(found) = cached(&token) {
        return Ok(found);
    }
    let loaded = Arc::new(load(conn).await?);
    if let Ok(mut cache) = CACHE.lock() {
        cache.retain(|(t, _)| *t != token);
        cache.insert(0, (token, loaded.clone()));
        cache.truncate(KEEP);
    }
    Ok(loaded)
}

fn cached(token: &str) -> Option<Arc<ShopConfig>> {
    let cache = CACHE.lock().ok()?;
    cache
        .iter()
        .find(|(t, _)| t == token)
        .map(|(_, c)| c.clone())
}

async fn token(conn: &impl ConnectionTrait) -> AppResult<String> {
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT token FROM config_version WHERE id = 1",
        ))
        .await?
        .ok_or_else(|| AppError::Internal("the configuration token is missing".into()))?;
    Ok(row.try_get_by_index(0)?)
}

async fn load(conn: &impl ConnectionTrait) -> AppResult<ShopConfig> {
    let warehouses = warehouse::Entity::find()
        .filter(warehouse::Column::Active.eq(true))
        .order_by_asc(warehouse::Column::Code)
        .all(conn)
        .await?;
    let channels = channel::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let blocklist = blocklist_entry::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|b| ((b.kind, b.value.clone()), b))
        .collect();
    Ok(ShopConfig {
        review: review_config::load(conn).await?,
        stock_policy: settings_json::get(conn, STOCK_POLICY).await?,
        allocation_rules: load_rule_set(conn).await?,
        warehouses,
        channels,
        blocklist,
    })
}
