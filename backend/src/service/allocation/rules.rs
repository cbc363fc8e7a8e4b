//! Allocation rules as warehouse managers keep them: ordered, each with conditions, a strategy
//! and a split policy (stored as JSON), plus exactly one default rule that catches the rest.

use crate::db::entity::{allocation_rule, warehouse};
use crate::domain::allocation::{
    Conditions, Rule, RuleDraft, RuleSet, ShippingCosts, SplitPolicy, Strategy, validate_rule,
};
use crate::domain::auth::Actor;
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use chrono::Utc;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The default rule every install starts with (a fixed id, so concurrent first starts agree).
pub const DEFAULT_RULE_ID: Uuid = Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0001);

/// The stored JSON of a rule.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Definition {
    pub conditions: Conditions,
    pub strategy: Strategy,
    pub split: SplitPolicy,
}

/// A stored rule read back.
#[derive(Debug, Clone)]
pub struct StoredRule {
    pub row: allocation_rule::Model,
    pub rule: Rule,
}

fn to_rule(row: &allocation_rule::Model) -> AppResult<Rule> {
    let d: Definition = serde_json::from_str(&row.definition).map_err(AppError::internal)?;
    Ok(Rule {
        id: row.id.to_string(),
        name: row.name.clone(),
        conditions: d.conditions,
        strategy: d.strategy,
        split: d.split,
    })
}

/// Every rule in order, the default last.
pub async fn list(conn: &impl ConnectionTrait) -> AppResult<Vec<StoredRule>> {
    let rows = allocation_rule::Entity::find()
        .order_by_asc(allocation_rule::Column::IsDefault)
        .order_by_asc(allocation_rule::Column::Position)
        .order_by_asc(allocation_rule::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(StoredRule {
                rule: to_rule(&row)?,
                row,
            })
        })
        .collect()
}

/// The enabled rules in order, and the default rule.
pub async fn load_rule_set(conn: &impl ConnectionTrait) -> AppResult<RuleSet> {
    let mut rules = Vec::new();
    let mut default = None;
    for stored in list(conn).await? {
        if stored.row.is_default {
            default = Some(stored.rule);
        } else if stored.row.enabled {
            rules.push(stored.rule);
        }
    }
    Ok(RuleSet {
        rules,
        default: default.unwrap_or_else(builtin_default),
    })
}

fn builtin_default() -> Rule {
    Rule {
        id: DEFAULT_RULE_ID.to_string(),
        name: "Nearest warehouse, split allowed".into(),
        conditions: Conditions::default(),
        strategy: Strategy::Nearest,
        split: SplitPolicy::AllowSplit,
    }
}

/// Creates the default rule if there is none (at start-up; idempotent across replicas).
pub async fn ensure_default(conn: &impl ConnectionTrait) -> AppResult<()> {
    let rule = builtin_default();
    let definition = Definition {
        conditions: rule.conditions,
        strategy: rule.strategy,
        split: rule.split,
    };
    allocation_rule::Entity::insert(allocation_rule::ActiveModel {
        id: Set(DEFAULT_RULE_ID),
        position: Set(i32::MAX),
        name: Set(rule.name),
        definition: Set(serde_json::to_string(&definition).map_err(AppError::internal)?),
        enabled: Set(true),
        is_default: Set(true),
        updated_at: Set(Utc::now()),
    })
    .on_conflict_do_nothing_on([allocation_rule::Column::Id])
    .exec(conn)
    .await?;
    Ok(())
}

/// The shipping cost model for LOWEST_COST (CNY minor units per shipment by zone, per started kg).
pub fn shipping_costs() -> ShippingCosts {
    ShippingCosts {
        same_region_minor: 800,
        same_country_minor: 1_200,
        international_minor: 8_000,
        per_kg_minor: 200,
    }
}

/// A rule to save: new (no id) or an existing one; `position` orders non-default rules.
pub struct SaveRule {
    pub id: Option<Uuid>,
    pub position: i32,
    pub enabled: bool,
    pub draft: RuleDraft,
}

/// Validates and stores a rule. The default rule keeps its place and cannot be disabled.
pub async fn save(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    input: SaveRule,
) -> AppResult<StoredRule> {
    let known: Vec<String> = warehouse::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|w| w.code)
        .collect();
    let id = input.id.unwrap_or_else(Uuid::now_v7);
    let rule = validate_rule(id.to_string(), input.draft, &known).map_err(AppError::Validation)?;
    let actor = actor.clone();
    let (stored, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let existing = allocation_rule::Entity::find_by_id(id).one(txn).await?;
                if input.id.is_some() && existing.is_none() {
                    return Err(AppError::NotFound(format!("No allocation rule {id}.")));
                }
                let is_default = existing.as_ref().is_some_and(|r| r.is_default);
                if is_default && !input.enabled {
                    return Err(AppError::invalid(
                        "enabled",
                        "NOT_ALLOWED",
                        "the default rule cannot be disabled: it catches every order no other rule matches",
                    ));
                }
                let definition = Definition {
                    conditions: rule.conditions.clone(),
                    strategy: rule.strategy.clone(),
                    split: rule.split.clone(),
                };
                let row = allocation_rule::ActiveModel {
                    id: Set(id),
                    position: Set(if is_default { i32::MAX } else { input.position }),
                    name: Set(rule.name.clone()),
                    definition: Set(
                        serde_json::to_string(&definition).map_err(AppError::internal)?
                    ),
                    enabled: Set(input.enabled),
                    is_default: Set(is_default),
                    updated_at: Set(Utc::now()),
                };
                let row = if existing.is_some() {
                    allocation_rule::Entity::update(row).exec(txn).await?
                } else {
                    allocation_rule::Entity::insert(row)
                        .exec_with_returning(txn)
                        .await?
                };
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::AllocationRuleSaved,
                    "ALLOCATION_RULE",
                    Some(id.to_string()),
                    Some(serde_json::to_value(&definition).map_err(AppError::internal)?),
                )
                .await?;
                Ok((StoredRule { row, rule }, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(stored)
}

/// Deletes a non-default rule.
pub async fn delete(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    id: Uuid,
) -> AppResult<()> {
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let found = allocation_rule::Entity::find_by_id(id)
                    .one(txn)
                    .await?
                    .ok_or_else(|| AppError::NotFound(format!("No allocation rule {id}.")))?;
                if found.is_default {
                    return Err(AppError::Conflict(
                        "The default rule cannot be deleted.".into(),
                    ));
                }
                allocation_rule::Entity::delete_many()
                    .filter(allocation_rule::Column::Id.eq(id))
                    .exec(txn)
                    .await?;
                audit::record(
                    txn,
                    &actor,
                    AuditAction::AllocationRuleSaved,
                    "ALLOCATION_RULE",
                    Some(id.to_string()),
                    Some(serde_json::json!({ "deleted": found.name })),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(())
}
