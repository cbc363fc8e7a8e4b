//! The review: the queue of held orders, what reviewers and customer service do with them, and
//! the risk configuration reviewers keep.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::orders::{Money, Order};
use super::{actor, parse_id, state};
use crate::domain::money::{Currency, Money as DomainMoney};
use crate::domain::orders::AddressDraft;
use crate::domain::review::{
    AddressPolicy, RemoteArea, RiskRuleKind, RiskThresholds, validate_remote_areas,
};
use crate::error::AppError;
use crate::service::page::PageRequest;
use crate::service::review::{self, config, hold};
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject};
use orderly_shared::{
    BlocklistKind, FieldProblem, HoldReasonCode, Operation, RiskRuleType, VerificationOutcome,
};

#[derive(Default)]
pub struct ReviewQuery;

#[Object]
impl ReviewQuery {
    /// Orders on hold with their reasons, oldest first.
    #[graphql(guard = "Require(Operation::ReadReviewQueue)")]
    async fn review_queue(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Order>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = review::queue(&state(ctx).db, page).await.extend()?;
        Ok(connection(rows, page.after.is_some(), |o| o.id, Order))
    }

    /// The risk rules in order.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn risk_rules(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RiskRule>> {
        let rules = config::list_rules(&state(ctx).db).await.extend()?;
        rules.into_iter().map(RiskRule::from_stored).collect()
    }

    /// The score thresholds: at `holdAt` an order waits for a reviewer, at `rejectAt` it is rejected.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn risk_thresholds(&self, ctx: &Context<'_>) -> async_graphql::Result<Thresholds> {
        let t: RiskThresholds = crate::service::settings_json::get(
            &state(ctx).db,
            crate::service::settings_json::RISK_THRESHOLDS,
        )
        .await
        .extend()?;
        Ok(Thresholds {
            hold_at: t.hold_at as i32,
            reject_at: t.reject_at as i32,
        })
    }

    /// Phones, e-mails and addresses that are refused.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn blocklist(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<BlocklistEntry>> {
        let rows = config::blocklist(&state(ctx).db).await.extend()?;
        Ok(rows
            .into_iter()
            .map(|r| BlocklistEntry {
                id: ID(r.id.to_string()),
                kind: r.kind,
                value: r.label,
                reason: r.reason,
                created_by: r.created_by,
            })
            .collect())
    }

    /// Areas whose orders are held for address verification.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn remote_areas(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RemoteAreaOut>> {
        let policy: AddressPolicy = crate::service::settings_json::get(
            &state(ctx).db,
            crate::service::settings_json::ADDRESS_POLICY,
        )
        .await
        .extend()?;
        Ok(policy
            .remote_areas
            .into_iter()
            .map(|a| RemoteAreaOut {
                country: a.country,
                region: a.region,
                postal_prefix: a.postal_prefix,
                label: a.label,
            })
            .collect())
    }
}

#[derive(SimpleObject)]
pub struct Thresholds {
    hold_at: i32,
    reject_at: i32,
}

#[derive(SimpleObject)]
pub struct BlocklistEntry {
    id: ID,
    kind: BlocklistKind,
    /// As entered.
    value: String,
    reason: String,
    created_by: String,
}

#[derive(SimpleObject)]
#[graphql(name = "RemoteArea")]
pub struct RemoteAreaOut {
    country: String,
    region: Option<String>,
    postal_prefix: Option<String>,
    label: String,
}

#[derive(InputObject)]
pub struct RemoteAreaInput {
    country: String,
    region: Option<String>,
    postal_prefix: Option<String>,
    label: String,
}

/// A risk rule: its type, the parameters that type uses, and its weight in the score.
#[derive(SimpleObject)]
pub struct RiskRule {
    id: ID,
    name: String,
    r#type: RiskRuleType,
    weight: i32,
    enabled: bool,
    position: i32,
    /// Velocity and per-identity rules: more than this triggers.
    limit: Option<i32>,
    window_minutes: Option<i32>,
    window_days: Option<i32>,
    /// Shared-identity coupon rule: more customers than this triggers.
    max_customers: Option<i32>,
    /// Value rules: the threshold.
    amount: Option<Money>,
}

