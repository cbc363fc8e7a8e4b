//! Order, payment, shipment, case and refund statuses, hold reasons, delivery exceptions and
//! webhook deliveries for people: their names and the colour of their badges. Badges carry the
//! contract's name in `data-status` (hold reasons in `data-code`), so the words can change
//! without breaking anything that reads the page.

use crate::api::types::HoldReason;
use leptos::prelude::*;
use orderly_shared::{
    CaseKind, CaseReason, CaseStatus, CodFinding, ContactParty, ExceptionOutcome, ExceptionSource,
    HoldReasonCode, OrderStatus, PaymentKind, PaymentMethod, PaymentStatus, RefundStatus,
    ShipmentStatus, Stage, WebhookDeliveryStatus, WebhookEventType,
};

pub fn order_status_label(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::PendingPayment => "Pending payment",
        OrderStatus::Confirmed => "Confirmed",
        OrderStatus::OnHold => "On hold",
        OrderStatus::Approved => "Approved",
        OrderStatus::Backordered => "Backordered",
        OrderStatus::Allocated => "Allocated",
        OrderStatus::InFulfillment => "In fulfillment",
        OrderStatus::PartiallyShipped => "Partially shipped",
        OrderStatus::Shipped => "Shipped",
        OrderStatus::Delivered => "Delivered",
        OrderStatus::Completed => "Completed",
        OrderStatus::Cancelled => "Cancelled",
        OrderStatus::Expired => "Expired",
    }
}

/// The badge colour: waiting on someone else, needing attention, moving, done, or stopped.
fn order_status_tone(status: OrderStatus) -> &'static str {
    match status {
        OrderStatus::PendingPayment | OrderStatus::Backordered => "badge-wait",
        OrderStatus::OnHold => "badge-warn",
        OrderStatus::Confirmed
        | OrderStatus::Approved
        | OrderStatus::Allocated
        | OrderStatus::InFulfillment
        | OrderStatus::PartiallyShipped
        | OrderStatus::Shipped => "badge-info",
        OrderStatus::Delivered | OrderStatus::Completed => "badge-ok",
        OrderStatus::Cancelled | OrderStatus::Expired => "badge-muted",
    }
}

pub fn payment_status_label(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Unpaid => "Unpaid",
        PaymentStatus::Paid => "Paid",
        PaymentStatus::PartiallyRefunded => "Partially refunded",
        PaymentStatus::Refunded => "Refunded",
        PaymentStatus::CodPending => "Cash on delivery",
        PaymentStatus::CodCollected => "Cash collected",
    }
}

fn payment_status_tone(status: PaymentStatus) -> &'static str {
    match status {
        PaymentStatus::Unpaid | PaymentStatus::CodPending => "badge-wait",
        PaymentStatus::Paid | PaymentStatus::CodCollected => "badge-ok",
        PaymentStatus::PartiallyRefunded | PaymentStatus::Refunded => "badge-muted",
    }
}

pub fn payment_method_label(method: PaymentMethod) -> &'static str {
    match method {
        PaymentMethod::Prepaid => "Prepaid",
        PaymentMethod::CashOnDelivery => "Cash on delivery",
    }
}

#[component]
pub fn OrderStatusBadge(status: OrderStatus) -> impl IntoView {
    view! {
        <span class=format!("badge {}", order_status_tone(status)) data-status=status.as_str()>
            {order_status_label(status)}
        </span>
    }
}

#[component]
pub fn PaymentStatusBadge(status: PaymentStatus) -> impl IntoView {
    view! {
        <span class=format!("badge {}", payment_status_tone(status)) data-status=status.as_str()>
            {payment_status_label(status)}
        </span>
    }
}

pub fn shipment_status_label(status: ShipmentStatus) -> &'static str {
    match status {
        ShipmentStatus::Pending => "Waiting for picking",
        ShipmentStatus::Picking => "Picking",
        ShipmentStatus::Picked => "Picked",
        ShipmentStatus::Packed => "Packed",
        ShipmentStatus::Labelled => "Labelled",
        ShipmentStatus::HandedOver => "Handed over",
        ShipmentStatus::InTransit => "In transit",
        ShipmentStatus::OutForDelivery => "Out for delivery",
        ShipmentStatus::Delivered => "Delivered",
        ShipmentStatus::Exception => "Exception",
        ShipmentStatus::ReturnedToSender => "Returned to sender",
    }
}

fn shipment_status_tone(status: ShipmentStatus) -> &'static str {
    match status {
        ShipmentStatus::Pending => "badge-wait",
        ShipmentStatus::Exception | ShipmentStatus::ReturnedToSender => "badge-warn",
        ShipmentStatus::Delivered => "badge-ok",
        _ => "badge-info",
    }
}

#[component]
pub fn ShipmentStatusBadge(status: ShipmentStatus) -> impl IntoView {
    view! {
        <span class=format!("badge {}", shipment_status_tone(status)) data-status=status.as_str()>
            {shipment_status_label(status)}
        </span>
    }
}

