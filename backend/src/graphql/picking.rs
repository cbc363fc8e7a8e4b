//! Waves, pick lists, the handheld's scans, short picks, cycle counts and the put-wall sort.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::orders::Shipment;
use super::{Loaders, actor, parse_id, state};
use crate::db::entity::{cycle_count, pick_task, stock_discrepancy, wave};
use crate::domain::picking::{ScanOutcome, TaskPhase, WaveFilter};
use crate::error::AppError;
use crate::service::page::{Page, PageRequest};
use crate::service::picking::{counts, scan, short, sort, waves};
use crate::service::stock::scope;
use async_graphql::{
    Context, Enum, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject, Subscription,
};
use chrono::{DateTime, Utc};
use futures_util::{Stream, StreamExt};
use orderly_shared::{CycleCountStatus, Operation, WaveKind, WaveStatus};
use tokio_stream::wrappers::BroadcastStream;

fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    AppError::Internal(e.to_string().into()).extend()
}

/// A group of shipments of one warehouse picked together.
pub struct Wave(pub wave::Model);

/// How far a wave's picking got.
#[derive(SimpleObject)]
pub struct WaveProgress {
    tasks: i32,
    tasks_done: i32,
    units: i32,
    units_picked: i32,
    units_short: i32,
}

#[Object]
impl Wave {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// E.g. `WV261201-7KQ2XMA`; printed as a barcode on the pick list.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn warehouse_id(&self) -> ID {
        ID(self.0.warehouse_id.to_string())
    }
    async fn kind(&self) -> WaveKind {
        self.0.kind
    }
    async fn status(&self) -> WaveStatus {
        self.0.status
    }
    /// Put-wall slots (batch waves).
    async fn wall_size(&self) -> Option<i32> {
        self.0.wall_size
    }
    async fn shipment_count(&self) -> i32 {
        self.0.shipment_count
    }
    async fn created_by(&self) -> &str {
        &self.0.created_by
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The filter the wave was built with (JSON).
    async fn filter(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(serde_json::from_str(&self.0.filter).unwrap_or_default())
    }
    /// Every task in walking order, list by list (a discrete wave has one list per shipment).
    async fn tasks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PickTask>> {
        Ok(tasks_of(ctx, &self.0)
            .await?
            .into_iter()
            .map(PickTask)
            .collect())
    }
    async fn progress(&self, ctx: &Context<'_>) -> async_graphql::Result<WaveProgress> {
        let tasks = tasks_of(ctx, &self.0).await?;
        Ok(WaveProgress {
            tasks: tasks.len() as i32,
            tasks_done: tasks.iter().filter(|t| t.done).count() as i32,
            units: tasks.iter().map(|t| t.quantity).sum(),
            units_picked: tasks.iter().map(|t| t.picked).sum(),
            units_short: tasks.iter().map(|t| t.short_quantity).sum(),
        })
    }
    /// Its shipments, by put-wall slot.
    async fn shipments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Shipment>> {
        let rows = ctx
            .data::<Loaders>()?
            .wave_shipments
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(rows.into_iter().map(Shipment).collect())
    }
}

async fn tasks_of(
    ctx: &Context<'_>,
    w: &wave::Model,
) -> async_graphql::Result<Vec<pick_task::Model>> {
    Ok(ctx
        .data::<Loaders>()?
        .wave_tasks
        .load_one(w.id)
        .await
        .map_err(internal)?
        .unwrap_or_default())
}

/// Where the picker is on a task.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PickPhase {
    /// Scan the bin label first.
    AwaitingBin,
    /// Scan the units.
    Picking,
    /// A high-value unit waits for its second confirmation.
    AwaitingConfirmation,
    /// Done (or reported short).
    Complete,
}

impl From<TaskPhase> for PickPhase {
    fn from(p: TaskPhase) -> PickPhase {
        match p {
            TaskPhase::AwaitingBin => PickPhase::AwaitingBin,
            TaskPhase::Picking => PickPhase::Picking,
            TaskPhase::AwaitingConfirmation => PickPhase::AwaitingConfirmation,
            TaskPhase::Complete => PickPhase::Complete,
        }
    }
}

/// One stop on a pick list.
pub struct PickTask(pick_task::Model);

/// The share of a (batch) task that goes to one shipment.
#[derive(SimpleObject)]
pub struct PickPortion {
    shipment_id: ID,
    quantity: i32,
    picked: i32,
}

