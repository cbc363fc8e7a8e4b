//! Orders as partners and staff read them, and live status changes.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::{Loaders, actor, parse_id, state};
use crate::db::entity::{order, order_event, order_line, payment, shipment};
use crate::domain::money::{Currency, Money as DomainMoney};
use crate::error::AppError;
use crate::realtime::OrderStatusEvent as Event;
use crate::service::orders::OrderScope;
use crate::service::orders::query::{self, OrderFilter as Filter};
use crate::service::page::PageRequest;
use async_graphql::{
    Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject, Subscription,
};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use orderly_shared::{
    HoldReasonCode, Operation, OrderStatus, PaymentKind, PaymentMethod, PaymentStatus,
    ShipmentStatus,
};
use tokio_stream::wrappers::BroadcastStream;

/// An amount of money: a decimal string (never a float) and its ISO 4217 currency.
#[derive(SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Money {
    /// Decimal, e.g. `"123.45"`.
    pub amount: String,
    pub currency: String,
}

impl Money {
    pub fn from_minor(minor: i64, currency: &str) -> async_graphql::Result<Money> {
        let currency = Currency::parse(currency)
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?;
        let money = DomainMoney::from_minor(minor, currency);
        Ok(Money {
            amount: money.amount().to_string(),
            currency: currency.code().to_string(),
        })
    }
}

fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    AppError::Internal(e.to_string().into()).extend()
}

/// Why an order waits for a person.
#[derive(SimpleObject, Clone, Debug, serde::Deserialize)]
pub struct HoldReason {
    pub code: HoldReasonCode,
    /// Says what triggered the hold, with the numbers.
    pub message: String,
}

#[derive(SimpleObject)]
pub struct Customer {
    name: String,
    email: String,
    /// E.164, e.g. `+8613800138000`.
    phone: String,
}

#[derive(SimpleObject)]
pub struct Address {
    recipient: String,
    phone: String,
    /// ISO 3166-1 alpha-2.
    country: String,
    /// Province or state, where the country has them.
    region: Option<String>,
    city: String,
    district: Option<String>,
    line1: String,
    line2: Option<String>,
    postal_code: Option<String>,
}

pub struct OrderLine(order_line::Model, String);

#[Object]
impl OrderLine {
    /// What an after-sales case names when it claims for this line.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    async fn unit_price(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.unit_price_minor, &self.1)
    }
    /// This line's share of the order's discounts.
    async fn discount(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.discount_minor, &self.1)
    }
    /// Unit price × quantity, before discounts.
    async fn line_total(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.line_total_minor, &self.1)
    }
}

/// One entry of the order's timeline.
pub struct OrderEvent(order_event::Model);

#[Object]
impl OrderEvent {
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// What happened, e.g. `STATUS_CHANGED`, `PAYMENT_RECEIVED`, `NOTIFICATION_SENT`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// Who: a user's e-mail, a partner channel, a provider, or "system".
    async fn actor(&self) -> &str {
        &self.0.actor_label
    }
    async fn from(&self) -> Option<OrderStatus> {
        self.0.from_status.as_deref().and_then(OrderStatus::parse)
    }
    async fn to(&self) -> Option<OrderStatus> {
        self.0.to_status.as_deref().and_then(OrderStatus::parse)
    }
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
    }
}

/// One entry of the payments ledger.
pub struct Payment(pub payment::Model);

#[Object]
impl Payment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The order the money belongs to.
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<Order> {
        ctx.data::<super::Loaders>()?
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?
            .map(Order)
            .ok_or_else(|| AppError::Internal("paid order vanished".into()).extend())
    }
    /// The gateway's or carrier's code (`SIMPAY`, `SIMEX`, …).
    async fn provider(&self) -> &str {
        &self.0.provider
    }
    async fn kind(&self) -> PaymentKind {
        self.0.kind
    }
    async fn amount(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.amount_minor, &self.0.currency)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// The provider's event id.
    async fn reference(&self) -> &str {
        &self.0.provider_event_id
    }
    /// What the provider said, e.g. why a capture failed.
    async fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
}

