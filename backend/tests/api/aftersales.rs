//! After-sales cases through the API: opened by customer service or the order's partner on
//! delivered lines (every reason and kind, the no-reason window, what is left to claim), decided
//! by customer service, returns received by scan and inspected unit by unit into the stock
//! ledger, refunds computed and sent to finance, replacement orders at price zero through the
//! normal flow, and no automatic completion while a case is open.

use crate::fulfilment::{
    COMPLETE, CREATE_WAVE, HAND_OVER, LABEL, PACK, PLACE, carrier_callback, document, gtin_of, ok,
    order, pick, setup,
};
use crate::helpers::*;
use orderly_shared::Role;
use serde_json::{Value, json};

pub(crate) const OPEN: &str = "mutation($i: OpenAfterSalesCaseInput!) { openAfterSalesCase(input: $i) { id number status reason kind openedBy lines { sku quantity } } }";
pub(crate) const APPROVE: &str = "mutation($id: ID!, $i: ApproveAfterSalesCaseInput) { approveAfterSalesCase(id: $id, input: $i) { status returnTrackingNumber returnCarrier returnLabelUrl refundAmount { amount } payoutReference refund { id status amount { amount } payoutReference requestedBy } replacementOrder { number status total { amount } paymentStatus lines { sku quantity } } } }";
const REJECT: &str = "mutation($id: ID!, $r: String!) { rejectAfterSalesCase(id: $id, reason: $r) { status decisionNote decidedBy } }";
const RECEIVE: &str = "mutation($t: String!) { receiveReturn(trackingNumber: $t) { status } }";
const INSPECT: &str = "mutation($i: InspectReturnInput!) { inspectReturn(input: $i) { status lines { sku passed scrapped sentBack toInspect refund { amount } inspectionNotes { verdict note } } refundAmount { amount } shippingRefund { amount } orderNumber } }";
const CASE: &str = "query($id: ID!) { afterSalesCase(id: $id) { status resolvedAt refund { id status amount { amount } requestedBy } replacementOrder { status total { amount } lines { sku quantity } } order { paymentStatus afterSalesCases { number } } } }";
const LINES: &str = "query($id: ID) { order(id: $id) { lines { id sku quantity } } }";

/// A delivered order placed by a partner of channel `web-{n}`; `PREPAID` orders are paid in
/// full first. Returns the order (id, number, total), its partner and its line ids by SKU.
pub(crate) async fn delivered(
    app: &TestApp,
    wh: &As,
    warehouse_id: &str,
    n: usize,
    method: &str,
    lines: &[(&str, i64)],
) -> (Value, As, Vec<(String, String)>) {
    let partner = As::ApiKey(app.partner_key(&format!("web-{n}")).await);
    let placed = app
        .gql(&partner, PLACE, json!({ "input": order(n, method, lines) }))
        .await;
    let o = placed["data"]["placeOrder"].clone();
    assert!(o["id"].is_string(), "{placed}");
    let money = ok(
        app,
        &partner,
        "query($id: ID) { order(id: $id) { total { amount } } }",
        json!({ "id": o["id"] }),
    )
    .await;
    let total = money["order"]["total"]["amount"]
        .as_str()
        .unwrap()
        .to_string();
    if method == "PREPAID" {
        let body = json!({ "eventId": format!("pay-{n}"), "orderNumber": o["number"], "status": "SUCCEEDED", "amount": total, "currency": "CNY" });
        let (status, _) = app
            .payment_callback(&body, &app.payment_secret(), chrono::Utc::now().timestamp())
            .await;
        assert_eq!(status, 200);
    }
    let wave = ok(
        app,
        wh,
        CREATE_WAVE,
        json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } }),
    )
    .await["createWave"]
        .clone();
    for task in wave["tasks"].as_array().unwrap() {
        let sku = task["sku"].as_str().unwrap();
        pick(
            app,
            wh,
            task,
            gtin_of(sku),
            task["quantity"].as_i64().unwrap(),
        )
        .await;
    }
    let shipment = wave["shipments"][0]["id"].clone();
    for (sku, quantity) in lines {
        for _ in 0..*quantity {
            ok(app, wh, PACK, json!({ "s": shipment, "c": gtin_of(sku) })).await;
        }
    }
    ok(app, wh, COMPLETE, json!({ "s": shipment })).await;
    let label = ok(app, wh, LABEL, json!({ "s": shipment })).await["createLabel"].clone();
    let tracking = label["trackingNumber"].as_str().unwrap().to_string();
    let carrier = label["carrier"].as_str().unwrap();
    ok(
        app,
        wh,
        HAND_OVER,
        json!({ "w": warehouse_id, "c": carrier, "t": [tracking] }),
    )
    .await;
    let secret = app.state.carrier_webhook_secret.expose().to_string();
    let body = json!({ "eventId": format!("d-{n}"), "trackingNumber": tracking, "status": "DELIVERED", "exceptionCode": null, "occurredAt": chrono::Utc::now().to_rfc3339() });
    let (status, _) =
        carrier_callback(app, carrier, &secret, chrono::Utc::now().timestamp(), body).await;
    assert_eq!(status, 200);
    let line_ids = ok(app, &partner, LINES, json!({ "id": o["id"] })).await["order"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["sku"].as_str().unwrap().to_string(),
                l["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (o, partner, line_ids)
}

pub(crate) fn line<'a>(lines: &'a [(String, String)], sku: &str) -> &'a str {
    &lines.iter().find(|(s, _)| s == sku).unwrap().1
}

