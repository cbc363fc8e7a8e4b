//! Migrations that move existing data: a database written by an earlier release keeps every
//! figure after it upgrades.

use crate::helpers::{TestDb, each_backend};
use chrono::{Duration, TimeZone, Utc};
use orderly::db::entity::order_fact;
use orderly::service::analytics::rollup::{durations, facts_of};
use orderly_migrations::{Migrator, MigratorTrait};
use sea_orm::sea_query::{Alias, Query};
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

/// Migrations up to and including the analytics rollups, before stage durations were stored.
const BEFORE_STAGE_DURATIONS: u32 = 16;

each_backend! {
    async fn rollups_from_before_stored_durations_get_them_from_their_milestones(backend) {
        let db = TestDb::create(backend).await;
        let conn = orderly::db::connect(&db.url).await.unwrap();
        Migrator::up(&conn, Some(BEFORE_STAGE_DURATIONS)).await.unwrap();

        let placed = Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap()
            + Duration::microseconds(900_000);
        // Paid 90.2 s later (90 whole seconds), approved an hour after that, "allocated"
        // before it was approved (a clock that ran backwards: no duration), nothing after.
        let paid = placed + Duration::milliseconds(90_200);
        let approved = paid + Duration::hours(1);
        let allocated = approved - Duration::seconds(5);
        let (id, untouched) = (Uuid::now_v7(), Uuid::now_v7());
        for (order, paid, approved, allocated) in [
            (id, Some(paid), Some(approved), Some(allocated)),
            (untouched, None, None, None),
        ] {
            let insert = Query::insert()
                .into_table(Alias::new("order_facts"))
                .columns(
                    [
                        "order_id", "channel_id", "currency", "total_minor", "placed_at",
                        "placed_day", "paid_at", "approved_at", "allocated_at", "status",
                        "status_at", "holds", "hold_codes", "exceptions",
                    ]
                    .map(Alias::new),
                )
                .values_panic([
                    order.into(),
                    Uuid::now_v7().into(),
                    "CNY".into(),
                    1000i64.into(),
                    placed.into(),
                    "2026-11-02".into(),
                    paid.into(),
                    approved.into(),
                    allocated.into(),
                    "ALLOCATED".into(),
                    placed.into(),
                    0i32.into(),
                    "[]".into(),
                    0i32.into(),
                ])
                .to_owned();
            conn.execute(&insert).await.unwrap();
        }

        Migrator::up(&conn, None).await.unwrap();

        let row = order_fact::Entity::find_by_id(id).one(&conn).await.unwrap().unwrap();
        assert_eq!(
            row.durations(),
            [Some(90), Some(3600), None, None, None, None, None, None]
        );
        // Exactly what the application stores for the same milestones.
        assert_eq!(row.durations(), durations(&facts_of(&row).unwrap()));
        let row = order_fact::Entity::find_by_id(untouched).one(&conn).await.unwrap().unwrap();
        assert_eq!(row.durations(), [None; 8]);
    }
}
