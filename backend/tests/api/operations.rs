//! What operators and scripts rely on: probes, metrics, request ids, query limits, the console's
//! static files, and the command line.

use crate::helpers::*;
use orderly_shared::Role;
use serde_json::json;
use std::io::Write;
use std::process::{Command, Stdio};

fn orderly(app: &TestApp, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_orderly"))
        .args(args)
        .env("DATABASE_URL", app.database_url())
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("orderly runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

both_databases! {
    async fn probes_and_metrics_answer_and_every_response_has_a_request_id(app) {
        let health = app.http.get(app.url("/healthz")).send().await.unwrap();
        assert_eq!(health.status(), 200);
        assert!(health.headers().get("x-request-id").is_some());
        let ready = app.http.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!((ready.status().as_u16(), ready.text().await.unwrap()), (200, "ready".to_string()));
        let metrics = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
        assert!(metrics.contains("orderly_http_requests_total{route=\"/readyz\",method=\"GET\",status=\"200\"}"), "{metrics}");
    }

    async fn the_command_line_bootstraps_an_admin_and_creates_partner_keys(app) {
        let (ok, out, err) = orderly(&app, &["user", "add", "--email", "first@shop.example", "--role", "ADMIN", "--role", "finance", "--password-stdin"], "a long password\n");
        assert!(ok, "{err}");
        assert!(out.contains("created user first@shop.example"));
        let login = app.login("first@shop.example", "a long password").await;
        assert_eq!(login["data"]["login"]["user"]["roles"], json!(["ADMIN", "FINANCE"]), "{login}");

        let (ok, _, err) = orderly(&app, &["user", "add", "--email", "x@shop.example", "--role", "OWNER", "--password-stdin"], "a long password\n");
        assert!(!ok);
        assert!(err.contains("unknown role `OWNER`"), "{err}");
        let (ok, _, err) = orderly(&app, &["user", "add", "--email", "y@shop.example", "--role", "ADMIN", "--password-stdin"], "short\n");
        assert!(!ok);
        assert!(err.contains("password: must be at least 12 characters"), "{err}");

        let (ok, key, err) = orderly(&app, &["api-key", "add", "--channel", "jd-store"], "");
        assert!(ok, "{err}");
        let key = key.trim().to_string();
        assert!(key.starts_with("ork_"), "the key alone goes to stdout: {key}");
        let resp = app.gql(&As::ApiKey(key), "{ me { email } }", json!({})).await;
        assert_eq!(error_code(&resp), Some("FORBIDDEN"), "the key authenticates: {resp}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queries_beyond_the_depth_limit_are_refused_before_they_run() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
    // Introspection nests deeply: ofType thirteen levels down exceeds the limit of 12.
    let mut deep = String::from("name");
    for _ in 0..13 {
        deep = format!("ofType {{ {deep} }}");
    }
    let query = format!("{{ __type(name: \"User\") {{ fields {{ type {{ {deep} }} }} }} }}");
    let resp = app.gql(&admin.bearer(), &query, json!({})).await;
    assert_eq!(error_code(&resp), Some("VALIDATION"), "{resp}");
    assert!(
        error_message(&resp)
            .to_lowercase()
            .contains("nested too deep"),
        "{resp}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_graphql_gets_a_validation_code() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let resp = app.gql(&As::Anonymous, "{ me { ", json!({})).await;
    assert_eq!(error_code(&resp), Some("VALIDATION"), "{resp}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_is_served_with_deep_links_falling_back_to_index_html() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>console</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("style.css"), "body{}").unwrap();
    let console = dir.path().to_path_buf();
    let app = TestApp::spawn_with(Backend::Sqlite, move |c| c.console_dir = console).await;
    let css = app.http.get(app.url("/style.css")).send().await.unwrap();
    assert_eq!(css.text().await.unwrap(), "body{}");
    for path in ["/", "/admin", "/orders/123"] {
        let page = app.http.get(app.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(
            page.text()
                .await
                .unwrap()
                .contains("<title>console</title>"),
            "{path}"
        );
    }
}

both_databases! {
    async fn the_audit_log_cannot_be_edited_or_deleted_even_in_the_database(app) {
        app.user_with("someone@shop.example", &[Role::Finance]).await;
        assert!(app.count("audit_log").await > 0);
        use sea_orm::ConnectionTrait;
        for sql in ["UPDATE audit_log SET actor_label = 'nobody'", "DELETE FROM audit_log"] {
            let err = app.state.db.execute_unprepared(sql).await.expect_err(sql);
            assert!(err.to_string().contains("append-only"), "{sql}: {err}");
        }
    }
}

both_databases! {
    async fn an_internal_failure_names_the_request_id_and_hides_the_details(app) {
        let admin = app.signed_in("boss@shop.example", &[Role::Admin]).await;
        use sea_orm::ConnectionTrait;
        // Break the database under the server: the audit insert of the next change must fail.
        app.state.db.execute_unprepared("DROP TABLE audit_log").await.unwrap();
        let resp = app.http.post(app.url("/graphql")).bearer_auth(&admin.access)
            .json(&json!({ "query": "mutation { createApiKey(channel: \"web\") { key } }" }))
            .send().await.unwrap();
        let request_id = resp.headers()["x-request-id"].to_str().unwrap().to_string();
        let body: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(error_code(&body), Some("INTERNAL"));
        assert_eq!(error_message(&body), format!("Internal error (request id {request_id})."));
        assert!(!body.to_string().to_lowercase().contains("audit_log"), "no internals leak: {body}");
        assert_eq!(app.count("api_keys").await, 0, "the failed change was rolled back");
    }
}

both_databases! {
    async fn products_import_from_csv_all_or_nothing_with_line_numbers(app) {
        let dir = tempfile::tempdir().unwrap();
        let header = "sku,name,category,price,currency,gtin,weight_g,length_mm,width_mm,height_mm,fragile,liquid,high_value";
        let good = dir.path().join("good.csv");
        std::fs::write(&good, format!("{header}\nTEA-1,Oolong,tea,89.00,CNY,4006381333931,250,100,80,60,false,false,false\nMUG-1,Mug,ceramics,39.00,CNY,,380,120,120,110,true,false,false\n")).unwrap();
        let (ok, out, err) = orderly(&app, &["import", "products", good.to_str().unwrap()], "");
        assert!(ok, "{err}");
        assert!(out.contains("imported 2 products"), "{out}");
        let bad = dir.path().join("bad.csv");
        std::fs::write(&bad, format!("{header}\nTEA-1,Oolong v2,tea,99.00,CNY,,250,100,80,60,false,false,false\nCUP-1,Cup,ceramics,free,CNY,4006381333932,380,120,120,110,true,false,false\n")).unwrap();
        let (ok, _, err) = orderly(&app, &["import", "products", bad.to_str().unwrap()], "");
        assert!(!ok);
        assert!(err.contains("line[3].price") && err.contains("line[3].gtin"), "{err}");
        assert_eq!(app.count("products").await, 2, "nothing from the bad file was written");
        use sea_orm::{EntityTrait, QueryFilter, ColumnTrait};
        let tea = orderly::db::entity::product::Entity::find()
            .filter(orderly::db::entity::product::Column::Sku.eq("TEA-1"))
            .one(&app.state.db).await.unwrap().unwrap();
        assert_eq!((tea.name.as_str(), tea.price_minor), ("Oolong", 8900), "the valid row of the bad file was not applied either");
    }
}
