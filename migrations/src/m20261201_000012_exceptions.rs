//! Delivery exceptions as customer-service tasks: one open task per parcel at a time (the
//! nullable `open_shipment_id` is unique while the task is open and cleared when it is
//! resolved), and the contacts made while working it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExceptionTasks {
    Table,
    Id,
    ShipmentId,
    OrderId,
    /// Equal to `shipment_id` while open, NULL once resolved.
    OpenShipmentId,
    Code,
    Source,
    Status,
    Detail,
    Outcome,
    ResolutionNote,
    RefundId,
    OpenedAt,
    ResolvedAt,
    ResolvedByLabel,
}

#[derive(DeriveIden)]
enum ExceptionContacts {
    Table,
    Id,
    TaskId,
    Party,
    Note,
    ActorLabel,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExceptionTasks::Table)
                    .col(uuid(ExceptionTasks::Id).primary_key())
                    .col(uuid(ExceptionTasks::ShipmentId))
                    .col(uuid(ExceptionTasks::OrderId))
                    .col(uuid_null(ExceptionTasks::OpenShipmentId))
                    .col(string_len(ExceptionTasks::Code, 32))
                    .col(string_len(ExceptionTasks::Source, 32))
                    .col(string_len(ExceptionTasks::Status, 32))
                    .col(text(ExceptionTasks::Detail))
                    .col(string_len_null(ExceptionTasks::Outcome, 32))
                    .col(text_null(ExceptionTasks::ResolutionNote))
                    .col(uuid_null(ExceptionTasks::RefundId))
                    .col(timestamp_with_time_zone(ExceptionTasks::OpenedAt))
                    .col(timestamp_with_time_zone_null(ExceptionTasks::ResolvedAt))
                    .col(string_len_null(ExceptionTasks::ResolvedByLabel, 320))
                    .to_owned(),
            )
            .await?;
        for (name, cols, unique) in [
            (
                "exception_tasks_open_key",
                vec![ExceptionTasks::OpenShipmentId],
                true,
            ),
            (
                "exception_tasks_status_idx",
                vec![ExceptionTasks::Status, ExceptionTasks::Id],
                false,
            ),
            (
                "exception_tasks_order_idx",
                vec![ExceptionTasks::OrderId],
                false,
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(ExceptionTasks::Table);
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
                    .table(ExceptionContacts::Table)
                    .col(uuid(ExceptionContacts::Id).primary_key())
                    .col(uuid(ExceptionContacts::TaskId))
                    .col(string_len(ExceptionContacts::Party, 32))
                    .col(text(ExceptionContacts::Note))
                    .col(string_len(ExceptionContacts::ActorLabel, 320))
                    .col(timestamp_with_time_zone(ExceptionContacts::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("exception_contacts_task_idx")
                    .table(ExceptionContacts::Table)
                    .col(ExceptionContacts::TaskId)
                    .col(ExceptionContacts::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExceptionContacts::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(ExceptionTasks::Table).to_owned())
            .await
    }
}
