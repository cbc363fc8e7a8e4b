//! Coupons: the merchant's discount codes.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::orders::Money;
use super::{actor, state};
use crate::db::entity::coupon;
use crate::domain::coupons::{CouponDraft, CouponKindDraft};
use crate::service::coupons;
use crate::service::page::PageRequest;
use async_graphql::{Context, Enum, ID, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};
use orderly_shared::Operation;

#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum CouponKind {
    /// A percentage off the order.
    Percentage,
    /// A fixed amount off the order.
    Fixed,
}

pub struct Coupon(coupon::Model);

#[Object]
impl Coupon {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn code(&self) -> &str {
        &self.0.code
    }
    async fn kind(&self) -> CouponKind {
        if self.0.kind == "FIXED" {
            CouponKind::Fixed
        } else {
            CouponKind::Percentage
        }
    }
    /// Percentage coupons: e.g. `"12.5"`.
    async fn percent(&self) -> Option<String> {
        self.0.percent_bp.map(|bp| {
            rust_decimal::Decimal::new(bp.into(), 2)
                .normalize()
                .to_string()
        })
    }
    /// Fixed coupons: the amount off.
    async fn amount(&self) -> async_graphql::Result<Option<Money>> {
        self.0
            .amount_minor
            .map(|m| Money::from_minor(m, &self.0.currency))
            .transpose()
    }
    async fn min_order_value(&self) -> async_graphql::Result<Option<Money>> {
        self.0
            .min_order_minor
            .map(|m| Money::from_minor(m, &self.0.currency))
            .transpose()
    }
    async fn valid_from(&self) -> DateTime<Utc> {
        self.0.valid_from
    }
    async fn valid_until(&self) -> Option<DateTime<Utc>> {
        self.0.valid_until
    }
    async fn total_limit(&self) -> Option<i32> {
        self.0.total_limit
    }
    /// Orders that used it and still count (placed, not expired or cancelled).
    async fn used_total(&self) -> i32 {
        self.0.used_total
    }
    async fn per_customer_limit(&self) -> Option<i32> {
        self.0.per_customer_limit
    }
    async fn active(&self) -> bool {
        self.0.active
    }
}

#[derive(InputObject)]
pub struct CreateCouponInput {
    /// 3–32 letters, digits, '-' or '_'; matched case-insensitively.
    code: String,
    kind: CouponKind,
    /// PERCENTAGE: more than 0, at most 100.
    percent: Option<String>,
    /// FIXED: the amount off.
    amount: Option<String>,
    currency: String,
    min_order_value: Option<String>,
    /// Default: now.
    valid_from: Option<DateTime<Utc>>,
    valid_until: Option<DateTime<Utc>>,
    total_limit: Option<i32>,
    per_customer_limit: Option<i32>,
}

#[derive(Default)]
pub struct CouponsQuery;

#[Object]
impl CouponsQuery {
    /// Coupons, newest first.
    #[graphql(guard = "Require(Operation::ManageCoupons)")]
    async fn coupons(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Coupon>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = coupons::list(&state(ctx).db, page).await.extend()?;
        Ok(connection(rows, page.after.is_some(), |c| c.id, Coupon))
    }
}

#[derive(Default)]
pub struct CouponsMutation;

#[Object]
impl CouponsMutation {
    /// Creates a coupon that orders can use at once.
    #[graphql(guard = "Require(Operation::ManageCoupons)")]
    async fn create_coupon(
        &self,
        ctx: &Context<'_>,
        input: CreateCouponInput,
    ) -> async_graphql::Result<Coupon> {
        let s = state(ctx);
        let draft = CouponDraft {
            code: input.code,
            kind: match input.kind {
                CouponKind::Percentage => CouponKindDraft::Percentage,
                CouponKind::Fixed => CouponKindDraft::Fixed,
            },
            percent: input.percent,
            amount: input.amount,
            currency: input.currency,
            min_order_value: input.min_order_value,
            valid_from: input.valid_from.unwrap_or_else(Utc::now),
            valid_until: input.valid_until,
            total_limit: input.total_limit,
            per_customer_limit: input.per_customer_limit,
        };
        Ok(Coupon(
            coupons::create(&s.db, &s.bus, actor(ctx)?, draft)
                .await
                .extend()?,
        ))
    }
}
