//! Finance through the API: the payments ledger (filters, newest first, pagination, the CSV
//! export streamed with spreadsheet-safe cells) and cash-on-delivery reconciliation of carrier
//! statements (matched, short, not collected; refused lines change nothing; never twice).

use crate::fulfilment::{carrier_callback, ok, order, problem, setup, ship_one};
use crate::helpers::*;
use orderly_shared::Role;
use serde_json::{Value, json};

const PAYMENTS: &str = "query($f: PaymentFilter, $first: Int, $after: String) { payments(filter: $f, first: $first, after: $after) { nodes { id kind provider reference amount { amount currency } order { number } } pageInfo { hasNextPage endCursor } } }";
const BALANCES: &str = "{ codBalances { carrier collected { amount } remitted { amount } outstanding { amount } outstandingOrders difference { amount } } }";
const OUTSTANDING: &str = "query($c: String) { codOutstanding(carrier: $c) { nodes { kind amount { amount } order { number } } } }";
const RECORD: &str = "mutation($i: CodRemittanceInput!) { recordCodRemittance(input: $i) { id reference total { amount } expected { amount } difference { amount } recordedBy lines { line trackingNumber order { number } expected { amount } remitted { amount } difference { amount } finding } } }";
const REMITTANCES: &str =
    "{ codRemittances(carrier: \"SIMEX\") { nodes { reference difference { amount } } } }";
const PLACE: &str = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number total { amount } } }";
const TOTAL: &str = "query($id: ID) { order(id: $id) { total { amount } } }";
const EVENTS: &str = "query($id: ID) { order(id: $id) { events { kind reason } } }";

/// Delivers a shipped parcel through the carrier's signed callback.
async fn deliver(app: &TestApp, tracking: &str, event: &str) {
    let secret = app.state.carrier_webhook_secret.expose().to_string();
    let now = chrono::Utc::now();
    let body = json!({ "eventId": event, "trackingNumber": tracking, "status": "DELIVERED", "exceptionCode": null, "occurredAt": now.to_rfc3339() });
    let (status, answer) = carrier_callback(app, "SIMEX", &secret, now.timestamp(), body).await;
    assert_eq!(status, 200, "{answer}");
}

fn statement(reference: &str, lines: &[(&str, &str)]) -> Value {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(t, a)| json!({ "trackingNumber": t, "amount": a }))
        .collect();
    json!({ "i": { "carrier": "simex", "reference": reference, "currency": "CNY", "lines": lines } })
}

fn amount(v: &Value) -> &str {
    v["amount"].as_str().unwrap()
}

/// Cents of a decimal string, for sums the test works out itself.
fn cents(text: &str) -> i64 {
    let (whole, frac) = text.split_once('.').unwrap();
    whole.parse::<i64>().unwrap() * 100 + frac.parse::<i64>().unwrap()
}

fn decimal(cents: i64) -> String {
    format!(
        "{}{}.{:02}",
        if cents < 0 { "-" } else { "" },
        cents.abs() / 100,
        cents.abs() % 100
    )
}

