//! Delivery exceptions through the API: a carrier's EXCEPTION event opens one task per parcel in
//! the customer-service queue; agents record contacts and resolve it (re-delivery to a corrected
//! address, return to sender, refund); the SLA check flags silent late parcels once.

use crate::fulfilment::{carrier_callback, ok, problem, setup, ship_one};
use crate::helpers::*;
use orderly_shared::Role;
use serde_json::{Value, json};

const TASKS: &str = "query { exceptionTasks(filter: { status: [OPEN] }) { nodes { id code source status detail shipment { trackingNumber carrier status } order { number customer { name phone } } contacts { party note by } } } }";
const CONTACT: &str = "mutation($t: ID!, $p: ContactParty!, $n: String!) { recordExceptionContact(taskId: $t, party: $p, note: $n) { contacts { party note } } }";
const RESOLVE: &str = "mutation($t: ID!, $i: ResolveExceptionInput!) { resolveExceptionTask(taskId: $t, input: $i) { status outcome resolutionNote resolvedBy } }";

async fn exception(app: &TestApp, tracking: &str, id: &str, code: &str) {
    let secret = app.state.carrier_webhook_secret.expose().to_string();
    let body = json!({ "eventId": id, "trackingNumber": tracking, "status": "EXCEPTION", "exceptionCode": code, "occurredAt": chrono::Utc::now().to_rfc3339() });
    let (status, _) =
        carrier_callback(app, "SIMEX", &secret, chrono::Utc::now().timestamp(), body).await;
    assert_eq!(status, 200);
}

fn address(line1: &str) -> Value {
    json!({ "recipient": "Customer 50", "phone": "13910000050", "country": "CN", "region": "Shanghai", "city": "Shanghai", "district": "Pudong", "line1": line1, "postalCode": "200120" })
}

