//! After delivery: the customer confirms receipt (through the partner's storefront, or customer
//! service on the phone), the order completes on its own after the auto-confirm period, and the
//! customer rates the order.

use super::OrderScope;
use super::timeline::{self, EventKind, actor_of};
use super::transition;
use crate::db::entity::{order, order_rating};
use crate::domain::auth::Actor;
use crate::domain::orders::OrderCommand;
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use chrono::Utc;
use orderly_shared::{FieldProblem, OrderStatus};
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait, TryInsertResult,
};
use uuid::Uuid;

/// The longest rating comment kept.
pub const MAX_COMMENT: usize = 1000;

/// The order, if the actor may see it (a partner only its own channel's).
async fn visible(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    order_id: Uuid,
) -> AppResult<order::Model> {
    order::Entity::find_by_id(order_id)
        .one(conn)
        .await?
        .filter(|o| OrderScope::of(actor).admits(o.channel_id))
        .ok_or_else(|| AppError::NotFound(format!("No order with id {order_id}.")))
}

/// The customer confirmed receipt: DELIVERED → COMPLETED.
pub async fn confirm_receipt(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    order_id: Uuid,
) -> AppResult<order::Model> {
    let who = actor_of(actor);
    let hub = realtime.clone();
    let actor = actor.clone();
    let (after, event) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let o = visible(txn, &actor, order_id).await?;
                transition::apply(
                    txn,
                    &hub,
                    &o,
                    &OrderCommand::Complete,
                    &who,
                    "the customer confirmed receipt",
                )
                .await
            })
        })
        .await?;
    realtime.committed([event]);
    Ok(after)
}

/// A customer's rating: once per order, after delivery.
pub async fn rate(
    db: &DatabaseConnection,
    actor: &Actor,
    order_id: Uuid,
    score: i32,
    comment: Option<String>,
) -> AppResult<order_rating::Model> {
    let comment = comment
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let mut problems = Vec::new();
    if !(1..=5).contains(&score) {
        problems.push(FieldProblem::new(
            "score",
            "OUT_OF_RANGE",
            format!("must be 1 to 5 (got {score})"),
        ));
    }
    if comment
        .as_ref()
        .is_some_and(|c| c.chars().count() > MAX_COMMENT)
    {
        problems.push(FieldProblem::new(
            "comment",
            "TOO_LONG",
            format!("at most {MAX_COMMENT} characters"),
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let who = actor_of(actor);
    let actor = actor.clone();
    db.transaction::<_, _, AppError>(|txn| {
        Box::pin(async move {
            let o = visible(txn, &actor, order_id).await?;
            if !matches!(o.status, OrderStatus::Delivered | OrderStatus::Completed) {
                return Err(AppError::InvalidTransition(format!(
                    "Order {} is {}: it can be rated once it was delivered.",
                    o.number, o.status
                )));
            }
            let row = order_rating::Model {
                order_id: o.id,
                score: score as i16,
                comment: comment.clone(),
                rated_at: Utc::now(),
            };
            let inserted = order_rating::Entity::insert(order_rating::ActiveModel {
                order_id: Set(row.order_id),
                score: Set(row.score),
                comment: Set(row.comment.clone()),
                rated_at: Set(row.rated_at),
            })
            .on_conflict_do_nothing_on([order_rating::Column::OrderId])
            .exec(txn)
            .await?;
            if matches!(inserted, TryInsertResult::Conflicted) {
                return Err(AppError::Conflict(format!(
                    "Order {} was already rated.",
                    o.number
                )));
            }
            let text = match &comment {
                Some(c) => format!("rated {score}/5: {c}"),
                None => format!("rated {score}/5"),
            };
            timeline::record(
                txn,
                timeline::Entry {
                    order_id: o.id,
                    kind: EventKind::Completion,
                    from: None,
                    to: None,
                    actor: (who.0, who.1.clone()),
                    reason: Some(text),
                },
            )
            .await?;
            Ok(row)
        })
    })
    .await
    .map_err(Into::into)
}
