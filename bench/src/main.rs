//! `orderly-bench intake`: N concurrent partners calling `placeOrder` over HTTP against a real
//! `orderly serve` on PostgreSQL, for a fixed time after a warm-up; then the bare-PostgreSQL
//! reference (`../shared/bench/reference.sh`) in the same run, and the ratio.
//!
//! Usage: orderly-bench intake [--clients 8] [--warmup 5] [--seconds 20] [--rate ORDERS_PER_S]
//!                             [--skus 1000] [--reference-seconds 20] [--no-reference]
//! Needs a release build of the server (`cargo build --release -p orderly`) and PostgreSQL at
//! ORDERLY_BENCH_PG (default postgres://postgres@127.0.0.1:5432).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: failing loudly is right

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Args {
    clients: usize,
    warmup: u64,
    seconds: u64,
    rate: Option<f64>,
    skus: usize,
    reference_seconds: u64,
    reference: bool,
}

fn parse_args() -> Args {
    let mut a = Args {
        clients: 8,
        warmup: 5,
        seconds: 20,
        rate: None,
        skus: 1000,
        reference_seconds: 20,
        reference: true,
    };
    let argv: Vec<String> = std::env::args().skip(1).collect();
    assert_eq!(
        argv.first().map(String::as_str),
        Some("intake"),
        "usage: orderly-bench intake [options]"
    );
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

fn peak_rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
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
    let args = parse_args();
    let admin = std::env::var("ORDERLY_BENCH_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let db = "orderly_bench";
    psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));
    psql(&format!("CREATE DATABASE {db}"));
    let db_url = format!("{admin}/{db}");
    orderly(&db_url, &["migrate"], None);
    let csv_path = std::env::temp_dir().join("orderly-bench-products.csv");
    std::fs::write(&csv_path, products_csv(args.skus)).unwrap();
    orderly(
        &db_url,
        &["import", "products", csv_path.to_str().unwrap()],
        None,
    );
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
        let skus = args.skus;
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
                let body = json!({
                    "query": "mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { number } }",
                    "variables": { "i": {
                        "idempotencyKey": uuid::Uuid::new_v4().to_string(),
                        "customer": { "name": "Bench Customer", "email": format!("c{client}-{}@bench.example", n % 500), "phone": "+8613800138000" },
                        "shippingAddress": { "recipient": "Bench Customer", "phone": "13800138000", "country": "CN", "region": "Shanghai", "city": "Shanghai", "line1": "100 Century Avenue", "postalCode": "200120" },
                        "paymentMethod": "CASH_ON_DELIVERY",
                        "lines": [ { "sku": sku(0), "quantity": 1 }, { "sku": sku(1), "quantity": 2 }, { "sku": sku(2), "quantity": 1 } ]
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
        "intake: clients={} rate={} measured={:.0}s",
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
    psql(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"));

    if args.reference {
        let script = root().join("../shared/bench/reference.sh");
        let out = Command::new("bash")
            .arg(&script)
            .arg(args.reference_seconds.to_string())
            .output()
            .expect("reference.sh");
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        print!("{text}");
        let l_commit = text
            .lines()
            .find_map(|l| l.strip_prefix("L_commit_tps="))
            .and_then(|v| v.trim().parse::<f64>().ok());
        if let Some(l) = l_commit {
            println!("ratio_to_L_commit={:.3}", tps / l);
        }
    }
}
