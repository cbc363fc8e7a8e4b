//! The payments ledger (every capture, failure and refund, idempotent by the provider's event
//! id) and the transactional outbox that background workers deliver from.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    OrderId,
    Provider,
    ProviderEventId,
    Kind,
    AmountMinor,
    Currency,
    At,
    Detail,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Topic,
    AggregateId,
    Payload,
    CreatedAt,
    AvailableAt,
    Attempts,
    ClaimedUntil,
    DeliveredAt,
    LastError,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Payments::Table)
                    .col(uuid(Payments::Id).primary_key())
                    .col(uuid(Payments::OrderId))
                    .col(string_len(Payments::Provider, 32))
                    .col(string_len(Payments::ProviderEventId, 128))
                    .col(string_len(Payments::Kind, 32))
                    .col(big_integer(Payments::AmountMinor))
                    .col(char_len(Payments::Currency, 3))
                    .col(timestamp_with_time_zone(Payments::At))
                    .col(text_null(Payments::Detail))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Payments::Table, Payments::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("payments_provider_event_key")
                    .table(Payments::Table)
                    .col(Payments::Provider)
                    .col(Payments::ProviderEventId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("payments_order_idx")
                    .table(Payments::Table)
                    .col(Payments::OrderId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(uuid(Outbox::Id).primary_key())
                    .col(string_len(Outbox::Topic, 64))
                    .col(uuid(Outbox::AggregateId))
                    .col(text(Outbox::Payload))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone(Outbox::AvailableAt))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone_null(Outbox::ClaimedUntil))
                    .col(timestamp_with_time_zone_null(Outbox::DeliveredAt))
                    .col(text_null(Outbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("outbox_pending_idx")
                    .table(Outbox::Table)
                    .col(Outbox::DeliveredAt)
                    .col(Outbox::AvailableAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Payments::Table).to_owned())
            .await
    }
}
