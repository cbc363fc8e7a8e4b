//! The permission table: which subjects may run which operation, and which console areas each
//! role sees.
//!
//! This is the single source of truth. The server's guards consult [`Operation::allows`] on every
//! guarded field and mutation; the console uses the same table only to hide what the server would
//! refuse anyway; a test walks every operation against every subject.

use crate::Role;
use serde::{Deserialize, Serialize};

/// Who is asking: a staff role, or a partner system authenticated by API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Subject {
    Staff(Role),
    Partner,
}

impl Subject {
    pub const ALL: [Subject; 6] = [
        Subject::Staff(Role::Admin),
        Subject::Staff(Role::CustomerService),
        Subject::Staff(Role::Reviewer),
        Subject::Staff(Role::Warehouse),
        Subject::Staff(Role::Finance),
        Subject::Partner,
    ];
}

/// Every guarded GraphQL operation. Login, session refresh and logout are public by nature and
/// are not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operation {
    /// `me`: the signed-in staff user.
    ReadOwnProfile,
    /// `changePassword`: a staff user changes their own password.
    ChangeOwnPassword,
    /// `users`, `user`.
    ReadUsers,
    /// `createUser`.
    CreateUser,
    /// `setUserRoles`.
    SetUserRoles,
    /// `deactivateUser`, `reactivateUser`.
    SetUserActive,
    /// `apiKeys`.
    ReadApiKeys,
    /// `createApiKey`.
    CreateApiKey,
    /// `revokeApiKey`.
    RevokeApiKey,
    /// `auditLog`.
    ReadAuditLog,
    /// `auditLogAppended` subscription.
    WatchAuditLog,
    /// `order`, `orders` (partners: their own channel only).
    ReadOrders,
    /// `placeOrder`.
    PlaceOrder,
    /// `orderStatusChanged` subscription (partners: their own channel only).
    WatchOrders,
    /// `products`: the catalogue.
    ReadCatalog,
    /// `customers`: names and contact details (personal data).
    ReadCustomers,
    /// `simulatePayment`: send a signed callback from the simulated gateway (demo mode only).
    SimulatePayment,
    /// `coupons`, `createCoupon`.
    ManageCoupons,
    /// `warehouses`, `stockLevels`, `stockLedger`.
    ReadStock,
    /// `receiveStock`, `adjustStock`: receipts and counted corrections.
    ChangeStock,
    /// `reviewQueue`: held orders with their reasons.
    ReadReviewQueue,
    /// `approveOrder`, `rejectOrder`.
    ReviewOrders,
    /// `recordVerificationCall`, `releaseHold`: customer service's part of the review.
    VerifyOrders,
    /// `cancelOrder`.
    CancelOrders,
    /// `riskRules`, `saveRiskRule`, `riskThresholds`, `blocklist`, remote areas.
    ManageRisk,
    /// `allocationRules`, `saveAllocationRule`, `deleteAllocationRule`, `allocationDryRun`.
    ManageAllocation,
    /// `stockouts`: demand stock could not meet.
    ReadStockouts,
    /// `stockPolicy`, `setStockPolicy`: the out-of-stock policy, merchant-wide and per channel.
    ManageStockPolicy,
    /// `savePackaging`, `saveCarrier`: editing the fulfilment catalogues.
    ManageFulfilmentSetup,
    /// `waveCandidates`, `waves`, `wave`, `createWave`, `cancelWave`, the pick-list PDF and the
    /// `waveUpdated` subscription.
    ManageWaves,
    /// `scanPick`, `confirmPick`, `reportShortPick`, `sortScan`: the handheld.
    PickStock,
    /// `packStation`, `packScan`, `packUnscan`, `completePacking`, `carrierOptions`,
    /// `createLabel`, `packagings`, `carriers`, label and invoice PDFs.
    PackShipments,
    /// `stagedParcels`, `handOver`, `manifests`, the manifest PDF.
    HandOverParcels,
    /// `stockDiscrepancies`, `cycleCounts`, `completeCycleCount`.
    CountStock,
    /// `simulateCarrierEvents`: the simulated carrier's tracking callbacks (demo mode only).
    SimulateCarrierEvents,
    /// `refunds`, `refund` and the refunds queue's `queueChanged` subscription.
    ReadRefunds,
    /// `requestRefund`: customer service asks finance to pay money back.
    RequestRefunds,
    /// `approveRefund`, `rejectRefund`, `retryRefund` (never on one's own request).
    DecideRefunds,
    /// `payments`: the payments ledger, and its CSV export `GET /exports/payments.csv`.
    ReadPayments,
    /// `codBalances`, `codOutstanding`, `codRemittances`, `recordCodRemittance`: matching the
    /// cash carriers collected at the door against what they remitted.
    ReconcileCod,
    /// `refundPolicy` is readable by refund readers; `setRefundPolicy` changes the threshold
    /// above which two finance approvals are needed.
    ManageRefundPolicy,
    /// `confirmReceipt`: the customer has the parcel (partners on the customer's behalf).
    ConfirmReceipt,
    /// `rateOrder`: the customer's 1–5 rating of a delivered order.
    RateOrders,
    /// `exceptionTasks`, `exceptionTask` and the exceptions queue's `queueChanged`.
    ReadExceptions,
    /// `recordExceptionContact`, `resolveExceptionTask`.
    WorkExceptions,
    /// `afterSalesCases`, `afterSalesCase` and the after-sales queue's `queueChanged`
    /// (partners: their own channel's cases).
    ReadCases,
    /// `openAfterSalesCase`: customer service, or a partner for its customer.
    OpenCases,
    /// `approveAfterSalesCase`, `rejectAfterSalesCase`, `closeAfterSalesCase`.
    DecideCases,
    /// `receiveReturn`, `inspectReturn`: the warehouse takes a return back in.
    ReceiveReturns,
    /// `setAfterSalesPolicy`: the no-reason return window and the shipping refund policy.
    ManageAfterSalesPolicy,
    /// `webhookEndpoints`, `webhookDeliveries`, `createWebhookEndpoint`,
    /// `deactivateWebhookEndpoint`, `resendWebhookDelivery`: partners' outbound webhooks.
    ManageWebhooks,
    /// `analytics` and the CSV exports of orders and metrics (warehouse staff: their
    /// warehouses' orders only).
    ReadAnalytics,
}

