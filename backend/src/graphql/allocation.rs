//! Allocation rules as warehouse managers edit them, and the dry run that explains a decision.

use super::guard::Require;
use super::{actor, parse_id, state};
use crate::domain::allocation::{Conditions, Decision, RuleDraft, SplitPolicy, Strategy};
use crate::error::AppError;
use crate::service::allocation::dry_run::{self, Described};
use crate::service::allocation::rules::{self, SaveRule, StoredRule};
use crate::service::orders::{OrderScope, query};
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject};
use orderly_shared::{AllocationStrategyKind, Operation, SpecialRequestKind, SplitPolicyKind};

/// When a rule applies: each list empty means any; inside a list any one value; across lists all.
#[derive(SimpleObject, Default, Clone)]
pub struct RuleConditions {
    countries: Vec<String>,
    regions: Vec<String>,
    categories: Vec<String>,
    skus: Vec<String>,
    channels: Vec<String>,
    tags: Vec<String>,
    special_requests: Vec<SpecialRequestKind>,
}

impl From<Conditions> for RuleConditions {
    fn from(c: Conditions) -> RuleConditions {
        RuleConditions {
            countries: c.countries,
            regions: c.regions,
            categories: c.categories,
            skus: c.skus,
            channels: c.channels,
            tags: c.tags,
            special_requests: c.special_requests,
        }
    }
}

/// Conditions as edited; omitted lists mean any.
#[derive(InputObject, Default)]
pub struct RuleConditionsInput {
    #[graphql(default)]
    countries: Vec<String>,
    #[graphql(default)]
    regions: Vec<String>,
    #[graphql(default)]
    categories: Vec<String>,
    #[graphql(default)]
    skus: Vec<String>,
    #[graphql(default)]
    channels: Vec<String>,
    #[graphql(default)]
    tags: Vec<String>,
    #[graphql(default)]
    special_requests: Vec<SpecialRequestKind>,
}

impl From<RuleConditionsInput> for Conditions {
    fn from(c: RuleConditionsInput) -> Conditions {
        Conditions {
            countries: c.countries,
            regions: c.regions,
            categories: c.categories,
            skus: c.skus,
            channels: c.channels,
            tags: c.tags,
            special_requests: c.special_requests,
        }
    }
}

/// An allocation rule.
#[derive(SimpleObject)]
pub struct AllocationRule {
    id: ID,
    name: String,
    position: i32,
    enabled: bool,
    /// The rule that applies when no other matches.
    is_default: bool,
    conditions: RuleConditions,
    strategy: AllocationStrategyKind,
    /// FIXED_LIST: the warehouses in priority order.
    warehouses: Vec<String>,
    split: SplitPolicyKind,
    /// AT_MOST: the most shipments.
    max_shipments: Option<i32>,
}

impl From<StoredRule> for AllocationRule {
    fn from(s: StoredRule) -> AllocationRule {
        let (strategy, warehouses) = match s.rule.strategy {
            Strategy::FixedList { warehouses } => (AllocationStrategyKind::FixedList, warehouses),
            Strategy::Nearest => (AllocationStrategyKind::Nearest, vec![]),
            Strategy::MostStock => (AllocationStrategyKind::MostStock, vec![]),
            Strategy::LowestCost => (AllocationStrategyKind::LowestCost, vec![]),
        };
        let (split, max_shipments) = match s.rule.split {
            SplitPolicy::ShipComplete => (SplitPolicyKind::ShipComplete, None),
            SplitPolicy::AllowSplit => (SplitPolicyKind::AllowSplit, None),
            SplitPolicy::AtMost { shipments } => (SplitPolicyKind::AtMost, Some(shipments as i32)),
        };
        AllocationRule {
            id: ID(s.row.id.to_string()),
            name: s.rule.name,
            position: s.row.position,
            enabled: s.row.enabled,
            is_default: s.row.is_default,
            conditions: s.rule.conditions.into(),
            strategy,
            warehouses,
            split,
            max_shipments,
        }
    }
}

/// A rule to create (no id) or change.
#[derive(InputObject)]
pub struct AllocationRuleInput {
    id: Option<ID>,
    name: String,
    position: Option<i32>,
    enabled: Option<bool>,
    conditions: Option<RuleConditionsInput>,
    strategy: AllocationStrategyKind,
    warehouses: Option<Vec<String>>,
    split: SplitPolicyKind,
    max_shipments: Option<i32>,
}

/// An order described by hand for a dry run.
#[derive(InputObject)]
pub struct DryRunOrderInput {
    channel: Option<String>,
    country: String,
    region: Option<String>,
    tags: Option<Vec<String>>,
    special_requests: Option<Vec<SpecialRequestKind>>,
    lines: Vec<DryRunLineInput>,
}

#[derive(InputObject)]
pub struct DryRunLineInput {
    sku: String,
    quantity: i32,
}

#[derive(SimpleObject)]
pub struct PlannedLine {
    sku: String,
    quantity: i32,
}

#[derive(SimpleObject)]
pub struct PlannedShipment {
    warehouse: String,
    lines: Vec<PlannedLine>,
}

/// How one rule fared.
#[derive(SimpleObject)]
pub struct RuleTrace {
    rule_id: ID,
    rule_name: String,
    matched: bool,
    /// Why it matched, or which conditions failed, with the values.
    reasons: Vec<String>,
}

