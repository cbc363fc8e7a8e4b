//! Wire types of the console contract (docs/console-contract.md), as the console reads them.
//! Timestamps stay RFC 3339 strings: the console only shows and compares them.
//!
//! Orders, users and keys are here; the review, stock, allocation, exceptions and webhooks
//! contexts have a file each.

mod aftersales;
mod allocation;
mod analytics;
mod exceptions;
mod finance;
mod fulfilment;
mod review;
mod stock;
mod webhooks;

pub use aftersales::*;
pub use allocation::*;
pub use analytics::*;
pub use exceptions::*;
pub use finance::*;
pub use fulfilment::*;
pub use review::*;
pub use stock::*;
pub use webhooks::*;

use orderly_shared::{
    HoldReasonCode, OrderStatus, PaymentMethod, PaymentStatus, Role, ShipmentStatus,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    #[serde(default)]
    pub warehouse_codes: Vec<String>,
    pub active: bool,
    #[serde(default)]
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthPayload {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_at: String,
    pub user: User,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// A Relay connection; the console reads `nodes` and `pageInfo`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Connection<T> {
    pub nodes: Vec<T>,
    pub page_info: PageInfo,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiKey {
    pub id: String,
    pub channel: String,
    pub prefix: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
    pub last_used_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatedApiKey {
    pub key: String,
    pub api_key: ApiKey,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: String,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub detail: Option<String>,
}

/// The input of `createUser`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateUserInput {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
}

/// An amount of money: a decimal string (never a float) and its currency.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct Money {
    pub amount: String,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

/// One order as the order list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderRow {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub channel: String,
    pub total: Money,
    pub customer: Customer,
    pub created_at: String,
}

/// A shipping address; the same shape corrects one (`VerificationAddressInput`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub recipient: String,
    pub phone: String,
    pub country: String,
    pub region: Option<String>,
    pub city: String,
    pub district: Option<String>,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderLine {
    pub sku: String,
    pub name: String,
    pub quantity: i64,
    pub unit_price: Money,
    pub discount: Money,
    pub line_total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct HoldReason {
    pub code: HoldReasonCode,
    pub message: String,
}

/// A warehouse as a shipment names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct WarehouseRef {
    pub id: String,
    pub code: String,
    pub name: String,
}

/// Units of one SKU in a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct ShipmentLine {
    pub sku: String,
    pub quantity: i64,
}

/// One parcel-to-be of an order, from one warehouse.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Shipment {
    pub id: String,
    pub status: ShipmentStatus,
    pub warehouse: WarehouseRef,
    pub lines: Vec<ShipmentLine>,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// A JSON list of `{kind, …}`: what the warehouse and the carrier must do.
    pub instructions: serde_json::Value,
    pub created_at: String,
}

/// One entry of an order's timeline.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OrderEvent {
    pub at: String,
    pub kind: String,
    pub actor: String,
    pub from: Option<OrderStatus>,
    pub to: Option<OrderStatus>,
    pub reason: Option<String>,
}

/// One entry of an order's payments ledger.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Payment {
    pub provider: String,
    pub kind: String,
    pub amount: Money,
    pub at: String,
    pub reference: String,
}

/// Everything the order page shows.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderDetail {
    pub id: String,
    pub number: String,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub payment_method: PaymentMethod,
    pub channel: String,
    pub total: Money,
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub tax: Money,
    pub customer: Customer,
    pub shipping_address: Address,
    pub coupon_codes: Vec<String>,
    /// As recorded: `deliveryWindow { from to }`, `giftWrap`, `giftMessage`,
    /// `invoice { title taxId delivery }`.
    pub special_requests: Option<serde_json::Value>,
    pub lines: Vec<OrderLine>,
    /// Where the order ships from, one shipment per warehouse (empty until allocated).
    pub shipments: Vec<Shipment>,
    pub tags: Vec<String>,
    pub hold_reasons: Vec<HoldReason>,
    pub events: Vec<OrderEvent>,
    pub payments: Vec<Payment>,
    pub payment_due_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// The input of `orders(filter:)`; absent parts do not filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Vec<OrderStatus>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_status: Option<Vec<PaymentStatus>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

/// An event of the `orderStatusChanged` subscription; `from` is absent for a new order.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderStatusEvent {
    pub order_id: String,
    pub number: String,
    pub from: Option<OrderStatus>,
    pub to: OrderStatus,
    pub at: String,
}

/// One product of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Product {
    pub id: String,
    pub sku: String,
    pub name: String,
    pub category: String,
    pub price: Money,
    pub gtin: Option<String>,
    pub weight_g: i64,
    #[serde(default)]
    pub dimensions_mm: Vec<i64>,
    pub fragile: bool,
    pub liquid: bool,
    pub high_value: bool,
    pub active: bool,
}

/// One customer of the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerRecord {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub created_at: String,
}

/// What the simulated payment gateway reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SimulatedOutcome {
    Succeeded,
    Failed,
}
