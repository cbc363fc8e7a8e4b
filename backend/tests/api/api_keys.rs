//! Partner API keys: shown once, stored hashed, revocable.

use crate::helpers::*;
use orderly_shared::Role;
use serde_json::json;

both_databases! {
    async fn a_partner_key_authenticates_until_it_is_revoked(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let created = app.gql(&admin.bearer(), "mutation { createApiKey(channel: \"Tmall-Flagship\") { key apiKey { id channel prefix revokedAt } } }", json!({})).await;
        assert_eq!(error_code(&created), None, "{created}");
        let data = &created["data"]["createApiKey"];
        let key = data["key"].as_str().unwrap().to_string();
        assert_eq!(data["apiKey"]["channel"], "tmall-flagship");
        assert!(key.starts_with(data["apiKey"]["prefix"].as_str().unwrap()));

        // Only the digest is stored.
        let stored: Vec<String> = {
            use sea_orm::EntityTrait;
            orderly::db::entity::api_key::Entity::find().all(&app.state.db).await.unwrap().into_iter().map(|k| k.key_hash).collect()
        };
        assert!(stored.iter().all(|h| h.len() == 64 && !h.contains(&key)));

        // Authenticated (so a staff-only field is FORBIDDEN rather than UNAUTHENTICATED).
        let as_partner = app.gql(&As::ApiKey(key.clone()), "{ me { email } }", json!({})).await;
        assert_eq!(error_code(&as_partner), Some("FORBIDDEN"));

        let id = data["apiKey"]["id"].clone();
        let revoked = app.gql(&admin.bearer(), "mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }", json!({ "id": id })).await;
        assert!(revoked["data"]["revokeApiKey"]["revokedAt"].is_string(), "{revoked}");
        let after = app.gql(&As::ApiKey(key), "{ me { email } }", json!({})).await;
        assert_eq!(error_code(&after), Some("UNAUTHENTICATED"));
        assert!(error_message(&after).contains("revoked"));

        let listed = app.gql(&admin.bearer(), "{ apiKeys { nodes { channel revokedAt lastUsedAt } } }", json!({})).await;
        let nodes = listed["data"]["apiKeys"]["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), 1);
        assert!(nodes[0]["lastUsedAt"].is_string(), "use is recorded: {listed}");
    }

    async fn a_bad_channel_name_is_refused_and_creates_nothing(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let resp = app.gql(&admin.bearer(), "mutation { createApiKey(channel: \"two words\") { key } }", json!({})).await;
        assert_eq!(field_problems(&resp), vec![("channel".to_string(), "INVALID_CODE".to_string())]);
        assert_eq!((app.count("api_keys").await, app.count("channels").await), (0, 0));
    }
}
