//! Warehouses, their bins, stock per SKU per bin (on hand and reserved), and the append-only
//! stock ledger whose sum is always the stock on hand.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
    Code,
    Name,
    Country,
    Region,
    City,
    PostalCode,
    Latitude,
    Longitude,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Bins {
    Table,
    Id,
    WarehouseId,
    Code,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Stock {
    Table,
    Id,
    WarehouseId,
    BinId,
    ProductId,
    Sku,
    OnHand,
    Reserved,
    Blocked,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum StockLedger {
    Table,
    Id,
    At,
    StockId,
    WarehouseId,
    Sku,
    Kind,
    OnHandDelta,
    ReservedDelta,
    Reason,
    Reference,
    ActorKind,
    ActorLabel,
}

#[derive(DeriveIden)]
enum Products {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Warehouses::Table)
                    .col(uuid(Warehouses::Id).primary_key())
                    .col(string_len_uniq(Warehouses::Code, 16))
                    .col(string_len(Warehouses::Name, 100))
                    .col(char_len(Warehouses::Country, 2))
                    .col(string_len_null(Warehouses::Region, 64))
                    .col(string_len(Warehouses::City, 64))
                    .col(string_len_null(Warehouses::PostalCode, 12))
                    .col(double_null(Warehouses::Latitude))
                    .col(double_null(Warehouses::Longitude))
                    .col(boolean(Warehouses::Active).default(true))
                    .col(timestamp_with_time_zone(Warehouses::CreatedAt))
                    .col(timestamp_with_time_zone(Warehouses::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Bins::Table)
                    .col(uuid(Bins::Id).primary_key())
                    .col(uuid(Bins::WarehouseId))
                    // ZONE-AISLE-RACK-LEVEL: sorting by code is the walking path.
                    .col(string_len(Bins::Code, 32))
                    .col(timestamp_with_time_zone(Bins::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Bins::Table, Bins::WarehouseId)
                            .to(Warehouses::Table, Warehouses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("bins_warehouse_code_key")
                    .table(Bins::Table)
                    .col(Bins::WarehouseId)
                    .col(Bins::Code)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Stock::Table)
                    .col(uuid(Stock::Id).primary_key())
                    .col(uuid(Stock::WarehouseId))
                    .col(uuid(Stock::BinId))
                    .col(uuid(Stock::ProductId))
                    .col(string_len(Stock::Sku, 64))
                    .col(integer(Stock::OnHand).default(0))
                    .col(integer(Stock::Reserved).default(0))
                    // A short pick blocks the bin for this SKU until it is counted.
                    .col(boolean(Stock::Blocked).default(false))
                    .col(timestamp_with_time_zone(Stock::UpdatedAt))
                    // The last line of defence against oversell: the database refuses it too.
                    .check(Expr::cust(
                        "on_hand >= 0 AND reserved >= 0 AND reserved <= on_hand",
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stock::Table, Stock::WarehouseId)
                            .to(Warehouses::Table, Warehouses::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stock::Table, Stock::BinId)
                            .to(Bins::Table, Bins::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stock::Table, Stock::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("stock_bin_sku_key")
                    .table(Stock::Table)
                    .col(Stock::BinId)
                    .col(Stock::Sku)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("stock_sku_idx")
                    .table(Stock::Table)
                    .col(Stock::Sku)
                    .col(Stock::WarehouseId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(StockLedger::Table)
                    .col(uuid(StockLedger::Id).primary_key())
                    .col(timestamp_with_time_zone(StockLedger::At))
                    .col(uuid(StockLedger::StockId))
                    .col(uuid(StockLedger::WarehouseId))
                    .col(string_len(StockLedger::Sku, 64))
                    .col(string_len(StockLedger::Kind, 32))
                    .col(integer(StockLedger::OnHandDelta))
                    .col(integer(StockLedger::ReservedDelta))
                    .col(text(StockLedger::Reason))
                    .col(string_len(StockLedger::Reference, 64))
                    .col(string_len(StockLedger::ActorKind, 16))
                    .col(string_len(StockLedger::ActorLabel, 254))
                    .foreign_key(
                        ForeignKey::create()
                            .from(StockLedger::Table, StockLedger::StockId)
                            .to(Stock::Table, Stock::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("stock_ledger_stock_idx")
                    .table(StockLedger::Table)
                    .col(StockLedger::StockId)
                    .col(StockLedger::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("stock_ledger_sku_idx")
                    .table(StockLedger::Table)
                    .col(StockLedger::Sku)
                    .col(StockLedger::Id)
                    .to_owned(),
            )
            .await?;
        append_only(manager, "stock_ledger").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared("DROP FUNCTION IF EXISTS stock_ledger_append_only() CASCADE")
                .await?;
        }
        for table in [
            StockLedger::Table.into_iden(),
            Stock::Table.into_iden(),
            Bins::Table.into_iden(),
            Warehouses::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Makes `table` append-only in the database itself: updates and deletes abort.
async fn append_only(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    match manager.get_database_backend() {
        DbBackend::Postgres => {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN RAISE EXCEPTION '{table} is append-only'; END $$"
            ))
            .await?;
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
            ))
            .await?;
        }
        _ => {
            for op in ["UPDATE", "DELETE"] {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_no_{} BEFORE {op} ON {table} \
                     BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END",
                    op.to_lowercase()
                ))
                .await?;
            }
        }
    }
    Ok(())
}
