//! `orderly-bench`: N concurrent partners calling `placeOrder` over HTTP against a real
//! `orderly serve`, for a fixed time after a warm-up; then the zero-oversell check against the
//! database, and the bare-PostgreSQL reference (`../shared/bench/reference.sh`) in the same run
//! with the ratio.
//!
//! `orderly-bench analytics …`: the dashboard's queries and the orders CSV at a million orders
//! (see `analytics.rs`).
//!
//! Usage: orderly-bench intake|hot [--clients N] [--warmup 5] [--seconds 20] [--rate ORDERS_PER_S]
//!                                 [--skus 1000] [--units N] [--database postgres|sqlite]
//!                                 [--reference-seconds 20] [--no-reference]
//! `intake`: orders of three lines over `--skus` products (8 clients by default), compared with
//! L_commit. `hot`: every order one unit of one SKU (32 clients by default), compared with L_hot.
//! `--units` is the stock per SKU (default: plenty; make it small to fight over the last units).
//! Needs a release build of the server (`cargo build --release -p orderly`) and PostgreSQL at
//! ORDERLY_BENCH_PG (default postgres://postgres@127.0.0.1:5432), also for the reference.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: failing loudly is right

mod analytics;
mod check;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Intake,
    Hot,
}

struct Args {
    mode: Mode,
    sqlite: bool,
    units: u64,
    clients: usize,
    warmup: u64,
    seconds: u64,
    rate: Option<f64>,
    skus: usize,
    reference_seconds: u64,
    reference: bool,
}

