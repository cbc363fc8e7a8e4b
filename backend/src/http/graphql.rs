//! GraphQL over HTTP and over WebSocket (graphql-transport-ws). Credentials are resolved to an
//! actor here, once per request or connection; the resolvers' guards decide what it may do.

use crate::app::AppState;
use crate::domain::auth::Actor;
use crate::error::AppError;
use crate::graphql::{Loaders, OrderlySchema, RequestAuth};
use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql::{Data, ServerError};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse, GraphQLWebSocket};
use axum::Extension;
use axum::extract::{ConnectInfo, State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use orderly_shared::ErrorCode;
use std::net::SocketAddr;

pub async fn execute(
    State(state): State<AppState>,
    Extension(schema): Extension<OrderlySchema>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    request: GraphQLRequest,
) -> GraphQLResponse {
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.strip_prefix("Bearer ").unwrap_or("").trim().to_owned());
    let api_key = headers
        .get("x-api-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let auth = authenticate(
        &state,
        bearer.as_deref(),
        api_key.as_deref(),
        peer.ip().to_string(),
    )
    .await;
    let request = request
        .into_inner()
        .data(auth)
        .data(Loaders::new(&state.db));
    let mut response = schema.execute(request).await;
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    for error in &mut response.errors {
        ensure_code(error, request_id);
    }
    response.into()
}

/// Errors raised by the GraphQL engine itself (syntax, unknown fields, depth and complexity
/// limits, wrong argument types) carry no code yet: they are the client's input problems.
fn ensure_code(error: &mut ServerError, request_id: &str) {
    let code = error
        .extensions
        .as_ref()
        .and_then(|ext| ext.get("code"))
        .and_then(|v| match v {
            async_graphql::Value::String(s) => ErrorCode::parse(s),
            _ => None,
        });
    match code {
        None => {
            error
                .extensions
                .get_or_insert_with(Default::default)
                .set("code", ErrorCode::Validation.as_str());
        }
        Some(ErrorCode::Internal) => {
            error.message = format!("Internal error (request id {request_id}).");
        }
        Some(_) => {}
    }
}

/// Resolves the presented credentials. Bad credentials do not fail the request: public
/// operations (login) still work, and guarded ones report why the credentials were refused.
async fn authenticate(
    state: &AppState,
    bearer: Option<&str>,
    api_key: Option<&str>,
    client_addr: String,
) -> RequestAuth {
    let result = match (bearer, api_key) {
        (Some(token), _) => state
            .auth
            .authenticate_bearer(&state.db, token)
            .await
            .map(Actor::Staff),
        (None, Some(key)) => state
            .auth
            .authenticate_api_key(&state.db, key)
            .await
            .map(Actor::Partner),
        (None, None) => return RequestAuth::anonymous(client_addr),
    };
    match result {
        Ok(actor) => RequestAuth {
            actor: Some(actor),
            problem: None,
            client_addr,
        },
        Err(AppError::Unauthenticated(why)) => RequestAuth {
            actor: None,
            problem: Some(why),
            client_addr,
        },
        Err(err) => {
            tracing::error!(error = %err, "authentication failed");
            RequestAuth {
                actor: None,
                problem: Some("Credentials could not be checked; try again.".into()),
                client_addr,
            }
        }
    }
}

pub async fn graphiql(State(state): State<AppState>) -> Response {
    if state.config.graphiql {
        Html(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .subscription_endpoint("/graphql/ws")
                .finish(),
        )
        .into_response()
    } else {
        (StatusCode::NOT_FOUND, "GraphiQL is disabled").into_response()
    }
}

/// `connection_init` payload: `{"authorization": "Bearer <token>"}` or `{"apiKey": "<key>"}`.
pub async fn websocket(
    State(state): State<AppState>,
    Extension(schema): Extension<OrderlySchema>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |stream| {
            GraphQLWebSocket::new(stream, schema, protocol)
                .on_connection_init(move |payload| async move {
                    let field = |name: &str| {
                        payload
                            .get(name)
                            .and_then(|v| v.as_str())
                            .map(str::to_owned)
                    };
                    let bearer = field("authorization")
                        .map(|v| v.strip_prefix("Bearer ").unwrap_or("").trim().to_owned());
                    let auth = authenticate(
                        &state,
                        bearer.as_deref(),
                        field("apiKey").as_deref(),
                        peer.ip().to_string(),
                    )
                    .await;
                    if let (None, Some(problem)) = (&auth.actor, &auth.problem) {
                        // Refuse the connection outright rather than accept a session that can do nothing.
                        return Err(async_graphql::Error::new(problem.clone()));
                    }
                    let mut data = Data::default();
                    data.insert(Loaders::new(&state.db));
                    data.insert(auth);
                    Ok(data)
                })
                .serve()
        })
}
