//! Warehouse execution: waves, the handheld, the put wall, cycle counts, the pack station,
//! labels, hand-over, and the packaging and carrier catalogues.

use super::run;
use crate::api::ApiError;
use crate::api::types::*;
use serde_json::json;

const WAVE_ROW_FIELDS: &str = "id number warehouseId kind status wallSize shipmentCount createdBy createdAt progress { tasks tasksDone units unitsPicked unitsShort }";
/// A wave with everything the handheld and the put wall show; every scan answers with it, so
/// the screen always shows the server's state.
macro_rules! wave_detail {
    () => {
        "id number warehouseId kind status wallSize \
         progress { tasks tasksDone units unitsPicked unitsShort } \
         tasks { id listNo shipmentId seq bin sku name quantity picked short fragile highValue done phase } \
         shipments { id status orderNumber wallSlot cancelled lines { sku quantity pickedQuantity sortedQuantity } }"
    };
}
/// A shipment as the pack station and the hand-over show it.
macro_rules! shipment_fields {
    () => {
        "id status orderNumber wallSlot carrier serviceCode packagingCode packedWeightG \
         shippingCost { amount currency } trackingNumber cancelled instructions"
    };
}
const PACK_SESSION_FIELDS: &str = concat!(
    "shipment { ",
    shipment_fields!(),
    " } orderNumber lines { sku name expected packed fragile liquid } instructions giftMessage \
     suggestion { container extras totalCost { amount currency } packedWeightG reasons } \
     suggestionProblem complete message"
);
const COUNT_FIELDS: &str =
    "id warehouseId bin sku status reason counted adjustment countedBy createdAt countedAt";
const MANIFEST_FIELDS: &str =
    "id number warehouseId carrierCode parcelCount totalWeightG handedOverBy createdAt";
const PAGE_INFO: &str = "pageInfo { hasNextPage endCursor }";

/// Every activity in one warehouse: waves, picks, sorting, packing, hand-over.
pub const WAREHOUSE_ACTIVITY: &str = "subscription WarehouseActivity($warehouseId: ID) { warehouseActivity(warehouseId: $warehouseId) { warehouseId waveId shipmentId kind } }";

/// Allocated shipments of a warehouse not in a wave yet, oldest first (one large page).
pub async fn wave_candidates(
    token: &str,
    warehouse_id: &str,
) -> Result<Connection<WaveCandidate>, ApiError> {
    let q = format!(
        "query WaveCandidates($w: ID!) {{ result: waveCandidates(warehouseId: $w, first: 100) {{ nodes {{ shipment {{ id }} orderNumber plannedCarrier shipBy priority units weightG }} {PAGE_INFO} }} }}"
    );
    run(&q, json!({ "w": warehouse_id }), Some(token)).await
}

/// Waves of a warehouse, newest first.
pub async fn waves(
    token: &str,
    warehouse_id: &str,
    first: u32,
) -> Result<Connection<WaveRow>, ApiError> {
    let q = format!(
        "query Waves($w: ID, $first: Int) {{ result: waves(warehouseId: $w, first: $first) {{ nodes {{ {WAVE_ROW_FIELDS} }} {PAGE_INFO} }} }}"
    );
    run(
        &q,
        json!({ "w": warehouse_id, "first": first }),
        Some(token),
    )
    .await
}

pub async fn wave(token: &str, id: &str) -> Result<Option<WaveDetail>, ApiError> {
    let q = concat!(
        "query Wave($id: ID!) { result: wave(id: $id) { ",
        wave_detail!(),
        " } }"
    );
    run(q, json!({ "id": id }), Some(token)).await
}

