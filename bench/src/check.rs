//! The zero-oversell check at the end of every run, straight against the database: no bin is
//! negative or reserved beyond its stock, every bin equals its ledger's sums, reserved units
//! equal the active reservations, and those equal the units in allocated orders' shipments.

use sea_orm::{ConnectionTrait, Database, Statement};

/// Runs the check; panics (failing the run loudly) on any violation, else prints the figures.
pub async fn zero_oversell(db_url: &str) {
    let db = Database::connect(db_url)
        .await
        .expect("connect for the check");
    let backend = db.get_database_backend();
    let one = |sql: &str| {
        let db = &db;
        let sql = sql.to_string();
        async move {
            let row = db
                .query_one_raw(Statement::from_string(backend, sql.clone()))
                .await
                .expect(&sql)
                .expect("a row");
            row.try_get_by_index::<Option<i64>>(0)
                .expect("a number")
                .unwrap_or(0)
        }
    };
    let impossible =
        one("SELECT COUNT(*) FROM stock WHERE on_hand < 0 OR reserved < 0 OR reserved > on_hand")
            .await;
    let off_ledger = one(
        "SELECT COUNT(*) FROM stock s WHERE s.on_hand <> COALESCE((SELECT SUM(l.on_hand_delta) FROM stock_ledger l WHERE l.stock_id = s.id), 0) \
         OR s.reserved <> COALESCE((SELECT SUM(l.reserved_delta) FROM stock_ledger l WHERE l.stock_id = s.id), 0)",
    )
    .await;
    let reserved = one("SELECT CAST(COALESCE(SUM(reserved), 0) AS BIGINT) FROM stock").await;
    let active = one("SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM reservations WHERE state = 'ACTIVE'").await;
    let shipped = one(
        "SELECT CAST(COALESCE(SUM(sl.quantity), 0) AS BIGINT) FROM shipment_lines sl JOIN shipments s ON s.id = sl.shipment_id \
         JOIN orders o ON o.id = s.order_id WHERE o.status = 'ALLOCATED'",
    )
    .await;
    let allocated = one("SELECT COUNT(*) FROM orders WHERE status = 'ALLOCATED'").await;
    let waiting =
        one("SELECT COUNT(*) FROM orders WHERE status IN ('BACKORDERED', 'ON_HOLD')").await;
    println!(
        "oversell_check: reserved={reserved} active_reservations={active} allocated_units={shipped} \
         allocated_orders={allocated} waiting_orders={waiting} impossible_bins={impossible} off_ledger_bins={off_ledger}"
    );
    assert_eq!(impossible, 0, "a bin is negative or oversold");
    assert_eq!(off_ledger, 0, "a bin differs from its ledger");
    assert_eq!(
        reserved, active,
        "reserved units differ from active reservations"
    );
    assert_eq!(
        reserved, shipped,
        "reserved units differ from allocated orders' shipments"
    );
    println!("oversell_check=ok");
}
