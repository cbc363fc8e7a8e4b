//! Warehouse scope: staff whose account names warehouses work only in those (admins and
//! unscoped staff everywhere). Every warehouse step checks it against the warehouse it touches.

use crate::db::entity::warehouse;
use crate::domain::auth::Actor;
use crate::error::{AppError, AppResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

/// The warehouse, if the actor works in it; FORBIDDEN (saying where they do) otherwise.
pub async fn check(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    warehouse_id: Uuid,
) -> AppResult<warehouse::Model> {
    let wh = warehouse::Entity::find_by_id(warehouse_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such warehouse.".into()))?;
    if actor.works_in(&wh.code) {
        return Ok(wh);
    }
    Err(AppError::Forbidden(format!(
        "You work in {}, not in {}.",
        actor.warehouse_scope().unwrap_or_default().join(", "),
        wh.code
    )))
}

/// The warehouses a list may show: the one asked for (if the actor works there), else the
/// actor's own; `None` when every warehouse.
pub async fn restrict(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    requested: Option<Uuid>,
) -> AppResult<Option<Vec<Uuid>>> {
    match requested {
        Some(id) => Ok(Some(vec![check(conn, actor, id).await?.id])),
        None => ids(conn, actor).await,
    }
}

/// The ids of the warehouses a scoped actor works in; `None` when every warehouse.
pub async fn ids(conn: &impl ConnectionTrait, actor: &Actor) -> AppResult<Option<Vec<Uuid>>> {
    let Some(codes) = actor.warehouse_scope() else {
        return Ok(None);
    };
    let rows = warehouse::Entity::find()
        .filter(warehouse::Column::Code.is_in(codes.iter().map(|c| c.to_uppercase())))
        .all(conn)
        .await?;
    Ok(Some(rows.into_iter().map(|w| w.id).collect()))
}
