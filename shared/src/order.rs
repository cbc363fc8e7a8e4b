//! The order vocabulary fixed by the public contract (API.md): statuses, payment methods and
//! hold reasons. Stored by their contract names.

use serde::{Deserialize, Serialize};

/// Declares a contract enum: serde/GraphQL/database names are the SCREAMING_SNAKE variant names.
macro_rules! contract_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        #[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
        #[cfg_attr(feature = "db", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
        #[cfg_attr(feature = "db", sea_orm(rs_type = "String", db_type = "String(sea_orm::sea_query::StringLen::N(32))"))]
        pub enum $name {
            $($(#[$vmeta])* #[cfg_attr(feature = "db", sea_orm(string_value = $text))] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The contract's spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

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
