//! Orderly's schema as an ordered list of migrations, one concern per file.
//!
//! A migration that has landed on main is never edited: change the schema with a new one
//! (expand, migrate data, then contract), so every deployed database can follow.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_staff_auth;
mod m20261125_000002_partners_audit;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_staff_auth::Migration),
            Box::new(m20261125_000002_partners_audit::Migration),
        ]
    }
}
