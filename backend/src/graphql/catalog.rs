//! The catalogue and customers, as staff (and, for products, partners) read them; and the
//! simulated gateway's "send a payment" for demos.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::orders::Money;
use super::state;
use crate::db::entity::{customer, product};
use crate::error::AppError;
use crate::gateway::{PaymentGateway, SimulatedGateway};
use crate::service::catalog::{self, ProductFilter};
use crate::service::page::PageRequest;
use crate::service::payments::{self, CallbackOutcome};
use async_graphql::{Context, Enum, ErrorExtensions, ID, Object, ResultExt, SimpleObject};
use chrono::{DateTime, Utc};
use orderly_shared::Operation;

pub struct Product(product::Model);

#[Object]
impl Product {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn category(&self) -> &str {
        &self.0.category
    }
    async fn price(&self) -> async_graphql::Result<Money> {
        Money::from_minor(self.0.price_minor, &self.0.currency)
    }
    /// GTIN/EAN barcode, check digit verified.
    async fn gtin(&self) -> Option<&str> {
        self.0.gtin.as_deref()
    }
    async fn weight_g(&self) -> i32 {
        self.0.weight_g
    }
    /// Length × width × height in millimetres.
    async fn dimensions_mm(&self) -> Vec<i32> {
        vec![self.0.length_mm, self.0.width_mm, self.0.height_mm]
    }
    async fn fragile(&self) -> bool {
        self.0.fragile
    }
    async fn liquid(&self) -> bool {
        self.0.liquid
    }
    async fn high_value(&self) -> bool {
        self.0.high_value
    }
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// A customer of the merchant (one per e-mail address).
#[derive(SimpleObject)]
pub struct CustomerRecord {
    id: ID,
    name: String,
    email: String,
    /// E.164.
    phone: String,
    created_at: DateTime<Utc>,
}

impl From<customer::Model> for CustomerRecord {
    fn from(c: customer::Model) -> Self {
        CustomerRecord {
            id: ID(c.id.to_string()),
            name: c.name,
            email: c.email,
            phone: c.phone,
            created_at: c.created_at,
        }
    }
}

#[derive(Default)]
pub struct CatalogQuery;

#[Object]
impl CatalogQuery {
    /// The catalogue, in the order products were added.
    #[graphql(guard = "Require(Operation::ReadCatalog)")]
    async fn products(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
        category: Option<String>,
    ) -> async_graphql::Result<Conn<Product>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows =
            catalog::list_products(&state(ctx).db, &ProductFilter { search, category }, page)
                .await
                .extend()?;
        Ok(connection(rows, page.after.is_some(), |p| p.id, Product))
    }

    /// Customers, newest first. `search`: an e-mail, or part of a name.
    #[graphql(guard = "Require(Operation::ReadCustomers)")]
    async fn customers(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        search: Option<String>,
    ) -> async_graphql::Result<Conn<CustomerRecord>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = catalog::list_customers(&state(ctx).db, search.as_deref(), page)
            .await
            .extend()?;
        Ok(connection(
            rows,
            page.after.is_some(),
            |c| c.id,
            CustomerRecord::from,
        ))
    }
}

#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum SimulatedOutcome {
    Succeeded,
    Failed,
}

#[derive(Default)]
pub struct SimulatorMutation;

#[Object]
impl SimulatorMutation {
    /// Demo mode only: the simulated gateway sends a signed payment callback for the order, as
    /// a real gateway would (`amount` defaults to the order total). Returns `applied` or `duplicate`.
    #[graphql(guard = "Require(Operation::SimulatePayment)")]
    async fn simulate_payment(
        &self,
        ctx: &Context<'_>,
        order_number: String,
        outcome: SimulatedOutcome,
        amount: Option<String>,
    ) -> async_graphql::Result<String> {
        let s = state(ctx);
        if !s.config.demo_mode {
            return Err(AppError::Forbidden(
                "The payment simulator runs only in demo mode (orderly serve --demo).".into(),
            )
            .extend());
        }
        let scope = crate::service::orders::OrderScope::All;
        let order = crate::service::orders::query::by_number(&s.db, scope, &order_number)
            .await
            .extend()?
            .ok_or_else(|| {
                AppError::NotFound(format!("No order numbered {order_number}.")).extend()
            })?;
        let amount = match amount {
            Some(a) => a,
            None => Money::from_minor(order.total_minor, &order.currency)?.amount,
        };
        let body = serde_json::json!({
            "eventId": format!("sim-{}", uuid::Uuid::now_v7()),
            "orderNumber": order.number,
            "status": match outcome { SimulatedOutcome::Succeeded => "SUCCEEDED", SimulatedOutcome::Failed => "FAILED" },
            "amount": amount,
            "currency": order.currency,
        })
        .to_string();
        let gateway = SimulatedGateway {
            secret: s.payment_webhook_secret.clone(),
        };
        let now = Utc::now().timestamp();
        let signature = crate::domain::signature::sign(
            gateway.secret.expose().as_bytes(),
            now,
            body.as_bytes(),
        );
        // Through the same verification as a real callback, so the demo shows the real path.
        let callback = gateway
            .parse_callback(Some(&signature), body.as_bytes(), now)
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?;
        let result = payments::apply(&s.db, &s.realtime, callback)
            .await
            .extend()?;
        Ok(match result {
            CallbackOutcome::Applied => "applied".into(),
            CallbackOutcome::Duplicate => "duplicate".into(),
        })
    }
}
