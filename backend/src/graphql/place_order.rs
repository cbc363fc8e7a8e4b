//! `placeOrder` (API.md): the input types and the thin resolver.

use super::guard::Require;
use super::orders::Order;
use super::{actor, state};
use crate::domain::orders::{
    AddressDraft, CustomerDraft, DeliveryWindow, InvoiceDelivery, InvoiceDraft, LineDraft,
    OrderDraft, SpecialRequestsDraft,
};
use crate::service::orders::intake::{self, IntakeSettings};
use async_graphql::{Context, Enum, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};
use orderly_shared::{Operation, PaymentMethod};
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(InputObject, Serialize)]
pub struct CustomerInput {
    name: String,
    email: String,
    /// In international form (`+86…`), or national for the shipping country.
    phone: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct AddressInput {
    recipient: String,
    phone: String,
    /// ISO 3166-1 alpha-2, e.g. `CN`.
    country: String,
    /// Province or state; required where the country has them (CN, US).
    region: Option<String>,
    city: String,
    district: Option<String>,
    line1: String,
    line2: Option<String>,
    postal_code: Option<String>,
}

#[derive(InputObject, Serialize)]
pub struct OrderLineInput {
    sku: String,
    quantity: i32,
}

#[derive(InputObject, Serialize)]
pub struct DeliveryWindowInput {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

#[derive(Enum, Copy, Clone, PartialEq, Eq, Serialize)]
pub enum InvoiceDeliveryInput {
    /// Printed and put in the parcel.
    InParcel,
    /// Sent separately (e.g. by e-mail).
    Separate,
}

#[derive(InputObject, Serialize)]
pub struct InvoiceInput {
    title: String,
    tax_id: Option<String>,
    delivery: InvoiceDeliveryInput,
}

#[derive(InputObject, Serialize)]
pub struct SpecialRequestsInput {
    delivery_window: Option<DeliveryWindowInput>,
    gift_wrap: Option<bool>,
    gift_message: Option<String>,
    invoice: Option<InvoiceInput>,
}

#[derive(InputObject, Serialize)]
pub struct PlaceOrderInput {
    /// The same key twice returns the same order (per channel).
    idempotency_key: String,
    customer: CustomerInput,
    shipping_address: AddressInput,
    payment_method: PaymentMethod,
    lines: Vec<OrderLineInput>,
    coupon_codes: Option<Vec<String>>,
    special_requests: Option<SpecialRequestsInput>,
    /// The total the caller computed; if given, it must match the server's exactly.
    expected_total: Option<String>,
    /// Labels for routing and reporting: up to 10 of `a-z 0-9 - _`.
    tags: Option<Vec<String>>,
    /// Staff only: the channel to place the order in (default `console`). Partners always
    /// place orders in their own channel.
    channel: Option<String>,
}

impl PlaceOrderInput {
    /// SHA-256 of the request as sent, to tell a retry from a different order under one key.
    fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&json))
    }

    fn into_draft(self) -> OrderDraft {
        let a = self.shipping_address;
        OrderDraft {
            idempotency_key: self.idempotency_key,
            customer: CustomerDraft {
                name: self.customer.name,
                email: self.customer.email,
                phone: self.customer.phone,
            },
            shipping_address: AddressDraft {
                recipient: a.recipient,
                phone: a.phone,
                country: a.country,
                region: a.region.unwrap_or_default(),
                city: a.city,
                district: a.district,
                line1: a.line1,
                line2: a.line2,
                postal_code: a.postal_code,
            },
            payment_method: self.payment_method,
            lines: self
                .lines
                .into_iter()
                .map(|l| LineDraft {
                    sku: l.sku,
                    quantity: l.quantity.into(),
                })
                .collect(),
            coupon_codes: self.coupon_codes.unwrap_or_default(),
            special_requests: self.special_requests.map(|r| SpecialRequestsDraft {
                delivery_window: r.delivery_window.map(|w| DeliveryWindow {
                    from: w.from,
                    to: w.to,
                }),
                gift_wrap: r.gift_wrap.unwrap_or(false),
                gift_message: r.gift_message,
                invoice: r.invoice.map(|i| InvoiceDraft {
                    title: i.title,
                    tax_id: i.tax_id,
                    delivery: match i.delivery {
                        InvoiceDeliveryInput::InParcel => InvoiceDelivery::InParcel,
                        InvoiceDeliveryInput::Separate => InvoiceDelivery::Separate,
                    },
                }),
            }),
            expected_total: self.expected_total,
            tags: self.tags.unwrap_or_default(),
        }
    }
}

#[derive(Default)]
pub struct PlaceOrderMutation;

#[Object]
impl PlaceOrderMutation {
    /// Places an order. Every problem with the input is reported at once (VALIDATION, with
    /// paths such as `lines[2].quantity`), and nothing is written for an invalid order.
    /// Prepaid orders wait in PENDING_PAYMENT; cash-on-delivery orders are CONFIRMED at once.
    #[graphql(guard = "Require(Operation::PlaceOrder)")]
    async fn place_order(
        &self,
        ctx: &Context<'_>,
        input: PlaceOrderInput,
    ) -> async_graphql::Result<Order> {
        let s = state(ctx);
        let actor = actor(ctx)?;
        let digest = input.digest();
        let channel = input.channel.clone();
        let settings = IntakeSettings {
            payment_window: s.config.payment_window,
        };
        let order = intake::place(
            &s.db,
            &s.realtime,
            &settings,
            actor,
            channel.as_deref(),
            input.into_draft(),
            digest,
        )
        .await
        .extend()?;
        Ok(Order(order))
    }
}
