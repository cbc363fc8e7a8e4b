//! One status change of an order, the way every use case does it: the state machine decides,
//! a conditional update applies it (a concurrent change makes it a CONFLICT instead of two
//! decisions both landing), and the timeline entry and live event go in the same transaction.

use super::intake::moved;
use super::timeline::{self, EventKind};
use crate::db::entity::order;
use crate::domain::orders::{OrderCommand, decide};
use crate::error::{AppError, AppResult};
use crate::realtime::{OrderStatusEvent, Realtime};
use crate::service::payments::hold_reasons_json;
use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

/// Who did it, as the timeline shows it: kind and label.
pub type ActorLabel = (&'static str, String);

/// The system's own label, for automatic steps.
pub fn system() -> ActorLabel {
    ("SYSTEM", "system".into())
}

/// Applies `command` to `order`; returns the order as stored now and its live event (staged,
/// to be published after commit). Hold reasons are replaced by the command's (cleared otherwise).
pub async fn apply(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    order: &order::Model,
    command: &OrderCommand,
    actor: &ActorLabel,
    reason: impl Into<String>,
) -> AppResult<(order::Model, OrderStatusEvent)> {
    let to =
        decide(order.status, command).map_err(|e| AppError::InvalidTransition(e.to_string()))?;
    let holds = match command {
        OrderCommand::Hold { reasons } => hold_reasons_json(reasons),
        _ => "[]".to_string(),
    };
    let now = Utc::now();
    let updated = order::Entity::update_many()
        .col_expr(order::Column::Status, Expr::value(to))
        .col_expr(order::Column::HoldReasons, Expr::value(holds))
        .col_expr(order::Column::UpdatedAt, Expr::value(now))
        .filter(order::Column::Id.eq(order.id))
        .filter(order::Column::Status.eq(order.status))
        .exec_with_returning(conn)
        .await?;
    let Some(after) = updated.into_iter().next() else {
        return Err(AppError::Conflict(format!(
            "Order {} changed meanwhile; reload and retry.",
            order.number
        )));
    };
    let codes: Vec<_> = match command {
        OrderCommand::Hold { reasons } => reasons.iter().map(|r| r.code).collect(),
        _ => Vec::new(),
    };
    timeline::record_with_codes(
        conn,
        timeline::Entry {
            order_id: order.id,
            kind: EventKind::StatusChanged,
            from: Some(order.status),
            to: Some(to),
            actor: (actor.0, actor.1.clone()),
            reason: Some(reason.into()),
        },
        &codes,
    )
    .await?;
    let event = moved(order, to, now);
    realtime.stage(conn, &event).await?;
    Ok((after, event))
}