impl RiskRule {
    fn from_stored(s: config::StoredRiskRule) -> async_graphql::Result<RiskRule> {
        let mut out = RiskRule {
            id: ID(s.row.id.to_string()),
            name: s.row.name,
            r#type: RiskRuleType::Blocklisted,
            weight: s.rule.weight as i32,
            enabled: s.rule.enabled,
            position: s.row.position,
            limit: None,
            window_minutes: None,
            window_days: None,
            max_customers: None,
            amount: None,
        };
        let money = |amount: &str, currency: &str| -> Option<Money> {
            let c = Currency::parse(currency).ok()?;
            let m = DomainMoney::parse(amount, c).ok()?;
            Some(Money {
                amount: m.amount().to_string(),
                currency: c.code().to_string(),
            })
        };
        match &s.rule.kind {
            RiskRuleKind::AddressVelocity {
                limit,
                window_minutes,
            } => {
                out.r#type = RiskRuleType::AddressVelocity;
                out.limit = Some(*limit as i32);
                out.window_minutes = Some(*window_minutes as i32);
            }
            RiskRuleKind::PhoneVelocity {
                limit,
                window_minutes,
            } => {
                out.r#type = RiskRuleType::PhoneVelocity;
                out.limit = Some(*limit as i32);
                out.window_minutes = Some(*window_minutes as i32);
            }
            RiskRuleKind::CouponSharedIdentity {
                max_customers,
                window_days,
            } => {
                out.r#type = RiskRuleType::CouponSharedIdentity;
                out.max_customers = Some(*max_customers as i32);
                out.window_days = Some(*window_days as i32);
            }
            RiskRuleKind::CouponPerIdentity { limit, window_days } => {
                out.r#type = RiskRuleType::CouponPerIdentity;
                out.limit = Some(*limit as i32);
                out.window_days = Some(*window_days as i32);
            }
            RiskRuleKind::HighValue { amount, currency } => {
                out.r#type = RiskRuleType::HighValue;
                out.amount = money(amount, currency);
            }
            RiskRuleKind::FirstOrderHighValue { amount, currency } => {
                out.r#type = RiskRuleType::FirstOrderHighValue;
                out.amount = money(amount, currency);
            }
            RiskRuleKind::CodLimit { amount, currency } => {
                out.r#type = RiskRuleType::CodLimit;
                out.amount = money(amount, currency);
            }
            RiskRuleKind::Blocklisted => out.r#type = RiskRuleType::Blocklisted,
        }
        Ok(out)
    }
}

#[derive(InputObject)]
pub struct MoneyInput {
    /// Decimal, e.g. `"5000.00"`.
    amount: String,
    currency: String,
}

/// A risk rule to create (no id) or change. Give the parameters its type uses.
#[derive(InputObject)]
pub struct RiskRuleInput {
    id: Option<ID>,
    name: String,
    r#type: RiskRuleType,
    weight: i32,
    enabled: bool,
    position: Option<i32>,
    limit: Option<i32>,
    window_minutes: Option<i32>,
    window_days: Option<i32>,
    max_customers: Option<i32>,
    amount: Option<MoneyInput>,
}

