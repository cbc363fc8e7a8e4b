//! Who is asking, and the guard that checks the permission table on every guarded field.

use crate::domain::auth::Actor;
use crate::error::AppError;
use async_graphql::{Context, ErrorExtensions, Guard};
use orderly_shared::Operation;

/// Per-request authentication, resolved once by the HTTP or WebSocket layer.
#[derive(Debug, Clone)]
pub struct RequestAuth {
    pub actor: Option<Actor>,
    /// Why presented credentials were refused (expired, revoked, …), reported by guarded fields.
    pub problem: Option<String>,
    pub client_addr: String,
}

impl RequestAuth {
    pub fn anonymous(client_addr: String) -> Self {
        RequestAuth {
            actor: None,
            problem: None,
            client_addr,
        }
    }
}

/// `#[graphql(guard = "Require(Operation::X)")]`: UNAUTHENTICATED without an actor, FORBIDDEN
/// when the permission table does not allow the actor the operation.
pub struct Require(pub Operation);

impl Guard for Require {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        let auth = ctx.data::<RequestAuth>()?;
        match &auth.actor {
            None => Err(AppError::Unauthenticated(
                auth.problem
                    .clone()
                    .unwrap_or_else(|| "Sign in first.".into()),
            )
            .extend()),
            Some(actor) if actor.may(self.0) => Ok(()),
            Some(_) => Err(AppError::Forbidden(format!(
                "You are not allowed to do this ({:?}).",
                self.0
            ))
            .extend()),
        }
    }
}
