//! Warehouse execution: waves and their pick tasks, the handheld's and the put wall's scans,
//! cycle counts, the pack station, carriers and labels, hand-over manifests, and the live
//! activity of a warehouse.

use super::Money;
use orderly_shared::{CycleCountStatus, PackagingKind, ShipmentStatus, WaveKind, WaveStatus};
use serde::{Deserialize, Serialize};

/// A shipment as the warehouse screens show it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseShipment {
    pub id: String,
    pub status: ShipmentStatus,
    pub order_number: String,
    #[serde(default)]
    pub wall_slot: Option<i32>,
    #[serde(default)]
    pub carrier: Option<String>,
    #[serde(default)]
    pub service_code: Option<String>,
    #[serde(default)]
    pub packaging_code: Option<String>,
    #[serde(default)]
    pub packed_weight_g: Option<i32>,
    #[serde(default)]
    pub shipping_cost: Option<Money>,
    #[serde(default)]
    pub tracking_number: Option<String>,
    #[serde(default)]
    pub cancelled: bool,
    /// A JSON list of `{kind, …}`: what the warehouse and the carrier must do.
    #[serde(default)]
    pub instructions: serde_json::Value,
    #[serde(default)]
    pub lines: Vec<WarehouseShipmentLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseShipmentLine {
    pub sku: String,
    pub quantity: i32,
    pub picked_quantity: i32,
    pub sorted_quantity: i32,
}

/// A shipment waiting for a wave.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveCandidate {
    pub shipment: CandidateShipment,
    pub order_number: String,
    pub planned_carrier: Option<String>,
    pub ship_by: Option<String>,
    pub priority: i32,
    pub units: i32,
    pub weight_g: i32,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CandidateShipment {
    pub id: String,
}

/// How far a wave's picking got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveProgress {
    pub tasks: i32,
    pub tasks_done: i32,
    pub units: i32,
    pub units_picked: i32,
    pub units_short: i32,
}

/// A wave as the board lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveRow {
    pub id: String,
    pub number: String,
    pub warehouse_id: String,
    pub kind: WaveKind,
    pub status: WaveStatus,
    pub wall_size: Option<i32>,
    pub shipment_count: i32,
    pub created_by: String,
    pub created_at: String,
    pub progress: WaveProgress,
}

/// A wave with its tasks and shipments, for the handheld and the put wall.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveDetail {
    pub id: String,
    pub number: String,
    pub warehouse_id: String,
    pub kind: WaveKind,
    pub status: WaveStatus,
    pub wall_size: Option<i32>,
    pub progress: WaveProgress,
    pub tasks: Vec<PickTask>,
    pub shipments: Vec<WarehouseShipment>,
}

/// Where the picker is on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PickPhase {
    AwaitingBin,
    Picking,
    AwaitingConfirmation,
    Complete,
}

/// One stop on a pick list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickTask {
    pub id: String,
    pub list_no: i32,
    /// The shipment of a discrete list.
    pub shipment_id: Option<String>,
    pub seq: i32,
    pub bin: String,
    pub sku: String,
    pub name: String,
    pub quantity: i32,
    pub picked: i32,
    pub short: i32,
    pub fragile: bool,
    pub high_value: bool,
    pub done: bool,
    pub phase: PickPhase,
}

/// An accepted scan on the handheld.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PickScan {
    pub message: String,
    pub wave: WaveDetail,
}

/// What a short pick did.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShortPickReport {
    pub expected: i32,
    pub found: i32,
    pub missing: i32,
    pub notes: Vec<String>,
    pub wave: WaveDetail,
}

/// Where a sorted unit goes.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SortScan {
    pub slot: i32,
    pub sku: String,
    pub order_number: String,
    pub slot_complete: bool,
    pub wall_complete: bool,
    pub wave: WaveDetail,
}

