//! Orders: the pure rules of an order's life — what a valid order is (intake: customer, address,
//! lines, coupons, special requests), what it costs (pricing), and which status changes are
//! legal (the state machine). Storage, transport and transactions live in the service layer.

mod address;
mod contact;
mod fields;
mod intake;
mod machine;
mod payment;
mod pricing;

pub use address::{Address, AddressDraft, is_country_code, validate_address};
pub use contact::{Customer, CustomerDraft, validate_customer, validate_phone};
pub use intake::{
    DeliveryWindow, Invoice, InvoiceDelivery, InvoiceDraft, LineDraft, MAX_GIFT_MESSAGE_CHARS,
    MAX_IDEMPOTENCY_KEY_CHARS, MAX_INVOICE_TITLE_CHARS, MAX_LINES, MAX_QUANTITY, OrderDraft,
    SpecialRequests, SpecialRequestsDraft, ValidOrder, validate_order,
};
pub use machine::{CommandKind, HoldReason, OrderCommand, TransitionError, decide, initial_status};
pub use payment::on_capture;
pub use pricing::{
    Coupon, CouponKind, PricedLine, PricingPolicy, ProductSnapshot, Quote, check_coupon, price,
};
