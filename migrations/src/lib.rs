//! Orderly's schema as an ordered list of migrations, one concern per file.
//!
//! A migration that has landed on main is never edited: change the schema with a new one
//! (expand, migrate data, then contract), so every deployed database can follow.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_staff_auth;
mod m20261125_000002_partners_audit;
mod m20261125_000003_catalog;
mod m20261125_000004_orders;
mod m20261125_000005_payments_outbox;
mod m20261125_000006_warehouses_stock;
mod m20261125_000007_review_allocation;
mod m20261125_000008_allocation_indexes;
mod m20261201_000009_fulfilment;
mod m20261201_000010_tracking;
mod m20261201_000011_refunds_completion;
mod m20261201_000012_exceptions;
mod m20261202_000013_after_sales;
mod m20261202_000014_webhooks;
mod m20261202_000015_cod_remittances;
mod m20261202_000016_analytics;
mod m20261203_000017_analytics_reads;
mod m20261203_000018_config_version;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_staff_auth::Migration),
            Box::new(m20261125_000002_partners_audit::Migration),
            Box::new(m20261125_000003_catalog::Migration),
            Box::new(m20261125_000004_orders::Migration),
            Box::new(m20261125_000005_payments_outbox::Migration),
            Box::new(m20261125_000006_warehouses_stock::Migration),
            Box::new(m20261125_000007_review_allocation::Migration),
            Box::new(m20261125_000008_allocation_indexes::Migration),
            Box::new(m20261201_000009_fulfilment::Migration),
            Box::new(m20261201_000010_tracking::Migration),
            Box::new(m20261201_000011_refunds_completion::Migration),
            Box::new(m20261201_000012_exceptions::Migration),
            Box::new(m20261202_000013_after_sales::Migration),
            Box::new(m20261202_000014_webhooks::Migration),
            Box::new(m20261202_000015_cod_remittances::Migration),
            Box::new(m20261202_000016_analytics::Migration),
            Box::new(m20261203_000017_analytics_reads::Migration),
            Box::new(m20261203_000018_config_version::Migration),
        ]
    }
}
