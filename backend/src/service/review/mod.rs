//! The review of confirmed orders: the automatic checks (address, special requests, risk) that
//! approve, hold or reject without a person, and what reviewers and customer service do with
//! held orders. Approval leads straight into allocation, in the same transaction.

pub mod config;
pub mod facts;
pub mod hold;

use crate::db::entity::order;
use crate::domain::money::{Currency, Money};
use crate::domain::orders::OrderCommand;
use crate::domain::review::{
    ReviewInput, ReviewOutcome, RiskOrder, assess, check_address, check_special_requests,
    decide_review, needed_facts,
};
use crate::error::{AppError, AppResult};
use crate::realtime::{OrderStatusEvent, Realtime};
use crate::service::allocation::{self, Known, Locking, Mode, Placed, release::release_order};
use crate::service::orders::stored;
use crate::service::orders::transition::{self, ActorLabel, system};
use chrono::Utc;
use orderly_shared::{OrderStatus, PaymentMethod};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use std::collections::BTreeSet;

/// Runs the automatic review of a CONFIRMED order and, if it passes, allocates it (`placed`: the
/// lines and products of an order placed in this transaction). Returns the order as it is now
/// and the live events to publish after commit.
pub async fn review_confirmed(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    o: &order::Model,
    locking: Locking,
    placed: Option<Placed<'_>>,
) -> AppResult<(order::Model, Vec<OrderStatusEvent>)> {
    let shop = crate::service::shop_config::current(conn).await?;
    let cfg = &shop.review;
    let address_holds = check_address(&stored::address(o), &cfg.address);
    let special = check_special_requests(&stored::special_requests(o), Utc::now(), &cfg.special);
    let facts = facts::gather(conn, o, &needed_facts(&cfg.rules), &shop.blocklist).await?;
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    let risk = assess(
        &cfg.rules,
        &RiskOrder {
            total: Money::from_minor(o.total_minor, currency),
            cash_on_delivery: o.payment_method == PaymentMethod::CashOnDelivery,
            coupon_codes: stored::coupon_codes(o),
            phone: o.customer_phone.clone(),
        },
        &facts,
        &cfg.thresholds,
    );
    let outcome = decide_review(ReviewInput {
        address_holds: &address_holds,
        special: &special,
        risk: &risk,
    });
    let actor = system();
    let reason = match &outcome {
        ReviewOutcome::Approve => {
            format!("passed the automatic review (risk score {})", risk.score)
        }
        ReviewOutcome::Hold(_) => {
            format!("held by the automatic review (risk score {})", risk.score)
        }
        ReviewOutcome::Reject(reasons) => format!(
            "rejected by the automatic review (risk score {}, reject at {}): {}",
            risk.score,
            cfg.thresholds.reject_at,
            reasons
                .iter()
                .map(|r| r.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    let command = outcome.command();
    let (after, event) = transition::apply(conn, realtime, o, &command, &actor, reason).await?;
    let mut events = vec![event];
    let mut now = after.clone();
    match outcome {
        ReviewOutcome::Approve => {
            let known = Known {
                shop: &shop,
                placed,
            };
            let allocated = allocation::allocate_with(
                conn,
                realtime,
                &known,
                &after,
                Mode::Automatic,
                locking,
                &actor,
            )
            .await?;
            events.extend(allocated.events);
            if let Some(o) = allocated.order {
                now = o;
            }
        }
        ReviewOutcome::Reject(_) => {
            let OrderCommand::Reject { reason } = command else {
                unreachable!("a rejection's command is Reject")
            };
            wind_down(conn, realtime, &after, &reason, &actor).await?;
        }
        ReviewOutcome::Hold(_) => {}
    }
    Ok((now, events))
}

/// What ending an order before it ships owes: its reserved stock back, its shipments called off
/// (picked units back to their bins), its coupon uses back, and what the customer paid recorded
/// as a refund for finance. Returns the SKUs that got stock back.
pub async fn wind_down(
    conn: &impl ConnectionTrait,
    realtime: &Realtime,
    o: &order::Model,
    reason: &str,
    actor: &ActorLabel,
) -> AppResult<BTreeSet<String>> {
    let mut freed = release_order(conn, o.id, &o.number, reason, actor).await?;
    freed.extend(crate::service::shipping::cancel::call_off(conn, o, actor).await?);
    crate::service::coupons::give_back(conn, stored::coupon_codes(o)).await?;
    // What was captured, also a capture that did not match the order (it held the order, unpaid).
    let why = format!("order {}: {reason}", o.status);
    crate::service::refunds::request::owed(conn, realtime.queues(), o, None, &why, actor).await?;
    Ok(freed)
}

/// Whether the order is still before allocation (address and requests may change).
pub fn before_allocation(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::PendingPayment | OrderStatus::Confirmed | OrderStatus::OnHold
    )
}

/// Held orders, oldest first: the review queue.
pub async fn queue(
    conn: &impl ConnectionTrait,
    page: crate::service::page::PageRequest,
) -> AppResult<crate::service::page::Page<order::Model>> {
    use sea_orm::{QueryOrder, QuerySelect};
    let mut q = order::Entity::find()
        .filter(order::Column::Status.eq(OrderStatus::OnHold))
        .order_by_asc(order::Column::Id);
    if let Some(after) = page.after {
        q = q.filter(order::Column::Id.gt(after));
    }
    let rows = q.limit(page.first + 1).all(conn).await?;
    Ok(crate::service::page::Page::from_overfetch(rows, page.first))
}
