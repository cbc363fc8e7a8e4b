//! Carrier tracking events as they arrived: one row per (carrier, event id), so a replayed
//! callback is recognised, and every event — also a late one that moved nothing — is kept.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CarrierEvents {
    Table,
    Id,
    CarrierCode,
    EventId,
    TrackingNumber,
    ShipmentId,
    Status,
    ExceptionCode,
    OccurredAt,
    ReceivedAt,
    /// Whether it moved the shipment (false: it arrived after a later one).
    Applied,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CarrierEvents::Table)
                    .col(uuid(CarrierEvents::Id).primary_key())
                    .col(string_len(CarrierEvents::CarrierCode, 32))
                    .col(string_len(CarrierEvents::EventId, 128))
                    .col(string_len(CarrierEvents::TrackingNumber, 64))
                    .col(uuid(CarrierEvents::ShipmentId))
                    .col(string_len(CarrierEvents::Status, 32))
                    .col(string_len_null(CarrierEvents::ExceptionCode, 32))
                    .col(timestamp_with_time_zone(CarrierEvents::OccurredAt))
                    .col(timestamp_with_time_zone(CarrierEvents::ReceivedAt))
                    .col(boolean(CarrierEvents::Applied))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("carrier_events_event_key")
                    .table(CarrierEvents::Table)
                    .col(CarrierEvents::CarrierCode)
                    .col(CarrierEvents::EventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("carrier_events_shipment_idx")
                    .table(CarrierEvents::Table)
                    .col(CarrierEvents::ShipmentId)
                    .col(CarrierEvents::OccurredAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CarrierEvents::Table).to_owned())
            .await
    }
}