#[Object]
impl PickTask {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The pick list it is on (1 for a batch wave; one per shipment for a discrete wave).
    async fn list_no(&self) -> i32 {
        self.0.list_no
    }
    /// The shipment of a discrete list.
    async fn shipment_id(&self) -> Option<ID> {
        self.0.shipment_id.map(|id| ID(id.to_string()))
    }
    /// Position along the walking path.
    async fn seq(&self) -> i32 {
        self.0.seq
    }
    /// `ZONE-AISLE-RACK-LEVEL`.
    async fn bin(&self) -> &str {
        &self.0.bin_code
    }
    async fn sku(&self) -> &str {
        &self.0.sku
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn quantity(&self) -> i32 {
        self.0.quantity
    }
    async fn picked(&self) -> i32 {
        self.0.picked
    }
    /// Units reported missing.
    async fn short(&self) -> i32 {
        self.0.short_quantity
    }
    async fn fragile(&self) -> bool {
        self.0.fragile
    }
    /// Each unit needs a second confirmation.
    async fn high_value(&self) -> bool {
        self.0.high_value
    }
    async fn done(&self) -> bool {
        self.0.done
    }
    async fn phase(&self) -> async_graphql::Result<PickPhase> {
        let scan = crate::service::picking::task_scan(&self.0).extend()?;
        Ok(scan.phase().into())
    }
    async fn portions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PickPortion>> {
        let parts = ctx
            .data::<Loaders>()?
            .task_parts
            .load_one(self.0.id)
            .await
            .map_err(internal)?
            .unwrap_or_default();
        Ok(parts
            .into_iter()
            .map(|p| PickPortion {
                shipment_id: ID(p.shipment_id.to_string()),
                quantity: p.quantity,
                picked: p.picked,
            })
            .collect())
    }
}

/// What an accepted pick scan did.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum PickScanOutcome {
    BinConfirmed,
    UnitCounted,
    ConfirmNeeded,
    TaskComplete,
}

#[derive(SimpleObject)]
pub struct PickScan {
    outcome: PickScanOutcome,
    /// For the handheld's screen, e.g. "2 of 3 picked".
    message: String,
    task: PickTask,
    wave: Wave,
}

impl From<scan::PickScanResult> for PickScan {
    fn from(r: scan::PickScanResult) -> PickScan {
        let (outcome, message) = match &r.outcome {
            ScanOutcome::BinConfirmed { bin } => (
                PickScanOutcome::BinConfirmed,
                format!("at bin {bin}: scan the items"),
            ),
            ScanOutcome::UnitCounted { picked, of } => (
                PickScanOutcome::UnitCounted,
                format!("{picked} of {of} picked"),
            ),
            ScanOutcome::ConfirmNeeded { sku, unit, of } => (
                PickScanOutcome::ConfirmNeeded,
                format!("high value: scan {sku} again (or confirm) to count unit {unit} of {of}"),
            ),
            ScanOutcome::TaskComplete { picked, of } => (
                PickScanOutcome::TaskComplete,
                format!("{picked} of {of} picked: task done"),
            ),
        };
        PickScan {
            outcome,
            message,
            task: PickTask(r.task),
            wave: Wave(r.wave),
        }
    }
}

/// What a short pick did.
#[derive(SimpleObject)]
pub struct ShortPickReport {
    expected: i32,
    found: i32,
    missing: i32,
    /// What happened to each order's missing units.
    notes: Vec<String>,
    cycle_count: CycleCount,
    task: PickTask,
    wave: Wave,
}

/// Where a sorted unit goes.
#[derive(SimpleObject)]
pub struct SortScan {
    /// Put the unit into this slot.
    slot: i32,
    sku: String,
    shipment_id: ID,
    order_number: String,
    /// The slot holds its whole shipment now: ready to pack.
    slot_complete: bool,
    /// Every slot is complete: the wave is READY.
    wall_complete: bool,
    wave: Wave,
}

/// A count of one SKU in one bin, opened by a short pick.
#[derive(SimpleObject)]
pub struct CycleCount {
    id: ID,
    warehouse_id: ID,
    bin: String,
    sku: String,
    status: CycleCountStatus,
    reason: String,
    counted: Option<i32>,
    /// Counted less the system's on hand, as posted to the ledger.
    adjustment: Option<i32>,
    counted_by: Option<String>,
    created_at: DateTime<Utc>,
    counted_at: Option<DateTime<Utc>>,
}

