//! After-sales cases as staff and partners see them: why the customer came back, what they
//! asked for, where the case stands, and what the warehouse found in the returned parcel.

contract_enum! {
    /// Where an after-sales case stands (SPEC §3).
    CaseStatus {
        /// Opened; customer service decides.
        Requested = "REQUESTED",
        /// Accepted; for refund-only cases the refund is with finance.
        Approved = "APPROVED",
        /// Refused, with a reason the customer is told.
        Rejected = "REJECTED",
        /// The customer has a return label; the parcel is on its way back.
        AwaitingReturn = "AWAITING_RETURN",
        /// The warehouse has scanned the parcel in.
        Received = "RECEIVED",
        /// Every returned unit has been inspected; the refund is with finance.
        Inspected = "INSPECTED",
        /// Done: the money went back, or the replacement order is on its way.
        Resolved = "RESOLVED",
    }
}

contract_enum! {
    /// Why the customer came back.
    CaseReason {
        QualityDefect = "QUALITY_DEFECT",
        WrongItem = "WRONG_ITEM",
        MissingItem = "MISSING_ITEM",
        SizeMismatch = "SIZE_MISMATCH",
        DamagedInTransit = "DAMAGED_IN_TRANSIT",
        /// The customer changed their mind: only within the return window after delivery.
        NoReason = "NO_REASON",
    }
}

contract_enum! {
    /// What the customer gets.
    CaseKind {
        /// The units come back; the customer is refunded for those that pass inspection.
        ReturnAndRefund = "RETURN_AND_REFUND",
        /// The units come back; a replacement order (price zero) ships the same items.
        Exchange = "EXCHANGE",
        /// Money back without a return (a missing item, a small defect).
        RefundOnly = "REFUND_ONLY",
        /// A replacement order ships the items again without a return.
        Reship = "RESHIP",
    }
}

contract_enum! {
    /// What inspection decided for one returned unit.
    InspectionVerdict {
        /// Sellable: back into stock through the ledger.
        Pass = "PASS",
        /// Not sellable and the merchant's loss: received and scrapped in the ledger.
        Scrap = "SCRAP",
        /// Not accepted (damaged by the customer, not our item): sent back, not refunded.
        SendBack = "SEND_BACK",
    }
}

contract_enum! {
    /// When the order's shipping fee goes back with a case's refund.
    ShippingRefundPolicy {
        /// Never.
        Never = "NEVER",
        /// When the merchant is at fault: quality defect, wrong, missing or damaged item.
        MerchantFault = "MERCHANT_FAULT",
        /// When every unit of the order has come back (or been refunded).
        WhenAllReturned = "WHEN_ALL_RETURNED",
    }
}
