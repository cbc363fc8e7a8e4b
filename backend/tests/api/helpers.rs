//! The test harness: `TestApp::spawn(Backend::X)` migrates a fresh database (a temporary SQLite
//! file, or a uniquely named PostgreSQL database dropped afterwards) and serves the real router.

use orderly::app::{self, AppState};
use orderly::config::Config;
use orderly::domain::auth::Actor;
use orderly::service::{api_keys, users};
use orderly_shared::Role;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use std::net::SocketAddr;

pub const PASSWORD: &str = "correct horse battery";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs each test body once per database: `mod name { fn sqlite(); fn postgres(); }`.
macro_rules! both_databases {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let $app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Sqlite).await;
                    $body
                    $app.assert_stock_invariants().await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let $app = crate::helpers::TestApp::spawn(crate::helpers::Backend::Postgres).await;
                    $body
                    $app.assert_stock_invariants().await;
                }
            }
        )*
    };
}
pub(crate) use both_databases;

/// Like `both_databases!`, for tests that start their own app: the body gets the `Backend`.
macro_rules! each_backend {
    ($(async fn $name:ident($backend:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let $backend = crate::helpers::Backend::Sqlite;
                    $body
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let $backend = crate::helpers::Backend::Postgres;
                    $body
                }
            }
        )*
    };
}
pub(crate) use each_backend;

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub http: reqwest::Client,
    _db: TestDb,
}

/// Credentials a request is made with.
#[derive(Debug, Clone)]
pub enum As {
    Anonymous,
    Bearer(String),
    ApiKey(String),
}

/// A signed-in session from `login`.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
}

