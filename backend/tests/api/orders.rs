//! Order intake, payment confirmation and expiry, through the API as partners and staff use it.

use crate::helpers::*;
use orderly_shared::Role;
use serde_json::{Value, json};

const PLACE: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number status paymentStatus total { amount currency } subtotal { amount } shipping { amount } tax { amount } discount { amount } lines { sku quantity unitPrice { amount } lineTotal { amount } } events { kind from to actor reason } } }";
const ORDER: &str = "query($n: String) { order(number: $n) { status paymentStatus holdReasons { code message } payments { kind amount { amount } } events { kind to reason } } }";

fn valid_input(key: &str, method: &str) -> Value {
    json!({
        "idempotencyKey": key,
        "customer": { "name": "Li Lei", "email": "Li.Lei@Example.com", "phone": "+8613800138000" },
        "shippingAddress": {
            "recipient": "Li Lei", "phone": "13800138000", "country": "CN", "region": "Shanghai",
            "city": "Shanghai", "district": "Pudong", "line1": "100 Century Avenue", "postalCode": "200120"
        },
        "paymentMethod": method,
        "lines": [ { "sku": "TEA-1", "quantity": 2 }, { "sku": "CUP-1", "quantity": 1 } ]
    })
}

async fn catalogue(app: &TestApp) {
    app.product("TEA-1", 4990, "CNY").await;
    app.product("CUP-1", 1900, "CNY").await;
}

/// One warehouse holding plenty of both products.
async fn stocked(app: &TestApp) {
    catalogue(app).await;
    app.warehouses(&[("SH1", "Shanghai", "Shanghai")]).await;
    app.receive("SH1", "A-01-01-1", "TEA-1", 50).await;
    app.receive("SH1", "A-01-02-1", "CUP-1", 50).await;
}

async fn place(app: &TestApp, who: &As, input: Value) -> Value {
    app.gql(who, PLACE, json!({ "input": input })).await
}

