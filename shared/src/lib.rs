//! Types that the Orderly server and its console must agree on.
//!
//! Everything here compiles to wasm32 without database or GraphQL crates; the `graphql` and `db`
//! features add the server-side derives so one definition serves both sides and they cannot drift.

/// Declares a contract enum: serde/GraphQL/database names are the SCREAMING_SNAKE variant names.
macro_rules! contract_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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

pub mod aftersales;
pub mod analytics;
pub mod error;
pub mod exceptions;
pub mod fulfilment;
pub mod order;
pub mod permission;
pub mod role;
pub mod stock;
pub mod webhooks;

pub use aftersales::{CaseKind, CaseReason, CaseStatus, InspectionVerdict, ShippingRefundPolicy};
pub use analytics::{Breakdown, Granularity, Stage};
pub use error::{ErrorCode, FieldProblem};
pub use exceptions::{ContactParty, ExceptionOutcome, ExceptionSource, ExceptionTaskStatus};
pub use fulfilment::{CycleCountStatus, PackagingKind, WaveKind, WaveStatus};
pub use order::{
    CodFinding, HoldReasonCode, OrderStatus, PaymentKind, PaymentMethod, PaymentStatus,
    ShipmentStatus,
};
pub use permission::{Area, Operation, Subject};
pub use role::Role;
pub use stock::{
    AllocationStrategyKind, BlocklistKind, OutOfStockPolicy, RefundStatus, RiskRuleType,
    SpecialRequestKind, SplitPolicyKind, StockMovementKind, VerificationOutcome,
};
pub use webhooks::{WebhookDeliveryStatus, WebhookEventType};
