//! The outbox worker: claims due messages, delivers them, and records each delivery on the
//! order's timeline in the same transaction that marks the message delivered.

use crate::db::entity::{order, order_line, outbox as outbox_row};
use crate::error::{AppError, AppResult};
use crate::jobs::outbox;
use crate::service::allocation::ORDER_UPDATE;
use crate::service::notifications::{Mailer, SmsSender, render_confirmation, render_invoice};
use crate::service::orders::intake::ORDER_CONFIRMED;
use crate::service::orders::timeline::{self, EventKind};
use crate::service::shipping::label::INVOICE_SEPARATE;
use chrono::Utc;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;

/// Where outbox work goes: messages to customers, refunds to the payment provider.
#[derive(Clone)]
pub struct Channels {
    pub mailer: Arc<dyn Mailer>,
    pub sms: Arc<dyn SmsSender>,
    pub refunds: Arc<dyn crate::gateway::RefundGateway>,
    /// Refund execution updates the finance queue live.
    pub queues: crate::realtime::QueueLive,
}

/// Claims and delivers one batch; returns how many messages were delivered.
pub async fn run_once(db: &DatabaseConnection, channels: &Channels) -> AppResult<usize> {
    let batch = outbox::claim(db, 20, Utc::now()).await?;
    let mut delivered = 0;
    for message in batch {
        match deliver(db, channels, &message).await {
            Ok(()) => delivered += 1,
            Err(err) => {
                tracing::warn!(id = %message.id, topic = message.topic, attempts = message.attempts, error = %err, "outbox delivery failed");
                outbox::failed(db, &message, &err).await?;
            }
        }
    }
    Ok(delivered)
}

async fn deliver(
    db: &DatabaseConnection,
    channels: &Channels,
    message: &outbox_row::Model,
) -> Result<(), String> {
    match message.topic.as_str() {
        ORDER_CONFIRMED => confirm_order(db, channels, message).await,
        ORDER_UPDATE => order_update(db, channels, message).await,
        INVOICE_SEPARATE => invoice(db, channels, message).await,
        crate::service::refunds::EXECUTE_REFUND => {
            crate::service::refunds::execute::from_outbox(db, channels, message).await
        }
        other => Err(format!("no handler for topic {other}")),
    }
}

async fn confirm_order(
    db: &DatabaseConnection,
    channels: &Channels,
    message: &outbox_row::Model,
) -> Result<(), String> {
    let text = |e: AppError| e.to_string();
    let (found, lines) = order_with_lines(db, message).await?;
    let rendered = render_confirmation(&found, &lines).map_err(text)?;
    channels
        .mailer
        .send(
            &found.customer_email,
            &rendered.subject,
            &rendered.email_body,
        )
        .await?;
    channels
        .sms
        .send(&found.customer_phone, &rendered.sms)
        .await?;
    let (id, order_id) = (message.id, found.id);
    let notes = [
        format!(
            "order confirmation by {} to {}",
            channels.mailer.describe(),
            found.customer_email
        ),
        format!(
            "order confirmation by {} to {}",
            channels.sms.describe(),
            found.customer_phone
        ),
    ];
    db.transaction::<_, _, AppError>(|txn| {
        Box::pin(async move {
            outbox::delivered(txn, id).await?;
            for note in notes {
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id,
                        kind: EventKind::NotificationSent,
                        from: None,
                        to: None,
                        actor: ("SYSTEM", "system".into()),
                        reason: Some(note),
                    },
                )
                .await?;
            }
            Ok(())
        })
    })
    .await
    .map_err(|e| AppError::from(e).to_string())
}

/// A short update about an order (backordered, lines cancelled, cancelled): one e-mail.
async fn order_update(
    db: &DatabaseConnection,
    channels: &Channels,
    message: &outbox_row::Model,
) -> Result<(), String> {
    let found = order::Entity::find_by_id(message.aggregate_id)
        .one(db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("order {} not found", message.aggregate_id))?;
    let payload: serde_json::Value =
        serde_json::from_str(&message.payload).map_err(|e| e.to_string())?;
    let text = payload["message"].as_str().unwrap_or_default();
    let subject = format!("An update on your order {}", found.number);
    let body = format!(
        "Dear {},\n\nAn update on your order {}: {text}.\n\nWe will keep you posted.\n",
        found.customer_name, found.number
    );
    let note = Note {
        what: "order update",
        detail: Some(text),
    };
    mail_and_note(db, channels, message, &found, &subject, &body, note).await
}

/// An invoice the customer asked to receive separately from the parcel: one e-mail.
async fn invoice(
    db: &DatabaseConnection,
    channels: &Channels,
    message: &outbox_row::Model,
) -> Result<(), String> {
    let (found, lines) = order_with_lines(db, message).await?;
    let body = render_invoice(&found, &lines).map_err(|e| e.to_string())?;
    let subject = format!("Invoice for your order {}", found.number);
    let note = Note {
        what: "invoice",
        detail: None,
    };
    mail_and_note(db, channels, message, &found, &subject, &body, note).await
}

/// How the timeline names a delivered e-mail: "<what> by <channel> to <address>[: <detail>]".
struct Note<'a> {
    what: &'a str,
    detail: Option<&'a str>,
}

/// Sends one e-mail to the order's customer, then marks the message delivered and puts the
/// delivery on the timeline, in one transaction.
async fn mail_and_note(
    db: &DatabaseConnection,
    channels: &Channels,
    message: &outbox_row::Model,
    o: &order::Model,
    subject: &str,
    body: &str,
    note: Note<'_>,
) -> Result<(), String> {
    channels
        .mailer
        .send(&o.customer_email, subject, body)
        .await?;
    let (id, order_id) = (message.id, o.id);
    let note = format!(
        "{} by {} to {}{}",
        note.what,
        channels.mailer.describe(),
        o.customer_email,
        note.detail.map(|d| format!(": {d}")).unwrap_or_default()
    );
    db.transaction::<_, _, AppError>(|txn| {
        Box::pin(async move {
            outbox::delivered(txn, id).await?;
            timeline::record(
                txn,
                timeline::Entry {
                    order_id,
                    kind: EventKind::NotificationSent,
                    from: None,
                    to: None,
                    actor: ("SYSTEM", "system".into()),
                    reason: Some(note),
                },
            )
            .await
        })
    })
    .await
    .map_err(|e| AppError::from(e).to_string())
}

/// The message's order and its lines.
async fn order_with_lines(
    db: &DatabaseConnection,
    message: &outbox_row::Model,
) -> Result<(order::Model, Vec<order_line::Model>), String> {
    let found = order::Entity::find_by_id(message.aggregate_id)
        .one(db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("order {} not found", message.aggregate_id))?;
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(found.id))
        .order_by_asc(order_line::Column::LineNo)
        .all(db)
        .await
        .map_err(|e| e.to_string())?;
    Ok((found, lines))
}

/// Delivers for as long as the process lives, polling every `every` when idle.
pub async fn run_forever(db: DatabaseConnection, channels: Channels, every: Duration) {
    loop {
        match run_once(&db, &channels).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "outbox worker failed"),
        }
        tokio::time::sleep(every).await;
    }
}
