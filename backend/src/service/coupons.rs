//! Coupons as the merchant sets them up; intake applies them (see `orders::intake`).

use crate::db::entity::coupon;
use crate::domain::auth::Actor;
use crate::domain::coupons::{CouponDraft, CouponKindDraft, validate_coupon};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::page::{Page, PageRequest};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

pub async fn create(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    draft: CouponDraft,
) -> AppResult<coupon::Model> {
    let def = validate_coupon(&draft).map_err(AppError::Validation)?;
    let actor = actor.clone();
    let (row, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let code = def.code.clone();
                let row = coupon::Entity::insert(coupon::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    code: Set(def.code.clone()),
                    kind: Set(match def.kind {
                        CouponKindDraft::Percentage => "PERCENTAGE".into(),
                        CouponKindDraft::Fixed => "FIXED".into(),
                    }),
                    percent_bp: Set(def.percent_bp),
                    amount_minor: Set(def.amount_minor),
                    currency: Set(def.currency.code().into()),
                    min_order_minor: Set(def.min_order_minor),
                    valid_from: Set(def.valid_from),
                    valid_until: Set(def.valid_until),
                    total_limit: Set(def.total_limit),
                    used_total: Set(0),
                    per_customer_limit: Set(def.per_customer_limit),
                    active: Set(true),
                    created_at: Set(Utc::now()),
                })
                .exec_with_returning(txn)
                .await
                .map_err(|e| match e.sql_err() {
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                        AppError::Conflict(format!("A coupon with the code {code} already exists."))
                    }
                    _ => e.into(),
                })?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::CouponCreated,
                    "COUPON",
                    Some(row.id.to_string()),
                    Some(serde_json::json!({ "code": row.code })),
                )
                .await?;
                Ok((row, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(row)
}

/// Newest first.
pub async fn list(db: &DatabaseConnection, page: PageRequest) -> AppResult<Page<coupon::Model>> {
    let mut query = coupon::Entity::find().order_by_desc(coupon::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(coupon::Column::Id.lt(after));
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Gives back one use of each coupon (an order that used them ended before shipping).
pub async fn give_back(conn: &impl sea_orm::ConnectionTrait, codes: Vec<String>) -> AppResult<()> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if codes.is_empty() {
        return Ok(());
    }
    coupon::Entity::update_many()
        .col_expr(
            coupon::Column::UsedTotal,
            Expr::col(coupon::Column::UsedTotal).sub(1),
        )
        .filter(coupon::Column::Code.is_in(codes))
        .filter(coupon::Column::UsedTotal.gt(0))
        .exec(conn)
        .await?;
    Ok(())
}
