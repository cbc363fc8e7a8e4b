//! Analytics through the API: a known history (real orders through the real flow, their event
//! times then set to a schedule and the rollups rebuilt from the events) gives exact figures —
//! volume, nearest-rank lead times, the bottleneck, what waits now and for how long, holds by
//! reason, carrier exception rates — and the rollups kept up as events land always equal a full
//! recomputation.

use crate::fulfilment::{carrier_callback, ok, order, setup, ship_one};
use crate::helpers::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use orderly::db::entity::{order as orders, order_event, shipment_event};
use orderly::service::analytics::rebuild;
use orderly_shared::Role;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};

const FIGURES: &str = "query($f: AnalyticsFilter) { analytics(filter: $f) {
    from to
    daily: volume { period channel orders value { amount currency } }
    weekly: volume(granularity: WEEK) { period channel orders }
    leadTimes { group stages { stage orders p50Seconds p90Seconds p99Seconds maxSeconds meanSeconds } }
    byCarrier: leadTimes(breakdown: CARRIER) { group stages { stage orders } }
    bottleneck { stage p90Seconds previousP90Seconds changeSeconds }
    waiting { stage orders oldestSince }
    holds { orders held rate byReason { code orders } }
    carriers { carrier shipped delivered withExceptions exceptionRate }
} }";
const QUALITY: &str = "query($first: Int) { analytics {
    carriers { carrier shipped delivered withExceptions slaBreached slaBreachRate returned returnRate }
    returns { delivered returned rate byReason { reason cases } }
    returnsBySku(first: $first) { sku soldUnits returnedUnits cases rate }
    refunds { orders refunded rate totals { status refunds amount { amount currency } } }
    ratings { ratings average byScore { score ratings } }
    stockouts(first: $first) { sku orders units waitingUnits }
} }";
const RATE: &str = "mutation($id: ID!, $s: Int!) { rateOrder(orderId: $id, score: $s) { score } }";
const STUCK: &str = "query($f: AnalyticsFilter, $s: Stage, $m: Int, $first: Int, $after: String) { analytics(filter: $f) { stuckOrders(stage: $s, olderThanMinutes: $m, first: $first, after: $after) { nodes { stage since order { number status } } pageInfo { hasNextPage endCursor } } } }";

fn base(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 8, 0, 0).unwrap()
}

/// Sets every event time of an order: all of them at its placement, then the given order
/// statuses and shipment statuses at `minutes` after it.
async fn schedule(
    app: &TestApp,
    number: &str,
    placed: DateTime<Utc>,
    order_at: &[(&str, i64)],
    parcel_at: &[(&str, i64)],
) {
    let db = &app.state.db;
    let o = orders::Entity::find()
        .filter(orders::Column::Number.eq(number))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    orders::Entity::update_many()
        .col_expr(orders::Column::CreatedAt, Expr::value(placed))
        .filter(orders::Column::Id.eq(o.id))
        .exec(db)
        .await
        .unwrap();
    order_event::Entity::update_many()
        .col_expr(order_event::Column::At, Expr::value(placed))
        .filter(order_event::Column::OrderId.eq(o.id))
        .exec(db)
        .await
        .unwrap();
    shipment_event::Entity::update_many()
        .col_expr(shipment_event::Column::At, Expr::value(placed))
        .filter(shipment_event::Column::OrderId.eq(o.id))
        .exec(db)
        .await
        .unwrap();
    for (status, minutes) in order_at {
        order_event::Entity::update_many()
            .col_expr(
                order_event::Column::At,
                Expr::value(placed + Duration::minutes(*minutes)),
            )
            .filter(order_event::Column::OrderId.eq(o.id))
            .filter(order_event::Column::ToStatus.eq(*status))
            .exec(db)
            .await
            .unwrap();
    }
    for (status, minutes) in parcel_at {
        shipment_event::Entity::update_many()
            .col_expr(
                shipment_event::Column::At,
                Expr::value(placed + Duration::minutes(*minutes)),
            )
            .filter(shipment_event::Column::OrderId.eq(o.id))
            .filter(shipment_event::Column::ToStatus.eq(*status))
            .exec(db)
            .await
            .unwrap();
    }
}