/// A customer's rating of a delivered order.
#[derive(SimpleObject)]
pub struct OrderRating {
    /// 1 to 5.
    pub score: i32,
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
}

impl From<crate::db::entity::order_rating::Model> for OrderRating {
    fn from(r: crate::db::entity::order_rating::Model) -> OrderRating {
        OrderRating {
            score: i32::from(r.score),
            comment: r.comment,
            rated_at: r.rated_at,
        }
    }
}

/// A warehouse, as a shipment names it.
#[derive(SimpleObject, Clone)]
pub struct WarehouseRef {
    pub id: ID,
    pub code: String,
    pub name: String,
}

/// Units of one SKU in a shipment.
#[derive(SimpleObject)]
pub struct ShipmentLine {
    sku: String,
    quantity: i32,
    /// Units taken from the bins so far.
    picked_quantity: i32,
    /// Units put into its put-wall slot (batch waves).
    sorted_quantity: i32,
    /// Units scanned at the pack station.
    packed_quantity: i32,
}

/// What one warehouse ships for an order.
pub struct Shipment(pub shipment::Model);

impl Shipment {
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<super::loaders::OrderBrief> {
        ctx.data::<Loaders>()?
            .order_briefs
            .load_one(self.0.order_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| internal("shipment without an order"))
    }
}

