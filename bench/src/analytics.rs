//! `orderly-bench analytics`: the dashboard at scale. Generates `--orders` orders (default
//! 1,000,000) spread over `--months` months (default 12) with their full event history straight
//! into PostgreSQL (`bench/sql/analytics_history.sql`), rebuilds the rollups from those events
//! with `orderly analytics rebuild`, then times every dashboard query over HTTP `--runs` times
//! for the console's default window (30 days) and for the whole year, and streams the orders
//! CSV of the whole year while sampling the server's memory.
//!
//! Usage: orderly-bench analytics [--orders 1000000] [--months 12] [--runs 20] [--reuse [--rebuild]]
//!                                [--reference-seconds 20] [--no-reference]
//! `--reuse` keeps an already generated database of the same size (generation and the rebuild
//! take minutes at a million orders), migrating it to the build's schema; `--rebuild` then folds
//! its rollups again.

use super::{
    WAREHOUSES_CSV, memory_kib, orderly, peak_rss_kib, percentile, products_csv, psql, root,
};
use serde_json::{Value, json};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DB: &str = "orderly_bench_analytics";
const PASSWORD: &str = "bench-analytics-password";

struct Args {
    orders: u64,
    months: u32,
    runs: usize,
    reuse: bool,
    rebuild: bool,
    reference_seconds: u64,
    reference: bool,
}