/// A shipped order's schedule: approved, allocated, picked, packed, shipped (and delivered).
async fn journey(app: &TestApp, number: &str, day: u32, m: [i64; 6]) {
    let order_at = [
        ("APPROVED", m[0]),
        ("ALLOCATED", m[1]),
        ("IN_FULFILLMENT", m[1]),
        ("SHIPPED", m[4]),
        ("DELIVERED", m[5]),
    ];
    let parcel_at = [
        ("PICKING", m[1]),
        ("PICKED", m[2]),
        ("PACKED", m[3]),
        ("LABELLED", m[3]),
        ("HANDED_OVER", m[4]),
        ("EXCEPTION", m[4] + 5),
        ("DELIVERED", m[5]),
    ];
    schedule(app, number, base(day), &order_at, &parcel_at).await;
}

async fn carrier_event(app: &TestApp, tracking: &str, id: &str, status: &str, code: Option<&str>) {
    let secret = app.state.carrier_webhook_secret.expose().to_string();
    let now = Utc::now();
    let body = json!({ "eventId": id, "trackingNumber": tracking, "status": status, "exceptionCode": code, "occurredAt": now.to_rfc3339() });
    let (status, answer) = carrier_callback(app, "SIMEX", &secret, now.timestamp(), body).await;
    assert_eq!(status, 200, "{answer}");
}

async fn export(app: &TestApp, who: &As, path: &str) -> (u16, String) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let As::Bearer(token) = who {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn window() -> Value {
    json!({ "f": { "from": "2026-11-01T00:00:00Z", "to": "2026-11-15T00:00:00Z" } })
}

fn stage<'a>(lead: &'a Value, name: &str) -> &'a Value {
    lead["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == name)
        .unwrap_or_else(|| panic!("{name} in {lead}"))
}

