//! Finance's view of the money: the payments ledger, and cash-on-delivery reconciliation
//! against the carriers' remittance statements.

use super::connection::{Conn, try_connection};
use super::guard::Require;
use super::orders::{Money, Order, Payment};
use super::{actor, state};
use crate::db::entity::{cod_remittance, cod_remittance_line};
use crate::domain::cod;
use crate::error::AppError;
use crate::service::page::PageRequest;
use crate::service::payments::cod::{self as cod_service, NewLine, NewRemittance};
use crate::service::payments::ledger::{self, PaymentFilter as Filter};
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};
use orderly_shared::{CodFinding, Operation, PaymentKind};

/// What to list from the ledger; `from` inclusive, `to` exclusive.
#[derive(InputObject, Default)]
pub struct PaymentFilter {
    kinds: Option<Vec<PaymentKind>>,
    /// A gateway or carrier code, exactly.
    provider: Option<String>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
}

impl PaymentFilter {
    pub fn into_domain(self) -> async_graphql::Result<Filter> {
        Filter {
            kinds: self.kinds.unwrap_or_default(),
            provider: self.provider,
            from: self.from,
            to: self.to,
        }
        .validated()
        .extend()
    }
}

/// One carrier's cash on delivery in one currency.
pub struct CodBalance(cod_service::Balance);

#[Object]
impl CodBalance {
    async fn carrier(&self) -> &str {
        &self.0.carrier
    }
    /// Everything the ledger says the carrier collected at the door.
    async fn collected(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.collected_minor, &self.0.currency)
    }
    /// Everything its statements paid over.
    async fn remitted(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.remitted_minor, &self.0.currency)
    }
    /// Collected for orders no statement names yet.
    async fn outstanding(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.outstanding_minor, &self.0.currency)
    }
    async fn outstanding_orders(&self) -> i64 {
        self.0.outstanding_orders
    }
    /// Remitted less collected over the remitted orders: negative when the carrier kept cash.
    async fn difference(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.difference_minor, &self.0.currency)
    }
}

/// A carrier's statement of the cash it paid over.
pub struct CodRemittance(cod_remittance::Model);

#[Object]
impl CodRemittance {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn carrier(&self) -> &str {
        &self.0.carrier
    }
    /// The carrier's statement number.
    async fn reference(&self) -> &str {
        &self.0.reference
    }
    async fn total(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.total_minor, &self.0.currency)
    }
    /// What the ledger says was collected for the statement's orders.
    async fn expected(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.expected_minor, &self.0.currency)
    }
    async fn difference(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.total_minor - self.0.expected_minor, &self.0.currency)
    }
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    async fn recorded_by(&self) -> &str {
        &self.0.recorded_by_label
    }
    /// The statement's lines in its order (bounded by the statement's size).
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CodRemittanceLine>> {
        let lines = ctx
            .data::<super::Loaders>()?
            .remittance_lines
            .load_one(self.0.id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?
            .unwrap_or_default();
        Ok(lines
            .into_iter()
            .map(|l| CodRemittanceLine(l, self.0.currency.clone()))
            .collect())
    }
}

/// One order's cash in a statement, beside what the ledger says was collected.
pub struct CodRemittanceLine(cod_remittance_line::Model, String);

#[Object]
impl CodRemittanceLine {
    /// Position in the statement, from 1.
    async fn line(&self) -> i32 {
        self.0.line
    }
    async fn tracking_number(&self) -> &str {
        &self.0.tracking_number
    }
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<Order> {
        ctx.data::<super::Loaders>()?
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?
            .map(Order)
            .ok_or_else(|| AppError::Internal("remitted order vanished".into()).extend())
    }
    async fn expected(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.expected_minor, &self.1)
    }
    async fn remitted(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.remitted_minor, &self.1)
    }
    async fn difference(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.remitted_minor - self.0.expected_minor, &self.1)
    }
    async fn finding(&self) -> CodFinding {
        cod::finding(
            self.0.payment_id.is_some(),
            self.0.expected_minor,
            self.0.remitted_minor,
        )
    }
}

#[derive(InputObject)]
pub struct CodRemittanceInput {
    /// The carrier's code, e.g. `SIMEX`.
    carrier: String,
    /// The carrier's statement number (unique per carrier).
    reference: String,
    currency: String,
    note: Option<String>,
    /// One line per parcel, as the statement lists them.
    lines: Vec<CodRemittanceLineInput>,
}

#[derive(InputObject)]
pub struct CodRemittanceLineInput {
    tracking_number: String,
    /// Decimal, e.g. `"120.50"`.
    amount: String,
}

#[derive(Default)]
pub struct PaymentsQuery;

#[Object]
impl PaymentsQuery {
    /// The payments ledger, newest first: captures, failed captures, cash collected on
    /// delivery and refunds. The same rows as `GET /exports/payments.csv`.
    #[graphql(guard = "Require(Operation::ReadPayments)")]
    async fn payments(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<PaymentFilter>,
    ) -> async_graphql::Result<Conn<Payment>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let filter = filter.unwrap_or_default().into_domain()?;
        let rows = ledger::list(&state(ctx).db, &filter, page).await.extend()?;
        try_connection(rows, page.after.is_some(), |p| p.id, |p| Ok(Payment(p)))
    }

    /// Each carrier's cash on delivery: collected, remitted, outstanding, differences.
    #[graphql(guard = "Require(Operation::ReconcileCod)")]
    async fn cod_balances(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CodBalance>> {
        Ok(cod_service::balances(&state(ctx).db)
            .await
            .extend()?
            .into_iter()
            .map(CodBalance)
            .collect())
    }

    /// Cash collected for orders no statement names yet, oldest first.
    #[graphql(guard = "Require(Operation::ReconcileCod)")]
    async fn cod_outstanding(
        &self,
        ctx: &Context<'_>,
        carrier: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Payment>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = cod_service::outstanding(&state(ctx).db, carrier.as_deref(), page)
            .await
            .extend()?;
        try_connection(rows, page.after.is_some(), |p| p.id, |p| Ok(Payment(p)))
    }

    /// Recorded statements, newest first.
    #[graphql(guard = "Require(Operation::ReconcileCod)")]
    async fn cod_remittances(
        &self,
        ctx: &Context<'_>,
        carrier: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<CodRemittance>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = cod_service::remittances(&state(ctx).db, carrier.as_deref(), page)
            .await
            .extend()?;
        try_connection(
            rows,
            page.after.is_some(),
            |r| r.id,
            |r| Ok(CodRemittance(r)),
        )
    }
}

#[derive(Default)]
pub struct PaymentsMutation;

#[Object]
impl PaymentsMutation {
    /// Records a carrier's remittance statement, all or nothing: unknown parcels, prepaid
    /// orders, an order named twice or already remitted are refused at their `lines[i]`.
    /// Amounts that differ from the collection on record are kept and shown as differences.
    #[graphql(guard = "Require(Operation::ReconcileCod)")]
    async fn record_cod_remittance(
        &self,
        ctx: &Context<'_>,
        input: CodRemittanceInput,
    ) -> async_graphql::Result<CodRemittance> {
        let s = state(ctx);
        let new = NewRemittance {
            carrier: input.carrier,
            reference: input.reference,
            currency: input.currency,
            note: input.note,
            lines: input
                .lines
                .into_iter()
                .map(|l| NewLine {
                    tracking_number: l.tracking_number,
                    amount: l.amount,
                })
                .collect(),
        };
        let (remittance, _) = cod_service::record(&s.db, &s.bus, actor(ctx)?, new)
            .await
            .extend()?;
        Ok(CodRemittance(remittance))
    }
}