both_databases! {
    async fn a_cash_on_delivery_order_is_confirmed_reviewed_allocated_and_priced_by_the_server(app) {
        stocked(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let resp = place(&app, &partner, valid_input("k-1", "CASH_ON_DELIVERY")).await;
        assert_eq!(error_code(&resp), None, "{resp}");
        let order = &resp["data"]["placeOrder"];
        // Confirmed on placement, passed the automatic review, stock reserved: all in one go.
        assert_eq!(order["status"], "ALLOCATED");
        assert_eq!(order["paymentStatus"], "COD_PENDING");
        // 2 × 49.90 + 19.00 = 118.80: above the 99 CNY free-shipping threshold; 13 % VAT included.
        assert_eq!(order["subtotal"]["amount"], "118.80");
        assert_eq!(order["shipping"]["amount"], "0.00");
        assert_eq!(order["total"], json!({ "amount": "118.80", "currency": "CNY" }));
        assert_eq!(order["tax"]["amount"], "13.67");
        assert_eq!(order["lines"][0], json!({ "sku": "TEA-1", "quantity": 2, "unitPrice": { "amount": "49.90" }, "lineTotal": { "amount": "99.80" } }));
        let number = order["number"].as_str().unwrap();
        assert!(number.starts_with("OR") && number.len() == 16, "{number}");
        assert_eq!(order["events"], json!([
            { "kind": "STATUS_CHANGED", "from": null, "to": "CONFIRMED", "actor": "channel web", "reason": "order placed" },
            { "kind": "STATUS_CHANGED", "from": "CONFIRMED", "to": "APPROVED", "actor": "system", "reason": "passed the automatic review (risk score 0)" },
            { "kind": "STATUS_CHANGED", "from": "APPROVED", "to": "ALLOCATED", "actor": "system", "reason": "allocated by rule \"Nearest warehouse, split allowed\": SH1 (3 units)" },
        ]));
        assert_eq!(app.count("outbox").await, 1, "the confirmation message is queued with the order");
    }

    async fn a_prepaid_order_waits_for_a_signed_callback_and_replays_change_nothing(app) {
        stocked(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let resp = place(&app, &partner, valid_input("k-2", "PREPAID")).await;
        let order = &resp["data"]["placeOrder"];
        assert_eq!((order["status"].as_str(), order["paymentStatus"].as_str()), (Some("PENDING_PAYMENT"), Some("UNPAID")), "{resp}");
        assert_eq!(app.count("outbox").await, 0, "nothing is confirmed before payment");
        let number = order["number"].as_str().unwrap().to_string();
        let now = chrono::Utc::now().timestamp();
        let callback = json!({ "eventId": "evt-1", "orderNumber": number, "status": "SUCCEEDED", "amount": "118.80", "currency": "CNY" });
        let (status, body) = app.payment_callback(&callback, &app.payment_secret(), now).await;
        assert_eq!((status, body["result"].as_str()), (200, Some("applied")));
        let after = app.gql(&partner, ORDER, json!({ "n": number })).await;
        assert_eq!(after["data"]["order"]["status"], "ALLOCATED", "paid, reviewed and allocated: {after}");
        assert_eq!(after["data"]["order"]["paymentStatus"], "PAID");
        assert_eq!(after["data"]["order"]["payments"], json!([{ "kind": "CAPTURE", "amount": { "amount": "118.80" } }]));
        assert_eq!(app.count("outbox").await, 1);

        let (status, body) = app.payment_callback(&callback, &app.payment_secret(), now).await;
        assert_eq!((status, body["result"].as_str()), (200, Some("duplicate")));
        assert_eq!((app.count("payments").await, app.count("order_events").await, app.count("outbox").await), (1, 5, 1));
    }

    async fn forged_stale_and_malformed_callbacks_are_refused_and_change_nothing(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let resp = place(&app, &partner, valid_input("k-3", "PREPAID")).await;
        let number = resp["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        let now = chrono::Utc::now().timestamp();
        let callback = json!({ "eventId": "evt-x", "orderNumber": number, "status": "SUCCEEDED", "amount": "118.80", "currency": "CNY" });
        assert_eq!(app.payment_callback(&callback, "not the secret", now).await.0, 401, "forged");
        assert_eq!(app.payment_callback(&callback, &app.payment_secret(), now - 301).await.0, 401, "stale");
        assert_eq!(app.payment_callback(&callback, &app.payment_secret(), now + 301).await.0, 401, "from the future");
        let unsigned = app.http.post(app.url("/webhooks/payments/simulated")).body(callback.to_string()).send().await.unwrap();
        assert_eq!(unsigned.status(), 401, "unsigned");
        let bad_body = json!({ "eventId": "evt-y", "orderNumber": number, "status": "MAYBE", "amount": "1", "currency": "CNY" });
        assert_eq!(app.payment_callback(&bad_body, &app.payment_secret(), now).await.0, 400);
        let unknown = json!({ "eventId": "evt-z", "orderNumber": "OR000000-AAAAAA", "status": "SUCCEEDED", "amount": "1.00", "currency": "CNY" });
        assert_eq!(app.payment_callback(&unknown, &app.payment_secret(), now).await.0, 404);
        assert_eq!(app.count("payments").await, 0);
        let after = app.gql(&partner, ORDER, json!({ "n": number })).await;
        assert_eq!(after["data"]["order"]["status"], "PENDING_PAYMENT");
    }

    async fn a_payment_that_does_not_match_the_total_holds_the_order_with_the_numbers(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let resp = place(&app, &partner, valid_input("k-4", "PREPAID")).await;
        let number = resp["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        let callback = json!({ "eventId": "evt-m", "orderNumber": number, "status": "SUCCEEDED", "amount": "100.00", "currency": "CNY" });
        assert_eq!(app.payment_callback(&callback, &app.payment_secret(), chrono::Utc::now().timestamp()).await.0, 200);
        let after = app.gql(&partner, ORDER, json!({ "n": number })).await;
        let order = &after["data"]["order"];
        assert_eq!(order["status"], "ON_HOLD", "{after}");
        assert_eq!(order["paymentStatus"], "UNPAID");
        assert_eq!(order["holdReasons"][0]["code"], "PAYMENT_MISMATCH");
        let message = order["holdReasons"][0]["message"].as_str().unwrap();
        assert!(message.contains("100.00") && message.contains("118.80"), "{message}");
    }

    async fn a_failed_payment_is_recorded_and_the_order_keeps_waiting(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let resp = place(&app, &partner, valid_input("k-5", "PREPAID")).await;
        let number = resp["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        let callback = json!({ "eventId": "evt-f", "orderNumber": number, "status": "FAILED", "amount": "118.80", "currency": "CNY" });
        assert_eq!(app.payment_callback(&callback, &app.payment_secret(), chrono::Utc::now().timestamp()).await.0, 200);
        let after = app.gql(&partner, ORDER, json!({ "n": number })).await;
        assert_eq!(after["data"]["order"]["status"], "PENDING_PAYMENT");
        assert_eq!(after["data"]["order"]["payments"][0]["kind"], "CAPTURE_FAILED");
        assert!(after["data"]["order"]["events"].as_array().unwrap().iter().any(|e| e["kind"] == "PAYMENT_FAILED"));
    }

    async fn a_retry_with_the_same_key_returns_the_same_order_and_a_different_body_is_a_conflict(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let first = place(&app, &partner, valid_input("same-key", "PREPAID")).await;
        let again = place(&app, &partner, valid_input("same-key", "PREPAID")).await;
        assert_eq!(first["data"]["placeOrder"]["id"], again["data"]["placeOrder"]["id"], "{again}");
        // Even when the catalogue changed since, a retry gets its order back, not an error.
        {
            use sea_orm::{ConnectionTrait, Statement};
            let db = &app.state.db;
            db.execute_raw(Statement::from_string(db.get_database_backend(), "UPDATE products SET active = false WHERE sku = 'TEA-1'")).await.unwrap();
        }
        let after_change = place(&app, &partner, valid_input("same-key", "PREPAID")).await;
        assert_eq!(after_change["data"]["placeOrder"]["id"], first["data"]["placeOrder"]["id"], "{after_change}");
        let fresh = place(&app, &partner, valid_input("fresh-key", "PREPAID")).await;
        assert_eq!(field_problems(&fresh)[0], ("lines[0].sku".to_string(), "INACTIVE_SKU".to_string()), "{fresh}");
        {
            use sea_orm::{ConnectionTrait, Statement};
            let db = &app.state.db;
            db.execute_raw(Statement::from_string(db.get_database_backend(), "UPDATE products SET active = true WHERE sku = 'TEA-1'")).await.unwrap();
        }
        let mut changed = valid_input("same-key", "PREPAID");
        changed["lines"][0]["quantity"] = json!(3);
        let conflict = place(&app, &partner, changed).await;
        assert_eq!(error_code(&conflict), Some("CONFLICT"), "{conflict}");
        // Keys are per channel: another partner may use the same key.
        let other = As::ApiKey(app.partner_key("marketplace").await);
        let theirs = place(&app, &other, valid_input("same-key", "PREPAID")).await;
        assert_ne!(theirs["data"]["placeOrder"]["id"], first["data"]["placeOrder"]["id"]);
        assert_eq!(app.count("orders").await, 2);
    }

    async fn concurrent_retries_with_one_key_create_one_order(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let attempts = (0..8).map(|_| place(&app, &partner, valid_input("race", "CASH_ON_DELIVERY")));
        let results = futures_util::future::join_all(attempts).await;
        let ids: std::collections::HashSet<String> = results.iter()
            .map(|r| r["data"]["placeOrder"]["id"].as_str().unwrap_or_else(|| panic!("{r}")).to_string())
            .collect();
        assert_eq!(ids.len(), 1);
        assert_eq!(app.count("orders").await, 1);
    }

    async fn an_unpaid_order_expires_and_a_late_payment_is_kept_for_a_refund(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let resp = place(&app, &partner, valid_input("k-6", "PREPAID")).await;
        let number = resp["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        let later = chrono::Utc::now() + chrono::TimeDelta::minutes(31);
        assert_eq!(orderly::jobs::expiry::run_once(&app.state.db, &app.state.realtime, later).await.unwrap(), 1);
        assert_eq!(orderly::jobs::expiry::run_once(&app.state.db, &app.state.realtime, later).await.unwrap(), 0, "exactly once");
        let callback = json!({ "eventId": "evt-late", "orderNumber": number, "status": "SUCCEEDED", "amount": "118.80", "currency": "CNY" });
        assert_eq!(app.payment_callback(&callback, &app.payment_secret(), chrono::Utc::now().timestamp()).await.0, 200);
        let after = app.gql(&partner, ORDER, json!({ "n": number })).await;
        let order = &after["data"]["order"];
        assert_eq!(order["status"], "EXPIRED", "{after}");
        let reasons: Vec<&str> = order["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.contains(&"not paid within the payment window"), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("refund due")), "{reasons:?}");
    }

    async fn partners_see_only_their_own_channels_orders(app) {
        catalogue(&app).await;
        let web = As::ApiKey(app.partner_key("web").await);
        let market = As::ApiKey(app.partner_key("market").await);
        let mine = place(&app, &web, valid_input("a", "PREPAID")).await;
        let number = mine["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        place(&app, &market, valid_input("b", "PREPAID")).await;
        let theirs = app.gql(&market, ORDER, json!({ "n": number })).await;
        assert_eq!(theirs["data"]["order"], Value::Null, "{theirs}");
        let list = app.gql(&web, "{ orders { nodes { number } } }", json!({})).await;
        assert_eq!(list["data"]["orders"]["nodes"], json!([{ "number": number }]));
        let staff = app.signed_in("cs@shop.example", &[Role::CustomerService]).await;
        let all = app.gql(&staff.bearer(), "{ orders { nodes { number } } }", json!({})).await;
        assert_eq!(all["data"]["orders"]["nodes"].as_array().unwrap().len(), 2);
    }

    async fn the_order_list_filters_and_searches(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let cod = place(&app, &partner, valid_input("c", "CASH_ON_DELIVERY")).await;
        let mut other = valid_input("d", "PREPAID");
        other["customer"] = json!({ "name": "Han Meimei", "email": "han@example.com", "phone": "+8613912345678" });
        let prepaid = place(&app, &partner, other).await;
        let staff = app.signed_in("fin@shop.example", &[Role::Finance]).await;
        let q = "query($f: OrderFilter) { orders(filter: $f) { nodes { number } } }";
        let numbers = |r: &Value| r["data"]["orders"]["nodes"].as_array().unwrap().iter().map(|n| n["number"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        let cod_number = cod["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        let prepaid_number = prepaid["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        for (filter, expected) in [
            // Nothing is in stock: the cash-on-delivery order waits for it.
            (json!({ "status": ["BACKORDERED"] }), vec![cod_number.clone()]),
            (json!({ "paymentStatus": ["UNPAID"] }), vec![prepaid_number.clone()]),
            (json!({ "search": "han@example.com" }), vec![prepaid_number.clone()]),
            (json!({ "search": "13912345678" }), vec![prepaid_number.clone()]),
            (json!({ "search": "Meimei" }), vec![prepaid_number.clone()]),
            (json!({ "search": cod_number }), vec![cod_number.clone()]),
            (json!({ "channel": "web" }), vec![prepaid_number.clone(), cod_number.clone()]),
            (json!({ "channel": "nowhere" }), vec![]),
            (json!({ "createdAfter": (chrono::Utc::now() + chrono::TimeDelta::minutes(1)).to_rfc3339() }), vec![]),
        ] {
            let resp = app.gql(&staff.bearer(), q, json!({ "f": filter })).await;
            assert_eq!(numbers(&resp), expected, "filter {filter}: {resp}");
        }
    }
}

/// Statements the server ran while answering one request: the fewest of three tries. A
/// DataLoader batches the keys asked for within a millisecond, so on a starved CPU (tests run in
/// parallel on two cores) a batch can split by chance; an N+1 would show in every try.
async fn statements_for(app: &TestApp, who: &As, query: &str) -> u64 {
    let counter = app.state.statements.get().expect("counted").clone();
    let mut fewest = u64::MAX;
    for _ in 0..3 {
        let before = counter.get();
        let resp = app.gql(who, query, json!({})).await;
        assert_eq!(error_code(&resp), None, "{resp}");
        fewest = fewest.min(counter.get() - before);
    }
    fewest
}

each_backend! {
    async fn listing_orders_with_their_relations_costs_a_few_statements_for_2_or_20(backend) {
        // No background worker: its statements would count too.
        let app = TestApp::spawn_with(backend, |c| c.background_jobs = false).await;
        catalogue(&app).await;
        let key = app.partner_key("web").await;
        let partner = As::ApiKey(key);
        let query = "{ orders(first: 50) { nodes { number channel total { amount } lines { sku } events { kind } payments { kind } } } }";
        for i in 0..2 {
            place(&app, &partner, valid_input(&format!("few-{i}"), "CASH_ON_DELIVERY")).await;
        }
        let few = statements_for(&app, &partner, query).await;
        for i in 0..18 {
            place(&app, &partner, valid_input(&format!("many-{i}"), "CASH_ON_DELIVERY")).await;
        }
        let many = statements_for(&app, &partner, query).await;
        // The page, and one batch each for channel, lines, events and payments (an N+1 would be
        // 80 for 20 orders). A batch split by scheduling costs one or two more, never 20.
        assert!(few <= 8 && many <= 8, "no N+1: {few} statements for 2 orders, {many} for 20");
    }

}

both_databases! {
    async fn twenty_kinds_of_bad_input_each_get_their_code_and_path_and_write_nothing(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        type Edit = fn(&mut Value);
        let cases: Vec<(&str, &str, Edit)> = vec![
            ("idempotencyKey", "REQUIRED", |v| v["idempotencyKey"] = json!("")),
            ("customer.name", "REQUIRED", |v| v["customer"]["name"] = json!(" ")),
            ("customer.email", "INVALID_EMAIL", |v| v["customer"]["email"] = json!("li.lei-at-example.com")),
            ("customer.phone", "INVALID_PHONE", |v| v["customer"]["phone"] = json!("+86 123")),
            ("shippingAddress.recipient", "REQUIRED", |v| v["shippingAddress"]["recipient"] = json!("")),
            ("shippingAddress.phone", "INVALID_PHONE", |v| v["shippingAddress"]["phone"] = json!("12345")),
            ("shippingAddress.country", "INVALID_COUNTRY", |v| v["shippingAddress"]["country"] = json!("XX")),
            ("shippingAddress.region", "REQUIRED", |v| v["shippingAddress"]["region"] = json!(null)),
            ("shippingAddress.city", "REQUIRED", |v| v["shippingAddress"]["city"] = json!("")),
            ("shippingAddress.line1", "REQUIRED", |v| v["shippingAddress"]["line1"] = json!("")),
            ("shippingAddress.postalCode", "INVALID_POSTAL_CODE", |v| v["shippingAddress"]["postalCode"] = json!("2001")),
            ("lines", "REQUIRED", |v| v["lines"] = json!([])),
            ("lines[1].sku", "UNKNOWN_SKU", |v| v["lines"][1]["sku"] = json!("NOPE-1")),
            ("lines[0].quantity", "MUST_BE_POSITIVE", |v| v["lines"][0]["quantity"] = json!(0)),
            ("lines[0].quantity", "TOO_LARGE", |v| v["lines"][0]["quantity"] = json!(10_000)),
            ("lines[1].sku", "DUPLICATE_SKU", |v| v["lines"][1]["sku"] = json!("TEA-1")),
            ("couponCodes[0]", "UNKNOWN_COUPON", |v| v["couponCodes"] = json!(["NOSUCH"])),
            ("specialRequests.giftMessage", "TOO_LONG", |v| v["specialRequests"] = json!({ "giftMessage": "x".repeat(201) })),
            ("specialRequests.invoice.title", "REQUIRED", |v| v["specialRequests"] = json!({ "invoice": { "title": "", "delivery": "IN_PARCEL" } })),
            ("expectedTotal", "TOTAL_MISMATCH", |v| v["expectedTotal"] = json!("100.00")),
        ];
        assert_eq!(cases.len(), 20);
        for (path, code, edit) in cases {
            let mut input = valid_input("bad", "PREPAID");
            edit(&mut input);
            let resp = place(&app, &partner, input).await;
            assert_eq!(error_code(&resp), Some("VALIDATION"), "{path}: {resp}");
            let problems = field_problems(&resp);
            assert!(problems.contains(&(path.to_string(), code.to_string())), "{path} {code}: {problems:?}");
        }
        let tables = ["orders", "order_lines", "order_events", "customers", "outbox"];
        for table in tables {
            assert_eq!(app.count(table).await, 0, "{table} must stay empty");
        }
        // The same key still works once the input is right: nothing was reserved by the failures.
        let ok = place(&app, &partner, valid_input("bad", "PREPAID")).await;
        assert_eq!(error_code(&ok), None, "{ok}");
    }
}

both_databases! {
    async fn the_payment_simulator_works_only_in_demo_mode(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let placed = place(&app, &partner, valid_input("sim", "PREPAID")).await;
        let number = placed["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        let finance = app.signed_in("fin@shop.example", &[Role::Finance]).await;
        let q = "mutation($n: String!) { simulatePayment(orderNumber: $n, outcome: SUCCEEDED) }";
        let refused = app.gql(&finance.bearer(), q, json!({ "n": number })).await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
        assert!(error_message(&refused).contains("demo mode"));
        assert_eq!(app.count("payments").await, 0);
    }
}

each_backend! {
    async fn in_demo_mode_a_simulated_payment_confirms_the_order(backend) {
        let app = TestApp::spawn_with(backend, |c| c.demo_mode = true).await;
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let placed = place(&app, &partner, valid_input("sim", "PREPAID")).await;
        let number = placed["data"]["placeOrder"]["number"].as_str().unwrap().to_string();
        let finance = app.signed_in("fin@shop.example", &[Role::Finance]).await;
        let q = "mutation($n: String!) { simulatePayment(orderNumber: $n, outcome: SUCCEEDED) }";
        let done = app.gql(&finance.bearer(), q, json!({ "n": number })).await;
        assert_eq!(done["data"]["simulatePayment"], "applied", "{done}");
        let after = app.gql(&partner, ORDER, json!({ "n": number })).await;
        assert_eq!(after["data"]["order"]["paymentStatus"], "PAID", "{after}");
        assert_eq!(after["data"]["order"]["status"], "BACKORDERED", "paid, approved, and waiting for stock");
        let products = app.gql(&partner, "{ products(search: \"tea\") { nodes { sku price { amount currency } } } }", json!({})).await;
        assert_eq!(products["data"]["products"]["nodes"], json!([{ "sku": "TEA-1", "price": { "amount": "49.90", "currency": "CNY" } }]));
        let customers = app.gql(&finance.bearer(), "{ customers { nodes { name email phone } } }", json!({})).await;
        assert_eq!(customers["data"]["customers"]["nodes"], json!([{ "name": "Li Lei", "email": "li.lei@example.com", "phone": "+8613800138000" }]));
    }
}

const CREATE_COUPON: &str =
    "mutation($i: CreateCouponInput!) { createCoupon(input: $i) { code kind percent usedTotal } }";

both_databases! {
    async fn a_coupon_discounts_the_order_and_its_limits_hold(app) {
        catalogue(&app).await;
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let created = app.gql(&admin.bearer(), CREATE_COUPON, json!({ "i": { "code": "save10", "kind": "PERCENTAGE", "percent": "10", "currency": "CNY", "totalLimit": 1 } })).await;
        assert_eq!(created["data"]["createCoupon"], json!({ "code": "SAVE10", "kind": "PERCENTAGE", "percent": "10", "usedTotal": 0 }), "{created}");
        let dup = app.gql(&admin.bearer(), CREATE_COUPON, json!({ "i": { "code": "SAVE10", "kind": "FIXED", "amount": "5", "currency": "CNY" } })).await;
        assert_eq!(error_code(&dup), Some("CONFLICT"));
        let bad = app.gql(&admin.bearer(), CREATE_COUPON, json!({ "i": { "code": "X", "kind": "PERCENTAGE", "percent": "0", "currency": "CNY" } })).await;
        assert_eq!(field_problems(&bad), vec![("code".to_string(), "INVALID_CODE".to_string()), ("percent".to_string(), "OUT_OF_RANGE".to_string())]);

        let partner = As::ApiKey(app.partner_key("web").await);
        let mut input = valid_input("with-coupon", "CASH_ON_DELIVERY");
        input["couponCodes"] = json!(["save10"]);
        let order = place(&app, &partner, input).await;
        let o = &order["data"]["placeOrder"];
        // 118.80 − 11.88 = 106.92, still above the free-shipping threshold.
        assert_eq!((o["discount"]["amount"].as_str(), o["total"]["amount"].as_str()), (Some("11.88"), Some("106.92")), "{order}");

        let mut second = valid_input("coupon-again", "CASH_ON_DELIVERY");
        second["couponCodes"] = json!(["SAVE10"]);
        second["customer"]["email"] = json!("someone.else@example.com");
        let refused = place(&app, &partner, second).await;
        assert_eq!(field_problems(&refused), vec![("couponCodes[0]".to_string(), "COUPON_LIMIT_REACHED".to_string())], "{refused}");
        assert_eq!(app.count("orders").await, 1);
        let listed = app.gql(&admin.bearer(), "{ coupons { nodes { code usedTotal } } }", json!({})).await;
        assert_eq!(listed["data"]["coupons"]["nodes"], json!([{ "code": "SAVE10", "usedTotal": 1 }]));
    }
}

both_databases! {
    async fn a_partner_cannot_choose_another_channel(app) {
        catalogue(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let mut input = valid_input("chan", "PREPAID");
        input["channel"] = json!("someone-else");
        let resp = place(&app, &partner, input).await;
        assert_eq!(field_problems(&resp), vec![("channel".to_string(), "NOT_ALLOWED".to_string())]);
        assert_eq!(app.count("orders").await, 0);
    }
}