#[Object]
impl Shipment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn status(&self) -> ShipmentStatus {
        self.0.status
    }
    async fn warehouse(&self, ctx: &Context<'_>) -> async_graphql::Result<WarehouseRef> {
        let loaders = ctx.data::<Loaders>()?;
        let w = loaders
            .warehouses
            .load_one(self.0.warehouse_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| internal("shipment without a warehouse"))?;
        Ok(WarehouseRef {
            id: ID(w.id.to_string()),
            code: w.code,
            name: w.name,
        })
    }
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ShipmentLine>> {
        let loaders = ctx.data::<Loaders>()?;
        let lines = loaders
            .shipment_lines
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(lines
            .into_iter()
            .map(|l| ShipmentLine {
                sku: l.sku,
                quantity: l.quantity,
                picked_quantity: l.picked_quantity,
                sorted_quantity: l.sorted_quantity,
                packed_quantity: l.packed_quantity,
            })
            .collect())
    }
    /// The order's number (warehouse staff see this, not the order).
    async fn order_number(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(self.order(ctx).await?.number)
    }
    /// The wave picking it, once it is in one.
    async fn wave_id(&self) -> Option<ID> {
        self.0.wave_id.map(|id| ID(id.to_string()))
    }
    /// Its put-wall slot in a batch wave.
    async fn wall_slot(&self) -> Option<i32> {
        self.0.wall_slot
    }
    /// The carrier: planned when the wave is created, final once labelled.
    async fn carrier(&self) -> Option<&str> {
        self.0.carrier.as_deref()
    }
    /// The carrier's service, once labelled.
    async fn service_code(&self) -> Option<&str> {
        self.0.service_code.as_deref()
    }
    /// The packaging it was packed in.
    async fn packaging_code(&self) -> Option<&str> {
        self.0.packaging_code.as_deref()
    }
    /// The weight of the packed parcel, packaging included.
    async fn packed_weight_g(&self) -> Option<i32> {
        self.0.packed_weight_g
    }
    /// What the carrier charges for it, by the rate table.
    async fn shipping_cost(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Money>> {
        let Some(minor) = self.0.shipping_cost_minor else {
            return Ok(None);
        };
        let currency = self.order(ctx).await?.currency;
        Money::from_minor(minor, &currency).map(Some)
    }
    async fn handed_over_at(&self) -> Option<DateTime<Utc>> {
        self.0.handed_over_at
    }
    /// Called off (its order cancelled, or every unit short); it keeps its last status.
    async fn cancelled(&self) -> bool {
        self.0.cancelled_at.is_some()
    }
    /// The carrier's exception code while in EXCEPTION.
    async fn exception_code(&self) -> Option<&str> {
        self.0.exception_code.as_deref()
    }
    async fn tracking_number(&self) -> Option<&str> {
        self.0.tracking_number.as_deref()
    }
    /// What the warehouse and carrier must do for the customer's special requests (JSON list).
    async fn instructions(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(serde_json::from_str(&self.0.instructions).unwrap_or_default())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

pub struct Order(pub order::Model);

#[Object]
impl Order {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The human order number, e.g. `OR261125-7KQ2XMA`.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn status(&self) -> OrderStatus {
        self.0.status
    }
    async fn payment_status(&self) -> PaymentStatus {
        self.0.payment_status
    }
    async fn payment_method(&self) -> PaymentMethod {
        self.0.payment_method
    }
    /// The sales channel the order came from.
    async fn channel(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        let loaders = ctx.data::<Loaders>()?;
        let channel = loaders
            .channels
            .load_one(self.0.channel_id)
            .await
            .map_err(internal)?;
        Ok(channel.map(|c| c.code).unwrap_or_default())
    }
    /// What the customer pays: subtotal − discount + shipping (tax included).
    async fn total(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.total_minor, &self.0.currency)
    }
    async fn subtotal(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.subtotal_minor, &self.0.currency)
    }
    async fn discount(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.discount_minor, &self.0.currency)
    }
    async fn shipping(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.shipping_minor, &self.0.currency)
    }
    /// The tax included in the total.
    async fn tax(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.tax_minor, &self.0.currency)
    }
    async fn customer(&self) -> Customer {
        Customer {
            name: self.0.customer_name.clone(),
            email: self.0.customer_email.clone(),
            phone: self.0.customer_phone.clone(),
        }
    }
    async fn shipping_address(&self) -> Address {
        let o = &self.0;
        Address {
            recipient: o.ship_recipient.clone(),
            phone: o.ship_phone.clone(),
            country: o.ship_country.clone(),
            region: o.ship_region.clone(),
            city: o.ship_city.clone(),
            district: o.ship_district.clone(),
            line1: o.ship_line1.clone(),
            line2: o.ship_line2.clone(),
            postal_code: o.ship_postal_code.clone(),
        }
    }
    async fn coupon_codes(&self) -> Vec<String> {
        serde_json::from_str(&self.0.coupon_codes).unwrap_or_default()
    }
    /// The special requests as recorded (JSON), if any.
    async fn special_requests(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        let text = self.0.special_requests.as_deref()?;
        serde_json::from_str(text).ok().map(async_graphql::Json)
    }
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrderLine>> {
        let loaders = ctx.data::<Loaders>()?;
        let lines = loaders
            .order_lines
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(lines
            .into_iter()
            .map(|l| OrderLine(l, self.0.currency.clone()))
            .collect())
    }
    /// Where the order ships from, one shipment per warehouse (empty until allocated).
    async fn shipments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Shipment>> {
        let loaders = ctx.data::<Loaders>()?;
        let rows = loaders
            .shipments
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Shipment).collect())
    }
    /// Labels the partner gave the order (allocation rules can match them).
    async fn tags(&self) -> Vec<String> {
        serde_json::from_str(&self.0.tags).unwrap_or_default()
    }
    /// Why the order waits for a person (empty unless ON_HOLD).
    async fn hold_reasons(&self) -> Vec<HoldReason> {
        serde_json::from_str(&self.0.hold_reasons).unwrap_or_default()
    }
    /// The timeline, oldest first.
    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<OrderEvent>> {
        let loaders = ctx.data::<Loaders>()?;
        let events = loaders
            .order_events
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(events.into_iter().map(OrderEvent).collect())
    }
    /// The payments ledger of this order, oldest first.
    async fn payments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Payment>> {
        let loaders = ctx.data::<Loaders>()?;
        let rows = loaders
            .payments
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Payment).collect())
    }
    /// Refunds of this order, oldest first.
    #[graphql(guard = "super::guard::Require(orderly_shared::Operation::ReadRefunds)")]
    async fn refunds(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::refunds::Refund>> {
        let loaders = ctx.data::<Loaders>()?;
        let rows = loaders
            .refunds
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(super::refunds::Refund).collect())
    }
    /// After-sales cases of this order, oldest first.
    #[graphql(guard = "super::guard::Require(orderly_shared::Operation::ReadCases)")]
    async fn after_sales_cases(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<super::aftersales::AfterSalesCase>> {
        let rows = ctx
            .data::<Loaders>()?
            .order_cases
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .map(super::aftersales::AfterSalesCase)
            .collect())
    }
    /// When the last parcel was delivered.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }
    /// The customer's rating, once given.
    async fn rating(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<OrderRating>> {
        let loaders = ctx.data::<Loaders>()?;
        Ok(loaders
            .ratings
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .map(OrderRating::from))
    }
    /// Prepaid orders expire if not paid by then.
    async fn payment_due_at(&self) -> Option<DateTime<Utc>> {
        self.0.payment_due_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// All optional, combined with AND.
#[derive(InputObject, Default)]
pub struct OrderFilter {
    status: Option<Vec<OrderStatus>>,
    payment_status: Option<Vec<PaymentStatus>>,
    /// A channel code.
    channel: Option<String>,
    created_after: Option<DateTime<Utc>>,
    created_before: Option<DateTime<Utc>>,
    /// An order number, e-mail, phone number (or its last digits), or part of a customer name.
    search: Option<String>,
}

impl From<OrderFilter> for Filter {
    fn from(f: OrderFilter) -> Filter {
        Filter {
            statuses: f.status.unwrap_or_default(),
            payment_statuses: f.payment_status.unwrap_or_default(),
            channel: f.channel,
            created_after: f.created_after,
            created_before: f.created_before,
            search: f.search,
        }
    }
}

#[derive(Default)]
pub struct OrdersQuery;

#[Object]
impl OrdersQuery {
    /// One order, by id or by number. Partners see only their channel's orders.
    #[graphql(guard = "Require(Operation::ReadOrders)")]
    async fn order(
        &self,
        ctx: &Context<'_>,
        id: Option<ID>,
        number: Option<String>,
    ) -> async_graphql::Result<Option<Order>> {
        let db = &state(ctx).db;
        let scope = OrderScope::of(actor(ctx)?);
        let found = match (id, number) {
            (Some(id), _) => query::by_id(db, scope, parse_id("id", &id)?).await,
            (None, Some(number)) => query::by_number(db, scope, &number).await,
            (None, None) => Err(AppError::invalid(
                "id",
                "REQUIRED",
                "give an id or a number",
            )),
        };
        Ok(found.extend()?.map(Order))
    }

    /// Orders, newest first. Partners see only their channel's orders.
    #[graphql(guard = "Require(Operation::ReadOrders)")]
    async fn orders(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        filter: Option<OrderFilter>,
    ) -> async_graphql::Result<Conn<Order>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let scope = OrderScope::of(actor(ctx)?);
        let filter: Filter = filter.unwrap_or_default().into();
        let rows = query::list(&state(ctx).db, scope, &filter, page)
            .await
            .extend()?;
        Ok(connection(rows, page.after.is_some(), |o| o.id, Order))
    }
}

/// An order changed status.
#[derive(SimpleObject, Clone)]
pub struct OrderStatusEvent {
    order_id: ID,
    number: String,
    from: Option<OrderStatus>,
    to: OrderStatus,
    at: DateTime<Utc>,
}

#[derive(Default)]
pub struct OrdersSubscription;

#[Subscription]
impl OrdersSubscription {
    /// Status changes of every order the subscriber may see, or of one order.
    #[graphql(guard = "Require(Operation::WatchOrders)")]
    async fn order_status_changed(
        &self,
        ctx: &Context<'_>,
        order_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = OrderStatusEvent> + use<>> {
        let scope = OrderScope::of(actor(ctx)?);
        let only = order_id.map(|id| parse_id("orderId", &id)).transpose()?;
        let receiver = state(ctx).realtime.subscribe();
        Ok(
            BroadcastStream::new(receiver).filter_map(move |event| async move {
                let event: Event = event.ok()?;
                let wanted =
                    scope.admits(event.channel_id) && only.is_none_or(|id| id == event.order_id);
                wanted.then(|| OrderStatusEvent {
                    order_id: ID(event.order_id.to_string()),
                    number: event.number,
                    from: event.from,
                    to: event.to,
                    at: event.at,
                })
            }),
        )
    }
}
