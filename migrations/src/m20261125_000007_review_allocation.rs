//! Review and allocation: what the automatic review needs (address keys, order tags, risk rules,
//! the blocklist), what allocation produces (shipments, their lines and the stock reservations
//! behind them), unmet demand (stockouts) and the refunds owed when lines or orders are cancelled.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    AddressKey,
    Tags,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    CancelledQuantity,
}

#[derive(DeriveIden)]
enum Channels {
    Table,
    OutOfStockPolicy,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Stock {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Shipments {
    Table,
    Id,
    OrderId,
    WarehouseId,
    Status,
    Carrier,
    TrackingNumber,
    Instructions,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ShipmentLines {
    Table,
    Id,
    ShipmentId,
    OrderLineId,
    Sku,
    Quantity,
}

#[derive(DeriveIden)]
enum Reservations {
    Table,
    Id,
    OrderId,
    ShipmentLineId,
    StockId,
    Sku,
    Quantity,
    State,
    CreatedAt,
    ReleasedAt,
}

#[derive(DeriveIden)]
enum Stockouts {
    Table,
    Id,
    OrderId,
    OrderLineId,
    Sku,
    Quantity,
    Policy,
    ExpectedOn,
    Open,
    At,
    ResolvedAt,
    Resolution,
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    Id,
    OrderId,
    AmountMinor,
    Currency,
    Status,
    Reason,
    RequestedByKind,
    RequestedByLabel,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RiskRules {
    Table,
    Id,
    Name,
    Definition,
    Weight,
    Enabled,
    Position,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Blocklist {
    Table,
    Id,
    Kind,
    Value,
    Label,
    Reason,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AllocationRules {
    Table,
    Id,
    Position,
    Name,
    Definition,
    Enabled,
    IsDefault,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite takes no more.
        let columns = [
            (
                Orders::Table.into_iden(),
                // The normalized shipping address (hashed), so velocity and blocklist checks
                // count trivially different spellings as one address.
                string_len(Orders::AddressKey, 64).default("").to_owned(),
            ),
            (
                Orders::Table.into_iden(),
                text(Orders::Tags).default("[]").to_owned(),
            ),
            (
                OrderLines::Table.into_iden(),
                integer(OrderLines::CancelledQuantity).default(0).to_owned(),
            ),
            (
                Channels::Table.into_iden(),
                string_len_null(Channels::OutOfStockPolicy, 16),
            ),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).add_column(column).to_owned())
                .await?;
        }
        index(
            manager,
            "orders_address_key_idx",
            Orders::Table,
            [Orders::AddressKey, Orders::Id],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Shipments::Table)
                    .col(uuid(Shipments::Id).primary_key())
                    .col(uuid(Shipments::OrderId))
                    .col(uuid(Shipments::WarehouseId))
                    .col(string_len(Shipments::Status, 32))
                    .col(string_len_null(Shipments::Carrier, 32))
                    .col(string_len_null(Shipments::TrackingNumber, 64))
                    // JSON: the special-request instructions for the warehouse and carrier.
                    .col(text(Shipments::Instructions).default("[]"))
                    .col(timestamp_with_time_zone(Shipments::CreatedAt))
                    .col(timestamp_with_time_zone(Shipments::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shipments::Table, Shipments::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Shipments::Table, Shipments::WarehouseId)
                            .to(Warehouses::Table, Warehouses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "shipments_order_idx",
            Shipments::Table,
            [Shipments::OrderId, Shipments::Id],
            false,
        )
        .await?;
        index(
            manager,
            "shipments_warehouse_status_idx",
            Shipments::Table,
            [Shipments::WarehouseId, Shipments::Status, Shipments::Id],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ShipmentLines::Table)
                    .col(uuid(ShipmentLines::Id).primary_key())
                    .col(uuid(ShipmentLines::ShipmentId))
                    .col(uuid(ShipmentLines::OrderLineId))
                    .col(string_len(ShipmentLines::Sku, 64))
                    .col(integer(ShipmentLines::Quantity))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ShipmentLines::Table, ShipmentLines::ShipmentId)
                            .to(Shipments::Table, Shipments::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ShipmentLines::Table, ShipmentLines::OrderLineId)
                            .to(OrderLines::Table, OrderLines::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "shipment_lines_shipment_idx",
            ShipmentLines::Table,
            [ShipmentLines::ShipmentId, ShipmentLines::Id],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Reservations::Table)
                    .col(uuid(Reservations::Id).primary_key())
                    .col(uuid(Reservations::OrderId))
                    .col(uuid(Reservations::ShipmentLineId))
                    .col(uuid(Reservations::StockId))
                    .col(string_len(Reservations::Sku, 64))
                    .col(integer(Reservations::Quantity))
                    // ACTIVE until released (cancel, reject) or consumed by a pick: each happens
                    // once, by a conditional update on this column.
                    .col(string_len(Reservations::State, 16))
                    .col(timestamp_with_time_zone(Reservations::CreatedAt))
                    .col(timestamp_with_time_zone_null(Reservations::ReleasedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reservations::Table, Reservations::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reservations::Table, Reservations::ShipmentLineId)
                            .to(ShipmentLines::Table, ShipmentLines::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reservations::Table, Reservations::StockId)
                            .to(Stock::Table, Stock::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "reservations_order_idx",
            Reservations::Table,
            [Reservations::OrderId, Reservations::State],
            false,
        )
        .await?;
        index(
            manager,
            "reservations_stock_idx",
            Reservations::Table,
            [Reservations::StockId, Reservations::State],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Stockouts::Table)
                    .col(uuid(Stockouts::Id).primary_key())
                    .col(uuid(Stockouts::OrderId))
                    .col(uuid(Stockouts::OrderLineId))
                    .col(string_len(Stockouts::Sku, 64))
                    .col(integer(Stockouts::Quantity))
                    .col(string_len(Stockouts::Policy, 16))
                    .col(date_null(Stockouts::ExpectedOn))
                    .col(boolean(Stockouts::Open))
                    .col(timestamp_with_time_zone(Stockouts::At))
                    .col(timestamp_with_time_zone_null(Stockouts::ResolvedAt))
                    .col(string_len_null(Stockouts::Resolution, 16))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Stockouts::Table, Stockouts::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        // Back-in-stock serves the oldest waiting demand for a SKU first.
        index(
            manager,
            "stockouts_sku_open_idx",
            Stockouts::Table,
            [Stockouts::Sku, Stockouts::Open, Stockouts::Id],
            false,
        )
        .await?;
        index(
            manager,
            "stockouts_order_idx",
            Stockouts::Table,
            [Stockouts::OrderId],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Refunds::Table)
                    .col(uuid(Refunds::Id).primary_key())
                    .col(uuid(Refunds::OrderId))
                    .col(big_integer(Refunds::AmountMinor))
                    .col(char_len(Refunds::Currency, 3))
                    .col(string_len(Refunds::Status, 16))
                    .col(text(Refunds::Reason))
                    .col(string_len(Refunds::RequestedByKind, 16))
                    .col(string_len(Refunds::RequestedByLabel, 254))
                    .col(timestamp_with_time_zone(Refunds::CreatedAt))
                    .col(timestamp_with_time_zone(Refunds::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Refunds::Table, Refunds::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "refunds_order_idx",
            Refunds::Table,
            [Refunds::OrderId, Refunds::Id],
            false,
        )
        .await?;
        index(
            manager,
            "refunds_status_idx",
            Refunds::Table,
            [Refunds::Status, Refunds::Id],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(RiskRules::Table)
                    .col(uuid(RiskRules::Id).primary_key())
                    .col(string_len(RiskRules::Name, 100))
                    // JSON: the rule's kind and parameters.
                    .col(text(RiskRules::Definition))
                    .col(integer(RiskRules::Weight))
                    .col(boolean(RiskRules::Enabled))
                    .col(integer(RiskRules::Position))
                    .col(timestamp_with_time_zone(RiskRules::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Blocklist::Table)
                    .col(uuid(Blocklist::Id).primary_key())
                    .col(string_len(Blocklist::Kind, 16))
                    // Normalized (E.164 phone, lower-case e-mail, address key) so lookups are exact.
                    .col(string_len(Blocklist::Value, 300))
                    .col(string_len(Blocklist::Label, 300))
                    .col(text(Blocklist::Reason))
                    .col(string_len(Blocklist::CreatedBy, 254))
                    .col(timestamp_with_time_zone(Blocklist::CreatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "blocklist_kind_value_key",
            Blocklist::Table,
            [Blocklist::Kind, Blocklist::Value],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AllocationRules::Table)
                    .col(uuid(AllocationRules::Id).primary_key())
                    .col(integer(AllocationRules::Position))
                    .col(string_len(AllocationRules::Name, 100))
                    // JSON: conditions, strategy and split policy.
                    .col(text(AllocationRules::Definition))
                    .col(boolean(AllocationRules::Enabled))
                    .col(boolean(AllocationRules::IsDefault))
                    .col(timestamp_with_time_zone(AllocationRules::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AllocationRules::Table.into_iden(),
            Blocklist::Table.into_iden(),
            RiskRules::Table.into_iden(),
            Refunds::Table.into_iden(),
            Stockouts::Table.into_iden(),
            Reservations::Table.into_iden(),
            ShipmentLines::Table.into_iden(),
            Shipments::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("orders_address_key_idx")
                    .table(Orders::Table)
                    .to_owned(),
            )
            .await?;
        let columns = [
            (Orders::Table.into_iden(), Orders::AddressKey.into_iden()),
            (Orders::Table.into_iden(), Orders::Tags.into_iden()),
            (
                OrderLines::Table.into_iden(),
                OrderLines::CancelledQuantity.into_iden(),
            ),
            (
                Channels::Table.into_iden(),
                Channels::OutOfStockPolicy.into_iden(),
            ),
        ];
        for (table, column) in columns {
            manager
                .alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}

async fn index<T, C, const N: usize>(
    manager: &SchemaManager<'_>,
    name: &str,
    table: T,
    columns: [C; N],
    unique: bool,
) -> Result<(), DbErr>
where
    T: IntoIden,
    C: IntoIden,
{
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(column);
    }
    if unique {
        index.unique();
    }
    manager.create_index(index.to_owned()).await
}
