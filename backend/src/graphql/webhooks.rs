//! Partners' outbound webhooks, for admins: endpoints per channel (the signing secret is shown
//! once), the delivery log with every attempt, and resending a delivery.

use super::connection::{Conn, try_connection};
use super::guard::Require;
use super::{Loaders, actor, parse_id, state};
use crate::db::entity::{webhook_attempt, webhook_delivery, webhook_endpoint};
use crate::error::AppError;
use crate::service::page::PageRequest;
use crate::service::webhooks::{admin, events_of};
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use orderly_shared::{Operation, WebhookDeliveryStatus, WebhookEventType};

fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    AppError::Internal(e.to_string().into()).extend()
}

pub struct WebhookEndpoint(webhook_endpoint::Model);

#[Object]
impl WebhookEndpoint {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The partner's channel whose events it receives.
    async fn channel(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        ctx.data::<Loaders>()?
            .channels
            .load_one(self.0.channel_id)
            .await
            .map_err(internal)?
            .map(|c| c.code)
            .ok_or_else(|| internal("webhook endpoint without its channel"))
    }
    async fn url(&self) -> &str {
        &self.0.url
    }
    async fn events(&self) -> Vec<WebhookEventType> {
        events_of(&self.0)
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn created_by(&self) -> &str {
        &self.0.created_by_label
    }
}

/// A new endpoint and its signing secret: shown only now.
#[derive(SimpleObject)]
pub struct CreatedWebhookEndpoint {
    endpoint: WebhookEndpoint,
    /// Verify `Orderly-Signature` with it exactly as API.md's inbound webhooks are signed.
    secret: String,
}

pub struct WebhookDelivery(webhook_delivery::Model);

#[Object]
impl WebhookDelivery {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn endpoint_id(&self) -> ID {
        ID(self.0.endpoint_id.to_string())
    }
    /// The payload's `id`, the same on every attempt and resend.
    async fn event_id(&self) -> ID {
        ID(self.0.event_id.to_string())
    }
    async fn event_type(&self) -> WebhookEventType {
        self.0.event_type
    }
    /// The JSON body sent.
    async fn payload(&self) -> &str {
        &self.0.payload
    }
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.status
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    /// When it is tried next, while PENDING.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == WebhookDeliveryStatus::Pending).then_some(self.0.next_attempt_at)
    }
    async fn last_response_status(&self) -> Option<i32> {
        self.0.last_response_status
    }
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
    /// Every attempt, oldest first.
    async fn attempt_log(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WebhookAttempt>> {
        Ok(ctx
            .data::<Loaders>()?
            .webhook_attempts
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default()
            .into_iter()
            .map(WebhookAttempt)
            .collect())
    }
}

pub struct WebhookAttempt(webhook_attempt::Model);

#[Object]
impl WebhookAttempt {
    async fn attempt(&self) -> i32 {
        self.0.attempt
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The `Orderly-Signature` header sent.
    async fn signature(&self) -> &str {
        &self.0.signature
    }
    async fn response_status(&self) -> Option<i32> {
        self.0.response_status
    }
    /// The start of the endpoint's answer.
    async fn response_body(&self) -> Option<&str> {
        self.0.response_body.as_deref()
    }
    /// Why there was no answer.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    async fn duration_ms(&self) -> i32 {
        self.0.duration_ms
    }
}

#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    /// The partner's channel code.
    channel: String,
    /// `https://…` (`http://` only on loopback).
    url: String,
    events: Vec<WebhookEventType>,
}

#[derive(InputObject, Default)]
pub struct WebhookDeliveryFilter {
    endpoint_id: Option<ID>,
    status: Option<Vec<WebhookDeliveryStatus>>,
}

#[derive(Default)]
pub struct WebhooksQuery;

#[Object]
impl WebhooksQuery {
    #[graphql(guard = "Require(Operation::ManageWebhooks)")]
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<WebhookEndpoint>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = admin::endpoints(&state(ctx).db, page).await.extend()?;
        try_connection(
            rows,
            page.after.is_some(),
            |e| e.id,
            |e| Ok(WebhookEndpoint(e)),
        )
    }

    /// The delivery log, newest first.
    #[graphql(guard = "Require(Operation::ManageWebhooks)")]
    async fn webhook_deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<WebhookDeliveryFilter>,
    ) -> async_graphql::Result<Conn<WebhookDelivery>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let filter = filter.unwrap_or_default();
        let filter = admin::DeliveryFilter {
            endpoint_id: filter
                .endpoint_id
                .map(|id| parse_id("filter.endpointId", &id))
                .transpose()?,
            status: filter.status.unwrap_or_default(),
        };
        let rows = admin::deliveries(&state(ctx).db, &filter, page)
            .await
            .extend()?;
        try_connection(
            rows,
            page.after.is_some(),
            |d| d.id,
            |d| Ok(WebhookDelivery(d)),
        )
    }
}

#[derive(Default)]
pub struct WebhooksMutation;

#[Object]
impl WebhooksMutation {
    /// Registers a partner's endpoint; the answer carries its signing secret, shown only once.
    #[graphql(guard = "Require(Operation::ManageWebhooks)")]
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        input: CreateWebhookEndpointInput,
    ) -> async_graphql::Result<CreatedWebhookEndpoint> {
        let s = state(ctx);
        let new = admin::NewEndpoint {
            channel: input.channel,
            url: input.url,
            events: input.events,
        };
        let endpoint = admin::create(&s.db, &s.bus, &s.realtime.webhooks(), actor(ctx)?, new)
            .await
            .extend()?;
        Ok(CreatedWebhookEndpoint {
            secret: endpoint.secret.clone(),
            endpoint: WebhookEndpoint(endpoint),
        })
    }

    /// Stops deliveries to the endpoint.
    #[graphql(guard = "Require(Operation::ManageWebhooks)")]
    async fn deactivate_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<WebhookEndpoint> {
        let s = state(ctx);
        admin::deactivate(
            &s.db,
            &s.bus,
            &s.realtime.webhooks(),
            actor(ctx)?,
            parse_id("id", &id)?,
        )
        .await
        .map(WebhookEndpoint)
        .extend()
    }

    /// Sends a delivery again now (same event id), retrying it for another 24 hours.
    #[graphql(guard = "Require(Operation::ManageWebhooks)")]
    async fn resend_webhook_delivery(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<WebhookDelivery> {
        let s = state(ctx);
        admin::resend(&s.db, &s.bus, actor(ctx)?, parse_id("id", &id)?)
            .await
            .map(WebhookDelivery)
            .extend()
    }
}