impl Session {
    pub fn bearer(&self) -> As {
        As::Bearer(self.access.clone())
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
        // Every reqwest client of the process needs a TLS provider, tests' ones too.
        orderly::service::webhooks::deliver::install_tls_provider();
        let db = TestDb::create(backend).await;
        let mut config = Config::for_database(db.url.clone());
        tweak(&mut config);
        let state = AppState::start(config).await.expect("app starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(app::serve(state.clone(), listener));
        TestApp {
            addr,
            state,
            http: reqwest::Client::new(),
            _db: db,
        }
    }

    /// A second server process's worth of state on the same database (a replica).
    pub async fn replica(&self) -> TestApp {
        self.replica_with(|_| {}).await
    }

    /// [`TestApp::replica`] with its configuration adjusted.
    pub async fn replica_with(&self, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_database(self._db.url.clone());
        tweak(&mut config);
        let state = AppState::start(config).await.expect("replica starts");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(app::serve(state.clone(), listener));
        let db = TestDb {
            url: self._db.url.clone(),
            cleanup: None,
            _dir: None,
        };
        TestApp {
            addr,
            state,
            http: reqwest::Client::new(),
            _db: db,
        }
    }

    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// POSTs a GraphQL operation and returns the whole JSON response.
    pub async fn gql(&self, who: &As, query: &str, variables: Value) -> Value {
        let mut req = self
            .http
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        match who {
            As::Anonymous => {}
            As::Bearer(token) => req = req.bearer_auth(token),
            As::ApiKey(key) => req = req.header("x-api-key", key),
        }
        let resp = req.send().await.expect("request");
        assert!(resp.status().is_success(), "HTTP {}", resp.status());
        resp.json().await.expect("json")
    }

    /// A staff user created directly through the service (as the CLI would).
    pub async fn user_with(&self, email: &str, roles: &[Role]) -> String {
        let input = users::CreateUser {
            email: email.into(),
            display_name: email.split('@').next().unwrap_or("x").into(),
            password: PASSWORD.into(),
            roles: roles.to_vec(),
            warehouse_codes: vec![],
        };
        let user = users::create(
            &self.state.db,
            &self.state.auth,
            &self.state.bus,
            &Actor::Cli,
            input,
        )
        .await
        .expect("user created");
        user.id.to_string()
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.gql(
            &As::Anonymous,
            "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken expiresAt user { id email roles } } }",
            json!({ "e": email, "p": password }),
        )
        .await
    }

    /// Creates a user with `roles` and signs them in.
    pub async fn signed_in(&self, email: &str, roles: &[Role]) -> Session {
        self.user_with(email, roles).await;
        session_of(&self.login(email, PASSWORD).await)
    }

    pub async fn partner_key(&self, channel: &str) -> String {
        self.api_key(channel).await.0
    }

    /// A new partner key for `channel`: `(key, id)`.
    pub async fn api_key(&self, channel: &str) -> (String, String) {
        let (key, row) = api_keys::create(&self.state.db, &self.state.bus, &Actor::Cli, channel)
            .await
            .expect("key");
        (key.expose().to_string(), row.id.to_string())
    }

    /// Rows in a table, to prove that refused operations wrote nothing.
    pub async fn count(&self, table: &str) -> i64 {
        let backend = self.state.db.get_database_backend();
        let row = self
            .state
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .expect("count")
            .expect("a row");
        row.try_get::<i64>("", "n").expect("n")
    }
}

pub fn session_of(login: &Value) -> Session {
    let data = login
        .pointer("/data/login")
        .or_else(|| login.pointer("/data/refreshSession"))
        .unwrap_or_else(|| panic!("no session in {login}"));
    Session {
        access: data["accessToken"].as_str().expect("access").to_string(),
        refresh: data["refreshToken"].as_str().expect("refresh").to_string(),
    }
}

/// The `extensions.code` of the first error, if any.
pub fn error_code(resp: &Value) -> Option<&str> {
    resp.pointer("/errors/0/extensions/code")
        .and_then(Value::as_str)
}

pub fn error_message(resp: &Value) -> &str {
    resp.pointer("/errors/0/message")
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// `(path, code)` of every field problem of a VALIDATION error.
pub fn field_problems(resp: &Value) -> Vec<(String, String)> {
    resp.pointer("/errors/0/extensions/fields")
        .and_then(Value::as_array)
        .map(|fields| {
            fields
                .iter()
                .map(|f| {
                    (
                        f["path"].as_str().unwrap_or("").to_string(),
                        f["code"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A database that lives as long as the test.
pub struct TestDb {
    pub url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

fn pg_admin_url() -> String {
    std::env::var("ORDERLY_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

impl TestDb {
    /// A fresh, empty database (no schema) on `backend`.
    pub async fn create(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("tempdir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                TestDb {
                    url,
                    cleanup: None,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let admin = pg_admin_url();
                let name = format!("orderly_test_{}", uuid::Uuid::new_v4().simple());
                let conn = Database::connect(format!("{admin}/postgres"))
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL at {admin} is needed for the postgres tests: {e}")
                    });
                conn.execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                conn.close().await.ok();
                TestDb {
                    url: format!("{admin}/{name}"),
                    cleanup: Some((admin, name)),
                    _dir: None,
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.cleanup.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread does the cleanup.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                if let Ok(conn) = Database::connect(format!("{admin}/postgres")).await {
                    let _ = conn
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await;
                    let _ = conn.close().await;
                }
            });
        })
        .join();
    }
}

/// A graphql-transport-ws client connection.
pub struct Ws {
    stream: tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
}

impl TestApp {
    /// Connects to `/graphql/ws` and sends `connection_init` with `payload`. `Err` carries why the
    /// server refused the connection.
    pub async fn ws(&self, payload: Value) -> Result<Ws, String> {
        use futures_util::{SinkExt, StreamExt};
        use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};
        let mut request = format!("ws://{}/graphql/ws", self.addr)
            .into_client_request()
            .expect("request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            "graphql-transport-ws".parse().expect("header"),
        );
        let (mut stream, _) = tokio_tungstenite::connect_async(request)
            .await
            .map_err(|e| e.to_string())?;
        let init = json!({ "type": "connection_init", "payload": payload });
        stream
            .send(Message::text(init.to_string()))
            .await
            .map_err(|e| e.to_string())?;
        match tokio::time::timeout(std::time::Duration::from_secs(5), stream.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                let msg: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
                if msg["type"] == "connection_ack" {
                    Ok(Ws { stream })
                } else {
                    Err(msg.to_string())
                }
            }
            Ok(Some(Ok(Message::Close(frame)))) => {
                Err(frame.map(|f| f.reason.to_string()).unwrap_or_default())
            }
            other => Err(format!("{other:?}")),
        }
    }
}

impl Ws {
    pub async fn subscribe(&mut self, id: &str, query: &str) {
        use futures_util::SinkExt;
        let msg = json!({ "id": id, "type": "subscribe", "payload": { "query": query } });
        self.stream
            .send(tokio_tungstenite::tungstenite::Message::text(
                msg.to_string(),
            ))
            .await
            .expect("send subscribe");
    }

    /// The next `next`/`error` message's payload, or `None` if nothing came within `secs`.
    pub async fn next_payload(&mut self, secs: u64) -> Option<Value> {
        use futures_util::StreamExt;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let msg = tokio::time::timeout_at(deadline, self.stream.next())
                .await
                .ok()??
                .ok()?;
            let Ok(text) = msg.into_text() else { continue };
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            match value["type"].as_str() {
                Some("next") => return Some(value["payload"].clone()),
                Some("error") => return Some(json!({ "errors": value["payload"] })),
                _ => continue,
            }
        }
    }
}

impl TestApp {
    /// Adds an active product to the catalogue.
    pub async fn product(&self, sku: &str, price_minor: i64, currency: &str) {
        use orderly::db::entity::product;
        use sea_orm::{ActiveValue::Set, EntityTrait};
        let now = chrono::Utc::now();
        product::Entity::insert(product::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            sku: Set(sku.into()),
            name: Set(format!("Product {sku}")),
            category: Set("test".into()),
            price_minor: Set(price_minor),
            currency: Set(currency.into()),
            gtin: Set(None),
            attributes: Set("{}".into()),
            weight_g: Set(500),
            length_mm: Set(100),
            width_mm: Set(100),
            height_mm: Set(100),
            fragile: Set(false),
            liquid: Set(false),
            high_value: Set(false),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec(&self.state.db)
        .await
        .expect("product");
    }

    /// After every test: each bin's on hand and reserved equal its ledger's sums, and reserved
    /// equals its active reservations (nothing oversold, nothing released twice).
    pub async fn assert_stock_invariants(&self) {
        let backend = self.state.db.get_database_backend();
        let sql = "SELECT s.sku AS sku, s.on_hand AS on_hand, s.reserved AS reserved, \
             CAST(COALESCE((SELECT SUM(l.on_hand_delta) FROM stock_ledger l WHERE l.stock_id = s.id), 0) AS BIGINT) AS ledger_on_hand, \
             CAST(COALESCE((SELECT SUM(l.reserved_delta) FROM stock_ledger l WHERE l.stock_id = s.id), 0) AS BIGINT) AS ledger_reserved, \
             CAST(COALESCE((SELECT SUM(r.quantity) FROM reservations r WHERE r.stock_id = s.id AND r.state = 'ACTIVE'), 0) AS BIGINT) AS held \
             FROM stock s";
        let rows = self
            .state
            .db
            .query_all_raw(sea_orm::Statement::from_string(backend, sql))
            .await
            .expect("invariant query");
        for row in rows {
            let sku: String = row.try_get("", "sku").expect("sku");
            let on_hand = i64::from(row.try_get::<i32>("", "on_hand").expect("on_hand"));
            let reserved = i64::from(row.try_get::<i32>("", "reserved").expect("reserved"));
            let ledger = (
                row.try_get::<i64>("", "ledger_on_hand").expect("ledger"),
                row.try_get::<i64>("", "ledger_reserved").expect("ledger"),
            );
            let held: i64 = row.try_get("", "held").expect("held");
            assert_eq!(
                (on_hand, reserved),
                ledger,
                "{sku}: stock differs from its ledger"
            );
            assert_eq!(
                reserved, held,
                "{sku}: reserved differs from active reservations"
            );
            assert!(
                on_hand >= 0 && reserved >= 0 && reserved <= on_hand,
                "{sku}: {on_hand}/{reserved}"
            );
        }
    }

    /// Adds warehouses from `code,region,city` triples (all in CN).
    pub async fn warehouses(&self, rows: &[(&str, &str, &str)]) {
        let mut csv =
            String::from("code,name,country,region,city,postal_code,latitude,longitude\n");
        for (code, region, city) in rows {
            csv.push_str(&format!("{code},{city} DC,CN,{region},{city},,,\n"));
        }
        orderly::service::stock::import::import_warehouses(
            &self.state.db,
            &self.state.bus,
            &Actor::Cli,
            &csv,
        )
        .await
        .expect("warehouses");
    }

    /// Receives `quantity` units of `sku` into a bin of a warehouse.
    pub async fn receive(&self, warehouse: &str, bin: &str, sku: &str, quantity: i32) {
        use orderly::service::stock::{self, Place, StockChange};
        stock::change(
            &self.state.db,
            &self.state.bus,
            &Actor::Cli,
            StockChange {
                place: Place {
                    warehouse_code: warehouse.into(),
                    bin: bin.into(),
                    sku: sku.into(),
                },
                kind: orderly_shared::StockMovementKind::Receipt,
                quantity,
                reason: "test receipt".into(),
                reference: "test".into(),
            },
        )
        .await
        .expect("receipt");
    }

    /// `(on_hand, reserved)` of a SKU summed over every bin, and the same from the ledger's sums:
    /// the two must always agree.
    pub async fn stock_of(&self, sku: &str) -> ((i64, i64), (i64, i64)) {
        let backend = self.state.db.get_database_backend();
        let one = |sql: String| {
            let db = self.state.db.clone();
            async move {
                let row = db
                    .query_one_raw(sea_orm::Statement::from_string(backend, sql))
                    .await
                    .expect("sum")
                    .expect("a row");
                (
                    row.try_get::<Option<i64>>("", "a").expect("a").unwrap_or(0),
                    row.try_get::<Option<i64>>("", "b").expect("b").unwrap_or(0),
                )
            }
        };
        let levels = one(format!(
            "SELECT CAST(SUM(on_hand) AS BIGINT) AS a, CAST(SUM(reserved) AS BIGINT) AS b FROM stock WHERE sku = '{sku}'"
        ))
        .await;
        let ledger = one(format!(
            "SELECT CAST(SUM(on_hand_delta) AS BIGINT) AS a, CAST(SUM(reserved_delta) AS BIGINT) AS b FROM stock_ledger WHERE sku = '{sku}'"
        ))
        .await;
        (levels, ledger)
    }

    /// POSTs a payment callback signed with `secret` at `timestamp`; returns (status, body).
    pub async fn payment_callback(
        &self,
        body: &Value,
        secret: &str,
        timestamp: i64,
    ) -> (u16, Value) {
        let raw = body.to_string();
        let sig = orderly::domain::signature::sign(secret.as_bytes(), timestamp, raw.as_bytes());
        let resp = self
            .http
            .post(self.url("/webhooks/payments/simulated"))
            .header("content-type", "application/json")
            .header("Orderly-Signature", sig)
            .body(raw)
            .send()
            .await
            .expect("callback");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub fn payment_secret(&self) -> String {
        self.state.payment_webhook_secret.expose().to_string()
    }
}

/// A real SMTP server on loopback that keeps every message it receives.
pub struct SmtpSink {
    pub addr: SocketAddr,
    pub messages: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind smtp");
        let addr = listener.local_addr().expect("addr");
        let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = socket.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    let mut data: Option<String> = None;
                    while let Ok(Some(line)) = lines.next_line().await {
                        if let Some(body) = data.as_mut() {
                            if line == "." {
                                store.lock().unwrap().push(data.take().unwrap_or_default());
                                let _ = write.write_all(b"250 queued\r\n").await;
                            } else {
                                body.push_str(&line);
                                body.push('\n');
                            }
                            continue;
                        }
                        let verb = line
                            .split_whitespace()
                            .next()
                            .unwrap_or("")
                            .to_ascii_uppercase();
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 ok\r\n",
                            "DATA" => {
                                data = Some(String::new());
                                b"354 go ahead\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 bye\r\n").await;
                                break;
                            }
                            _ => b"502 not implemented\r\n",
                        };
                        let _ = write.write_all(reply).await;
                    }
                });
            }
        });
        SmtpSink { addr, messages }
    }

    pub fn received(&self) -> Vec<String> {
        self.messages.lock().unwrap().clone()
    }
}
