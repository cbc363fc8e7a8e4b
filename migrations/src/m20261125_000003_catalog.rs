//! The catalogue: products (SKUs with barcode, dimensions and handling flags) and coupons.
//! Money is stored as integer minor units with its currency (SQLite has no exact decimal).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
    Sku,
    Name,
    Category,
    PriceMinor,
    Currency,
    Gtin,
    Attributes,
    WeightG,
    LengthMm,
    WidthMm,
    HeightMm,
    Fragile,
    Liquid,
    HighValue,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Coupons {
    Table,
    Id,
    Code,
    Kind,
    PercentBp,
    AmountMinor,
    Currency,
    MinOrderMinor,
    ValidFrom,
    ValidUntil,
    TotalLimit,
    UsedTotal,
    PerCustomerLimit,
    Active,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(uuid(Products::Id).primary_key())
                    .col(string_len_uniq(Products::Sku, 64))
                    .col(string_len(Products::Name, 200))
                    .col(string_len(Products::Category, 64))
                    .col(big_integer(Products::PriceMinor))
                    .col(char_len(Products::Currency, 3))
                    .col(string_len_null(Products::Gtin, 14))
                    // Variant attributes such as size and colour, as a JSON object.
                    .col(text(Products::Attributes))
                    .col(integer(Products::WeightG))
                    .col(integer(Products::LengthMm))
                    .col(integer(Products::WidthMm))
                    .col(integer(Products::HeightMm))
                    .col(boolean(Products::Fragile))
                    .col(boolean(Products::Liquid))
                    .col(boolean(Products::HighValue))
                    .col(boolean(Products::Active))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("products_category_idx")
                    .table(Products::Table)
                    .col(Products::Category)
                    .col(Products::Sku)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Coupons::Table)
                    .col(uuid(Coupons::Id).primary_key())
                    .col(string_len_uniq(Coupons::Code, 32))
                    .col(string_len(Coupons::Kind, 16))
                    // Percentage coupons in basis points (1250 = 12.5 %).
                    .col(integer_null(Coupons::PercentBp))
                    .col(big_integer_null(Coupons::AmountMinor))
                    .col(char_len(Coupons::Currency, 3))
                    .col(big_integer_null(Coupons::MinOrderMinor))
                    .col(timestamp_with_time_zone(Coupons::ValidFrom))
                    .col(timestamp_with_time_zone_null(Coupons::ValidUntil))
                    .col(integer_null(Coupons::TotalLimit))
                    .col(integer(Coupons::UsedTotal).default(0))
                    .col(integer_null(Coupons::PerCustomerLimit))
                    .col(boolean(Coupons::Active))
                    .col(timestamp_with_time_zone(Coupons::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Coupons::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Products::Table).to_owned())
            .await
    }
}
