//! Allocation rules as warehouse managers edit them, the dry run that explains them, and
//! allocation splitting an order across warehouses.

use crate::helpers::*;
use orderly_shared::Role;
use serde_json::{Value, json};

const SAVE: &str = "mutation($i: AllocationRuleInput!) { saveAllocationRule(input: $i) { id name strategy warehouses split maxShipments conditions { categories countries } } }";
const DRY_RUN: &str = "query($o: DryRunOrderInput) { allocationDryRun(order: $o) { ruleName isDefault trace { ruleName matched reasons } notes ranking shipments { warehouse lines { sku quantity } } unfilled { sku quantity } } }";

async fn setup(app: &TestApp) -> As {
    app.product("TEA-1", 4990, "CNY").await; // category "test"
    app.product("CUP-1", 1900, "CNY").await;
    app.warehouses(&[
        ("SH1", "Shanghai", "Shanghai"),
        ("BJ1", "Beijing", "Beijing"),
        ("GZ1", "Guangdong", "Guangzhou"),
    ])
    .await;
    app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
    app.receive("GZ1", "A-01-01-1", "TEA-1", 10).await;
    app.receive("BJ1", "B-01-01-1", "CUP-1", 10).await;
    app.signed_in("wh@shop.example", &[Role::Warehouse])
        .await
        .bearer()
}

fn sample(region: &str, lines: &[(&str, i32)]) -> Value {
    json!({ "o": { "channel": "web", "country": "CN", "region": region, "lines": lines.iter().map(|(s, q)| json!({ "sku": s, "quantity": q })).collect::<Vec<_>>() } })
}

both_databases! {
    async fn the_dry_run_shows_which_rule_matches_and_why_and_follows_edits(app) {
        let wh = setup(&app).await;
        // The default rule ships from the nearest warehouse: Guangzhou for a Guangdong customer.
        let run = app.gql(&wh, DRY_RUN, sample("Guangdong", &[("TEA-1", 2)])).await;
        let d = &run["data"]["allocationDryRun"];
        assert_eq!(d["isDefault"], true, "{run}");
        assert_eq!(d["shipments"], json!([{ "warehouse": "GZ1", "lines": [{ "sku": "TEA-1", "quantity": 2 }] }]));
        assert_eq!(d["ranking"][0], "GZ1");

        // A manager sends everything in category "test" from Shanghai first.
        let rule = app.gql(&wh, SAVE, json!({ "i": { "name": "Test goods from Shanghai", "position": 1, "conditions": { "categories": ["test"] }, "strategy": "FIXED_LIST", "warehouses": ["SH1", "BJ1"], "split": "SHIP_COMPLETE" } })).await;
        assert_eq!(error_code(&rule), None, "{rule}");
        let run = app.gql(&wh, DRY_RUN, sample("Guangdong", &[("TEA-1", 2)])).await;
        let d = &run["data"]["allocationDryRun"];
        assert_eq!((d["ruleName"].as_str(), d["isDefault"].as_bool()), (Some("Test goods from Shanghai"), Some(false)), "{run}");
        assert_eq!(d["shipments"], json!([{ "warehouse": "SH1", "lines": [{ "sku": "TEA-1", "quantity": 2 }] }]));
        assert_eq!(d["trace"][0]["matched"], true);

        // Narrow it to the US: it no longer matches, and the trace says why.
        let id = rule["data"]["saveAllocationRule"]["id"].clone();
        let edited = app.gql(&wh, SAVE, json!({ "i": { "id": id, "name": "Test goods from Shanghai", "position": 1, "conditions": { "categories": ["test"], "countries": ["us"] }, "strategy": "FIXED_LIST", "warehouses": ["SH1"], "split": "SHIP_COMPLETE" } })).await;
        assert_eq!(edited["data"]["saveAllocationRule"]["conditions"]["countries"], json!(["US"]), "{edited}");
        let run = app.gql(&wh, DRY_RUN, sample("Guangdong", &[("TEA-1", 2)])).await;
        let d = &run["data"]["allocationDryRun"];
        assert_eq!(d["isDefault"], true);
        assert_eq!(d["trace"][0]["matched"], false);
        assert_eq!(d["trace"][0]["reasons"], json!(["country CN is not one of US"]));

        // Bad rules are refused with every problem, and nothing changes.
        let bad = app.gql(&wh, SAVE, json!({ "i": { "name": " ", "strategy": "FIXED_LIST", "warehouses": ["XX9", "SH1", "sh1"], "split": "AT_MOST", "maxShipments": 0 } })).await;
        let paths: Vec<&str> = bad["errors"][0]["extensions"]["fields"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
        assert_eq!(paths, ["name", "strategy.warehouses[0]", "strategy.warehouses[2]", "split.shipments"], "{bad}");
        let rules = app.gql(&wh, "{ allocationRules { name isDefault } }", json!({})).await;
        assert_eq!(rules["data"]["allocationRules"], json!([{ "name": "Test goods from Shanghai", "isDefault": false }, { "name": "Nearest warehouse, split allowed", "isDefault": true }]));
        let unknown = app.gql(&wh, DRY_RUN, sample("Beijing", &[("NOPE", 1)])).await;
        assert_eq!(error_code(&unknown), Some("VALIDATION"));
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        assert_eq!(error_code(&app.gql(&cs, DRY_RUN, sample("Beijing", &[("TEA-1", 1)])).await), Some("FORBIDDEN"));
    }

    async fn an_order_spanning_warehouses_is_split_into_shipments_with_their_reservations(app) {
        let wh = setup(&app).await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let input = json!({
            "idempotencyKey": "split-1",
            "customer": { "name": "Han", "email": "han@example.com", "phone": "+8613912345678" },
            "shippingAddress": { "recipient": "Han", "phone": "13912345678", "country": "CN", "region": "Beijing", "city": "Beijing", "line1": "1 Jianguomenwai Street", "postalCode": "100004" },
            "paymentMethod": "CASH_ON_DELIVERY",
            "lines": [{ "sku": "TEA-1", "quantity": 12 }, { "sku": "CUP-1", "quantity": 1 }]
        });
        let q = "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id status shipments { warehouse { code } lines { sku quantity } } } }";
        let placed = app.gql(&partner, q, json!({ "i": input })).await;
        let o = &placed["data"]["placeOrder"];
        assert_eq!(o["status"], "ALLOCATED", "{placed}");
        // Beijing first (nearest, has the cup), then the tea from wherever it is, 10 + 2.
        let mut shipments: Vec<String> = o["shipments"].as_array().unwrap().iter().map(|s| format!("{} {}", s["warehouse"]["code"].as_str().unwrap(), s["lines"])).collect();
        shipments.sort();
        assert_eq!(shipments.len(), 3, "{placed}");
        assert!(shipments[0].starts_with("BJ1"), "{shipments:?}");
        assert_eq!(app.stock_of("TEA-1").await, ((20, 12), (20, 12)));
        let run = app.gql(&wh, "query($id: ID) { allocationDryRun(orderId: $id) { shipments { warehouse } } }", json!({ "id": o["id"] })).await;
        assert_eq!(error_code(&run), None, "{run}");
    }
}
