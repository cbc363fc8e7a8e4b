//! Warehouses and stock: imports, receipts and adjustments, reservation without oversell under
//! concurrency, out-of-stock policies, releases, and back-in-stock first come first served.

use crate::helpers::*;
use orderly::domain::auth::Actor;
use orderly::service::stock::import;
use orderly_shared::Role;
use serde_json::{Value, json};

const PLACE: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number status paymentStatus holdReasons { code message } shipments { status warehouse { code } lines { sku quantity } } } }";
const ORDER: &str = "query($id: ID) { order(id: $id) { number status paymentStatus holdReasons { code message } shipments { warehouse { code } lines { sku quantity } } events { to reason } } }";
const LEVELS: &str = "query($sku: String) { stockLevels(sku: $sku) { nodes { warehouse bin sku onHand reserved available } } }";

/// A cash-on-delivery order of `lines` from customer number `n` (each customer has their own
/// address and phone, so the velocity rules stay quiet).
fn order(n: usize, method: &str, lines: &[(&str, i64)]) -> Value {
    json!({
        "idempotencyKey": format!("k-{n}"),
        "customer": { "name": format!("Customer {n}"), "email": format!("c{n}@example.com"), "phone": format!("+86138{:08}", 10_000_000 + n) },
        "shippingAddress": {
            "recipient": format!("Customer {n}"), "phone": format!("138{:08}", 10_000_000 + n), "country": "CN", "region": "Shanghai",
            "city": "Shanghai", "district": "Pudong", "line1": format!("{} Century Avenue", n + 1), "postalCode": "200120"
        },
        "paymentMethod": method,
        "lines": lines.iter().map(|(sku, q)| json!({ "sku": sku, "quantity": q })).collect::<Vec<_>>()
    })
}

async fn place(app: &TestApp, who: &As, input: Value) -> Value {
    let resp = app.gql(who, PLACE, json!({ "input": input })).await;
    assert_eq!(error_code(&resp), None, "{resp}");
    resp["data"]["placeOrder"].clone()
}

async fn set_policy(app: &TestApp, policy: &str) {
    let admin = app
        .signed_in(
            &format!("owner-{}@shop.example", policy.to_lowercase()),
            &[Role::Admin],
        )
        .await;
    let resp = app
        .gql(&admin.bearer(), "mutation($p: OutOfStockPolicy!) { setStockPolicy(policy: $p, backorderDays: 5) { policy } }", json!({ "p": policy }))
        .await;
    assert_eq!(error_code(&resp), None, "{resp}");
}

