//! Warehouse execution: the packaging and carrier catalogues, waves with their pick tasks,
//! picked/sorted/packed counts per shipment line, stock discrepancies from short picks with their
//! cycle counts, and hand-over manifests.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Packagings {
    Table,
    Id,
    Code,
    Name,
    Kind,
    InnerLengthMm,
    InnerWidthMm,
    InnerHeightMm,
    MaxWeightG,
    TareWeightG,
    CostMinor,
    Currency,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Carriers {
    Table,
    Id,
    Code,
    Name,
    Active,
    Definition,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Waves {
    Table,
    Id,
    Number,
    WarehouseId,
    Kind,
    Status,
    Filter,
    WallSize,
    ShipmentCount,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PickTasks {
    Table,
    Id,
    WaveId,
    ListNo,
    ShipmentId,
    Seq,
    StockId,
    BinCode,
    Sku,
    Name,
    Barcodes,
    Quantity,
    Picked,
    BinConfirmed,
    AwaitingConfirmation,
    ShortQuantity,
    Fragile,
    HighValue,
    Done,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PickTaskParts {
    Table,
    Id,
    TaskId,
    ShipmentId,
    ShipmentLineId,
    ReservationId,
    Quantity,
    Picked,
}

#[derive(DeriveIden)]
enum Shipments {
    Table,
    WaveId,
    WallSlot,
    ServiceCode,
    PackagingCode,
    PackedWeightG,
    ShippingCostMinor,
    ManifestId,
    HandedOverAt,
    ExceptionCode,
    CancelledAt,
}

#[derive(DeriveIden)]
enum ShipmentLines {
    Table,
    PickedQuantity,
    SortedQuantity,
    PackedQuantity,
}

#[derive(DeriveIden)]
enum StockDiscrepancies {
    Table,
    Id,
    WarehouseId,
    StockId,
    BinCode,
    Sku,
    Expected,
    Found,
    WaveId,
    TaskId,
    CycleCountId,
    ReportedBy,
    At,
}

#[derive(DeriveIden)]
enum CycleCounts {
    Table,
    Id,
    WarehouseId,
    StockId,
    BinCode,
    Sku,
    Status,
    Reason,
    Counted,
    Adjustment,
    CountedBy,
    CreatedAt,
    CountedAt,
}

#[derive(DeriveIden)]
enum Manifests {
    Table,
    Id,
    Number,
    WarehouseId,
    CarrierCode,
    ParcelCount,
    TotalWeightG,
    HandedOverBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Warehouses {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Packagings::Table)
                    .col(uuid(Packagings::Id).primary_key())
                    .col(string_len_uniq(Packagings::Code, 32))
                    .col(string_len(Packagings::Name, 100))
                    .col(string_len(Packagings::Kind, 16))
                    .col(integer(Packagings::InnerLengthMm))
                    .col(integer(Packagings::InnerWidthMm))
                    .col(integer(Packagings::InnerHeightMm))
                    .col(integer(Packagings::MaxWeightG))
                    .col(integer(Packagings::TareWeightG))
                    .col(big_integer(Packagings::CostMinor))
                    .col(char_len(Packagings::Currency, 3))
                    .col(boolean(Packagings::Active).default(true))
                    .col(timestamp_with_time_zone(Packagings::CreatedAt))
                    .col(timestamp_with_time_zone(Packagings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Carriers::Table)
                    .col(uuid(Carriers::Id).primary_key())
                    .col(string_len_uniq(Carriers::Code, 32))
                    .col(string_len(Carriers::Name, 100))
                    .col(boolean(Carriers::Active).default(true))
                    // JSON: services, coverage, limits and rate tables, validated as a whole.
                    .col(text(Carriers::Definition))
                    .col(timestamp_with_time_zone(Carriers::CreatedAt))
                    .col(timestamp_with_time_zone(Carriers::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Waves::Table)
                    .col(uuid(Waves::Id).primary_key())
                    .col(string_len_uniq(Waves::Number, 32))
                    .col(uuid(Waves::WarehouseId))
                    .col(string_len(Waves::Kind, 16))
                    .col(string_len(Waves::Status, 16))
                    .col(text(Waves::Filter))
                    .col(integer_null(Waves::WallSize))
                    .col(integer(Waves::ShipmentCount))
                    .col(string_len(Waves::CreatedBy, 200))
                    .col(timestamp_with_time_zone(Waves::CreatedAt))
                    .col(timestamp_with_time_zone(Waves::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Waves::Table, Waves::WarehouseId)
                            .to(Warehouses::Table, Warehouses::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "waves_warehouse_status_idx",
            Waves::Table,
            [Waves::WarehouseId, Waves::Status, Waves::Id],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PickTasks::Table)
                    .col(uuid(PickTasks::Id).primary_key())
                    .col(uuid(PickTasks::WaveId))
                    .col(integer(PickTasks::ListNo))
                    // The shipment of a discrete pick list; none for a batch list.
                    .col(uuid_null(PickTasks::ShipmentId))
                    .col(integer(PickTasks::Seq))
                    .col(uuid(PickTasks::StockId))
                    .col(string_len(PickTasks::BinCode, 32))
                    .col(string_len(PickTasks::Sku, 64))
                    .col(string_len(PickTasks::Name, 200))
                    // JSON array of the barcodes a scan may match (GTIN, else the SKU).
                    .col(text(PickTasks::Barcodes))
                    .col(integer(PickTasks::Quantity))
                    .col(integer(PickTasks::Picked).default(0))
                    .col(boolean(PickTasks::BinConfirmed).default(false))
                    .col(boolean(PickTasks::AwaitingConfirmation).default(false))
                    .col(integer(PickTasks::ShortQuantity).default(0))
                    .col(boolean(PickTasks::Fragile).default(false))
                    .col(boolean(PickTasks::HighValue).default(false))
                    .col(boolean(PickTasks::Done).default(false))
                    .col(timestamp_with_time_zone(PickTasks::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PickTasks::Table, PickTasks::WaveId)
                            .to(Waves::Table, Waves::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "pick_tasks_wave_idx",
            PickTasks::Table,
            [PickTasks::WaveId, PickTasks::ListNo, PickTasks::Seq],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(PickTaskParts::Table)
                    .col(uuid(PickTaskParts::Id).primary_key())
                    .col(uuid(PickTaskParts::TaskId))
                    .col(uuid(PickTaskParts::ShipmentId))
                    .col(uuid(PickTaskParts::ShipmentLineId))
                    .col(uuid(PickTaskParts::ReservationId))
                    .col(integer(PickTaskParts::Quantity))
                    .col(integer(PickTaskParts::Picked).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .from(PickTaskParts::Table, PickTaskParts::TaskId)
                            .to(PickTasks::Table, PickTasks::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "pick_task_parts_task_idx",
            PickTaskParts::Table,
            [PickTaskParts::TaskId],
        )
        .await?;

        // SQLite adds one column per statement.
        let shipment_columns = [
            uuid_null(Shipments::WaveId),
            integer_null(Shipments::WallSlot),
            string_len_null(Shipments::ServiceCode, 16),
            string_len_null(Shipments::PackagingCode, 32),
            integer_null(Shipments::PackedWeightG),
            big_integer_null(Shipments::ShippingCostMinor),
            uuid_null(Shipments::ManifestId),
            timestamp_with_time_zone_null(Shipments::HandedOverAt),
            string_len_null(Shipments::ExceptionCode, 32),
            // Shipment statuses have no CANCELLED: a cancelled shipment keeps its last status.
            timestamp_with_time_zone_null(Shipments::CancelledAt),
        ];
        for mut column in shipment_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Shipments::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        index(
            manager,
            "shipments_wave_idx",
            Shipments::Table,
            [Shipments::WaveId],
        )
        .await?;
        for name in [
            ShipmentLines::PickedQuantity,
            ShipmentLines::SortedQuantity,
            ShipmentLines::PackedQuantity,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ShipmentLines::Table)
                        .add_column(integer(name).default(0))
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(CycleCounts::Table)
                    .col(uuid(CycleCounts::Id).primary_key())
                    .col(uuid(CycleCounts::WarehouseId))
                    .col(uuid(CycleCounts::StockId))
                    .col(string_len(CycleCounts::BinCode, 32))
                    .col(string_len(CycleCounts::Sku, 64))
                    .col(string_len(CycleCounts::Status, 16))
                    .col(string_len(CycleCounts::Reason, 500))
                    .col(integer_null(CycleCounts::Counted))
                    .col(integer_null(CycleCounts::Adjustment))
                    .col(string_len_null(CycleCounts::CountedBy, 200))
                    .col(timestamp_with_time_zone(CycleCounts::CreatedAt))
                    .col(timestamp_with_time_zone_null(CycleCounts::CountedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "cycle_counts_warehouse_status_idx",
            CycleCounts::Table,
            [
                CycleCounts::WarehouseId,
                CycleCounts::Status,
                CycleCounts::Id,
            ],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(StockDiscrepancies::Table)
                    .col(uuid(StockDiscrepancies::Id).primary_key())
                    .col(uuid(StockDiscrepancies::WarehouseId))
                    .col(uuid(StockDiscrepancies::StockId))
                    .col(string_len(StockDiscrepancies::BinCode, 32))
                    .col(string_len(StockDiscrepancies::Sku, 64))
                    .col(integer(StockDiscrepancies::Expected))
                    .col(integer(StockDiscrepancies::Found))
                    .col(uuid_null(StockDiscrepancies::WaveId))
                    .col(uuid_null(StockDiscrepancies::TaskId))
                    .col(uuid(StockDiscrepancies::CycleCountId))
                    .col(string_len(StockDiscrepancies::ReportedBy, 200))
                    .col(timestamp_with_time_zone(StockDiscrepancies::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Manifests::Table)
                    .col(uuid(Manifests::Id).primary_key())
                    .col(string_len_uniq(Manifests::Number, 32))
                    .col(uuid(Manifests::WarehouseId))
                    .col(string_len(Manifests::CarrierCode, 32))
                    .col(integer(Manifests::ParcelCount))
                    .col(integer(Manifests::TotalWeightG))
                    .col(string_len(Manifests::HandedOverBy, 200))
                    .col(timestamp_with_time_zone(Manifests::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Manifests::Table.into_iden(),
            StockDiscrepancies::Table.into_iden(),
            CycleCounts::Table.into_iden(),
            PickTaskParts::Table.into_iden(),
            PickTasks::Table.into_iden(),
            Waves::Table.into_iden(),
            Carriers::Table.into_iden(),
            Packagings::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
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
    manager.create_index(index.to_owned()).await
}
