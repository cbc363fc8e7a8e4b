//! Signing in, sessions, refresh rotation and reuse detection, forged tokens, rate limits.

use crate::helpers::*;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use orderly_shared::Role;
use serde_json::{Value, json};

const ME: &str = "{ me { email roles active } }";
const REFRESH: &str = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken expiresAt user { email } } }";
const LOGOUT: &str = "mutation($t: String!) { logout(refreshToken: $t) }";

/// A token signed with `secret`, with chosen claims and algorithm.
fn forge(secret: &str, alg: Algorithm, claims: Value) -> String {
    jsonwebtoken::encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

/// The server's signing secret (generated on first start and kept in the settings table).
async fn server_secret(app: &TestApp) -> String {
    use sea_orm::EntityTrait;
    orderly::db::entity::setting::Entity::find_by_id("jwt_secret".to_string())
        .one(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .value
}

fn claims_of(access: &str) -> Value {
    let payload = access.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

both_databases! {
    async fn signing_in_gives_a_session_and_me_shows_the_user(app) {
        app.user_with("Ann@Shop.example", &[Role::Reviewer, Role::Finance]).await;
        // E-mail is case-insensitive and trimmed.
        let login = app.login("  ann@shop.EXAMPLE ", PASSWORD).await;
        assert_eq!(error_code(&login), None, "{login}");
        let data = &login["data"]["login"];
        assert_eq!(data["user"]["roles"], json!(["REVIEWER", "FINANCE"]));
        let session = session_of(&login);
        let claims = claims_of(&session.access);
        assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 15 * 60);
        let me = app.gql(&session.bearer(), ME, json!({})).await;
        assert_eq!(me["data"]["me"], json!({ "email": "ann@shop.example", "roles": ["REVIEWER", "FINANCE"], "active": true }));
    }

    async fn a_wrong_password_or_unknown_account_gets_one_clear_message(app) {
        app.user_with("bo@shop.example", &[Role::Finance]).await;
        for (email, password) in [("bo@shop.example", "wrong password!"), ("nobody@shop.example", PASSWORD)] {
            let resp = app.login(email, password).await;
            assert_eq!(error_code(&resp), Some("UNAUTHENTICATED"));
            assert_eq!(error_message(&resp), "Email or password is incorrect.");
            assert_eq!(resp["data"], Value::Null);
        }
        assert_eq!(app.count("sessions").await, 0);
    }

    async fn a_refresh_token_rotates_and_its_reuse_ends_the_whole_session(app) {
        let first = app.signed_in("cy@shop.example", &[Role::Warehouse]).await;
        let second = session_of(&app.gql(&As::Anonymous, REFRESH, json!({ "t": first.refresh })).await);
        assert_ne!(second.refresh, first.refresh);
        assert_eq!(error_code(&app.gql(&second.bearer(), ME, json!({})).await), None);

        // The spent token is presented again: refused, and the family is revoked.
        let reuse = app.gql(&As::Anonymous, REFRESH, json!({ "t": first.refresh })).await;
        assert_eq!(error_code(&reuse), Some("UNAUTHENTICATED"));
        assert!(error_message(&reuse).contains("used twice"), "{reuse}");
        let after = app.gql(&As::Anonymous, REFRESH, json!({ "t": second.refresh })).await;
        assert_eq!(error_code(&after), Some("UNAUTHENTICATED"));
        let me = app.gql(&second.bearer(), ME, json!({})).await;
        assert_eq!(error_code(&me), Some("UNAUTHENTICATED"), "access tokens of the family end too");

        // A separate sign-in is unaffected.
        let other = session_of(&app.login("cy@shop.example", PASSWORD).await);
        assert_eq!(error_code(&app.gql(&other.bearer(), ME, json!({})).await), None);
    }

    async fn two_concurrent_refreshes_with_one_token_never_both_succeed(app) {
        let s = app.signed_in("dee@shop.example", &[Role::Finance]).await;
        let (a, b) = tokio::join!(
            app.gql(&As::Anonymous, REFRESH, json!({ "t": s.refresh })),
            app.gql(&As::Anonymous, REFRESH, json!({ "t": s.refresh })),
        );
        let ok = [&a, &b].iter().filter(|r| error_code(r).is_none()).count();
        assert!(ok <= 1, "both refreshes succeeded: {a} {b}");
    }

    async fn logging_out_ends_the_session_and_its_access_token(app) {
        let s = app.signed_in("eve@shop.example", &[Role::CustomerService]).await;
        let out = app.gql(&As::Anonymous, LOGOUT, json!({ "t": s.refresh })).await;
        assert_eq!(out["data"]["logout"], json!(true));
        assert_eq!(error_code(&app.gql(&s.bearer(), ME, json!({})).await), Some("UNAUTHENTICATED"));
        assert_eq!(error_code(&app.gql(&As::Anonymous, REFRESH, json!({ "t": s.refresh })).await), Some("UNAUTHENTICATED"));
        let again = app.gql(&As::Anonymous, LOGOUT, json!({ "t": s.refresh })).await;
        assert_eq!(again["data"]["logout"], json!(false));
    }

    async fn forged_expired_and_foreign_tokens_are_refused(app) {
        let s = app.signed_in("fay@shop.example", &[Role::Admin]).await;
        let secret = server_secret(&app).await;
        let good = claims_of(&s.access);
        let with = |key: &str, value: Value| {
            let mut c = good.clone();
            c[key] = value;
            c
        };
        let header_none = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(good.to_string());
        let mut tampered = s.access.clone();
        tampered.pop();
        tampered.push(if s.access.ends_with('A') { 'B' } else { 'A' });
        let cases = [
            ("alg none", format!("{header_none}.{body}.")),
            ("wrong signature", tampered),
            ("wrong algorithm", forge(&secret, Algorithm::HS512, good.clone())),
            ("wrong audience", forge(&secret, Algorithm::HS256, with("aud", json!("someone-else")))),
            ("wrong issuer", forge(&secret, Algorithm::HS256, with("iss", json!("evil")))),
            ("expired", forge(&secret, Algorithm::HS256, with("exp", json!(chrono::Utc::now().timestamp() - 1)))),
            ("garbage", "not.a.jwt".to_string()),
        ];
        // The unmodified claims re-signed are accepted, so the refusals are about the changes.
        assert_eq!(error_code(&app.gql(&As::Bearer(forge(&secret, Algorithm::HS256, good.clone())), ME, json!({})).await), None);
        for (what, token) in cases {
            let resp = app.gql(&As::Bearer(token), ME, json!({})).await;
            assert_eq!(error_code(&resp), Some("UNAUTHENTICATED"), "{what}: {resp}");
        }
    }

    async fn repeated_failures_lock_the_account_even_for_the_right_password(app) {
        app.user_with("gil@shop.example", &[Role::Finance]).await;
        for _ in 0..5 {
            let resp = app.login("gil@shop.example", "not the password").await;
            assert_eq!(error_code(&resp), Some("UNAUTHENTICATED"));
        }
        let locked = app.login("gil@shop.example", PASSWORD).await;
        assert_eq!(error_code(&locked), Some("RATE_LIMITED"), "{locked}");
        assert!(error_message(&locked).contains("Try again in 15 minute(s)"), "{locked}");
    }

    async fn a_deactivated_user_cannot_sign_in_or_refresh(app) {
        let admin = app.signed_in("root@shop.example", &[Role::Admin]).await;
        let id = app.user_with("hal@shop.example", &[Role::Warehouse]).await;
        let hal = session_of(&app.login("hal@shop.example", PASSWORD).await);
        let resp = app.gql(&admin.bearer(), "mutation($id: ID!) { deactivateUser(id: $id) { active } }", json!({ "id": id })).await;
        assert_eq!(resp["data"]["deactivateUser"]["active"], json!(false), "{resp}");
        assert_eq!(error_code(&app.gql(&hal.bearer(), ME, json!({})).await), Some("UNAUTHENTICATED"));
        assert_eq!(error_code(&app.gql(&As::Anonymous, REFRESH, json!({ "t": hal.refresh })).await), Some("UNAUTHENTICATED"));
        let login = app.login("hal@shop.example", PASSWORD).await;
        assert!(error_message(&login).contains("deactivated"), "{login}");
    }

    async fn changing_a_password_requires_the_current_one_and_ends_sessions(app) {
        let s = app.signed_in("ida@shop.example", &[Role::Reviewer]).await;
        let change = "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }";
        let wrong = app.gql(&s.bearer(), change, json!({ "c": "nope nope nope", "n": "a brand new secret" })).await;
        assert_eq!(field_problems(&wrong), vec![("currentPassword".to_string(), "INCORRECT".to_string())]);
        let short = app.gql(&s.bearer(), change, json!({ "c": PASSWORD, "n": "short" })).await;
        assert_eq!(field_problems(&short), vec![("newPassword".to_string(), "TOO_SHORT".to_string())]);
        let ok = app.gql(&s.bearer(), change, json!({ "c": PASSWORD, "n": "a brand new secret" })).await;
        assert_eq!(ok["data"]["changePassword"], json!(true), "{ok}");
        assert_eq!(error_code(&app.gql(&s.bearer(), ME, json!({})).await), Some("UNAUTHENTICATED"));
        assert_eq!(error_code(&app.login("ida@shop.example", PASSWORD).await), Some("UNAUTHENTICATED"));
        assert_eq!(error_code(&app.login("ida@shop.example", "a brand new secret").await), None);
    }
}

mod limits {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn failures_from_one_address_across_accounts_are_rate_limited() {
        let app = TestApp::spawn_with(Backend::Sqlite, |c| c.login.failures_per_address = 3).await;
        app.user_with("jo@shop.example", &[Role::Finance]).await;
        for i in 0..3 {
            let resp = app
                .login(&format!("guess{i}@shop.example"), "whatever whatever")
                .await;
            assert_eq!(error_code(&resp), Some("UNAUTHENTICATED"));
        }
        let resp = app.login("jo@shop.example", PASSWORD).await;
        assert_eq!(error_code(&resp), Some("RATE_LIMITED"), "{resp}");
        assert!(error_message(&resp).contains("your network address"));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_login_flood_queues_for_a_bounded_number_of_hashing_slots() {
        let app = TestApp::spawn_with(Backend::Sqlite, |c| {
            c.login.concurrent_hashes = 1;
            c.login.hash_queue_timeout = std::time::Duration::from_millis(1);
            c.login.failures_per_address = 1000;
        })
        .await;
        app.user_with("kim@shop.example", &[Role::Finance]).await;
        let attempts = (0..12).map(|_| app.login("kim@shop.example", PASSWORD));
        let results = futures_util::future::join_all(attempts).await;
        let busy = results
            .iter()
            .filter(|r| error_code(r) == Some("RATE_LIMITED"))
            .count();
        let ok = results.iter().filter(|r| error_code(r).is_none()).count();
        assert!(
            busy > 0,
            "with one hashing slot and no patience, a flood must be turned away"
        );
        assert!(ok > 0, "but someone gets through");
        assert!(
            results
                .iter()
                .all(|r| matches!(error_code(r), None | Some("RATE_LIMITED")))
        );
    }
}
