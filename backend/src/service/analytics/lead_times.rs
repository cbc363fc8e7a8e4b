//! Stage lead times and the bottleneck, from the stage durations each rollup stores.
//!
//! Percentiles are exact (nearest rank), so every duration in the window is read: eight
//! integers per order (stored on the rollup), and only the one stage for the bottleneck's trend.

use super::filter::Filter;
use super::queries::warehouse_codes;
use crate::db::entity::order_fact::{self, seconds_column};
use crate::domain::analytics::{Bottleneck, Distribution, bottleneck};
use crate::error::AppResult;
use orderly_shared::{Breakdown, Stage};
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, DbBackend, EntityTrait, IdenStatic, QuerySelect, QueryTrait};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Every stage's lead time for one group of orders (everything, a warehouse or a carrier).
#[derive(Debug, Clone, PartialEq)]
pub struct LeadTimes {
    /// The warehouse's or carrier's code; None for the overall figures (and for orders not yet
    /// at a warehouse or carrier).
    pub group: Option<String>,
    /// Only the stages some order in the group has finished.
    pub stages: Vec<(Stage, Distribution)>,
}

/// Stage lead times of the orders placed in the window, overall or per warehouse or carrier.
pub async fn lead_times(
    conn: &impl ConnectionTrait,
    f: &Filter,
    breakdown: Breakdown,
) -> AppResult<Vec<LeadTimes>> {
    let warehouses = match breakdown {
        Breakdown::Warehouse => warehouse_codes(conn).await?,
        _ => HashMap::new(),
    };
    let mut groups: BTreeMap<Option<String>, [Vec<i64>; 8]> = BTreeMap::new();
    for part in durations(conn, f, Stage::ALL).await? {
        let group = match breakdown {
            Breakdown::Overall => None,
            Breakdown::Warehouse => part.warehouse.and_then(|w| warehouses.get(&w).cloned()),
            Breakdown::Carrier => part.carrier,
        };
        let seconds = groups.entry(group).or_default();
        for (all, some) in seconds.iter_mut().zip(part.seconds) {
            all.extend(some);
        }
    }
    if groups.is_empty() && breakdown == Breakdown::Overall {
        groups.insert(None, Default::default());
    }
    Ok(groups
        .into_iter()
        .map(|(group, seconds)| LeadTimes {
            group,
            stages: Stage::ALL
                .iter()
                .zip(seconds)
                .filter_map(|(stage, s)| Distribution::of(s).map(|d| (*stage, d)))
                .collect(),
        })
        .collect())
}

/// The stage with the longest p90 in the window (`now`: its overall lead times), and its p90
/// in the window before (which reads only that stage).
pub async fn bottleneck_of(
    conn: &impl ConnectionTrait,
    f: &Filter,
    now: &[LeadTimes],
) -> AppResult<Option<Bottleneck>> {
    let current = now.first().map(|l| l.stages.clone()).unwrap_or_default();
    let Some(worst) = bottleneck(&current, &[]) else {
        return Ok(None);
    };
    let mut before = Vec::new();
    for part in durations(conn, &f.previous(), &[worst.stage]).await? {
        before.extend(part.seconds.into_iter().flatten());
    }
    let previous: Vec<_> = Distribution::of(before)
        .map(|d| (worst.stage, d))
        .into_iter()
        .collect();
    Ok(bottleneck(&current, &previous))
}

/// The durations of some stages (by [`Stage::index`]; the others left empty) of the orders
/// placed in the window at one warehouse with one carrier.
#[derive(Default)]
struct Part {
    warehouse: Option<Uuid>,
    carrier: Option<String>,
    seconds: [Vec<i64>; 8],
}

/// Decoding a row per order costs more than the database's work, so PostgreSQL aggregates each
/// stage's durations into one array per warehouse and carrier instead, in two halves of the
/// stages on two connections at once (the aggregation is the expensive part, and one query
/// would use one core). SQLite, the embedded database of small shops, returns the rows.
async fn durations(
    conn: &impl ConnectionTrait,
    f: &Filter,
    stages: &[Stage],
) -> AppResult<Vec<Part>> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return rows(conn, f, stages).await;
    }
    let (first, second) = stages.split_at(stages.len().div_ceil(2));
    let (mut parts, more) = tokio::try_join!(arrays(conn, f, first), arrays(conn, f, second))?;
    for part in more {
        let same = parts
            .iter_mut()
            .find(|p| p.warehouse == part.warehouse && p.carrier == part.carrier);
        match same {
            Some(p) => {
                for (all, some) in p.seconds.iter_mut().zip(part.seconds) {
                    all.extend(some);
                }
            }
            None => parts.push(part),
        }
    }
    Ok(parts)
}

fn window(f: &Filter) -> sea_orm::Select<order_fact::Entity> {
    use order_fact::Column as C;
    f.placed(order_fact::Entity::find())
        .select_only()
        .columns([C::WarehouseId, C::Carrier])
}

async fn arrays(conn: &impl ConnectionTrait, f: &Filter, stages: &[Stage]) -> AppResult<Vec<Part>> {
    use order_fact::Column as C;
    if stages.is_empty() {
        return Ok(Vec::new());
    }
    let mut q = window(f).group_by(C::WarehouseId).group_by(C::Carrier);
    for stage in stages {
        let column = seconds_column(*stage).as_str();
        q = q.expr(Expr::cust(format!(
            "coalesce(array_agg({column}) filter (where {column} is not null), '{{}}')"
        )));
    }
    let mut parts = Vec::new();
    for row in conn.query_all(&q.into_query()).await? {
        let mut part = Part {
            warehouse: row.try_get_by_index(0)?,
            carrier: row.try_get_by_index(1)?,
            ..Default::default()
        };
        for (i, stage) in stages.iter().enumerate() {
            part.seconds[stage.index()] = row.try_get_by_index(i + 2)?;
        }
        parts.push(part);
    }
    Ok(parts)
}

/// An order's warehouse and carrier.
type Dimensions = (Option<Uuid>, Option<String>);

async fn rows(conn: &impl ConnectionTrait, f: &Filter, stages: &[Stage]) -> AppResult<Vec<Part>> {
    let mut q = window(f);
    for stage in stages {
        q = q.column(seconds_column(*stage));
    }
    let mut parts: HashMap<Dimensions, [Vec<i64>; 8]> = HashMap::new();
    for row in conn.query_all(&q.into_query()).await? {
        let seconds = parts
            .entry((row.try_get_by_index(0)?, row.try_get_by_index(1)?))
            .or_default();
        for (i, stage) in stages.iter().enumerate() {
            if let Some(s) = row.try_get_by_index::<Option<i64>>(i + 2)? {
                seconds[stage.index()].push(s);
            }
        }
    }
    Ok(parts
        .into_iter()
        .map(|((warehouse, carrier), seconds)| Part {
            warehouse,
            carrier,
            seconds,
        })
        .collect())
}
