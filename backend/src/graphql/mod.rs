//! The GraphQL API: thin resolvers per context, merged into one schema. Resolvers parse input,
//! call a use case in `service` with the request's actor, and map the result.

mod aftersales;
mod allocation;
mod analytics;
mod api_keys;
mod audit;
mod auth;
mod catalog;
mod completion;
mod connection;
mod coupons;
mod exceptions;
mod guard;
mod loaders;
mod orders;
mod packing;
mod payments;
mod picking;
mod place_order;
mod refunds;
mod review;
mod shipping;
mod stock;
mod tracking;
mod users;
mod webhooks;

use crate::app::AppState;
use crate::domain::auth::Actor;
use crate::error::AppError;
use async_graphql::{Context, ErrorExtensions, MergedObject, MergedSubscription, Schema};

pub use guard::RequestAuth;
pub use loaders::Loaders;

#[derive(MergedObject, Default)]
pub struct QueryRoot(
    auth::AuthQuery,
    users::UsersQuery,
    api_keys::ApiKeysQuery,
    audit::AuditQuery,
    orders::OrdersQuery,
    catalog::CatalogQuery,
    coupons::CouponsQuery,
    review::ReviewQuery,
    stock::StockQuery,
    allocation::AllocationQuery,
    picking::PickingQuery,
    packing::PackingQuery,
    shipping::ShippingQuery,
    refunds::RefundsQuery,
    payments::PaymentsQuery,
    exceptions::ExceptionsQuery,
    aftersales::AfterSalesQuery,
    webhooks::WebhooksQuery,
    analytics::AnalyticsQuery,
);

#[derive(MergedObject, Default)]
pub struct MutationRoot(
    auth::AuthMutation,
    users::UsersMutation,
    api_keys::ApiKeysMutation,
    place_order::PlaceOrderMutation,
    catalog::SimulatorMutation,
    coupons::CouponsMutation,
    review::ReviewMutation,
    stock::StockMutation,
    allocation::AllocationMutation,
    picking::PickingMutation,
    packing::PackingMutation,
    shipping::ShippingMutation,
    tracking::TrackingMutation,
    refunds::RefundsMutation,
    payments::PaymentsMutation,
    completion::CompletionMutation,
    exceptions::ExceptionsMutation,
    aftersales::AfterSalesMutation,
    webhooks::WebhooksMutation,
);

#[derive(MergedSubscription, Default)]
pub struct SubscriptionRoot(
    audit::AuditSubscription,
    orders::OrdersSubscription,
    picking::PickingSubscription,
    refunds::QueuesSubscription,
);

pub type OrderlySchema = Schema<QueryRoot, MutationRoot, SubscriptionRoot>;

/// Queries nested deeper, or costlier, than this are refused before they run (SPEC §4).
pub const MAX_DEPTH: usize = 12;
pub const MAX_COMPLEXITY: usize = 2_000;

pub fn build_schema(state: AppState) -> OrderlySchema {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .data(state)
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY)
    .finish()
}

/// The schema in SDL, for the snapshot test and for clients.
pub fn sdl() -> String {
    Schema::build(
        QueryRoot::default(),
        MutationRoot::default(),
        SubscriptionRoot::default(),
    )
    .finish()
    .sdl()
}

fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    // Inserted by `build_schema`; absent only if the schema was built some other way.
    ctx.data_unchecked::<AppState>()
}

/// The authenticated actor; guarded fields have already checked it is there.
fn actor<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Actor> {
    ctx.data::<RequestAuth>()
        .ok()
        .and_then(|auth| auth.actor.as_ref())
        .ok_or_else(|| AppError::Unauthenticated("Sign in first.".into()).extend())
}

fn client_addr(ctx: &Context<'_>) -> String {
    ctx.data::<RequestAuth>()
        .map(|a| a.client_addr.clone())
        .unwrap_or_else(|_| "unknown".into())
}

/// Parses a GraphQL `ID` holding a UUID, naming the argument on failure.
fn parse_id(arg: &str, id: &async_graphql::ID) -> async_graphql::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(id.as_str()).map_err(|_| {
        AppError::invalid(arg, "INVALID_ID", "is not an id this API gave out").extend()
    })
}
