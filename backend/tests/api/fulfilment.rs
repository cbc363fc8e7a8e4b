//! Warehouse execution through the API: waves (batch and discrete), scan-verified picking,
//! short picks with re-allocation and cycle counts, the put-wall sort, scan-verified packing
//! with the suggested packaging, carrier choice and labels, and the hand-over to the carrier.

use crate::helpers::*;
use orderly_shared::Role;
use serde_json::{Value, json};

pub(crate) const PLACE: &str =
    "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id number status } }";
const ORDER: &str = "query($id: ID) { order(id: $id) { status shipments { id status carrier trackingNumber } events { to reason } } }";
pub(crate) const CREATE_WAVE: &str = "mutation($i: CreateWaveInput!) { createWave(input: $i) { id number status kind shipmentCount tasks { id seq bin sku quantity picked highValue done phase } shipments { id status wallSlot orderNumber } } }";
const WAVE: &str = "query($id: ID!) { wave(id: $id) { id number status progress { tasks tasksDone units unitsPicked unitsShort } tasks { id seq bin sku quantity picked short done phase } shipments { id status wallSlot orderNumber cancelled lines { sku quantity pickedQuantity sortedQuantity } } } }";
const SCAN: &str = "mutation($t: ID!, $c: String!) { scanPick(taskId: $t, code: $c) { outcome message task { picked done phase } wave { status } } }";
const SORT: &str = "mutation($w: ID!, $c: String!) { sortScan(waveId: $w, code: $c) { slot orderNumber slotComplete wallComplete wave { status } } }";
const STATION: &str = "query($c: String!) { packStation(code: $c) { shipment { id status } orderNumber complete lines { sku expected packed } suggestion { container extras packedWeightG reasons } } }";
pub(crate) const PACK: &str = "mutation($s: ID!, $c: String!) { packScan(shipmentId: $s, code: $c) { complete message lines { sku packed } } }";
pub(crate) const COMPLETE: &str = "mutation($s: ID!, $p: String) { completePacking(shipmentId: $s, packagingCode: $p) { status packagingCode packedWeightG } }";
pub(crate) const LABEL: &str = "mutation($s: ID!) { createLabel(shipmentId: $s) { status carrier serviceCode trackingNumber shippingCost { amount currency } } }";
pub(crate) const HAND_OVER: &str = "mutation($w: ID!, $c: String!, $t: [String!]!) { handOver(warehouseId: $w, carrierCode: $c, trackingNumbers: $t) { number parcelCount carrierCode } }";

/// The catalogue of these tests: real GTINs, one fragile and one high-value product.
const PRODUCTS: &str = "sku,name,category,price,currency,gtin,weight_g,length_mm,width_mm,height_mm,fragile,liquid,high_value
TEA-1,Oolong tea,tea,89.00,CNY,6901234000016,250,160,90,90,false,false,false
CUP-1,Celadon cup,tableware,59.00,CNY,6901234000023,200,90,90,80,true,false,false
WATCH-1,Smart watch,electronics,1299.00,CNY,6901234000030,120,100,80,60,false,false,true
";

pub(crate) async fn setup(app: &TestApp) -> (As, String) {
    use orderly::domain::auth::Actor;
    orderly::service::catalog::import_products(
        &app.state.db,
        &app.state.bus,
        &Actor::Cli,
        PRODUCTS,
    )
    .await
    .expect("products");
    app.warehouses(&[("SH1", "Shanghai", "Shanghai")]).await;
    orderly::service::demo::fulfilment_setup(&app.state.db)
        .await
        .expect("packaging and carriers");
    let wh = app
        .signed_in("wh@shop.example", &[Role::Warehouse])
        .await
        .bearer();
    let warehouses = app
        .gql(&wh, "{ warehouses { nodes { id code } } }", json!({}))
        .await;
    let id = warehouses["data"]["warehouses"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    (wh, id)
}

pub(crate) fn order(n: usize, method: &str, lines: &[(&str, i64)]) -> Value {
    json!({
        "idempotencyKey": format!("f-{n}"),
        "customer": { "name": format!("Customer {n}"), "email": format!("f{n}@example.com"), "phone": format!("+86139{:08}", 10_000_000 + n) },
        "shippingAddress": {
            "recipient": format!("Customer {n}"), "phone": format!("139{:08}", 10_000_000 + n), "country": "CN", "region": "Shanghai",
            "city": "Shanghai", "district": "Pudong", "line1": format!("{} Century Avenue", n + 1), "postalCode": "200120"
        },
        "paymentMethod": method,
        "lines": lines.iter().map(|(sku, q)| json!({ "sku": sku, "quantity": q })).collect::<Vec<_>>()
    })
}

pub(crate) async fn place(app: &TestApp, partner: &As, input: Value) -> Value {
    let resp = app.gql(partner, PLACE, json!({ "input": input })).await;
    assert_eq!(error_code(&resp), None, "{resp}");
    let o = resp["data"]["placeOrder"].clone();
    assert_eq!(o["status"], "ALLOCATED", "{o}");
    o
}

pub(crate) async fn ok(app: &TestApp, who: &As, query: &str, vars: Value) -> Value {
    let resp = app.gql(who, query, vars).await;
    assert_eq!(error_code(&resp), None, "{resp}");
    resp["data"].clone()
}

pub(crate) fn problem(resp: &Value) -> (String, String) {
    assert_eq!(error_code(resp), Some("VALIDATION"), "{resp}");
    let f = &resp["errors"][0]["extensions"]["fields"][0];
    (
        f["code"].as_str().unwrap().to_string(),
        f["message"].as_str().unwrap().to_string(),
    )
}

/// Scans the bin and then `units` items of a task.
pub(crate) async fn pick(app: &TestApp, wh: &As, task: &Value, gtin: &str, units: i64) -> Value {
    let id = task["id"].as_str().unwrap();
    ok(app, wh, SCAN, json!({ "t": id, "c": task["bin"] })).await;
    let mut last = Value::Null;
    for _ in 0..units {
        last = ok(app, wh, SCAN, json!({ "t": id, "c": gtin })).await;
    }
    last
}

pub(crate) fn gtin_of(sku: &str) -> &'static str {
    match sku {
        "TEA-1" => "6901234000016",
        "CUP-1" => "6901234000023",
        _ => "6901234000030",
    }
}

