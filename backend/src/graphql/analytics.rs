//! Operations analytics for the dashboard: every figure over the orders placed in a window,
//! computed from the rollups the order events maintain.

use super::connection::{Conn, try_connection};
use super::guard::Require;
use super::orders::{Money, Order};
use super::{actor, parse_id, state};
use crate::db::entity::order_fact;
use crate::domain::analytics::{Bottleneck as Found, Distribution};
use crate::error::AppError;
use crate::service::analytics::filter::{Filter, Requested};
use crate::service::analytics::lead_times::{self, LeadTimes};
use crate::service::analytics::quality::{self, Refunds, Returns, SkuReturns, SkuStockout};
use crate::service::analytics::queries::{self, CarrierQuality, Holds, Waiting};
use crate::service::page::PageRequest;
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use orderly_shared::{
    Breakdown, CaseReason, Granularity, HoldReasonCode, Operation, RefundStatus, Stage,
};

/// Which orders the figures cover: those placed in `[from, to)` (default: the 30 days up to
/// now; at most 400 days), on a channel, at a warehouse, with a carrier.
#[derive(InputObject, Default)]
pub struct AnalyticsFilter {
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    /// A channel code, e.g. `web-store`.
    channel: Option<String>,
    warehouse_id: Option<ID>,
    /// A carrier code, e.g. `SIMEX`.
    carrier: Option<String>,
}

/// The figures for one filter; each field is computed when asked for. The overall lead times
/// are computed once per request: `leadTimes` and `bottleneck` both need them.
pub struct Analytics {
    filter: Filter,
    overall: tokio::sync::OnceCell<Vec<LeadTimes>>,
}

impl Analytics {
    async fn overall(&self, ctx: &Context<'_>) -> async_graphql::Result<&Vec<LeadTimes>> {
        self.overall
            .get_or_try_init(|| {
                lead_times::lead_times(&state(ctx).db, &self.filter, Breakdown::Overall)
            })
            .await
            .extend()
    }
}