each_backend! {
    async fn figures_follow_the_event_history_exactly(backend) {
        let app = TestApp::spawn(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 9).await;
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await.bearer();

        let (a, ta) = ship_one(&app, &wh, &warehouse_id, 61).await;
        let (b, tb) = ship_one(&app, &wh, &warehouse_id, 62).await;
        let (c, tc) = ship_one(&app, &wh, &warehouse_id, 63).await;
        carrier_event(&app, &ta, "a-1", "DELIVERED", None).await;
        carrier_event(&app, &tb, "b-1", "EXCEPTION", Some("ADDRESS_UNKNOWN")).await;
        carrier_event(&app, &tc, "c-1", "DELIVERED", None).await;
        // One waits for its payment, one is held because its address has no house number.
        let partner = As::ApiKey(app.partner_key("web-64").await);
        let d = ok(&app, &partner, crate::fulfilment::PLACE, json!({ "input": order(64, "PREPAID", &[("TEA-1", 1)]) })).await["placeOrder"].clone();
        assert_eq!(d["status"], "PENDING_PAYMENT");
        let partner = As::ApiKey(app.partner_key("web-65").await);
        let mut held = order(65, "CASH_ON_DELIVERY", &[("TEA-1", 1)]);
        held["shippingAddress"]["line1"] = json!("Century Avenue");
        let e = ok(&app, &partner, crate::fulfilment::PLACE, json!({ "input": held })).await["placeOrder"].clone();
        assert_eq!(e["status"], "ON_HOLD", "{e}");

        // Kept up as the events landed, the rollups already equal a recomputation.
        assert_eq!(rebuild::drift(&app.state.db).await.unwrap(), Vec::<uuid::Uuid>::new());

        let number = |o: &Value| o["number"].as_str().unwrap().to_string();
        journey(&app, &number(&a), 2, [10, 12, 30, 40, 100, 1000]).await;
        journey(&app, &number(&b), 3, [20, 22, 80, 85, 200, -1]).await;
        journey(&app, &number(&c), 4, [30, 31, 50, 70, 300, 3000]).await;
        schedule(&app, &number(&d), base(5), &[], &[]).await;
        schedule(&app, &number(&e), base(6), &[("ON_HOLD", 1)], &[]).await;
        assert_eq!(rebuild::drift(&app.state.db).await.unwrap().len(), 5, "the times moved under the rollups");
        assert_eq!(rebuild::rebuild(&app.state.db).await.unwrap(), 5);
        assert!(rebuild::drift(&app.state.db).await.unwrap().is_empty());
        // A stored stage duration that disagrees with its milestones is drift too.
        use sea_orm::ConnectionTrait;
        app.state.db.execute_unprepared("UPDATE order_facts SET review_seconds = review_seconds + 1 WHERE review_seconds IS NOT NULL").await.unwrap();
        assert_eq!(rebuild::drift(&app.state.db).await.unwrap().len(), 3, "a, b and c were reviewed");
        rebuild::rebuild(&app.state.db).await.unwrap();
        assert!(rebuild::drift(&app.state.db).await.unwrap().is_empty());

        let f = ok(&app, &admin, FIGURES, window()).await["analytics"].clone();
        assert_eq!(f["from"], "2026-11-01T00:00:00+00:00");

        let daily: Vec<(String, String, i64, String)> = f["daily"].as_array().unwrap().iter()
            .map(|v| (v["period"].as_str().unwrap().into(), v["channel"].as_str().unwrap().into(), v["orders"].as_i64().unwrap(), v["value"]["amount"].as_str().unwrap().into()))
            .collect();
        assert_eq!(daily.len(), 5, "{daily:?}");
        assert_eq!(daily[0].0, "2026-11-02");
        assert_eq!((daily[0].1.as_str(), daily[0].2), ("web-61", 1));
        assert_eq!(daily[4].0, "2026-11-06");
        let total = ok(&app, &admin, "query($id: ID) { order(id: $id) { total { amount } } }", json!({ "id": a["id"] })).await;
        assert_eq!(Some(daily[0].3.as_str()), total["order"]["total"]["amount"].as_str());
        assert_eq!(f["daily"][0]["value"]["currency"], "CNY");
        let weekly: Vec<&str> = f["weekly"].as_array().unwrap().iter().map(|v| v["period"].as_str().unwrap()).collect();
        assert_eq!(weekly, vec!["2026-11-02"; 5], "one Monday-started week, one row per channel");

        let lead = &f["leadTimes"][0];
        assert_eq!(lead["group"], Value::Null);
        // Review: 10, 20, 30 minutes, then the held order has not finished it.
        assert_eq!(stage(lead, "REVIEW"), &json!({ "stage": "REVIEW", "orders": 3, "p50Seconds": 1200, "p90Seconds": 1800, "p99Seconds": 1800, "maxSeconds": 1800, "meanSeconds": 1200 }));
        let figures = |name: &str| { let s = stage(lead, name); (s["orders"].as_i64().unwrap(), s["p50Seconds"].as_i64().unwrap(), s["p90Seconds"].as_i64().unwrap()) };
        assert_eq!(figures("PAYMENT"), (4, 0, 0), "cash on delivery is paid at placement");
        assert_eq!(figures("ALLOCATION"), (3, 120, 120));
        assert_eq!(figures("PICKING"), (3, 1140, 3480));
        assert_eq!(figures("PACKING"), (3, 600, 1200));
        assert_eq!(figures("SHIPPING"), (3, 6900, 13800));
        assert_eq!(figures("DELIVERY"), (2, 54000, 162000));
        assert!(lead["stages"].as_array().unwrap().iter().all(|s| s["stage"] != "COMPLETION"));
        let carriers: Vec<&str> = f["byCarrier"].as_array().unwrap().iter().map(|g| g["group"].as_str().unwrap_or("-")).collect();
        assert_eq!(carriers, vec!["-", "SIMEX"], "orders without a carrier yet, then SIMEX's");

        assert_eq!(f["bottleneck"], json!({ "stage": "DELIVERY", "p90Seconds": 162000, "previousP90Seconds": null, "changeSeconds": null }));
        let waiting: Vec<(&str, i64, &str)> = f["waiting"].as_array().unwrap().iter()
            .map(|w| (w["stage"].as_str().unwrap(), w["orders"].as_i64().unwrap(), w["oldestSince"].as_str().unwrap()))
            .collect();
        assert_eq!(waiting, vec![
            ("PAYMENT", 1, "2026-11-05T08:00:00+00:00"),
            ("REVIEW", 1, "2026-11-06T08:00:00+00:00"),
            ("DELIVERY", 1, "2026-11-03T11:20:00+00:00"),
            ("COMPLETION", 2, "2026-11-03T00:40:00+00:00"),
        ]);
        assert_eq!(f["holds"], json!({ "orders": 5, "held": 1, "rate": 0.2, "byReason": [{ "code": "ADDRESS_UNVERIFIED", "orders": 1 }] }));
        assert_eq!(f["carriers"], json!([{ "carrier": "SIMEX", "shipped": 3, "delivered": 2, "withExceptions": 1, "exceptionRate": 1.0 / 3.0 }]));

        // The orders behind "waiting": longest first, paged, one stage at a time.
        let mut vars = window();
        vars["first"] = json!(2);
        vars["m"] = json!(60);
        let page = ok(&app, &admin, STUCK, vars.clone()).await["analytics"]["stuckOrders"].clone();
        let numbers: Vec<&str> = page["nodes"].as_array().unwrap().iter().map(|n| n["order"]["number"].as_str().unwrap()).collect();
        assert_eq!(numbers, vec![number(&a), number(&b)]);
        assert_eq!(page["pageInfo"]["hasNextPage"], true);
        vars["after"] = page["pageInfo"]["endCursor"].clone();
        vars["first"] = json!(10);
        let rest = ok(&app, &admin, STUCK, vars).await["analytics"]["stuckOrders"].clone();
        let numbers: Vec<&str> = rest["nodes"].as_array().unwrap().iter().map(|n| n["order"]["number"].as_str().unwrap()).collect();
        assert_eq!(numbers, vec![number(&d), number(&e), number(&c)]);
        assert_eq!(rest["pageInfo"]["hasNextPage"], false);
        let mut one = window();
        one["s"] = json!("DELIVERY");
        let delivery = ok(&app, &admin, STUCK, one).await["analytics"]["stuckOrders"]["nodes"].clone();
        assert_eq!(delivery, json!([{ "stage": "DELIVERY", "since": "2026-11-03T11:20:00+00:00", "order": { "number": number(&b), "status": "SHIPPED" } }]));

        // The filter narrows every figure; the previous window gives the bottleneck's trend.
        let mut narrow = window();
        narrow["f"]["channel"] = json!("web-63");
        let n = ok(&app, &admin, FIGURES, narrow).await["analytics"].clone();
        assert_eq!(n["holds"]["orders"], 1);
        assert_eq!(stage(&n["leadTimes"][0], "DELIVERY")["p50Seconds"], 162000);
        let later = json!({ "f": { "from": "2026-11-04T00:00:00Z", "to": "2026-11-07T00:00:00Z" } });
        let l = ok(&app, &admin, FIGURES, later).await["analytics"]["bottleneck"].clone();
        assert_eq!(l, json!({ "stage": "DELIVERY", "p90Seconds": 162000, "previousP90Seconds": 54000, "changeSeconds": 108000 }));

        // The orders behind the figures as CSV, streamed with the same filter.
        let (status, body) = export(&app, &admin, "/exports/orders.csv?from=2026-11-01T00:00:00Z&to=2026-11-15T00:00:00Z").await;
        assert_eq!(status, 200, "{body}");
        let lines: Vec<&str> = body.lines().collect();
        assert!(lines[0].starts_with("order_number,placed_at,channel,status,total,currency,warehouse,carrier,paid_at,"), "{}", lines[0]);
        assert_eq!(lines.len(), 6, "a header and five orders: {body}");
        let header: Vec<&str> = lines[0].split(',').collect();
        let a_row: Vec<&str> = lines[1].split(',').collect();
        let cell = |name: &str| a_row[header.iter().position(|h| *h == name).unwrap()];
        assert_eq!(cell("order_number"), number(&a));
        assert_eq!((cell("placed_at"), cell("review_seconds"), cell("delivery_seconds")), ("2026-11-02T08:00:00Z", "600", "54000"));
        assert_eq!((cell("waiting_in"), cell("carrier"), cell("warehouse")), ("COMPLETION", "SIMEX", "SH1"));
        assert!(lines[5].contains("ADDRESS_UNVERIFIED"), "{}", lines[5]);
        let (status, body) = export(&app, &admin, "/exports/orders.csv?from=yesterday").await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("from: must be an RFC 3339 time"), "{body}");
        let (status, _) = export(&app, &As::Anonymous, "/exports/orders.csv").await;
        assert_eq!(status, 401);

        // A new event folds into the rebuilt rollups and they still equal a recomputation.
        carrier_event(&app, &tb, "b-2", "DELIVERED", None).await;
        assert!(rebuild::drift(&app.state.db).await.unwrap().is_empty());
        let w = ok(&app, &admin, FIGURES, window()).await["analytics"]["waiting"].clone();
        assert!(w.as_array().unwrap().iter().all(|s| s["stage"] != "DELIVERY"), "{w}");

        // Bad filters are refused precisely.
        let bad = app.gql(&admin, FIGURES, json!({ "f": { "from": "2026-11-05T00:00:00Z", "to": "2026-11-01T00:00:00Z" } })).await;
        assert_eq!(field_problems(&bad), vec![("filter.to".to_string(), "INVALID_RANGE".to_string())]);
        let bad = app.gql(&admin, FIGURES, json!({ "f": { "channel": "nope" } })).await;
        assert_eq!(field_problems(&bad), vec![("filter.channel".to_string(), "UNKNOWN_CHANNEL".to_string())]);
        let bad = app.gql(&admin, FIGURES, json!({ "f": { "from": "2025-01-01T00:00:00Z", "to": "2026-11-01T00:00:00Z" } })).await;
        assert_eq!(field_problems(&bad), vec![("filter.from".to_string(), "INVALID_RANGE".to_string())]);
    }

    async fn quality_rates_come_from_the_cases_refunds_ratings_and_stockouts(backend) {
        use crate::aftersales::{APPROVE, OPEN, case_input, delivered, line, quiet, staff, work};
        let app = quiet(backend).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 9).await;
        let (cs, fin) = staff(&app).await;
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await.bearer();
        // Two prepaid orders delivered (2 teas, 1 tea); a cash order shipped and then late.
        let (o1, p1, l1) = delivered(&app, &wh, &warehouse_id, 71, "PREPAID", &[("TEA-1", 2)]).await;
        let (o2, p2, _) = delivered(&app, &wh, &warehouse_id, 72, "PREPAID", &[("TEA-1", 1)]).await;
        ship_one(&app, &wh, &warehouse_id, 73).await;
        let late = orderly::service::exceptions::open::flag_overdue(&app.state.db, &app.state.realtime, Utc::now() + Duration::days(30)).await.unwrap();
        assert_eq!(late, 1);
        ok(&app, &p1, RATE, json!({ "id": o1["id"], "s": 5 })).await;
        ok(&app, &p2, RATE, json!({ "id": o2["id"], "s": 4 })).await;
        // One tea of the first order never arrived: refunded once finance approves.
        let case = ok(&app, &cs, OPEN, case_input(&o1["id"], "MISSING_ITEM", "REFUND_ONLY", &[(line(&l1, "TEA-1"), 1)])).await["openAfterSalesCase"]["id"].clone();
        let approved = ok(&app, &cs, APPROVE, json!({ "id": case })).await["approveAfterSalesCase"].clone();
        ok(&app, &fin, "mutation($id: ID!) { approveRefund(id: $id) { status } }", json!({ "id": approved["refund"]["id"] })).await;
        work(&app).await;
        // Three cups with none in stock: unmet demand, waiting as a backorder.
        let partner = As::ApiKey(app.partner_key("web-74").await);
        let short = ok(&app, &partner, crate::fulfilment::PLACE, json!({ "input": order(74, "CASH_ON_DELIVERY", &[("CUP-1", 3)]) })).await["placeOrder"].clone();
        assert_eq!(short["status"], "BACKORDERED");

        let q = ok(&app, &admin, QUALITY, json!({})).await["analytics"].clone();
        assert_eq!(q["carriers"], json!([
            { "carrier": "SIMEX", "shipped": 1, "delivered": 0, "withExceptions": 0, "slaBreached": 1, "slaBreachRate": 1.0, "returned": 0, "returnRate": 0.0 },
            { "carrier": "SIMPOST", "shipped": 2, "delivered": 2, "withExceptions": 0, "slaBreached": 0, "slaBreachRate": 0.0, "returned": 1, "returnRate": 0.5 },
        ]));
        assert_eq!(q["returns"], json!({ "delivered": 2, "returned": 1, "rate": 0.5, "byReason": [{ "reason": "MISSING_ITEM", "cases": 1 }] }));
        assert_eq!(q["returnsBySku"], json!([{ "sku": "TEA-1", "soldUnits": 4, "returnedUnits": 1, "cases": 1, "rate": 0.25 }]));
        let refund = approved["refundAmount"]["amount"].clone();
        assert_eq!(q["refunds"], json!({ "orders": 4, "refunded": 1, "rate": 0.25, "totals": [{ "status": "EXECUTED", "refunds": 1, "amount": { "amount": refund, "currency": "CNY" } }] }));
        assert_eq!(q["ratings"]["average"], 4.5);
        assert_eq!(q["ratings"]["byScore"], json!([
            { "score": 1, "ratings": 0 }, { "score": 2, "ratings": 0 }, { "score": 3, "ratings": 0 },
            { "score": 4, "ratings": 1 }, { "score": 5, "ratings": 1 },
        ]));
        assert_eq!(q["stockouts"], json!([{ "sku": "CUP-1", "orders": 1, "units": 3, "waitingUnits": 3 }]));

        // The rows behind the figures as CSV: lines, shipments and refunds of the window's orders.
        let (status, body) = export(&app, &admin, "/exports/refunds.csv").await;
        assert_eq!(status, 200, "{body}");
        let rows: Vec<&str> = body.lines().collect();
        assert_eq!(rows.len(), 2, "{body}");
        assert!(rows[0].starts_with("order_number,refund_id,requested_at,status,amount,currency,reason,"), "{}", rows[0]);
        let cells: Vec<&str> = rows[1].split(',').collect();
        assert_eq!((cells[0], cells[3], cells[4], cells[5]), (o1["number"].as_str().unwrap(), "EXECUTED", refund.as_str().unwrap(), "CNY"));
        let (_, body) = export(&app, &admin, "/exports/order-lines.csv").await;
        let mut lines: Vec<String> = body.lines().skip(1).map(|l| { let c: Vec<&str> = l.split(',').collect(); format!("{} {} {}", c[2], c[4], c[8]) }).collect();
        lines.sort();
        assert_eq!(lines, vec!["CUP-1 3 177.00", "TEA-1 1 89.00", "TEA-1 1 89.00", "TEA-1 2 178.00"], "{body}");
        let (_, body) = export(&app, &admin, "/exports/shipments.csv").await;
        let mut parcels: Vec<String> = body.lines().skip(1).map(|l| { let c: Vec<&str> = l.split(',').collect(); format!("{} {} {}", c[2], c[3], c[4]) }).collect();
        parcels.sort();
        assert_eq!(parcels, vec!["SH1 DELIVERED SIMPOST", "SH1 DELIVERED SIMPOST", "SH1 HANDED_OVER SIMEX"], "{body}");
        let (status, body) = export(&app, &admin, "/exports/shipments.csv?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z").await;
        assert_eq!((status, body.lines().count()), (200, 1), "only the header: {body}");
        assert_eq!(export(&app, &As::Anonymous, "/exports/order-lines.csv").await.0, 401);
        let (status, body) = export(&app, &admin, "/exports/refunds.csv?to=soon").await;
        assert_eq!(status, 400, "{body}");
        let error: Value = serde_json::from_str(&body).unwrap();
        assert_eq!((&error["code"], &error["fields"][0]["path"], &error["fields"][0]["code"]), (&json!("VALIDATION"), &json!("to"), &json!("INVALID_TIME")), "{body}");

        // The figures cover the window's orders only; a top list is 1 to 100 long.
        let before = ok(&app, &admin, "{ analytics(filter: { from: \"2026-01-01T00:00:00Z\", to: \"2026-02-01T00:00:00Z\" }) { returns { delivered returned } refunds { orders totals { status } } ratings { ratings average } stockouts { sku } } }", json!({})).await["analytics"].clone();
        assert_eq!(before, json!({ "returns": { "delivered": 0, "returned": 0 }, "refunds": { "orders": 0, "totals": [] }, "ratings": { "ratings": 0, "average": null }, "stockouts": [] }));
        for first in [0, 101] {
            let bad = app.gql(&admin, "query($n: Int) { analytics { stockouts(first: $n) { sku } } }", json!({ "n": first })).await;
            assert_eq!(field_problems(&bad), vec![("first".to_string(), "OUT_OF_RANGE".to_string())]);
        }
    }
}
