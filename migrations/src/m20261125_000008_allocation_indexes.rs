//! Indexes allocation reads on every order: an order line's shipment lines (what is already
//! allocated of it). Without it every allocation scanned all shipment lines.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ShipmentLines {
    Table,
    OrderLineId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("shipment_lines_order_line_idx")
                    .table(ShipmentLines::Table)
                    .col(ShipmentLines::OrderLineId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("shipment_lines_order_line_idx")
                    .table(ShipmentLines::Table)
                    .to_owned(),
            )
            .await
    }
}
