//! An order with the prices, customer and address as they were when it was placed.
use orderly_shared::{OrderStatus, PaymentMethod, PaymentStatus};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub number: String,
    pub channel_id: Uuid,
    pub idempotency_key: String,
    pub request_digest: String,
    pub customer_id: Uuid,
    pub status: OrderStatus,
    pub payment_status: PaymentStatus,
    pub payment_method: PaymentMethod,
    pub currency: String,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub shipping_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub customer_name: String,
    pub customer_email: String,
    pub customer_phone: String,
    pub ship_recipient: String,
    pub ship_phone: String,
    pub ship_country: String,
    pub ship_region: Option<String>,
    pub ship_city: String,
    pub ship_district: Option<String>,
    pub ship_line1: String,
    pub ship_line2: Option<String>,
    pub ship_postal_code: Option<String>,
    /// JSON array of the coupon codes applied.
    pub coupon_codes: String,
    /// JSON of the special requests, if any.
    pub special_requests: Option<String>,
    /// JSON array of `{code, message}`: why the order waits for a person (empty otherwise).
    pub hold_reasons: String,
    /// Prepaid orders expire if unpaid by then.
    pub payment_due_at: Option<DateTimeUtc>,
    /// SHA-256 of the normalized shipping address: velocity and blocklist checks match on it.
    pub address_key: String,
    /// JSON array of the order's tags (allocation rules can match them).
    pub tags: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// When the last parcel was delivered: the auto-confirm period counts from here.
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
