//! What each area of the console is for, as the dashboard's cards say it.

use orderly_shared::Area;

/// One sentence on what an area is for, as the dashboard and the area's page say it.
pub fn purpose(area: Area) -> &'static str {
    match area {
        Area::Dashboard => "An overview of your part of the order flow.",
        Area::Orders => "Find any order from any channel and follow it from intake to delivery.",
        Area::Customers => "Everyone who has ordered, with their contact details and orders.",
        Area::Catalog => "The products on sale: prices, barcodes, weights and handling.",
        Area::Review => "Orders that the automatic checks put on hold, waiting for a decision.",
        Area::AfterSales => "Returns, exchanges, refunds and reships, and delivery exceptions.",
        Area::Warehouse => "Stock, allocation, waves, picking, packing and dispatch.",
        Area::Finance => "Payments, refund approval and cash-on-delivery reconciliation.",
        Area::Analytics => "Volumes, lead times, bottlenecks and rates, with CSV export.",
        Area::Administration => "Staff accounts and roles, partner API keys and the audit log.",
    }
}
