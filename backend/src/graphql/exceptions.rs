//! The customer-service exceptions queue: delivery problems with the parcel, customer and
//! carrier at hand, the contacts made, and the outcome.

use super::connection::{Conn, try_connection};
use super::guard::Require;
use super::orders::{Order, Shipment};
use super::review::VerificationAddressInput;
use super::{Loaders, actor, parse_id, state};
use crate::db::entity::{exception_contact, exception_task};
use crate::error::AppError;
use crate::service::exceptions::{query, work};
use crate::service::page::PageRequest;
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};
use orderly_shared::{
    ContactParty, ExceptionOutcome, ExceptionSource, ExceptionTaskStatus, Operation,
};

fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    AppError::Internal(e.to_string().into()).extend()
}

pub struct ExceptionTask(exception_task::Model);

#[Object]
impl ExceptionTask {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The carrier's exception code, e.g. `ADDRESS_UNKNOWN`; `DELAYED` from the SLA check.
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn source(&self) -> ExceptionSource {
        self.0.source
    }
    async fn status(&self) -> ExceptionTaskStatus {
        self.0.status
    }
    /// What the carrier or the check reported.
    async fn detail(&self) -> &str {
        &self.0.detail
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.opened_at
    }
    /// The parcel, with its carrier and tracking number.
    async fn shipment(&self, ctx: &Context<'_>) -> async_graphql::Result<Shipment> {
        ctx.data::<Loaders>()?
            .shipments_by_id
            .load_one(self.0.shipment_id)
            .await
            .map_err(internal)?
            .map(Shipment)
            .ok_or_else(|| internal("exception parcel vanished"))
    }
    /// The order, with the customer's name and phone.
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<Order> {
        ctx.data::<Loaders>()?
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(internal)?
            .map(Order)
            .ok_or_else(|| internal("exception order vanished"))
    }
    /// Calls and messages so far, oldest first.
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ExceptionContact>> {
        Ok(ctx
            .data::<Loaders>()?
            .exception_contacts
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default()
            .into_iter()
            .map(ExceptionContact)
            .collect())
    }
    async fn outcome(&self) -> Option<ExceptionOutcome> {
        self.0.outcome
    }
    async fn resolution_note(&self) -> Option<&str> {
        self.0.resolution_note.as_deref()
    }
    /// The refund a REFUND outcome requested (see `refund(id:)`).
    async fn refund_id(&self) -> Option<ID> {
        self.0.refund_id.map(|id| ID(id.to_string()))
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
    async fn resolved_by(&self) -> Option<&str> {
        self.0.resolved_by_label.as_deref()
    }
}

pub struct ExceptionContact(exception_contact::Model);

#[Object]
impl ExceptionContact {
    async fn party(&self) -> ContactParty {
        self.0.party
    }
    async fn note(&self) -> &str {
        &self.0.note
    }
    /// The agent.
    async fn by(&self) -> &str {
        &self.0.actor_label
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

#[derive(InputObject, Default)]
pub struct ExceptionTaskFilter {
    status: Option<Vec<ExceptionTaskStatus>>,
    order_id: Option<ID>,
}

#[derive(InputObject)]
pub struct ResolveExceptionInput {
    outcome: ExceptionOutcome,
    /// What was agreed with the customer and the carrier.
    note: String,
    /// REDELIVER: the address the customer gave.
    corrected_address: Option<VerificationAddressInput>,
    /// REFUND: a decimal in the order's currency.
    refund_amount: Option<String>,
    /// REFUND of a cash-on-delivery order: the bank account or wallet.
    payout_reference: Option<String>,
}

#[derive(Default)]
pub struct ExceptionsQuery;

#[Object]
impl ExceptionsQuery {
    /// Exception tasks, oldest first: the queue is `status: [OPEN]`.
    #[graphql(guard = "Require(Operation::ReadExceptions)")]
    async fn exception_tasks(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<ExceptionTaskFilter>,
    ) -> async_graphql::Result<Conn<ExceptionTask>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let filter = filter.unwrap_or_default();
        let filter = query::TaskFilter {
            status: filter.status.unwrap_or_default(),
            order_id: filter
                .order_id
                .map(|id| parse_id("filter.orderId", &id))
                .transpose()?,
        };
        let rows = query::list(&state(ctx).db, &filter, page).await.extend()?;
        try_connection(
            rows,
            page.after.is_some(),
            |t| t.id,
            |t| Ok(ExceptionTask(t)),
        )
    }

    #[graphql(guard = "Require(Operation::ReadExceptions)")]
    async fn exception_task(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<ExceptionTask>> {
        let id = parse_id("id", &id)?;
        Ok(query::by_id(&state(ctx).db, id)
            .await
            .extend()?
            .map(ExceptionTask))
    }
}

#[derive(Default)]
pub struct ExceptionsMutation;

#[Object]
impl ExceptionsMutation {
    /// Records a call or message with the customer or the carrier (the task must be open).
    #[graphql(guard = "Require(Operation::WorkExceptions)")]
    async fn record_exception_contact(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        party: ContactParty,
        note: String,
    ) -> async_graphql::Result<ExceptionTask> {
        let s = state(ctx);
        let id = parse_id("taskId", &task_id)?;
        work::record_contact(&s.db, &s.realtime, actor(ctx)?, id, party, &note)
            .await
            .extend()?;
        query::by_id(&s.db, id)
            .await
            .extend()?
            .map(ExceptionTask)
            .ok_or_else(|| internal("exception task vanished"))
    }

    /// Closes the task: REDELIVER (optionally to a corrected address), RETURN_TO_SENDER (the
    /// parcel comes back), or REFUND (a refund request goes to finance).
    #[graphql(guard = "Require(Operation::WorkExceptions)")]
    async fn resolve_exception_task(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        input: ResolveExceptionInput,
    ) -> async_graphql::Result<ExceptionTask> {
        let s = state(ctx);
        let id = parse_id("taskId", &task_id)?;
        let outcome = work::Outcome {
            outcome: input.outcome,
            note: input.note,
            corrected_address: input.corrected_address.map(Into::into),
            refund_amount: input.refund_amount,
            payout_reference: input.payout_reference,
        };
        work::resolve(&s.db, &s.realtime, actor(ctx)?, id, outcome)
            .await
            .map(ExceptionTask)
            .extend()
    }
}
