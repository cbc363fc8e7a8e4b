//! After delivery: the customer confirms receipt or rates the order through the partner API,
//! and the auto-confirm job completes delivered orders exactly once, with two replicas at it.

use crate::fulfilment::{carrier_callback, ok, order, place, setup, ship_one};
use crate::helpers::*;
use orderly_shared::Role;
use serde_json::json;

const CONFIRM: &str = "mutation($id: ID!) { confirmReceipt(orderId: $id) { status } }";
const RATE: &str = "mutation($id: ID!, $s: Int!, $c: String) { rateOrder(orderId: $id, score: $s, comment: $c) { score comment } }";

/// Ships and delivers one cash-on-delivery order; returns its id and the partner that placed it.
async fn delivered(app: &TestApp, n: usize) -> (String, As) {
    let (wh, warehouse_id) = setup(app).await;
    app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
    let (o, tracking) = ship_one(app, &wh, &warehouse_id, n).await;
    let secret = app.state.carrier_webhook_secret.expose().to_string();
    let body = json!({ "eventId": format!("d-{n}"), "trackingNumber": tracking, "status": "DELIVERED", "exceptionCode": null, "occurredAt": chrono::Utc::now().to_rfc3339() });
    let (status, _) =
        carrier_callback(app, "SIMEX", &secret, chrono::Utc::now().timestamp(), body).await;
    assert_eq!(status, 200);
    let partner = As::ApiKey(app.partner_key(&format!("web-{n}")).await);
    (o["id"].as_str().unwrap().to_string(), partner)
}

both_databases! {
    async fn the_customer_confirms_receipt_and_rates_the_order_once(app) {
        let (id, partner) = delivered(&app, 40).await;
        let q = "query($id: ID) { order(id: $id) { status deliveredAt rating { score comment } events { reason } } }";
        let before = ok(&app, &partner, q, json!({ "id": id })).await["order"].clone();
        assert_eq!(before["status"], "DELIVERED");
        assert!(before["deliveredAt"].is_string());

        // Another partner's customer is not this one.
        let stranger = As::ApiKey(app.partner_key("other-shop").await);
        assert_eq!(error_code(&app.gql(&stranger, CONFIRM, json!({ "id": id })).await), Some("NOT_FOUND"));
        assert_eq!(error_code(&app.gql(&stranger, RATE, json!({ "id": id, "s": 5 })).await), Some("NOT_FOUND"));
        // Warehouse staff confirm nothing on the customer's behalf.
        let wh = app.signed_in("wh2@shop.example", &[Role::Warehouse]).await.bearer();
        assert_eq!(error_code(&app.gql(&wh, CONFIRM, json!({ "id": id })).await), Some("FORBIDDEN"));

        let bad = app.gql(&partner, RATE, json!({ "id": id, "s": 6, "c": "x".repeat(1001) })).await;
        assert_eq!(field_problems(&bad), [("score".to_string(), "OUT_OF_RANGE".to_string()), ("comment".to_string(), "TOO_LONG".to_string())]);
        let rated = ok(&app, &partner, RATE, json!({ "id": id, "s": 5, "c": "  Fast and well packed  " })).await;
        assert_eq!(rated["rateOrder"], json!({ "score": 5, "comment": "Fast and well packed" }));
        let again = app.gql(&partner, RATE, json!({ "id": id, "s": 1 })).await;
        assert_eq!(error_code(&again), Some("CONFLICT"));

        assert_eq!(ok(&app, &partner, CONFIRM, json!({ "id": id })).await["confirmReceipt"]["status"], "COMPLETED");
        let twice = app.gql(&partner, CONFIRM, json!({ "id": id })).await;
        assert_eq!(error_code(&twice), Some("INVALID_TRANSITION"));
        let after = ok(&app, &partner, q, json!({ "id": id })).await["order"].clone();
        assert_eq!(after["rating"], json!({ "score": 5, "comment": "Fast and well packed" }));
        let reasons: Vec<&str> = after["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.contains(&"rated 5/5: Fast and well packed"), "{reasons:?}");
        assert!(reasons.contains(&"the customer confirmed receipt"), "{reasons:?}");
    }

    async fn an_order_not_yet_delivered_can_be_neither_confirmed_nor_rated(app) {
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let partner = As::ApiKey(app.partner_key("web-41").await);
        let o = place(&app, &partner, order(41, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let confirm = app.gql(&partner, CONFIRM, json!({ "id": o["id"] })).await;
        assert_eq!(error_code(&confirm), Some("INVALID_TRANSITION"));
        assert!(error_message(&confirm).contains("ALLOCATED"), "{confirm}");
        assert_eq!(error_code(&app.gql(&partner, RATE, json!({ "id": o["id"], "s": 4 })).await), Some("INVALID_TRANSITION"));
        assert_eq!(app.count("order_ratings").await, 0);
    }
}

each_backend! {
    async fn auto_confirm_completes_each_delivered_order_exactly_once_with_two_replicas(backend) {
        use orderly::jobs::auto_confirm;
        let app = TestApp::spawn_with(backend, |c| c.background_jobs = false).await;
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 40).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let mut ids = Vec::new();
        for n in 0..30 {
            ids.push(place(&app, &partner, order(100 + n, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await["id"].as_str().unwrap().to_string());
        }
        // Two workers: on PostgreSQL a second server on the same database; SQLite is one
        // process by nature, so there a second worker in the same server. The test runs both.
        let replica = match backend {
            Backend::Postgres => Some(app.replica_with(|c| c.background_jobs = false).await),
            Backend::Sqlite => None,
        };
        let second = replica.as_ref().map_or(&app.state, |r| &r.state);
        // Given: 24 orders delivered 8 days ago, 6 delivered 2 days ago (the warehouse and
        // carrier steps are covered elsewhere; here only the clock matters).
        let backend_kind = app.state.db.get_database_backend();
        for (i, id) in ids.iter().enumerate() {
            let days = if i < 24 { 8 } else { 2 };
            let at = chrono::Utc::now() - chrono::TimeDelta::days(days);
            use sea_orm::ConnectionTrait;
            app.state.db.execute_raw(sea_orm::Statement::from_sql_and_values(
                backend_kind,
                "UPDATE orders SET status = 'DELIVERED', delivered_at = $1 WHERE id = $2",
                [at.into(), uuid::Uuid::parse_str(id).unwrap().into()],
            )).await.unwrap();
        }
        let after = chrono::TimeDelta::days(7);
        let now = chrono::Utc::now();
        let (a, b) = tokio::join!(
            auto_confirm::run_once(&app.state.db, &app.state.realtime, now, after),
            auto_confirm::run_once(&second.db, &second.realtime, now, after),
        );
        assert_eq!(a.unwrap() + b.unwrap(), 24, "each due order completed by exactly one replica");
        assert_eq!(auto_confirm::run_once(&app.state.db, &app.state.realtime, now, after).await.unwrap(), 0);
        assert_eq!(app.count("orders WHERE status = 'COMPLETED'").await, 24);
        assert_eq!(app.count("order_events WHERE to_status = 'COMPLETED'").await, 24, "one timeline entry per order");
        assert_eq!(app.count("orders WHERE status = 'DELIVERED'").await, 6, "not yet due");
        let reason: i64 = app.count("order_events WHERE reason = 'completed automatically 7 days after delivery'").await;
        assert_eq!(reason, 24);
    }
}
