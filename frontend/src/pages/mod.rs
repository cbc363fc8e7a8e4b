//! One module per screen of the console.

mod admin;
mod area;
mod catalog;
mod customers;
mod dashboard;
mod login;
mod not_found;
mod orders;
mod review;
mod warehouse;

pub use admin::AdminPage;
pub use area::AreaPage;
pub use catalog::CatalogPage;
pub use customers::CustomersPage;
pub use dashboard::DashboardPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use orders::{OrderDetailPage, OrdersPage};
pub use review::{ReviewPage, RiskSettingsPage};
pub use warehouse::{
    AllocationPage, CountsPage, HandoverPage, PackPage, PickPage, SetupPage, SortPage, StockPage,
    WavesPage,
};
