//! Refund decisions and execution (approvals, payout reference for cash-on-delivery, the
//! provider's answer, an execution lease so one replica pays), when an order was delivered (the
//! auto-confirm clock), and customers' ratings of delivered orders.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Refunds {
    Table,
    ApprovalsNeeded,
    FirstApproverKind,
    FirstApproverLabel,
    FirstApprovedAt,
    DecidedByLabel,
    DecidedAt,
    DecisionNote,
    /// Cash on delivery: the customer's bank account or wallet the money goes to.
    PayoutReference,
    ProviderReference,
    FailureReason,
    ExecutedAt,
    /// While set and in the future, one worker is talking to the payment provider.
    ExecutionLeaseUntil,
    Attempts,
}

#[derive(DeriveIden)]
enum Orders {
    Table,
    Status,
    DeliveredAt,
}

#[derive(DeriveIden)]
enum OrderRatings {
    Table,
    OrderId,
    Score,
    Comment,
    RatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        let refund_columns = [
            integer(Refunds::ApprovalsNeeded).default(1).to_owned(),
            string_len_null(Refunds::FirstApproverKind, 16),
            string_len_null(Refunds::FirstApproverLabel, 320),
            timestamp_with_time_zone_null(Refunds::FirstApprovedAt),
            string_len_null(Refunds::DecidedByLabel, 320),
            timestamp_with_time_zone_null(Refunds::DecidedAt),
            text_null(Refunds::DecisionNote),
            string_len_null(Refunds::PayoutReference, 64),
            string_len_null(Refunds::ProviderReference, 128),
            text_null(Refunds::FailureReason),
            timestamp_with_time_zone_null(Refunds::ExecutedAt),
            timestamp_with_time_zone_null(Refunds::ExecutionLeaseUntil),
            integer(Refunds::Attempts).default(0).to_owned(),
        ];
        for mut column in refund_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Refunds::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Orders::Table)
                    .add_column(timestamp_with_time_zone_null(Orders::DeliveredAt))
                    .to_owned(),
            )
            .await?;
        // The auto-confirm job looks for delivered orders by delivery time.
        manager
            .create_index(
                Index::create()
                    .name("orders_delivered_idx")
                    .table(Orders::Table)
                    .col(Orders::Status)
                    .col(Orders::DeliveredAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrderRatings::Table)
                    .col(uuid(OrderRatings::OrderId).primary_key())
                    .col(small_integer(OrderRatings::Score))
                    .col(text_null(OrderRatings::Comment))
                    .col(timestamp_with_time_zone(OrderRatings::RatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(OrderRatings::Table).to_owned())
            .await
    }
}
