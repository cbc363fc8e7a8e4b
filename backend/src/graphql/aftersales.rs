//! After-sales cases: opened by customer service or a partner, decided by customer service,
//! returns received and inspected by the warehouse; the refunds they compute go to finance.

use super::connection::{Conn, try_connection};
use super::guard::Require;
use super::orders::{Money, Order};
use super::refunds::Refund;
use super::{Loaders, actor, parse_id, state};
use crate::db::entity::{after_sales_case, after_sales_case_line};
use crate::domain::aftersales::AfterSalesPolicy as DomainPolicy;
use crate::error::AppError;
use crate::service::aftersales::{self, decide, open, query, returns};
use crate::service::audit::AuditAction;
use crate::service::page::PageRequest;
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use orderly_shared::{
    CaseKind, CaseReason, CaseStatus, InspectionVerdict, Operation, ShippingRefundPolicy,
};

fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    AppError::Internal(e.to_string().into()).extend()
}

pub struct AfterSalesCase(pub after_sales_case::Model);

#[Object]
impl AfterSalesCase {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// `AS` + date + code, to read over the phone.
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// The order's number, for those who may not read the order itself (the warehouse).
    async fn order_number(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        ctx.data::<Loaders>()?
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(internal)?
            .map(|o| o.number)
            .ok_or_else(|| internal("after-sales order vanished"))
    }
    #[graphql(guard = "Require(Operation::ReadOrders)")]
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<Order> {
        ctx.data::<Loaders>()?
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(internal)?
            .map(Order)
            .ok_or_else(|| internal("after-sales order vanished"))
    }
    async fn reason(&self) -> CaseReason {
        self.0.reason
    }
    async fn kind(&self) -> CaseKind {
        self.0.kind
    }
    async fn status(&self) -> CaseStatus {
        self.0.status
    }
    /// What the customer said.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// A staff e-mail, or the partner's channel.
    async fn opened_by(&self) -> &str {
        &self.0.opened_by_label
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Why it was approved, rejected or closed.
    async fn decision_note(&self) -> Option<&str> {
        self.0.decision_note.as_deref()
    }
    async fn decided_by(&self) -> Option<&str> {
        self.0.decided_by_label.as_deref()
    }
    /// Cash on delivery: the account or wallet the refund goes to.
    async fn payout_reference(&self) -> Option<&str> {
        self.0.payout_reference.as_deref()
    }
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AfterSalesCaseLine>> {
        let rows = ctx
            .data::<Loaders>()?
            .case_lines
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        let currency = self.currency(ctx).await?;
        Ok(rows
            .into_iter()
            .map(|l| AfterSalesCaseLine(l, currency.clone()))
            .collect())
    }
    /// The carrier the return label is booked with.
    async fn return_carrier(&self) -> Option<&str> {
        self.0.return_carrier.as_deref()
    }
    /// Scanned when the parcel arrives (`receiveReturn`).
    async fn return_tracking_number(&self) -> Option<&str> {
        self.0.return_tracking_number.as_deref()
    }
    /// The return label to send the customer (staff bearer token).
    async fn return_label_url(&self) -> Option<String> {
        self.0
            .return_tracking_number
            .as_ref()
            .map(|_| format!("/documents/return-labels/{}.pdf", self.0.id))
    }
    /// What the case refunds, shipping included (zero until computed).
    async fn refund_amount(&self, ctx: &Context<'_>) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.refund_minor, &self.currency(ctx).await?)
    }
    /// The part of the refund that is the order's shipping fee.
    async fn shipping_refund(&self, ctx: &Context<'_>) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.shipping_refund_minor, &self.currency(ctx).await?)
    }
    /// The refund request the case sent to finance.
    #[graphql(guard = "Require(Operation::ReadRefunds)")]
    async fn refund(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Refund>> {
        let Some(id) = self.0.refund_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaders>()?
            .refunds_by_id
            .load_one(id)
            .await
            .map_err(internal)?
            .map(Refund))
    }
    /// The replacement order of an exchange or a reship.
    #[graphql(guard = "Require(Operation::ReadOrders)")]
    async fn replacement_order(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Order>> {
        let Some(id) = self.0.replacement_order_id else {
            return Ok(None);
        };
        Ok(ctx
            .data::<Loaders>()?
            .orders
            .load_one(id)
            .await
            .map_err(internal)?
            .map(Order))
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.resolved_at
    }
}

impl AfterSalesCase {
    async fn currency(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(ctx
            .data::<Loaders>()?
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(internal)?
            .map(|o| o.currency)
            .unwrap_or_else(|| "CNY".into()))
    }
}

pub struct AfterSalesCaseLine(after_sales_case_line::Model, String);

#[Object]
impl AfterSalesCaseLine {
    async fn order_line_id(&self) -> ID {
        ID(self.0.order_line_id.to_string())
    }
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    /// Units that passed inspection and are back in stock.
    async fn passed(&self) -> i32 {
        self.0.passed
    }
    async fn scrapped(&self) -> i32 {
        self.0.scrapped
    }
    async fn sent_back(&self) -> i32 {
        self.0.sent_back
    }
    /// Units still to inspect once the return is received.
    async fn to_inspect(&self) -> i32 {
        self.0.quantity - self.0.passed - self.0.scrapped - self.0.sent_back
    }
    /// What the inspector noted about failed units, in order.
    async fn inspection_notes(&self) -> Vec<InspectionNote> {
        serde_json::from_str::<Vec<serde_json::Value>>(&self.0.inspection_notes)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| {
                Some(InspectionNote {
                    verdict: InspectionVerdict::parse(v.get("verdict")?.as_str()?)?,
                    note: v.get("note")?.as_str()?.to_string(),
                })
            })
            .collect()
    }
    /// This line's part of the case's refund.
    async fn refund(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.refund_minor, &self.1)
    }
}

