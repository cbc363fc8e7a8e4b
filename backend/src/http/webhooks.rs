//! Inbound webhooks, where third parties dictate REST: payment and carrier callbacks (API.md).
//! Answers: 200 applied, unchanged (carriers) or duplicate (a replay changes nothing), 401 bad or stale signature,
//! 400 malformed body, 404 unknown provider or order, 409 concurrent change (retry), 500.

use crate::app::AppState;
use crate::carrier::TrackingRejection;
use crate::error::AppError;
use crate::gateway::{CallbackRejection, PaymentGateway, SimulatedGateway};
use crate::service::payments::{self, CallbackOutcome};
use crate::service::shipping::{carriers, tracking};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::json;

type Reply = (StatusCode, Json<serde_json::Value>);

fn reply(status: StatusCode, body: serde_json::Value) -> Reply {
    (status, Json(body))
}

pub async fn payment(
    State(state): State<AppState>,
    Path(provider): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let gateway = match provider.as_str() {
        "simulated" => SimulatedGateway {
            secret: state.payment_webhook_secret.clone(),
        },
        other => {
            return reply(
                StatusCode::NOT_FOUND,
                json!({ "error": format!("unknown payment provider {other}") }),
            );
        }
    };
    let sig = headers
        .get(crate::domain::signature::HEADER)
        .and_then(|v| v.to_str().ok());
    let callback = match gateway.parse_callback(sig, &body, chrono::Utc::now().timestamp()) {
        Ok(cb) => cb,
        Err(CallbackRejection::Signature(e)) => {
            tracing::warn!(provider, error = %e, "payment callback refused");
            return reply(StatusCode::UNAUTHORIZED, json!({ "error": e.to_string() }));
        }
        Err(e @ CallbackRejection::Body(_)) => {
            return reply(StatusCode::BAD_REQUEST, json!({ "error": e.to_string() }));
        }
    };
    match payments::apply(&state.db, &state.realtime, callback).await {
        Ok(CallbackOutcome::Applied) => reply(StatusCode::OK, json!({ "result": "applied" })),
        Ok(CallbackOutcome::Duplicate) => reply(StatusCode::OK, json!({ "result": "duplicate" })),
        Err(err) => refused("payment callback", err),
    }
}

/// `POST /webhooks/carriers/{carrier}`: a tracking event of one of our carriers (by code).
pub async fn carrier(
    State(state): State<AppState>,
    Path(carrier): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    match carriers::find(&state.db, &carrier).await {
        Ok(Some(_)) => {}
        Ok(None) => {
            return reply(
                StatusCode::NOT_FOUND,
                json!({ "error": format!("unknown carrier {carrier}") }),
            );
        }
        Err(err) => return refused("carrier callback", err),
    }
    let sig = headers
        .get(crate::domain::signature::HEADER)
        .and_then(|v| v.to_str().ok());
    let event = match state.carriers.parse_event(
        state.carrier_webhook_secret.expose().as_bytes(),
        sig,
        &body,
        chrono::Utc::now().timestamp(),
    ) {
        Ok(event) => event,
        Err(TrackingRejection::Signature(e)) => {
            tracing::warn!(carrier, error = %e, "carrier callback refused");
            return reply(StatusCode::UNAUTHORIZED, json!({ "error": e.to_string() }));
        }
        Err(e @ TrackingRejection::Body(_)) => {
            return reply(StatusCode::BAD_REQUEST, json!({ "error": e.to_string() }));
        }
    };
    match tracking::apply(
        &state.db,
        &state.realtime,
        &state.warehouse_live,
        &carrier,
        event,
    )
    .await
    {
        Ok(tracking::TrackingOutcome::Applied) => {
            reply(StatusCode::OK, json!({ "result": "applied" }))
        }
        Ok(tracking::TrackingOutcome::Unchanged) => {
            reply(StatusCode::OK, json!({ "result": "unchanged" }))
        }
        Ok(tracking::TrackingOutcome::Duplicate) => {
            reply(StatusCode::OK, json!({ "result": "duplicate" }))
        }
        Err(err) => refused("carrier callback", err),
    }
}

fn refused(what: &str, err: AppError) -> Reply {
    let status = match &err {
        AppError::Validation(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict(_) | AppError::InvalidTransition(_) => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(error = %err, "{what} failed");
        return reply(status, json!({ "error": "internal error" }));
    }
    reply(
        status,
        json!({ "error": err.to_string(), "code": err.code().as_str() }),
    )
}
