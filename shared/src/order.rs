//! The order vocabulary fixed by the public contract (API.md): statuses, payment methods and
//! hold reasons. Stored by their contract names.

contract_enum! {
    /// Where an order is in its life (SPEC §3).
    OrderStatus {
        /// Prepaid, waiting for the payment gateway's confirmation.
        PendingPayment = "PENDING_PAYMENT",
        /// Paid, or cash on delivery: waiting for the automatic review.
        Confirmed = "CONFIRMED",
        /// Waiting for a person: see the hold reasons.
        OnHold = "ON_HOLD",
        Approved = "APPROVED",
        /// Waiting for stock.
        Backordered = "BACKORDERED",
        /// Stock reserved in a warehouse.
        Allocated = "ALLOCATED",
        InFulfillment = "IN_FULFILLMENT",
        PartiallyShipped = "PARTIALLY_SHIPPED",
        Shipped = "SHIPPED",
        Delivered = "DELIVERED",
        Completed = "COMPLETED",
        Cancelled = "CANCELLED",
        /// Never paid within the payment window.
        Expired = "EXPIRED",
    }
}

contract_enum! {
    PaymentStatus {
        Unpaid = "UNPAID",
        Paid = "PAID",
        PartiallyRefunded = "PARTIALLY_REFUNDED",
        Refunded = "REFUNDED",
        CodPending = "COD_PENDING",
        CodCollected = "COD_COLLECTED",
    }
}

contract_enum! {
    /// What one entry of the payments ledger records.
    PaymentKind {
        /// The provider took the customer's money.
        Capture = "CAPTURE",
        /// The provider reported a payment that did not go through.
        CaptureFailed = "CAPTURE_FAILED",
        /// The carrier took the cash at the door.
        CodCollected = "COD_COLLECTED",
        /// Money went back to the customer.
        Refund = "REFUND",
    }
}

contract_enum! {
    /// How one order's cash in a carrier's remittance compares with what the ledger says the
    /// carrier collected at the door.
    CodFinding {
        /// Remitted exactly what was collected.
        Matched = "MATCHED",
        /// Remitted less than was collected.
        Short = "SHORT",
        /// Remitted more than was collected.
        Over = "OVER",
        /// The ledger has no collection for the order (not delivered, or not yet reported).
        NotCollected = "NOT_COLLECTED",
    }
}

contract_enum! {
    PaymentMethod {
        Prepaid = "PREPAID",
        CashOnDelivery = "CASH_ON_DELIVERY",
    }
}

contract_enum! {
    ShipmentStatus {
        Pending = "PENDING",
        Picking = "PICKING",
        Picked = "PICKED",
        Packed = "PACKED",
        Labelled = "LABELLED",
        HandedOver = "HANDED_OVER",
        InTransit = "IN_TRANSIT",
        OutForDelivery = "OUT_FOR_DELIVERY",
        Delivered = "DELIVERED",
        Exception = "EXCEPTION",
        ReturnedToSender = "RETURNED_TO_SENDER",
    }
}

contract_enum! {
    /// Why an order waits for a person.
    HoldReasonCode {
        StockShortage = "STOCK_SHORTAGE",
        AddressUnverified = "ADDRESS_UNVERIFIED",
        RemoteArea = "REMOTE_AREA",
        RiskVelocityAddress = "RISK_VELOCITY_ADDRESS",
        RiskVelocityPhone = "RISK_VELOCITY_PHONE",
        RiskCouponAbuse = "RISK_COUPON_ABUSE",
        RiskHighValue = "RISK_HIGH_VALUE",
        RiskFirstOrderHighValue = "RISK_FIRST_ORDER_HIGH_VALUE",
        RiskCodLimit = "RISK_COD_LIMIT",
        RiskBlocklisted = "RISK_BLOCKLISTED",
        PaymentMismatch = "PAYMENT_MISMATCH",
        SpecialRequest = "SPECIAL_REQUEST",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_names_round_trip_through_text_and_serde() {
        for s in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(s.as_str()), Some(*s));
            assert_eq!(
                serde_json::to_string(s).unwrap(),
                format!("\"{}\"", s.as_str())
            );
        }
        assert_eq!(OrderStatus::ALL.len(), 13);
        assert_eq!(HoldReasonCode::ALL.len(), 12);
        assert_eq!(ShipmentStatus::ALL.len(), 11);
        assert_eq!(
            PaymentStatus::parse("COD_PENDING"),
            Some(PaymentStatus::CodPending)
        );
        assert_eq!(PaymentMethod::parse("prepaid"), None);
    }
}
