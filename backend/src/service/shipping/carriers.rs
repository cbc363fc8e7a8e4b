//! The carrier catalogue: each carrier's whole definition (services, coverage, limits, rates) is
//! validated by the domain and stored as one JSON document, so the editor saves it atomically.

use crate::db::entity::carrier;
use crate::domain::auth::Actor;
use crate::domain::shipping::{Carrier, CarrierDraft, validate_carrier};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait, sea_query::OnConflict,
};
use uuid::Uuid;

/// Every carrier, by code.
pub async fn all(conn: &impl ConnectionTrait) -> AppResult<Vec<Carrier>> {
    let rows = carrier::Entity::find()
        .order_by_asc(carrier::Column::Code)
        .all(conn)
        .await?;
    rows.iter().map(parse).collect()
}

/// The carrier with `code`, if any.
pub async fn find(conn: &impl ConnectionTrait, code: &str) -> AppResult<Option<Carrier>> {
    let row = carrier::Entity::find()
        .filter(carrier::Column::Code.eq(code.trim().to_uppercase()))
        .one(conn)
        .await?;
    row.as_ref().map(parse).transpose()
}

fn parse(row: &carrier::Model) -> AppResult<Carrier> {
    serde_json::from_str(&row.definition).map_err(|e| {
        AppError::Internal(format!("carrier {} is stored unreadably: {e}", row.code).into())
    })
}

/// Creates or replaces (by code) a carrier after validating the whole definition.
pub async fn save(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    draft: CarrierDraft,
) -> AppResult<Carrier> {
    let carrier = validate_carrier(draft).map_err(AppError::Validation)?;
    let stored = carrier.clone();
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                upsert(txn, &stored).await?;
                audit::record(
                    txn,
                    &actor,
                    AuditAction::CarrierSaved,
                    "CARRIER",
                    Some(stored.code.clone()),
                    Some(serde_json::to_value(&stored).map_err(AppError::internal)?),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(carrier)
}

/// Writes a validated carrier (the demo loader uses this too).
pub async fn upsert(conn: &impl ConnectionTrait, carrier: &Carrier) -> AppResult<()> {
    let now = Utc::now();
    carrier::Entity::insert(carrier::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(carrier.code.clone()),
        name: Set(carrier.name.clone()),
        active: Set(carrier.active),
        definition: Set(serde_json::to_string(carrier).map_err(AppError::internal)?),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(carrier::Column::Code)
            .update_columns([
                carrier::Column::Name,
                carrier::Column::Active,
                carrier::Column::Definition,
                carrier::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec(conn)
    .await?;
    Ok(())
}