use Role::*;

const STAFF_ALL: &[Role] = &[Admin, CustomerService, Reviewer, Warehouse, Finance];
const ADMIN_ONLY: &[Role] = &[Admin];
/// Staff who work with orders (warehouse staff work with shipments instead).
const ORDER_READERS: &[Role] = &[Admin, CustomerService, Reviewer, Finance];

impl Operation {
    pub const ALL: [Operation; 52] = [
        Operation::ReadOwnProfile,
        Operation::ChangeOwnPassword,
        Operation::ReadUsers,
        Operation::CreateUser,
        Operation::SetUserRoles,
        Operation::SetUserActive,
        Operation::ReadApiKeys,
        Operation::CreateApiKey,
        Operation::RevokeApiKey,
        Operation::ReadAuditLog,
        Operation::WatchAuditLog,
        Operation::ReadOrders,
        Operation::PlaceOrder,
        Operation::WatchOrders,
        Operation::ReadCatalog,
        Operation::ReadCustomers,
        Operation::SimulatePayment,
        Operation::ManageCoupons,
        Operation::ReadStock,
        Operation::ChangeStock,
        Operation::ReadReviewQueue,
        Operation::ReviewOrders,
        Operation::VerifyOrders,
        Operation::CancelOrders,
        Operation::ManageRisk,
        Operation::ManageAllocation,
        Operation::ReadStockouts,
        Operation::ManageStockPolicy,
        Operation::ManageFulfilmentSetup,
        Operation::ManageWaves,
        Operation::PickStock,
        Operation::PackShipments,
        Operation::HandOverParcels,
        Operation::CountStock,
        Operation::SimulateCarrierEvents,
        Operation::ReadRefunds,
        Operation::RequestRefunds,
        Operation::DecideRefunds,
        Operation::ReadPayments,
        Operation::ReconcileCod,
        Operation::ManageRefundPolicy,
        Operation::ConfirmReceipt,
        Operation::RateOrders,
        Operation::ReadExceptions,
        Operation::WorkExceptions,
        Operation::ReadCases,
        Operation::OpenCases,
        Operation::DecideCases,
        Operation::ReceiveReturns,
        Operation::ManageAfterSalesPolicy,
        Operation::ManageWebhooks,
        Operation::ReadAnalytics,
    ];