pub(crate) fn case_input(
    order_id: &Value,
    reason: &str,
    kind: &str,
    lines: &[(&str, i64)],
) -> Value {
    json!({ "i": {
        "orderId": order_id, "reason": reason, "kind": kind,
        "lines": lines.iter().map(|(id, q)| json!({ "orderLineId": id, "quantity": q })).collect::<Vec<_>>(),
        "description": "customer called",
    } })
}

pub(crate) async fn staff(app: &TestApp) -> (As, As) {
    let cs = app
        .signed_in("cs@shop.example", &[Role::CustomerService])
        .await
        .bearer();
    let fin = app
        .signed_in("fin@shop.example", &[Role::Finance])
        .await
        .bearer();
    (cs, fin)
}

pub(crate) async fn quiet(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |c| c.background_jobs = false).await
}

pub(crate) async fn work(app: &TestApp) {
    orderly::jobs::worker::run_once(&app.state.db, &app.state.channels)
        .await
        .unwrap();
}

fn event_reasons(order: &Value) -> Vec<String> {
    order["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["reason"].as_str().map(str::to_string))
        .collect()
}

each_backend! {
    async fn a_wrong_item_comes_back_is_inspected_into_the_ledger_and_refunded_once_finance_approves(backend) {
        let app = quiet(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        app.receive("SH1", "A-01-02-1", "CUP-1", 5).await;
        let (cs, fin) = staff(&app).await;
        // The partner listens for its parcels, cases and refunds.
        app.partner_key("web-1").await;
        let admin = app.signed_in("admin@shop.example", &[Role::Admin]).await.bearer();
        let hooks = json!({ "i": { "channel": "web-1", "url": "https://partner.example/hooks", "events": ["SHIPMENT_TRACKING_UPDATED", "AFTER_SALES_CASE_UPDATED", "REFUND_EXECUTED"] } });
        ok(&app, &admin, "mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }", hooks).await;
        // 2 × 89.00 tea + 59.00 cup: 237.00, free shipping.
        let (o, partner, lines) =
            delivered(&app, &wh, &warehouse_id, 1, "PREPAID", &[("TEA-1", 2), ("CUP-1", 1)]).await;
        let tea = line(&lines, "TEA-1");

        // The warehouse does not open cases; another partner's customer is not this one.
        let input = case_input(&o["id"], "WRONG_ITEM", "RETURN_AND_REFUND", &[(tea, 2)]);
        assert_eq!(error_code(&app.gql(&wh, OPEN, input.clone()).await), Some("FORBIDDEN"));
        let stranger = As::ApiKey(app.partner_key("other-shop").await);
        assert_eq!(error_code(&app.gql(&stranger, OPEN, input.clone()).await), Some("NOT_FOUND"));

        // The order's own partner opens it for the customer.
        let case = ok(&app, &partner, OPEN, input).await["openAfterSalesCase"].clone();
        assert_eq!(case["status"], "REQUESTED");
        assert_eq!(case["lines"], json!([{ "sku": "TEA-1", "quantity": 2 }]));
        assert!(case["number"].as_str().unwrap().starts_with("AS"), "{case}");
        let id = case["id"].clone();

        // Approval books the return with the carrier of the original parcel.
        let approved = ok(&app, &cs, APPROVE, json!({ "id": id, "i": { "note": "photo shows the wrong tea" } })).await["approveAfterSalesCase"].clone();
        assert_eq!(approved["status"], "AWAITING_RETURN");
        assert_eq!(approved["returnCarrier"], "SIMPOST", "the carrier of the original parcel");
        let tracking = approved["returnTrackingNumber"].as_str().unwrap().to_string();
        assert!(tracking.starts_with("SIM"), "{approved}");
        let url = approved["returnLabelUrl"].as_str().unwrap();
        let (status, kind, text) = document(&app, &cs, url).await;
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        assert!(text.contains(&tracking) && text.contains("RETURN"), "{text}");
        assert!(text.contains(o["number"].as_str().unwrap()), "{text}");
        assert_eq!(document(&app, &As::Anonymous, url).await.0, 401);

        // Nothing is inspected before the parcel is scanned in, and only the expected parcel is.
        let unit = |verdict: &str, sku: &str, note: Option<&str>| json!({ "i": { "caseId": id, "sku": sku, "verdict": verdict, "note": note } });
        assert_eq!(error_code(&app.gql(&wh, INSPECT, unit("PASS", "TEA-1", None)).await), Some("INVALID_TRANSITION"));
        assert_eq!(error_code(&app.gql(&wh, RECEIVE, json!({ "t": "SIM999999999" })).await), Some("NOT_FOUND"));
        assert_eq!(error_code(&app.gql(&cs, RECEIVE, json!({ "t": tracking })).await), Some("FORBIDDEN"));
        assert_eq!(ok(&app, &wh, RECEIVE, json!({ "t": tracking.to_lowercase() })).await["receiveReturn"]["status"], "RECEIVED");
        assert_eq!(error_code(&app.gql(&wh, RECEIVE, json!({ "t": tracking })).await), Some("INVALID_TRANSITION"));

        // Wrong scans and a failed unit without a note change nothing.
        let before = app.stock_of("TEA-1").await;
        let cup = app.gql(&wh, INSPECT, unit("PASS", "CUP-1", None)).await;
        assert_eq!(field_problems(&cup), [("sku".to_string(), "NOT_IN_RETURN".to_string())]);
        let silent = app.gql(&wh, INSPECT, unit("SCRAP", "TEA-1", Some("  "))).await;
        assert_eq!(field_problems(&silent), [("note".to_string(), "REQUIRED".to_string())]);
        assert_eq!(app.stock_of("TEA-1").await, before);

        // One unit passes (back on hand), one is crushed (received and scrapped).
        let first = ok(&app, &wh, INSPECT, unit("PASS", "TEA-1", None)).await["inspectReturn"].clone();
        assert_eq!(first["status"], "RECEIVED");
        assert_eq!(first["lines"][0]["toInspect"], 1);
        let ((on_hand, _), ledger) = app.stock_of("TEA-1").await;
        assert_eq!(on_hand, before.0.0 + 1);
        assert_eq!(ledger.0, on_hand);
        let done = ok(&app, &wh, INSPECT, unit("SCRAP", "TEA-1", Some("tin crushed"))).await["inspectReturn"].clone();
        assert_eq!(app.stock_of("TEA-1").await.0.0, before.0.0 + 1, "a scrapped unit does not stay on hand");
        assert_eq!(done["status"], "INSPECTED");
        assert_eq!(done["lines"][0]["passed"], 1);
        assert_eq!(done["lines"][0]["scrapped"], 1);
        assert_eq!(done["lines"][0]["inspectionNotes"], json!([{ "verdict": "SCRAP", "note": "tin crushed" }]));
        let more = app.gql(&wh, INSPECT, unit("PASS", "TEA-1", None)).await;
        assert_eq!(error_code(&more), Some("INVALID_TRANSITION"));
        assert_eq!(app.count("stock_ledger WHERE kind = 'RETURN_RESTOCK'").await, 2);
        assert_eq!(app.count("stock_ledger WHERE kind = 'SCRAP'").await, 1);

        // Both units were the merchant's fault: 178.00 back (shipping was free).
        assert_eq!(done["refundAmount"]["amount"], "178.00");
        assert_eq!(done["lines"][0]["refund"]["amount"], "178.00");
        assert_eq!(done["shippingRefund"]["amount"], "0.00");
        assert_eq!(done["orderNumber"], o["number"]);
        let refund = ok(&app, &cs, CASE, json!({ "id": id })).await["afterSalesCase"]["refund"].clone();
        assert_eq!(refund["status"], "REQUESTED");
        assert_eq!(refund["amount"]["amount"], "178.00");
        assert!(refund["requestedBy"].as_str().unwrap().contains("after-sales case"), "{refund}");

        // Finance approves; the payout resolves the case and the payment follows.
        ok(&app, &fin, "mutation($id: ID!) { approveRefund(id: $id) { status } }", json!({ "id": refund["id"] })).await;
        work(&app).await;
        let after = ok(&app, &cs, CASE, json!({ "id": id })).await["afterSalesCase"].clone();
        assert_eq!(after["status"], "RESOLVED");
        assert!(after["resolvedAt"].is_string());
        assert_eq!(after["refund"]["status"], "EXECUTED");
        assert_eq!(after["order"]["paymentStatus"], "PARTIALLY_REFUNDED");
        assert_eq!(app.state.simulated_refunds.payouts(), 1);

        // The partner hears of the parcel, of every step of the case, and of the payout.
        assert!(app.count("webhook_deliveries WHERE event_type = 'SHIPMENT_TRACKING_UPDATED'").await >= 1);
        assert_eq!(app.count("webhook_deliveries WHERE event_type = 'AFTER_SALES_CASE_UPDATED'").await, 6, "requested, approved, awaiting return, received, inspected, resolved");
        assert_eq!(app.count("webhook_deliveries WHERE event_type = 'REFUND_EXECUTED'").await, 1);
        assert_eq!(app.count("webhook_deliveries WHERE event_type = 'REFUND_EXECUTED' AND payload LIKE '%\"amount\":\"178.00\"%'").await, 1);

        // The whole story is on the order's timeline.
        let timeline = ok(&app, &cs, "query($id: ID) { order(id: $id) { events { reason } } }", json!({ "id": o["id"] })).await["order"].clone();
        let reasons = event_reasons(&timeline);
        let number = case["number"].as_str().unwrap();
        for needle in ["opened: WRONG_ITEM RETURN_AND_REFUND, 2 × TEA-1", "REQUESTED → APPROVED", "→ AWAITING_RETURN", "→ RECEIVED", "TEA-1 SCRAP", "→ INSPECTED", "INSPECTED → RESOLVED"] {
            assert!(reasons.iter().any(|r| r.contains(number) && r.contains(needle)), "{needle}: {reasons:?}");
        }
        app.assert_stock_invariants().await;
    }

    async fn a_refund_only_case_of_a_cash_order_pays_the_line_and_shipping_to_the_given_account(backend) {
        let app = quiet(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (cs, fin) = staff(&app).await;
        // One 89.00 tea + 10.00 shipping, collected in cash at the door.
        let (o, _, lines) = delivered(&app, &wh, &warehouse_id, 2, "CASH_ON_DELIVERY", &[("TEA-1", 1)]).await;
        let id = ok(&app, &cs, OPEN, case_input(&o["id"], "MISSING_ITEM", "REFUND_ONLY", &[(line(&lines, "TEA-1"), 1)])).await["openAfterSalesCase"]["id"].clone();

        // Cash was paid: the approval must say where the money goes.
        let blind = app.gql(&cs, APPROVE, json!({ "id": id })).await;
        assert_eq!(field_problems(&blind), [("payoutReference".to_string(), "REQUIRED_FOR_CASH_ON_DELIVERY".to_string())]);
        assert_eq!(app.count("refunds").await, 0);
        let approved = ok(&app, &cs, APPROVE, json!({ "id": id, "i": { "payoutReference": "alipay li@example.com" } })).await["approveAfterSalesCase"].clone();
        assert_eq!(approved["status"], "APPROVED");
        assert_eq!(approved["returnTrackingNumber"], Value::Null, "nothing comes back");
        // A missing item is the merchant's fault: shipping goes back too.
        assert_eq!(approved["refundAmount"]["amount"], "99.00");
        assert_eq!(approved["refund"]["payoutReference"], "alipay li@example.com");
        ok(&app, &fin, "mutation($id: ID!) { approveRefund(id: $id) { status } }", json!({ "id": approved["refund"]["id"] })).await;
        work(&app).await;
        let after = ok(&app, &cs, CASE, json!({ "id": id })).await["afterSalesCase"].clone();
        assert_eq!(after["status"], "RESOLVED");
        assert_eq!(after["order"]["paymentStatus"], "REFUNDED");
        assert_eq!(app.state.simulated_refunds.payouts(), 1);

        // Everything is claimed now: a second case for the same unit is refused.
        let again = app.gql(&cs, OPEN, case_input(&o["id"], "QUALITY_DEFECT", "RESHIP", &[(line(&lines, "TEA-1"), 1)])).await;
        assert_eq!(field_problems(&again), [("lines[0].quantity".to_string(), "EXCEEDS_SHIPPED".to_string())]);
    }

    async fn exchanges_and_reships_place_replacement_orders_at_price_zero(backend) {
        let app = quiet(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let (cs, _) = staff(&app).await;
        let (first, _, first_lines) = delivered(&app, &wh, &warehouse_id, 3, "CASH_ON_DELIVERY", &[("TEA-1", 1)]).await;
        let (second, partner, second_lines) = delivered(&app, &wh, &warehouse_id, 4, "CASH_ON_DELIVERY", &[("TEA-1", 2)]).await;

        // Damaged in transit, reshipped: resolved at once with an allocated replacement.
        let reship = ok(&app, &cs, OPEN, case_input(&first["id"], "DAMAGED_IN_TRANSIT", "RESHIP", &[(line(&first_lines, "TEA-1"), 1)])).await["openAfterSalesCase"]["id"].clone();
        let done = ok(&app, &cs, APPROVE, json!({ "id": reship })).await["approveAfterSalesCase"].clone();
        assert_eq!(done["status"], "RESOLVED");
        let replacement = &done["replacementOrder"];
        assert_eq!(replacement["status"], "ALLOCATED", "{done}");
        assert_eq!(replacement["total"]["amount"], "0.00");
        assert_eq!(replacement["paymentStatus"], "PAID");
        assert_eq!(replacement["lines"], json!([{ "sku": "TEA-1", "quantity": 1 }]));
        assert_eq!(error_code(&app.gql(&cs, APPROVE, json!({ "id": reship })).await), Some("INVALID_TRANSITION"));
        assert_eq!(app.count("refunds").await, 0, "a reship refunds nothing");

        // Wrong size, exchanged: one unit back; it fails inspection and is sent back, the other
        // passes — only the accepted unit is replaced.
        let exchange = ok(&app, &partner, OPEN, case_input(&second["id"], "SIZE_MISMATCH", "EXCHANGE", &[(line(&second_lines, "TEA-1"), 2)])).await["openAfterSalesCase"]["id"].clone();
        let approved = ok(&app, &cs, APPROVE, json!({ "id": exchange })).await["approveAfterSalesCase"].clone();
        assert_eq!(approved["status"], "AWAITING_RETURN");
        ok(&app, &wh, RECEIVE, json!({ "t": approved["returnTrackingNumber"] })).await;
        let unit = |verdict: &str, note: Option<&str>| json!({ "i": { "caseId": exchange, "sku": "TEA-1", "verdict": verdict, "note": note, "bin": "R-01-01-1" } });
        ok(&app, &wh, INSPECT, unit("SEND_BACK", Some("opened and used"))).await;
        assert_eq!(ok(&app, &wh, INSPECT, unit("PASS", None)).await["inspectReturn"]["status"], "RESOLVED");
        let done = ok(&app, &cs, CASE, json!({ "id": exchange })).await["afterSalesCase"].clone();
        assert_eq!(done["replacementOrder"]["lines"], json!([{ "sku": "TEA-1", "quantity": 1 }]));
        assert_eq!(done["replacementOrder"]["total"]["amount"], "0.00");
        assert_eq!(done["replacementOrder"]["status"], "ALLOCATED");
        assert_eq!(app.count("stock WHERE sku = 'TEA-1' AND on_hand > 0 AND bin_id IN (SELECT id FROM bins WHERE code = 'R-01-01-1')").await, 1);
        assert_eq!(app.count("refunds").await, 0);

        // The partner sees its own cases, not others'.
        let mine = ok(&app, &partner, "{ afterSalesCases(first: 10) { nodes { id } } }", json!({})).await;
        assert_eq!(mine["afterSalesCases"]["nodes"], json!([{ "id": exchange }]));
        app.assert_stock_invariants().await;
    }

    async fn auto_confirm_waits_while_a_case_is_open(backend) {
        use orderly::jobs::auto_confirm;
        let app = quiet(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (cs, _) = staff(&app).await;
        let (o, _, lines) = delivered(&app, &wh, &warehouse_id, 5, "CASH_ON_DELIVERY", &[("TEA-1", 1)]).await;
        let id = ok(&app, &cs, OPEN, case_input(&o["id"], "QUALITY_DEFECT", "RETURN_AND_REFUND", &[(line(&lines, "TEA-1"), 1)])).await["openAfterSalesCase"]["id"].clone();
        let now = chrono::Utc::now() + chrono::TimeDelta::days(8);
        let after = chrono::TimeDelta::days(7);
        assert_eq!(auto_confirm::run_once(&app.state.db, &app.state.realtime, now, after).await.unwrap(), 0);
        assert_eq!(app.count("orders WHERE status = 'DELIVERED'").await, 1);
        // Rejected, the case no longer holds the order back.
        let rejected = ok(&app, &cs, REJECT, json!({ "id": id, "r": "the photos show no defect" })).await["rejectAfterSalesCase"].clone();
        assert_eq!(rejected, json!({ "status": "REJECTED", "decisionNote": "the photos show no defect", "decidedBy": "cs@shop.example" }));
        assert_eq!(auto_confirm::run_once(&app.state.db, &app.state.realtime, now, after).await.unwrap(), 1);
        assert_eq!(app.count("orders WHERE status = 'COMPLETED'").await, 1);
    }
}

both_databases! {
    async fn a_case_is_refused_with_precise_errors_and_nothing_is_written(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (cs, _) = staff(&app).await;
        let admin = app.signed_in("admin@shop.example", &[Role::Admin]).await.bearer();
        let (o, partner, lines) = delivered(&app, &wh, &warehouse_id, 6, "CASH_ON_DELIVERY", &[("TEA-1", 1)]).await;
        let tea = line(&lines, "TEA-1");

        // Not delivered yet.
        let waiting = crate::fulfilment::place(&app, &partner, order(7, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let early = app.gql(&cs, OPEN, case_input(&waiting["id"], "WRONG_ITEM", "EXCHANGE", &[(tea, 1)])).await;
        assert!(field_problems(&early).contains(&("orderId".to_string(), "ORDER_NOT_DELIVERED".to_string())), "{early}");

        // Every problem of one request at once.
        let stranger = "00000000-0000-7000-8000-000000000001";
        let bad = app.gql(&cs, OPEN, case_input(&o["id"], "MISSING_ITEM", "RETURN_AND_REFUND", &[(tea, 2), (stranger, 1)])).await;
        assert_eq!(field_problems(&bad), [
            ("kind".to_string(), "NOT_FOR_REASON".to_string()),
            ("lines[0].quantity".to_string(), "EXCEEDS_SHIPPED".to_string()),
            ("lines[1].orderLineId".to_string(), "UNKNOWN_LINE".to_string()),
        ]);
        let empty = app.gql(&cs, OPEN, case_input(&o["id"], "WRONG_ITEM", "EXCHANGE", &[])).await;
        assert_eq!(field_problems(&empty), [("lines".to_string(), "REQUIRED".to_string())]);

        // No reason within 7 days of delivery only; the merchant may widen the window.
        use sea_orm::ConnectionTrait;
        let backend = app.state.db.get_database_backend();
        let eight_days_ago = chrono::Utc::now() - chrono::TimeDelta::days(8);
        app.state.db.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            "UPDATE orders SET delivered_at = $1 WHERE id = $2",
            [eight_days_ago.into(), uuid::Uuid::parse_str(o["id"].as_str().unwrap()).unwrap().into()],
        )).await.unwrap();
        let late = app.gql(&partner, OPEN, case_input(&o["id"], "NO_REASON", "RETURN_AND_REFUND", &[(tea, 1)])).await;
        assert_eq!(field_problems(&late), [("reason".to_string(), "RETURN_WINDOW_CLOSED".to_string())]);
        assert!(late["errors"][0]["extensions"]["fields"][0]["message"].as_str().unwrap().contains("7 days"), "{late}");
        assert_eq!(app.count("after_sales_cases").await, 0);
        let policy = "mutation($d: Int!) { setAfterSalesPolicy(noReasonReturnDays: $d, shippingRefund: WHEN_ALL_RETURNED) { noReasonReturnDays shippingRefund } }";
        assert_eq!(error_code(&app.gql(&cs, policy, json!({ "d": 30 })).await), Some("FORBIDDEN"));
        assert_eq!(field_problems(&app.gql(&admin, policy, json!({ "d": 0 })).await), [("noReasonReturnDays".to_string(), "OUT_OF_RANGE".to_string())]);
        ok(&app, &admin, policy, json!({ "d": 30 })).await;
        let case = ok(&app, &partner, OPEN, case_input(&o["id"], "NO_REASON", "RETURN_AND_REFUND", &[(tea, 1)])).await["openAfterSalesCase"].clone();
        assert_eq!(case["openedBy"], "channel web-6");

        // Rejecting needs a reason; a rejected case frees its units for another.
        let id = case["id"].clone();
        assert_eq!(field_problems(&app.gql(&cs, REJECT, json!({ "id": id, "r": " " })).await), [("reason".to_string(), "REQUIRED".to_string())]);
        ok(&app, &cs, REJECT, json!({ "id": id, "r": "outside our policy" })).await;
        assert_eq!(error_code(&app.gql(&cs, APPROVE, json!({ "id": id })).await), Some("INVALID_TRANSITION"));
        ok(&app, &cs, OPEN, case_input(&o["id"], "QUALITY_DEFECT", "RETURN_AND_REFUND", &[(tea, 1)])).await;
        let listed = ok(&app, &cs, "{ afterSalesCases(first: 5, filter: { status: [REQUESTED] }) { nodes { reason } } }", json!({})).await;
        assert_eq!(listed["afterSalesCases"]["nodes"], json!([{ "reason": "QUALITY_DEFECT" }]));
    }
}
