//! An admin registers a partner's endpoints, reads the delivery log and resends a delivery.
//! Every change is in the audit log; the signing secret is shown once, when it is made.

use super::WebhookDirectory;
use crate::db::entity::{channel, webhook_delivery, webhook_endpoint};
use crate::domain::auth::Actor;
use crate::domain::webhooks::{WebhookError, check_events, check_url};
use crate::error::{AppError, AppResult};
use crate::service::api_keys::parse_channel_code;
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::orders::timeline::actor_of;
use crate::service::page::{Page, PageRequest};
use chrono::Utc;
use orderly_shared::{FieldProblem, WebhookDeliveryStatus, WebhookEventType};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

/// An endpoint as the admin registers it.
pub struct NewEndpoint {
    pub channel: String,
    pub url: String,
    pub events: Vec<WebhookEventType>,
}

/// Registers the endpoint; returns it with its signing secret (`whsec_` + 64 hex digits).
pub async fn create(
    db: &DatabaseConnection,
    bus: &AuditBus,
    directory: &WebhookDirectory,
    actor: &Actor,
    new: NewEndpoint,
) -> AppResult<webhook_endpoint::Model> {
    let mut problems = Vec::new();
    let code = match parse_channel_code(&new.channel) {
        Ok(code) => Some(code),
        Err(_) => {
            problems.push(FieldProblem::new(
                "channel",
                "INVALID",
                "not a channel code",
            ));
            None
        }
    };
    let channel = match &code {
        Some(code) => {
            channel::Entity::find()
                .filter(channel::Column::Code.eq(code.clone()))
                .one(db)
                .await?
        }
        None => None,
    };
    if code.is_some() && channel.is_none() {
        problems.push(FieldProblem::new(
            "channel",
            "UNKNOWN_CHANNEL",
            format!("no channel {}", new.channel.trim()),
        ));
    }
    if let Err(e) = check_url(&new.url) {
        problems.push(FieldProblem::new("url", url_code(&e), e.to_string()));
    }
    if let Err(e) = check_events(&new.events) {
        let code = match e {
            WebhookError::NoEvents => "REQUIRED",
            _ => "DUPLICATE",
        };
        problems.push(FieldProblem::new("events", code, e.to_string()));
    }
    let Some(channel) = channel.filter(|_| problems.is_empty()) else {
        return Err(AppError::Validation(problems));
    };
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    let endpoint = webhook_endpoint::Model {
        id: Uuid::now_v7(),
        channel_id: channel.id,
        url: new.url.trim().to_string(),
        secret: format!("whsec_{}", hex::encode(bytes)),
        events: serde_json::to_string(&new.events).map_err(AppError::internal)?,
        active: true,
        created_at: Utc::now(),
        created_by_label: actor_of(actor).1,
    };
    let actor = actor.clone();
    let stored = endpoint.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                webhook_endpoint::Entity::insert(stored.clone().into_active_model())
                    .exec(txn)
                    .await?;
                audit::record(
                    txn,
                    &actor,
                    AuditAction::WebhookEndpointCreated,
                    "WEBHOOK_ENDPOINT",
                    Some(stored.id.to_string()),
                    Some(serde_json::json!({
                        "channel": channel.code, "url": stored.url, "events": new.events,
                    })),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    directory.invalidate();
    Ok(endpoint)
}

/// Stops deliveries to the endpoint (pending ones give up at their next attempt).
pub async fn deactivate(
    db: &DatabaseConnection,
    bus: &AuditBus,
    directory: &WebhookDirectory,
    actor: &Actor,
    id: Uuid,
) -> AppResult<webhook_endpoint::Model> {
    let actor = actor.clone();
    let (endpoint, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let endpoint = webhook_endpoint::Entity::update_many()
                    .col_expr(webhook_endpoint::Column::Active, Expr::value(false))
                    .filter(webhook_endpoint::Column::Id.eq(id))
                    .exec_with_returning(txn)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| {
                        AppError::NotFound(format!("No webhook endpoint with id {id}."))
                    })?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::WebhookEndpointDeactivated,
                    "WEBHOOK_ENDPOINT",
                    Some(id.to_string()),
                    None,
                )
                .await?;
                Ok((endpoint, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    directory.invalidate();
    Ok(endpoint)
}

/// Sends the delivery again now, with the same event id (receivers de-duplicate by it), and
/// retries it for another 24 hours if it fails.
pub async fn resend(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    id: Uuid,
) -> AppResult<webhook_delivery::Model> {
    let actor = actor.clone();
    let (delivery, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let now = Utc::now();
                let delivery = webhook_delivery::Entity::update_many()
                    .col_expr(
                        webhook_delivery::Column::Status,
                        Expr::value(WebhookDeliveryStatus::Pending),
                    )
                    .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(now))
                    .col_expr(webhook_delivery::Column::RetryFrom, Expr::value(now))
                    .col_expr(
                        webhook_delivery::Column::ClaimedUntil,
                        Expr::value(Option::<chrono::DateTime<Utc>>::None),
                    )
                    .filter(webhook_delivery::Column::Id.eq(id))
                    .exec_with_returning(txn)
                    .await?
                    .into_iter()
                    .next()
                    .ok_or_else(|| {
                        AppError::NotFound(format!("No webhook delivery with id {id}."))
                    })?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::WebhookDeliveryResent,
                    "WEBHOOK_DELIVERY",
                    Some(id.to_string()),
                    Some(serde_json::json!({ "eventId": delivery.event_id })),
                )
                .await?;
                Ok((delivery, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(delivery)
}

pub async fn endpoints(
    db: &DatabaseConnection,
    page: PageRequest,
) -> AppResult<Page<webhook_endpoint::Model>> {
    let mut q = webhook_endpoint::Entity::find().order_by_asc(webhook_endpoint::Column::Id);
    if let Some(after) = page.after {
        q = q.filter(webhook_endpoint::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

#[derive(Debug, Default)]
pub struct DeliveryFilter {
    pub endpoint_id: Option<Uuid>,
    pub status: Vec<WebhookDeliveryStatus>,
}

/// The delivery log, newest first.
pub async fn deliveries(
    db: &DatabaseConnection,
    filter: &DeliveryFilter,
    page: PageRequest,
) -> AppResult<Page<webhook_delivery::Model>> {
    let mut q = webhook_delivery::Entity::find().order_by_desc(webhook_delivery::Column::Id);
    if let Some(id) = filter.endpoint_id {
        q = q.filter(webhook_delivery::Column::EndpointId.eq(id));
    }
    if !filter.status.is_empty() {
        q = q.filter(webhook_delivery::Column::Status.is_in(filter.status.iter().copied()));
    }
    if let Some(after) = page.after {
        q = q.filter(webhook_delivery::Column::Id.lt(after));
    }
    let rows = q.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

fn url_code(e: &WebhookError) -> &'static str {
    match e {
        WebhookError::NotHttps => "NOT_HTTPS",
        WebhookError::NoHost => "NO_HOST",
        _ => "INVALID_URL",
    }
}