each_backend! {
    async fn cod_statements_are_matched_against_collections_and_differences_shown(backend) {
        let app = TestApp::spawn(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let fin = app.signed_in("fin@shop.example", &[Role::Finance]).await.bearer();
        let (a, ta) = ship_one(&app, &wh, &warehouse_id, 41).await;
        let (b, tb) = ship_one(&app, &wh, &warehouse_id, 42).await;
        let (c, tc) = ship_one(&app, &wh, &warehouse_id, 43).await;
        deliver(&app, &ta, "d-41").await;
        deliver(&app, &tb, "d-42").await;
        let total_a = total_of(&app, &fin, &a).await;
        let total_b = total_of(&app, &fin, &b).await;

        let before = ok(&app, &fin, BALANCES, json!({})).await["codBalances"].clone();
        assert_eq!(before.as_array().unwrap().len(), 1, "{before}");
        assert_eq!(before[0]["carrier"], "SIMEX");
        assert_eq!(amount(&before[0]["collected"]), decimal(cents(&total_a) + cents(&total_b)));
        assert_eq!((before[0]["outstandingOrders"].as_i64(), amount(&before[0]["remitted"])), (Some(2), "0.00"));
        let waiting = ok(&app, &fin, OUTSTANDING, json!({ "c": "SIMEX" })).await["codOutstanding"]["nodes"].clone();
        let numbers: Vec<&str> = waiting.as_array().unwrap().iter().map(|p| p["order"]["number"].as_str().unwrap()).collect();
        assert_eq!(numbers, vec![a["number"].as_str().unwrap(), b["number"].as_str().unwrap()], "oldest first");

        // A statement with problems is refused whole, each problem at its line.
        let bad = app.gql(&fin, RECORD, statement("SX-1", &[(&ta, &total_a), ("NOPE000", "1.00"), (&ta.to_lowercase(), "1.00"), (&tb, "12,00")])).await;
        let problems = field_problems(&bad);
        for expected in [
            ("lines[1].trackingNumber", "UNKNOWN_PARCEL"),
            ("lines[2].trackingNumber", "DUPLICATE_ORDER"),
            ("lines[3].amount", "INVALID_AMOUNT"),
        ] {
            assert!(problems.contains(&(expected.0.to_string(), expected.1.to_string())), "{expected:?} in {bad}");
        }
        assert_eq!(problems.len(), 3, "{bad}");
        assert_eq!(app.count("cod_remittances").await + app.count("cod_remittance_lines").await, 0);

        // Full, short by 5.00, and cash for a parcel not yet delivered.
        let short = decimal(cents(&total_b) - 500);
        let r = ok(&app, &fin, RECORD, statement(" SX-1 ", &[(&ta, &total_a), (&tb, &short), (&tc, "10.00")])).await["recordCodRemittance"].clone();
        assert_eq!(r["reference"], "SX-1");
        assert_eq!(r["recordedBy"], "fin@shop.example");
        assert_eq!(amount(&r["total"]), decimal(cents(&total_a) + cents(&short) + 1000));
        assert_eq!(amount(&r["expected"]), decimal(cents(&total_a) + cents(&total_b)));
        assert_eq!(amount(&r["difference"]), "5.00");
        let findings: Vec<(&str, &str, &str)> = r["lines"].as_array().unwrap().iter()
            .map(|l| (l["finding"].as_str().unwrap(), amount(&l["expected"]), amount(&l["difference"])))
            .collect();
        assert_eq!(findings, vec![("MATCHED", total_a.as_str(), "0.00"), ("SHORT", total_b.as_str(), "-5.00"), ("NOT_COLLECTED", "0.00", "10.00")]);
        assert_eq!(r["lines"][2]["order"]["number"], c["number"]);

        let after = ok(&app, &fin, BALANCES, json!({})).await["codBalances"][0].clone();
        assert_eq!((after["outstandingOrders"].as_i64(), amount(&after["outstanding"])), (Some(0), "0.00"));
        assert_eq!(amount(&after["remitted"]), amount(&r["total"]));
        assert_eq!(amount(&after["difference"]), "5.00");
        assert!(ok(&app, &fin, OUTSTANDING, json!({})).await["codOutstanding"]["nodes"].as_array().unwrap().is_empty());
        let listed = ok(&app, &fin, REMITTANCES, json!({})).await["codRemittances"]["nodes"].clone();
        assert_eq!(listed, json!([{ "reference": "SX-1", "difference": { "amount": "5.00" } }]));

        // The order's timeline says what the carrier paid.
        let events = ok(&app, &fin, EVENTS, json!({ "id": b["id"] })).await["order"]["events"].clone();
        let remitted = events.as_array().unwrap().iter().find(|e| e["kind"] == "COD_REMITTED").expect("a COD_REMITTED event");
        assert!(remitted["reason"].as_str().unwrap().contains("SX-1 (SHORT)"), "{remitted}");

        // Never twice: not the same statement, not the same order in another one.
        let again = app.gql(&fin, RECORD, statement("SX-1", &[(&tc, "1.00")])).await;
        assert_eq!(error_code(&again), Some("CONFLICT"), "{again}");
        let twice = app.gql(&fin, RECORD, statement("SX-2", &[(&ta, &total_a)])).await;
        assert_eq!(problem(&twice).0, "ALREADY_REMITTED");
        assert!(problem(&twice).1.contains("SX-1"), "{twice}");
        let unknown = app.gql(&fin, RECORD, json!({ "i": { "carrier": "NOPE", "reference": "X", "currency": "CNY", "lines": [{ "trackingNumber": ta, "amount": "1.00" }] } })).await;
        assert_eq!(problem(&unknown).0, "UNKNOWN_CARRIER");
        let empty = app.gql(&fin, RECORD, statement("SX-3", &[])).await;
        assert_eq!(problem(&empty).0, "INVALID_LINES");
        assert_eq!(app.count("cod_remittances").await, 1);

        // Warehouse staff neither see nor record the money.
        for query in [BALANCES, REMITTANCES] {
            assert_eq!(error_code(&app.gql(&wh, query, json!({})).await), Some("FORBIDDEN"));
        }
        assert_eq!(error_code(&app.gql(&wh, RECORD, statement("SX-4", &[(&tc, "1.00")])).await), Some("FORBIDDEN"));
    }

    async fn the_payments_ledger_filters_pages_and_exports_safe_csv(backend) {
        let app = TestApp::spawn(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let fin = app.signed_in("fin@shop.example", &[Role::Finance]).await.bearer();
        // Shipped first: a wave takes every allocated parcel of the warehouse.
        let (cod, tracking) = ship_one(&app, &wh, &warehouse_id, 63).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let mut placed = Vec::new();
        for n in [61, 62] {
            let resp = app.gql(&partner, PLACE, json!({ "input": order(n, "PREPAID", &[("TEA-1", 1)]) })).await;
            placed.push(resp["data"]["placeOrder"].clone());
        }
        // A capture whose event id a spreadsheet would run as a formula, then a failed capture.
        for (o, event, status) in [(&placed[0], "=HYPERLINK(\"http://x\")", "SUCCEEDED"), (&placed[1], "pay-62", "FAILED")] {
            let body = json!({ "eventId": event, "orderNumber": o["number"], "status": status, "amount": o["total"]["amount"], "currency": "CNY" });
            let (code, answer) = app.payment_callback(&body, &app.payment_secret(), chrono::Utc::now().timestamp()).await;
            assert_eq!(code, 200, "{answer}");
        }
        deliver(&app, &tracking, "d-63").await;

        let all = ok(&app, &fin, PAYMENTS, json!({})).await["payments"]["nodes"].clone();
        let rows: Vec<(&str, &str)> = all.as_array().unwrap().iter()
            .map(|p| (p["kind"].as_str().unwrap(), p["order"]["number"].as_str().unwrap()))
            .collect();
        let number = |o: &Value| o["number"].as_str().unwrap().to_string();
        assert_eq!(rows, vec![("COD_COLLECTED", number(&cod).as_str()), ("CAPTURE_FAILED", number(&placed[1]).as_str()), ("CAPTURE", number(&placed[0]).as_str())], "newest first");

        let kinds = |f: Value| {
            let app = &app;
            let fin = fin.clone();
            async move {
                ok(app, &fin, PAYMENTS, json!({ "f": f })).await["payments"]["nodes"].as_array().unwrap()
                    .iter().map(|p| p["kind"].as_str().unwrap().to_string()).collect::<Vec<_>>()
            }
        };
        assert_eq!(kinds(json!({ "kinds": ["CAPTURE", "REFUND"] })).await, vec!["CAPTURE"]);
        assert_eq!(kinds(json!({ "provider": " SIMEX " })).await, vec!["COD_COLLECTED"]);
        let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
        assert!(kinds(json!({ "from": tomorrow })).await.is_empty());
        let backwards = app.gql(&fin, PAYMENTS, json!({ "f": { "from": tomorrow, "to": chrono::Utc::now().to_rfc3339() } })).await;
        assert_eq!(problem(&backwards).0, "INVALID_RANGE");

        // Pages follow one another without gaps or repeats.
        let first = ok(&app, &fin, PAYMENTS, json!({ "first": 2 })).await["payments"].clone();
        assert_eq!(first["pageInfo"]["hasNextPage"], true);
        let rest = ok(&app, &fin, PAYMENTS, json!({ "first": 2, "after": first["pageInfo"]["endCursor"] })).await["payments"].clone();
        assert_eq!(rest["nodes"].as_array().unwrap().len(), 1);
        assert_eq!(rest["nodes"][0]["id"], all[2]["id"]);
        assert_eq!(rest["pageInfo"]["hasNextPage"], false);

        // The CSV: the same rows, newest first, the formula defused, filters honoured.
        let (status, kind, body) = export(&app, &fin, "").await;
        assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines[0], "id,at,order_number,kind,provider,reference,amount,currency,detail");
        assert_eq!(lines.len(), 4, "{body}");
        assert!(lines[1].contains(&format!(",{},COD_COLLECTED,SIMEX,", number(&cod))), "{body}");
        assert!(lines[3].contains(",CAPTURE,") && lines[3].contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{body}");
        assert!(lines[3].contains(&format!(",{},CNY,", amount(&placed[0]["total"]))), "{body}");
        let (_, _, refunds) = export(&app, &fin, "?kinds=REFUND").await;
        assert_eq!(refunds.lines().count(), 1, "only the header: {refunds}");
        let (status, _, error) = export(&app, &fin, "?kinds=NOPE").await;
        assert_eq!(status, 400);
        assert!(error.contains("VALIDATION") && error.contains("NOPE"), "{error}");
        let (status, _, _) = export(&app, &fin, "?from=yesterday").await;
        assert_eq!(status, 400);
        assert_eq!(export(&app, &wh, "").await.0, 403);
        assert_eq!(export(&app, &As::Anonymous, "").await.0, 401);
        assert_eq!(error_code(&app.gql(&wh, PAYMENTS, json!({})).await), Some("FORBIDDEN"));
    }
}

async fn total_of(app: &TestApp, who: &As, o: &Value) -> String {
    let data = ok(app, who, TOTAL, json!({ "id": o["id"] })).await;
    amount(&data["order"]["total"]).to_string()
}

/// `GET /exports/payments.csv` as `who`: status, content type and body.
async fn export(app: &TestApp, who: &As, query: &str) -> (u16, String, String) {
    let mut request = reqwest::Client::new().get(app.url(&format!("/exports/payments.csv{query}")));
    if let As::Bearer(token) = who {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, kind, response.text().await.unwrap())
}
