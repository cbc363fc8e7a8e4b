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
