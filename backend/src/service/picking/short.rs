//! Short picks: the picker found fewer units in the bin than the system says. The missing units
//! leave their shipments and are re-allocated from other stock where the rules allow (else they
//! wait, and the customer is told); the bin is blocked for that SKU, the discrepancy recorded,
//! and a cycle count opened whose result corrects the ledger.

use super::scan::{advance, finish_task, open_task, store};
use super::{move_wave, refused, stage_event, task_scan};
use crate::db::entity::{cycle_count, order, pick_task, stock, stock_discrepancy, wave};
use crate::domain::auth::Actor;
use crate::domain::picking::{ShortPick, WaveCommand};
use crate::error::{AppError, AppResult};
use crate::realtime::{Realtime, WarehouseLive};
use crate::service::allocation::{self, Locking, Mode};
use crate::service::audit::{self, AuditAction};
use crate::service::orders::timeline::{self, EventKind, actor_of};
use chrono::Utc;
use orderly_shared::{CycleCountStatus, WaveStatus};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What a short pick did.
#[derive(Debug, Clone)]
pub struct ShortPickResult {
    pub short: ShortPick,
    pub task: pick_task::Model,
    pub wave: wave::Model,
    pub cycle_count: cycle_count::Model,
    /// Sentences for the picker: what happened to each order's missing units.
    pub notes: Vec<String>,
}

/// Reports that only `found_now` more units are in the bin.
pub async fn report(
    db: &DatabaseConnection,
    realtime: &Realtime,
    live: &WarehouseLive,
    actor: &Actor,
    task_id: Uuid,
    found_now: u32,
) -> AppResult<ShortPickResult> {
    let actor = actor.clone();
    let (result, order_events, events) = db
        .transaction::<_, _, AppError>(|txn| {
            let (realtime, live) = (realtime.clone(), live.clone());
            Box::pin(async move {
                let (task, w) = open_task(txn, task_id).await?;
                crate::service::stock::scope::check(txn, &actor, w.warehouse_id).await?;
                let mut state = task_scan(&task)?;
                let short = state
                    .report_short(found_now)
                    .map_err(|e| refused("found", e.code(), e.to_string()))?;
                let task = store(txn, &task, &state).await?;
                let w = if w.status == WaveStatus::Released {
                    move_wave(txn, &w, &WaveCommand::StartPicking).await?
                } else {
                    w
                };
                let missing = finish_task(txn, &task, &actor).await?;
                let (actor_kind, actor_label) = actor_of(&actor);
                let now = Utc::now();

                stock::Entity::update_many()
                    .col_expr(stock::Column::Blocked, Expr::value(true))
                    .col_expr(stock::Column::UpdatedAt, Expr::value(now))
                    .filter(stock::Column::Id.eq(task.stock_id))
                    .exec(txn)
                    .await?;
                let what = format!(
                    "short pick in wave {}: {} × {} expected in {}, {} found",
                    w.number, short.expected, short.sku, short.bin, short.found
                );
                let count = cycle_count::Entity::insert(cycle_count::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    warehouse_id: Set(w.warehouse_id),
                    stock_id: Set(task.stock_id),
                    bin_code: Set(task.bin_code.clone()),
                    sku: Set(task.sku.clone()),
                    status: Set(CycleCountStatus::Open),
                    reason: Set(what.clone()),
                    counted: Set(None),
                    adjustment: Set(None),
                    counted_by: Set(None),
                    created_at: Set(now),
                    counted_at: Set(None),
                })
                .exec_with_returning(txn)
                .await?;
                stock_discrepancy::Entity::insert(stock_discrepancy::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    warehouse_id: Set(w.warehouse_id),
                    stock_id: Set(task.stock_id),
                    bin_code: Set(task.bin_code.clone()),
                    sku: Set(task.sku.clone()),
                    expected: Set(short.expected as i32),
                    found: Set(short.found as i32),
                    wave_id: Set(Some(w.id)),
                    task_id: Set(Some(task.id)),
                    cycle_count_id: Set(count.id),
                    reported_by: Set(actor_label.clone()),
                    at: Set(now),
                })
                .exec(txn)
                .await?;

                // Each order that lost units tries other stock now (or waits for it).
                let mut per_order: BTreeMap<Uuid, (String, u32)> = BTreeMap::new();
                for m in &missing {
                    let entry = per_order
                        .entry(m.order_id)
                        .or_insert((m.order_number.clone(), 0));
                    entry.1 += m.units;
                }
                let mut order_events = Vec::new();
                let mut notes = Vec::new();
                for (order_id, (number, units)) in per_order {
                    timeline::record(
                        txn,
                        timeline::Entry {
                            order_id,
                            kind: EventKind::Fulfilment,
                            from: None,
                            to: None,
                            actor: (actor_kind, actor_label.clone()),
                            reason: Some(format!(
                                "{units} × {} missing in bin {} (short pick); re-allocating",
                                short.sku, short.bin
                            )),
                        },
                    )
                    .await?;
                    let o = order::Entity::find_by_id(order_id)
                        .one(txn)
                        .await?
                        .ok_or_else(|| AppError::Internal("short-picked order vanished".into()))?;
                    let outcome = allocation::allocate(
                        txn,
                        &realtime,
                        &o,
                        Mode::Reallocated,
                        Locking::Pessimistic,
                        &(actor_kind, actor_label.clone()),
                    )
                    .await?;
                    notes.push(if outcome.reserved {
                        format!("order {number}: {units} unit(s) re-allocated from other stock")
                    } else {
                        format!("order {number}: {units} unit(s) wait for stock; customer told")
                    });
                    order_events.extend(outcome.events);
                }

                let mut events = Vec::new();
                let w = advance(txn, &live, &actor, &w, &task, &mut events).await?;
                audit::record(
                    txn,
                    &actor,
                    AuditAction::ShortPickReported,
                    "STOCK",
                    Some(task.stock_id.to_string()),
                    Some(serde_json::json!({
                        "wave": w.number,
                        "bin": task.bin_code,
                        "sku": task.sku,
                        "expected": short.expected,
                        "found": short.found,
                    })),
                )
                .await?;
                events.push(
                    stage_event(txn, &live, w.warehouse_id, Some(w.id), None, "SHORT_PICK").await?,
                );
                Ok((
                    ShortPickResult {
                        short,
                        task,
                        wave: w,
                        cycle_count: count,
                        notes,
                    },
                    order_events,
                    events,
                ))
            })
        })
        .await?;
    realtime.committed(order_events);
    live.committed(events);
    Ok(result)
}
