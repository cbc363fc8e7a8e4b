//! Cash on delivery reconciliation: each remittance a carrier pays over (unique by its
//! reference per carrier) and its lines, one per order (unique, so an order's cash is remitted
//! once), with what our ledger says was collected beside what the carrier paid. Also an index for
//! the finance ledger's filters.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CodRemittances {
    Table,
    Id,
    Carrier,
    /// The carrier's own reference for the transfer (its statement number).
    Reference,
    Currency,
    TotalMinor,
    ExpectedMinor,
    Note,
    RecordedAt,
    RecordedByLabel,
}

#[derive(DeriveIden)]
enum CodRemittanceLines {
    Table,
    Id,
    RemittanceId,
    Line,
    TrackingNumber,
    OrderId,
    /// The COD_COLLECTED payment matched, if our ledger has one.
    PaymentId,
    ExpectedMinor,
    RemittedMinor,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Kind,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CodRemittances::Table)
                    .col(uuid(CodRemittances::Id).primary_key())
                    .col(string_len(CodRemittances::Carrier, 32))
                    .col(string_len(CodRemittances::Reference, 64))
                    .col(string_len(CodRemittances::Currency, 3))
                    .col(big_integer(CodRemittances::TotalMinor))
                    .col(big_integer(CodRemittances::ExpectedMinor))
                    .col(text_null(CodRemittances::Note))
                    .col(timestamp_with_time_zone(CodRemittances::RecordedAt))
                    .col(string_len(CodRemittances::RecordedByLabel, 320))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cod_remittances_reference_key")
                    .table(CodRemittances::Table)
                    .col(CodRemittances::Carrier)
                    .col(CodRemittances::Reference)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CodRemittanceLines::Table)
                    .col(uuid(CodRemittanceLines::Id).primary_key())
                    .col(uuid(CodRemittanceLines::RemittanceId))
                    .col(integer(CodRemittanceLines::Line))
                    .col(string_len(CodRemittanceLines::TrackingNumber, 64))
                    .col(uuid(CodRemittanceLines::OrderId))
                    .col(uuid_null(CodRemittanceLines::PaymentId))
                    .col(big_integer(CodRemittanceLines::ExpectedMinor))
                    .col(big_integer(CodRemittanceLines::RemittedMinor))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "cod_remittance_lines_order_key",
                vec![CodRemittanceLines::OrderId],
                true,
            ),
            (
                "cod_remittance_lines_remittance_idx",
                vec![CodRemittanceLines::RemittanceId, CodRemittanceLines::Line],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(CodRemittanceLines::Table);
            for c in cols {
                index.col(c);
            }
            if unique {
                index.unique();
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("payments_kind_idx")
                    .table(Payments::Table)
                    .col(Payments::Kind)
                    .col(Payments::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("payments_kind_idx")
                    .table(Payments::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            CodRemittanceLines::Table.into_iden(),
            CodRemittances::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