both_databases! {
    async fn warehouse_and_stock_files_import_all_or_nothing_with_line_numbers(app) {
        let (db, bus) = (&app.state.db, &app.state.bus);
        let bad = "code,name,country,region,city,postal_code,latitude,longitude\nSH1,Shanghai,CN,Shanghai,Shanghai,200120,31.2,121.4\nBAD CODE,X,XX,,,,,\nSH1,Again,CN,,Shanghai,,,\n";
        let err = import::import_warehouses(db, bus, &Actor::Cli, bad).await.unwrap_err();
        let paths: Vec<String> = match err { orderly::error::AppError::Validation(p) => p.into_iter().map(|p| format!("{} {}", p.path, p.code)).collect(), e => panic!("{e}") };
        assert_eq!(paths, ["line[3].code INVALID_CODE", "line[3].country INVALID_COUNTRY", "line[3].city REQUIRED", "line[4].code DUPLICATE_CODE"]);
        assert_eq!(app.count("warehouses").await, 0, "nothing from a bad file is written");

        let good = "code,name,country,region,city,postal_code,latitude,longitude\nSH1,Shanghai DC,CN,Shanghai,Shanghai,200120,31.2,121.4\nbj1,Beijing DC,CN,Beijing,Beijing,,,\n";
        assert_eq!(import::import_warehouses(db, bus, &Actor::Cli, good).await.unwrap(), 2);
        app.product("TEA-1", 4990, "CNY").await;
        let stock_bad = "warehouse_code,sku,bin,quantity\nSH1,TEA-1,A-01-01-1,10\nXX9,TEA-1,A-01-01-1,1\nSH1,NOPE,A-01-01-1,1\nSH1,TEA-1,A-01,1\nSH1,TEA-1,A-01-01-1,0\n";
        let err = import::import_stock(db, bus, &Actor::Cli, stock_bad, "stock.csv").await.unwrap_err();
        let paths: Vec<String> = match err { orderly::error::AppError::Validation(p) => p.into_iter().map(|p| format!("{} {}", p.path, p.code)).collect(), e => panic!("{e}") };
        assert_eq!(paths, ["line[3].warehouse_code UNKNOWN_WAREHOUSE", "line[4].sku UNKNOWN_SKU", "line[5].bin INVALID_BIN", "line[6].quantity INVALID_QUANTITY"]);
        assert_eq!(app.count("stock_ledger").await, 0);

        let stock_good = "warehouse_code,sku,bin,quantity\nSH1,TEA-1,a-01-01-1,10\nSH1,TEA-1,A-01-01-1,5\nBJ1,TEA-1,B-02-01-1,7\n";
        let units = import::import_stock(db, bus, &Actor::Cli, stock_good, "stock.csv").await.unwrap();
        assert_eq!(units["TEA-1"], 22);
        assert_eq!(app.stock_of("TEA-1").await, ((22, 0), (22, 0)));
        let wh = app.signed_in("wh@shop.example", &[Role::Warehouse]).await;
        let levels = app.gql(&wh.bearer(), LEVELS, json!({ "sku": "TEA-1" })).await;
        assert_eq!(levels["data"]["stockLevels"]["nodes"], json!([
            { "warehouse": "SH1", "bin": "A-01-01-1", "sku": "TEA-1", "onHand": 15, "reserved": 0, "available": 15 },
            { "warehouse": "BJ1", "bin": "B-02-01-1", "sku": "TEA-1", "onHand": 7, "reserved": 0, "available": 7 },
        ]));
    }

    async fn receipts_and_adjustments_need_a_reason_and_never_go_below_what_is_reserved(app) {
        app.product("TEA-1", 4990, "CNY").await;
        app.warehouses(&[("SH1", "Shanghai", "Shanghai")]).await;
        let wh = app.signed_in("wh@shop.example", &[Role::Warehouse]).await.bearer();
        let receive = "mutation($i: StockChangeInput!) { receiveStock(input: $i) { bin onHand reserved available } }";
        let adjust = "mutation($i: StockChangeInput!) { adjustStock(input: $i) { onHand reserved available } }";
        let input = |q: i32, reason: &str| json!({ "i": { "warehouse": "sh1", "bin": "a-01-01-1", "sku": "TEA-1", "quantity": q, "reason": reason, "reference": "PO-1" } });
        let r = app.gql(&wh, receive, input(10, "delivery PO-1")).await;
        assert_eq!(r["data"]["receiveStock"], json!({ "bin": "A-01-01-1", "onHand": 10, "reserved": 0, "available": 10 }), "{r}");
        for (vars, field, code) in [
            (input(5, " "), "reason", "REQUIRED"),
            (input(0, "nothing"), "quantity", "INVALID_QUANTITY"),
        ] {
            let r = app.gql(&wh, receive, vars).await;
            assert_eq!(error_code(&r), Some("VALIDATION"));
            assert_eq!(r["errors"][0]["extensions"]["fields"][0]["path"], field, "{r}");
            assert_eq!(r["errors"][0]["extensions"]["fields"][0]["code"], code);
        }
        // Reserve 4 through an order, then try to count the bin down below them.
        let partner = As::ApiKey(app.partner_key("web").await);
        place(&app, &partner, order(1, "CASH_ON_DELIVERY", &[("TEA-1", 4)])).await;
        let r = app.gql(&wh, adjust, input(-7, "counted 3")).await;
        assert_eq!(error_code(&r), Some("CONFLICT"), "{r}");
        assert!(error_message(&r).contains("10 on hand with 4 reserved"), "{r}");
        let r = app.gql(&wh, adjust, input(-2, "2 broken in the bin")).await;
        assert_eq!(r["data"]["adjustStock"], json!({ "onHand": 8, "reserved": 4, "available": 4 }), "{r}");
        let ledger = app.gql(&wh, "{ stockLedger(sku: \"TEA-1\") { nodes { kind onHandDelta reservedDelta reason actor } } }", json!({})).await;
        assert_eq!(ledger["data"]["stockLedger"]["nodes"], json!([
            { "kind": "ADJUSTMENT", "onHandDelta": -2, "reservedDelta": 0, "reason": "2 broken in the bin", "actor": "wh@shop.example" },
            { "kind": "RESERVATION", "onHandDelta": 0, "reservedDelta": 4, "reason": "allocated", "actor": "system" },
            { "kind": "RECEIPT", "onHandDelta": 10, "reservedDelta": 0, "reason": "delivery PO-1", "actor": "wh@shop.example" },
        ]));
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        assert_eq!(error_code(&app.gql(&cs, receive, input(1, "x")).await), Some("FORBIDDEN"));
    }

    async fn two_hundred_concurrent_orders_for_fifty_units_reserve_exactly_fifty(app) {
        app.product("HOT-1", 1000, "CNY").await;
        app.warehouses(&[("SH1", "Shanghai", "Shanghai"), ("BJ1", "Beijing", "Beijing")]).await;
        app.receive("SH1", "A-01-01-1", "HOT-1", 30).await;
        app.receive("BJ1", "A-01-01-1", "HOT-1", 20).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let orders = (0..200).map(|n| {
            let (app, partner) = (&app, partner.clone());
            async move { app.gql(&partner, PLACE, json!({ "input": order(n, "CASH_ON_DELIVERY", &[("HOT-1", 1)]) })).await }
        });
        let results = futures_util::future::join_all(orders).await;
        let mut statuses = std::collections::BTreeMap::new();
        for r in &results {
            assert_eq!(error_code(r), None, "{r}");
            *statuses.entry(r["data"]["placeOrder"]["status"].as_str().unwrap().to_string()).or_insert(0) += 1;
        }
        // Exactly the units there were; every other order took the configured path (backorder).
        assert_eq!(statuses, [("ALLOCATED".to_string(), 50), ("BACKORDERED".to_string(), 150)].into());
        assert_eq!(app.stock_of("HOT-1").await, ((50, 50), (50, 50)));
        assert_eq!(app.count("reservations").await, 50);
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let demand = app.gql(&cs, "{ unmetDemand { sku shortUnits waitingUnits waitingOrders } }", json!({})).await;
        assert_eq!(demand["data"]["unmetDemand"], json!([{ "sku": "HOT-1", "shortUnits": 150, "waitingUnits": 150, "waitingOrders": 150 }]));
    }

    async fn back_in_stock_serves_waiting_orders_first_come_first_served(app) {
        app.product("W-1", 1000, "CNY").await;
        app.warehouses(&[("SH1", "Shanghai", "Shanghai")]).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let mut ids = Vec::new();
        for n in 0..3 {
            let o = place(&app, &partner, order(n, "CASH_ON_DELIVERY", &[("W-1", 2)])).await;
            assert_eq!(o["status"], "BACKORDERED");
            ids.push(o["id"].as_str().unwrap().to_string());
        }
        let status = |i: usize| {
            let (app, partner, id) = (&app, partner.clone(), ids[i].clone());
            async move { app.gql(&partner, ORDER, json!({ "id": id })).await["data"]["order"]["status"].as_str().unwrap().to_string() }
        };
        let wh = app.signed_in("wh@shop.example", &[Role::Warehouse]).await.bearer();
        let receive = |q: i32| json!({ "i": { "warehouse": "SH1", "bin": "A-01-01-1", "sku": "W-1", "quantity": q, "reason": "delivery" } });
        let q = "mutation($i: StockChangeInput!) { receiveStock(input: $i) { available } }";
        // 3 units: the first order takes 2; the second needs 2 and 1 is left, so it (and the
        // third behind it) keep waiting: nobody overtakes.
        let r = app.gql(&wh, q, receive(3)).await;
        assert_eq!(r["data"]["receiveStock"]["available"], 1, "{r}");
        assert_eq!((status(0).await, status(1).await, status(2).await), ("ALLOCATED".into(), "BACKORDERED".into(), "BACKORDERED".into()));
        let r = app.gql(&wh, q, receive(1)).await;
        assert_eq!(r["data"]["receiveStock"]["available"], 0, "{r}");
        assert_eq!((status(1).await, status(2).await), ("ALLOCATED".into(), "BACKORDERED".into()));
        // Each waiting customer was told (backorder notices), through the outbox.
        let updates = app.count("outbox WHERE topic = 'notify.order_update'").await;
        assert_eq!(updates, 3);
        let demand = app.gql(&wh, "{ stockouts(openOnly: true) { nodes { sku quantity policy expectedOn } } }", json!({})).await;
        let open = demand["data"]["stockouts"]["nodes"].as_array().unwrap();
        assert_eq!(open.len(), 1, "{demand}");
        assert_eq!((open[0]["quantity"].as_i64(), open[0]["policy"].as_str()), (Some(2), Some("BACKORDER")));
        assert!(open[0]["expectedOn"].is_string());
    }

    async fn each_out_of_stock_policy_takes_its_own_path(app) {
        app.product("S-1", 1000, "CNY").await;
        app.product("S-2", 2000, "CNY").await;
        app.warehouses(&[("SH1", "Shanghai", "Shanghai")]).await;
        app.receive("SH1", "A-01-01-1", "S-1", 100).await;
        app.receive("SH1", "A-01-02-1", "S-2", 1).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let lines = [("S-1", 1), ("S-2", 3)];

        set_policy(&app, "HOLD").await;
        let held = place(&app, &partner, order(1, "CASH_ON_DELIVERY", &lines)).await;
        assert_eq!(held["status"], "ON_HOLD");
        assert_eq!(held["holdReasons"], json!([{ "code": "STOCK_SHORTAGE", "message": "S-2: 3 ordered, 1 available" }]));
        assert_eq!(held["shipments"], json!([]), "nothing is reserved for a held order");

        set_policy(&app, "SPLIT").await;
        let split = place(&app, &partner, order(2, "CASH_ON_DELIVERY", &lines)).await;
        assert_eq!(split["status"], "ALLOCATED");
        assert_eq!(split["shipments"], json!([{ "status": "PENDING", "warehouse": { "code": "SH1" }, "lines": [{ "sku": "S-1", "quantity": 1 }, { "sku": "S-2", "quantity": 1 }] }]));
        // The rest follows when stock arrives: 2 more S-2 go to the same order.
        let wh = app.signed_in("wh@shop.example", &[Role::Warehouse]).await.bearer();
        app.gql(&wh, "mutation { receiveStock(input: { warehouse: \"SH1\", bin: \"A-01-02-1\", sku: \"S-2\", quantity: 2, reason: \"more\" }) { available } }", json!({})).await;
        let after = app.gql(&partner, ORDER, json!({ "id": split["id"] })).await;
        let shipments = after["data"]["order"]["shipments"].as_array().unwrap();
        assert_eq!(shipments.len(), 2, "{after}");
        assert_eq!(shipments[1]["lines"], json!([{ "sku": "S-2", "quantity": 2 }]));

        // Cancel the missing lines of a paid order: the refund is recorded for finance.
        set_policy(&app, "CANCEL_LINES").await;
        let prepaid = place(&app, &partner, order(3, "PREPAID", &[("S-1", 1), ("S-2", 5)])).await;
        let number = prepaid["number"].as_str().unwrap();
        let cb = json!({ "eventId": "e-1", "orderNumber": number, "status": "SUCCEEDED", "amount": "110.00", "currency": "CNY" });
        let (code, body) = app.payment_callback(&cb, &app.payment_secret(), chrono::Utc::now().timestamp()).await;
        assert_eq!(code, 200, "{body}");
        let after = app.gql(&partner, ORDER, json!({ "id": prepaid["id"] })).await;
        // No S-2 is left: the S-1 ships, the five S-2 are cancelled and 100.00 is owed back.
        assert_eq!(after["data"]["order"]["status"], "ALLOCATED", "{after}");
        assert_eq!(after["data"]["order"]["shipments"][0]["lines"], json!([{ "sku": "S-1", "quantity": 1 }]));
        assert_eq!(app.count("refunds WHERE amount_minor = 10000 AND status = 'REQUESTED'").await, 1);
        assert_eq!(app.count("order_lines WHERE sku = 'S-2' AND cancelled_quantity = 5").await, 1);
        let events = after["data"]["order"]["events"].as_array().unwrap();
        let last = events.last().unwrap()["reason"].as_str().unwrap();
        assert!(last.ends_with("cancelled what is out of stock (S-2: 5 ordered, 0 available); 100.00 CNY to refund"), "{last}");

        // A channel's own policy overrides the merchant's.
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await.bearer();
        let r = app.gql(&admin, "mutation { setChannelStockPolicy(channel: \"web\", policy: HOLD) }", json!({})).await;
        assert_eq!(r["data"]["setChannelStockPolicy"], true, "{r}");
        let held = place(&app, &partner, order(4, "CASH_ON_DELIVERY", &[("S-2", 50)])).await;
        assert_eq!(held["status"], "ON_HOLD");
    }

    async fn cancelling_gives_stock_back_exactly_once(app) {
        app.product("C-1", 1000, "CNY").await;
        app.warehouses(&[("SH1", "Shanghai", "Shanghai")]).await;
        app.receive("SH1", "A-01-01-1", "C-1", 5).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let o = place(&app, &partner, order(1, "CASH_ON_DELIVERY", &[("C-1", 3)])).await;
        assert_eq!(o["status"], "ALLOCATED");
        assert_eq!(app.stock_of("C-1").await.0, (5, 3));
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let cancel = "mutation($id: ID!) { cancelOrder(id: $id, reason: \"customer changed their mind\") { status } }";
        let (a, b) = tokio::join!(app.gql(&cs, cancel, json!({ "id": o["id"] })), app.gql(&cs, cancel, json!({ "id": o["id"] })));
        let ok = [&a, &b].iter().filter(|r| r["data"]["cancelOrder"]["status"] == "CANCELLED").count();
        assert_eq!(ok, 1, "{a} {b}");
        let loser = if error_code(&a).is_some() { &a } else { &b };
        assert!(matches!(error_code(loser), Some("INVALID_TRANSITION" | "CONFLICT")), "{loser}");
        assert_eq!(app.stock_of("C-1").await, ((5, 0), (5, 0)), "released once");
        assert_eq!(app.count("reservations WHERE state = 'RELEASED'").await, 1);
        let again = app.gql(&cs, cancel, json!({ "id": o["id"] })).await;
        assert_eq!(error_code(&again), Some("INVALID_TRANSITION"));
        assert_eq!(error_message(&again), "an order that is CANCELLED cannot be cancelled");
    }
}
