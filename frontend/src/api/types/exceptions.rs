//! Delivery exceptions: the task customer service works, with the parcel, the order and its
//! customer at hand, the contacts made so far, and what closing it sends.

use super::{Address, Customer, Money};
use orderly_shared::{
    ContactParty, ExceptionOutcome, ExceptionSource, ExceptionTaskStatus, PaymentMethod,
    ShipmentStatus,
};
use serde::{Deserialize, Serialize};

/// One task of the exceptions queue.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionTask {
    pub id: String,
    /// The carrier's code, e.g. `ADDRESS_UNKNOWN`; `DELAYED` from the SLA check.
    pub code: String,
    pub source: ExceptionSource,
    pub status: ExceptionTaskStatus,
    pub detail: String,
    pub opened_at: String,
    pub shipment: ExceptionParcel,
    pub order: ExceptionOrder,
    pub contacts: Vec<ExceptionContact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionParcel {
    pub id: String,
    pub status: ShipmentStatus,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
}

/// The order as the agent needs it: whom to call, where it goes, what was paid and how.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExceptionOrder {
    pub id: String,
    pub number: String,
    pub payment_method: PaymentMethod,
    pub total: Money,
    pub customer: Customer,
    pub shipping_address: Address,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct ExceptionContact {
    pub party: ContactParty,
    pub note: String,
    /// The agent.
    pub by: String,
    pub at: String,
}

/// The input of `resolveExceptionTask`: only what the outcome uses is sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveExceptionInput {
    pub outcome: ExceptionOutcome,
    pub note: String,
    /// REDELIVER to a new address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corrected_address: Option<Address>,
    /// REFUND: a decimal in the order's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<String>,
    /// REFUND of a cash-on-delivery order: the account the money goes to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payout_reference: Option<String>,
}