    /// Staff roles that may run the operation (ADMIN may do everything).
    pub fn staff_roles(self) -> &'static [Role] {
        match self {
            Operation::ReadOwnProfile | Operation::ChangeOwnPassword | Operation::ReadCatalog => {
                STAFF_ALL
            }
            Operation::ReadCustomers => ORDER_READERS,
            Operation::SimulatePayment => &[Admin, Finance],
            Operation::ReadUsers
            | Operation::CreateUser
            | Operation::SetUserRoles
            | Operation::SetUserActive
            | Operation::ReadApiKeys
            | Operation::CreateApiKey
            | Operation::RevokeApiKey
            | Operation::ReadAuditLog
            | Operation::WatchAuditLog
            | Operation::PlaceOrder
            | Operation::ManageCoupons
            | Operation::ManageStockPolicy
            | Operation::ManageRefundPolicy
            | Operation::ManageAfterSalesPolicy
            | Operation::ManageWebhooks => ADMIN_ONLY,
            Operation::ReadOrders | Operation::WatchOrders => ORDER_READERS,
            Operation::ReadStock => &[Admin, CustomerService, Reviewer, Warehouse],
            Operation::ChangeStock
            | Operation::ManageAllocation
            | Operation::ManageFulfilmentSetup
            | Operation::ManageWaves
            | Operation::PickStock
            | Operation::PackShipments
            | Operation::HandOverParcels
            | Operation::CountStock
            | Operation::SimulateCarrierEvents => &[Admin, Warehouse],
            Operation::ReadAnalytics => STAFF_ALL,
            Operation::ReadReviewQueue => &[Admin, CustomerService, Reviewer],
            Operation::ReviewOrders | Operation::ManageRisk => &[Admin, Reviewer],
            Operation::VerifyOrders | Operation::CancelOrders => &[Admin, CustomerService],
            Operation::ReadStockouts => &[Admin, CustomerService, Warehouse],
            Operation::ReadRefunds => &[Admin, CustomerService, Finance],
            Operation::RequestRefunds
            | Operation::ConfirmReceipt
            | Operation::RateOrders
            | Operation::ReadExceptions
            | Operation::WorkExceptions => &[Admin, CustomerService],
            Operation::DecideRefunds | Operation::ReadPayments | Operation::ReconcileCod => {
                &[Admin, Finance]
            }
            Operation::ReadCases => &[Admin, CustomerService, Warehouse, Finance],
            Operation::OpenCases | Operation::DecideCases => &[Admin, CustomerService],
            Operation::ReceiveReturns => &[Admin, Warehouse],
        }
    }

    /// Whether partner API keys may run the operation (always limited to their own channel).
    pub fn partner_allowed(self) -> bool {
        match self {
            Operation::ReadOwnProfile
            | Operation::ChangeOwnPassword
            | Operation::ReadUsers
            | Operation::CreateUser
            | Operation::SetUserRoles
            | Operation::SetUserActive
            | Operation::ReadApiKeys
            | Operation::CreateApiKey
            | Operation::RevokeApiKey
            | Operation::ReadAuditLog
            | Operation::WatchAuditLog => false,
            Operation::ReadOrders
            | Operation::PlaceOrder
            | Operation::WatchOrders
            | Operation::ReadCatalog
            | Operation::ConfirmReceipt
            | Operation::RateOrders
            | Operation::ReadCases
            | Operation::OpenCases => true,
            Operation::ReadCustomers
            | Operation::SimulatePayment
            | Operation::ManageCoupons
            | Operation::ReadStock
            | Operation::ChangeStock
            | Operation::ReadReviewQueue
            | Operation::ReviewOrders
            | Operation::VerifyOrders
            | Operation::CancelOrders
            | Operation::ManageRisk
            | Operation::ManageAllocation
            | Operation::ReadStockouts
            | Operation::ManageStockPolicy
            | Operation::ManageFulfilmentSetup
            | Operation::ManageWaves
            | Operation::PickStock
            | Operation::PackShipments
            | Operation::HandOverParcels
            | Operation::CountStock
            | Operation::SimulateCarrierEvents
            | Operation::ReadRefunds
            | Operation::RequestRefunds
            | Operation::DecideRefunds
            | Operation::ReadPayments
            | Operation::ReconcileCod
            | Operation::ManageRefundPolicy
            | Operation::ReadExceptions
            | Operation::WorkExceptions
            | Operation::DecideCases
            | Operation::ReceiveReturns
            | Operation::ManageAfterSalesPolicy
            | Operation::ManageWebhooks
            | Operation::ReadAnalytics => false,
        }
    }

    pub fn allows(self, subject: Subject) -> bool {
        match subject {
            Subject::Staff(role) => self.staff_roles().contains(&role),
            Subject::Partner => self.partner_allowed(),
        }
    }

    /// Whether any of a user's roles allows the operation.
    pub fn allows_any(self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.allows(Subject::Staff(*r)))
    }
}

