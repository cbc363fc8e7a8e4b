//! A small GraphQL client for the console: `POST /graphql` over `gloo-net`.
//!
//! It owns the wire format and nothing else: it sends `{query, variables}` with an optional
//! bearer token and turns the answer into either the typed `data` or an [`ApiError`] that
//! carries the contract's machine code (`extensions.code`) and field problems
//! (`extensions.fields`), so pages can branch on codes instead of parsing messages. Session
//! handling (which token, refreshing it, what UNAUTHENTICATED means) lives in `session`.

pub mod documents;
mod error;
pub mod live;
pub mod ops;
pub mod types;

pub use error::{ApiError, field_name};

use gloo_net::http::Request;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The GraphQL endpoint; the console is served by the same server, so it is same-origin.
const ENDPOINT: &str = "/graphql";

/// The response envelope of a GraphQL request.
#[derive(Deserialize)]
struct Envelope<T> {
    data: Option<T>,
    #[serde(default)]
    errors: Vec<error::RawError>,
}

/// Runs one GraphQL operation and returns its `data`.
///
/// `token` is the staff access token; public operations (login, refresh) pass `None`.
pub async fn execute<T: DeserializeOwned>(
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Result<T, ApiError> {
    let body = serde_json::json!({ "query": query, "variables": variables }).to_string();
    let mut request = Request::post(ENDPOINT).header("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .body(body)
        .map_err(|e| ApiError::transport(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::transport(e.to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| ApiError::transport(e.to_string()))?;

    // A GraphQL server answers errors in the body, whatever the HTTP status; only a body that is
    // not a GraphQL response at all (a proxy page, a 502) is a transport problem.
    let envelope: Envelope<Value> = serde_json::from_str(&text).map_err(|_| {
        ApiError::transport(format!(
            "the server answered HTTP {status} without a GraphQL body"
        ))
    })?;
    if !envelope.errors.is_empty() {
        return Err(ApiError::from_raw(envelope.errors));
    }
    let data = envelope
        .data
        .ok_or_else(|| ApiError::transport("the server answered without data".to_string()))?;
    serde_json::from_value(data)
        .map_err(|e| ApiError::transport(format!("unexpected answer from the server: {e}")))
}
