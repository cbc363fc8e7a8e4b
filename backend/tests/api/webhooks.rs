//! Partners' outbound webhooks against a real HTTP receiver on loopback: an admin registers an
//! endpoint, the channel's order events are delivered signed as API.md's inbound webhooks
//! (verifiable with the secret shown once), an endpoint that fails the first attempts gets the
//! event on a later one with the same event id, every attempt is logged, an unreachable endpoint
//! gives up after 24 hours, and an admin resends.

use crate::fulfilment::{ok, order, place, setup};
use crate::helpers::*;
use axum::http::{HeaderMap, StatusCode};
use orderly::service::webhooks::deliver;
use orderly_shared::Role;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const CREATE: &str = "mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret endpoint { id channel url events active createdBy } } }";
const DELIVERIES: &str = "query($f: WebhookDeliveryFilter) { webhookDeliveries(first: 50, filter: $f) { nodes { id eventId eventType status attempts lastResponseStatus lastError payload attemptLog { attempt responseStatus responseBody error signature } } } }";

/// What the receiver saw: every request's headers and body.
#[derive(Clone, Default)]
struct Received(Arc<Mutex<Vec<(HeaderMap, String)>>>);

/// A partner's receiver on loopback: answers 503 to the first `failures` attempts of each event,
/// then 200.
async fn receiver(failures: usize) -> (String, Received) {
    let seen = Received::default();
    let per_event: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/hooks/orderly",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let (log, per_event) = (log.clone(), per_event.clone());
            async move {
                let id = headers
                    .get("Orderly-Event-Id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                log.0.lock().unwrap().push((headers, body));
                let mut counts = per_event.lock().unwrap();
                let n = counts.entry(id).or_default();
                *n += 1;
                if *n <= failures {
                    (StatusCode::SERVICE_UNAVAILABLE, "busy, try later")
                } else {
                    (StatusCode::OK, "thanks")
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/orderly", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

each_backend! {
    async fn order_events_reach_the_partner_signed_and_retried_until_the_endpoint_takes_them(backend) {
        let app = TestApp::spawn_with(backend, |c| c.background_jobs = false).await;
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let admin = app.signed_in("admin@shop.example", &[Role::Admin]).await.bearer();
        let cs = app.signed_in("cs@shop.example", &[Role::CustomerService]).await.bearer();
        let partner = As::ApiKey(app.partner_key("web-1").await);
        let other = As::ApiKey(app.partner_key("web-2").await);
        let (url, seen) = receiver(2).await;

        // Precise refusals, and nothing registered by them.
        let input = |channel: &str, url: &str, events: Value| json!({ "i": { "channel": channel, "url": url, "events": events } });
        assert_eq!(error_code(&app.gql(&cs, CREATE, input("web-1", &url, json!(["ORDER_STATUS_CHANGED"]))).await), Some("FORBIDDEN"));
        let bad = app.gql(&admin, CREATE, input("nobody", "http://shop.example/hook", json!([]))).await;
        assert_eq!(field_problems(&bad), [
            ("channel".to_string(), "UNKNOWN_CHANNEL".to_string()),
            ("url".to_string(), "NOT_HTTPS".to_string()),
            ("events".to_string(), "REQUIRED".to_string()),
        ]);
        assert_eq!(app.count("webhook_endpoints").await, 0);

        let created = ok(&app, &admin, CREATE, input("web-1", &url, json!(["ORDER_STATUS_CHANGED", "REFUND_EXECUTED"]))).await["createWebhookEndpoint"].clone();
        let secret = created["secret"].as_str().unwrap().to_string();
        assert!(secret.starts_with("whsec_") && secret.len() == 70, "{secret}");
        assert_eq!(created["endpoint"]["channel"], "web-1");
        assert_eq!(created["endpoint"]["createdBy"], "admin@shop.example");
        let listed = ok(&app, &admin, "{ webhookEndpoints(first: 5) { nodes { url active } } }", json!({})).await;
        assert_eq!(listed["webhookEndpoints"]["nodes"], json!([{ "url": url, "active": true }]));

        // The partner's order moves through several statuses as it is placed; another channel's
        // order is not this partner's business.
        let o = place(&app, &partner, order(1, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        place(&app, &other, order(2, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let number = o["number"].as_str().unwrap();
        let moves = app.count(&format!("order_events WHERE to_status IS NOT NULL AND order_id IN (SELECT id FROM orders WHERE number = '{number}')")).await;
        assert!(moves >= 2, "placed and allocated at least");
        assert_eq!(app.count("webhook_deliveries").await, moves, "one delivery per status change of web-1's order");

        // First attempt: the receiver is busy. Nothing is due again for 10 s.
        let t = chrono::Utc::now();
        let client = deliver::client();
        assert_eq!(deliver::run_once(&app.state.db, &client, t).await.unwrap(), 0);
        assert_eq!(seen.0.lock().unwrap().len() as i64, moves);
        assert_eq!(deliver::run_once(&app.state.db, &client, t + chrono::TimeDelta::seconds(5)).await.unwrap(), 0);
        assert_eq!(seen.0.lock().unwrap().len() as i64, moves, "no attempt before the backoff");
        // Second attempt after 10 s, still busy; the third, 20 s later, goes through.
        assert_eq!(deliver::run_once(&app.state.db, &client, t + chrono::TimeDelta::seconds(11)).await.unwrap(), 0);
        assert_eq!(deliver::run_once(&app.state.db, &client, t + chrono::TimeDelta::seconds(40)).await.unwrap() as i64, moves);
        assert_eq!(deliver::run_once(&app.state.db, &client, t + chrono::TimeDelta::hours(2)).await.unwrap(), 0, "delivered ones are done");

        // Every request is signed with the endpoint's secret over the raw body, and carries the
        // event id receivers de-duplicate by.
        let requests = seen.0.lock().unwrap().clone();
        assert_eq!(requests.len() as i64, moves * 3);
        let mut statuses = Vec::new();
        for (headers, body) in &requests {
            let header = headers.get("Orderly-Signature").and_then(|v| v.to_str().ok());
            orderly::domain::signature::verify(secret.as_bytes(), header, body.as_bytes(), chrono::Utc::now().timestamp())
                .expect("signed with the endpoint's secret");
            assert!(orderly::domain::signature::verify(b"another secret", header, body.as_bytes(), chrono::Utc::now().timestamp()).is_err());
            let payload: Value = serde_json::from_str(body).unwrap();
            assert_eq!(payload["id"].as_str(), headers.get("Orderly-Event-Id").and_then(|v| v.to_str().ok()));
            assert_eq!(payload["type"], "ORDER_STATUS_CHANGED");
            assert_eq!(payload["data"]["orderNumber"], o["number"]);
            statuses.push(payload["data"]["to"].as_str().unwrap().to_string());
        }
        assert!(statuses.contains(&"ALLOCATED".to_string()), "{statuses:?}");
        let distinct: std::collections::HashSet<&str> = requests.iter().map(|(h, _)| h.get("Orderly-Event-Id").unwrap().to_str().unwrap()).collect();
        assert_eq!(distinct.len() as i64, moves, "retries keep the event id");

        // The log shows every attempt with the endpoint's answer.
        let log = ok(&app, &admin, DELIVERIES, json!({})).await["webhookDeliveries"]["nodes"].clone();
        for d in log.as_array().unwrap() {
            assert_eq!(d["status"], "DELIVERED");
            assert_eq!(d["attempts"], 3);
            assert_eq!(d["lastResponseStatus"], 200);
            let answers: Vec<&Value> = d["attemptLog"].as_array().unwrap().iter().map(|a| &a["responseStatus"]).collect();
            assert_eq!(answers, [&json!(503), &json!(503), &json!(200)]);
            assert_eq!(d["attemptLog"][0]["responseBody"], "busy, try later");
        }
    }

    async fn an_unreachable_endpoint_gives_up_after_a_day_and_an_admin_resends(backend) {
        let app = TestApp::spawn_with(backend, |c| c.background_jobs = false).await;
        setup(&app).await;
        app.receive("SH1", "A-01-01-1", "TEA-1", 10).await;
        let admin = app.signed_in("admin@shop.example", &[Role::Admin]).await.bearer();
        let partner = As::ApiKey(app.partner_key("web-3").await);
        // A port nobody listens on.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let url = format!("http://{closed}/hooks/orderly");
        let create = json!({ "i": { "channel": "web-3", "url": url, "events": ["ORDER_STATUS_CHANGED"] } });
        let endpoint = ok(&app, &admin, CREATE, create).await["createWebhookEndpoint"]["endpoint"]["id"].clone();
        place(&app, &partner, order(3, "CASH_ON_DELIVERY", &[("TEA-1", 1)])).await;
        let total = app.count("webhook_deliveries").await;
        assert!(total >= 2);

        let client = deliver::client();
        let t = chrono::Utc::now();
        for hour in 0..=25 {
            deliver::run_once(&app.state.db, &client, t + chrono::TimeDelta::hours(hour)).await.unwrap();
        }
        let filter = json!({ "f": { "endpointId": endpoint } });
        let log = ok(&app, &admin, DELIVERIES, filter.clone()).await["webhookDeliveries"]["nodes"].clone();
        let first = &log[0];
        assert_eq!(first["status"], "GAVE_UP");
        assert!(first["lastError"].as_str().unwrap().contains("could not connect"), "{first}");
        let attempts = first["attempts"].as_i64().unwrap();
        assert!((20..=30).contains(&attempts), "{attempts} attempts in the day");
        assert_eq!(first["attemptLog"].as_array().unwrap().len() as i64, attempts);
        assert_eq!(app.count("webhook_deliveries WHERE status = 'GAVE_UP'").await, total);

        // Resent, it is pending again with the same event id, and tried at once.
        let resend = "mutation($id: ID!) { resendWebhookDelivery(id: $id) { status eventId } }";
        let again = ok(&app, &admin, resend, json!({ "id": first["id"] })).await["resendWebhookDelivery"].clone();
        assert_eq!(again, json!({ "status": "PENDING", "eventId": first["eventId"] }));
        deliver::run_once(&app.state.db, &client, chrono::Utc::now()).await.unwrap();
        let after = ok(&app, &admin, DELIVERIES, filter).await["webhookDeliveries"]["nodes"][0].clone();
        assert_eq!(after["attempts"].as_i64().unwrap(), attempts + 1);
        assert_eq!(after["status"], "PENDING", "retried for another day");
        assert_eq!(app.count("audit_log WHERE action = 'webhook.delivery_resent'").await, 1);

        // Deactivated, the endpoint gets nothing more.
        ok(&app, &admin, "mutation($id: ID!) { deactivateWebhookEndpoint(id: $id) { active } }", json!({ "id": endpoint })).await;
        deliver::run_once(&app.state.db, &client, chrono::Utc::now() + chrono::TimeDelta::hours(1)).await.unwrap();
        let closed = ok(&app, &admin, DELIVERIES, json!({ "f": { "endpointId": endpoint, "status": ["PENDING"] } })).await;
        assert_eq!(closed["webhookDeliveries"]["nodes"], json!([]));
    }
}
