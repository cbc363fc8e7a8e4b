//! Customer messages through the outbox: delivered after commit, at least once, visible on the
//! order timeline; and job claiming that never hands one message to two workers.

use crate::helpers::*;
use orderly::jobs::outbox;
use serde_json::{Value, json};

fn cod_order(key: &str) -> Value {
    json!({
        "idempotencyKey": key,
        "customer": { "name": "Li Lei", "email": "li.lei@example.com", "phone": "+8613800138000" },
        "shippingAddress": { "recipient": "Li Lei", "phone": "13800138000", "country": "CN", "region": "Shanghai", "city": "Shanghai", "line1": "100 Century Avenue", "postalCode": "200120" },
        "paymentMethod": "CASH_ON_DELIVERY",
        "lines": [{ "sku": "TEA-1", "quantity": 1 }]
    })
}

each_backend! {
    async fn a_confirmed_order_sends_an_email_over_smtp_and_the_timeline_shows_it(backend) {
        let sink = SmtpSink::start().await;
        let url = format!("smtp://{}", sink.addr);
        let app = TestApp::spawn_with(backend, move |c| c.smtp_url = Some(orderly::config::Secret::new(url))).await;
        app.product("TEA-1", 4990, "CNY").await;
        let partner = As::ApiKey(app.partner_key("web").await);
        let placed = app.gql(&partner, "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { number } }", json!({ "i": cod_order("n-1") })).await;
        let number = placed["data"]["placeOrder"]["number"].as_str().unwrap_or_else(|| panic!("{placed}")).to_string();
        // Nothing is in stock: the customer gets the confirmation and then the backorder notice.
        let mut mail = Vec::new();
        for _ in 0..100 {
            mail = sink.received();
            if mail.len() >= 2 { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(mail.len(), 2, "the confirmation and the backorder notice");
        let confirmation = mail.iter().find(|m| m.contains(&format!("Subject: Your order {number} is confirmed"))).unwrap_or_else(|| panic!("{mail:?}"));
        assert!(confirmation.contains("To: li.lei@example.com"), "{confirmation}");
        assert!(confirmation.contains("Dear Li Lei"), "{confirmation}");
        let notice = mail.iter().find(|m| m.contains(&format!("Subject: An update on your order {number}"))).unwrap_or_else(|| panic!("{mail:?}"));
        assert!(notice.contains("waiting for stock (TEA-1: 1 order"), "{notice}");
        let mut sent = Vec::new();
        for _ in 0..50 {
            let resp = app.gql(&partner, "query($n: String) { order(number: $n) { events { kind reason } } }", json!({ "n": number })).await;
            sent = resp["data"]["order"]["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "NOTIFICATION_SENT").map(|e| e["reason"].as_str().unwrap().to_string()).collect::<Vec<_>>();
            if sent.len() == 3 { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        sent.sort();
        assert_eq!(sent.len(), 3, "{sent:?}");
        assert_eq!(&sent[..2], [
            "order confirmation by email (smtp) to li.lei@example.com".to_string(),
            "order confirmation by sms (logged only) to +8613800138000".to_string(),
        ]);
        assert!(sent[2].starts_with("order update by email (smtp) to li.lei@example.com: waiting for stock"), "{sent:?}");
    }

    async fn when_the_mail_server_is_down_the_message_waits_for_a_retry(backend) {
        // Nothing listens on this port: every delivery attempt fails.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let app = TestApp::spawn_with(backend, move |c| {
            c.smtp_url = Some(orderly::config::Secret::new(format!("smtp://{closed}")));
            c.background_jobs = false;
        }).await;
        app.product("TEA-1", 4990, "CNY").await;
        let partner = As::ApiKey(app.partner_key("web").await);
        app.gql(&partner, "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { number } }", json!({ "i": cod_order("n-2") })).await;
        assert_eq!(orderly::jobs::worker::run_once(&app.state.db, &app.state.channels).await.unwrap(), 0);
        use sea_orm::EntityTrait;
        let row = orderly::db::entity::outbox::Entity::find().one(&app.state.db).await.unwrap().unwrap();
        assert_eq!(row.attempts, 1);
        assert!(row.delivered_at.is_none() && row.last_error.is_some());
        assert!(row.available_at > chrono::Utc::now(), "retried later, with backoff");
        assert_eq!(orderly::jobs::worker::run_once(&app.state.db, &app.state.channels).await.unwrap(), 0, "not due yet");
    }

    async fn two_workers_never_claim_the_same_message(backend) {
        let app = TestApp::spawn_with(backend, |c| c.background_jobs = false).await;
        for i in 0..60 {
            outbox::enqueue(&app.state.db, "test.noop", uuid::Uuid::now_v7(), &json!({ "i": i })).await.unwrap();
        }
        let worker = |db: sea_orm::DatabaseConnection| async move {
            let mut mine = Vec::new();
            loop {
                let batch = outbox::claim(&db, 7, chrono::Utc::now()).await.unwrap();
                if batch.is_empty() { break mine; }
                for m in batch {
                    outbox::delivered(&db, m.id).await.unwrap();
                    mine.push(m.id);
                }
            }
        };
        let (a, b) = tokio::join!(tokio::spawn(worker(app.state.db.clone())), tokio::spawn(worker(app.state.db.clone())));
        let (a, b) = (a.unwrap(), b.unwrap());
        let all: std::collections::HashSet<_> = a.iter().chain(b.iter()).collect();
        assert_eq!(a.len() + b.len(), 60, "every message claimed once: {} + {}", a.len(), b.len());
        assert_eq!(all.len(), 60);
    }
}