/// What held an order, in a few words; the reason's message says the rest, with the numbers.
pub fn hold_reason_label(code: HoldReasonCode) -> &'static str {
    match code {
        HoldReasonCode::StockShortage => "Stock shortage",
        HoldReasonCode::AddressUnverified => "Address not verified",
        HoldReasonCode::RemoteArea => "Remote area",
        HoldReasonCode::RiskVelocityAddress => "Many orders to one address",
        HoldReasonCode::RiskVelocityPhone => "Many orders from one phone",
        HoldReasonCode::RiskCouponAbuse => "Coupon abuse",
        HoldReasonCode::RiskHighValue => "High value",
        HoldReasonCode::RiskFirstOrderHighValue => "High-value first order",
        HoldReasonCode::RiskCodLimit => "Cash on delivery over the limit",
        HoldReasonCode::RiskBlocklisted => "Blocklisted",
        HoldReasonCode::PaymentMismatch => "Payment mismatch",
        HoldReasonCode::SpecialRequest => "Special request not possible",
    }
}

/// Holds customer service clears itself (`releaseHold`); the others need a reviewer's decision.
/// The server enforces the same rule.
pub fn released_by_customer_service(code: HoldReasonCode) -> bool {
    matches!(
        code,
        HoldReasonCode::AddressUnverified
            | HoldReasonCode::RemoteArea
            | HoldReasonCode::SpecialRequest
    )
}

/// Every reason an order is held, each with its message.
#[component]
pub fn HoldReasonList(reasons: Vec<HoldReason>) -> impl IntoView {
    view! {
        <ul class="hold-list">
            {reasons
                .into_iter()
                .map(|h| {
                    view! {
                        <li data-code=h.code.as_str()>
                            <span class="hold-label">{hold_reason_label(h.code)}</span>
                            <span class="hold-message">{h.message}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

pub fn case_status_label(status: CaseStatus) -> &'static str {
    match status {
        CaseStatus::Requested => "Requested",
        CaseStatus::Approved => "Approved",
        CaseStatus::Rejected => "Rejected",
        CaseStatus::AwaitingReturn => "Awaiting return",
        CaseStatus::Received => "Return received",
        CaseStatus::Inspected => "Inspected",
        CaseStatus::Resolved => "Resolved",
    }
}

pub fn case_reason_label(reason: CaseReason) -> &'static str {
    match reason {
        CaseReason::QualityDefect => "Quality defect",
        CaseReason::WrongItem => "Wrong item",
        CaseReason::MissingItem => "Missing item",
        CaseReason::SizeMismatch => "Size mismatch",
        CaseReason::DamagedInTransit => "Damaged in transit",
        CaseReason::NoReason => "No-reason return",
    }
}

pub fn case_kind_label(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::ReturnAndRefund => "Return and refund",
        CaseKind::Exchange => "Exchange",
        CaseKind::RefundOnly => "Refund only",
        CaseKind::Reship => "Reship",
    }
}

pub fn refund_status_label(status: RefundStatus) -> &'static str {
    match status {
        RefundStatus::Requested => "Waiting for finance",
        RefundStatus::Approved => "Approved",
        RefundStatus::Rejected => "Rejected",
        RefundStatus::Executed => "Paid out",
        RefundStatus::Failed => "Payout failed",
    }
}

/// What a row of the payments ledger records.
pub fn payment_kind_label(kind: PaymentKind) -> &'static str {
    match kind {
        PaymentKind::Capture => "Payment",
        PaymentKind::CaptureFailed => "Failed payment",
        PaymentKind::CodCollected => "Cash collected",
        PaymentKind::Refund => "Refund",
    }
}

/// How a remitted order compares with the cash collected for it.
pub fn cod_finding_label(finding: CodFinding) -> &'static str {
    match finding {
        CodFinding::Matched => "Matches",
        CodFinding::Short => "Short",
        CodFinding::Over => "Over",
        CodFinding::NotCollected => "Not collected",
    }
}

pub fn exception_source_label(source: ExceptionSource) -> &'static str {
    match source {
        ExceptionSource::Carrier => "Reported by the carrier",
        ExceptionSource::SlaCheck => "Late: past its promised delivery",
    }
}

/// What each outcome does, as the agent chooses it.
pub fn exception_outcome_label(outcome: ExceptionOutcome) -> &'static str {
    match outcome {
        ExceptionOutcome::Redeliver => "Re-deliver (to a corrected address, if given)",
        ExceptionOutcome::ReturnToSender => "Return to sender",
        ExceptionOutcome::Refund => "Refund (finance approves)",
        ExceptionOutcome::Reship => "Reship the items in a replacement order",
    }
}

