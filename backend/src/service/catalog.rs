//! The catalogue: bulk import of products from CSV (API.md). A file is all or nothing: every
//! bad row is reported with its line number, and nothing from the file is written.

use crate::db::entity::product;
use crate::domain::auth::Actor;
use crate::domain::catalog::{Product, ProductDraft, validate_product};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::csv_file;
use chrono::Utc;
use orderly_shared::FieldProblem;
use sea_orm::{
    ActiveValue::Set, DatabaseConnection, EntityTrait, TransactionTrait, sea_query::OnConflict,
};
use uuid::Uuid;

/// The columns of `products.csv`, in the documented order (any order is accepted).
pub const PRODUCT_COLUMNS: [&str; 13] = [
    "sku",
    "name",
    "category",
    "price",
    "currency",
    "gtin",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
    "fragile",
    "liquid",
    "high_value",
];

/// Parses and validates a whole file; problems are at `line[N].column`.
pub fn parse_products(csv_text: &str) -> AppResult<Vec<Product>> {
    let mut problems = Vec::new();
    let rows = csv_file::read(csv_text, &PRODUCT_COLUMNS, &mut problems)?;
    let mut products = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for row in rows {
        let line = row.line;
        let col = |i: usize| row.cell(i).to_string();
        let draft = ProductDraft {
            sku: col(0),
            name: col(1),
            category: col(2),
            price: col(3),
            currency: col(4),
            gtin: col(5),
            weight_g: col(6),
            length_mm: col(7),
            width_mm: col(8),
            height_mm: col(9),
            fragile: col(10),
            liquid: col(11),
            high_value: col(12),
        };
        match validate_product(&draft) {
            Ok(p) => {
                if let Some(first) = seen.insert(p.sku.clone(), line) {
                    problems.push(FieldProblem::new(
                        format!("line[{line}].sku"),
                        "DUPLICATE_SKU",
                        format!("{} is already on line {first}", p.sku),
                    ));
                }
                products.push(p);
            }
            Err(found) => problems.extend(found.into_iter().map(|p| row.locate(p))),
        }
    }
    if problems.is_empty() {
        Ok(products)
    } else {
        Err(AppError::Validation(problems))
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub products: usize,
}

/// Creates or updates (by SKU) every product of the file, in one transaction.
pub async fn import_products(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    csv_text: &str,
) -> AppResult<ImportSummary> {
    let products = parse_products(csv_text)?;
    let count = products.len();
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let now = Utc::now();
                for p in &products {
                    let row = product::ActiveModel {
                        id: Set(Uuid::now_v7()),
                        sku: Set(p.sku.clone()),
                        name: Set(p.name.clone()),
                        category: Set(p.category.clone()),
                        price_minor: Set(p.price.to_minor().map_err(AppError::internal)?),
                        currency: Set(p.price.currency().code().to_string()),
                        gtin: Set(p.gtin.clone()),
                        attributes: Set("{}".into()),
                        weight_g: Set(p.weight_g as i32),
                        length_mm: Set(p.dimensions_mm[0] as i32),
                        width_mm: Set(p.dimensions_mm[1] as i32),
                        height_mm: Set(p.dimensions_mm[2] as i32),
                        fragile: Set(p.fragile),
                        liquid: Set(p.liquid),
                        high_value: Set(p.high_value),
                        active: Set(true),
                        created_at: Set(now),
                        updated_at: Set(now),
                    };
                    use product::Column as C;
                    product::Entity::insert(row)
                        .on_conflict(
                            OnConflict::column(C::Sku)
                                .update_columns([
                                    C::Name,
                                    C::Category,
                                    C::PriceMinor,
                                    C::Currency,
                                    C::Gtin,
                                    C::WeightG,
                                    C::LengthMm,
                                    C::WidthMm,
                                    C::HeightMm,
                                    C::Fragile,
                                    C::Liquid,
                                    C::HighValue,
                                    C::Active,
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
                    AuditAction::ProductsImported,
                    "PRODUCT",
                    None,
                    Some(serde_json::json!({ "products": count })),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(ImportSummary { products: count })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "sku,name,category,price,currency,gtin,weight_g,length_mm,width_mm,height_mm,fragile,liquid,high_value";

    #[test]
    fn a_good_file_parses_and_bad_rows_are_reported_with_line_numbers() {
        let good = format!(
            "{HEADER}\nTEA-1,Oolong,tea,89.00,CNY,4006381333931,250,100,80,60,false,false,false\n"
        );
        assert_eq!(parse_products(&good).unwrap().len(), 1);
        let bad = format!(
            "{HEADER}\nTEA-1,Oolong,tea,89.00,CNY,,250,100,80,60,false,false,false\nTEA-2,Green,tea,abc,CNY,,250,100,80,60,false,false,false\nTEA-1,Again,tea,1.00,CNY,,1,1,1,1,,,\n"
        );
        let Err(AppError::Validation(problems)) = parse_products(&bad) else {
            panic!("should fail")
        };
        let paths: Vec<_> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            paths,
            vec![
                ("line[3].price", "INVALID_AMOUNT"),
                ("line[4].sku", "DUPLICATE_SKU")
            ]
        );
    }

    #[test]
    fn a_header_without_the_documented_columns_is_refused() {
        let Err(AppError::Validation(problems)) = parse_products("sku,name\nA,B\n") else {
            panic!()
        };
        assert_eq!(problems[0].code, "MISSING_COLUMNS");
        assert!(problems[0].message.contains("category"));
    }
}

/// Filters for the product list; all optional.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// Part of the SKU or name.
    pub search: Option<String>,
    pub category: Option<String>,
}

/// Products in the order they were added, keyset-paged.
pub async fn list_products(
    db: &DatabaseConnection,
    filter: &ProductFilter,
    page: crate::service::page::PageRequest,
) -> AppResult<crate::service::page::Page<product::Model>> {
    use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};
    let mut cond = Condition::all();
    if let Some(search) = filter
        .search
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        cond = cond.add(
            Condition::any()
                .add(product::Column::Sku.contains(search.to_uppercase()))
                .add(product::Column::Name.contains(search)),
        );
    }
    if let Some(category) = filter
        .category
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        cond = cond.add(product::Column::Category.eq(category));
    }
    if let Some(after) = page.after {
        cond = cond.add(product::Column::Id.gt(after));
    }
    let rows = product::Entity::find()
        .filter(cond)
        .order_by_asc(product::Column::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    Ok(crate::service::page::Page::from_overfetch(rows, page.first))
}

/// Customers, newest first; `search` matches an e-mail exactly or part of a name.
pub async fn list_customers(
    db: &DatabaseConnection,
    search: Option<&str>,
    page: crate::service::page::PageRequest,
) -> AppResult<crate::service::page::Page<crate::db::entity::customer::Model>> {
    use crate::db::entity::customer;
    use sea_orm::{ColumnTrait, Condition, QueryFilter, QueryOrder, QuerySelect};
    let mut cond = Condition::all();
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        cond = cond.add(if search.contains('@') {
            customer::Column::Email.eq(search.to_lowercase())
        } else {
            customer::Column::Name.contains(search)
        });
    }
    if let Some(after) = page.after {
        cond = cond.add(customer::Column::Id.lt(after));
    }
    let rows = customer::Entity::find()
        .filter(cond)
        .order_by_desc(customer::Column::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    Ok(crate::service::page::Page::from_overfetch(rows, page.first))
}
