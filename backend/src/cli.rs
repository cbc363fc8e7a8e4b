//! The command line (API.md): `serve`, `migrate`, `user add`, `api-key add`. Errors go to
//! stderr with a non-zero exit code.

use crate::app::{self, AppState};
use crate::config::Config;
use crate::domain::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::service::{allocation, analytics, api_keys, catalog, demo, stock, users};
use crate::{db, telemetry};
use clap::{Parser, Subcommand};
use orderly_shared::Role;
use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "orderly",
    version,
    about = "Orderly: order management for online merchants"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the API and the console on one port.
    Serve {
        /// Load demo data once into an empty database and print the demo logins.
        #[arg(long)]
        demo: bool,
        /// Address to listen on (default 127.0.0.1:8080, or ORDERLY_BIND).
        #[arg(long)]
        bind: Option<SocketAddr>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Partner API keys.
    ApiKey {
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
    /// Bulk load from CSV; re-importing updates by code or SKU. A bad row is reported with its
    /// line number and nothing from that file is written.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// The analytics rollups the dashboard reads.
    Analytics {
        #[command(subcommand)]
        command: AnalyticsCommand,
    },
}

#[derive(Subcommand)]
enum AnalyticsCommand {
    /// Recompute every order's rollup from its events (safe while serving).
    Rebuild,
    /// Compare the stored rollups with a recomputation; fails listing the orders that differ.
    Check,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// products.csv: sku,name,category,price,currency,gtin,weight_g,length_mm,width_mm,height_mm,fragile,liquid,high_value
    Products { file: std::path::PathBuf },
    /// warehouses.csv: code,name,country,region,city,postal_code,latitude,longitude
    Warehouses { file: std::path::PathBuf },
    /// stock.csv: warehouse_code,sku,bin,quantity — each row a receipt into the bin
    Stock { file: std::path::PathBuf },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a staff user; the first one bootstraps the first administrator.
    Add {
        #[arg(long)]
        email: String,
        /// ADMIN, CUSTOMER_SERVICE, REVIEWER, WAREHOUSE or FINANCE; repeat for several.
        #[arg(long = "role", required = true)]
        roles: Vec<Role>,
        /// Display name (default: the part of the e-mail before '@').
        #[arg(long)]
        name: Option<String>,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

#[derive(Subcommand)]
enum ApiKeyCommand {
    /// Create a key for a channel (created if new); prints the key once.
    Add {
        #[arg(long)]
        channel: String,
    },
}

pub async fn run() -> ExitCode {
    let cli = Cli::parse();
    telemetry::init();
    match dispatch(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {}", describe(&err));
            ExitCode::FAILURE
        }
    }
}

fn describe(err: &AppError) -> String {
    match err {
        AppError::Validation(problems) => problems
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect::<Vec<_>>()
            .join("\n       "),
        AppError::Internal(source) => format!("{source}"),
        other => other.to_string(),
    }
}

async fn dispatch(command: Command) -> AppResult<()> {
    match command {
        Command::Serve {
            demo: load_demo,
            bind,
        } => serve(load_demo, bind).await,
        Command::Migrate => {
            let config = config(None)?;
            let conn = db::connect(&config.database_url).await?;
            db::migrate(&conn).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    roles,
                    name,
                    password_stdin: _,
                },
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(AppError::internal)?;
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let state = AppState::start(config(None)?).await?;
            let display_name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
            let input = users::CreateUser {
                email,
                display_name,
                password,
                roles,
                warehouse_codes: vec![],
            };
            let created =
                users::create(&state.db, &state.auth, &state.bus, &Actor::Cli, input).await?;
            println!("created user {} ({})", created.email, created.id);
            Ok(())
        }
        Command::Import { command } => import(command).await,
        Command::Analytics { command } => analytics_command(command).await,
        Command::ApiKey {
            command: ApiKeyCommand::Add { channel },
        } => {
            let state = AppState::start(config(None)?).await?;
            let (key, row) = api_keys::create(&state.db, &state.bus, &Actor::Cli, &channel).await?;
            eprintln!(
                "created API key {} for channel {}; it is shown only this once:",
                row.prefix,
                channel.trim().to_lowercase()
            );
            println!("{}", key.expose());
            Ok(())
        }
    }
}

async fn analytics_command(command: AnalyticsCommand) -> AppResult<()> {
    let config = config(None)?;
    let conn = db::connect(&config.database_url).await?;
    db::migrate(&conn).await?;
    match command {
        AnalyticsCommand::Rebuild => {
            let n = analytics::rebuild::rebuild(&conn).await?;
            println!("rebuilt the analytics of {n} orders");
            Ok(())
        }
        AnalyticsCommand::Check => {
            let drifted = analytics::rebuild::drift(&conn).await?;
            if drifted.is_empty() {
                println!("the analytics rollups match the events");
                return Ok(());
            }
            for id in drifted.iter().take(20) {
                eprintln!("differs: order {id}");
            }
            Err(AppError::Conflict(format!(
                "{} orders' analytics differ from their events; run `orderly analytics rebuild`",
                drifted.len()
            )))
        }
    }
}

async fn import(command: ImportCommand) -> AppResult<()> {
    let file = match &command {
        ImportCommand::Products { file }
        | ImportCommand::Warehouses { file }
        | ImportCommand::Stock { file } => file.clone(),
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| AppError::invalid("file", "UNREADABLE", format!("{}: {e}", file.display())))?;
    let state = AppState::start(config(None)?).await?;
    match command {
        ImportCommand::Products { .. } => {
            let summary =
                catalog::import_products(&state.db, &state.bus, &Actor::Cli, &text).await?;
            println!(
                "imported {} products from {}",
                summary.products,
                file.display()
            );
        }
        ImportCommand::Warehouses { .. } => {
            let n =
                stock::import::import_warehouses(&state.db, &state.bus, &Actor::Cli, &text).await?;
            println!("imported {n} warehouses from {}", file.display());
        }
        ImportCommand::Stock { .. } => {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| "stock.csv".into());
            let units =
                stock::import::import_stock(&state.db, &state.bus, &Actor::Cli, &text, &name)
                    .await?;
            let total: i64 = units.values().sum();
            println!(
                "received {total} units of {} SKUs from {}",
                units.len(),
                file.display()
            );
            let skus = units.into_keys().collect();
            let served = allocation::waiting::serve(&state.db, &state.realtime, &skus).await?;
            if served > 0 {
                println!("{served} waiting orders got their stock");
            }
        }
    }
    Ok(())
}

