//! Stock: warehouses, levels per bin, the ledger, and demand stock could not meet.

use orderly_shared::StockMovementKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
pub struct Warehouse {
    pub id: String,
    pub code: String,
    pub name: String,
    pub country: String,
    pub region: Option<String>,
    pub city: String,
    pub active: bool,
}

/// One SKU in one bin.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockLevel {
    pub id: String,
    pub warehouse: String,
    pub bin: String,
    pub sku: String,
    pub on_hand: i64,
    pub reserved: i64,
    pub available: i64,
    pub blocked: bool,
}

/// One row of the append-only stock ledger.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockMovement {
    pub id: String,
    pub at: String,
    pub kind: StockMovementKind,
    pub sku: String,
    pub on_hand_delta: i64,
    pub reserved_delta: i64,
    pub reason: String,
    pub reference: String,
    pub actor: String,
}

/// The input of `receiveStock` and `adjustStock`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StockChangeInput {
    pub warehouse: String,
    pub bin: String,
    pub sku: String,
    /// Receipts: positive. Adjustments: the signed correction.
    pub quantity: i32,
    pub reason: String,
    pub reference: Option<String>,
}

/// Demand for a SKU that stock could not meet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnmetDemand {
    pub sku: String,
    pub short_units: i64,
    pub waiting_units: i64,
    pub waiting_orders: i64,
}