impl RiskRuleInput {
    fn kind(&self) -> Result<RiskRuleKind, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut need = |name: &str, value: Option<i32>| -> u32 {
            match value {
                Some(v) if v >= 0 => v as u32,
                Some(_) => {
                    problems.push(FieldProblem::new(
                        name,
                        "MUST_BE_POSITIVE",
                        "must be at least 1",
                    ));
                    0
                }
                None => {
                    problems.push(FieldProblem::new(
                        name,
                        "REQUIRED",
                        format!("a {} rule needs {name}", self.r#type),
                    ));
                    0
                }
            }
        };
        let kind = match self.r#type {
            RiskRuleType::AddressVelocity => RiskRuleKind::AddressVelocity {
                limit: need("limit", self.limit),
                window_minutes: need("windowMinutes", self.window_minutes),
            },
            RiskRuleType::PhoneVelocity => RiskRuleKind::PhoneVelocity {
                limit: need("limit", self.limit),
                window_minutes: need("windowMinutes", self.window_minutes),
            },
            RiskRuleType::CouponSharedIdentity => RiskRuleKind::CouponSharedIdentity {
                max_customers: need("maxCustomers", self.max_customers),
                window_days: need("windowDays", self.window_days),
            },
            RiskRuleType::CouponPerIdentity => RiskRuleKind::CouponPerIdentity {
                limit: need("limit", self.limit),
                window_days: need("windowDays", self.window_days),
            },
            RiskRuleType::Blocklisted => RiskRuleKind::Blocklisted,
            value_rule => {
                let (amount, currency) = match &self.amount {
                    Some(m) => (m.amount.clone(), m.currency.clone()),
                    None => {
                        problems.push(FieldProblem::new(
                            "amount",
                            "REQUIRED",
                            format!("a {value_rule} rule needs an amount"),
                        ));
                        (String::new(), String::new())
                    }
                };
                match value_rule {
                    RiskRuleType::HighValue => RiskRuleKind::HighValue { amount, currency },
                    RiskRuleType::FirstOrderHighValue => {
                        RiskRuleKind::FirstOrderHighValue { amount, currency }
                    }
                    _ => RiskRuleKind::CodLimit { amount, currency },
                }
            }
        };
        if problems.is_empty() {
            Ok(kind)
        } else {
            Err(problems)
        }
    }
}

#[derive(InputObject)]
pub struct VerificationAddressInput {
    recipient: String,
    phone: String,
    country: String,
    region: Option<String>,
    city: String,
    district: Option<String>,
    line1: String,
    line2: Option<String>,
    postal_code: Option<String>,
}

impl From<VerificationAddressInput> for AddressDraft {
    fn from(a: VerificationAddressInput) -> AddressDraft {
        AddressDraft {
            recipient: a.recipient,
            phone: a.phone,
            country: a.country,
            region: a.region.unwrap_or_default(),
            city: a.city,
            district: a.district,
            line1: a.line1,
            line2: a.line2,
            postal_code: a.postal_code,
        }
    }
}

#[derive(Default)]
pub struct ReviewMutation;