/// What allocation would do, and why.
#[derive(SimpleObject)]
pub struct AllocationDecision {
    rule_id: ID,
    rule_name: String,
    is_default: bool,
    trace: Vec<RuleTrace>,
    notes: Vec<String>,
    /// The warehouses the strategy considered, best first.
    ranking: Vec<String>,
    shipments: Vec<PlannedShipment>,
    /// Units no warehouse could ship.
    unfilled: Vec<PlannedLine>,
}

fn lines(l: Vec<crate::domain::allocation::PlannedLine>) -> Vec<PlannedLine> {
    l.into_iter()
        .map(|l| PlannedLine {
            sku: l.sku,
            quantity: l.quantity as i32,
        })
        .collect()
}

impl From<Decision> for AllocationDecision {
    fn from(d: Decision) -> AllocationDecision {
        AllocationDecision {
            rule_id: ID(d.rule_id),
            rule_name: d.rule_name,
            is_default: d.is_default,
            trace: d
                .trace
                .into_iter()
                .map(|t| RuleTrace {
                    rule_id: ID(t.rule_id),
                    rule_name: t.rule_name,
                    matched: t.matched,
                    reasons: t.reasons,
                })
                .collect(),
            notes: d.notes,
            ranking: d.plan.ranking,
            shipments: d
                .plan
                .shipments
                .into_iter()
                .map(|s| PlannedShipment {
                    warehouse: s.warehouse,
                    lines: lines(s.lines),
                })
                .collect(),
            unfilled: lines(d.plan.unfilled),
        }
    }
}

#[derive(Default)]
pub struct AllocationQuery;

#[Object]
impl AllocationQuery {
    /// The rules in the order they are tried, the default last.
    #[graphql(guard = "Require(Operation::ManageAllocation)")]
    async fn allocation_rules(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<AllocationRule>> {
        let rules = rules::list(&state(ctx).db).await.extend()?;
        Ok(rules.into_iter().map(AllocationRule::from).collect())
    }

    /// What allocation would do for an existing order (`orderId`) or one described by hand
    /// (`order`), from current stock, reserving nothing.
    #[graphql(guard = "Require(Operation::ManageAllocation)")]
    async fn allocation_dry_run(
        &self,
        ctx: &Context<'_>,
        order_id: Option<ID>,
        order: Option<DryRunOrderInput>,
    ) -> async_graphql::Result<AllocationDecision> {
        let db = &state(ctx).db;
        let decision = match (order_id, order) {
            (Some(id), None) => {
                let found = query::by_id(db, OrderScope::All, parse_id("orderId", &id)?)
                    .await
                    .extend()?
                    .ok_or_else(|| AppError::NotFound("No such order.".into()).extend())?;
                dry_run::for_order(db, &found).await
            }
            (None, Some(o)) => {
                dry_run::for_described(
                    db,
                    Described {
                        channel: o.channel.unwrap_or_else(|| "console".into()),
                        country: o.country,
                        region: o.region,
                        tags: o.tags.unwrap_or_default(),
                        special_requests: o.special_requests.unwrap_or_default(),
                        lines: o
                            .lines
                            .into_iter()
                            .map(|l| (l.sku, l.quantity.max(0) as u32))
                            .collect(),
                    },
                )
                .await
            }
            _ => Err(AppError::invalid(
                "orderId",
                "ONE_REQUIRED",
                "give either orderId or order",
            )),
        };
        Ok(decision.extend()?.into())
    }
}

#[derive(Default)]
pub struct AllocationMutation;

#[Object]
impl AllocationMutation {
    /// Creates or changes an allocation rule.
    #[graphql(guard = "Require(Operation::ManageAllocation)")]
    async fn save_allocation_rule(
        &self,
        ctx: &Context<'_>,
        input: AllocationRuleInput,
    ) -> async_graphql::Result<AllocationRule> {
        let s = state(ctx);
        let id = input
            .id
            .as_ref()
            .map(|id| parse_id("input.id", id))
            .transpose()?;
        let strategy = match input.strategy {
            AllocationStrategyKind::FixedList => Strategy::FixedList {
                warehouses: input.warehouses.unwrap_or_default(),
            },
            AllocationStrategyKind::Nearest => Strategy::Nearest,
            AllocationStrategyKind::MostStock => Strategy::MostStock,
            AllocationStrategyKind::LowestCost => Strategy::LowestCost,
        };
        let split = match input.split {
            SplitPolicyKind::ShipComplete => SplitPolicy::ShipComplete,
            SplitPolicyKind::AllowSplit => SplitPolicy::AllowSplit,
            SplitPolicyKind::AtMost => SplitPolicy::AtMost {
                shipments: input.max_shipments.unwrap_or(0).max(0) as u32,
            },
        };
        let save = SaveRule {
            id,
            position: input.position.unwrap_or(100),
            enabled: input.enabled.unwrap_or(true),
            draft: RuleDraft {
                name: input.name,
                conditions: input.conditions.unwrap_or_default().into(),
                strategy,
                split,
            },
        };
        let stored = rules::save(&s.db, &s.bus, actor(ctx)?, save)
            .await
            .extend()?;
        Ok(stored.into())
    }

    /// Deletes a rule (not the default).
    #[graphql(guard = "Require(Operation::ManageAllocation)")]
    async fn delete_allocation_rule(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<bool> {
        let s = state(ctx);
        rules::delete(&s.db, &s.bus, actor(ctx)?, parse_id("id", &id)?)
            .await
            .extend()?;
        Ok(true)
    }
}
