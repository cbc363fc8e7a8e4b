//! Operations analytics, fed by the same events as the timeline: every shipment status change
//! as a row (the warehouse stages an order's own status does not show), the hold reasons on the
//! timeline entry that put an order on hold, and one rollup row per order with the time it
//! reached each milestone (rebuildable from the events with `orderly analytics rebuild`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    /// JSON array of the hold reason codes, on the entry that put the order on hold.
    Codes,
}

#[derive(DeriveIden)]
enum ShipmentEvents {
    Table,
    Id,
    ShipmentId,
    OrderId,
    WarehouseId,
    Carrier,
    At,
    FromStatus,
    ToStatus,
}

#[derive(DeriveIden)]
enum OrderFacts {
    Table,
    OrderId,
    ChannelId,
    Currency,
    TotalMinor,
    PlacedAt,
    /// `YYYY-MM-DD` (UTC) of `placed_at`: volume groups by it on every database alike.
    PlacedDay,
    PaidAt,
    ApprovedAt,
    AllocatedAt,
    PickedAt,
    PackedAt,
    ShippedAt,
    DeliveredAt,
    CompletedAt,
    /// When it was cancelled or expired.
    EndedAt,
    Status,
    StatusAt,
    /// The stage it waits in now (none once completed, cancelled or expired) and since when.
    Stage,
    StageSince,
    Holds,
    /// JSON array of every hold reason code it was ever held for.
    HoldCodes,
    Exceptions,
    WarehouseId,
    Carrier,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrderEvents::Table)
                    .add_column(text_null(OrderEvents::Codes))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ShipmentEvents::Table)
                    .col(uuid(ShipmentEvents::Id).primary_key())
                    .col(uuid(ShipmentEvents::ShipmentId))
                    .col(uuid(ShipmentEvents::OrderId))
                    .col(uuid(ShipmentEvents::WarehouseId))
                    .col(string_len_null(ShipmentEvents::Carrier, 32))
                    .col(timestamp_with_time_zone(ShipmentEvents::At))
                    .col(string_len_null(ShipmentEvents::FromStatus, 32))
                    .col(string_len(ShipmentEvents::ToStatus, 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("shipment_events_order_idx")
                    .table(ShipmentEvents::Table)
                    .col(ShipmentEvents::OrderId)
                    .col(ShipmentEvents::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrderFacts::Table)
                    .col(uuid(OrderFacts::OrderId).primary_key())
                    .col(uuid(OrderFacts::ChannelId))
                    .col(string_len(OrderFacts::Currency, 3))
                    .col(big_integer(OrderFacts::TotalMinor))
                    .col(timestamp_with_time_zone(OrderFacts::PlacedAt))
                    .col(string_len(OrderFacts::PlacedDay, 10))
                    .col(timestamp_with_time_zone_null(OrderFacts::PaidAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::ApprovedAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::AllocatedAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::PickedAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::PackedAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::ShippedAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::DeliveredAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::CompletedAt))
                    .col(timestamp_with_time_zone_null(OrderFacts::EndedAt))
                    .col(string_len(OrderFacts::Status, 32))
                    .col(timestamp_with_time_zone(OrderFacts::StatusAt))
                    .col(string_len_null(OrderFacts::Stage, 32))
                    .col(timestamp_with_time_zone_null(OrderFacts::StageSince))
                    .col(integer(OrderFacts::Holds))
                    .col(text(OrderFacts::HoldCodes))
                    .col(integer(OrderFacts::Exceptions))
                    .col(uuid_null(OrderFacts::WarehouseId))
                    .col(string_len_null(OrderFacts::Carrier, 32))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("order_facts_placed_idx", vec![OrderFacts::PlacedAt]),
            (
                "order_facts_channel_idx",
                vec![OrderFacts::ChannelId, OrderFacts::PlacedAt],
            ),
            (
                "order_facts_warehouse_idx",
                vec![OrderFacts::WarehouseId, OrderFacts::PlacedAt],
            ),
            (
                "order_facts_carrier_idx",
                vec![OrderFacts::Carrier, OrderFacts::PlacedAt],
            ),
            (
                "order_facts_stage_idx",
                vec![OrderFacts::Stage, OrderFacts::StageSince],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(OrderFacts::Table);
            for c in cols {
                index.col(c);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OrderFacts::Table.into_iden(),
            ShipmentEvents::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(OrderEvents::Table)
                    .drop_column(OrderEvents::Codes)
                    .to_owned(),
            )
            .await
    }
}
