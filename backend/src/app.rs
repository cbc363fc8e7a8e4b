//! The running application: shared state and the HTTP router on one port.

use crate::config::{Config, Secret};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::graphql::{OrderlySchema, build_schema};
use crate::http;
use crate::realtime::{Realtime, WarehouseLive};
use crate::service::audit::AuditBus;
use crate::service::auth::Auth;
use crate::service::settings;
use sea_orm::DatabaseConnection;
use std::ops::Deref;
use std::sync::Arc;

/// Everything a request may need, cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: DatabaseConnection,
    pub config: Config,
    pub auth: Auth,
    pub bus: AuditBus,
    pub realtime: Realtime,
    pub warehouse_live: WarehouseLive,
    pub queues: crate::realtime::QueueLive,
    /// Books parcels with carriers (the simulated carrier until real adapters are added).
    pub carriers: std::sync::Arc<dyn crate::carrier::CarrierAdapter>,
    pub payment_webhook_secret: Secret,
    pub carrier_webhook_secret: Secret,
    pub channels: crate::jobs::worker::Channels,
    /// The built-in gateway's refunds (the only payment provider so far): tests and demos line
    /// up its failures here.
    pub simulated_refunds: Arc<crate::gateway::SimulatedRefunds>,
    /// Statements executed through `db`, when it was connected by `start`.
    pub statements: std::sync::OnceLock<db::StatementCounter>,
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    /// Connects, migrates and prepares authentication.
    pub async fn start(config: Config) -> AppResult<AppState> {
        let (db, statements) = db::connect_counted(&config.database_url).await?;
        db::migrate(&db).await?;
        // A fresh database starts with the default risk rules and the default allocation rule.
        crate::service::review::config::ensure_defaults(&db).await?;
        crate::service::allocation::rules::ensure_default(&db).await?;
        let state = Self::with_db(config, db).await?;
        let _ = state.statements.set(statements);
        Ok(state)
    }

    pub async fn with_db(config: Config, db: DatabaseConnection) -> AppResult<AppState> {
        let secret = settings::jwt_secret(&db, config.jwt_secret.as_ref()).await?;
        let auth = Auth::new(&config, &secret)?;
        let realtime = Realtime::start(&db);
        let warehouse_live = WarehouseLive::start(&db).with_webhooks(realtime.webhooks());
        let queues = realtime.queues().clone();
        let payment_webhook_secret = settings::secret(
            &db,
            settings::PAYMENT_WEBHOOK_SECRET,
            config.payment_webhook_secret.as_ref(),
        )
        .await?;
        let carrier_webhook_secret = settings::secret(
            &db,
            settings::CARRIER_WEBHOOK_SECRET,
            config.carrier_webhook_secret.as_ref(),
        )
        .await?;
        let simulated_refunds = Arc::new(crate::gateway::SimulatedRefunds::default());
        let channels = message_channels(&config, simulated_refunds.clone(), queues.clone());
        Ok(AppState(Arc::new(Inner {
            db,
            config,
            auth,
            bus: AuditBus::default(),
            realtime,
            warehouse_live,
            queues,
            carriers: std::sync::Arc::new(crate::carrier::SimulatedCarrier),
            payment_webhook_secret,
            carrier_webhook_secret,
            channels,
            simulated_refunds,
            statements: std::sync::OnceLock::new(),
        })))
    }

    pub fn schema(&self) -> OrderlySchema {
        build_schema(self.clone())
    }
}

/// The router with every route and layer.
pub fn router(state: AppState) -> axum::Router {
    http::router(state)
}

/// Serves until SIGINT/SIGTERM, then lets in-flight requests finish.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> AppResult<()> {
    if state.config.background_jobs {
        crate::jobs::spawn(&state);
    }
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(AppError::internal)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// E-mail over SMTP when configured (else logged), SMS through the logging provider; refunds
/// through the payment provider.
pub fn message_channels(
    config: &Config,
    refunds: Arc<dyn crate::gateway::RefundGateway>,
    queues: crate::realtime::QueueLive,
) -> crate::jobs::worker::Channels {
    use crate::service::notifications::{LogMailer, LogSms, Mailer, SmtpMailer};
    let mailer: Arc<dyn Mailer> = match &config.smtp_url {
        Some(url) => match SmtpMailer::new(url.expose(), &config.smtp_from) {
            Ok(m) => Arc::new(m),
            Err(err) => {
                tracing::error!(error = %err, "ORDERLY_SMTP_URL is unusable; e-mail will only be logged");
                Arc::new(LogMailer)
            }
        },
        None => Arc::new(LogMailer),
    };
    crate::jobs::worker::Channels {
        mailer,
        sms: Arc::new(LogSms),
        refunds,
        queues,
    }
}
