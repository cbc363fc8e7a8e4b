//! Setting the out-of-stock policy: the merchant's, and per-channel overrides.

use super::StockPolicy;
use crate::db::entity::channel;
use crate::domain::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::service::api_keys::parse_channel_code;
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::settings_json::{self, STOCK_POLICY};
use orderly_shared::OutOfStockPolicy;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
};

/// Stores the merchant's policy.
pub async fn set_policy(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    value: &StockPolicy,
) -> AppResult<()> {
    settings_json::put_audited(
        db,
        bus,
        actor,
        STOCK_POLICY,
        AuditAction::StockSettingsChanged,
        value.clone(),
    )
    .await
}

/// Overrides (or with `None` clears the override of) one channel's policy.
pub async fn set_channel_policy(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    code: &str,
    policy: Option<OutOfStockPolicy>,
) -> AppResult<()> {
    let code = parse_channel_code(code)?;
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let updated = channel::Entity::update_many()
                    .col_expr(channel::Column::OutOfStockPolicy, Expr::value(policy))
                    .filter(channel::Column::Code.eq(code.clone()))
                    .exec(txn)
                    .await?;
                if updated.rows_affected == 0 {
                    return Err(AppError::NotFound(format!("No channel {code}.")));
                }
                audit::record(
                    txn,
                    &actor,
                    AuditAction::StockSettingsChanged,
                    "CHANNEL",
                    Some(code.clone()),
                    Some(serde_json::json!({ "outOfStockPolicy": policy })),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(())
}
