//! An order row read back into the domain's terms: its address, special requests, tags and
//! coupons, as the review and allocation need them.

use crate::db::entity::order;
use crate::domain::orders::{Address, DeliveryWindow, Invoice, InvoiceDelivery, SpecialRequests};
use chrono::{DateTime, Utc};
use serde::Deserialize;

/// The shipping address as stored (validated at intake).
pub fn address(o: &order::Model) -> Address {
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredWindow {
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredInvoice {
    title: String,
    tax_id: Option<String>,
    delivery: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRequests {
    delivery_window: Option<StoredWindow>,
    #[serde(default)]
    gift_wrap: bool,
    gift_message: Option<String>,
    invoice: Option<StoredInvoice>,
}

/// The special requests as stored at intake (none if there were none).
pub fn special_requests(o: &order::Model) -> SpecialRequests {
    let Some(stored) = o
        .special_requests
        .as_deref()
        .and_then(|json| serde_json::from_str::<StoredRequests>(json).ok())
    else {
        return SpecialRequests::default();
    };
    SpecialRequests {
        delivery_window: stored.delivery_window.map(|w| DeliveryWindow {
            from: w.from,
            to: w.to,
        }),
        gift_wrap: stored.gift_wrap,
        gift_message: stored.gift_message,
        invoice: stored.invoice.map(|i| Invoice {
            title: i.title,
            tax_id: i.tax_id,
            delivery: if i.delivery == "SEPARATE" {
                InvoiceDelivery::Separate
            } else {
                InvoiceDelivery::InParcel
            },
        }),
    }
}

/// A shipment's special-request instructions, as allocation stored them.
pub fn instructions(
    s: &crate::db::entity::shipment::Model,
) -> Vec<crate::domain::review::Instruction> {
    serde_json::from_str(&s.instructions).unwrap_or_default()
}

/// The order's tags.
pub fn tags(o: &order::Model) -> Vec<String> {
    serde_json::from_str(&o.tags).unwrap_or_default()
}

/// The coupon codes applied.
pub fn coupon_codes(o: &order::Model) -> Vec<String> {
    serde_json::from_str(&o.coupon_codes).unwrap_or_default()
}

/// SHA-256 (hex) of the normalized address: what velocity and blocklist checks compare.
pub fn address_hash(a: &Address) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(
        crate::domain::review::address_key(a).as_bytes(),
    ))
}

/// Puts `a` on the order as its shipping address (and the key the risk checks match on).
pub fn set_address(row: &mut order::ActiveModel, a: Address) {
    use sea_orm::ActiveValue::Set;
    row.address_key = Set(address_hash(&a));
    row.ship_recipient = Set(a.recipient);
    row.ship_phone = Set(a.phone);
    row.ship_country = Set(a.country);
    row.ship_region = Set(a.region);
    row.ship_city = Set(a.city);
    row.ship_district = Set(a.district);
    row.ship_line1 = Set(a.line1);
    row.ship_line2 = Set(a.line2);
    row.ship_postal_code = Set(a.postal_code);
}