#[Object]
impl ReviewMutation {
    /// Approves a held order; it is allocated at once (or waits for stock).
    #[graphql(guard = "Require(Operation::ReviewOrders)")]
    async fn approve_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        note: Option<String>,
    ) -> async_graphql::Result<Order> {
        let s = state(ctx);
        let o = hold::approve(&s.db, &s.realtime, actor(ctx)?, parse_id("id", &id)?, note)
            .await
            .extend()?;
        Ok(Order(o))
    }

    /// Rejects an order: it ends CANCELLED, gives its stock back, and a paid order's refund is
    /// recorded for finance.
    #[graphql(guard = "Require(Operation::ReviewOrders)")]
    async fn reject_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Order> {
        let s = state(ctx);
        let o = hold::reject(
            &s.db,
            &s.realtime,
            actor(ctx)?,
            parse_id("id", &id)?,
            reason,
        )
        .await
        .extend()?;
        Ok(Order(o))
    }

    /// Cancels an order before it ships: stock back, coupons back, refund recorded if paid.
    #[graphql(guard = "Require(Operation::CancelOrders)")]
    async fn cancel_order(
        &self,
        ctx: &Context<'_>,
        id: ID,
        reason: String,
    ) -> async_graphql::Result<Order> {
        let s = state(ctx);
        let o = hold::cancel(
            &s.db,
            &s.realtime,
            actor(ctx)?,
            parse_id("id", &id)?,
            reason,
        )
        .await
        .extend()?;
        Ok(Order(o))
    }

    /// Customer service clears its own holds (address, remote area, special request); with none
    /// left the order is approved and allocated.
    #[graphql(guard = "Require(Operation::VerifyOrders)")]
    async fn release_hold(
        &self,
        ctx: &Context<'_>,
        id: ID,
        codes: Vec<HoldReasonCode>,
        note: String,
    ) -> async_graphql::Result<Order> {
        let s = state(ctx);
        let o = hold::release(
            &s.db,
            &s.realtime,
            actor(ctx)?,
            parse_id("id", &id)?,
            codes,
            note,
        )
        .await
        .extend()?;
        Ok(Order(o))
    }

    /// Records a call to verify the address; CONFIRMED or CORRECTED (with the new address)
    /// releases the address holds.
    #[graphql(guard = "Require(Operation::VerifyOrders)")]
    async fn record_verification_call(
        &self,
        ctx: &Context<'_>,
        id: ID,
        outcome: VerificationOutcome,
        note: String,
        corrected_address: Option<VerificationAddressInput>,
    ) -> async_graphql::Result<Order> {
        let s = state(ctx);
        let call = hold::VerificationCall {
            outcome,
            note,
            corrected: corrected_address.map(AddressDraft::from),
        };
        let o = hold::record_call(&s.db, &s.realtime, actor(ctx)?, parse_id("id", &id)?, call)
            .await
            .extend()?;
        Ok(Order(o))
    }

    /// Creates or changes a risk rule.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn save_risk_rule(
        &self,
        ctx: &Context<'_>,
        input: RiskRuleInput,
    ) -> async_graphql::Result<RiskRule> {
        let s = state(ctx);
        let kind = input.kind().map_err(|p| AppError::Validation(p).extend())?;
        let id = input
            .id
            .as_ref()
            .map(|id| parse_id("input.id", id))
            .transpose()?;
        if input.weight < 0 {
            return Err(AppError::invalid("weight", "OUT_OF_RANGE", "must be 0 to 1000").extend());
        }
        let save = config::SaveRiskRule {
            id,
            name: input.name,
            position: input.position.unwrap_or(100),
            kind,
            weight: input.weight.max(0) as u32,
            enabled: input.enabled,
        };
        let stored = config::save_rule(&s.db, &s.bus, actor(ctx)?, save)
            .await
            .extend()?;
        RiskRule::from_stored(stored)
    }

    /// Sets the score thresholds.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn set_risk_thresholds(
        &self,
        ctx: &Context<'_>,
        hold_at: i32,
        reject_at: i32,
    ) -> async_graphql::Result<Thresholds> {
        let s = state(ctx);
        let t = RiskThresholds {
            hold_at: hold_at.max(0) as u32,
            reject_at: reject_at.max(0) as u32,
        };
        let t = config::set_thresholds(&s.db, &s.bus, actor(ctx)?, t)
            .await
            .extend()?;
        Ok(Thresholds {
            hold_at: t.hold_at as i32,
            reject_at: t.reject_at as i32,
        })
    }

    /// Blocks a phone (E.164, or a Chinese number), an e-mail or an address key.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn add_to_blocklist(
        &self,
        ctx: &Context<'_>,
        kind: BlocklistKind,
        value: String,
        reason: String,
    ) -> async_graphql::Result<BlocklistEntry> {
        let s = state(ctx);
        let r = config::block(&s.db, &s.bus, actor(ctx)?, kind, &value, &reason)
            .await
            .extend()?;
        Ok(BlocklistEntry {
            id: ID(r.id.to_string()),
            kind: r.kind,
            value: r.label,
            reason: r.reason,
            created_by: r.created_by,
        })
    }

    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn remove_from_blocklist(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<bool> {
        let s = state(ctx);
        config::unblock(&s.db, &s.bus, actor(ctx)?, parse_id("id", &id)?)
            .await
            .extend()?;
        Ok(true)
    }

    /// Replaces the list of remote areas.
    #[graphql(guard = "Require(Operation::ManageRisk)")]
    async fn set_remote_areas(
        &self,
        ctx: &Context<'_>,
        areas: Vec<RemoteAreaInput>,
    ) -> async_graphql::Result<Vec<RemoteAreaOut>> {
        let s = state(ctx);
        let policy = validate_remote_areas(
            areas
                .into_iter()
                .map(|a| RemoteArea {
                    country: a.country,
                    region: a.region,
                    postal_prefix: a.postal_prefix,
                    label: a.label,
                })
                .collect(),
        )
        .map_err(|p| AppError::Validation(p).extend())?;
        let saved = config::set_address_policy(&s.db, &s.bus, actor(ctx)?, policy)
            .await
            .extend()?;
        Ok(saved
            .remote_areas
            .into_iter()
            .map(|a| RemoteAreaOut {
                country: a.country,
                region: a.region,
                postal_prefix: a.postal_prefix,
                label: a.label,
            })
            .collect())
    }
}