/// A count of one SKU in one bin, opened by a short pick.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CycleCount {
    pub id: String,
    pub warehouse_id: String,
    pub bin: String,
    pub sku: String,
    pub status: CycleCountStatus,
    pub reason: String,
    pub counted: Option<i32>,
    pub adjustment: Option<i32>,
    pub counted_by: Option<String>,
    pub created_at: String,
    pub counted_at: Option<String>,
}

/// A bin that held fewer units than the system said.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StockDiscrepancy {
    pub id: String,
    pub bin: String,
    pub sku: String,
    pub expected: i32,
    pub found: i32,
    pub reported_by: String,
    pub at: String,
}

/// One SKU at the pack station.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PackLine {
    pub sku: String,
    pub name: String,
    pub expected: i32,
    pub packed: i32,
    pub fragile: bool,
    pub liquid: bool,
}

/// Packaging the packer should use.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackagingSuggestion {
    pub container: String,
    pub extras: Vec<String>,
    pub total_cost: Money,
    pub packed_weight_g: i32,
    pub reasons: Vec<String>,
}

/// What the packer sees for one shipment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PackSession {
    pub shipment: WarehouseShipment,
    pub order_number: String,
    pub lines: Vec<PackLine>,
    pub instructions: Vec<String>,
    pub gift_message: Option<String>,
    pub suggestion: Option<PackagingSuggestion>,
    pub suggestion_problem: Option<String>,
    pub complete: bool,
    pub message: Option<String>,
}

/// A packaging catalogue entry.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Packaging {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: PackagingKind,
    pub inner_length_mm: i32,
    pub inner_width_mm: i32,
    pub inner_height_mm: i32,
    pub max_weight_g: i32,
    pub tare_weight_g: i32,
    pub cost: Money,
    pub active: bool,
}

/// The input of `savePackaging`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackagingInput {
    pub code: String,
    pub name: String,
    pub kind: PackagingKind,
    pub inner_length_mm: i32,
    pub inner_width_mm: i32,
    pub inner_height_mm: i32,
    pub max_weight_g: i32,
    pub tare_weight_g: i32,
    pub cost: String,
    pub currency: String,
    pub active: bool,
}

/// One carrier service as carrier selection weighed it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarrierCandidate {
    pub carrier_code: String,
    pub service_code: String,
    pub sla_days: i32,
    pub price: Option<Money>,
    pub chosen: bool,
    pub reason: String,
}

/// Carrier selection for a packed shipment.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarrierOptions {
    pub weight_g: i32,
    pub cod: Option<Money>,
    pub promised_in_days: Option<i32>,
    pub carrier_code: Option<String>,
    pub service_code: Option<String>,
    pub problem: Option<String>,
    pub candidates: Vec<CarrierCandidate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CarrierServiceLevel {
    pub code: String,
    pub name: String,
    pub sla_days: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CarrierCoverage {
    pub country: String,
    pub regions: Vec<String>,
}

/// A carrier as the setup tab lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Carrier {
    pub code: String,
    pub name: String,
    pub active: bool,
    pub services: Vec<CarrierServiceLevel>,
    pub coverage: Vec<CarrierCoverage>,
    pub max_weight_g: i32,
    pub cod_supported: bool,
    pub cod_limit: Option<Money>,
}

/// Parcels one carrier took from one warehouse at once.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub id: String,
    pub number: String,
    pub warehouse_id: String,
    pub carrier_code: String,
    pub parcel_count: i32,
    pub total_weight_g: i32,
    pub handed_over_by: String,
    pub created_at: String,
}

/// Something happened in a warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WarehouseActivity {
    pub warehouse_id: String,
    pub wave_id: Option<String>,
    pub shipment_id: Option<String>,
    pub kind: String,
}

/// The input of `createWave`; absent filters do not filter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateWaveInput {
    pub warehouse_id: String,
    pub kind: WaveKind,
    pub carrier: Option<String>,
    pub cut_off: Option<String>,
    pub min_priority: Option<i32>,
    pub max_shipments: Option<i32>,
    pub wall_size: Option<i32>,
}