fn parse(argv: &[String]) -> Args {
    let mut a = Args {
        orders: 1_000_000,
        months: 12,
        runs: 20,
        reuse: false,
        rebuild: false,
        reference_seconds: 20,
        reference: true,
    };
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("flag value").clone();
        match flag.as_str() {
            "--orders" => a.orders = value().parse().unwrap(),
            "--months" => a.months = value().parse().unwrap(),
            "--runs" => a.runs = value().parse().unwrap(),
            "--reuse" => a.reuse = true,
            "--rebuild" => a.rebuild = true,
            "--reference-seconds" => a.reference_seconds = value().parse().unwrap(),
            "--no-reference" => a.reference = false,
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

/// `psql` connected to the bench database.
fn psql_bench() -> Command {
    let mut psql = Command::new("psql");
    psql.args(["-h", "127.0.0.1", "-U", "postgres", "-d", DB]);
    psql
}

/// One value from `psql -qAt` on the bench database.
fn scalar(sql: &str) -> Option<String> {
    let out = psql_bench()
        .args(["-qAt", "-c", sql])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Fresh database with the catalogue, warehouses, two channels and a signed-in admin; then the
/// history generated in SQL and the rollups rebuilt from it.
fn generate(db_url: &str, a: &Args) {
    psql(&format!("DROP DATABASE IF EXISTS {DB} WITH (FORCE)"));
    psql(&format!("CREATE DATABASE {DB}"));
    orderly(db_url, &["migrate"], None);
    let dir = std::env::temp_dir();
    for (what, text) in [
        ("products", products_csv(1000)),
        ("warehouses", WAREHOUSES_CSV.to_string()),
    ] {
        let path = dir.join(format!("orderly-bench-analytics-{what}.csv"));
        std::fs::write(&path, text).unwrap();
        orderly(db_url, &["import", what, path.to_str().unwrap()], None);
    }
    for channel in ["web-store", "mobile-app"] {
        orderly(db_url, &["api-key", "add", "--channel", channel], None);
    }
    orderly(
        db_url,
        &[
            "user",
            "add",
            "--email",
            "bench@orderly.example",
            "--role",
            "ADMIN",
            "--password-stdin",
        ],
        Some(PASSWORD),
    );
    let started = Instant::now();
    let status = psql_bench()
        .args(["-q", "-v", "ON_ERROR_STOP=1"])
        .arg("-v")
        .arg(format!("orders={}", a.orders))
        .arg("-v")
        .arg(format!("months={}", a.months))
        .arg("-f")
        .arg(root().join("bench/sql/analytics_history.sql"))
        .status()
        .expect("psql");
    assert!(status.success(), "generating the history failed");
    println!(
        "generated orders={} months={} in {:.0}s",
        a.orders,
        a.months,
        started.elapsed().as_secs_f64()
    );
    rebuild(db_url);
}

/// The rollups folded from the events by `orderly analytics rebuild`, as in production.
fn rebuild(db_url: &str) {
    let started = Instant::now();
    let out = orderly(db_url, &["analytics", "rebuild"], None);
    println!(
        "rebuild: {} in {:.0}s",
        out.trim(),
        started.elapsed().as_secs_f64()
    );
    scalar("VACUUM ANALYZE").expect("VACUUM ANALYZE");
}

/// The console's dashboard, one query per figure as the page asks for them.
const QUERIES: &[(&str, &str)] = &[
    (
        "volume",
        "volume { period channel orders value { amount currency } }",
    ),
    (
        "leadTimes",
        "leadTimes { group stages { stage orders p50Seconds p90Seconds p99Seconds } }",
    ),
    (
        "leadTimes(WAREHOUSE)",
        "leadTimes(breakdown: WAREHOUSE) { group stages { stage p90Seconds } }",
    ),
    (
        "bottleneck",
        "bottleneck { stage p90Seconds previousP90Seconds }",
    ),
    ("waiting", "waiting { stage orders oldestSince }"),
    (
        "stuckOrders",
        "stuckOrders(first: 20) { nodes { stage since order { number status } } }",
    ),
    ("holds", "holds { orders held byReason { code orders } }"),
    (
        "carriers",
        "carriers { carrier shipped exceptionRate slaBreachRate returnRate }",
    ),
    (
        "returns",
        "returns { delivered returned byReason { reason cases } }",
    ),
    (
        "returnsBySku",
        "returnsBySku { sku soldUnits returnedUnits }",
    ),
    (
        "refunds",
        "refunds { orders refunded totals { status refunds amount { amount } } }",
    ),
    ("ratings", "ratings { ratings average }"),
    ("stockouts", "stockouts { sku units waitingUnits }"),
    // What the console's dashboard asks for in its one request (frontend/src/api/ops/analytics.rs).
    (
        "whole dashboard",
        "from to volume { period channel orders value { amount currency } } \
         leadTimes { group stages { stage orders p50Seconds p90Seconds p99Seconds } } \
         bottleneck { stage p90Seconds previousP90Seconds changeSeconds } \
         waiting { stage orders oldestSince } holds { orders held rate byReason { code orders rate } } \
         carriers { carrier shipped delivered withExceptions exceptionRate slaBreached slaBreachRate returned returnRate } \
         returns { delivered returned rate byReason { reason cases } } \
         returnsBySku(first: 5) { sku soldUnits returnedUnits rate } \
         refunds { orders refunded rate totals { status refunds amount { amount currency } } } \
         ratings { ratings average } stockouts(first: 5) { sku orders units waitingUnits }",
    ),
];

async fn gql(http: &reqwest::Client, base: &str, token: &str, query: &str) -> Value {
    let mut request = http.post(format!("{base}/graphql"));
    if !token.is_empty() {
        request = request.bearer_auth(token);
    }
    let v: Value = request
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v.get("errors").is_none(), "{query}: {v}");
    v
}

fn rss_kib(pid: u32) -> u64 {
    memory_kib(pid, "VmRSS:")
}

/// `orderly serve` on the bench database, once it answers.
async fn serve(db_url: &str) -> (std::process::Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = Command::new(root().join("target/release/orderly"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "error")
        .env("ORDERLY_CONSOLE_DIR", "/nonexistent")
        // The generated history stays as generated: no auto-completion or SLA checks meanwhile.
        .env("ORDERLY_BACKGROUND_JOBS", "0")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (server, base)
}

async fn sign_in(http: &reqwest::Client, base: &str) -> String {
    let login = gql(
        http,
        base,
        "",
        &format!("mutation {{ login(email: \"bench@orderly.example\", password: \"{PASSWORD}\") {{ accessToken }} }}"),
    )
    .await;
    login["data"]["login"]["accessToken"]
        .as_str()
        .unwrap()
        .to_string()
}

pub async fn run(argv: &[String]) {
    let a = parse(argv);
    let admin = std::env::var("ORDERLY_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let db_url = format!("{admin}/{DB}");
    let have: u64 = scalar("SELECT count(*) FROM order_facts")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    if a.reuse && have == a.orders {
        println!("reusing {DB} with {have} orders");
        // A newer build may bring migrations (and rollups that need folding again).
        orderly(&db_url, &["migrate"], None);
        if a.rebuild {
            rebuild(&db_url);
        }
    } else {
        generate(&db_url, &a);
    }
    // The newest order: the windows end there, as on the day the data was "live".
    let newest = scalar("SELECT to_char(max(placed_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM order_facts").unwrap();
    let year_from = scalar(&format!(
        "SELECT to_char(('{newest}'::timestamptz - interval '{} months') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        a.months
    ))
    .unwrap();
    let month_from = scalar(&format!(
        "SELECT to_char(('{newest}'::timestamptz - interval '30 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    ))
    .unwrap();

    let (mut server, base) = serve(&db_url).await;
    let http = reqwest::Client::new();
    let token = sign_in(&http, &base).await;

    for (label, from) in [("30 days", &month_from), ("12 months", &year_from)] {
        let window = format!("filter: {{ from: \"{from}\", to: \"{newest}\" }}");
        let orders = gql(
            &http,
            &base,
            &token,
            &format!("{{ analytics({window}) {{ holds {{ orders }} }} }}"),
        )
        .await["data"]["analytics"]["holds"]["orders"]
            .as_i64()
            .unwrap();
        println!("window {label} ({orders} orders):");
        let mut worst = 0.0f64;
        for (name, fields) in QUERIES {
            let query = format!("{{ analytics({window}) {{ {fields} }} }}");
            gql(&http, &base, &token, &query).await; // warm-up
            let mut micros = Vec::with_capacity(a.runs);
            for _ in 0..a.runs {
                let started = Instant::now();
                gql(&http, &base, &token, &query).await;
                micros.push(started.elapsed().as_micros() as u64);
            }
            micros.sort_unstable();
            let p95 = percentile(&micros, 0.95);
            worst = worst.max(p95);
            println!(
                "  {name:<22} p50={:>8.1} ms  p95={p95:>8.1} ms",
                percentile(&micros, 0.50)
            );
        }
        println!("  worst_p95_ms={worst:.1}");
    }

    // The whole year's orders as CSV, read as it streams, the server's memory sampled: on a
    // fresh server, so the heap the year's queries grew does not count.
    let _ = server.kill();
    let _ = server.wait();
    let (mut server, base) = serve(&db_url).await;
    let token = sign_in(&http, &base).await;
    let idle_rss = rss_kib(server.id());
    let url = format!("{base}/exports/orders.csv?from={year_from}&to={newest}");
    let started = Instant::now();
    let mut response = http.get(url).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let (mut bytes, mut rows, mut peak) = (0u64, 0u64, 0u64);
    let mut last_sample = Instant::now();
    while let Some(chunk) = response.chunk().await.unwrap() {
        bytes += chunk.len() as u64;
        rows += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        if last_sample.elapsed() > Duration::from_millis(20) {
            peak = peak.max(rss_kib(server.id()));
            last_sample = Instant::now();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "orders.csv: rows={} bytes={} in {secs:.1}s ({:.0} rows/s)",
        rows.saturating_sub(1),
        bytes,
        rows as f64 / secs
    );
    println!(
        "server_rss_mib idle={:.0} peak_during_export={:.0} high_water={:.0}",
        idle_rss as f64 / 1024.0,
        peak as f64 / 1024.0,
        peak_rss_kib(server.id()) as f64 / 1024.0
    );
    let _ = server.kill();
    let _ = server.wait();

    if a.reference {
        let out = Command::new("bash")
            .arg(root().join("../shared/bench/reference.sh"))
            .arg(a.reference_seconds.to_string())
            .output()
            .expect("reference.sh");
        print!("{}", String::from_utf8_lossy(&out.stdout));
    }
}
