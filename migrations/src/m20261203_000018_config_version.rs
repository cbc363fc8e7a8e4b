//! A token that changes whenever the merchant's configuration does, so that a server can keep
//! the configuration every order reads (risk rules, thresholds, policies, allocation rules,
//! warehouses, channels, the blocklist) in memory and check with one read that it is current.
//!
//! Triggers change the token in the writing transaction itself, so no writer can forget to, on
//! any replica, and readers see the new token exactly when they see the new configuration. The
//! token is random rather than a counter: a transaction that changed the configuration and rolled
//! back must not leave a number that a later, different configuration takes again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows are configuration.
const TABLES: [&str; 6] = [
    "settings",
    "risk_rules",
    "allocation_rules",
    "warehouses",
    "channels",
    "blocklist",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        conn.execute_unprepared(
            "CREATE TABLE config_version (id INTEGER PRIMARY KEY, token TEXT NOT NULL)",
        )
        .await?;
        match conn.get_database_backend() {
            DbBackend::Postgres => {
                conn.execute_unprepared(
                    "INSERT INTO config_version (id, token) VALUES (1, md5(random()::text || clock_timestamp()::text))",
                )
                .await?;
                conn.execute_unprepared(
                    "CREATE FUNCTION orderly_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN UPDATE config_version SET token = md5(random()::text || clock_timestamp()::text); \
                     RETURN NULL; END $$",
                )
                .await?;
                // Per row, not per statement: an upsert that changed nothing changes no token.
                for table in TABLES {
                    conn.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_config_changed AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION orderly_config_changed()"
                    ))
                    .await?;
                }
            }
            _ => {
                conn.execute_unprepared(
                    "INSERT INTO config_version (id, token) VALUES (1, lower(hex(randomblob(16))))",
                )
                .await?;
                for table in TABLES {
                    for event in ["INSERT", "UPDATE", "DELETE"] {
                        conn.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_config_{} AFTER {event} ON {table} \
                             BEGIN UPDATE config_version SET token = lower(hex(randomblob(16))); END",
                            event.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        match conn.get_database_backend() {
            DbBackend::Postgres => {
                for table in TABLES {
                    conn.execute_unprepared(&format!(
                        "DROP TRIGGER {table}_config_changed ON {table}"
                    ))
                    .await?;
                }
                conn.execute_unprepared("DROP FUNCTION orderly_config_changed()")
                    .await?;
            }
            _ => {
                for table in TABLES {
                    for event in ["insert", "update", "delete"] {
                        conn.execute_unprepared(&format!("DROP TRIGGER {table}_config_{event}"))
                            .await?;
                    }
                }
            }
        }
        conn.execute_unprepared("DROP TABLE config_version").await?;
        Ok(())
    }
}
