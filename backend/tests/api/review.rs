//! The automatic review and what people do with held orders: velocity, blocklist, value and COD
//! rules with their numbers; remote and suspicious addresses verified by customer service;
//! special requests; the review queue; approval into allocation; rejection with refund.

use crate::helpers::*;
use orderly_shared::Role;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

const PLACE: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number status holdReasons { code message } shipments { instructions } } }";
const ORDER: &str = "query($id: ID) { order(id: $id) { status shippingAddress { line1 } holdReasons { code message } shipments { warehouse { code } } events { kind to actor reason } } }";

fn input(key: &str, method: &str, line1: &str, phone: &str, email: &str) -> Value {
    json!({
        "idempotencyKey": key,
        "customer": { "name": "Li Lei", "email": email, "phone": phone },
        "shippingAddress": {
            "recipient": "Li Lei", "phone": phone, "country": "CN", "region": "Shanghai",
            "city": "Shanghai", "district": "Pudong", "line1": line1, "postalCode": "200120"
        },
        "paymentMethod": method,
        "lines": [ { "sku": "TEA-1", "quantity": 1 } ]
    })
}

async fn setup(app: &TestApp) -> As {
    app.product("TEA-1", 4990, "CNY").await;
    app.product("WATCH-1", 300000, "CNY").await;
    app.warehouses(&[("SH1", "Shanghai", "Shanghai")]).await;
    app.receive("SH1", "A-01-01-1", "TEA-1", 100).await;
    app.receive("SH1", "D-01-01-1", "WATCH-1", 10).await;
    As::ApiKey(app.partner_key("web").await)
}

async fn place(app: &TestApp, who: &As, input: Value) -> Value {
    let resp = app.gql(who, PLACE, json!({ "input": input })).await;
    assert_eq!(error_code(&resp), None, "{resp}");
    resp["data"]["placeOrder"].clone()
}

