//! Partner webhooks: what a partner can subscribe to, and where a delivery stands.

contract_enum! {
    /// An event a partner's endpoint can subscribe to.
    WebhookEventType {
        /// An order of the partner's channel moved from one status to another.
        OrderStatusChanged = "ORDER_STATUS_CHANGED",
        /// The carrier reported on one of the order's parcels.
        ShipmentTrackingUpdated = "SHIPMENT_TRACKING_UPDATED",
        /// Money went back to the customer.
        RefundExecuted = "REFUND_EXECUTED",
        /// An after-sales case was opened or moved on.
        AfterSalesCaseUpdated = "AFTER_SALES_CASE_UPDATED",
    }
}

contract_enum! {
    /// Where one delivery of one event to one endpoint stands.
    WebhookDeliveryStatus {
        /// Not yet attempted, or waiting for its next attempt after a failure.
        Pending = "PENDING",
        /// The endpoint answered 2xx.
        Delivered = "DELIVERED",
        /// Every attempt for 24 hours failed; an admin can resend it.
        GaveUp = "GAVE_UP",
    }
}