#[derive(SimpleObject)]
pub struct InspectionNote {
    verdict: InspectionVerdict,
    note: String,
}

#[derive(SimpleObject)]
pub struct AfterSalesPolicy {
    /// Days after delivery in which a NO_REASON return may be opened.
    no_reason_return_days: i32,
    shipping_refund: ShippingRefundPolicy,
}

impl From<DomainPolicy> for AfterSalesPolicy {
    fn from(p: DomainPolicy) -> Self {
        AfterSalesPolicy {
            no_reason_return_days: p.no_reason_days as i32,
            shipping_refund: p.shipping_refund,
        }
    }
}

#[derive(InputObject, Default)]
pub struct AfterSalesCaseFilter {
    status: Option<Vec<CaseStatus>>,
    kind: Option<Vec<CaseKind>>,
    order_id: Option<ID>,
}

#[derive(InputObject)]
pub struct CaseLineInput {
    order_line_id: ID,
    quantity: i32,
}

#[derive(InputObject)]
pub struct OpenAfterSalesCaseInput {
    order_id: ID,
    reason: CaseReason,
    kind: CaseKind,
    lines: Vec<CaseLineInput>,
    /// What the customer says happened.
    description: Option<String>,
    /// Cash on delivery: the customer's bank account or wallet for the refund.
    payout_reference: Option<String>,
}

#[derive(InputObject, Default)]
pub struct ApproveAfterSalesCaseInput {
    note: Option<String>,
    payout_reference: Option<String>,
}

#[derive(InputObject)]
pub struct InspectReturnInput {
    case_id: ID,
    /// The scanned unit's SKU.
    sku: String,
    verdict: InspectionVerdict,
    /// What was wrong: required for SCRAP and SEND_BACK.
    note: Option<String>,
    /// Where a unit that passes is stored (default `RET-01-01-01`).
    bin: Option<String>,
}

#[derive(Default)]
pub struct AfterSalesQuery;