fn parse_args() -> Args {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let mode = match argv.first().map(String::as_str) {
        Some("intake") => Mode::Intake,
        Some("hot") => Mode::Hot,
        _ => panic!("usage: orderly-bench intake|hot|analytics [options]"),
    };
    let mut a = Args {
        mode,
        sqlite: false,
        units: 1_000_000,
        clients: if mode == Mode::Hot { 32 } else { 8 },
        warmup: 5,
        seconds: 20,
        rate: None,
        skus: 1000,
        reference_seconds: 20,
        reference: true,
    };
    let mut it = argv.iter().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().expect("flag value").clone();
        match flag.as_str() {
            "--clients" => a.clients = value().parse().unwrap(),
            "--warmup" => a.warmup = value().parse().unwrap(),
            "--seconds" => a.seconds = value().parse().unwrap(),
            "--rate" => a.rate = Some(value().parse().unwrap()),
            "--skus" => a.skus = value().parse().unwrap(),
            "--reference-seconds" => a.reference_seconds = value().parse().unwrap(),
            "--no-reference" => a.reference = false,
            "--units" => a.units = value().parse().unwrap(),
            "--database" => a.sqlite = value() == "sqlite",
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn psql(sql: &str) {
    let status = Command::new("psql")
        .args([
            "-qAt",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-c",
            sql,
        ])
        .status()
        .expect("psql");
    assert!(status.success(), "psql {sql}");
}

fn orderly(db_url: &str, args: &[&str], stdin: Option<&str>) -> String {
    use std::io::Write;
    let mut child = Command::new(root().join("target/release/orderly"))
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("target/release/orderly (cargo build --release -p orderly)");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "orderly {args:?} failed");
    String::from_utf8(out.stdout).unwrap()
}

fn products_csv(n: usize) -> String {
    let mut csv = String::from(
        "sku,name,category,price,currency,gtin,weight_g,length_mm,width_mm,height_mm,fragile,liquid,high_value\n",
    );
    for i in 0..n {
        csv.push_str(&format!(
            "SKU-{i:05},Bench product {i},bench,{}.90,CNY,,300,100,100,100,false,false,false\n",
            10 + i % 90
        ));
    }
    csv
}

/// Three warehouses; all stock sits in Shanghai, so every order allocates from one place.
const WAREHOUSES_CSV: &str = "code,name,country,region,city,postal_code,latitude,longitude\n\
    SH1,Shanghai DC,CN,Shanghai,Shanghai,201210,31.23,121.47\n\
    BJ1,Beijing DC,CN,Beijing,Beijing,102600,39.73,116.34\n\
    GZ1,Guangzhou DC,CN,Guangdong,Guangzhou,510400,23.13,113.26\n";

fn stock_csv(skus: usize, units: u64) -> String {
    let mut csv = String::from("warehouse_code,sku,bin,quantity\n");
    for i in 0..skus {
        // One bin per SKU, capped at the importer's per-row limit; more rows for more units.
        let mut left = units;
        while left > 0 {
            let q = left.min(1_000_000);
            csv.push_str(&format!(
                "SH1,SKU-{i:05},A-{:02}-{:02}-1,{q}\n",
                i / 100 % 100,
                i % 100
            ));
            left -= q;
        }
    }
    csv
}

fn peak_rss_kib(pid: u32) -> u64 {
    memory_kib(pid, "VmHWM:")
}

/// One memory figure of a process from `/proc/PID/status` (`VmHWM:` high water, `VmRSS:` now).
fn memory_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

async fn statements(http: &reqwest::Client, base: &str) -> u64 {
    let text = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with("orderly_db_statements_total"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0) as u64
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.first().map(String::as_str) == Some("analytics") {
        return analytics::run(&argv[1..]).await;
    }
    let args = parse_args();
    let admin = std::env::var("ORDERLY_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let db = "orderly_bench";
    let sqlite_file = std::env::temp_dir().join("orderly-bench.db");
    let db_url = if args.sqlite {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", sqlite_file.display()));
        }
        format!("sqlite://{}?mode=rwc", sqlite_file.display())
    } else {
        psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
        psql(&format!("CREATE DATABASE {db}"));
        format!("{admin}/{db}")
    };
    orderly(&db_url, &["migrate"], None);
    let skus = if args.mode == Mode::Hot { 1 } else { args.skus };
    let dir = std::env::temp_dir();
    let files = [
        (
            "products",
            dir.join("orderly-bench-products.csv"),
            products_csv(skus),
        ),
        (
            "warehouses",
            dir.join("orderly-bench-warehouses.csv"),
            WAREHOUSES_CSV.to_string(),
        ),
        (
            "stock",
            dir.join("orderly-bench-stock.csv"),
            stock_csv(skus, args.units),
        ),
    ];
    for (what, path, text) in &files {
        std::fs::write(path, text).unwrap();
        orderly(&db_url, &["import", what, path.to_str().unwrap()], None);
    }
    let key = orderly(&db_url, &["api-key", "add", "--channel", "bench"], None)
        .trim()
        .to_string();

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(root().join("target/release/orderly"))
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("DATABASE_URL", &db_url)
        .env("RUST_LOG", "warn")
        .env("ORDERLY_CONSOLE_DIR", "/nonexistent")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients * 2)
        .build()
        .unwrap();
    for _ in 0..100 {
        if http.get(format!("{base}/healthz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let errors = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for client in 0..args.clients {
        let (http, base, key) = (http.clone(), base.clone(), key.clone());
        let (measuring, stop, errors) = (measuring.clone(), stop.clone(), errors.clone());
        let hot = args.mode == Mode::Hot;
        let interval = args
            .rate
            .map(|r| Duration::from_secs_f64(args.clients as f64 / r));
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<u64> = Vec::new();
            let mut n: usize = 0;
            let mut next = Instant::now();
            while !stop.load(Ordering::Relaxed) {
                if let Some(every) = interval {
                    // Open loop: requests leave on schedule, so a slow answer cannot slow the load.
                    next += every;
                    tokio::time::sleep_until(next.into()).await;
                }
                n += 1;
                let sku = |k: usize| format!("SKU-{:05}", (client * 7919 + n * 31 + k * 101) % skus);
                let lines = if hot {
                    json!([{ "sku": sku(0), "quantity": 1 }])
                } else {
                    json!([{ "sku": sku(0), "quantity": 1 }, { "sku": sku(1), "quantity": 2 }, { "sku": sku(2), "quantity": 1 }])
                };
                // Every order its own customer, phone and address: ordinary traffic the risk rules
                // let through, so each order is reviewed and allocated like a real one.
                let who = client * 10_000_000 + n;
                let body = json!({
                    "query": "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { number } }",
                    "variables": { "i": {
                        "idempotencyKey": uuid::Uuid::new_v4().to_string(),
                        "customer": { "name": "Bench Customer", "email": format!("c{who}@bench.example"), "phone": format!("+86138{:08}", who % 100_000_000) },
                        "shippingAddress": { "recipient": "Bench Customer", "phone": format!("138{:08}", who % 100_000_000), "country": "CN", "region": "Shanghai", "city": "Shanghai", "line1": format!("{} Century Avenue", who + 1), "postalCode": "200120" },
                        "paymentMethod": "CASH_ON_DELIVERY",
                        "lines": lines
                    } }
                });
                let started = Instant::now();
                let ok = match http.post(format!("{base}/graphql")).header("x-api-key", &key).json(&body).send().await {
                    Ok(resp) => resp.json::<Value>().await.map(|v| v.get("errors").is_none()).unwrap_or(false),
                    Err(_) => false,
                };
                if measuring.load(Ordering::Relaxed) {
                    if ok {
                        latencies.push(started.elapsed().as_micros() as u64);
                    } else {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            latencies
        }));
    }
    tokio::time::sleep(Duration::from_secs(args.warmup)).await;
    let statements_before = statements(&http, &base).await;
    measuring.store(true, Ordering::Relaxed);
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.seconds)).await;
    measuring.store(false, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    let statements_after = statements(&http, &base).await;
    stop.store(true, Ordering::Relaxed);
    let mut latencies: Vec<u64> = Vec::new();
    for t in tasks {
        latencies.extend(t.await.unwrap());
    }
    let rss_mib = peak_rss_kib(server.id()) as f64 / 1024.0;
    let _ = server.kill();
    let _ = server.wait();
    latencies.sort_unstable();
    let orders = latencies.len() as f64;
    let tps = orders / elapsed;
    // The statement counter includes the outbox worker's deliveries (about 4 per order).
    let per_order = (statements_after - statements_before) as f64 / orders.max(1.0);
    println!(
        "{}: database={} clients={} rate={} measured={:.0}s",
        if args.mode == Mode::Hot {
            "hot"
        } else {
            "intake"
        },
        if args.sqlite { "sqlite" } else { "postgres" },
        args.clients,
        args.rate.map_or("max".into(), |r| r.to_string()),
        elapsed
    );
    println!("orders_per_s={tps:.0}");
    println!(
        "latency_ms p50={:.2} p95={:.2} p99={:.2}",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99)
    );
    println!("errors={}", errors.load(Ordering::Relaxed));
    println!("sql_statements_per_order={per_order:.1} (server-wide, including the outbox worker)");
    println!("server_peak_rss_mib={rss_mib:.0}");
    check::zero_oversell(&db_url).await;
    if !args.sqlite {
        psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
    }

    if args.reference {
        let script = root().join("../shared/bench/reference.sh");
        let out = Command::new("bash")
            .arg(&script)
            .arg(args.reference_seconds.to_string())
            .output()
            .expect("reference.sh");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        print!("{text}");
        let (name, prefix) = match args.mode {
            Mode::Intake => ("L_commit", "L_commit_tps="),
            Mode::Hot => ("L_hot", "L_hot_tps="),
        };
        let reference = text
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|v| v.trim().parse::<f64>().ok());
        if let Some(l) = reference {
            println!("ratio_to_{name}={:.3}", tps / l);
        }
    }
}
