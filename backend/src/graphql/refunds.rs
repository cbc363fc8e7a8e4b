//! Refunds: customer service requests, finance decides (the live queue), the provider pays.
//! Also the finance queue's live subscription.

use super::connection::{Conn, try_connection};
use super::guard::Require;
use super::orders::{Money, Order};
use super::{actor, parse_id, state};
use crate::db::entity::refund;
use crate::domain::money::{Currency, Money as DomainMoney};
use crate::domain::refunds::RefundPolicy as DomainPolicy;
use crate::error::AppError;
use crate::realtime::{QueueEvent as Event, WorkQueue};
use crate::service::audit::AuditAction;
use crate::service::page::PageRequest;
use crate::service::refunds::{self, decide::Decision, query::RefundFilter as Filter};
use async_graphql::{
    Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject, Subscription,
};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use orderly_shared::{Operation, RefundStatus};
use tokio_stream::wrappers::BroadcastStream;

pub struct Refund(pub refund::Model);

#[Object]
impl Refund {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The order the money goes back for.
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<Order> {
        let loaders = ctx.data::<super::Loaders>()?;
        loaders
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?
            .map(Order)
            .ok_or_else(|| AppError::Internal("refunded order vanished".into()).extend())
    }
    async fn amount(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.amount_minor, &self.0.currency)
    }
    async fn status(&self) -> RefundStatus {
        self.0.status
    }
    async fn reason(&self) -> &str {
        &self.0.reason
    }
    /// Who asked: a staff e-mail, or `system` for cancellations and rejections.
    async fn requested_by(&self) -> &str {
        &self.0.requested_by_label
    }
    async fn requested_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// 2 when the amount is above the merchant's threshold.
    async fn approvals_needed(&self) -> i32 {
        self.0.approvals_needed
    }
    /// The first of two approvals, once given.
    async fn first_approved_by(&self) -> Option<&str> {
        self.0.first_approver_label.as_deref()
    }
    /// Who gave the final approval, or rejected.
    async fn decided_by(&self) -> Option<&str> {
        self.0.decided_by_label.as_deref()
    }
    async fn decided_at(&self) -> Option<DateTime<Utc>> {
        self.0.decided_at
    }
    /// The approval note, or why it was rejected.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    /// Cash on delivery: the bank account or wallet the money goes to.
    async fn payout_reference(&self) -> Option<&str> {
        self.0.payout_reference.as_deref()
    }
    /// The payment provider's reference for the payout.
    async fn provider_reference(&self) -> Option<&str> {
        self.0.provider_reference.as_deref()
    }
    /// Why the last execution attempt did not pay (declined, or no answer).
    async fn failure_reason(&self) -> Option<&str> {
        self.0.failure_reason.as_deref()
    }
    async fn executed_at(&self) -> Option<DateTime<Utc>> {
        self.0.executed_at
    }
    /// Execution attempts so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
}

#[derive(InputObject, Default)]
pub struct RefundFilter {
    status: Option<Vec<RefundStatus>>,
    order_id: Option<ID>,
}

#[derive(InputObject)]
pub struct RequestRefundInput {
    order_id: ID,
    /// Decimal in the order's currency, e.g. `"59.90"`.
    amount: String,
    reason: String,
    /// Required for cash-on-delivery orders: the customer's bank account or wallet.
    payout_reference: Option<String>,
}

/// Above these amounts a refund needs two finance approvals.
#[derive(SimpleObject)]
pub struct RefundPolicy {
    second_approval_above: Vec<Money>,
}

impl RefundPolicy {
    fn of(p: &DomainPolicy) -> async_graphql::Result<RefundPolicy> {
        let second_approval_above = p
            .second_approval_above_minor
            .iter()
            .map(|(currency, minor)| Money::from_minor(*minor, currency))
            .collect::<async_graphql::Result<_>>()?;
        Ok(RefundPolicy {
            second_approval_above,
        })
    }
}

#[derive(InputObject)]
pub struct ThresholdInput {
    /// Decimal, e.g. `"1000.00"`.
    amount: String,
    currency: String,
}

#[derive(Default)]
pub struct RefundsQuery;

#[Object]
impl RefundsQuery {
    /// Refunds, oldest first: finance's queue is `status: [REQUESTED]`.
    #[graphql(guard = "Require(Operation::ReadRefunds)")]
    async fn refunds(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<RefundFilter>,
    ) -> async_graphql::Result<Conn<Refund>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let filter = filter.unwrap_or_default();
        let filter = Filter {
            status: filter.status.unwrap_or_default(),
            order_id: filter
                .order_id
                .map(|id| parse_id("filter.orderId", &id))
                .transpose()?,
        };
        let rows = refunds::query::list(&state(ctx).db, &filter, page)
            .await
            .extend()?;
        try_connection(rows, page.after.is_some(), |r| r.id, |r| Ok(Refund(r)))
    }

    #[graphql(guard = "Require(Operation::ReadRefunds)")]
    async fn refund(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Refund>> {
        let id = parse_id("id", &id)?;
        Ok(refunds::query::by_id(&state(ctx).db, id)
            .await
            .extend()?
            .map(Refund))
    }

    #[graphql(guard = "Require(Operation::ReadRefunds)")]
    async fn refund_policy(&self, ctx: &Context<'_>) -> async_graphql::Result<RefundPolicy> {
        RefundPolicy::of(&refunds::policy(&state(ctx).db).await.extend()?)
    }
}

#[derive(Default)]
pub struct RefundsMutation;