#[Object]
impl AfterSalesQuery {
    /// Cases, oldest first; the queue is the open statuses. Partners see their own channel's.
    #[graphql(guard = "Require(Operation::ReadCases)")]
    async fn after_sales_cases(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<AfterSalesCaseFilter>,
    ) -> async_graphql::Result<Conn<AfterSalesCase>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let filter = filter.unwrap_or_default();
        let filter = query::CaseFilter {
            status: filter.status.unwrap_or_default(),
            kind: filter.kind.unwrap_or_default(),
            order_id: filter
                .order_id
                .map(|id| parse_id("filter.orderId", &id))
                .transpose()?,
        };
        let rows = query::list(&state(ctx).db, actor(ctx)?, &filter, page)
            .await
            .extend()?;
        try_connection(
            rows,
            page.after.is_some(),
            |c| c.id,
            |c| Ok(AfterSalesCase(c)),
        )
    }

    #[graphql(guard = "Require(Operation::ReadCases)")]
    async fn after_sales_case(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<AfterSalesCase>> {
        let id = parse_id("id", &id)?;
        Ok(query::by_id(&state(ctx).db, actor(ctx)?, id)
            .await
            .extend()?
            .map(AfterSalesCase))
    }

    #[graphql(guard = "Require(Operation::ReadCases)")]
    async fn after_sales_policy(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<AfterSalesPolicy> {
        Ok(aftersales::policy(&state(ctx).db).await.extend()?.into())
    }
}

#[derive(Default)]
pub struct AfterSalesMutation;

#[Object]
impl AfterSalesMutation {
    /// Opens a case on delivered lines of an order (a partner: of its own channel's orders).
    #[graphql(guard = "Require(Operation::OpenCases)")]
    async fn open_after_sales_case(
        &self,
        ctx: &Context<'_>,
        input: OpenAfterSalesCaseInput,
    ) -> async_graphql::Result<AfterSalesCase> {
        let s = state(ctx);
        let mut lines = Vec::new();
        for (i, l) in input.lines.iter().enumerate() {
            lines.push((
                parse_id(&format!("input.lines[{i}].orderLineId"), &l.order_line_id)?,
                l.quantity,
            ));
        }
        let new = open::NewCase {
            order_id: parse_id("input.orderId", &input.order_id)?,
            reason: input.reason,
            kind: input.kind,
            lines,
            description: input.description,
            payout_reference: input.payout_reference,
        };
        open::open(&s.db, &s.queues, actor(ctx)?, new)
            .await
            .map(AfterSalesCase)
            .extend()
    }

    /// Approves the case: a return gets its label, a refund-only case's refund goes to
    /// finance, a reship places its replacement order.
    #[graphql(guard = "Require(Operation::DecideCases)")]
    async fn approve_after_sales_case(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: Option<ApproveAfterSalesCaseInput>,
    ) -> async_graphql::Result<AfterSalesCase> {
        let s = state(ctx);
        let input = input.unwrap_or_default();
        let approval = decide::Approval {
            note: input.note,
            payout_reference: input.payout_reference,
        };
        decide::approve(
            &s.db,
            &*s.carriers,
            &s.realtime,
            actor(ctx)?,
            parse_id("id", &id)?,
            approval,
        )
        .await
        .map(AfterSalesCase)
        .extend()
    }

    /// Refuses the case; the reason is what the customer is told.
    #[graphql(guard = "Require(Operation::DecideCases)")]
    async fn reject_after_sales_case(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<AfterSalesCase> {
        let s = state(ctx);
        decide::reject(
            &s.db,
            &s.realtime,
            actor(ctx)?,
            parse_id("id", &id)?,
            &reason,
        )
        .await
        .map(AfterSalesCase)
        .extend()
    }

    /// Closes an approved case by hand (the customer withdrew, the parcel never came).
    #[graphql(guard = "Require(Operation::DecideCases)")]
    async fn close_after_sales_case(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<AfterSalesCase> {
        let s = state(ctx);
        decide::close(
            &s.db,
            &s.realtime,
            actor(ctx)?,
            parse_id("id", &id)?,
            &reason,
        )
        .await
        .map(AfterSalesCase)
        .extend()
    }

    /// The return parcel arrived: scan its label's tracking number.
    #[graphql(guard = "Require(Operation::ReceiveReturns)")]
    async fn receive_return(
        &self,
        ctx: &Context<'_>,
        tracking_number: String,
    ) -> async_graphql::Result<AfterSalesCase> {
        let s = state(ctx);
        returns::receive(&s.db, &s.realtime, actor(ctx)?, &tracking_number)
            .await
            .map(AfterSalesCase)
            .extend()
    }

    /// One returned unit's inspection: PASS restocks it, SCRAP receives and scraps it,
    /// SEND_BACK refuses it. After the last unit the case's refund or replacement follows.
    #[graphql(guard = "Require(Operation::ReceiveReturns)")]
    async fn inspect_return(
        &self,
        ctx: &Context<'_>,
        input: InspectReturnInput,
    ) -> async_graphql::Result<AfterSalesCase> {
        let s = state(ctx);
        let unit = returns::UnitInspection {
            case_id: parse_id("input.caseId", &input.case_id)?,
            sku: input.sku,
            verdict: input.verdict,
            note: input.note,
            bin: input.bin,
        };
        returns::inspect(&s.db, &s.realtime, actor(ctx)?, unit)
            .await
            .map(AfterSalesCase)
            .extend()
    }

    /// Sets the no-reason return window (1–90 days) and when shipping is refunded.
    #[graphql(guard = "Require(Operation::ManageAfterSalesPolicy)")]
    async fn set_after_sales_policy(
        &self,
        ctx: &Context<'_>,
        no_reason_return_days: i32,
        shipping_refund: ShippingRefundPolicy,
    ) -> async_graphql::Result<AfterSalesPolicy> {
        let s = state(ctx);
        let policy = DomainPolicy {
            no_reason_days: u32::try_from(no_reason_return_days).unwrap_or(0),
            shipping_refund,
        };
        policy
            .check()
            .map_err(|e| AppError::invalid("noReasonReturnDays", "OUT_OF_RANGE", e.to_string()))
            .extend()?;
        crate::service::settings_json::put_audited(
            &s.db,
            &s.bus,
            actor(ctx)?,
            aftersales::AFTER_SALES_POLICY,
            AuditAction::AfterSalesPolicyChanged,
            policy,
        )
        .await
        .extend()?;
        Ok(policy.into())
    }
}
