//! User administration by an ADMIN.

use crate::helpers::*;
use orderly_shared::Role;
use serde_json::json;

const CREATE: &str = "mutation($input: CreateUserInput!) { createUser(input: $input) { id email displayName roles warehouseCodes active } }";

both_databases! {
    async fn an_admin_creates_a_user_who_can_then_sign_in(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let input = json!({ "email": "Wu@Shop.example", "displayName": " Wu Wei ", "password": "a long password", "roles": ["WAREHOUSE"], "warehouseCodes": ["sh1"] });
        let resp = app.gql(&admin.bearer(), CREATE, json!({ "input": input })).await;
        assert_eq!(error_code(&resp), None, "{resp}");
        let user = &resp["data"]["createUser"];
        assert_eq!(user["email"], "wu@shop.example");
        assert_eq!(user["displayName"], "Wu Wei");
        assert_eq!(user["roles"], json!(["WAREHOUSE"]));
        assert_eq!(user["warehouseCodes"], json!(["SH1"]));
        let login = app.login("wu@shop.example", "a long password").await;
        assert_eq!(login["data"]["login"]["user"]["roles"], json!(["WAREHOUSE"]), "{login}");

        let audit = app.gql(&admin.bearer(), "{ auditLog(first: 5) { nodes { action actor targetId } } }", json!({})).await;
        let created = audit["data"]["auditLog"]["nodes"].as_array().unwrap().iter()
            .find(|e| e["action"] == "user.created").cloned().expect("audited");
        assert_eq!(created["actor"], "boss@shop.example");
        assert_eq!(created["targetId"], user["id"]);
    }

    async fn every_problem_with_a_new_user_is_reported_at_once_and_nothing_is_written(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let before = (app.count("users").await, app.count("audit_log").await);
        let input = json!({ "email": "not-an-email", "displayName": "", "password": "short", "roles": [] });
        let resp = app.gql(&admin.bearer(), CREATE, json!({ "input": input })).await;
        assert_eq!(error_code(&resp), Some("VALIDATION"));
        assert_eq!(
            field_problems(&resp),
            [("email", "INVALID_EMAIL"), ("displayName", "REQUIRED"), ("password", "TOO_SHORT"), ("roles", "REQUIRED")]
                .map(|(p, c)| (p.to_string(), c.to_string()))
        );
        assert_eq!((app.count("users").await, app.count("audit_log").await), before);
    }

    async fn a_second_user_with_the_same_email_is_a_conflict(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let input = json!({ "email": "dup@shop.example", "displayName": "D", "password": "a long password", "roles": ["FINANCE"] });
        assert_eq!(error_code(&app.gql(&admin.bearer(), CREATE, json!({ "input": input })).await), None);
        let again = json!({ "email": "DUP@shop.example", "displayName": "D2", "password": "a long password", "roles": ["ADMIN"] });
        let resp = app.gql(&admin.bearer(), CREATE, json!({ "input": again })).await;
        assert_eq!(error_code(&resp), Some("CONFLICT"));
        assert!(error_message(&resp).contains("dup@shop.example"));
    }

    async fn role_changes_take_effect_on_the_next_request(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let id = app.user_with("fin@shop.example", &[Role::Finance]).await;
        let fin = session_of(&app.login("fin@shop.example", PASSWORD).await);
        let users = "{ users { nodes { email } } }";
        assert_eq!(error_code(&app.gql(&fin.bearer(), users, json!({})).await), Some("FORBIDDEN"));
        let set = "mutation($id: ID!, $r: [Role!]!) { setUserRoles(id: $id, roles: $r) { roles } }";
        let resp = app.gql(&admin.bearer(), set, json!({ "id": id, "r": ["FINANCE", "ADMIN"] })).await;
        assert_eq!(resp["data"]["setUserRoles"]["roles"], json!(["ADMIN", "FINANCE"]), "{resp}");
        assert_eq!(error_code(&app.gql(&fin.bearer(), users, json!({})).await), None);
        let empty = app.gql(&admin.bearer(), set, json!({ "id": id, "r": [] })).await;
        assert_eq!(field_problems(&empty), vec![("roles".to_string(), "REQUIRED".to_string())]);
    }

    async fn an_admin_cannot_lock_themselves_out(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let me = app.gql(&admin.bearer(), "{ me { id } }", json!({})).await;
        let id = me["data"]["me"]["id"].clone();
        let off = app.gql(&admin.bearer(), "mutation($id: ID!) { deactivateUser(id: $id) { active } }", json!({ "id": id })).await;
        assert_eq!(field_problems(&off), vec![("id".to_string(), "SELF_LOCKOUT".to_string())]);
        let demote = app.gql(&admin.bearer(), "mutation($id: ID!) { setUserRoles(id: $id, roles: [FINANCE]) { roles } }", json!({ "id": id })).await;
        assert_eq!(field_problems(&demote), vec![("roles".to_string(), "SELF_LOCKOUT".to_string())]);
    }

    async fn unknown_and_malformed_user_ids_are_precise_errors(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        let q = "mutation($id: ID!) { reactivateUser(id: $id) { active } }";
        let missing = app.gql(&admin.bearer(), q, json!({ "id": uuid::Uuid::now_v7().to_string() })).await;
        assert_eq!(error_code(&missing), Some("NOT_FOUND"));
        let malformed = app.gql(&admin.bearer(), q, json!({ "id": "42" })).await;
        assert_eq!(field_problems(&malformed), vec![("id".to_string(), "INVALID_ID".to_string())]);
    }

    async fn the_user_list_pages_with_cursors(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        for i in 0..4 {
            app.user_with(&format!("p{i}@shop.example"), &[Role::Finance]).await;
        }
        let page = "query($a: String) { users(first: 2, after: $a) { nodes { email } pageInfo { hasNextPage endCursor } } }";
        let mut seen = Vec::new();
        let mut after = serde_json::Value::Null;
        loop {
            let resp = app.gql(&admin.bearer(), page, json!({ "a": after })).await;
            let conn = &resp["data"]["users"];
            seen.extend(conn["nodes"].as_array().unwrap().iter().map(|n| n["email"].as_str().unwrap().to_string()));
            if conn["pageInfo"]["hasNextPage"] != true { break; }
            after = conn["pageInfo"]["endCursor"].clone();
        }
        assert_eq!(seen, ["boss", "p0", "p1", "p2", "p3"].map(|n| format!("{n}@shop.example")));
        let bad = app.gql(&admin.bearer(), page, json!({ "a": "bogus!" })).await;
        assert_eq!(field_problems(&bad), vec![("after".to_string(), "INVALID_CURSOR".to_string())]);
        let too_many = app.gql(&admin.bearer(), "{ users(first: 1000) { nodes { email } } }", json!({})).await;
        assert_eq!(field_problems(&too_many), vec![("first".to_string(), "OUT_OF_RANGE".to_string())]);
    }
}
