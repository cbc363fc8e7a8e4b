//! What people do with orders the review held: reviewers approve or reject, customer service
//! records verification calls, corrects addresses and releases the holds that are theirs, and
//! either cancels before picking. Every action is one transaction; stock given back serves the
//! orders waiting for it after commit.

use super::{before_allocation, wind_down};
use crate::db::entity::order;
use crate::domain::auth::Actor;
use crate::domain::orders::{AddressDraft, HoldReason, OrderCommand, validate_address};
use crate::domain::review::check_address;
use crate::error::{AppError, AppResult};
use crate::realtime::Realtime;
use crate::service::allocation::{self, Locking, Mode, waiting};
use crate::service::orders::stored;
use crate::service::orders::timeline::{self, EventKind, actor_of};
use crate::service::orders::transition::{self, ActorLabel};
use orderly_shared::{HoldReasonCode, OrderStatus, VerificationOutcome};
use sea_orm::{DatabaseConnection, EntityTrait, IntoActiveModel, TransactionTrait};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Hold reasons customer service may clear itself (the rest need a reviewer).
pub const CS_CODES: [HoldReasonCode; 3] = [
    HoldReasonCode::AddressUnverified,
    HoldReasonCode::RemoteArea,
    HoldReasonCode::SpecialRequest,
];

fn label(actor: &Actor) -> ActorLabel {
    let (kind, label) = actor_of(actor);
    (kind, label)
}

async fn find(conn: &impl sea_orm::ConnectionTrait, id: Uuid) -> AppResult<order::Model> {
    order::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No order {id}.")))
}

/// The stored hold reasons of an order.
pub fn reasons_of(o: &order::Model) -> Vec<HoldReason> {
    #[derive(serde::Deserialize)]
    struct Stored {
        code: HoldReasonCode,
        message: String,
    }
    serde_json::from_str::<Vec<Stored>>(&o.hold_reasons)
        .unwrap_or_default()
        .into_iter()
        .map(|r| HoldReason::new(r.code, r.message))
        .collect()
}

/// A reviewer approves a held (or confirmed) order; it is allocated at once.
pub async fn approve(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    id: Uuid,
    note: Option<String>,
) -> AppResult<order::Model> {
    let who = label(actor);
    let hub = realtime.clone();
    let (o, events) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let o = find(txn, id).await?;
                let reason = match note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                    Some(n) => format!("approved: {n}"),
                    None => "approved by a reviewer".into(),
                };
                let (after, event) =
                    transition::apply(txn, &hub, &o, &OrderCommand::Approve, &who, reason).await?;
                let mut events = vec![event];
                events.extend(
                    allocation::allocate(
                        txn,
                        &hub,
                        &after,
                        Mode::Approved,
                        Locking::Pessimistic,
                        &who,
                    )
                    .await?
                    .events,
                );
                Ok((find(txn, id).await?, events))
            })
        })
        .await?;
    realtime.committed(events);
    Ok(o)
}

/// A reviewer rejects an order: it ends cancelled, gives back what it held, and a paid order's
/// refund is recorded for finance.
pub async fn reject(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    id: Uuid,
    reason: String,
) -> AppResult<order::Model> {
    end(db, realtime, actor, id, OrderCommand::Reject { reason }).await
}

/// Customer service (or an admin) cancels an order before it ships.
pub async fn cancel(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    id: Uuid,
    reason: String,
) -> AppResult<order::Model> {
    end(db, realtime, actor, id, OrderCommand::Cancel { reason }).await
}

async fn end(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    id: Uuid,
    command: OrderCommand,
) -> AppResult<order::Model> {
    let who = label(actor);
    let hub = realtime.clone();
    let (o, event, freed) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let o = find(txn, id).await?;
                let reason = match &command {
                    OrderCommand::Reject { reason } | OrderCommand::Cancel { reason } => {
                        reason.trim().to_string()
                    }
                    _ => String::new(),
                };
                let (after, event) =
                    transition::apply(txn, &hub, &o, &command, &who, reason.clone()).await?;
                // `o` still carries the payment status; the refund is for what was paid.
                let freed = wind_down(txn, &hub, &o, &reason, &who).await?;
                allocation::notify(txn, &after, &format!("Your order was cancelled: {reason}"))
                    .await?;
                Ok((after, event, freed))
            })
        })
        .await?;
    realtime.committed([event]);
    serve_after(db, realtime, freed).await;
    Ok(o)
}

/// Serves waiting orders with stock given back; a failure here is logged, not the caller's.
pub async fn serve_after(db: &DatabaseConnection, realtime: &Realtime, freed: BTreeSet<String>) {
    if let Err(err) = waiting::serve(db, realtime, &freed).await {
        tracing::error!(error = %err, "serving waiting orders failed");
    }
}

/// Customer service clears the holds that are theirs; when no reason is left the order is
/// approved and allocated.
pub async fn release(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    id: Uuid,
    codes: Vec<HoldReasonCode>,
    note: String,
) -> AppResult<order::Model> {
    if note.trim().is_empty() {
        return Err(AppError::invalid(
            "note",
            "REQUIRED",
            "say what was checked",
        ));
    }
    if let Some(code) = codes.iter().find(|c| !CS_CODES.contains(c)) {
        return Err(AppError::Forbidden(format!(
            "{code} holds are cleared by a reviewer (approveOrder), not released by customer service."
        )));
    }
    let who = label(actor);
    let hub = realtime.clone();
    let (o, events) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let o = find(txn, id).await?;
                let (after, events) = clear(txn, &hub, &o, &codes, note.trim(), &who).await?;
                Ok((after, events))
            })
        })
        .await?;
    realtime.committed(events);
    Ok(o)
}