pub async fn create_wave(token: &str, input: &CreateWaveInput) -> Result<WaveRow, ApiError> {
    let q = format!(
        "mutation CreateWave($input: CreateWaveInput!) {{ result: createWave(input: $input) {{ {WAVE_ROW_FIELDS} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}

pub async fn cancel_wave(token: &str, id: &str) -> Result<WaveRow, ApiError> {
    let q = format!(
        "mutation CancelWave($id: ID!) {{ result: cancelWave(id: $id) {{ {WAVE_ROW_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id }), Some(token)).await
}

/// A scan on the handheld: the bin label, then one scan per unit.
pub async fn scan_pick(token: &str, task_id: &str, code: &str) -> Result<PickScan, ApiError> {
    let q = concat!(
        "mutation ScanPick($t: ID!, $c: String!) { result: scanPick(taskId: $t, code: $c) { message wave { ",
        wave_detail!(),
        " } } }"
    );
    run(q, json!({ "t": task_id, "c": code }), Some(token)).await
}

/// The second confirmation of a high-value unit.
pub async fn confirm_pick(token: &str, task_id: &str) -> Result<PickScan, ApiError> {
    let q = concat!(
        "mutation ConfirmPick($t: ID!) { result: confirmPick(taskId: $t) { message wave { ",
        wave_detail!(),
        " } } }"
    );
    run(q, json!({ "t": task_id }), Some(token)).await
}

/// Only `found` more units are in the bin.
pub async fn report_short_pick(
    token: &str,
    task_id: &str,
    found: i32,
) -> Result<ShortPickReport, ApiError> {
    let q = concat!(
        "mutation ShortPick($t: ID!, $found: Int!) { result: reportShortPick(taskId: $t, found: $found) { expected found missing notes wave { ",
        wave_detail!(),
        " } } }"
    );
    run(q, json!({ "t": task_id, "found": found }), Some(token)).await
}

/// Sorts one unit of a batch wave into its put-wall slot.
pub async fn sort_scan(token: &str, wave_id: &str, code: &str) -> Result<SortScan, ApiError> {
    let q = concat!(
        "mutation SortScan($w: ID!, $c: String!) { result: sortScan(waveId: $w, code: $c) { slot sku orderNumber slotComplete wallComplete wave { ",
        wave_detail!(),
        " } } }"
    );
    run(q, json!({ "w": wave_id, "c": code }), Some(token)).await
}

pub async fn cycle_counts(
    token: &str,
    warehouse_id: &str,
) -> Result<Connection<CycleCount>, ApiError> {
    let q = format!(
        "query CycleCounts($w: ID) {{ result: cycleCounts(warehouseId: $w, first: 50) {{ nodes {{ {COUNT_FIELDS} }} {PAGE_INFO} }} }}"
    );
    run(&q, json!({ "w": warehouse_id }), Some(token)).await
}

pub async fn complete_cycle_count(
    token: &str,
    id: &str,
    counted: i32,
) -> Result<CycleCount, ApiError> {
    let q = format!(
        "mutation CompleteCycleCount($id: ID!, $counted: Int!) {{ result: completeCycleCount(id: $id, counted: $counted) {{ {COUNT_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "counted": counted }), Some(token)).await
}

pub async fn stock_discrepancies(
    token: &str,
    warehouse_id: &str,
) -> Result<Connection<StockDiscrepancy>, ApiError> {
    let q = format!(
        "query Discrepancies($w: ID) {{ result: stockDiscrepancies(warehouseId: $w, first: 25) {{ nodes {{ id bin sku expected found reportedBy at }} {PAGE_INFO} }} }}"
    );
    run(&q, json!({ "w": warehouse_id }), Some(token)).await
}

/// The pack station for a scanned shipment id, order number or put-wall slot label.
pub async fn pack_station(token: &str, code: &str) -> Result<PackSession, ApiError> {
    let q = format!(
        "query PackStation($c: String!) {{ result: packStation(code: $c) {{ {PACK_SESSION_FIELDS} }} }}"
    );
    run(&q, json!({ "c": code }), Some(token)).await
}

/// Scans one unit into the shipment (`unscan`: takes one unit of the SKU out again).
pub async fn pack_scan(
    token: &str,
    shipment_id: &str,
    code: &str,
    unscan: bool,
) -> Result<PackSession, ApiError> {
    let (field, arg) = if unscan {
        ("packUnscan", "sku")
    } else {
        ("packScan", "code")
    };
    let q = format!(
        "mutation PackScan($s: ID!, $c: String!) {{ result: {field}(shipmentId: $s, {arg}: $c) {{ {PACK_SESSION_FIELDS} }} }}"
    );
    run(&q, json!({ "s": shipment_id, "c": code }), Some(token)).await
}

pub async fn complete_packing(
    token: &str,
    shipment_id: &str,
    packaging_code: Option<String>,
    weight_g: Option<i32>,
) -> Result<WarehouseShipment, ApiError> {
    let q = concat!(
        "mutation CompletePacking($s: ID!, $p: String, $w: Int) { result: completePacking(shipmentId: $s, packagingCode: $p, weightG: $w) { ",
        shipment_fields!(),
        " } }"
    );
    run(
        q,
        json!({ "s": shipment_id, "p": packaging_code, "w": weight_g }),
        Some(token),
    )
    .await
}

/// The packaging catalogue (one page of the largest size holds it).
pub async fn packagings(token: &str) -> Result<Vec<Packaging>, ApiError> {
    let q = format!(
        "query Packagings {{ result: packagings(first: 100) {{ nodes {{ id code name kind innerLengthMm innerWidthMm innerHeightMm maxWeightG tareWeightG cost {{ amount currency }} active }} {PAGE_INFO} }} }}"
    );
    run::<Connection<Packaging>>(&q, json!({}), Some(token))
        .await
        .map(|c| c.nodes)
}

pub async fn save_packaging(token: &str, input: &PackagingInput) -> Result<Packaging, ApiError> {
    let q = "mutation SavePackaging($input: PackagingInput!) { result: savePackaging(input: $input) { id code name kind innerLengthMm innerWidthMm innerHeightMm maxWeightG tareWeightG cost { amount currency } active } }";
    run(q, json!({ "input": input }), Some(token)).await
}

pub async fn carriers(token: &str) -> Result<Vec<Carrier>, ApiError> {
    let q = "query Carriers { result: carriers { code name active services { code name slaDays } coverage { country regions } maxWeightG codSupported codLimit { amount currency } } }";
    run(q, json!({}), Some(token)).await
}

/// Which carrier service would take a packed shipment, and why the others would not.
pub async fn carrier_options(token: &str, shipment_id: &str) -> Result<CarrierOptions, ApiError> {
    let q = "query CarrierOptions($s: ID!) { result: carrierOptions(shipmentId: $s) { weightG cod { amount currency } promisedInDays carrierCode serviceCode problem candidates { carrierCode serviceCode slaDays price { amount currency } chosen reason } } }";
    run(q, json!({ "s": shipment_id }), Some(token)).await
}

/// Books the shipment with the chosen carrier service (or the cheapest fitting one).
pub async fn create_label(
    token: &str,
    shipment_id: &str,
    choice: Option<(String, String)>,
) -> Result<WarehouseShipment, ApiError> {
    let q = concat!(
        "mutation CreateLabel($s: ID!, $c: String, $v: String) { result: createLabel(shipmentId: $s, carrierCode: $c, serviceCode: $v) { ",
        shipment_fields!(),
        " } }"
    );
    let (carrier, service) = choice.unzip();
    run(
        q,
        json!({ "s": shipment_id, "c": carrier, "v": service }),
        Some(token),
    )
    .await
}

/// Labelled parcels waiting for their carrier.
pub async fn staged_parcels(
    token: &str,
    warehouse_id: &str,
    carrier_code: &str,
) -> Result<Connection<WarehouseShipment>, ApiError> {
    let q = concat!(
        "query Staged($w: ID!, $c: String) { result: stagedParcels(warehouseId: $w, carrierCode: $c, first: 100) { nodes { ",
        shipment_fields!(),
        " } pageInfo { hasNextPage endCursor } } }"
    );
    run(
        q,
        json!({ "w": warehouse_id, "c": carrier_code }),
        Some(token),
    )
    .await
}

/// Hands the scanned parcels to their carrier; all or nothing.
pub async fn hand_over(
    token: &str,
    warehouse_id: &str,
    carrier_code: &str,
    tracking_numbers: &[String],
) -> Result<Manifest, ApiError> {
    let q = format!(
        "mutation HandOver($w: ID!, $c: String!, $t: [String!]!) {{ result: handOver(warehouseId: $w, carrierCode: $c, trackingNumbers: $t) {{ {MANIFEST_FIELDS} }} }}"
    );
    run(
        &q,
        json!({ "w": warehouse_id, "c": carrier_code, "t": tracking_numbers }),
        Some(token),
    )
    .await
}

pub async fn manifests(token: &str, warehouse_id: &str) -> Result<Connection<Manifest>, ApiError> {
    let q = format!(
        "query Manifests($w: ID) {{ result: manifests(warehouseId: $w, first: 10) {{ nodes {{ {MANIFEST_FIELDS} }} {PAGE_INFO} }} }}"
    );
    run(&q, json!({ "w": warehouse_id }), Some(token)).await
}
