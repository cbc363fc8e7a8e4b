//! Server configuration, read once from the environment (API.md) into a typed struct that lives
//! in the application state. Secrets are wrapped so they never appear in logs or debug output.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A secret value: usable, but never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Limits on sign-in attempts (SPEC §6 robustness: a flood of logins cannot starve the cores).
#[derive(Debug, Clone)]
pub struct LoginLimits {
    /// Failed attempts on one account within `window` before it is refused for a while.
    pub failures_per_account: u32,
    /// Failed attempts from one client address within `window`.
    pub failures_per_address: u32,
    pub window: Duration,
    /// Password hashes computed at once; further logins wait for a slot.
    pub concurrent_hashes: usize,
    /// How long a login waits for a hashing slot before it is refused as RATE_LIMITED.
    pub hash_queue_timeout: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            failures_per_account: 5,
            failures_per_address: 20,
            window: Duration::from_secs(15 * 60),
            concurrent_hashes: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            hash_queue_timeout: Duration::from_secs(5),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub bind: SocketAddr,
    /// `None`: generated on first run and kept in the database, shared by every replica.
    pub jwt_secret: Option<Secret>,
    pub console_dir: PathBuf,
    /// Serve GraphiQL on `GET /graphql`.
    pub graphiql: bool,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub login: LoginLimits,
    /// Signs payment-gateway callbacks; `None`: generated on first run and kept in the database.
    pub payment_webhook_secret: Option<Secret>,
    /// Signs carrier tracking callbacks (`ORDERLY_CARRIER_WEBHOOK_SECRET`); generated if unset.
    pub carrier_webhook_secret: Option<Secret>,
    /// How long a prepaid order waits for payment before it expires.
    pub payment_window: chrono::TimeDelta,
    /// `ORDERLY_SMTP_URL` (it may carry a password); unset: e-mails are logged, kept in the outbox.
    pub smtp_url: Option<Secret>,
    pub smtp_from: String,
    /// Run the outbox worker and scheduled jobs in this process (replicas may opt out).
    pub background_jobs: bool,
    /// Served with `--demo`: demo-only conveniences (the payment simulator) are on.
    pub demo_mode: bool,
    /// `ORDERLY_AUTO_CONFIRM_DAYS`: a delivered order completes this long after delivery unless
    /// the customer complained.
    pub auto_confirm_after: chrono::TimeDelta,
}

/// The default database: a SQLite file in the current folder, created if missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://orderly.db?mode=rwc";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_SMTP_FROM: &str = "Orderly <orders@localhost>";

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    name: &'static str,
    problem: String,
}

impl Config {
    /// Reads the environment; `bind` overrides `ORDERLY_BIND` (the `--bind` flag).
    pub fn from_env(bind: Option<SocketAddr>) -> Result<Config, ConfigError> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let bind = match bind {
            Some(addr) => addr,
            None => var("ORDERLY_BIND")
                .unwrap_or_else(|| DEFAULT_BIND.to_string())
                .parse()
                .map_err(|e| ConfigError {
                    name: "ORDERLY_BIND",
                    problem: format!("not a socket address like 127.0.0.1:8080 ({e})"),
                })?,
        };
        let jwt_secret = match var("ORDERLY_JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError {
                    name: "ORDERLY_JWT_SECRET",
                    problem: "must be at least 32 characters".into(),
                });
            }
            other => other.map(Secret::new),
        };
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            bind,
            jwt_secret,
            console_dir: var("ORDERLY_CONSOLE_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("frontend/dist")),
            graphiql: var("ORDERLY_GRAPHIQL").is_none_or(|v| v != "0" && v != "false"),
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(14 * 24 * 3600),
            login: LoginLimits::default(),
            payment_webhook_secret: var("ORDERLY_PAYMENT_WEBHOOK_SECRET").map(Secret::new),
            carrier_webhook_secret: var("ORDERLY_CARRIER_WEBHOOK_SECRET").map(Secret::new),
            smtp_url: var("ORDERLY_SMTP_URL").map(Secret::new),
            smtp_from: var("ORDERLY_SMTP_FROM").unwrap_or_else(|| DEFAULT_SMTP_FROM.into()),
            background_jobs: var("ORDERLY_BACKGROUND_JOBS")
                .is_none_or(|v| v != "0" && v != "false"),
            demo_mode: false,
            auto_confirm_after: match var("ORDERLY_AUTO_CONFIRM_DAYS") {
                None => chrono::TimeDelta::days(7),
                Some(v) => v
                    .parse::<i64>()
                    .ok()
                    .filter(|d| (1..=365).contains(d))
                    .map(chrono::TimeDelta::days)
                    .ok_or(ConfigError {
                        name: "ORDERLY_AUTO_CONFIRM_DAYS",
                        problem: "must be a whole number of days from 1 to 365".into(),
                    })?,
            },
            payment_window: match var("ORDERLY_PAYMENT_WINDOW_MINUTES") {
                None => chrono::TimeDelta::minutes(30),
                Some(v) => v
                    .parse::<i64>()
                    .ok()
                    .filter(|m| *m > 0)
                    .map(chrono::TimeDelta::minutes)
                    .ok_or(ConfigError {
                        name: "ORDERLY_PAYMENT_WINDOW_MINUTES",
                        problem: "must be a positive whole number of minutes".into(),
                    })?,
            },
        })
    }

    /// A configuration for tests and tools: the given database, everything else default.
    pub fn for_database(database_url: impl Into<String>) -> Config {
        Config {
            database_url: database_url.into(),
            bind: ([127, 0, 0, 1], 0).into(),
            jwt_secret: None,
            console_dir: PathBuf::from("frontend/dist"),
            graphiql: false,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(14 * 24 * 3600),
            login: LoginLimits::default(),
            payment_webhook_secret: None,
            carrier_webhook_secret: None,
            payment_window: chrono::TimeDelta::minutes(30),
            smtp_url: None,
            smtp_from: DEFAULT_SMTP_FROM.into(),
            background_jobs: true,
            demo_mode: false,
            auto_confirm_after: chrono::TimeDelta::days(7),
        }
    }
}