pub fn contact_party_label(party: ContactParty) -> &'static str {
    match party {
        ContactParty::Customer => "Customer",
        ContactParty::Carrier => "Carrier",
    }
}

pub fn webhook_event_label(event: WebhookEventType) -> &'static str {
    match event {
        WebhookEventType::OrderStatusChanged => "Order status changed",
        WebhookEventType::ShipmentTrackingUpdated => "Shipment tracking updated",
        WebhookEventType::RefundExecuted => "Refund paid out",
        WebhookEventType::AfterSalesCaseUpdated => "After-sales case updated",
    }
}

pub fn webhook_delivery_status_label(status: WebhookDeliveryStatus) -> &'static str {
    match status {
        WebhookDeliveryStatus::Pending => "Pending",
        WebhookDeliveryStatus::Delivered => "Delivered",
        WebhookDeliveryStatus::GaveUp => "Gave up",
    }
}

fn webhook_delivery_status_tone(status: WebhookDeliveryStatus) -> &'static str {
    match status {
        WebhookDeliveryStatus::Pending => "badge-wait",
        WebhookDeliveryStatus::Delivered => "badge-ok",
        WebhookDeliveryStatus::GaveUp => "badge-warn",
    }
}

#[component]
pub fn WebhookDeliveryBadge(status: WebhookDeliveryStatus) -> impl IntoView {
    view! {
        <span class=format!("badge {}", webhook_delivery_status_tone(status)) data-status=status.as_str()>
            {webhook_delivery_status_label(status)}
        </span>
    }
}

/// Whether live updates are running, as the list and the order page show it.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveState {
    Connecting,
    Live,
    Reconnecting,
    Failed(String),
}

#[component]
pub fn LiveIndicator(state: RwSignal<LiveState>) -> impl IntoView {
    let text = move || match state.get() {
        LiveState::Connecting => "Connecting…".to_string(),
        LiveState::Live => "Live".to_string(),
        LiveState::Reconnecting => "Reconnecting…".to_string(),
        LiveState::Failed(why) => format!("Live updates off: {why}"),
    };
    let class = move || match state.get() {
        LiveState::Live => "live live-on",
        LiveState::Failed(_) => "live live-off",
        _ => "live live-wait",
    };
    view! {
        <span class=class role="status" data-testid="live-status" title="Updates appear without reloading">
            <span class="live-dot" aria-hidden="true"></span>
            {text}
        </span>
    }
}

/// An order's stage as the analytics dashboard names it.
pub fn stage_label(stage: Stage) -> &'static str {
    match stage {
        Stage::Payment => "Payment",
        Stage::Review => "Review",
        Stage::Allocation => "Allocation",
        Stage::Picking => "Picking",
        Stage::Packing => "Packing",
        Stage::Shipping => "Hand-over",
        Stage::Delivery => "Delivery",
        Stage::Completion => "Completion",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_name_for_people() {
        for s in OrderStatus::ALL {
            assert!(!order_status_label(*s).is_empty());
            assert!(order_status_tone(*s).starts_with("badge-"));
        }
        for s in PaymentStatus::ALL {
            assert!(!payment_status_label(*s).is_empty());
        }
        assert_eq!(
            order_status_label(OrderStatus::PendingPayment),
            "Pending payment"
        );
        for s in ShipmentStatus::ALL {
            assert!(!shipment_status_label(*s).is_empty());
        }
        for c in HoldReasonCode::ALL {
            assert!(!hold_reason_label(*c).is_empty());
        }
        for s in CaseStatus::ALL {
            assert!(!case_status_label(*s).is_empty());
        }
        for r in CaseReason::ALL {
            assert!(!case_reason_label(*r).is_empty());
        }
        for k in CaseKind::ALL {
            assert!(!case_kind_label(*k).is_empty());
        }
        for s in RefundStatus::ALL {
            assert!(!refund_status_label(*s).is_empty());
        }
        for s in ExceptionSource::ALL {
            assert!(!exception_source_label(*s).is_empty());
        }
        for o in ExceptionOutcome::ALL {
            assert!(!exception_outcome_label(*o).is_empty());
        }
        for p in ContactParty::ALL {
            assert!(!contact_party_label(*p).is_empty());
        }
        for e in WebhookEventType::ALL {
            assert!(!webhook_event_label(*e).is_empty());
        }
        for s in WebhookDeliveryStatus::ALL {
            assert!(webhook_delivery_status_tone(*s).starts_with("badge-"));
        }
    }

    #[test]
    fn customer_service_releases_address_remote_area_and_special_request_holds_only() {
        let theirs: Vec<HoldReasonCode> = HoldReasonCode::ALL
            .iter()
            .copied()
            .filter(|c| released_by_customer_service(*c))
            .collect();
        assert_eq!(
            theirs,
            [
                HoldReasonCode::AddressUnverified,
                HoldReasonCode::RemoteArea,
                HoldReasonCode::SpecialRequest
            ]
        );
    }
}