impl From<cycle_count::Model> for CycleCount {
    fn from(c: cycle_count::Model) -> CycleCount {
        CycleCount {
            id: ID(c.id.to_string()),
            warehouse_id: ID(c.warehouse_id.to_string()),
            bin: c.bin_code,
            sku: c.sku,
            status: c.status,
            reason: c.reason,
            counted: c.counted,
            adjustment: c.adjustment,
            counted_by: c.counted_by,
            created_at: c.created_at,
            counted_at: c.counted_at,
        }
    }
}

/// A bin that held fewer units than the system said.
#[derive(SimpleObject)]
pub struct StockDiscrepancy {
    id: ID,
    bin: String,
    sku: String,
    expected: i32,
    found: i32,
    cycle_count_id: ID,
    reported_by: String,
    at: DateTime<Utc>,
}

impl From<stock_discrepancy::Model> for StockDiscrepancy {
    fn from(d: stock_discrepancy::Model) -> StockDiscrepancy {
        StockDiscrepancy {
            id: ID(d.id.to_string()),
            bin: d.bin_code,
            sku: d.sku,
            expected: d.expected,
            found: d.found,
            cycle_count_id: ID(d.cycle_count_id.to_string()),
            reported_by: d.reported_by,
            at: d.at,
        }
    }
}

/// A shipment waiting for a wave.
#[derive(SimpleObject)]
pub struct WaveCandidate {
    shipment: Shipment,
    order_number: String,
    /// The carrier selection would choose now.
    planned_carrier: Option<String>,
    /// Dispatch by then to meet the customer's delivery window.
    ship_by: Option<DateTime<Utc>>,
    priority: i32,
    units: i32,
    weight_g: i32,
}

#[derive(InputObject)]
pub struct CreateWaveInput {
    warehouse_id: ID,
    kind: WaveKind,
    /// Only shipments planned for this carrier.
    carrier: Option<String>,
    /// Only shipments that must leave by then.
    cut_off: Option<DateTime<Utc>>,
    /// Only shipments of at least this priority (orders tagged `priority`/`express`: 1, plus 1
    /// for a delivery window).
    min_priority: Option<i32>,
    /// Only shipments with (true) or without (false) special instructions.
    has_instructions: Option<bool>,
    /// At most this many shipments (default and maximum 200).
    max_shipments: Option<i32>,
    /// Put-wall slots for a batch wave (default 24).
    wall_size: Option<i32>,
}

fn non_negative(path: &str, n: Option<i32>) -> async_graphql::Result<Option<u32>> {
    n.map(|n| {
        u32::try_from(n).map_err(|_| {
            AppError::invalid(path, "MUST_NOT_BE_NEGATIVE", format!("got {n}")).extend()
        })
    })
    .transpose()
}

#[derive(Default)]
pub struct PickingQuery;

#[Object]
impl PickingQuery {
    /// Allocated shipments of a warehouse not in a wave yet, oldest first.
    #[graphql(guard = "Require(Operation::ManageWaves)")]
    async fn wave_candidates(
        &self,
        ctx: &Context<'_>,
        warehouse_id: ID,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<WaveCandidate>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let id = parse_id("warehouseId", &warehouse_id)?;
        let db = &state(ctx).db;
        scope::check(db, actor(ctx)?, id).await.extend()?;
        let all = waves::candidates(db, id).await.extend()?;
        let rows: Vec<waves::Candidate> = all
            .into_iter()
            .filter(|c| page.after.is_none_or(|a| c.shipment.id > a))
            .take(page.first as usize + 1)
            .collect();
        Ok(connection(
            Page::from_overfetch(rows, page.first),
            page.after.is_some(),
            |c| c.shipment.id,
            |c| WaveCandidate {
                order_number: c.order_number,
                planned_carrier: c.planned_carrier,
                ship_by: c.ship_by,
                priority: c.priority,
                units: c.units as i32,
                weight_g: c.weight_g as i32,
                shipment: Shipment(c.shipment),
            },
        ))
    }

    /// Waves, newest first.
    #[graphql(guard = "Require(Operation::ManageWaves)")]
    async fn waves(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Option<ID>,
        status: Option<Vec<WaveStatus>>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Wave>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let warehouse = warehouse_id
            .map(|id| parse_id("warehouseId", &id))
            .transpose()?;
        let db = &state(ctx).db;
        let warehouses = scope::restrict(db, actor(ctx)?, warehouse).await.extend()?;
        let rows = waves::list(db, warehouses.as_deref(), &status.unwrap_or_default(), page)
            .await
            .extend()?;
        Ok(connection(rows, page.after.is_some(), |w| w.id, Wave))
    }