/// Fetches a document as `who`; returns the status, the content type and the text `pdftotext`
/// reads from it (empty unless it is a PDF).
pub(crate) async fn document(app: &TestApp, who: &As, path: &str) -> (u16, String, String) {
    let mut request = reqwest::Client::new().get(app.url(path));
    if let As::Bearer(token) = who {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.bytes().await.unwrap();
    if kind != "application/pdf" {
        return (status, kind, String::new());
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(file.path())
        .arg("-")
        .output()
        .expect("pdftotext (Debian poppler-utils) reads the PDF back");
    (
        status,
        kind,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Takes one cash-on-delivery order of one tea through a discrete wave to the carrier; returns
/// the order and its tracking number.
pub(crate) async fn ship_one(
    app: &TestApp,
    wh: &As,
    warehouse_id: &str,
    n: usize,
) -> (Value, String) {
    let partner = As::ApiKey(app.partner_key(&format!("web-{n}")).await);
    let o = place(app, &partner, order(n, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
    let wave = ok(
        app,
        wh,
        CREATE_WAVE,
        json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } }),
    )
    .await["createWave"]
        .clone();
    pick(app, wh, &wave["tasks"][0], gtin_of("TEA-1"), 1).await;
    let shipment = wave["shipments"][0]["id"].clone();
    ok(
        app,
        wh,
        PACK,
        json!({ "s": shipment, "c": gtin_of("TEA-1") }),
    )
    .await;
    ok(app, wh, COMPLETE, json!({ "s": shipment })).await;
    let tracking =
        ok(app, wh, LABEL, json!({ "s": shipment })).await["createLabel"]["trackingNumber"]
            .as_str()
            .unwrap()
            .to_string();
    ok(
        app,
        wh,
        HAND_OVER,
        json!({ "w": warehouse_id, "c": "SIMEX", "t": [tracking] }),
    )
    .await;
    (o, tracking)
}

/// Posts a carrier callback signed with `secret` at unix time `t`; returns status and body.
pub(crate) async fn carrier_callback(
    app: &TestApp,
    carrier: &str,
    secret: &str,
    t: i64,
    body: Value,
) -> (u16, Value) {
    let raw = body.to_string();
    let signature = orderly::domain::signature::sign(secret.as_bytes(), t, raw.as_bytes());
    let response = reqwest::Client::new()
        .post(app.url(&format!("/webhooks/carriers/{carrier}")))
        .header("Orderly-Signature", signature)
        .header("content-type", "application/json")
        .body(raw)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

both_databases! {
    async fn a_batch_wave_is_picked_sorted_packed_labelled_and_handed_over(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-10-1", "TEA-1", 10).await;
        app.receive("SH1", "A-01-02-1", "CUP-1", 10).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let first = place(&app, &partner, order(1, "CASH_ON_DELIVERY", &[("TEA-1", 2), ("CUP-1", 1)])).await;
        let second = place(&app, &partner, order(2, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;

        let candidates = ok(&app, &wh, "query($w: ID!) { waveCandidates(warehouseId: $w) { nodes { orderNumber units plannedCarrier } } }", json!({ "w": warehouse_id })).await;
        assert_eq!(candidates["waveCandidates"]["nodes"].as_array().unwrap().len(), 2, "{candidates}");
        // Cash on delivery: only the express carrier collects it.
        assert_eq!(candidates["waveCandidates"]["nodes"][0]["plannedCarrier"], "SIMEX");

        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "BATCH", "wallSize": 4 } })).await["createWave"].clone();
        assert_eq!((wave["status"].as_str(), wave["shipmentCount"].as_i64()), (Some("RELEASED"), Some(2)), "{wave}");
        // One consolidated list in walking order: A-01-02-1 comes before A-01-10-1.
        let tasks = wave["tasks"].as_array().unwrap().clone();
        let stops: Vec<(&str, &str, i64)> = tasks.iter().map(|t| (t["bin"].as_str().unwrap(), t["sku"].as_str().unwrap(), t["quantity"].as_i64().unwrap())).collect();
        assert_eq!(stops, [("A-01-02-1", "CUP-1", 1), ("A-01-10-1", "TEA-1", 3)]);
        let slots: Vec<i64> = wave["shipments"].as_array().unwrap().iter().map(|s| s["wallSlot"].as_i64().unwrap()).collect();
        assert_eq!(slots, [1, 2]);
        let o = ok(&app, &As::ApiKey(app.partner_key("web").await), ORDER, json!({ "id": first["id"] })).await;
        assert_eq!(o["order"]["status"], "IN_FULFILLMENT", "{o}");

        // The handheld refuses a wrong bin, an item before the bin, a wrong item and a misread.
        let cup = &tasks[0];
        let wrong_bin = app.gql(&wh, SCAN, json!({ "t": cup["id"], "c": "A-01-10-1" })).await;
        assert_eq!(problem(&wrong_bin), ("WRONG_BIN".into(), "wrong bin: go to A-01-02-1, scanned A-01-10-1".into()));
        assert_eq!(problem(&app.gql(&wh, SCAN, json!({ "t": cup["id"], "c": gtin_of("CUP-1") })).await).0, "BIN_NOT_SCANNED");
        ok(&app, &wh, SCAN, json!({ "t": cup["id"], "c": "A-01-02-1" })).await;
        assert_eq!(problem(&app.gql(&wh, SCAN, json!({ "t": cup["id"], "c": gtin_of("TEA-1") })).await).0, "WRONG_ITEM");
        assert_eq!(problem(&app.gql(&wh, SCAN, json!({ "t": cup["id"], "c": "6901234000017" })).await).0, "MISREAD");
        let done = ok(&app, &wh, SCAN, json!({ "t": cup["id"], "c": gtin_of("CUP-1") })).await;
        assert_eq!(done["scanPick"]["outcome"], "TASK_COMPLETE", "{done}");
        assert_eq!(done["scanPick"]["wave"]["status"], "PICKING");
        assert_eq!(problem(&app.gql(&wh, SCAN, json!({ "t": cup["id"], "c": gtin_of("CUP-1") })).await).0, "OVER_PICK");

        let tea = pick(&app, &wh, &tasks[1], gtin_of("TEA-1"), 3).await;
        assert_eq!(tea["scanPick"]["wave"]["status"], "SORTING", "{tea}");
        // Picked units left the bins: on hand fell with the reservations, and the ledger agrees.
        assert_eq!(app.stock_of("TEA-1").await, ((7, 0), (7, 0)));

        // Sorting sends each unit to the lowest slot that still needs it.
        let s1 = ok(&app, &wh, SORT, json!({ "w": wave["id"], "c": gtin_of("TEA-1") })).await["sortScan"].clone();
        assert_eq!((s1["slot"].as_i64(), s1["slotComplete"].as_bool()), (Some(1), Some(false)), "{s1}");
        ok(&app, &wh, SORT, json!({ "w": wave["id"], "c": gtin_of("TEA-1") })).await;
        let s3 = ok(&app, &wh, SORT, json!({ "w": wave["id"], "c": gtin_of("TEA-1") })).await["sortScan"].clone();
        assert_eq!((s3["slot"].as_i64(), s3["slotComplete"].as_bool(), s3["orderNumber"].as_str()), (Some(2), Some(true), second["number"].as_str()));
        assert_eq!(problem(&app.gql(&wh, SORT, json!({ "w": wave["id"], "c": gtin_of("TEA-1") })).await).0, "EXTRA");
        let last = ok(&app, &wh, SORT, json!({ "w": wave["id"], "c": gtin_of("CUP-1") })).await["sortScan"].clone();
        assert_eq!((last["wallComplete"].as_bool(), last["wave"]["status"].as_str()), (Some(true), Some("READY")));

        // Pack the first order from its put-wall slot.
        let wave_number = wave["number"].as_str().unwrap();
        let station = ok(&app, &wh, STATION, json!({ "c": format!("{wave_number}-01") })).await["packStation"].clone();
        assert_eq!(station["orderNumber"], first["number"]);
        // A fragile cup: a carton and bubble wrap, never the cheaper mailer bag.
        assert_eq!(station["suggestion"]["container"], "CARTON-M", "{station}");
        assert_eq!(station["suggestion"]["extras"], json!(["1 × BUBBLE"]));
        let shipment = station["shipment"]["id"].clone();
        let wrong = app.gql(&wh, PACK, json!({ "s": shipment, "c": gtin_of("WATCH-1") })).await;
        assert_eq!(problem(&wrong).0, "WRONG_ITEM");
        ok(&app, &wh, PACK, json!({ "s": shipment, "c": gtin_of("TEA-1") })).await;
        let early = app.gql(&wh, COMPLETE, json!({ "s": shipment })).await;
        let fields = field_problems(&early);
        assert_eq!(fields.len(), 2, "{early}");
        assert!(fields.iter().all(|(_, code)| code == "MISSING"), "{early}");
        ok(&app, &wh, PACK, json!({ "s": shipment, "c": gtin_of("TEA-1") })).await;
        assert_eq!(problem(&app.gql(&wh, PACK, json!({ "s": shipment, "c": gtin_of("TEA-1") })).await).0, "EXTRA");
        let full = ok(&app, &wh, PACK, json!({ "s": shipment, "c": gtin_of("CUP-1") })).await;
        assert_eq!(full["packScan"]["complete"], true);
        assert_eq!(problem(&app.gql(&wh, COMPLETE, json!({ "s": shipment, "p": "MAILER-S" })).await).0, "FRAGILE_NEEDS_CARTON");
        let packed = ok(&app, &wh, COMPLETE, json!({ "s": shipment })).await["completePacking"].clone();
        assert_eq!((packed["status"].as_str(), packed["packagingCode"].as_str()), (Some("PACKED"), Some("CARTON-M")), "{packed}");
        // Items (2 × 250 g + 200 g) plus the carton (250 g) and the bubble wrap (10 g); the small
        // carton is too tight once the cup is wrapped.
        assert_eq!(packed["packedWeightG"], 960);

        let options = ok(&app, &wh, "query($s: ID!) { carrierOptions(shipmentId: $s) { carrierCode serviceCode cod { amount } candidates { carrierCode serviceCode chosen reason } } }", json!({ "s": shipment })).await["carrierOptions"].clone();
        assert_eq!((options["carrierCode"].as_str(), options["serviceCode"].as_str()), (Some("SIMEX"), Some("STD")), "{options}");
        assert!(options["candidates"].as_array().unwrap().iter().any(|c| c["carrierCode"] == "SIMPOST" && c["reason"].as_str().unwrap().contains("no COD")), "{options}");
        let labelled = ok(&app, &wh, LABEL, json!({ "s": shipment })).await["createLabel"].clone();
        let tracking = labelled["trackingNumber"].as_str().unwrap().to_string();
        assert!(tracking.starts_with("SIM"), "{labelled}");
        assert_eq!(labelled["shippingCost"], json!({ "amount": "8.00", "currency": "CNY" }));
        assert_eq!(error_code(&app.gql(&wh, LABEL, json!({ "s": shipment })).await), Some("INVALID_TRANSITION"));

        // A hand-over with one unknown parcel hands over nothing.
        let bad = app.gql(&wh, HAND_OVER, json!({ "w": warehouse_id, "c": "SIMEX", "t": [tracking.clone(), "SIM0000000000"] })).await;
        assert_eq!(field_problems(&bad), [("trackingNumbers[1]".to_string(), "UNKNOWN_PARCEL".to_string())]);
        assert_eq!(error_code(&app.gql(&wh, HAND_OVER, json!({ "w": warehouse_id, "c": "SIMPOST", "t": [tracking.clone()] })).await), Some("VALIDATION"));
        let staged = ok(&app, &wh, "query($w: ID!) { stagedParcels(warehouseId: $w) { nodes { trackingNumber } } }", json!({ "w": warehouse_id })).await;
        assert_eq!(staged["stagedParcels"]["nodes"].as_array().unwrap().len(), 1);
        let manifest = ok(&app, &wh, HAND_OVER, json!({ "w": warehouse_id, "c": "simex", "t": [tracking.clone()] })).await["handOver"].clone();
        assert_eq!((manifest["parcelCount"].as_i64(), manifest["carrierCode"].as_str()), (Some(1), Some("SIMEX")));
        let o = ok(&app, &partner, ORDER, json!({ "id": first["id"] })).await["order"].clone();
        assert_eq!(o["status"], "SHIPPED", "{o}");
        assert_eq!((o["shipments"][0]["status"].as_str(), o["shipments"][0]["trackingNumber"].as_str()), (Some("HANDED_OVER"), Some(tracking.as_str())));
        let reasons: Vec<&str> = o["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.iter().any(|r| r.starts_with("picking in batch wave")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.starts_with("picked in wave") && r.ends_with("(3 units)")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.starts_with("packed in CARTON-M")), "{reasons:?}");
        assert!(reasons.iter().any(|r| r.starts_with("handed over to SIMEX")), "{reasons:?}");
        // The customer hears of the tracking number through the outbox.
        let told = app.count("outbox WHERE topic = 'notify.order_update' AND payload LIKE '%on its way%'").await;
        assert_eq!(told, 1);
    }

    async fn a_short_pick_reallocates_from_other_stock_blocks_the_bin_and_a_count_corrects_it(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 2).await;
        app.receive("SH1", "A-01-05-1", "WATCH-1", 1).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let o = place(&app, &partner, order(3, "CASH_ON_DELIVERY", &[("TEA-1", 2), ("WATCH-1", 1)])).await;
        // Only now does more tea arrive, in another bin.
        app.receive("SH1", "B-02-01-1", "TEA-1", 5).await;
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } })).await["createWave"].clone();
        let tasks = wave["tasks"].as_array().unwrap().clone();
        assert_eq!(tasks.len(), 2, "{wave}");
        let (tea, watch) = (&tasks[0], &tasks[1]);
        assert_eq!((tea["sku"].as_str(), watch["sku"].as_str(), watch["highValue"].as_bool()), (Some("TEA-1"), Some("WATCH-1"), Some(true)));

        // High value: every unit needs a second scan before it counts.
        ok(&app, &wh, SCAN, json!({ "t": watch["id"], "c": "A-01-05-1" })).await;
        let first = ok(&app, &wh, SCAN, json!({ "t": watch["id"], "c": gtin_of("WATCH-1") })).await["scanPick"].clone();
        assert_eq!((first["outcome"].as_str(), first["task"]["picked"].as_i64(), first["task"]["phase"].as_str()), (Some("CONFIRM_NEEDED"), Some(0), Some("AWAITING_CONFIRMATION")), "{first}");
        let second = ok(&app, &wh, SCAN, json!({ "t": watch["id"], "c": gtin_of("WATCH-1") })).await["scanPick"].clone();
        assert_eq!((second["outcome"].as_str(), second["task"]["picked"].as_i64()), (Some("TASK_COMPLETE"), Some(1)));

        // The tea bin holds one unit, not two.
        ok(&app, &wh, SCAN, json!({ "t": tea["id"], "c": "A-01-01-1" })).await;
        ok(&app, &wh, SCAN, json!({ "t": tea["id"], "c": gtin_of("TEA-1") })).await;
        let not_short = app.gql(&wh, "mutation($t: ID!) { reportShortPick(taskId: $t, found: 1) { missing } }", json!({ "t": tea["id"] })).await;
        assert_eq!(problem(&not_short).0, "NOT_SHORT");
        let report = ok(&app, &wh, "mutation($t: ID!) { reportShortPick(taskId: $t, found: 0) { expected found missing notes cycleCount { id status bin sku } wave { status } } }", json!({ "t": tea["id"] })).await["reportShortPick"].clone();
        assert_eq!((report["expected"].as_i64(), report["found"].as_i64(), report["missing"].as_i64()), (Some(2), Some(1), Some(1)), "{report}");
        assert_eq!(report["cycleCount"]["status"], "OPEN");
        assert!(report["notes"][0].as_str().unwrap().contains("re-allocated from other stock"), "{report}");
        assert_eq!(report["wave"]["status"], "READY");

        // The missing unit comes from the other bin in a new shipment; the short bin is blocked.
        let order_now = ok(&app, &partner, ORDER, json!({ "id": o["id"] })).await["order"].clone();
        let statuses: Vec<&str> = order_now["shipments"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["PICKED", "PENDING"], "{order_now}");
        assert_eq!(order_now["status"], "IN_FULFILLMENT");
        let levels = ok(&app, &wh, "{ stockLevels(sku: \"TEA-1\") { nodes { bin onHand reserved blocked } } }", json!({})).await;
        assert_eq!(levels["stockLevels"]["nodes"], json!([
            { "bin": "A-01-01-1", "onHand": 1, "reserved": 0, "blocked": true },
            { "bin": "B-02-01-1", "onHand": 5, "reserved": 1, "blocked": false },
        ]), "{levels}");
        let discrepancies = ok(&app, &wh, "{ stockDiscrepancies { nodes { bin sku expected found } } }", json!({})).await;
        assert_eq!(discrepancies["stockDiscrepancies"]["nodes"], json!([{ "bin": "A-01-01-1", "sku": "TEA-1", "expected": 2, "found": 1 }]));

        // The count finds the bin empty: an adjustment of −1, and the bin is back.
        let count_id = report["cycleCount"]["id"].clone();
        let negative = app.gql(&wh, "mutation($id: ID!) { completeCycleCount(id: $id, counted: -1) { status } }", json!({ "id": count_id })).await;
        assert_eq!(problem(&negative).0, "MUST_NOT_BE_NEGATIVE");
        let counted = ok(&app, &wh, "mutation($id: ID!) { completeCycleCount(id: $id, counted: 0) { status counted adjustment } }", json!({ "id": count_id })).await;
        assert_eq!(counted["completeCycleCount"], json!({ "status": "COUNTED", "counted": 0, "adjustment": -1 }));
        let again = app.gql(&wh, "mutation($id: ID!) { completeCycleCount(id: $id, counted: 0) { status } }", json!({ "id": count_id })).await;
        assert_eq!(error_code(&again), Some("INVALID_TRANSITION"));
        let levels = ok(&app, &wh, "{ stockLevels(sku: \"TEA-1\", warehouse: \"SH1\") { nodes { bin onHand blocked } } }", json!({})).await;
        assert_eq!(levels["stockLevels"]["nodes"][0], json!({ "bin": "A-01-01-1", "onHand": 0, "blocked": false }));
        assert_eq!(app.stock_of("TEA-1").await.0, (5, 1));
    }

    async fn a_wave_nothing_was_picked_from_can_be_cancelled_and_its_shipments_wait_again(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        place(&app, &partner, order(4, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        place(&app, &partner, order(5, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let empty = app.gql(&wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE", "carrier": "SIMPOST" } })).await;
        assert_eq!(problem(&empty).0, "EMPTY_WAVE");
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE", "maxShipments": 1 } })).await["createWave"].clone();
        assert_eq!(wave["shipmentCount"], 1);
        let left = ok(&app, &wh, "query($w: ID!) { waveCandidates(warehouseId: $w) { nodes { orderNumber } } }", json!({ "w": warehouse_id })).await;
        assert_eq!(left["waveCandidates"]["nodes"].as_array().unwrap().len(), 1);
        let cancelled = ok(&app, &wh, "mutation($id: ID!) { cancelWave(id: $id) { status } }", json!({ "id": wave["id"] })).await;
        assert_eq!(cancelled["cancelWave"]["status"], "CANCELLED");
        let back = ok(&app, &wh, "query($w: ID!) { waveCandidates(warehouseId: $w) { nodes { shipment { status waveId } } } }", json!({ "w": warehouse_id })).await;
        assert_eq!(back["waveCandidates"]["nodes"].as_array().unwrap().len(), 2, "{back}");
        assert!(back["waveCandidates"]["nodes"].as_array().unwrap().iter().all(|n| n["shipment"] == json!({ "status": "PENDING", "waveId": null })));

        // Once a unit is picked, the wave can no longer be cancelled.
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "BATCH" } })).await["createWave"].clone();
        let task = &wave["tasks"][0];
        ok(&app, &wh, SCAN, json!({ "t": task["id"], "c": task["bin"] })).await;
        ok(&app, &wh, SCAN, json!({ "t": task["id"], "c": gtin_of("TEA-1") })).await;
        let refused = app.gql(&wh, "mutation($id: ID!) { cancelWave(id: $id) { status } }", json!({ "id": wave["id"] })).await;
        assert_eq!(problem(&refused).0, "WAVE_ALREADY_PICKED", "{refused}");
        let w = ok(&app, &wh, WAVE, json!({ "id": wave["id"] })).await;
        assert_eq!(w["wave"]["progress"], json!({ "tasks": 1, "tasksDone": 0, "units": 2, "unitsPicked": 1, "unitsShort": 0 }));
    }

    async fn the_catalogues_refuse_bad_entries_with_every_problem(app) {
        let (wh, _) = setup(&app).await;
        let bad = app.gql(&wh, "mutation($i: PackagingInput!) { savePackaging(input: $i) { code } }", json!({ "i": {
            "code": "bad code", "name": "", "kind": "CARTON", "innerLengthMm": 0, "innerWidthMm": 100, "innerHeightMm": 100,
            "maxWeightG": 1000, "tareWeightG": 10, "cost": "-1", "currency": "CNY" } })).await;
        let paths: Vec<String> = field_problems(&bad).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, ["code", "name", "innerLengthMm", "cost"], "{bad}");
        let saved = ok(&app, &wh, "mutation($i: PackagingInput!) { savePackaging(input: $i) { code kind cost { amount currency } } }", json!({ "i": {
            "code": "box-xl", "name": "Carton XL", "kind": "CARTON", "innerLengthMm": 600, "innerWidthMm": 500, "innerHeightMm": 400,
            "maxWeightG": 30000, "tareWeightG": 900, "cost": "9.90", "currency": "CNY" } })).await;
        assert_eq!(saved["savePackaging"], json!({ "code": "BOX-XL", "kind": "CARTON", "cost": { "amount": "9.90", "currency": "CNY" } }));

        let carrier = |sla: i32, price: &str| json!({ "i": {
            "code": "zto", "name": "ZTO", "currency": "CNY", "services": [{ "code": "STD", "name": "Standard", "slaDays": sla }],
            "coverage": [{ "country": "CN", "regions": ["Shanghai", "Zhejiang"] }], "maxWeightG": 20000, "codSupported": false,
            "rates": [{ "service": "STD", "zone": "LOCAL", "brackets": [{ "upToG": 1000, "price": price }], "perExtraKg": "1.00" }] } });
        let bad = app.gql(&wh, "mutation($i: CarrierInput!) { saveCarrier(input: $i) { code } }", carrier(0, "x")).await;
        assert_eq!(field_problems(&bad), [("rates[0].brackets[0].price".to_string(), "INVALID_AMOUNT".to_string())], "{bad}");
        let bad = app.gql(&wh, "mutation($i: CarrierInput!) { saveCarrier(input: $i) { code } }", carrier(0, "5.00")).await;
        assert_eq!(field_problems(&bad)[0].0, "services[0].slaDays", "{bad}");
        let saved = ok(&app, &wh, "mutation($i: CarrierInput!) { saveCarrier(input: $i) { code coverage { country regions } rates { zone brackets { upToG price { amount } } } } }", carrier(3, "5.00")).await;
        assert_eq!(saved["saveCarrier"]["code"], "ZTO");
        let all = ok(&app, &wh, "{ carriers { code } }", json!({})).await;
        assert_eq!(all["carriers"], json!([{ "code": "SIMEX" }, { "code": "SIMPOST" }, { "code": "ZTO" }]));
    }

    async fn an_order_cancelled_during_picking_gives_its_picked_units_back_and_the_wave_finishes(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        app.receive("SH1", "A-01-02-1", "CUP-1", 10).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let leaving = place(&app, &partner, order(6, "CASH_ON_DELIVERY", &[("TEA-1", 1), ("CUP-1", 1)])).await;
        let staying = place(&app, &partner, order(7, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "BATCH" } })).await["createWave"].clone();
        let tasks = wave["tasks"].as_array().unwrap().clone();
        assert_eq!((tasks[0]["sku"].as_str(), tasks[1]["sku"].as_str()), (Some("TEA-1"), Some("CUP-1")));
        pick(&app, &wh, &tasks[1], gtin_of("CUP-1"), 1).await;
        assert_eq!(app.stock_of("CUP-1").await.0, (9, 0), "the cup left its bin");

        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let cancelled = app.gql(&cs, "mutation($id: ID!) { cancelOrder(id: $id, reason: \"customer changed their mind\") { status } }", json!({ "id": leaving["id"] })).await;
        assert_eq!(cancelled["data"]["cancelOrder"]["status"], "CANCELLED", "{cancelled}");
        // The picked cup is back in its bin, and the tea it had reserved is free again.
        assert_eq!(app.stock_of("CUP-1").await.0, (10, 0));
        assert_eq!(app.stock_of("TEA-1").await.0, (10, 1));

        // The picker still takes two teas off the list; only the staying order's one is consumed.
        let done = pick(&app, &wh, &tasks[0], gtin_of("TEA-1"), 2).await;
        assert_eq!(done["scanPick"]["wave"]["status"], "SORTING", "{done}");
        assert_eq!(app.stock_of("TEA-1").await.0, (9, 0));
        let w = ok(&app, &wh, WAVE, json!({ "id": wave["id"] })).await["wave"].clone();
        let shipments: Vec<(&str, bool)> = w["shipments"].as_array().unwrap().iter().map(|s| (s["orderNumber"].as_str().unwrap(), s["cancelled"].as_bool().unwrap())).collect();
        assert_eq!(shipments, [(leaving["number"].as_str().unwrap(), true), (staying["number"].as_str().unwrap(), false)]);
        let sorted = ok(&app, &wh, SORT, json!({ "w": wave["id"], "c": gtin_of("TEA-1") })).await["sortScan"].clone();
        assert_eq!((sorted["slot"].as_i64(), sorted["wallComplete"].as_bool(), sorted["wave"]["status"].as_str()), (Some(2), Some(true), Some("READY")));
        let station = app.gql(&wh, STATION, json!({ "c": format!("{}-01", wave["number"].as_str().unwrap()) })).await;
        assert_eq!(error_code(&station), Some("INVALID_TRANSITION"), "a cancelled shipment is not packed: {station}");
    }

    async fn labels_pick_lists_and_manifests_print_what_is_stored_for_warehouse_staff_only(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let o = place(&app, &partner, order(8, "CASH_ON_DELIVERY", &[("TEA-1", 2)])).await;
        // A second order waits: the wave takes one shipment only.
        place(&app, &partner, order(9, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE", "maxShipments": 1 } })).await["createWave"].clone();
        let (status, kind, text) = document(&app, &wh, &format!("/documents/pick-lists/{}.pdf", wave["id"].as_str().unwrap())).await;
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        for field in [wave["number"].as_str().unwrap(), "A-01-01-1", "TEA-1", "Oolong tea", o["number"].as_str().unwrap()] {
            assert!(text.contains(field), "pick list lacks {field}:\n{text}");
        }
        pick(&app, &wh, &wave["tasks"][0], gtin_of("TEA-1"), 2).await;
        let shipment = wave["shipments"][0]["id"].as_str().unwrap().to_string();
        let (status, _, _) = document(&app, &wh, &format!("/documents/labels/{shipment}.pdf")).await;
        assert_eq!(status, 409, "no label before the shipment is labelled");
        for _ in 0..2 {
            ok(&app, &wh, PACK, json!({ "s": shipment, "c": gtin_of("TEA-1") })).await;
        }
        ok(&app, &wh, COMPLETE, json!({ "s": shipment })).await;
        let labelled = ok(&app, &wh, LABEL, json!({ "s": shipment })).await["createLabel"].clone();
        let tracking = labelled["trackingNumber"].as_str().unwrap().to_string();

        let (status, kind, text) = document(&app, &wh, &format!("/documents/labels/{shipment}.pdf")).await;
        assert_eq!((status, kind.as_str()), (200, "application/pdf"));
        for field in [o["number"].as_str().unwrap(), tracking.as_str(), "Customer 8", "9 Century Avenue", "Simulated Express", "STD", "COD"] {
            assert!(text.contains(field), "label lacks {field}:\n{text}");
        }
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        assert_eq!(document(&app, &cs, &format!("/documents/labels/{shipment}.pdf")).await.0, 403);
        assert_eq!(document(&app, &As::Anonymous, &format!("/documents/labels/{shipment}.pdf")).await.0, 401);
        assert_eq!(document(&app, &wh, "/documents/labels/not-an-id.pdf").await.0, 404);
        assert_eq!(document(&app, &wh, &format!("/documents/invoices/{shipment}.pdf")).await.0, 404, "no invoice was asked for");

        let manifest = ok(&app, &wh, "mutation($w: ID!, $t: [String!]!) { handOver(warehouseId: $w, carrierCode: \"SIMEX\", trackingNumbers: $t) { id number } }", json!({ "w": warehouse_id, "t": [tracking] })).await["handOver"].clone();
        let (status, _, text) = document(&app, &wh, &format!("/documents/manifests/{}.pdf", manifest["id"].as_str().unwrap())).await;
        assert_eq!(status, 200);
        for field in [manifest["number"].as_str().unwrap(), tracking.as_str(), o["number"].as_str().unwrap()] {
            assert!(text.contains(field), "manifest lacks {field}:\n{text}");
        }
    }

    async fn an_invoice_goes_in_the_parcel_or_by_itself_as_the_customer_asked(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let with_invoice = |n: usize, delivery: &str| {
            let mut input = order(n, "CASH_ON_DELIVERY", &[("TEA-1", 1)]);
            input["specialRequests"] = json!({ "invoice": { "title": "Acme Trading Ltd", "taxId": "91310000MA1FL4XY3X", "delivery": delivery } });
            input
        };
        let in_parcel = place(&app, &partner, with_invoice(10, "IN_PARCEL")).await;
        let separate = place(&app, &partner, with_invoice(11, "SEPARATE")).await;
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } })).await["createWave"].clone();
        let mut shipments = Vec::new();
        for task in wave["tasks"].as_array().unwrap() {
            pick(&app, &wh, task, gtin_of("TEA-1"), 1).await;
        }
        for s in wave["shipments"].as_array().unwrap() {
            let id = s["id"].as_str().unwrap().to_string();
            let station = ok(&app, &wh, "query($c: String!) { packStation(code: $c) { orderNumber instructions } }", json!({ "c": id })).await["packStation"].clone();
            let expected = if station["orderNumber"] == in_parcel["number"] {
                "Print the invoice for Acme Trading Ltd (tax id 91310000MA1FL4XY3X) and pack it with the goods"
            } else {
                "The invoice for Acme Trading Ltd is sent separately: not in the parcel"
            };
            assert_eq!(station["instructions"], json!([expected]), "{station}");
            ok(&app, &wh, PACK, json!({ "s": id, "c": gtin_of("TEA-1") })).await;
            ok(&app, &wh, COMPLETE, json!({ "s": id })).await;
            ok(&app, &wh, LABEL, json!({ "s": id })).await;
            shipments.push((s["orderNumber"].as_str().unwrap().to_string(), id));
        }
        let parcel_shipment = &shipments.iter().find(|(n, _)| n == in_parcel["number"].as_str().unwrap()).unwrap().1;
        let (status, _, text) = document(&app, &wh, &format!("/documents/invoices/{parcel_shipment}.pdf")).await;
        assert_eq!(status, 200);
        for field in ["Acme Trading Ltd", "91310000MA1FL4XY3X", in_parcel["number"].as_str().unwrap(), "Oolong tea", "89.00"] {
            assert!(text.contains(field), "invoice lacks {field}:\n{text}");
        }
        // Only the order that wanted it separately has an invoice to send.
        assert_eq!(app.count("outbox WHERE topic = 'notify.invoice'").await, 1);
        for _ in 0..20 {
            orderly::jobs::worker::run_once(&app.state.db, &app.state.channels).await.unwrap();
            if app.count("outbox WHERE topic = 'notify.invoice' AND delivered_at IS NOT NULL").await == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(app.count("outbox WHERE topic = 'notify.invoice' AND delivered_at IS NOT NULL").await, 1);
        let o = ok(&app, &partner, ORDER, json!({ "id": separate["id"] })).await["order"].clone();
        let reasons: Vec<&str> = o["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.iter().any(|r| r.starts_with("invoice by")), "{reasons:?}");
    }

    async fn staff_scoped_to_another_warehouse_cannot_work_in_this_one(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.warehouses(&[("BJ1", "Beijing", "Beijing")]).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        place(&app, &partner, order(12, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let input = orderly::service::users::CreateUser {
            email: "beijing@shop.example".into(),
            display_name: "Beijing picker".into(),
            password: PASSWORD.into(),
            roles: vec![Role::Warehouse],
            warehouse_codes: vec!["BJ1".into()],
        };
        orderly::service::users::create(&app.state.db, &app.state.auth, &app.state.bus, &orderly::domain::auth::Actor::Cli, input).await.unwrap();
        let beijing = session_of(&app.login("beijing@shop.example", PASSWORD).await).bearer();
        let refused = app.gql(&beijing, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } })).await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"), "{refused}");
        assert_eq!(error_message(&refused), "You work in BJ1, not in SH1.");
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } })).await["createWave"].clone();
        let task = &wave["tasks"][0];
        let scan = app.gql(&beijing, SCAN, json!({ "t": task["id"], "c": task["bin"] })).await;
        assert_eq!(error_code(&scan), Some("FORBIDDEN"), "{scan}");
        let w = ok(&app, &wh, WAVE, json!({ "id": wave["id"] })).await;
        assert_eq!(w["wave"]["tasks"][0]["phase"], "AWAITING_BIN", "the refused scan changed nothing");
        let cancel = app.gql(&beijing, "mutation($id: ID!) { cancelWave(id: $id) { status } }", json!({ "id": wave["id"] })).await;
        assert_eq!(error_code(&cancel), Some("FORBIDDEN"));
        // Reads follow the scope too: lists show only Beijing, and Shanghai's things are refused.
        let lists = ok(&app, &beijing, "{ waves { nodes { number } } cycleCounts { nodes { sku } } manifests { nodes { number } } }", json!({})).await;
        assert_eq!(lists, json!({ "waves": { "nodes": [] }, "cycleCounts": { "nodes": [] }, "manifests": { "nodes": [] } }));
        assert_eq!(ok(&app, &wh, "{ waves { nodes { number } } }", json!({})).await["waves"]["nodes"].as_array().unwrap().len(), 1);
        for (query, vars) in [
            ("query($w: ID!) { waves(warehouseId: $w) { nodes { number } } }", json!({ "w": warehouse_id })),
            ("query($w: ID!) { waveCandidates(warehouseId: $w) { nodes { orderNumber } } }", json!({ "w": warehouse_id })),
            ("query($w: ID!) { wave(id: $w) { number } }", json!({ "w": wave["id"] })),
            ("query($c: String!) { packStation(code: $c) { orderNumber } }", json!({ "c": wave["shipments"][0]["id"] })),
        ] {
            assert_eq!(error_code(&app.gql(&beijing, query, vars).await), Some("FORBIDDEN"), "{query}");
        }
        let pick_list = format!("/documents/pick-lists/{}.pdf", wave["id"].as_str().unwrap());
        assert_eq!(document(&app, &beijing, &pick_list).await.0, 403);
        assert_eq!(document(&app, &wh, &pick_list).await.0, 200);
    }

    async fn a_supervisor_watching_the_warehouse_sees_each_scan_and_pick_arrive_live(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        place(&app, &partner, order(13, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let supervisor = app.signed_in("lead@shop.example", &[Role::Warehouse]).await;
        let mut ws = app.ws(json!({ "authorization": format!("Bearer {}", supervisor.access) })).await.expect("connected");
        let watch = format!("subscription {{ warehouseActivity(warehouseId: \"{warehouse_id}\") {{ kind waveId shipmentId }} }}");
        ws.subscribe("1", &watch).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } })).await["createWave"].clone();
        pick(&app, &wh, &wave["tasks"][0], gtin_of("TEA-1"), 1).await;
        let mut kinds = Vec::new();
        while kinds.len() < 4 {
            let Some(event) = ws.next_payload(10).await else { break };
            let a = &event["data"]["warehouseActivity"];
            assert_eq!(a["waveId"], wave["id"], "{event}");
            kinds.push(a["kind"].as_str().unwrap().to_string());
        }
        // The wave, the bin scan, then the unit: its shipment picked, and that scan itself.
        assert_eq!(kinds, ["WAVE_CREATED", "PICK_SCANNED", "PICKED", "PICK_SCANNED"]);
    }

    async fn a_short_pick_with_no_other_stock_waits_tells_the_customer_and_arriving_stock_serves_it(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 3).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let o = place(&app, &partner, order(14, "CASH_ON_DELIVERY", &[("TEA-1", 3)])).await;
        let wave = ok(&app, &wh, CREATE_WAVE, json!({ "i": { "warehouseId": warehouse_id, "kind": "DISCRETE" } })).await["createWave"].clone();
        let task = &wave["tasks"][0];
        ok(&app, &wh, SCAN, json!({ "t": task["id"], "c": task["bin"] })).await;
        let report = ok(&app, &wh, "mutation($t: ID!) { reportShortPick(taskId: $t, found: 1) { missing notes } }", json!({ "t": task["id"] })).await["reportShortPick"].clone();
        assert_eq!(report["missing"], 2, "{report}");
        assert!(report["notes"][0].as_str().unwrap().contains("wait for stock; customer told"), "{report}");
        let demand = ok(&app, &wh, "{ unmetDemand { sku waitingUnits waitingOrders } }", json!({})).await;
        assert_eq!(demand["unmetDemand"], json!([{ "sku": "TEA-1", "waitingUnits": 2, "waitingOrders": 1 }]));
        assert_eq!(app.count("outbox WHERE topic = 'notify.order_update'").await, 1, "the customer hears of the delay");
        let now = ok(&app, &partner, ORDER, json!({ "id": o["id"] })).await["order"].clone();
        assert_eq!(now["status"], "IN_FULFILLMENT", "the picked unit still ships: {now}");

        // Stock arrives in another bin: the waiting units get a shipment of their own.
        app.receive("SH1", "C-01-01-1", "TEA-1", 5).await;
        orderly::service::allocation::waiting::serve(&app.state.db, &app.state.realtime, &std::collections::BTreeSet::from(["TEA-1".to_string()])).await.unwrap();
        let now = ok(&app, &partner, ORDER, json!({ "id": o["id"] })).await["order"].clone();
        let statuses: Vec<&str> = now["shipments"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
        assert_eq!(statuses, ["PICKED", "PENDING"], "{now}");
        assert_eq!(ok(&app, &wh, "{ unmetDemand { sku waitingUnits } }", json!({})).await["unmetDemand"][0]["waitingUnits"], 0);
    }

    async fn carrier_events_move_a_parcel_forward_only_and_deliver_the_order(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (o, tracking) = ship_one(&app, &wh, &warehouse_id, 15).await;
        let secret = app.state.carrier_webhook_secret.expose().to_string();
        let now = chrono::Utc::now();
        let event = |id: &str, status: &str, minutes_ago: i64| json!({
            "eventId": id, "trackingNumber": tracking, "status": status, "exceptionCode": null,
            "occurredAt": (now - chrono::TimeDelta::minutes(minutes_ago)).to_rfc3339(),
        });
        let t = now.timestamp();

        // Forged, stale, for an unknown carrier or parcel: refused, nothing changes.
        assert_eq!(carrier_callback(&app, "simex", "not the secret", t, event("e1", "IN_TRANSIT", 30)).await.0, 401);
        assert_eq!(carrier_callback(&app, "simex", &secret, t - 301, event("e1", "IN_TRANSIT", 30)).await.0, 401);
        assert_eq!(carrier_callback(&app, "nope", &secret, t, event("e1", "IN_TRANSIT", 30)).await.0, 404);
        let mut other = event("e1", "IN_TRANSIT", 30);
        other["trackingNumber"] = json!("SIM0000000000");
        assert_eq!(carrier_callback(&app, "simex", &secret, t, other).await.0, 404);
        let mut no_code = event("e9", "EXCEPTION", 30);
        no_code["exceptionCode"] = Value::Null;
        assert_eq!(carrier_callback(&app, "simex", &secret, t, no_code).await.0, 400);
        assert_eq!(app.count("carrier_events").await, 0);

        let (status, body) = carrier_callback(&app, "simex", &secret, t, event("e1", "IN_TRANSIT", 30)).await;
        assert_eq!((status, body["result"].as_str()), (200, Some("applied")), "{body}");
        let (status, body) = carrier_callback(&app, "simex", &secret, t, event("e1", "IN_TRANSIT", 30)).await;
        assert_eq!((status, body["result"].as_str()), (200, Some("duplicate")), "a replay changes nothing");
        let (_, body) = carrier_callback(&app, "simex", &secret, t, event("e3", "DELIVERED", 5)).await;
        assert_eq!(body["result"], "applied");
        // Out for delivery happened before the delivery but arrives after it: kept, not applied.
        let (status, body) = carrier_callback(&app, "simex", &secret, t, event("e2", "OUT_FOR_DELIVERY", 10)).await;
        assert_eq!((status, body["result"].as_str()), (200, Some("unchanged")), "{body}");

        let partner = As::ApiKey(app.partner_key("web-15").await);
        let now = ok(&app, &partner, ORDER, json!({ "id": o["id"] })).await["order"].clone();
        assert_eq!((now["status"].as_str(), now["shipments"][0]["status"].as_str()), (Some("DELIVERED"), Some("DELIVERED")), "{now}");
        let reasons: Vec<&str> = now["events"].as_array().unwrap().iter().filter_map(|e| e["reason"].as_str()).collect();
        assert!(reasons.iter().any(|r| r.contains("OUT_FOR_DELIVERY") && r.contains("arrived late; the parcel stays DELIVERED")), "{reasons:?}");
        assert_eq!(app.count("carrier_events").await, 3);
    }

    async fn a_carrier_exception_is_recorded_on_the_parcel_and_delivery_still_follows(app) {
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (o, tracking) = ship_one(&app, &wh, &warehouse_id, 16).await;
        let secret = app.state.carrier_webhook_secret.expose().to_string();
        let t = chrono::Utc::now().timestamp();
        let body = |id: &str, status: &str, code: Option<&str>, at: &str| json!({ "eventId": id, "trackingNumber": tracking, "status": status, "exceptionCode": code, "occurredAt": at });
        assert_eq!(carrier_callback(&app, "SIMEX", &secret, t, body("x1", "EXCEPTION", Some("ADDRESS_UNKNOWN"), "2026-12-01T08:00:00Z")).await.1["result"], "applied");
        let partner = As::ApiKey(app.partner_key("web-16").await);
        let q = "query($id: ID) { order(id: $id) { status shipments { status exceptionCode } } }";
        let now = ok(&app, &partner, q, json!({ "id": o["id"] })).await["order"].clone();
        assert_eq!(now["shipments"][0], json!({ "status": "EXCEPTION", "exceptionCode": "ADDRESS_UNKNOWN" }));
        assert_eq!(now["status"], "SHIPPED");
        assert_eq!(carrier_callback(&app, "SIMEX", &secret, t, body("x2", "DELIVERED", None, "2026-12-01T12:00:00Z")).await.1["result"], "applied");
        let now = ok(&app, &partner, q, json!({ "id": o["id"] })).await["order"].clone();
        assert_eq!(now, json!({ "status": "DELIVERED", "shipments": [{ "status": "DELIVERED", "exceptionCode": null }] }));
    }
}

