//! After-sales cases and their lines (what came back and what inspection found), and the link
//! from a refund to the case that computed it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AfterSalesCases {
    Table,
    Id,
    Number,
    OrderId,
    ChannelId,
    Reason,
    Kind,
    Status,
    Description,
    OpenedByKind,
    OpenedByLabel,
    DecisionNote,
    DecidedByLabel,
    /// Cash on delivery: where the case's refund goes.
    PayoutReference,
    ReturnCarrier,
    ReturnService,
    ReturnTrackingNumber,
    ReturnWarehouseId,
    RefundId,
    ReplacementOrderId,
    RefundMinor,
    ShippingRefundMinor,
    CreatedAt,
    UpdatedAt,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum AfterSalesCaseLines {
    Table,
    Id,
    CaseId,
    OrderLineId,
    Sku,
    Quantity,
    Passed,
    Scrapped,
    SentBack,
    InspectionNotes,
    RefundMinor,
}

#[derive(DeriveIden)]
enum Refunds {
    Table,
    CaseId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AfterSalesCases::Table)
                    .col(uuid(AfterSalesCases::Id).primary_key())
                    .col(string_len_uniq(AfterSalesCases::Number, 32))
                    .col(uuid(AfterSalesCases::OrderId))
                    .col(uuid(AfterSalesCases::ChannelId))
                    .col(string_len(AfterSalesCases::Reason, 32))
                    .col(string_len(AfterSalesCases::Kind, 32))
                    .col(string_len(AfterSalesCases::Status, 32))
                    .col(text_null(AfterSalesCases::Description))
                    .col(string_len(AfterSalesCases::OpenedByKind, 16))
                    .col(string_len(AfterSalesCases::OpenedByLabel, 320))
                    .col(text_null(AfterSalesCases::DecisionNote))
                    .col(string_len_null(AfterSalesCases::DecidedByLabel, 320))
                    .col(string_len_null(AfterSalesCases::PayoutReference, 64))
                    .col(string_len_null(AfterSalesCases::ReturnCarrier, 32))
                    .col(string_len_null(AfterSalesCases::ReturnService, 32))
                    .col(string_len_null(AfterSalesCases::ReturnTrackingNumber, 64))
                    .col(uuid_null(AfterSalesCases::ReturnWarehouseId))
                    .col(uuid_null(AfterSalesCases::RefundId))
                    .col(uuid_null(AfterSalesCases::ReplacementOrderId))
                    .col(big_integer(AfterSalesCases::RefundMinor).default(0))
                    .col(big_integer(AfterSalesCases::ShippingRefundMinor).default(0))
                    .col(timestamp_with_time_zone(AfterSalesCases::CreatedAt))
                    .col(timestamp_with_time_zone(AfterSalesCases::UpdatedAt))
                    .col(timestamp_with_time_zone_null(AfterSalesCases::ResolvedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "after_sales_cases_order_idx",
                vec![AfterSalesCases::OrderId],
                false,
            ),
            (
                "after_sales_cases_status_idx",
                vec![AfterSalesCases::Status, AfterSalesCases::Id],
                false,
            ),
            (
                "after_sales_cases_return_key",
                vec![AfterSalesCases::ReturnTrackingNumber],
                true,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(AfterSalesCases::Table);
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AfterSalesCaseLines::Table)
                    .col(uuid(AfterSalesCaseLines::Id).primary_key())
                    .col(uuid(AfterSalesCaseLines::CaseId))
                    .col(uuid(AfterSalesCaseLines::OrderLineId))
                    .col(string_len(AfterSalesCaseLines::Sku, 64))
                    .col(integer(AfterSalesCaseLines::Quantity))
                    .col(integer(AfterSalesCaseLines::Passed).default(0))
                    .col(integer(AfterSalesCaseLines::Scrapped).default(0))
                    .col(integer(AfterSalesCaseLines::SentBack).default(0))
                    .col(text(AfterSalesCaseLines::InspectionNotes).default("[]"))
                    .col(big_integer(AfterSalesCaseLines::RefundMinor).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("after_sales_case_lines_case_idx")
                    .table(AfterSalesCaseLines::Table)
                    .col(AfterSalesCaseLines::CaseId)
                    .col(AfterSalesCaseLines::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("after_sales_case_lines_line_idx")
                    .table(AfterSalesCaseLines::Table)
                    .col(AfterSalesCaseLines::OrderLineId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Refunds::Table)
                    .add_column(uuid_null(Refunds::CaseId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Refunds::Table)
                    .drop_column(Refunds::CaseId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(AfterSalesCaseLines::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AfterSalesCases::Table).to_owned())
            .await
    }
}
