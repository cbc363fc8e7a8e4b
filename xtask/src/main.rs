//! Orderly's build driver, so a fresh machine needs only cargo:
//!
//! - `cargo xtask demo [--bind ADDR]`: install the console's build tools if missing, build the
//!   console, then serve API + console with demo data on the embedded SQLite database.
//! - `cargo xtask test`: every test — unit, integration on SQLite and PostgreSQL, browser e2e.
//! - `cargo xtask console`: build the console only (wasm-bindgen, then binaryen's `wasm-opt`
//!   from the npm package in `frontend/tools`, installed with `npm ci` when missing).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(&args[1..]),
        Some("test") => test(),
        Some("console") => build_console(),
        _ => {
            eprintln!("usage: cargo xtask demo [--bind ADDR] | test | console");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn run(cmd: &mut Command) -> Result<()> {
    eprintln!("xtask: running {cmd:?}");
    if cmd.get_current_dir().is_none() {
        cmd.current_dir(root());
    }
    let status = cmd.status().map_err(|e| format!("{cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{cmd:?} failed ({status})"))
    }
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

fn demo(args: &[String]) -> Result<()> {
    build_console()?;
    let mut serve = cargo();
    serve
        .args(["run", "--release", "-p", "orderly", "--", "serve", "--demo"])
        .args(args);
    run(&mut serve)
}

fn test() -> Result<()> {
    // The document tests read the PDFs back with poppler's pdftotext and pdftoppm.
    ensure_debian_tool("/usr/bin/pdftotext", "poppler-utils")?;
    // Unit and integration tests; the integration tests run on SQLite and on PostgreSQL
    // (ORDERLY_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432).
    run(cargo().args(["test", "--workspace"]))?;
    build_console()?;
    // The server binary for the browser tests was built by `cargo test` above (integration
    // tests depend on it); building it again with other features would rebuild every crate.
    e2e()
}

fn e2e() -> Result<()> {
    ensure_chromium()?;
    let e2e = root().join("e2e");
    if !e2e.join("node_modules").join("playwright-core").is_dir() {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&e2e))?;
    }
    let bin = target_dir(&root()).join("debug/orderly");
    let mut node = Command::new("node");
    // Every `*.test.js` under e2e/ (node_modules excluded), one file at a time: each starts a server.
    node.args(["--test", "--test-concurrency=1"])
        .env("ORDERLY_BIN", bin);
    eprintln!("xtask: running {node:?}");
    let status = node
        .current_dir(&e2e)
        .status()
        .map_err(|e| format!("node: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("browser e2e tests failed ({status})"))
    }
}

fn ensure_chromium() -> Result<()> {
    ensure_debian_tool("/usr/bin/chromium", "chromium")
}

/// Installs the Debian package that provides `path` when it is missing.
fn ensure_debian_tool(path: &str, package: &str) -> Result<()> {
    if Path::new(path).exists() {
        return Ok(());
    }
    eprintln!("xtask: installing Debian's {package} for the tests");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get").args(["install", "-y", "-qq", package]))
        .map_err(|e| format!("{e}; install it with `apt-get install -y {package}`"))
}

/// Builds the console to `frontend/dist`: wasm32 release build, wasm-bindgen, `wasm-opt`,
/// static files.
fn build_console() -> Result<()> {
    ensure_wasm_tools()?;
    run(cargo().args([
        "build",
        "-p",
        "orderly-console",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "console",
    ]))?;
    let root = root();
    let dist = root.join("frontend/dist");
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    let wasm = target_dir(&root).join("wasm32-unknown-unknown/console/orderly_console.wasm");
    run(Command::new(wasm_bindgen())
        // The name section (function names for debuggers) is ~40 % of the gzipped console.
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--remove-name-section",
            "--out-dir",
        ])
        .arg(&dist)
        .arg(&wasm))?;
    let bound = dist.join("orderly_console_bg.wasm");
    let before = std::fs::metadata(&bound).map(|m| m.len()).unwrap_or(0);
    optimise_wasm(&root, &bound)?;
    eprintln!(
        "xtask: wasm-opt: {} KiB → {} KiB",
        before / 1024,
        std::fs::metadata(&bound).map(|m| m.len()).unwrap_or(0) / 1024
    );
    for file in ["index.html", "style.css"] {
        std::fs::copy(root.join("frontend").join(file), dist.join(file))
            .map_err(|e| format!("copy {file}: {e}"))?;
    }
    let size = std::fs::metadata(dist.join("orderly_console_bg.wasm"))
        .map(|m| m.len())
        .unwrap_or(0);
    eprintln!(
        "xtask: console built in frontend/dist ({} KiB wasm)",
        size / 1024
    );
    Ok(())
}

/// `wasm-opt`'s passes for the console. `-O1` twice: binaryen's heavier levels (`-O2` … `-Oz`)
/// shrink the raw file but leave code that compresses worse — the console is served gzipped,
/// where `-Oz` measured 13 % larger than no `wasm-opt` at all, and `-O1` twice 1–2 % smaller.
const WASM_OPT_PASSES: &[&str] = &["-O1", "-O1"];

/// WebAssembly features the console's wasm uses: Rust's defaults for `wasm32-unknown-unknown`.
/// `wasm-opt` must be told, and emits nothing beyond them.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Shrinks the bound console in place with binaryen's `wasm-opt`. It comes from the npm package `binaryen` (a WebAssembly build run by Node),
/// pinned in `frontend/tools/package-lock.json`.
fn optimise_wasm(root: &Path, wasm: &Path) -> Result<()> {
    let tools = root.join("frontend/tools");
    let wasm_opt = tools.join("node_modules/binaryen/bin/wasm-opt");
    if !wasm_opt.exists() {
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&tools))?;
    }
    let optimised = wasm.with_extension("opt.wasm");
    run(Command::new("node")
        .arg(&wasm_opt)
        .args(WASM_OPT_PASSES)
        .args(WASM_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(&optimised))?;
    std::fs::rename(&optimised, wasm).map_err(|e| format!("replace {}: {e}", wasm.display()))
}

fn wasm_bindgen() -> PathBuf {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    let installed = home.join("bin/wasm-bindgen");
    if installed.exists() {
        installed
    } else {
        PathBuf::from("wasm-bindgen")
    }
}

/// The wasm32 target, and a wasm-bindgen CLI of exactly the version in Cargo.lock.
fn ensure_wasm_tools() -> Result<()> {
    let targets = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output();
    let has_target = targets
        .as_ref()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "wasm32-unknown-unknown")
        })
        .unwrap_or(false);
    if !has_target {
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    let wanted = locked_version("wasm-bindgen")?;
    let have = Command::new(wasm_bindgen())
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if have != format!("wasm-bindgen {wanted}") {
        let install = |locked: bool| {
            let mut cmd = cargo();
            cmd.args(["install", "wasm-bindgen-cli", "--version", &wanted]);
            if locked {
                cmd.arg("--locked");
            }
            run(&mut cmd)
        };
        // The CLI's own lock file can pin a dependency release that the registry later yanked;
        // then resolve afresh within its declared requirements.
        install(true).or_else(|_| install(false))?;
    }
    Ok(())
}

fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    let header = format!("name = \"{package}\"");
    while let Some(line) = lines.next() {
        if line.trim() == header
            && let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_string());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

/// Where cargo puts its output: `CARGO_TARGET_DIR`, or `target/` in the workspace.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"))
}
