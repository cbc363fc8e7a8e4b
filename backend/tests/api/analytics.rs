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
}
