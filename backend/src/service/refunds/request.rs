//! Asking for a refund: by customer service for an order, or by the system when an order or
//! some of its lines are cancelled after payment. Each request is checked against what the
//! order's payments still leave to refund, and fixes how many approvals it needs.

use super::{held_minor, paid, policy, queue_event};
use crate::db::entity::{order, refund};
use crate::domain::auth::Actor;
use crate::domain::money::{Currency, Money};
use crate::domain::refunds::{RefundError, check_amount};
use crate::error::{AppError, AppResult};
use crate::realtime::{QueueEvent, QueueLive};
use crate::service::orders::timeline::{self, EventKind};
use crate::service::orders::transition::ActorLabel;
use chrono::Utc;
use orderly_shared::{FieldProblem, PaymentMethod, RefundStatus};
use sea_orm::{
    ActiveValue::Set, ConnectionTrait, DatabaseConnection, EntityTrait, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

/// A refund to record.
pub struct NewRefund<'a> {
    pub order: &'a order::Model,
    pub amount_minor: i64,
    pub reason: &'a str,
    /// Required for cash-on-delivery orders: where the money goes.
    pub payout_reference: Option<String>,
    pub requested_by: &'a ActorLabel,
    /// The after-sales case that computed the amount.
    pub case_id: Option<Uuid>,
}

/// Records a refund request in the caller's transaction (which should hold the order's row
/// lock when requests can race). Returns it with the finance queue's live event, to publish
/// after commit.
pub async fn record(
    conn: &impl ConnectionTrait,
    queues: &QueueLive,
    new: NewRefund<'_>,
) -> AppResult<(refund::Model, QueueEvent)> {
    let o = new.order;
    let reason = new.reason.trim();
    let mut problems = Vec::new();
    if reason.is_empty() {
        problems.push(FieldProblem::new(
            "reason",
            "REQUIRED",
            "say why the money goes back",
        ));
    }
    let payout_reference = new
        .payout_reference
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if o.payment_method == PaymentMethod::CashOnDelivery {
        match &payout_reference {
            None => problems.push(FieldProblem::new(
                "payoutReference",
                "REQUIRED_FOR_CASH_ON_DELIVERY",
                "the customer paid cash: give the bank account or wallet to refund to",
            )),
            Some(r) if !valid_payout_reference(r) => problems.push(FieldProblem::new(
                "payoutReference",
                "INVALID_PAYOUT_REFERENCE",
                "4 to 64 letters, digits, spaces, '-', '@' or '.'",
            )),
            Some(_) => {}
        }
    }
    let ledger = paid(conn, o.id).await?;
    let held = held_minor(conn, o.id).await?;
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    if let Err(e) = check_amount(ledger.paid_minor, held, new.amount_minor) {
        let (code, message) = match e {
            RefundError::NotPositive => ("MUST_BE_POSITIVE", e.to_string()),
            RefundError::ExceedsPaid { available_minor } => (
                "EXCEEDS_PAID",
                format!(
                    "only {} of the {} paid is left to refund",
                    Money::from_minor(available_minor, currency),
                    Money::from_minor(ledger.paid_minor, currency)
                ),
            ),
            other => ("INVALID", other.to_string()),
        };
        problems.push(FieldProblem::new("amount", code, message));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let needed = policy(conn)
        .await?
        .approvals_needed(&o.currency, new.amount_minor);
    let now = Utc::now();
    let stored = refund::Entity::insert(refund::ActiveModel {
        id: Set(Uuid::now_v7()),
        order_id: Set(o.id),
        amount_minor: Set(new.amount_minor),
        currency: Set(o.currency.clone()),
        status: Set(RefundStatus::Requested),
        reason: Set(reason.to_string()),
        requested_by_kind: Set(new.requested_by.0.to_string()),
        requested_by_label: Set(new.requested_by.1.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        approvals_needed: Set(i32::from(needed)),
        first_approver_kind: Set(None),
        first_approver_label: Set(None),
        first_approved_at: Set(None),
        decided_by_label: Set(None),
        decided_at: Set(None),
        decision_note: Set(None),
        payout_reference: Set(payout_reference),
        provider_reference: Set(None),
        failure_reason: Set(None),
        executed_at: Set(None),
        execution_lease_until: Set(None),
        attempts: Set(0),
        case_id: Set(new.case_id),
    })
    .exec_with_returning(conn)
    .await?;
    let approvals = if needed >= 2 {
        "; needs two finance approvals"
    } else {
        ""
    };
    timeline::record(
        conn,
        timeline::Entry {
            order_id: o.id,
            kind: EventKind::Refund,
            from: None,
            to: None,
            actor: (new.requested_by.0, new.requested_by.1.clone()),
            reason: Some(format!(
                "refund of {} requested: {reason}{approvals}",
                Money::from_minor(new.amount_minor, currency)
            )),
        },
    )
    .await?;
    let event = queue_event(&stored, &o.number, "REQUESTED");
    queues.stage(conn, &event).await?;
    Ok((stored, event))
}

/// Records a refund the system owes (lines or the whole order cancelled after payment): at
/// most what the payments leave to refund; nothing when that is nothing. Returns the amount.
///
/// These run deep inside other use cases' transactions, which publish only order events after
/// commit; so the finance queue's event is published here. On PostgreSQL that is still on
/// commit (NOTIFY); on SQLite it is at once, a moment before the commit.
pub async fn owed(
    conn: &impl ConnectionTrait,
    queues: &QueueLive,
    o: &order::Model,
    amount_minor: Option<i64>,
    reason: &str,
    actor: &ActorLabel,
) -> AppResult<Option<i64>> {
    let ledger = paid(conn, o.id).await?;
    let left = ledger.paid_minor - held_minor(conn, o.id).await?;
    let amount = amount_minor.map_or(left, |a| a.min(left));
    if amount <= 0 {
        return Ok(None);
    }
    let (_, event) = record(
        conn,
        queues,
        NewRefund {
            order: o,
            amount_minor: amount,
            reason,
            payout_reference: None,
            requested_by: actor,
            case_id: None,
        },
    )
    .await?;
    queues.committed([event]);
    Ok(Some(amount))
}

/// Customer service asks for a refund of `amount` on an order.
pub async fn request(
    db: &DatabaseConnection,
    queues: &QueueLive,
    actor: &Actor,
    order_id: Uuid,
    amount: &str,
    reason: &str,
    payout_reference: Option<String>,
) -> AppResult<refund::Model> {
    let label = timeline::actor_of(actor);
    let (amount, reason) = (amount.to_string(), reason.to_string());
    let hub = queues.clone();
    let (stored, event) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                // The row lock serialises requests on one order, so two cannot both take
                // the last of what was paid.
                let o = order::Entity::find_by_id(order_id)
                    .lock_exclusive()
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("No order with id {order_id}.")))?;
                let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
                let minor = Money::parse(&amount, currency)
                    .and_then(|m| m.to_minor())
                    .map_err(|e| AppError::invalid("amount", "INVALID_AMOUNT", e.to_string()))?;
                record(
                    txn,
                    &hub,
                    NewRefund {
                        order: &o,
                        amount_minor: minor,
                        reason: &reason,
                        payout_reference,
                        requested_by: &label,
                        case_id: None,
                    },
                )
                .await
            })
        })
        .await?;
    queues.committed([event]);
    Ok(stored)
}

pub(crate) fn valid_payout_reference(r: &str) -> bool {
    (4..=64).contains(&r.chars().count())
        && r.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '@' | '.'))
}
