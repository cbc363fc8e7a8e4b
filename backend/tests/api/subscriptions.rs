//! Subscriptions over graphql-transport-ws, authenticated in `connection_init`.

use crate::helpers::*;
use orderly_shared::Role;
use serde_json::json;

const FEED: &str = "subscription { auditLogAppended { action actor targetType } }";

both_databases! {
    async fn an_admin_watching_the_audit_log_sees_a_new_user_appear(app) {
        let admin = app.signed_in("ada@shop.example", &[Role::Admin]).await;
        let mut ws = app.ws(json!({ "authorization": format!("Bearer {}", admin.access) })).await.expect("connected");
        ws.subscribe("1", FEED).await;
        // Give the server a moment to register the subscription before the event happens.
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        app.user_with("new@shop.example", &[Role::Finance]).await;
        let payload = ws.next_payload(10).await.expect("an event");
        assert_eq!(payload["data"]["auditLogAppended"], json!({ "action": "user.created", "actor": "command line", "targetType": "USER" }));
    }

    async fn a_subscription_without_credentials_is_refused_and_bad_credentials_cannot_connect(app) {
        let mut anon = app.ws(json!({})).await.expect("anonymous connections are accepted");
        anon.subscribe("1", FEED).await;
        let payload = anon.next_payload(5).await.expect("an answer");
        assert_eq!(payload["errors"][0]["extensions"]["code"], json!("UNAUTHENTICATED"), "{payload}");

        let refused = app.ws(json!({ "authorization": "Bearer not-a-token" })).await;
        assert!(refused.is_err(), "a bad token must not get a connection");

        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await;
        let mut ws = app.ws(json!({ "authorization": format!("Bearer {}", cs.access) })).await.expect("connected");
        ws.subscribe("1", FEED).await;
        let payload = ws.next_payload(5).await.expect("an answer");
        assert_eq!(payload["errors"][0]["extensions"]["code"], json!("FORBIDDEN"), "{payload}");
    }
}

fn order_input(key: &str) -> serde_json::Value {
    json!({
        "idempotencyKey": key,
        "customer": { "name": "Li Lei", "email": "li.lei@example.com" },
        "shippingAddress": { "recipient": "Li Lei", "phone": "13800138000", "country": "CN", "region": "Shanghai", "city": "Shanghai", "line1": "100 Century Avenue", "postalCode": "200120" },
        "paymentMethod": "PREPAID",
        "lines": [{ "sku": "TEA-1", "quantity": 1 }]
    })
}

const PLACE: &str = "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id number } }";
const WATCH: &str = "subscription { orderStatusChanged { number from to } }";

both_databases! {
    async fn a_partner_watching_orders_sees_its_own_channel_only(app) {
        app.product("TEA-1", 4990, "CNY").await;
        let (mine, theirs) = (app.partner_key("web").await, app.partner_key("market").await);
        let mut ws = app.ws(json!({ "apiKey": mine })).await.expect("connected");
        ws.subscribe("1", WATCH).await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        app.gql(&As::ApiKey(theirs), PLACE, json!({ "i": order_input("theirs") })).await;
        let placed = app.gql(&As::ApiKey(mine), PLACE, json!({ "i": order_input("mine") })).await;
        let number = placed["data"]["placeOrder"]["number"].clone();
        let event = ws.next_payload(10).await.expect("an event");
        assert_eq!(event["data"]["orderStatusChanged"], json!({ "number": number, "from": null, "to": "PENDING_PAYMENT" }), "the other channel's order was not shown first");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_made_through_one_replica_reaches_a_subscriber_on_another() {
    let a = TestApp::spawn(Backend::Postgres).await;
    let b = a.replica().await;
    a.product("TEA-1", 4990, "CNY").await;
    let key = a.partner_key("web").await;
    let staff = a
        .signed_in("cs@shop.example", &[Role::CustomerService])
        .await;
    let mut ws = a
        .ws(json!({ "authorization": format!("Bearer {}", staff.access) }))
        .await
        .expect("connected to A");
    ws.subscribe("1", WATCH).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let placed = b
        .gql(
            &As::ApiKey(key.clone()),
            PLACE,
            json!({ "i": order_input("via-b") }),
        )
        .await;
    let number = placed["data"]["placeOrder"]["number"]
        .as_str()
        .unwrap_or_else(|| panic!("{placed}"))
        .to_string();
    let event = ws
        .next_payload(10)
        .await
        .expect("the event crossed replicas");
    assert_eq!(
        event["data"]["orderStatusChanged"],
        json!({ "number": number, "from": null, "to": "PENDING_PAYMENT" })
    );
    // And a payment applied through B moves the status for A's subscriber too.
    let total = "59.90"; // 49.90 + 10.00 shipping (under the free-shipping threshold)
    let callback = json!({ "eventId": "evt-r", "orderNumber": number, "status": "SUCCEEDED", "amount": total, "currency": "CNY" });
    let (status, _) = b
        .payment_callback(
            &callback,
            &b.payment_secret(),
            chrono::Utc::now().timestamp(),
        )
        .await;
    assert_eq!(status, 200);
    let event = ws
        .next_payload(10)
        .await
        .expect("the payment event crossed replicas");
    assert_eq!(
        event["data"]["orderStatusChanged"]["to"], "CONFIRMED",
        "{event}"
    );
}
