//! HTTP surface: GraphQL (+ WebSocket), health, metrics and the console, all on one port.

mod console;
mod documents;
mod exports;
mod graphql;
mod health;
mod metrics;
mod staff;
mod webhooks;

use crate::app::AppState;
use axum::Router;
use axum::http::{HeaderName, Request};
use axum::routing::get;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub fn router(state: AppState) -> Router {
    let schema = state.schema();
    Router::new()
        .route("/graphql", get(graphql::graphiql).post(graphql::execute))
        .route("/graphql/ws", get(graphql::websocket))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(metrics::render))
        .route("/webhooks/payments/{provider}", axum::routing::post(webhooks::payment))
        .route("/webhooks/carriers/{carrier}", axum::routing::post(webhooks::carrier))
        .route("/documents/{kind}/{file}", get(documents::document))
        .route("/exports/payments.csv", get(exports::payments))
        .route("/exports/orders.csv", get(exports::orders))
        .route("/exports/order-lines.csv", get(exports::lines))
        .route("/exports/shipments.csv", get(exports::shipments))
        .route("/exports/refunds.csv", get(exports::refunds))
        .fallback_service(console::service(&state.config.console_dir))
        .layer(axum::Extension(schema))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(RequestBodyLimitLayer::new(2 * 1024 * 1024))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req.headers().get(REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path())
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}
