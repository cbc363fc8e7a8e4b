//! After delivery: the customer confirms receipt and rates the order (partners on the
//! customer's behalf, or customer service on the phone).

use super::guard::Require;
use super::orders::{Order, OrderRating};
use super::{actor, parse_id, state};
use crate::service::orders::completion;
use async_graphql::{Context, ID, Object, ResultExt};
use orderly_shared::Operation;

#[derive(Default)]
pub struct CompletionMutation;

#[Object]
impl CompletionMutation {
    /// The customer has the parcels: a DELIVERED order becomes COMPLETED (otherwise it
    /// completes by itself `ORDERLY_AUTO_CONFIRM_DAYS` after delivery).
    #[graphql(guard = "Require(Operation::ConfirmReceipt)")]
    async fn confirm_receipt(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
    ) -> async_graphql::Result<Order> {
        let s = state(ctx);
        let id = parse_id("orderId", &order_id)?;
        completion::confirm_receipt(&s.db, &s.realtime, actor(ctx)?, id)
            .await
            .map(Order)
            .extend()
    }

    /// The customer's rating of a delivered order: `score` 1–5, an optional comment (at most
    /// 1,000 characters); once per order.
    #[graphql(guard = "Require(Operation::RateOrders)")]
    async fn rate_order(
        &self,
        ctx: &Context<'_>,
        order_id: ID,
        score: i32,
        comment: Option<String>,
    ) -> async_graphql::Result<OrderRating> {
        let id = parse_id("orderId", &order_id)?;
        completion::rate(&state(ctx).db, actor(ctx)?, id, score, comment)
            .await
            .map(OrderRating::from)
            .extend()
    }
}
