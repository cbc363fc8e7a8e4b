//! One module per screen of the console.

mod admin;
mod aftersales;
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

pub use admin::AdminPage;
pub use aftersales::AfterSalesPage;
pub use area::AreaPage;
pub use catalog::CatalogPage;
pub use customers::CustomersPage;
pub use dashboard::DashboardPage;
pub use finance::FinancePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use orders::{OrderDetailPage, OrdersPage};
pub use review::{ReviewPage, RiskSettingsPage};
pub use warehouse::{
    AllocationPage, CountsPage, HandoverPage, PackPage, PickPage, ReturnsPage, SetupPage, SortPage,
    StockPage, WavesPage,
};
