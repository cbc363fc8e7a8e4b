//! One module per screen of the console.

mod admin;
mod aftersales;
mod analytics;
mod area;
mod catalog;
mod customers;
mod dashboard;
mod finance;
mod login;
mod not_found;
mod orders;
mod review;
mod warehouse;

pub use admin::{AdminPage, WebhooksPage};
pub use aftersales::{AfterSalesPage, ExceptionsPage};
pub use analytics::AnalyticsPage;
pub use catalog::CatalogPage;
pub use customers::CustomersPage;
pub use dashboard::DashboardPage;
pub use finance::{CodPage, FinancePage, PaymentsPage};
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use orders::{OrderDetailPage, OrdersPage};
pub use review::{ReviewPage, RiskSettingsPage};
pub use warehouse::{
    AllocationPage, CountsPage, HandoverPage, PackPage, PickPage, ReturnsPage, SetupPage, SortPage,
    StockPage, WavesPage,
};