#[Object]
impl RefundsMutation {
    /// Asks finance to pay money back. The amount may not exceed what the order's payments
    /// leave to refund (other refunds, except rejected ones, count against it).
    #[graphql(guard = "Require(Operation::RequestRefunds)")]
    async fn request_refund(
        &self,
        ctx: &Context<'_>,
        input: RequestRefundInput,
    ) -> async_graphql::Result<Refund> {
        let s = state(ctx);
        let order_id = parse_id("input.orderId", &input.order_id)?;
        refunds::request::request(
            &s.db,
            &s.queues,
            actor(ctx)?,
            order_id,
            &input.amount,
            &input.reason,
            input.payout_reference,
        )
        .await
        .map(Refund)
        .extend()
    }

    /// Approves a requested refund (the first of two above the threshold). The requester may
    /// not approve their own request; two approvals come from two people. The final approval
    /// sends the refund to the payment provider.
    #[graphql(guard = "Require(Operation::DecideRefunds)")]
    async fn approve_refund(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<Refund> {
        decide(ctx, &id, Decision::Approve { note }).await
    }

    #[graphql(guard = "Require(Operation::DecideRefunds)")]
    async fn reject_refund(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Refund> {
        decide(ctx, &id, Decision::Reject { reason }).await
    }

    /// Sends a FAILED refund to the provider again (same idempotency key: never paid twice).
    #[graphql(guard = "Require(Operation::DecideRefunds)")]
    async fn retry_refund(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Refund> {
        decide(ctx, &id, Decision::Retry).await
    }

    /// Sets the amounts above which a refund needs two finance approvals, per currency.
    #[graphql(guard = "Require(Operation::ManageRefundPolicy)")]
    async fn set_refund_policy(
        &self,
        ctx: &Context<'_>,
        second_approval_above: Vec<ThresholdInput>,
    ) -> async_graphql::Result<RefundPolicy> {
        let s = state(ctx);
        let mut policy = DomainPolicy {
            second_approval_above_minor: Default::default(),
        };
        let mut problems = Vec::new();
        for (i, t) in second_approval_above.iter().enumerate() {
            let parsed = Currency::parse(&t.currency)
                .and_then(|c| DomainMoney::parse(&t.amount, c))
                .and_then(|m| Ok((m.currency(), m.to_minor()?)));
            match parsed {
                Ok((c, minor)) if minor >= 0 => {
                    if policy
                        .second_approval_above_minor
                        .insert(c.code().to_string(), minor)
                        .is_some()
                    {
                        problems.push(orderly_shared::FieldProblem::new(
                            format!("secondApprovalAbove[{i}].currency"),
                            "DUPLICATE",
                            "one threshold per currency",
                        ));
                    }
                }
                Ok(_) => problems.push(orderly_shared::FieldProblem::new(
                    format!("secondApprovalAbove[{i}].amount"),
                    "MUST_NOT_BE_NEGATIVE",
                    "a threshold is zero or more",
                )),
                Err(e) => problems.push(orderly_shared::FieldProblem::new(
                    format!("secondApprovalAbove[{i}]"),
                    "INVALID_AMOUNT",
                    e.to_string(),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(AppError::Validation(problems).extend());
        }
        let out = RefundPolicy::of(&policy)?;
        crate::service::settings_json::put_audited(
            &s.db,
            &s.bus,
            actor(ctx)?,
            refunds::REFUND_POLICY,
            AuditAction::RefundPolicyChanged,
            policy,
        )
        .await
        .extend()?;
        Ok(out)
    }
}

async fn decide(ctx: &Context<'_>, id: &ID, decision: Decision) -> async_graphql::Result<Refund> {
    let s = state(ctx);
    let id = parse_id("id", id)?;
    refunds::decide::decide(&s.db, &s.queues, actor(ctx)?, id, decision)
        .await
        .map(Refund)
        .extend()
}

/// Something changed in a work queue: refetch what you show.
#[derive(SimpleObject)]
pub struct QueueEvent {
    queue: WorkQueue,
    item_id: ID,
    order_id: ID,
    order_number: String,
    /// e.g. `REQUESTED`, `FIRST_APPROVAL`, `APPROVED`, `REJECTED`, `EXECUTED`, `FAILED`.
    kind: String,
    at: DateTime<Utc>,
}

#[derive(Default)]
pub struct QueuesSubscription;

#[Subscription]
impl QueuesSubscription {
    /// Changes in one work queue, for the screens that show it.
    async fn queue_changed(
        &self,
        ctx: &Context<'_>,
        queue: WorkQueue,
    ) -> async_graphql::Result<impl Stream<Item = QueueEvent> + use<>> {
        let needed = match queue {
            WorkQueue::Refunds => Operation::ReadRefunds,
            WorkQueue::Exceptions => Operation::ReadExceptions,
            WorkQueue::AfterSales => Operation::ReadCases,
        };
        // The queues span every channel: staff only, whatever partners may read of their own.
        let staff = matches!(actor(ctx)?, crate::domain::auth::Actor::Staff(_));
        if !staff || !actor(ctx)?.may(needed) {
            return Err(AppError::Forbidden(format!(
                "Your role may not watch the {queue:?} queue."
            ))
            .extend());
        }
        let receiver = state(ctx).queues.subscribe();
        Ok(
            BroadcastStream::new(receiver).filter_map(move |event| async move {
                let event: Event = event.ok()?;
                (event.queue == queue).then(|| QueueEvent {
                    queue: event.queue,
                    item_id: ID(event.item_id.to_string()),
                    order_id: ID(event.order_id.to_string()),
                    order_number: event.order_number,
                    kind: event.kind,
                    at: event.at,
                })
            }),
        )
    }
}