    #[graphql(guard = "Require(Operation::ManageWaves)")]
    async fn wave(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Wave>> {
        let id = parse_id("id", &id)?;
        let db = &state(ctx).db;
        match crate::service::picking::wave(db, id).await {
            Ok(w) => {
                scope::check(db, actor(ctx)?, w.warehouse_id)
                    .await
                    .extend()?;
                Ok(Some(Wave(w)))
            }
            Err(AppError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.extend()),
        }
    }

    /// Cycle counts, newest first.
    #[graphql(guard = "Require(Operation::CountStock)")]
    async fn cycle_counts(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Option<ID>,
        status: Option<CycleCountStatus>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<CycleCount>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let warehouse = warehouse_id
            .map(|id| parse_id("warehouseId", &id))
            .transpose()?;
        let db = &state(ctx).db;
        let warehouses = scope::restrict(db, actor(ctx)?, warehouse).await.extend()?;
        let rows = counts::list(db, warehouses.as_deref(), status, page)
            .await
            .extend()?;
        Ok(connection(
            rows,
            page.after.is_some(),
            |c| c.id,
            CycleCount::from,
        ))
    }

    /// Short picks as recorded, newest first.
    #[graphql(guard = "Require(Operation::CountStock)")]
    async fn stock_discrepancies(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<StockDiscrepancy>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let warehouse = warehouse_id
            .map(|id| parse_id("warehouseId", &id))
            .transpose()?;
        let db = &state(ctx).db;
        let warehouses = scope::restrict(db, actor(ctx)?, warehouse).await.extend()?;
        let rows = counts::discrepancies(db, warehouses.as_deref(), page)
            .await
            .extend()?;
        Ok(connection(
            rows,
            page.after.is_some(),
            |d| d.id,
            StockDiscrepancy::from,
        ))
    }
}

#[derive(Default)]
pub struct PickingMutation;

#[Object]
impl PickingMutation {
    /// Creates a wave from the warehouse's waiting shipments that the filter selects.
    #[graphql(guard = "Require(Operation::ManageWaves)")]
    async fn create_wave(
        &self,
        ctx: &Context<'_>,
        input: CreateWaveInput,
    ) -> async_graphql::Result<Wave> {
        let s = state(ctx);
        let request = waves::WaveRequest {
            warehouse_id: parse_id("input.warehouseId", &input.warehouse_id)?,
            kind: input.kind,
            filter: WaveFilter {
                carrier: input.carrier,
                cut_off: input.cut_off,
                min_priority: input.min_priority,
                has_instructions: input.has_instructions,
                max_shipments: non_negative("input.maxShipments", input.max_shipments)?,
            },
            wall_size: non_negative("input.wallSize", input.wall_size)?,
        };
        let w = waves::create(&s.db, &s.realtime, &s.warehouse_live, actor(ctx)?, request)
            .await
            .extend()?;
        Ok(Wave(w))
    }