/// A section of the console's navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Area {
    Dashboard,
    Orders,
    Customers,
    Catalog,
    Review,
    AfterSales,
    Warehouse,
    Finance,
    Analytics,
    Administration,
}

impl Area {
    pub const ALL: [Area; 10] = [
        Area::Dashboard,
        Area::Orders,
        Area::Customers,
        Area::Catalog,
        Area::Review,
        Area::AfterSales,
        Area::Warehouse,
        Area::Finance,
        Area::Analytics,
        Area::Administration,
    ];

    pub fn roles(self) -> &'static [Role] {
        match self {
            Area::Dashboard => STAFF_ALL,
            Area::Orders => &[Admin, CustomerService, Reviewer, Finance],
            Area::Customers => Operation::ReadCustomers.staff_roles(),
            Area::Catalog => Operation::ReadCatalog.staff_roles(),
            Area::Review => &[Admin, Reviewer, CustomerService],
            Area::AfterSales => &[Admin, CustomerService, Warehouse, Finance],
            Area::Warehouse => &[Admin, Warehouse],
            Area::Finance => &[Admin, Finance],
            Area::Analytics => &[Admin, Finance],
            Area::Administration => ADMIN_ONLY,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Area::Dashboard => "Dashboard",
            Area::Orders => "Orders",
            Area::Customers => "Customers",
            Area::Catalog => "Products",
            Area::Review => "Review queue",
            Area::AfterSales => "After-sales",
            Area::Warehouse => "Warehouse",
            Area::Finance => "Finance",
            Area::Analytics => "Analytics",
            Area::Administration => "Administration",
        }
    }

    /// The console route of the area.
    pub fn path(self) -> &'static str {
        match self {
            Area::Dashboard => "/",
            Area::Orders => "/orders",
            Area::Customers => "/customers",
            Area::Catalog => "/catalog",
            Area::Review => "/review",
            Area::AfterSales => "/after-sales",
            Area::Warehouse => "/warehouse",
            Area::Finance => "/finance",
            Area::Analytics => "/analytics",
            Area::Administration => "/admin",
        }
    }

    /// The areas a user with these roles sees, in navigation order.
    pub fn visible_to(roles: &[Role]) -> Vec<Area> {
        Area::ALL
            .into_iter()
            .filter(|a| a.roles().iter().any(|r| roles.contains(r)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_may_run_every_operation() {
        for op in Operation::ALL {
            assert!(op.allows(Subject::Staff(Role::Admin)), "{op:?}");
        }
    }

    /// The table as reviewed: changing a permission must change this test too, deliberately.
    #[test]
    fn the_permission_table_is_exactly_as_reviewed() {
        let rendered: Vec<String> = Operation::ALL
            .iter()
            .map(|op| {
                let who: Vec<&str> = Subject::ALL
                    .iter()
                    .filter(|s| op.allows(**s))
                    .map(|s| match s {
                        Subject::Staff(r) => r.as_str(),
                        Subject::Partner => "PARTNER",
                    })
                    .collect();
                format!("{op:?}: {}", who.join(" "))
            })
            .collect();
        let all = "ADMIN CUSTOMER_SERVICE REVIEWER WAREHOUSE FINANCE";
        let expected = [
            format!("ReadOwnProfile: {all}"),
            format!("ChangeOwnPassword: {all}"),
            "ReadUsers: ADMIN".into(),
            "CreateUser: ADMIN".into(),
            "SetUserRoles: ADMIN".into(),
            "SetUserActive: ADMIN".into(),
            "ReadApiKeys: ADMIN".into(),
            "CreateApiKey: ADMIN".into(),
            "RevokeApiKey: ADMIN".into(),
            "ReadAuditLog: ADMIN".into(),
            "WatchAuditLog: ADMIN".into(),
            "ReadOrders: ADMIN CUSTOMER_SERVICE REVIEWER FINANCE PARTNER".into(),
            "PlaceOrder: ADMIN PARTNER".into(),
            "WatchOrders: ADMIN CUSTOMER_SERVICE REVIEWER FINANCE PARTNER".into(),
            format!("ReadCatalog: {all} PARTNER"),
            "ReadCustomers: ADMIN CUSTOMER_SERVICE REVIEWER FINANCE".into(),
            "SimulatePayment: ADMIN FINANCE".into(),
            "ManageCoupons: ADMIN".into(),
            "ReadStock: ADMIN CUSTOMER_SERVICE REVIEWER WAREHOUSE".into(),
            "ChangeStock: ADMIN WAREHOUSE".into(),
            "ReadReviewQueue: ADMIN CUSTOMER_SERVICE REVIEWER".into(),
            "ReviewOrders: ADMIN REVIEWER".into(),
            "VerifyOrders: ADMIN CUSTOMER_SERVICE".into(),
            "CancelOrders: ADMIN CUSTOMER_SERVICE".into(),
            "ManageRisk: ADMIN REVIEWER".into(),
            "ManageAllocation: ADMIN WAREHOUSE".into(),
            "ReadStockouts: ADMIN CUSTOMER_SERVICE WAREHOUSE".into(),
            "ManageStockPolicy: ADMIN".into(),
            "ManageFulfilmentSetup: ADMIN WAREHOUSE".into(),
            "ManageWaves: ADMIN WAREHOUSE".into(),
            "PickStock: ADMIN WAREHOUSE".into(),
            "PackShipments: ADMIN WAREHOUSE".into(),
            "HandOverParcels: ADMIN WAREHOUSE".into(),
            "CountStock: ADMIN WAREHOUSE".into(),
            "SimulateCarrierEvents: ADMIN WAREHOUSE".into(),
            "ReadRefunds: ADMIN CUSTOMER_SERVICE FINANCE".into(),
            "RequestRefunds: ADMIN CUSTOMER_SERVICE".into(),
            "DecideRefunds: ADMIN FINANCE".into(),
            "ReadPayments: ADMIN FINANCE".into(),
            "ReconcileCod: ADMIN FINANCE".into(),
            "ManageRefundPolicy: ADMIN".into(),
            "ConfirmReceipt: ADMIN CUSTOMER_SERVICE PARTNER".into(),
            "RateOrders: ADMIN CUSTOMER_SERVICE PARTNER".into(),
            "ReadExceptions: ADMIN CUSTOMER_SERVICE".into(),
            "WorkExceptions: ADMIN CUSTOMER_SERVICE".into(),
            "ReadCases: ADMIN CUSTOMER_SERVICE WAREHOUSE FINANCE PARTNER".into(),
            "OpenCases: ADMIN CUSTOMER_SERVICE PARTNER".into(),
            "DecideCases: ADMIN CUSTOMER_SERVICE".into(),
            "ReceiveReturns: ADMIN WAREHOUSE".into(),
            "ManageAfterSalesPolicy: ADMIN".into(),
            "ManageWebhooks: ADMIN".into(),
            "ReadAnalytics: ADMIN CUSTOMER_SERVICE REVIEWER WAREHOUSE FINANCE".into(),
        ];
        assert_eq!(rendered, expected);
    }

    #[test]
    fn a_user_sees_the_union_of_the_areas_of_their_roles() {
        let areas = Area::visible_to(&[Role::Warehouse, Role::Finance]);
        assert!(areas.contains(&Area::Warehouse) && areas.contains(&Area::Finance));
        assert!(!areas.contains(&Area::Administration));
        assert_eq!(Area::visible_to(&[Role::Admin]).len(), Area::ALL.len());
    }

    /// An area shows only what its roles may read: the products to all staff, customers'
    /// personal data to those who work with orders.
    #[test]
    fn catalog_and_customer_areas_follow_their_operations() {
        for role in Role::ALL {
            assert_eq!(
                Area::visible_to(&[role]).contains(&Area::Catalog),
                Operation::ReadCatalog.allows(Subject::Staff(role)),
                "{role:?}"
            );
            assert_eq!(
                Area::visible_to(&[role]).contains(&Area::Customers),
                Operation::ReadCustomers.allows(Subject::Staff(role)),
                "{role:?}"
            );
        }
        assert!(!Area::visible_to(&[Role::Warehouse]).contains(&Area::Customers));
        let paths: std::collections::HashSet<_> = Area::ALL.iter().map(|a| a.path()).collect();
        assert_eq!(paths.len(), Area::ALL.len(), "every area has its own path");
    }
}
