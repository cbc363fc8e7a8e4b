//! Customers, orders with their lines (prices and addresses as they were when ordered), and the
//! order event history that is the order's timeline.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Customers {
    Table,
    Id,
    Email,
    Name,
    Phone,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Id,
    Number,
    ChannelId,
    IdempotencyKey,
    RequestDigest,
    CustomerId,
    Status,
    PaymentStatus,
    PaymentMethod,
    Currency,
    SubtotalMinor,
    DiscountMinor,
    ShippingMinor,
    TaxMinor,
    TotalMinor,
    CustomerName,
    CustomerEmail,
    CustomerPhone,
    ShipRecipient,
    ShipPhone,
    ShipCountry,
    ShipRegion,
    ShipCity,
    ShipDistrict,
    ShipLine1,
    ShipLine2,
    ShipPostalCode,
    CouponCodes,
    SpecialRequests,
    HoldReasons,
    PaymentDueAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Id,
    OrderId,
    LineNo,
    ProductId,
    Sku,
    Name,
    Quantity,
    UnitPriceMinor,
    DiscountMinor,
    LineTotalMinor,
}

#[derive(DeriveIden)]
enum OrderEvents {
    Table,
    Id,
    OrderId,
    At,
    Kind,
    FromStatus,
    ToStatus,
    ActorKind,
    ActorLabel,
    Reason,
}

#[derive(DeriveIden)]
enum Channels {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Customers::Table)
                    .col(uuid(Customers::Id).primary_key())
                    .col(string_len_uniq(Customers::Email, 254))
                    .col(string_len(Customers::Name, 100))
                    .col(string_len(Customers::Phone, 20))
                    .col(timestamp_with_time_zone(Customers::CreatedAt))
                    .col(timestamp_with_time_zone(Customers::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Orders::Table)
                    .col(uuid(Orders::Id).primary_key())
                    .col(string_len_uniq(Orders::Number, 24))
                    .col(uuid(Orders::ChannelId))
                    .col(string_len(Orders::IdempotencyKey, 64))
                    // SHA-256 of the request, so a retry with a different body is a conflict.
                    .col(char_len(Orders::RequestDigest, 64))
                    .col(uuid(Orders::CustomerId))
                    .col(string_len(Orders::Status, 32))
                    .col(string_len(Orders::PaymentStatus, 32))
                    .col(string_len(Orders::PaymentMethod, 32))
                    .col(char_len(Orders::Currency, 3))
                    .col(big_integer(Orders::SubtotalMinor))
                    .col(big_integer(Orders::DiscountMinor))
                    .col(big_integer(Orders::ShippingMinor))
                    .col(big_integer(Orders::TaxMinor))
                    .col(big_integer(Orders::TotalMinor))
                    .col(string_len(Orders::CustomerName, 100))
                    .col(string_len(Orders::CustomerEmail, 254))
                    .col(string_len(Orders::CustomerPhone, 20))
                    .col(string_len(Orders::ShipRecipient, 100))
                    .col(string_len(Orders::ShipPhone, 20))
                    .col(char_len(Orders::ShipCountry, 2))
                    .col(string_len_null(Orders::ShipRegion, 64))
                    .col(string_len(Orders::ShipCity, 64))
                    .col(string_len_null(Orders::ShipDistrict, 64))
                    .col(string_len(Orders::ShipLine1, 200))
                    .col(string_len_null(Orders::ShipLine2, 200))
                    .col(string_len_null(Orders::ShipPostalCode, 12))
                    // JSON: the coupon codes applied, the special requests, the current hold reasons.
                    .col(text(Orders::CouponCodes))
                    .col(text_null(Orders::SpecialRequests))
                    .col(text(Orders::HoldReasons))
                    .col(timestamp_with_time_zone_null(Orders::PaymentDueAt))
                    .col(timestamp_with_time_zone(Orders::CreatedAt))
                    .col(timestamp_with_time_zone(Orders::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orders::Table, Orders::ChannelId)
                            .to(Channels::Table, Channels::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Orders::Table, Orders::CustomerId)
                            .to(Customers::Table, Customers::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let indexes = [
            (
                "orders_idempotency_key",
                vec![Orders::ChannelId, Orders::IdempotencyKey],
                true,
            ),
            // Keyset paging, newest first: ids are UUIDv7 (time-ordered), so paging and date
            // ranges are id ranges; these serve the list filtered by status or by channel.
            (
                "orders_status_id_idx",
                vec![Orders::Status, Orders::Id],
                false,
            ),
            (
                "orders_channel_id_idx",
                vec![Orders::ChannelId, Orders::Id],
                false,
            ),
            (
                "orders_customer_email_idx",
                vec![Orders::CustomerEmail],
                false,
            ),
            (
                "orders_customer_phone_idx",
                vec![Orders::CustomerPhone],
                false,
            ),
            (
                "orders_payment_due_idx",
                vec![Orders::Status, Orders::PaymentDueAt],
                false,
            ),
        ];
        for (name, cols, unique) in indexes {
            let mut index = Index::create();
            index.name(name).table(Orders::Table);
            for col in cols {
                index.col(col);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(OrderLines::Table)
                    .col(uuid(OrderLines::Id).primary_key())
                    .col(uuid(OrderLines::OrderId))
                    .col(integer(OrderLines::LineNo))
                    .col(uuid(OrderLines::ProductId))
                    .col(string_len(OrderLines::Sku, 64))
                    .col(string_len(OrderLines::Name, 200))
                    .col(integer(OrderLines::Quantity))
                    .col(big_integer(OrderLines::UnitPriceMinor))
                    .col(big_integer(OrderLines::DiscountMinor))
                    .col(big_integer(OrderLines::LineTotalMinor))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrderLines::Table, OrderLines::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("order_lines_order_idx")
                    .table(OrderLines::Table)
                    .col(OrderLines::OrderId)
                    .col(OrderLines::LineNo)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(OrderEvents::Table)
                    .col(uuid(OrderEvents::Id).primary_key())
                    .col(uuid(OrderEvents::OrderId))
                    .col(timestamp_with_time_zone(OrderEvents::At))
                    .col(string_len(OrderEvents::Kind, 32))
                    .col(string_len_null(OrderEvents::FromStatus, 32))
                    .col(string_len_null(OrderEvents::ToStatus, 32))
                    .col(string_len(OrderEvents::ActorKind, 16))
                    .col(string_len(OrderEvents::ActorLabel, 254))
                    .col(text_null(OrderEvents::Reason))
                    .foreign_key(
                        ForeignKey::create()
                            .from(OrderEvents::Table, OrderEvents::OrderId)
                            .to(Orders::Table, Orders::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("order_events_order_idx")
                    .table(OrderEvents::Table)
                    .col(OrderEvents::OrderId)
                    .col(OrderEvents::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            OrderEvents::Table.into_iden(),
            OrderLines::Table.into_iden(),
            Orders::Table.into_iden(),
            Customers::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