fn config(bind: Option<SocketAddr>) -> AppResult<Config> {
    Config::from_env(bind)
        .map_err(|e| AppError::invalid("environment", "INVALID_CONFIG", e.to_string()))
}

async fn serve(load_demo: bool, bind: Option<SocketAddr>) -> AppResult<()> {
    let mut config = config(bind)?;
    config.demo_mode = load_demo;
    let addr = config.bind;
    let state = AppState::start(config).await?;
    if load_demo {
        match demo::load_if_empty(&state.db, &state.auth, &state.bus, &state.realtime).await? {
            Some(logins) => {
                print_demo_logins(&logins);
                println!(
                    "Simulated payment gateway: sign callbacks to /webhooks/payments/simulated with the secret {}",
                    state.payment_webhook_secret.expose()
                );
            }
            None => println!("demo: the database already has users; demo data not loaded again"),
        }
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(AppError::internal)?;
    let local = listener.local_addr().map_err(AppError::internal)?;
    tracing::info!(%local, "serving Orderly");
    println!("Orderly is running at http://{local}/ (GraphQL at /graphql)");
    app::serve(state, listener).await
}

fn print_demo_logins(logins: &demo::DemoLogins) {
    println!(
        "Demo data loaded. Sign in with any of these (password: {}):",
        demo::DEMO_PASSWORD
    );
    for (email, role) in &logins.users {
        println!("  {:<28} {}", email, role.as_str());
    }
    println!(
        "Partner API key for channel demo-store (X-Api-Key): {}",
        logins.partner_key
    );
}
