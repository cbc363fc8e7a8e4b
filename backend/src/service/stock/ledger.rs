//! The only way stock changes: one conditional update of the bin's row (so concurrent movements
//! can never take it below zero or reserve more than is on hand) plus its ledger row, in the
//! same transaction.

use crate::db::entity::{stock, stock_ledger};
use crate::domain::auth::Actor;
use crate::domain::stock::{Movement, StockLevel};
use crate::error::{AppError, AppResult};
use crate::service::orders::timeline::actor_of;
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

/// Applies `movement` to the stock row and records it; returns the row as it is now.
pub async fn post(
    conn: &impl ConnectionTrait,
    row: &stock::Model,
    movement: Movement,
    reason: &str,
    reference: &str,
    actor: &Actor,
) -> AppResult<stock::Model> {
    let (actor_kind, actor_label) = actor_of(actor);
    post_as(
        conn,
        row,
        movement,
        reason,
        reference,
        (actor_kind, &actor_label),
    )
    .await
}

/// [`post`] with the actor given as the timeline shows it.
pub async fn post_as(
    conn: &impl ConnectionTrait,
    row: &stock::Model,
    movement: Movement,
    reason: &str,
    reference: &str,
    actor: (&str, &str),
) -> AppResult<stock::Model> {
    let Some(after) = apply(conn, row.id, movement).await? else {
        let now = stock::Entity::find_by_id(row.id)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::NotFound("The stock row is gone.".into()))?;
        let level = StockLevel {
            on_hand: now.on_hand,
            reserved: now.reserved,
        };
        let why = movement
            .apply(level)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "the stock changed meanwhile; retry".into());
        return Err(AppError::Conflict(format!("{}: {why}", row.sku)));
    };
    stock_ledger::Entity::insert(entry(row, movement, reason, reference, actor))
        .exec(conn)
        .await?;
    Ok(after)
}

/// Changes the row by `movement` if the result is possible (never negative, never more reserved
/// than on hand, checked against the row as it is at update time); `None` when it is not.
pub async fn apply(
    conn: &impl ConnectionTrait,
    stock_id: Uuid,
    movement: Movement,
) -> AppResult<Option<stock::Model>> {
    let (dh, dr) = (movement.on_hand_delta, movement.reserved_delta);
    let on_hand = || Expr::col(stock::Column::OnHand).add(dh);
    let reserved = || Expr::col(stock::Column::Reserved).add(dr);
    let updated = stock::Entity::update_many()
        .col_expr(stock::Column::OnHand, on_hand())
        .col_expr(stock::Column::Reserved, reserved())
        .col_expr(stock::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(stock::Column::Id.eq(stock_id))
        .filter(on_hand().gte(0))
        .filter(reserved().gte(0))
        .filter(reserved().lte(on_hand()))
        .exec_with_returning(conn)
        .await?;
    Ok(updated.into_iter().next())
}

/// The ledger row of `movement` on `row`, for callers that insert several at once.
pub fn entry(
    row: &stock::Model,
    movement: Movement,
    reason: &str,
    reference: &str,
    actor: (&str, &str),
) -> stock_ledger::ActiveModel {
    stock_ledger::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(Utc::now()),
        stock_id: Set(row.id),
        warehouse_id: Set(row.warehouse_id),
        sku: Set(row.sku.clone()),
        kind: Set(movement.kind),
        on_hand_delta: Set(movement.on_hand_delta),
        reserved_delta: Set(movement.reserved_delta),
        reason: Set(reason.to_string()),
        reference: Set(reference.chars().take(64).collect()),
        actor_kind: Set(actor.0.to_string()),
        actor_label: Set(actor.1.to_string()),
    }
}