/// Removes `codes` from a held order's reasons: approves and allocates when none remain, else
/// keeps it on hold with the rest.
async fn clear(
    txn: &impl sea_orm::ConnectionTrait,
    hub: &Realtime,
    o: &order::Model,
    codes: &[HoldReasonCode],
    note: &str,
    who: &ActorLabel,
) -> AppResult<(order::Model, Vec<crate::realtime::OrderStatusEvent>)> {
    if o.status != OrderStatus::OnHold {
        return Err(AppError::InvalidTransition(format!(
            "an order that is {} has no holds to release",
            o.status
        )));
    }
    let before = reasons_of(o);
    let left: Vec<HoldReason> = before
        .iter()
        .filter(|r| !codes.contains(&r.code))
        .cloned()
        .collect();
    if left.len() == before.len() {
        return Err(AppError::Conflict(format!(
            "Order {} is not held for {}.",
            o.number,
            codes
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let released = codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if left.is_empty() {
        let (after, event) = transition::apply(
            txn,
            hub,
            o,
            &OrderCommand::Approve,
            who,
            format!("released {released}: {note}"),
        )
        .await?;
        let mut events = vec![event];
        events.extend(
            allocation::allocate(txn, hub, &after, Mode::Approved, Locking::Pessimistic, who)
                .await?
                .events,
        );
        return Ok((find(txn, o.id).await?, events));
    }
    let (after, event) = transition::apply(
        txn,
        hub,
        o,
        &OrderCommand::Hold { reasons: left },
        who,
        format!("released {released}: {note}; other holds remain"),
    )
    .await?;
    Ok((after, vec![event]))
}

/// A verification call customer service made about an order's address.
pub struct VerificationCall {
    pub outcome: VerificationOutcome,
    pub note: String,
    /// With CORRECTED: the address the customer gave.
    pub corrected: Option<AddressDraft>,
}

/// Records the call on the timeline; a corrected address replaces the old one (before allocation
/// only); a confirmed or corrected address releases the address holds.
pub async fn record_call(
    db: &DatabaseConnection,
    realtime: &Realtime,
    actor: &Actor,
    id: Uuid,
    call: VerificationCall,
) -> AppResult<order::Model> {
    if call.note.trim().is_empty() {
        return Err(AppError::invalid(
            "note",
            "REQUIRED",
            "say what the customer said",
        ));
    }
    let corrected = match (call.outcome, call.corrected) {
        (VerificationOutcome::Corrected, Some(draft)) => {
            let mut problems = Vec::new();
            let valid = validate_address("address", &draft, &mut problems);
            match valid {
                Some(a) if problems.is_empty() => Some(a),
                _ => return Err(AppError::Validation(problems)),
            }
        }
        (VerificationOutcome::Corrected, None) => {
            return Err(AppError::invalid(
                "address",
                "REQUIRED",
                "a CORRECTED outcome needs the corrected address",
            ));
        }
        (_, Some(_)) => {
            return Err(AppError::invalid(
                "address",
                "NOT_ALLOWED",
                "only a CORRECTED outcome carries an address",
            ));
        }
        (_, None) => None,
    };
    let who = label(actor);
    let hub = realtime.clone();
    let (o, events) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let mut o = find(txn, id).await?;
                if !before_allocation(o.status) {
                    return Err(AppError::InvalidTransition(format!(
                        "an order that is {} is past address verification",
                        o.status
                    )));
                }
                timeline::record(
                    txn,
                    timeline::Entry {
                        order_id: o.id,
                        kind: EventKind::VerificationCall,
                        from: None,
                        to: None,
                        actor: (who.0, who.1.clone()),
                        reason: Some(format!("{}: {}", call.outcome, call.note.trim())),
                    },
                )
                .await?;
                if let Some(a) = corrected {
                    let mut row = o.clone().into_active_model();
                    stored::set_address(&mut row, a);
                    o = order::Entity::update(row).exec(txn).await?;
                }
                let held_for_address = reasons_of(&o).iter().any(|r| {
                    matches!(
                        r.code,
                        HoldReasonCode::AddressUnverified | HoldReasonCode::RemoteArea
                    )
                });
                if call.outcome == VerificationOutcome::NotReached || !held_for_address {
                    return Ok((o, vec![]));
                }
                // A corrected address is checked again (it may itself be incomplete); a
                // remote area confirmed by the customer is accepted.
                let policy = super::config::load(txn).await?.address;
                let still_unverified = corrected_still_suspicious(&o, &policy, call.outcome);
                if still_unverified {
                    return Ok((o, vec![]));
                }
                clear(
                    txn,
                    &hub,
                    &o,
                    &[
                        HoldReasonCode::AddressUnverified,
                        HoldReasonCode::RemoteArea,
                    ],
                    &format!("address verified by phone ({})", call.outcome),
                    &who,
                )
                .await
            })
        })
        .await?;
    realtime.committed(events);
    Ok(o)
}

fn corrected_still_suspicious(
    o: &order::Model,
    policy: &crate::domain::review::AddressPolicy,
    outcome: VerificationOutcome,
) -> bool {
    outcome == VerificationOutcome::Corrected
        && check_address(&stored::address(o), policy)
            .iter()
            .any(|r| r.code == HoldReasonCode::AddressUnverified)
}