    /// Cancels a wave nothing was picked from; its shipments wait for another.
    #[graphql(guard = "Require(Operation::ManageWaves)")]
    async fn cancel_wave(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Wave> {
        let s = state(ctx);
        let w = waves::cancel(&s.db, &s.warehouse_live, actor(ctx)?, parse_id("id", &id)?)
            .await
            .extend()?;
        Ok(Wave(w))
    }

    /// A scan on the handheld: the bin label first, then one scan per unit. A wrong bin, a
    /// wrong item, a misread or one too many is refused (VALIDATION, with the reason's code on
    /// `code`) and changes nothing.
    #[graphql(guard = "Require(Operation::PickStock)")]
    async fn scan_pick(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        code: String,
    ) -> async_graphql::Result<PickScan> {
        let s = state(ctx);
        let r = scan::scan(
            &s.db,
            &s.warehouse_live,
            actor(ctx)?,
            parse_id("taskId", &task_id)?,
            code,
        )
        .await
        .extend()?;
        Ok(r.into())
    }

    /// The second confirmation of a high-value unit.
    #[graphql(guard = "Require(Operation::PickStock)")]
    async fn confirm_pick(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
    ) -> async_graphql::Result<PickScan> {
        let s = state(ctx);
        let r = scan::confirm(
            &s.db,
            &s.warehouse_live,
            actor(ctx)?,
            parse_id("taskId", &task_id)?,
        )
        .await
        .extend()?;
        Ok(r.into())
    }

    /// Reports that only `found` more units are in the bin: the rest is re-allocated (or waits),
    /// the bin is blocked for the SKU, and a cycle count is opened.
    #[graphql(guard = "Require(Operation::PickStock)")]
    async fn report_short_pick(
        &self,
        ctx: &Context<'_>,
        task_id: ID,
        found: i32,
    ) -> async_graphql::Result<ShortPickReport> {
        let s = state(ctx);
        let found = non_negative("found", Some(found))?.unwrap_or(0);
        let r = short::report(
            &s.db,
            &s.realtime,
            &s.warehouse_live,
            actor(ctx)?,
            parse_id("taskId", &task_id)?,
            found,
        )
        .await
        .extend()?;
        Ok(ShortPickReport {
            expected: r.short.expected as i32,
            found: r.short.found as i32,
            missing: r.short.missing as i32,
            notes: r.notes,
            cycle_count: r.cycle_count.into(),
            task: PickTask(r.task),
            wave: Wave(r.wave),
        })
    }

    /// Sorts one unit of a batch wave into its put-wall slot.
    #[graphql(guard = "Require(Operation::PickStock)")]
    async fn sort_scan(
        &self,
        ctx: &Context<'_>,
        wave_id: ID,
        code: String,
    ) -> async_graphql::Result<SortScan> {
        let s = state(ctx);
        let r = sort::scan(
            &s.db,
            &s.warehouse_live,
            actor(ctx)?,
            parse_id("waveId", &wave_id)?,
            code,
        )
        .await
        .extend()?;
        Ok(SortScan {
            slot: r.outcome.slot as i32,
            sku: r.outcome.sku,
            shipment_id: ID(r.outcome.shipment_id.to_string()),
            order_number: r.order_number,
            slot_complete: r.outcome.slot_complete,
            wall_complete: r.outcome.wall_complete,
            wave: Wave(r.wave),
        })
    }

    /// Records a cycle count: the difference is posted to the ledger, and the bin unblocked.
    #[graphql(guard = "Require(Operation::CountStock)")]
    async fn complete_cycle_count(
        &self,
        ctx: &Context<'_>,
        id: ID,
        counted: i32,
    ) -> async_graphql::Result<CycleCount> {
        let s = state(ctx);
        let c = counts::complete(
            &s.db,
            &s.realtime,
            &s.warehouse_live,
            actor(ctx)?,
            parse_id("id", &id)?,
            counted,
        )
        .await
        .extend()?;
        Ok(c.into())
    }
}

/// Something happened in a warehouse; screens refetch what they show.
#[derive(SimpleObject)]
pub struct WarehouseActivity {
    warehouse_id: ID,
    wave_id: Option<ID>,
    shipment_id: Option<ID>,
    /// `WAVE_CREATED`, `WAVE_CANCELLED`, `PICK_SCANNED`, `PICKED`, `SHORT_PICK`, `SORTED`,
    /// `CYCLE_COUNTED`, `PACKED`, `LABELLED`, `HANDED_OVER`.
    kind: String,
    at: DateTime<Utc>,
}

#[derive(Default)]
pub struct PickingSubscription;

#[Subscription]
impl PickingSubscription {
    /// Live progress of one warehouse (or all): waves, picks, sorting, packing, hand-over.
    #[graphql(guard = "Require(Operation::ManageWaves)")]
    async fn warehouse_activity(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Option<ID>,
    ) -> async_graphql::Result<impl Stream<Item = WarehouseActivity> + use<>> {
        let only = warehouse_id
            .map(|id| parse_id("warehouseId", &id))
            .transpose()?;
        let receiver = state(ctx).warehouse_live.subscribe();
        Ok(
            BroadcastStream::new(receiver).filter_map(move |event| async move {
                let event = event.ok()?;
                only.is_none_or(|id| id == event.warehouse_id)
                    .then(|| WarehouseActivity {
                        warehouse_id: ID(event.warehouse_id.to_string()),
                        wave_id: event.wave_id.map(|id| ID(id.to_string())),
                        shipment_id: event.shipment_id.map(|id| ID(id.to_string())),
                        kind: event.kind,
                        at: event.at,
                    })
            }),
        )
    }
}
