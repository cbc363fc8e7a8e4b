//! Order and payment statuses for people: their names and the colour of their badges. The
//! badge carries the contract's name in `data-status`, so the words can change without breaking
//! anything that reads the page.

use leptos::prelude::*;
use orderly_shared::{OrderStatus, PaymentMethod, PaymentStatus};

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
    }
}
