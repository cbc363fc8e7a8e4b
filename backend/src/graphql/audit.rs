//! The audit log, as a list and as a live feed.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::state;
use crate::db::entity::audit_log;
use crate::service::audit;
use crate::service::page::PageRequest;
use async_graphql::{Context, ID, Object, ResultExt, Subscription};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use orderly_shared::Operation;
use tokio_stream::wrappers::BroadcastStream;

/// One recorded action: who did what to which target, when.
pub struct AuditEntry(audit_log::Model);

#[Object]
impl AuditEntry {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The user's e-mail, the partner channel, or "command line" / "system".
    async fn actor(&self) -> &str {
        &self.0.actor_label
    }
    /// What happened, e.g. `user.created`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    /// The kind of thing acted on, e.g. `USER`.
    async fn target_type(&self) -> &str {
        &self.0.target_type
    }
    async fn target_id(&self) -> Option<&str> {
        self.0.target_id.as_deref()
    }
    /// Details as JSON text.
    async fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The audit log, newest first.
    #[graphql(guard = "Require(Operation::ReadAuditLog)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<AuditEntry>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = audit::list(&state(ctx).db, page).await.extend()?;
        Ok(connection(rows, page.after.is_some(), |e| e.id, AuditEntry))
    }
}

#[derive(Default)]
pub struct AuditSubscription;

#[Subscription]
impl AuditSubscription {
    /// Every audit entry as it is committed.
    #[graphql(guard = "Require(Operation::WatchAuditLog)")]
    async fn audit_log_appended(
        &self,
        ctx: &Context<'_>,
    ) -> impl Stream<Item = AuditEntry> + use<> {
        let receiver = state(ctx).bus.subscribe();
        // A subscriber too slow to keep up skips what it missed rather than stalling the bus.
        BroadcastStream::new(receiver).filter_map(|r| async move { r.ok().map(AuditEntry) })
    }
}
