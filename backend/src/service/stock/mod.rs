//! Stock: receipts, adjustments and reservations all go through [`ledger::post`], which changes a
//! bin's numbers with one conditional update and writes the ledger row in the same transaction —
//! so on hand is always the ledger's sum, and no movement can make stock negative or oversold.

pub mod import;
pub mod ledger;
pub mod query;
pub mod scope;

use crate::db::entity::{bin, product, stock, warehouse};
use crate::domain::auth::Actor;
use crate::domain::stock::{BinCode, Movement};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use chrono::Utc;
use orderly_shared::StockMovementKind;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    TransactionTrait,
};
use uuid::Uuid;

/// Where units are and which units: a warehouse, a bin in it, a SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub warehouse_code: String,
    pub bin: String,
    pub sku: String,
}

/// A receipt or an adjustment as a person or a file asks for it.
#[derive(Debug, Clone)]
pub struct StockChange {
    pub place: Place,
    /// RECEIPT (positive) or ADJUSTMENT (signed, non-zero).
    pub kind: StockMovementKind,
    pub quantity: i32,
    pub reason: String,
    pub reference: String,
}

/// Receives or adjusts stock in one transaction, then serves orders waiting for the SKU.
pub async fn change(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    change: StockChange,
) -> AppResult<stock::Model> {
    if !matches!(
        change.kind,
        StockMovementKind::Receipt | StockMovementKind::Adjustment
    ) {
        return Err(AppError::invalid(
            "kind",
            "NOT_ALLOWED",
            "only receipts and adjustments are entered by hand",
        ));
    }
    if change.reason.trim().is_empty() {
        return Err(AppError::invalid(
            "reason",
            "REQUIRED",
            "every stock change needs a reason",
        ));
    }
    let movement = Movement::new(change.kind, change.quantity)
        .map_err(|e| AppError::invalid("quantity", "INVALID_QUANTITY", e.to_string()))?;
    let actor2 = actor.clone();
    let (row, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let row = locate(txn, &change.place, change.kind).await?;
                let row = ledger::post(
                    txn,
                    &row,
                    movement,
                    change.reason.trim(),
                    change.reference.trim(),
                    &actor2,
                )
                .await?;
                let action = match change.kind {
                    StockMovementKind::Receipt => AuditAction::StockReceived,
                    _ => AuditAction::StockAdjusted,
                };
                let entry = audit::record(
                    txn,
                    &actor2,
                    action,
                    "STOCK",
                    Some(row.id.to_string()),
                    Some(serde_json::json!({
                        "warehouse": change.place.warehouse_code,
                        "bin": change.place.bin,
                        "sku": row.sku,
                        "quantity": change.quantity,
                        "reason": change.reason.trim(),
                    })),
                )
                .await?;
                Ok((row, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(row)
}

/// The stock row for a place, creating its bin and row on a receipt (a receipt can open a new
/// bin; an adjustment must name stock that exists).
pub(crate) async fn locate(
    conn: &impl ConnectionTrait,
    place: &Place,
    kind: StockMovementKind,
) -> AppResult<stock::Model> {
    let wh = warehouse::Entity::find()
        .filter(warehouse::Column::Code.eq(place.warehouse_code.trim().to_ascii_uppercase()))
        .one(conn)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "warehouse",
                "UNKNOWN_WAREHOUSE",
                format!("no warehouse {}", place.warehouse_code.trim()),
            )
        })?;
    let code =
        BinCode::parse(&place.bin).map_err(|e| AppError::invalid("bin", "INVALID_BIN", e))?;
    let sku = place.sku.trim();
    let item = product::Entity::find()
        .filter(product::Column::Sku.eq(sku))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::invalid("sku", "UNKNOWN_SKU", format!("no product {sku}")))?;
    let now = Utc::now();
    let creates = kind == StockMovementKind::Receipt;
    let found_bin = bin::Entity::find()
        .filter(bin::Column::WarehouseId.eq(wh.id))
        .filter(bin::Column::Code.eq(code.as_str()))
        .one(conn)
        .await?;
    let bin_row = match found_bin {
        Some(b) => b,
        None if creates => {
            bin::Entity::insert(bin::ActiveModel {
                id: Set(Uuid::now_v7()),
                warehouse_id: Set(wh.id),
                code: Set(code.as_str().to_string()),
                created_at: Set(now),
            })
            .exec_with_returning(conn)
            .await?
        }
        None => {
            return Err(AppError::invalid(
                "bin",
                "UNKNOWN_BIN",
                format!("warehouse {} has no bin {code}", wh.code),
            ));
        }
    };
    let found = stock::Entity::find()
        .filter(stock::Column::BinId.eq(bin_row.id))
        .filter(stock::Column::Sku.eq(sku))
        .one(conn)
        .await?;
    match found {
        Some(row) => Ok(row),
        None if creates => Ok(stock::Entity::insert(stock::ActiveModel {
            id: Set(Uuid::now_v7()),
            warehouse_id: Set(wh.id),
            bin_id: Set(bin_row.id),
            product_id: Set(item.id),
            sku: Set(item.sku.clone()),
            on_hand: Set(0),
            reserved: Set(0),
            blocked: Set(false),
            updated_at: Set(now),
        })
        .exec_with_returning(conn)
        .await?),
        None => Err(AppError::invalid(
            "sku",
            "NO_STOCK",
            format!("bin {code} of {} holds no {sku}", wh.code),
        )),
    }
}
