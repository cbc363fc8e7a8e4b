//! Delivering webhooks: claim due deliveries (`FOR UPDATE SKIP LOCKED` on PostgreSQL, with a
//! lease, so each is attempted by one worker on one replica at a time), POST the payload signed
//! like API.md's inbound webhooks (`Orderly-Signature: t=…,v1=…`), log the attempt with the
//! endpoint's answer, and either mark it delivered or schedule the next attempt — for 24 hours,
//! after which it waits for an admin to resend it.

use crate::db::entity::{webhook_attempt, webhook_delivery, webhook_endpoint};
use crate::domain::signature;
use crate::domain::webhooks::{accepted, next_attempt};
use crate::error::AppResult;
use chrono::{DateTime, TimeDelta, Utc};
use orderly_shared::WebhookDeliveryStatus;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, FromQueryResult,
    QueryFilter, Statement, sea_query::Expr,
};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long one worker holds a claimed delivery.
const LEASE: TimeDelta = TimeDelta::seconds(60);
/// How long an endpoint has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How much of an answer the log keeps.
const KEPT_BODY: usize = 1000;

/// Makes ring the process's TLS crypto provider: reqwest is built without one of its own, and
/// every `reqwest::Client` of the process needs it. Calling it again does nothing.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The HTTP client deliveries go out with (rustls with ring, the system's roots).
pub fn client() -> reqwest::Client {
    install_tls_provider();
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Orderly-Webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// Attempts every delivery due at `now` (a batch); returns how many were delivered.
pub async fn run_once(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let mut delivered = 0;
    for d in claim(db, now).await? {
        if attempt(db, client, d, now).await? {
            delivered += 1;
        }
    }
    Ok(delivered)
}

async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> AppResult<Vec<webhook_delivery::Model>> {
    let backend = db.get_database_backend();
    let lock = if backend == DbBackend::Postgres {
        "FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE webhook_deliveries SET claimed_until = $1, attempts = attempts + 1 \
         WHERE id IN (SELECT id FROM webhook_deliveries \
                      WHERE status = 'PENDING' AND next_attempt_at <= $2 \
                        AND (claimed_until IS NULL OR claimed_until < $2) \
                      ORDER BY next_attempt_at LIMIT 20 {lock}) \
         RETURNING *"
    );
    let stmt = Statement::from_sql_and_values(backend, sql, [(now + LEASE).into(), now.into()]);
    Ok(webhook_delivery::Model::find_by_statement(stmt)
        .all(db)
        .await?)
}

/// One attempt of a claimed delivery; true when the endpoint took it.
async fn attempt(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    d: webhook_delivery::Model,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    let endpoint = webhook_endpoint::Entity::find_by_id(d.endpoint_id)
        .one(db)
        .await?;
    let Some(endpoint) = endpoint.filter(|e| e.active) else {
        settle(
            db,
            &d,
            WebhookDeliveryStatus::GaveUp,
            None,
            Some("the endpoint was deactivated"),
            now,
        )
        .await?;
        return Ok(false);
    };
    // The signature's time is the real clock: receivers check it against theirs.
    let signed = signature::sign(
        endpoint.secret.as_bytes(),
        Utc::now().timestamp(),
        d.payload.as_bytes(),
    );
    let started = Instant::now();
    let answer = client
        .post(&endpoint.url)
        .header("content-type", "application/json")
        .header("Orderly-Signature", &signed)
        .header("Orderly-Event", d.event_type.as_str())
        .header("Orderly-Event-Id", d.event_id.to_string())
        .header("Orderly-Delivery-Attempt", d.attempts.to_string())
        .body(d.payload.clone())
        .send()
        .await;
    let (status, body, error) = match answer {
        Ok(response) => {
            let status = response.status().as_u16();
            let body: String = response
                .text()
                .await
                .unwrap_or_default()
                .chars()
                .take(KEPT_BODY)
                .collect();
            (Some(status), Some(body), None)
        }
        Err(e) => (None, None, Some(describe(e))),
    };
    let millis = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
    webhook_attempt::Entity::insert(webhook_attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        delivery_id: Set(d.id),
        attempt: Set(d.attempts),
        at: Set(Utc::now()),
        signature: Set(signed),
        response_status: Set(status.map(i32::from)),
        response_body: Set(body),
        error: Set(error.clone()),
        duration_ms: Set(millis),
    })
    .exec(db)
    .await?;
    let ok = status.is_some_and(accepted);
    let outcome = if ok {
        WebhookDeliveryStatus::Delivered
    } else if next_attempt(d.retry_from, d.attempts, now).is_some() {
        WebhookDeliveryStatus::Pending
    } else {
        WebhookDeliveryStatus::GaveUp
    };
    let why = match (status, &error) {
        (_, Some(e)) => Some(e.clone()),
        (Some(s), None) if !ok => Some(format!("the endpoint answered {s}")),
        _ => None,
    };
    settle(db, &d, outcome, status, why.as_deref(), now).await?;
    Ok(ok)
}

async fn settle(
    db: &DatabaseConnection,
    d: &webhook_delivery::Model,
    status: WebhookDeliveryStatus,
    response: Option<u16>,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::Status, Expr::value(status))
        .col_expr(
            webhook_delivery::Column::ClaimedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            webhook_delivery::Column::LastResponseStatus,
            Expr::value(response.map(i32::from)),
        )
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(error.map(str::to_string)),
        );
    update = match status {
        WebhookDeliveryStatus::Delivered => update.col_expr(
            webhook_delivery::Column::DeliveredAt,
            Expr::value(Some(now)),
        ),
        WebhookDeliveryStatus::Pending => {
            let at = next_attempt(d.retry_from, d.attempts, now).unwrap_or(now);
            update.col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(at))
        }
        WebhookDeliveryStatus::GaveUp => update,
    };
    update
        .filter(webhook_delivery::Column::Id.eq(d.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Why a request got no answer, without the URL (its query may carry a token).
fn describe(e: reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "no answer within 10 s"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "the request failed"
    };
    format!("{what}: {}", e.without_url())
}

/// Delivers every `every` for as long as the process lives.
pub async fn run_forever(db: DatabaseConnection, every: Duration) {
    let client = client();
    loop {
        match run_once(&db, &client, Utc::now()).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "webhook delivery failed"),
        }
        tokio::time::sleep(every).await;
    }
}