both_databases! {
    async fn many_orders_to_one_address_are_held_with_the_numbers_and_a_reviewer_approves(app) {
        let partner = setup(&app).await;
        // Four spellings of one address, four customers, four phones.
        let spellings = ["100 Century Avenue", "100 century ave.", "100  CENTURY AVENUE", "100, Century Ave"];
        let mut last = Value::Null;
        for (i, line1) in spellings.iter().enumerate() {
            last = place(&app, &partner, input(&format!("v{i}"), "CASH_ON_DELIVERY", line1, &format!("+86139{:08}", 10_000_000 + i), &format!("v{i}@example.com"))).await;
            if i < 3 {
                assert_eq!(last["status"], "ALLOCATED", "order {i}: {last}");
            }
        }
        assert_eq!(last["status"], "ON_HOLD");
        assert_eq!(last["holdReasons"], json!([{ "code": "RISK_VELOCITY_ADDRESS", "message": "4 orders to this address in 60 min, limit 3" }]));

        let reviewer = app.signed_in("rev@shop.example", &[Role::Reviewer]).await.bearer();
        let queue = app.gql(&reviewer, "{ reviewQueue { nodes { number holdReasons { code } } } }", json!({})).await;
        assert_eq!(queue["data"]["reviewQueue"]["nodes"], json!([{ "number": last["number"], "holdReasons": [{ "code": "RISK_VELOCITY_ADDRESS" }] }]));

        let approve = "mutation($id: ID!) { approveOrder(id: $id, note: \"same office, four colleagues\") { status shipments { warehouse { code } } } }";
        let approved = app.gql(&reviewer, approve, json!({ "id": last["id"] })).await;
        assert_eq!(approved["data"]["approveOrder"], json!({ "status": "ALLOCATED", "shipments": [{ "warehouse": { "code": "SH1" } }] }), "{approved}");
        let order = app.gql(&reviewer, ORDER, json!({ "id": last["id"] })).await;
        let events: Vec<&Value> = order["data"]["order"]["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "STATUS_CHANGED").collect();
        assert_eq!(events[events.len() - 2]["reason"], "approved: same office, four colleagues");
        assert_eq!(events[events.len() - 2]["actor"], "rev@shop.example");
        let again = app.gql(&reviewer, approve, json!({ "id": last["id"] })).await;
        assert_eq!(error_code(&again), Some("INVALID_TRANSITION"));
        let empty = app.gql(&reviewer, "{ reviewQueue { nodes { number } } }", json!({})).await;
        assert_eq!(empty["data"]["reviewQueue"]["nodes"], json!([]));
        // Customer service reads the queue but may not approve.
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        assert_eq!(error_code(&app.gql(&cs, approve, json!({ "id": last["id"] })).await), Some("FORBIDDEN"));
    }

    async fn a_blocklisted_phone_is_rejected_and_a_paid_order_rejected_by_a_reviewer_is_owed_a_refund(app) {
        let partner = setup(&app).await;
        let reviewer = app.signed_in("rev@shop.example", &[Role::Reviewer]).await.bearer();
        let block = "mutation { addToBlocklist(kind: PHONE, value: \"13700001111\", reason: \"chargebacks\") { value } }";
        assert_eq!(error_code(&app.gql(&reviewer, block, json!({})).await), None);
        assert_eq!(error_code(&app.gql(&reviewer, block, json!({})).await), Some("CONFLICT"));
        let o = place(&app, &partner, input("b1", "CASH_ON_DELIVERY", "5 Nanjing Road", "+8613700001111", "b@example.com")).await;
        assert_eq!(o["status"], "CANCELLED", "score 100 reaches the reject threshold: {o}");
        let order = app.gql(&reviewer, ORDER, json!({ "id": o["id"] })).await;
        let last = order["data"]["order"]["events"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last["reason"], "rejected by the automatic review (risk score 100, reject at 100): phone 13700001111 is blocklisted: chargebacks");

        // A paid order a reviewer rejects: stock back, refund of what was paid recorded.
        let big = place(&app, &partner, json!({
            "idempotencyKey": "big", "customer": { "name": "Wang", "email": "w@example.com", "phone": "+8613600001111" },
            "shippingAddress": { "recipient": "Wang", "phone": "13600001111", "country": "CN", "region": "Shanghai", "city": "Shanghai", "line1": "9 Huaihai Road", "postalCode": "200020" },
            "paymentMethod": "PREPAID", "lines": [{ "sku": "WATCH-1", "quantity": 2 }]
        })).await;
        let cb = json!({ "eventId": "p-big", "orderNumber": big["number"], "status": "SUCCEEDED", "amount": "6000.00", "currency": "CNY" });
        let (code, _) = app.payment_callback(&cb, &app.payment_secret(), chrono::Utc::now().timestamp()).await;
        assert_eq!(code, 200);
        let held = app.gql(&reviewer, ORDER, json!({ "id": big["id"] })).await;
        assert_eq!(held["data"]["order"]["status"], "ON_HOLD", "{held}");
        assert_eq!(held["data"]["order"]["holdReasons"], json!([
            { "code": "RISK_HIGH_VALUE", "message": "order total 6000.00 CNY is at or above the 5000.00 CNY review threshold" },
            { "code": "RISK_FIRST_ORDER_HIGH_VALUE", "message": "first order of this customer, 6000.00 CNY, at or above 2000.00 CNY" },
        ]));
        let reject = "mutation($id: ID!) { rejectOrder(id: $id, reason: \"card testing pattern\") { status } }";
        let r = app.gql(&reviewer, reject, json!({ "id": big["id"] })).await;
        assert_eq!(r["data"]["rejectOrder"]["status"], "CANCELLED", "{r}");
        assert_eq!(app.count("refunds WHERE amount_minor = 600000 AND status = 'REQUESTED'").await, 1);
        let blank = app.gql(&reviewer, "mutation($id: ID!) { rejectOrder(id: $id, reason: \" \") { status } }", json!({ "id": o["id"] })).await;
        assert_eq!(error_code(&blank), Some("INVALID_TRANSITION"));
    }

    async fn remote_and_suspicious_addresses_wait_for_customer_service_to_verify_them(app) {
        let partner = setup(&app).await;
        let reviewer = app.signed_in("rev@shop.example", &[Role::Reviewer]).await.bearer();
        let areas = "mutation { setRemoteAreas(areas: [{ country: \"CN\", region: \"Xinjiang\", label: \"Xinjiang\" }]) { label } }";
        assert_eq!(error_code(&app.gql(&reviewer, areas, json!({})).await), None);
        let mut far = input("far", "CASH_ON_DELIVERY", "12 Renmin Road", "+8613800001234", "far@example.com");
        far["shippingAddress"]["region"] = json!("Xinjiang");
        far["shippingAddress"]["city"] = json!("Urumqi");
        far["shippingAddress"]["postalCode"] = json!("830000");
        let far = place(&app, &partner, far).await;
        assert_eq!(far["status"], "ON_HOLD");
        assert_eq!(far["holdReasons"][0]["code"], "REMOTE_AREA");

        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let release = "mutation($id: ID!, $codes: [HoldReasonCode!]!) { releaseHold(id: $id, codes: $codes, note: \"called\") { status } }";
        let r = app.gql(&cs, release, json!({ "id": far["id"], "codes": ["RISK_HIGH_VALUE"] })).await;
        assert_eq!(error_code(&r), Some("FORBIDDEN"), "risk holds are the reviewer's");
        let call = "mutation($id: ID!, $o: VerificationOutcome!, $a: VerificationAddressInput) { recordVerificationCall(id: $id, outcome: $o, note: \"spoke to the customer\", correctedAddress: $a) { status shippingAddress { line1 } } }";
        let r = app.gql(&cs, call, json!({ "id": far["id"], "o": "NOT_REACHED" })).await;
        assert_eq!(r["data"]["recordVerificationCall"]["status"], "ON_HOLD", "{r}");
        let r = app.gql(&cs, call, json!({ "id": far["id"], "o": "CONFIRMED" })).await;
        assert_eq!(r["data"]["recordVerificationCall"]["status"], "ALLOCATED", "{r}");

        // No house number: held; the corrected address (with one) releases it.
        let vague = place(&app, &partner, input("vague", "CASH_ON_DELIVERY", "Century Avenue", "+8613800004321", "vague@example.com")).await;
        assert_eq!(vague["status"], "ON_HOLD");
        assert_eq!(vague["holdReasons"][0]["code"], "ADDRESS_UNVERIFIED");
        let corrected = json!({ "recipient": "Li Lei", "phone": "13800004321", "country": "CN", "region": "Shanghai", "city": "Shanghai", "line1": "200 Century Avenue", "postalCode": "200120" });
        let bad = app.gql(&cs, call, json!({ "id": vague["id"], "o": "CORRECTED", "a": { "recipient": "", "phone": "1", "country": "CN", "city": "Shanghai", "line1": "x" } })).await;
        assert_eq!(error_code(&bad), Some("VALIDATION"), "{bad}");
        let r = app.gql(&cs, call, json!({ "id": vague["id"], "o": "CORRECTED", "a": corrected })).await;
        assert_eq!(r["data"]["recordVerificationCall"], json!({ "status": "ALLOCATED", "shippingAddress": { "line1": "200 Century Avenue" } }), "{r}");
        let order = app.gql(&cs, ORDER, json!({ "id": vague["id"] })).await;
        assert!(order["data"]["order"]["events"].as_array().unwrap().iter().any(|e| e["kind"] == "VERIFICATION_CALL" && e["reason"] == "CORRECTED: spoke to the customer"), "{order}");
    }

    async fn special_requests_become_instructions_or_hold_the_order(app) {
        let partner = setup(&app).await;
        let soon = chrono::Utc::now() + chrono::TimeDelta::hours(3);
        let mut rush = input("rush", "CASH_ON_DELIVERY", "8 Fuxing Road", "+8613800005555", "rush@example.com");
        rush["specialRequests"] = json!({ "deliveryWindow": { "from": soon.to_rfc3339(), "to": (soon + chrono::TimeDelta::hours(2)).to_rfc3339() } });
        let rush = place(&app, &partner, rush).await;
        assert_eq!(rush["status"], "ON_HOLD");
        assert_eq!(rush["holdReasons"][0]["code"], "SPECIAL_REQUEST");
        assert!(rush["holdReasons"][0]["message"].as_str().unwrap().contains("earliest possible delivery is in 24 h"), "{rush}");

        let mut gift = input("gift", "CASH_ON_DELIVERY", "9 Fuxing Road", "+8613800006666", "gift@example.com");
        gift["specialRequests"] = json!({ "giftWrap": true, "giftMessage": "Happy birthday!" });
        let gift = place(&app, &partner, gift).await;
        assert_eq!(gift["status"], "ALLOCATED", "{gift}");
        assert_eq!(gift["shipments"][0]["instructions"], json!([{ "kind": "GIFT_WRAP" }, { "kind": "GIFT_MESSAGE", "message": "Happy birthday!" }]));

        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let release = "mutation($id: ID!) { releaseHold(id: $id, codes: [SPECIAL_REQUEST], note: \"customer accepts delivery tomorrow\") { status } }";
        let r = app.gql(&cs, release, json!({ "id": rush["id"] })).await;
        assert_eq!(r["data"]["releaseHold"]["status"], "ALLOCATED", "{r}");
    }

    async fn reviewers_edit_risk_rules_and_thresholds_and_bad_input_changes_nothing(app) {
        let partner = setup(&app).await;
        let reviewer = app.signed_in("rev@shop.example", &[Role::Reviewer]).await.bearer();
        let rules = app.gql(&reviewer, "{ riskRules { id name type weight enabled amount { amount currency } } }", json!({})).await;
        let list = rules["data"]["riskRules"].as_array().unwrap();
        assert_eq!(list.len(), 8, "{rules}");
        let cod = list.iter().find(|r| r["type"] == "COD_LIMIT").unwrap();
        assert_eq!(cod["amount"], json!({ "amount": "2000.00", "currency": "CNY" }));

        let save = "mutation($i: RiskRuleInput!) { saveRiskRule(input: $i) { name type weight amount { amount } } }";
        let missing = app.gql(&reviewer, save, json!({ "i": { "id": cod["id"], "name": "COD limit", "type": "COD_LIMIT", "weight": 60, "enabled": true } })).await;
        assert_eq!(error_code(&missing), Some("VALIDATION"));
        assert_eq!(missing["errors"][0]["extensions"]["fields"][0]["path"], "amount");
        let bad_amount = app.gql(&reviewer, save, json!({ "i": { "id": cod["id"], "name": "COD limit", "type": "COD_LIMIT", "weight": 5000, "enabled": true, "amount": { "amount": "abc", "currency": "CNY" } } })).await;
        assert_eq!(error_code(&bad_amount), Some("VALIDATION"), "{bad_amount}");
        assert_eq!(bad_amount["errors"][0]["extensions"]["fields"].as_array().unwrap().len(), 2, "weight and amount at once: {bad_amount}");
        let saved = app.gql(&reviewer, save, json!({ "i": { "id": cod["id"], "name": "COD limit", "type": "COD_LIMIT", "weight": 60, "enabled": true, "amount": { "amount": "40", "currency": "CNY" } } })).await;
        assert_eq!(saved["data"]["saveRiskRule"], json!({ "name": "COD limit", "type": "COD_LIMIT", "weight": 60, "amount": { "amount": "40.00" } }), "{saved}");
        let held = place(&app, &partner, input("cod", "CASH_ON_DELIVERY", "3 Xizang Road", "+8613800007777", "cod@example.com")).await;
        assert_eq!(held["holdReasons"], json!([{ "code": "RISK_COD_LIMIT", "message": "cash-on-delivery order of 59.90 CNY is above the 40.00 CNY limit" }]));

        let t = app.gql(&reviewer, "mutation { setRiskThresholds(holdAt: 80, rejectAt: 70) { holdAt } }", json!({})).await;
        assert_eq!(error_code(&t), Some("VALIDATION"), "{t}");
        let t = app.gql(&reviewer, "mutation { setRiskThresholds(holdAt: 70, rejectAt: 150) { holdAt rejectAt } }", json!({})).await;
        assert_eq!(t["data"]["setRiskThresholds"], json!({ "holdAt": 70, "rejectAt": 150 }));
        let passes = place(&app, &partner, input("cod2", "CASH_ON_DELIVERY", "4 Xizang Road", "+8613800008888", "cod2@example.com")).await;
        assert_eq!(passes["status"], "ALLOCATED", "60 is below the new hold threshold: {passes}");
        let wh = app.signed_in("wh@shop.example", &[Role::Warehouse]).await.bearer();
        assert_eq!(error_code(&app.gql(&wh, "{ riskRules { id } }", json!({})).await), Some("FORBIDDEN"));
    }
    async fn a_configuration_change_from_anywhere_applies_to_the_next_order(app) {
        let partner = setup(&app).await;
        // The first order loads the configuration; the next ones must not keep using it.
        let first = place(&app, &partner, input("c1", "CASH_ON_DELIVERY", "1 Yan'an Road", "+8613700002222", "c1@example.com")).await;
        assert_eq!(first["status"], "ALLOCATED", "{first}");
        // A blocklist entry written by plain SQL (another tool, an operator's fix).
        app.state.db.execute_raw(sea_orm::Statement::from_sql_and_values(
            app.state.db.get_database_backend(),
            "INSERT INTO blocklist (id, kind, value, label, reason, created_by, created_at) \
             VALUES ($1, 'PHONE', '+8613700002222', '13700002222', 'chargebacks', 'dba', $2)",
            [uuid::Uuid::now_v7().into(), chrono::Utc::now().into()],
        )).await.unwrap();
        let second = place(&app, &partner, input("c2", "CASH_ON_DELIVERY", "2 Yan'an Road", "+8613700002222", "c2@example.com")).await;
        assert_eq!(second["status"], "CANCELLED", "the blocklist written by SQL applies: {second}");
        // Remote areas changed through another replica: this server's next order sees them.
        let replica = app.replica().await;
        let reviewer = replica.signed_in("rev@shop.example", &[Role::Reviewer]).await.bearer();
        let areas = "mutation { setRemoteAreas(areas: [{ country: \"CN\", region: \"Shanghai\", label: \"Shanghai\" }]) { label } }";
        assert_eq!(error_code(&replica.gql(&reviewer, areas, json!({})).await), None);
        let third = place(&app, &partner, input("c3", "CASH_ON_DELIVERY", "3 Yan'an Road", "+8613700003333", "c3@example.com")).await;
        assert_eq!(third["holdReasons"][0]["code"], "REMOTE_AREA", "{third}");
    }
}
