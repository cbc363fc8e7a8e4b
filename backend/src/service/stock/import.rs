//! `orderly import warehouses` and `orderly import stock` (CSV as in API.md). Each file is all
//! or nothing: every bad row is reported with its line number, and nothing is written.

use super::{Place, ledger, locate};
use crate::db::entity::{product, warehouse};
use crate::domain::auth::Actor;
use crate::domain::stock::{BinCode, Movement, Warehouse, WarehouseDraft, validate_warehouse};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::csv_file;
use chrono::Utc;
use orderly_shared::{FieldProblem, StockMovementKind};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::OnConflict,
};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The columns of `warehouses.csv`.
pub const WAREHOUSE_COLUMNS: [&str; 8] = [
    "code",
    "name",
    "country",
    "region",
    "city",
    "postal_code",
    "latitude",
    "longitude",
];

/// The columns of `stock.csv`: each row a receipt of `quantity` units into the bin.
pub const STOCK_COLUMNS: [&str; 4] = ["warehouse_code", "sku", "bin", "quantity"];

/// Parses and validates `warehouses.csv`.
pub fn parse_warehouses(text: &str) -> AppResult<Vec<Warehouse>> {
    let mut problems = Vec::new();
    let rows = csv_file::read(text, &WAREHOUSE_COLUMNS, &mut problems)?;
    let mut seen = HashMap::new();
    let mut warehouses = Vec::new();
    for row in rows {
        let c = |i| row.cell(i).to_string();
        let draft = WarehouseDraft {
            code: c(0),
            name: c(1),
            country: c(2),
            region: c(3),
            city: c(4),
            postal_code: c(5),
            latitude: c(6),
            longitude: c(7),
        };
        match validate_warehouse(&draft) {
            Ok(w) => {
                if let Some(first) = seen.insert(w.code.clone(), row.line) {
                    problems.push(row.locate(FieldProblem::new(
                        "code",
                        "DUPLICATE_CODE",
                        format!("{} is already on line {first}", w.code),
                    )));
                }
                warehouses.push(w);
            }
            Err(found) => problems.extend(found.into_iter().map(|p| row.locate(p))),
        }
    }
    if problems.is_empty() {
        Ok(warehouses)
    } else {
        Err(AppError::Validation(problems))
    }
}

/// Creates or updates (by code) every warehouse of the file.
pub async fn import_warehouses(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    text: &str,
) -> AppResult<usize> {
    let warehouses = parse_warehouses(text)?;
    let count = warehouses.len();
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let now = Utc::now();
                for w in warehouses {
                    use warehouse::Column as C;
                    warehouse::Entity::insert(warehouse::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        code: Set(w.code),
                        name: Set(w.name),
                        country: Set(w.country),
                        region: Set(w.region),
                        city: Set(w.city),
                        postal_code: Set(w.postal_code),
                        latitude: Set(w.coordinates.map(|c| c.0)),
                        longitude: Set(w.coordinates.map(|c| c.1)),
                        active: Set(true),
                        created_at: Set(now),
                        updated_at: Set(now),
                    })
                    .on_conflict(
                        OnConflict::column(C::Code)
                            .update_columns([
                                C::Name,
                                C::Country,
                                C::Region,
                                C::City,
                                C::PostalCode,
                                C::Latitude,
                                C::Longitude,
                                C::UpdatedAt,
                            ])
                            .to_owned(),
                    )
                    .exec(txn)
                    .await?;
                }
                audit::record(
                    txn,
                    &actor,
                    AuditAction::WarehousesImported,
                    "WAREHOUSE",
                    None,
                    Some(serde_json::json!({ "warehouses": count })),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(count)
}

/// One validated row of `stock.csv`.
struct Receipt {
    place: Place,
    quantity: i32,
}

/// Receives every row of `stock.csv` in one transaction; `reference` names the file in the
/// ledger. Returns the number of units received per SKU.
pub async fn import_stock(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    text: &str,
    reference: &str,
) -> AppResult<HashMap<String, i64>> {
    let receipts = parse_stock(db, text).await?;
    let actor = actor.clone();
    let reference = reference.to_string();
    let (units, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let mut units: HashMap<String, i64> = HashMap::new();
                for r in &receipts {
                    let row = locate(txn, &r.place, StockMovementKind::Receipt).await?;
                    let movement = Movement::new(StockMovementKind::Receipt, r.quantity)
                        .map_err(AppError::internal)?;
                    ledger::post(txn, &row, movement, "stock import", &reference, &actor).await?;
                    *units.entry(row.sku).or_default() += i64::from(r.quantity);
                }
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::StockImported,
                    "STOCK",
                    None,
                    Some(serde_json::json!({ "rows": receipts.len(), "file": reference })),
                )
                .await?;
                Ok((units, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(units)
}

/// Validates every row against the warehouses and products that exist, before writing anything.
async fn parse_stock(db: &DatabaseConnection, text: &str) -> AppResult<Vec<Receipt>> {
    let mut problems = Vec::new();
    let rows = csv_file::read(text, &STOCK_COLUMNS, &mut problems)?;
    let codes: HashSet<String> = warehouse::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.code)
        .collect();
    let wanted: Vec<String> = rows.iter().map(|r| r.cell(1).to_string()).collect();
    let skus: HashSet<String> = product::Entity::find()
        .filter(product::Column::Sku.is_in(wanted))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.sku)
        .collect();
    let mut receipts = Vec::new();
    for row in rows {
        let mut bad = |path: &str, code: &str, message: String| {
            problems.push(row.locate(FieldProblem::new(path, code, message)));
        };
        let warehouse_code = row.cell(0).to_ascii_uppercase();
        if !codes.contains(&warehouse_code) {
            bad(
                "warehouse_code",
                "UNKNOWN_WAREHOUSE",
                format!("no warehouse {:?}", row.cell(0)),
            );
        }
        if !skus.contains(row.cell(1)) {
            bad(
                "sku",
                "UNKNOWN_SKU",
                format!("no product {:?}", row.cell(1)),
            );
        }
        let bin = BinCode::parse(row.cell(2)).map_err(|e| bad("bin", "INVALID_BIN", e));
        let quantity = match row.cell(3).parse::<i32>() {
            Ok(q) if (1..=1_000_000).contains(&q) => Some(q),
            _ => {
                bad(
                    "quantity",
                    "INVALID_QUANTITY",
                    format!(
                        "must be a whole number from 1 to 1000000 (got {:?})",
                        row.cell(3)
                    ),
                );
                None
            }
        };
        if let (Ok(bin), Some(quantity)) = (bin, quantity) {
            receipts.push(Receipt {
                place: Place {
                    warehouse_code,
                    bin: bin.as_str().to_string(),
                    sku: row.cell(1).to_string(),
                },
                quantity,
            });
        }
    }
    if problems.is_empty() {
        Ok(receipts)
    } else {
        Err(AppError::Validation(problems))
    }
}
