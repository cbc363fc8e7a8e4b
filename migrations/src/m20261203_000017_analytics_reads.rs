//! Faster dashboard reads. How long each stage took, stored beside the milestones on each
//! order's analytics rollup, so that lead times read eight integers per order instead of nine
//! timestamps and a single stage reads one column (existing rollups are filled in from their
//! milestones here); and an index on the order lines of a SKU.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::big_integer_null;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum OrderFacts {
    Table,
    PaymentSeconds,
    ReviewSeconds,
    AllocationSeconds,
    PickingSeconds,
    PackingSeconds,
    ShippingSeconds,
    DeliverySeconds,
    CompletionSeconds,
}

#[derive(DeriveIden)]
enum OrderLines {
    Table,
    Sku,
    OrderId,
    Quantity,
}

/// Each stage's duration column and the milestone columns it runs between, in stage order.
const STAGES: [(OrderFacts, &str, &str); 8] = [
    (OrderFacts::PaymentSeconds, "placed_at", "paid_at"),
    (OrderFacts::ReviewSeconds, "paid_at", "approved_at"),
    (OrderFacts::AllocationSeconds, "approved_at", "allocated_at"),
    (OrderFacts::PickingSeconds, "allocated_at", "picked_at"),
    (OrderFacts::PackingSeconds, "picked_at", "packed_at"),
    (OrderFacts::ShippingSeconds, "packed_at", "shipped_at"),
    (OrderFacts::DeliverySeconds, "shipped_at", "delivered_at"),
    (
        OrderFacts::CompletionSeconds,
        "delivered_at",
        "completed_at",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (column, _, _) in STAGES {
            // One column per statement: SQLite alters one at a time.
            manager
                .alter_table(
                    Table::alter()
                        .table(OrderFacts::Table)
                        .add_column(big_integer_null(column))
                        .to_owned(),
                )
                .await?;
        }
        let conn = manager.get_connection();
        match conn.get_database_backend() {
            DbBackend::Postgres => {
                // Whole seconds from the stage's start to its end, as the application computes
                // them (truncated; none if either is missing or the clock ran backwards).
                let sets: Vec<String> = STAGES
                    .iter()
                    .map(|(column, start, end)| {
                        format!(
                            "{} = CASE WHEN {end} >= {start} \
                             THEN trunc(extract(epoch FROM {end} - {start}))::bigint END",
                            column.to_string()
                        )
                    })
                    .collect();
                conn.execute_unprepared(&format!("UPDATE order_facts SET {}", sets.join(", ")))
                    .await?;
            }
            _ => sqlite_backfill(conn).await?,
        }
        // The units sold of the most returned SKUs, without visiting every order of the window.
        manager
            .create_index(
                Index::create()
                    .name("order_lines_sku_idx")
                    .table(OrderLines::Table)
                    .col(OrderLines::Sku)
                    .col(OrderLines::OrderId)
                    .col(OrderLines::Quantity)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("order_lines_sku_idx")
                    .table(OrderLines::Table)
                    .to_owned(),
            )
            .await?;
        for (column, _, _) in STAGES {
            manager
                .alter_table(
                    Table::alter()
                        .table(OrderFacts::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// SQLite keeps times as text, which its date functions read only to the millisecond: the
/// durations are computed here instead, exactly, a page of rollups at a time.
async fn sqlite_backfill(conn: &impl ConnectionTrait) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::prelude::{ChronoDateTimeUtc, Uuid};
    let mut after = Uuid::nil();
    loop {
        let rows = conn
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "SELECT order_id, placed_at, paid_at, approved_at, allocated_at, picked_at, \
                 packed_at, shipped_at, delivered_at, completed_at FROM order_facts \
                 WHERE order_id > ? ORDER BY order_id LIMIT 500",
                [after.into()],
            ))
            .await?;
        let Some(last) = rows.last() else {
            return Ok(());
        };
        after = last.try_get_by_index(0)?;
        for row in &rows {
            let id: Uuid = row.try_get_by_index(0)?;
            let times: Vec<Option<ChronoDateTimeUtc>> = (1..10)
                .map(|i| row.try_get_by_index(i))
                .collect::<Result<_, _>>()?;
            let seconds: Vec<Option<i64>> = times
                .windows(2)
                .map(|w| match (w[0], w[1]) {
                    (Some(start), Some(end)) if end >= start => Some((end - start).num_seconds()),
                    _ => None,
                })
                .collect();
            let sets: Vec<String> = STAGES
                .iter()
                .map(|(column, _, _)| format!("{} = ?", column.to_string()))
                .collect();
            let mut values: Vec<sea_orm_migration::sea_orm::Value> =
                seconds.into_iter().map(Into::into).collect();
            values.push(id.into());
            conn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!(
                    "UPDATE order_facts SET {} WHERE order_id = ?",
                    sets.join(", ")
                ),
                values,
            ))
            .await?;
        }
    }
}