each_backend! {
    async fn in_demo_mode_the_simulated_carrier_plays_a_parcel_to_its_door(backend) {
        let app = TestApp::spawn_with(backend, |c| c.demo_mode = true).await;
        let (wh, warehouse_id) = setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 5).await;
        let (o, tracking) = ship_one(&app, &wh, &warehouse_id, 17).await;
        let play = "mutation($t: String!, $s: CarrierScenario!) { simulateCarrierEvents(carrierCode: \"SIMEX\", trackingNumber: $t, scenario: $s) }";
        let steps = ok(&app, &wh, play, json!({ "t": tracking, "s": "DELIVERED" })).await;
        // The pick-up confirms the hand-over the warehouse already recorded.
        assert_eq!(steps["simulateCarrierEvents"], json!(["unchanged", "applied", "applied", "applied"]));
        let partner = As::ApiKey(app.partner_key("web-17").await);
        let now = ok(&app, &partner, ORDER, json!({ "id": o["id"] })).await["order"].clone();
        assert_eq!(now["status"], "DELIVERED", "{now}");
        // After delivery, an exception story changes nothing but the timeline.
        let steps = ok(&app, &wh, play, json!({ "t": tracking, "s": "DELAYED" })).await;
        assert_eq!(steps["simulateCarrierEvents"], json!(["unchanged", "unchanged", "unchanged"]));
        app.assert_stock_invariants().await;

        let production = TestApp::spawn(backend).await;
        let wh = production.signed_in("wh@shop.example", &[Role::Warehouse]).await.bearer();
        let refused = production.gql(&wh, play, json!({ "t": tracking, "s": "DELIVERED" })).await;
        assert_eq!(error_code(&refused), Some("FORBIDDEN"));
    }
}
