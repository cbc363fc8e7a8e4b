//! The stock and review vocabulary the console and the server share: ledger movement kinds,
//! out-of-stock policies, refund states, verification outcomes, blocklist entries, and the kinds
//! of risk and allocation rules.

contract_enum! {
    /// Why stock changed; every ledger row is one of these.
    StockMovementKind {
        /// Goods arrived (on hand +).
        Receipt = "RECEIPT",
        /// Allocation set units aside for an order (reserved +).
        Reservation = "RESERVATION",
        /// A cancelled, rejected or re-allocated order gave its units back (reserved −).
        Release = "RELEASE",
        /// Units left the bin with a picker (on hand − and reserved −).
        Pick = "PICK",
        /// A counted correction, with its reason (on hand ±).
        Adjustment = "ADJUSTMENT",
        /// A returned unit passed inspection (on hand +).
        ReturnRestock = "RETURN_RESTOCK",
        /// Damaged or unsellable units written off (on hand −).
        Scrap = "SCRAP",
    }
}

contract_enum! {
    /// What happens to an order when stock is short (a merchant setting, per channel overridable).
    OutOfStockPolicy {
        /// Wait for stock (presale), with an expected date.
        Backorder = "BACKORDER",
        /// Ship what is there now, the rest when it arrives.
        Split = "SPLIT",
        /// Ship what is there; cancel and refund the rest.
        CancelLines = "CANCEL_LINES",
        /// Let a person decide.
        Hold = "HOLD",
    }
}

contract_enum! {
    /// Where a refund is (SPEC §3).
    RefundStatus {
        /// Owed, waiting for finance.
        Requested = "REQUESTED",
        Approved = "APPROVED",
        Rejected = "REJECTED",
        Executed = "EXECUTED",
        Failed = "FAILED",
    }
}

contract_enum! {
    /// The outcome of a customer-service call to verify an address.
    VerificationOutcome {
        /// The customer confirmed the address as it is.
        Confirmed = "CONFIRMED",
        /// The customer gave a corrected address.
        Corrected = "CORRECTED",
        /// Nobody could be reached; the order stays on hold.
        NotReached = "NOT_REACHED",
    }
}

contract_enum! {
    /// What a blocklist entry blocks.
    BlocklistKind {
        Phone = "PHONE",
        Email = "EMAIL",
        Address = "ADDRESS",
    }
}

contract_enum! {
    /// The kinds of risk rule a reviewer can configure.
    RiskRuleType {
        /// Orders to one normalized address within a window.
        AddressVelocity = "ADDRESS_VELOCITY",
        /// Orders from one phone within a window.
        PhoneVelocity = "PHONE_VELOCITY",
        /// One coupon used by several customers sharing an address or phone.
        CouponSharedIdentity = "COUPON_SHARED_IDENTITY",
        /// One coupon used too often by one address or phone, whatever the e-mail.
        CouponPerIdentity = "COUPON_PER_IDENTITY",
        HighValue = "HIGH_VALUE",
        FirstOrderHighValue = "FIRST_ORDER_HIGH_VALUE",
        /// Cash on delivery above a limit.
        CodLimit = "COD_LIMIT",
        /// Phone, e-mail or address on the blocklist.
        Blocklisted = "BLOCKLISTED",
    }
}

contract_enum! {
    /// How an allocation rule ranks warehouses.
    AllocationStrategyKind {
        /// A fixed list, in priority order.
        FixedList = "FIXED_LIST",
        /// Same region, then same country, then the rest.
        Nearest = "NEAREST",
        /// The most units of the order's SKUs.
        MostStock = "MOST_STOCK",
        /// The cheapest to ship from.
        LowestCost = "LOWEST_COST",
    }
}

contract_enum! {
    /// Whether an order may leave in several shipments.
    SplitPolicyKind {
        /// One warehouse ships everything, or the order is short.
        ShipComplete = "SHIP_COMPLETE",
        AllowSplit = "ALLOW_SPLIT",
        /// At most N shipments.
        AtMost = "AT_MOST",
    }
}

contract_enum! {
    /// Special requests an allocation rule can condition on.
    SpecialRequestKind {
        DeliveryWindow = "DELIVERY_WINDOW",
        GiftWrap = "GIFT_WRAP",
        GiftMessage = "GIFT_MESSAGE",
        Invoice = "INVOICE",
    }
}
