//! Delivery exceptions as customer service works them: a task per troubled parcel, who was
//! contacted, and how it ended.

contract_enum! {
    /// Where an exception task stands.
    ExceptionTaskStatus {
        /// Waiting for customer service.
        Open = "OPEN",
        /// Worked and closed with an outcome.
        Resolved = "RESOLVED",
    }
}

contract_enum! {
    /// What opened an exception task.
    ExceptionSource {
        /// The carrier reported an EXCEPTION event.
        Carrier = "CARRIER",
        /// The scheduled check found the parcel past its promised delivery time.
        SlaCheck = "SLA_CHECK",
    }
}

contract_enum! {
    /// How customer service ended an exception.
    ExceptionOutcome {
        /// The carrier delivers again (with the corrected address, if one was given).
        Redeliver = "REDELIVER",
        /// The carrier brings the parcel back to the warehouse.
        ReturnToSender = "RETURN_TO_SENDER",
        /// The customer gets money back (a refund request goes to finance).
        Refund = "REFUND",
        /// The parcel's items ship again in a replacement order at price zero.
        Reship = "RESHIP",
    }
}

contract_enum! {
    /// Who customer service talked to about an exception.
    ContactParty {
        Customer = "CUSTOMER",
        Carrier = "CARRIER",
    }
}