#[Object]
impl Analytics {
    async fn from(&self) -> DateTime<Utc> {
        self.filter.from
    }
    async fn to(&self) -> DateTime<Utc> {
        self.filter.to
    }
    /// Orders placed and their value, per day or week (UTC), channel and currency.
    async fn volume(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Granularity::Day")] granularity: Granularity,
    ) -> async_graphql::Result<Vec<VolumePoint>> {
        let rows = queries::volume(&state(ctx).db, &self.filter, granularity)
            .await
            .extend()?;
        rows.into_iter()
            .map(|v| {
                Ok(VolumePoint {
                    period: v.period,
                    channel: v.channel,
                    orders: v.orders,
                    value: Money::from_minor(v.value_minor, &v.currency)?,
                })
            })
            .collect()
    }
    /// How long each stage took, as nearest-rank percentiles over the orders that finished it.
    async fn lead_times(
        &self,
        ctx: &Context<'_>,
        #[graphql(default_with = "Breakdown::Overall")] breakdown: Breakdown,
    ) -> async_graphql::Result<Vec<LeadTimeGroup>> {
        let groups = match breakdown {
            Breakdown::Overall => self.overall(ctx).await?.clone(),
            _ => lead_times::lead_times(&state(ctx).db, &self.filter, breakdown)
                .await
                .extend()?,
        };
        Ok(groups.into_iter().map(LeadTimeGroup::from).collect())
    }
    /// The stage where orders wait longest (highest p90), with its p90 in the window before.
    async fn bottleneck(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Bottleneck>> {
        let now = self.overall(ctx).await?;
        let found = lead_times::bottleneck_of(&state(ctx).db, &self.filter, now)
            .await
            .extend()?;
        Ok(found.map(Bottleneck))
    }
    /// Orders waiting in each stage right now (the window does not apply), with the oldest.
    async fn waiting(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StageBacklog>> {
        let rows = queries::waiting(&state(ctx).db, &self.filter)
            .await
            .extend()?;
        Ok(rows.into_iter().map(StageBacklog).collect())
    }
    /// Orders waiting in a stage (any, when not given) for longer than `olderThanMinutes`
    /// (default a day; 0 lists every waiting order), longest waiting first.
    async fn stuck_orders(
        &self,
        ctx: &Context<'_>,
        stage: Option<Stage>,
        older_than_minutes: Option<i32>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<StuckOrder>> {
        let older_than_minutes = older_than_minutes.unwrap_or(24 * 60);
        if older_than_minutes < 0 {
            return Err(AppError::invalid(
                "olderThanMinutes",
                "INVALID_THRESHOLD",
                "must be zero or more",
            )
            .extend());
        }
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = queries::stuck(
            &state(ctx).db,
            &self.filter,
            stage,
            Duration::minutes(i64::from(older_than_minutes)),
            Utc::now(),
            page,
        )
        .await
        .extend()?;
        try_connection(
            rows,
            page.after.is_some(),
            |r| r.order_id,
            |r| Ok(StuckOrder(r)),
        )
    }
    /// How many orders were held, and for which reasons.
    async fn holds(&self, ctx: &Context<'_>) -> async_graphql::Result<HoldRates> {
        Ok(HoldRates(
            queries::holds(&state(ctx).db, &self.filter)
                .await
                .extend()?,
        ))
    }
    /// Each carrier's shipped and delivered orders and how many had delivery exceptions,
    /// breached the delivery SLA or came back.
    async fn carriers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CarrierRates>> {
        let rows = queries::carriers(&state(ctx).db, &self.filter)
            .await
            .extend()?;
        Ok(rows.into_iter().map(CarrierRates).collect())
    }
    /// After-sales cases: how many delivered orders came back, and why.
    async fn returns(&self, ctx: &Context<'_>) -> async_graphql::Result<ReturnRates> {
        Ok(ReturnRates(
            quality::returns(&state(ctx).db, &self.filter)
                .await
                .extend()?,
        ))
    }
    /// The SKUs customers came back about most (by units), with what was sold of each.
    async fn returns_by_sku(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most 100; default 10.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<SkuReturnRate>> {
        let rows = quality::returns_by_sku(&state(ctx).db, &self.filter, top(first.unwrap_or(10))?)
            .await
            .extend()?;
        Ok(rows.into_iter().map(SkuReturnRate).collect())
    }
    /// Refunds of the orders, per currency and status.
    async fn refunds(&self, ctx: &Context<'_>) -> async_graphql::Result<RefundRates> {
        Ok(RefundRates(
            quality::refunds(&state(ctx).db, &self.filter)
                .await
                .extend()?,
        ))
    }
    /// The customers' ratings of the orders.
    async fn ratings(&self, ctx: &Context<'_>) -> async_graphql::Result<RatingSummary> {
        let by_score = quality::ratings(&state(ctx).db, &self.filter)
            .await
            .extend()?;
        Ok(RatingSummary(by_score))
    }
    /// The SKUs with the most units short when the orders came in (unmet demand).
    async fn stockouts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "At most 100; default 10.")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<StockoutDemand>> {
        let rows = quality::stockouts(&state(ctx).db, &self.filter, top(first.unwrap_or(10))?)
            .await
            .extend()?;
        Ok(rows.into_iter().map(StockoutDemand).collect())
    }
}

/// How many rows of a top-N list to return: 1 to 100.
fn top(first: i32) -> async_graphql::Result<u64> {
    match u64::try_from(first) {
        Ok(n @ 1..=100) => Ok(n),
        _ => Err(AppError::invalid(
            "first",
            "OUT_OF_RANGE",
            format!("must be between 1 and 100 (got {first})"),
        )
        .extend()),
    }
}

#[derive(SimpleObject)]
pub struct VolumePoint {
    /// The period's first day (a Monday for weeks).
    period: NaiveDate,
    channel: String,
    orders: i64,
    value: Money,
}

/// The lead times of one group: everything, a warehouse or a carrier.
#[derive(SimpleObject)]
pub struct LeadTimeGroup {
    /// The warehouse or carrier code; null for the overall figures, and for orders that have
    /// not reached a warehouse or carrier yet.
    group: Option<String>,
    stages: Vec<StageLeadTime>,
}

impl From<LeadTimes> for LeadTimeGroup {
    fn from(l: LeadTimes) -> Self {
        LeadTimeGroup {
            group: l.group,
            stages: l
                .stages
                .into_iter()
                .map(|(stage, d)| StageLeadTime::of(stage, d))
                .collect(),
        }
    }
}

/// How long one stage took: seconds, over the orders that finished it.
#[derive(SimpleObject)]
pub struct StageLeadTime {
    stage: Stage,
    orders: u64,
    p50_seconds: i64,
    p90_seconds: i64,
    p99_seconds: i64,
    max_seconds: i64,
    mean_seconds: i64,
}

impl StageLeadTime {
    fn of(stage: Stage, d: Distribution) -> StageLeadTime {
        StageLeadTime {
            stage,
            orders: d.count,
            p50_seconds: d.p50,
            p90_seconds: d.p90,
            p99_seconds: d.p99,
            max_seconds: d.max,
            mean_seconds: d.mean,
        }
    }
}

pub struct Bottleneck(Found);

#[Object]
impl Bottleneck {
    async fn stage(&self) -> Stage {
        self.0.stage
    }
    async fn p90_seconds(&self) -> i64 {
        self.0.p90
    }
    /// The same stage's p90 in the window of the same length before; null if it had no orders.
    async fn previous_p90_seconds(&self) -> Option<i64> {
        self.0.previous_p90
    }
    /// How much the p90 rose since then (negative: it improved).
    async fn change_seconds(&self) -> Option<i64> {
        self.0.change()
    }
}

pub struct StageBacklog(Waiting);

#[Object]
impl StageBacklog {
    async fn stage(&self) -> Stage {
        self.0.stage
    }
    async fn orders(&self) -> i64 {
        self.0.orders
    }
    /// Since when the longest-waiting of them has waited.
    async fn oldest_since(&self) -> DateTime<Utc> {
        self.0.oldest_since
    }
}

pub struct StuckOrder(order_fact::Model);

#[Object]
impl StuckOrder {
    async fn order(&self, ctx: &Context<'_>) -> async_graphql::Result<Order> {
        ctx.data::<super::Loaders>()?
            .orders
            .load_one(self.0.order_id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?
            .map(Order)
            .ok_or_else(|| AppError::Internal("stuck order vanished".into()).extend())
    }
    async fn stage(&self) -> Option<Stage> {
        self.0.stage
    }
    /// Since when it has waited in the stage.
    async fn since(&self) -> Option<DateTime<Utc>> {
        self.0.stage_since
    }
}

pub struct HoldRates(Holds);

#[Object]
impl HoldRates {
    /// Orders placed in the window.
    async fn orders(&self) -> i64 {
        self.0.orders
    }
    /// Of them, held for a person at least once.
    async fn held(&self) -> i64 {
        self.0.held
    }
    /// `held / orders` (0 when there were no orders).
    async fn rate(&self) -> f64 {
        ratio(self.0.held, self.0.orders)
    }
    /// Per reason, most frequent first: an order held for two reasons counts for both.
    async fn by_reason(&self) -> Vec<HoldReasonRate> {
        self.0
            .by_reason
            .iter()
            .map(|(code, orders)| HoldReasonRate {
                code: *code,
                orders: *orders,
                rate: ratio(*orders, self.0.orders),
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct HoldReasonRate {
    code: HoldReasonCode,
    orders: i64,
    /// Of all orders placed in the window.
    rate: f64,
}

pub struct CarrierRates(CarrierQuality);

#[Object]
impl CarrierRates {
    async fn carrier(&self) -> &str {
        &self.0.carrier
    }
    async fn shipped(&self) -> i64 {
        self.0.shipped
    }
    async fn delivered(&self) -> i64 {
        self.0.delivered
    }
    async fn with_exceptions(&self) -> i64 {
        self.0.with_exceptions
    }
    /// `withExceptions / shipped`.
    async fn exception_rate(&self) -> f64 {
        ratio(self.0.with_exceptions, self.0.shipped)
    }
    async fn sla_breached(&self) -> i64 {
        self.0.sla_breached
    }
    /// `slaBreached / shipped`.
    async fn sla_breach_rate(&self) -> f64 {
        ratio(self.0.sla_breached, self.0.shipped)
    }
    async fn returned(&self) -> i64 {
        self.0.returned
    }
    /// `returned / delivered`.
    async fn return_rate(&self) -> f64 {
        ratio(self.0.returned, self.0.delivered)
    }
}

pub struct ReturnRates(Returns);

#[Object]
impl ReturnRates {
    /// Orders delivered.
    async fn delivered(&self) -> i64 {
        self.0.delivered
    }
    /// Of them, orders with an after-sales case.
    async fn returned(&self) -> i64 {
        self.0.orders
    }
    /// `returned / delivered`.
    async fn rate(&self) -> f64 {
        ratio(self.0.orders, self.0.delivered)
    }
    /// Cases per reason, most frequent first.
    async fn by_reason(&self) -> Vec<ReturnReasonCount> {
        self.0
            .by_reason
            .iter()
            .map(|(reason, cases)| ReturnReasonCount {
                reason: *reason,
                cases: *cases,
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct ReturnReasonCount {
    reason: CaseReason,
    cases: i64,
}

pub struct SkuReturnRate(SkuReturns);

#[Object]
impl SkuReturnRate {
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    /// Units of it in the orders.
    async fn sold_units(&self) -> i64 {
        self.0.sold
    }
    /// Units customers came back about.
    async fn returned_units(&self) -> i64 {
        self.0.returned
    }
    async fn cases(&self) -> i64 {
        self.0.cases
    }
    /// `returnedUnits / soldUnits`.
    async fn rate(&self) -> f64 {
        ratio(self.0.returned, self.0.sold)
    }
}

pub struct RefundRates(Refunds);

#[Object]
impl RefundRates {
    /// Orders placed in the window.
    async fn orders(&self) -> i64 {
        self.0.orders
    }
    /// Of them, orders with money paid back (an executed refund).
    async fn refunded(&self) -> i64 {
        self.0.refunded
    }
    /// `refunded / orders`.
    async fn rate(&self) -> f64 {
        ratio(self.0.refunded, self.0.orders)
    }
    /// Refunds and their amount per currency and status.
    async fn totals(&self) -> async_graphql::Result<Vec<RefundTotal>> {
        self.0
            .totals
            .iter()
            .map(|t| {
                Ok(RefundTotal {
                    status: t.status,
                    refunds: t.refunds,
                    amount: Money::from_minor(t.amount_minor, &t.currency)?,
                })
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct RefundTotal {
    status: RefundStatus,
    refunds: i64,
    amount: Money,
}

pub struct RatingSummary([i64; 5]);

#[Object]
impl RatingSummary {
    async fn ratings(&self) -> i64 {
        self.0.iter().sum()
    }
    /// The mean score, to two decimals; null without ratings.
    async fn average(&self) -> Option<f64> {
        crate::domain::analytics::average_score(&self.0)
    }
    /// How many ratings gave each score, 1 to 5.
    async fn by_score(&self) -> Vec<ScoreCount> {
        self.0
            .iter()
            .zip(1..)
            .map(|(ratings, score)| ScoreCount {
                score,
                ratings: *ratings,
            })
            .collect()
    }
}

#[derive(SimpleObject)]
pub struct ScoreCount {
    score: i32,
    ratings: i64,
}

pub struct StockoutDemand(SkuStockout);

#[Object]
impl StockoutDemand {
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    /// Orders that wanted more of it than there was.
    async fn orders(&self) -> i64 {
        self.0.orders
    }
    /// Units short.
    async fn units(&self) -> i64 {
        self.0.units
    }
    /// Of them, units still waiting for stock.
    async fn waiting_units(&self) -> i64 {
        self.0.waiting
    }
}

fn ratio(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

#[derive(Default)]
pub struct AnalyticsQuery;

#[Object]
impl AnalyticsQuery {
    /// The dashboard's figures for the orders the filter selects (warehouse staff: their
    /// warehouses' orders only).
    #[graphql(guard = "Require(Operation::ReadAnalytics)")]
    async fn analytics(
        &self,
        ctx: &Context<'_>,
        filter: Option<AnalyticsFilter>,
    ) -> async_graphql::Result<Analytics> {
        let f = filter.unwrap_or_default();
        let warehouse_id = match &f.warehouse_id {
            Some(id) => Some(parse_id("filter.warehouseId", id)?),
            None => None,
        };
        let requested = Requested {
            from: f.from,
            to: f.to,
            channel: f.channel,
            warehouse_id,
            carrier: f.carrier,
        };
        let filter = requested
            .resolve(&state(ctx).db, actor(ctx)?, Utc::now())
            .await
            .extend()?;
        Ok(Analytics {
            filter,
            overall: tokio::sync::OnceCell::new(),
        })
    }
}