both_databases! {
    async fn an_address_exception_is_worked_by_customer_service_and_redelivered_to_the_corrected_address(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (o, tracking) = ship_one(&app, &wh, &warehouse_id, 50).await;
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let mut ws = app.ws(json!({ "authorization": format!("Bearer {}", match &cs { As::Bearer(t) => t, _ => unreachable!() }) })).await.unwrap();
        ws.subscribe("q", "subscription { queueChanged(queue: EXCEPTIONS) { kind orderNumber } }").await;

        exception(&app, &tracking, "x1", "ADDRESS_UNKNOWN").await;
        let live = ws.next_payload(5).await.expect("the queue hears of the task");
        assert_eq!(live["data"]["queueChanged"], json!({ "kind": "OPENED", "orderNumber": o["number"] }));
        exception(&app, &tracking, "x2", "ADDRESS_UNKNOWN").await; // reported again: still one task
        let tasks = ok(&app, &cs, TASKS, json!({})).await["exceptionTasks"]["nodes"].clone();
        assert_eq!(tasks.as_array().unwrap().len(), 1, "{tasks}");
        let task = &tasks[0];
        assert_eq!((task["code"].as_str(), task["source"].as_str(), task["status"].as_str()), (Some("ADDRESS_UNKNOWN"), Some("CARRIER"), Some("OPEN")));
        assert_eq!(task["shipment"]["trackingNumber"].as_str(), Some(tracking.as_str()));
        assert_eq!(task["shipment"]["status"], "EXCEPTION");
        assert_eq!(task["order"]["customer"]["name"], "Customer 50");
        assert!(task["detail"].as_str().unwrap().contains("address unknown"), "{task}");

        // Only customer service works the queue.
        let wh_denied = app.gql(&wh, TASKS, json!({})).await;
        assert_eq!(error_code(&wh_denied), Some("FORBIDDEN"));

        let blank = app.gql(&cs, CONTACT, json!({ "t": task["id"], "p": "CUSTOMER", "n": " " })).await;
        assert_eq!(problem(&blank).0, "REQUIRED");
        ok(&app, &cs, CONTACT, json!({ "t": task["id"], "p": "CUSTOMER", "n": "Customer moved to building 2" })).await;
        let contacts = ok(&app, &cs, CONTACT, json!({ "t": task["id"], "p": "CARRIER", "n": "SIMEX will try again tomorrow" })).await;
        assert_eq!(contacts["recordExceptionContact"]["contacts"].as_array().unwrap().len(), 2);

        // A bad address changes nothing; a refund amount does not belong to a re-delivery.
        let bad = app.gql(&cs, RESOLVE, json!({ "t": task["id"], "i": { "outcome": "REDELIVER", "note": "new address", "correctedAddress": address("") } })).await;
        assert_eq!(error_code(&bad), Some("VALIDATION"), "{bad}");
        assert!(field_problems(&bad).iter().all(|(path, _)| path.starts_with("input.correctedAddress.")), "{bad}");
        let mixed = app.gql(&cs, RESOLVE, json!({ "t": task["id"], "i": { "outcome": "REDELIVER", "note": "x", "refundAmount": "5.00" } })).await;
        assert_eq!(problem(&mixed).0, "NOT_ALLOWED");
        assert_eq!(field_problems(&mixed), vec![("input.refundAmount".to_string(), "NOT_ALLOWED".to_string())]);
        assert_eq!(ok(&app, &cs, TASKS, json!({})).await["exceptionTasks"]["nodes"].as_array().unwrap().len(), 1);

        let done = ok(&app, &cs, RESOLVE, json!({ "t": task["id"], "i": { "outcome": "REDELIVER", "note": "deliver to building 2", "correctedAddress": address("2 Century Avenue, building 2") } })).await;
        assert_eq!(done["resolveExceptionTask"], json!({ "status": "RESOLVED", "outcome": "REDELIVER", "resolutionNote": "deliver to building 2", "resolvedBy": "cs@shop.example" }));
        let again = app.gql(&cs, RESOLVE, json!({ "t": task["id"], "i": { "outcome": "REDELIVER", "note": "again" } })).await;
        assert_eq!(error_code(&again), Some("INVALID_TRANSITION"));
        let order = ok(&app, &cs, "query($id: ID) { order(id: $id) { shippingAddress { line1 } events { reason } } }", json!({ "id": o["id"] })).await["order"].clone();
        assert_eq!(order["shippingAddress"]["line1"], "2 Century Avenue, building 2");
        let reasons: Vec<&str> = order["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.iter().any(|r| r.starts_with("exception task opened")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("contacted the customer: Customer moved")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.contains("exception resolved: REDELIVER") && r.contains("address corrected")), "{reasons:?}");

        // A new problem later is a new task.
        exception(&app, &tracking, "x3", "REFUSED").await;
        let tasks = ok(&app, &cs, TASKS, json!({})).await["exceptionTasks"]["nodes"].clone();
        assert_eq!(tasks[0]["code"], "REFUSED");

        // A refund of a cash-on-delivery order nobody paid yet is refused, and the task stays open.
        let refund = app.gql(&cs, RESOLVE, json!({ "t": tasks[0]["id"], "i": { "outcome": "REFUND", "note": "customer refused", "refundAmount": "10.00", "payoutReference": "alipay 139" } })).await;
        assert_eq!(problem(&refund).0, "EXCEEDS_PAID");
        let back = ok(&app, &cs, RESOLVE, json!({ "t": tasks[0]["id"], "i": { "outcome": "RETURN_TO_SENDER", "note": "customer refused the parcel" } })).await;
        assert_eq!(back["resolveExceptionTask"]["status"], "RESOLVED");
        let order = ok(&app, &cs, "query($id: ID) { order(id: $id) { shipments { status } } }", json!({ "id": o["id"] })).await["order"].clone();
        assert_eq!(order["shipments"][0]["status"], "RETURNED_TO_SENDER");
    }

    async fn a_parcel_past_its_sla_is_flagged_once_even_without_a_carrier_event(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (_, tracking) = ship_one(&app, &wh, &warehouse_id, 51).await;
        let now = chrono::Utc::now();
        let flag = |app: &TestApp, at: chrono::DateTime<chrono::Utc>| {
            let (db, realtime) = (app.state.db.clone(), app.state.realtime.clone());
            async move { orderly::service::exceptions::open::flag_overdue(&db, &realtime, at).await.unwrap() }
        };
        assert_eq!(flag(&app, now).await, 0, "just handed over: not late");
        assert_eq!(flag(&app, now + chrono::TimeDelta::days(30)).await, 1);
        assert_eq!(flag(&app, now + chrono::TimeDelta::days(31)).await, 0, "flagged once");
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let tasks = ok(&app, &cs, TASKS, json!({})).await["exceptionTasks"]["nodes"].clone();
        assert_eq!((tasks[0]["code"].as_str(), tasks[0]["source"].as_str()), (Some("DELAYED"), Some("SLA_CHECK")));
        assert!(tasks[0]["detail"].as_str().unwrap().contains(&tracking), "{tasks}");
        ok(&app, &cs, RESOLVE, json!({ "t": tasks[0]["id"], "i": { "outcome": "REDELIVER", "note": "carrier confirms it is on its way" } })).await;
        assert_eq!(flag(&app, now + chrono::TimeDelta::days(32)).await, 0, "never flagged again once resolved");
    }

    async fn a_lost_parcel_is_reshipped_at_price_zero_through_the_normal_flow(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (o, tracking) = ship_one(&app, &wh, &warehouse_id, 52).await;
        exception(&app, &tracking, "lost-1", "LOST").await;
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let tasks = ok(&app, &cs, TASKS, json!({})).await["exceptionTasks"]["nodes"].clone();
        let mixed = app.gql(&cs, RESOLVE, json!({ "t": tasks[0]["id"], "i": { "outcome": "RESHIP", "note": "lost", "refundAmount": "1.00" } })).await;
        assert_eq!(problem(&mixed).0, "NOT_ALLOWED");
        ok(&app, &cs, RESOLVE, json!({ "t": tasks[0]["id"], "i": { "outcome": "RESHIP", "note": "carrier lost it; sending another" } })).await;
        let orders = ok(&app, &cs, "{ orders(first: 10) { nodes { number status total { amount } tags lines { sku quantity } } } }", json!({})).await["orders"]["nodes"].clone();
        let replacement: Vec<&serde_json::Value> = orders.as_array().unwrap().iter().filter(|x| x["number"] != o["number"]).collect();
        assert_eq!(replacement.len(), 1, "{orders}");
        assert_eq!(replacement[0]["status"], "ALLOCATED");
        assert_eq!(replacement[0]["total"]["amount"], "0.00");
        assert_eq!(replacement[0]["lines"], json!([{ "sku": "TEA-1", "quantity": 1 }]));
        let timeline = ok(&app, &cs, "query($id: ID) { order(id: $id) { events { reason } } }", json!({ "id": o["id"] })).await["order"].clone();
        let reasons: Vec<&str> = timeline["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.iter().any(|r| r.contains("exception resolved: RESHIP") && r.contains("replacement order")), "{reasons:?}");
    }
}
