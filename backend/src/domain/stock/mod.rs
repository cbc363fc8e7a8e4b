//! Stock: warehouses and their bins, what a valid receipt or adjustment is, and what happens to
//! an order when stock is short. The ledger arithmetic lives here so the service only persists.

mod bins;
mod movement;
mod warehouse;

pub use bins::BinCode;
pub use movement::{Movement, MovementError, StockLevel};
pub use warehouse::{Warehouse, WarehouseDraft, validate_warehouse, validate_warehouse_code};
