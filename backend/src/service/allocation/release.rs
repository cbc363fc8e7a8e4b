//! Gives an order's reserved stock back (cancel, reject). Each reservation is released by a
//! conditional update on its state, so a retry or a concurrent second cancel releases nothing
//! twice.

use super::{active_reservations, close_stockouts};
use crate::db::entity::reservation::{self, ReservationState};
use crate::db::entity::stock;
use crate::domain::stock::Movement;
use crate::error::{AppError, AppResult};
use crate::service::orders::transition::ActorLabel;
use crate::service::stock::ledger;
use chrono::Utc;
use orderly_shared::StockMovementKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use std::collections::BTreeSet;

/// Releases every active reservation of the order; returns the SKUs that got stock back.
pub async fn release_order(
    conn: &impl ConnectionTrait,
    order_id: uuid::Uuid,
    order_number: &str,
    reason: &str,
    actor: &ActorLabel,
) -> AppResult<BTreeSet<String>> {
    let mut freed = BTreeSet::new();
    for r in active_reservations(conn, order_id).await? {
        let claimed = reservation::Entity::update_many()
            .col_expr(
                reservation::Column::State,
                Expr::value(ReservationState::Released),
            )
            .col_expr(reservation::Column::ReleasedAt, Expr::value(Utc::now()))
            .filter(reservation::Column::Id.eq(r.id))
            .filter(reservation::Column::State.eq(ReservationState::Active))
            .exec(conn)
            .await?;
        if claimed.rows_affected != 1 {
            continue; // released (or picked) by someone else meanwhile
        }
        let row = stock::Entity::find_by_id(r.stock_id)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::Internal("reserved stock row vanished".into()))?;
        let movement =
            Movement::new(StockMovementKind::Release, r.quantity).map_err(AppError::internal)?;
        ledger::post_as(
            conn,
            &row,
            movement,
            reason,
            order_number,
            (actor.0, &actor.1),
        )
        .await?;
        freed.insert(r.sku);
    }
    close_stockouts(conn, order_id, "CANCELLED").await?;
    Ok(freed)
}
