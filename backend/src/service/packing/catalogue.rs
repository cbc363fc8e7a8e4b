//! The packaging catalogue: cartons, mailer bags, sealed bags and bubble wrap, edited by
//! warehouse managers and read by cartonization.

use crate::db::entity::packaging;
use crate::domain::auth::Actor;
use crate::domain::money::{Currency, Money};
use crate::domain::packing::{Dimensions, Packaging, PackagingDraft, validate_packaging};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::page::{Page, PageRequest};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait, sea_query::OnConflict,
};
use uuid::Uuid;

/// Catalogue entries by code, a page at a time.
pub async fn list(
    conn: &impl ConnectionTrait,
    page: PageRequest,
) -> AppResult<Page<packaging::Model>> {
    let mut q = packaging::Entity::find().order_by_asc(packaging::Column::Id);
    if let Some(after) = page.after {
        q = q.filter(packaging::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

/// Every entry, as cartonization sees them (it skips the inactive ones itself).
pub async fn all(conn: &impl ConnectionTrait) -> AppResult<Vec<Packaging>> {
    packaging::Entity::find()
        .order_by_asc(packaging::Column::Code)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| to_domain(&row))
        .collect()
}

fn to_domain(row: &packaging::Model) -> AppResult<Packaging> {
    let side = |n: i32| n.max(0) as u32;
    let currency = Currency::parse(&row.currency).map_err(AppError::internal)?;
    Ok(Packaging {
        code: row.code.clone(),
        name: row.name.clone(),
        kind: row.kind,
        inner: Dimensions::new(
            side(row.inner_length_mm),
            side(row.inner_width_mm),
            side(row.inner_height_mm),
        ),
        max_weight_g: side(row.max_weight_g),
        tare_weight_g: side(row.tare_weight_g),
        cost: Money::from_minor(row.cost_minor, currency),
        active: row.active,
    })
}

/// Creates or replaces (by code) a catalogue entry after validating it.
pub async fn save(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    draft: PackagingDraft,
) -> AppResult<packaging::Model> {
    let p = validate_packaging(&draft).map_err(AppError::Validation)?;
    let actor = actor.clone();
    let (row, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let row = upsert(txn, &p).await?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::PackagingSaved,
                    "PACKAGING",
                    Some(p.code.clone()),
                    Some(serde_json::to_value(&p).map_err(AppError::internal)?),
                )
                .await?;
                Ok((row, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(row)
}

/// Writes a validated entry (the demo loader uses this too).
pub async fn upsert(conn: &impl ConnectionTrait, p: &Packaging) -> AppResult<packaging::Model> {
    let now = Utc::now();
    let side = |n: u32| n as i32;
    packaging::Entity::insert(packaging::ActiveModel {
        id: Set(Uuid::now_v7()),
        code: Set(p.code.clone()),
        name: Set(p.name.clone()),
        kind: Set(p.kind),
        inner_length_mm: Set(side(p.inner.length_mm)),
        inner_width_mm: Set(side(p.inner.width_mm)),
        inner_height_mm: Set(side(p.inner.height_mm)),
        max_weight_g: Set(side(p.max_weight_g)),
        tare_weight_g: Set(side(p.tare_weight_g)),
        cost_minor: Set(p.cost.to_minor().map_err(AppError::internal)?),
        currency: Set(p.cost.currency().code().to_string()),
        active: Set(p.active),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(packaging::Column::Code)
            .update_columns([
                packaging::Column::Name,
                packaging::Column::Kind,
                packaging::Column::InnerLengthMm,
                packaging::Column::InnerWidthMm,
                packaging::Column::InnerHeightMm,
                packaging::Column::MaxWeightG,
                packaging::Column::TareWeightG,
                packaging::Column::CostMinor,
                packaging::Column::Currency,
                packaging::Column::Active,
                packaging::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_with_returning(conn)
    .await
    .map_err(Into::into)
}
