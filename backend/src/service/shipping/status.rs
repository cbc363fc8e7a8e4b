//! One status change of a shipment, the way every warehouse step does it: the shipment state
//! machine decides, and a conditional update applies it, so two people acting on one shipment at
//! once cannot both succeed.

use crate::db::entity::shipment;
use crate::domain::shipping::{ShipmentCommand, ShipmentOutcome, decide};
use crate::error::{AppError, AppResult};
use crate::service::analytics::rollup;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

/// Applies `command` to `s`; returns the shipment as stored now (unchanged when the command is
/// stale for it).
pub async fn apply(
    conn: &impl ConnectionTrait,
    s: &shipment::Model,
    command: &ShipmentCommand,
) -> AppResult<shipment::Model> {
    if s.cancelled_at.is_some() {
        return Err(AppError::InvalidTransition(
            "the shipment was cancelled".into(),
        ));
    }
    let to =
        match decide(s.status, command).map_err(|e| AppError::InvalidTransition(e.to_string()))? {
            ShipmentOutcome::Moved(to) => to,
            ShipmentOutcome::Stale => return Ok(s.clone()),
            ShipmentOutcome::Cancelled => {
                return cancel(conn, s).await;
            }
        };
    let updated = shipment::Entity::update_many()
        .col_expr(shipment::Column::Status, Expr::value(to))
        .col_expr(shipment::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(shipment::Column::Id.eq(s.id))
        .filter(shipment::Column::Status.eq(s.status))
        .filter(shipment::Column::CancelledAt.is_null())
        .exec_with_returning(conn)
        .await?;
    let moved = updated.into_iter().next().ok_or_else(|| {
        AppError::Conflict("The shipment changed meanwhile; reload and retry.".into())
    })?;
    Box::pin(rollup::shipment_moved(conn, s.status, &moved)).await?;
    Ok(moved)
}

async fn cancel(conn: &impl ConnectionTrait, s: &shipment::Model) -> AppResult<shipment::Model> {
    let now = Utc::now();
    let updated = shipment::Entity::update_many()
        .col_expr(shipment::Column::CancelledAt, Expr::value(now))
        .col_expr(shipment::Column::UpdatedAt, Expr::value(now))
        .filter(shipment::Column::Id.eq(s.id))
        .filter(shipment::Column::Status.eq(s.status))
        .filter(shipment::Column::CancelledAt.is_null())
        .exec_with_returning(conn)
        .await?;
    updated.into_iter().next().ok_or_else(|| {
        AppError::Conflict("The shipment changed meanwhile; reload and retry.".into())
    })
}
