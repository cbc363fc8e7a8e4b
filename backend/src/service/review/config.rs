//! What reviewers configure: risk rules (kind, parameters, weight, enabled), the score
//! thresholds, the blocklist, remote areas and what special requests can be met.

use crate::db::entity::{blocklist_entry, risk_rule, setting};
use crate::domain::auth::Actor;
use crate::domain::orders::validate_phone;
use crate::domain::review::{
    AddressPolicy, RiskRule, RiskRuleKind, RiskThresholds, SpecialRequestPolicy, default_rules,
    validate_rule,
};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::settings_json::{
    self, ADDRESS_POLICY, RISK_THRESHOLDS, SPECIAL_REQUEST_POLICY,
};
use chrono::Utc;
use orderly_shared::BlocklistKind;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

/// Everything the automatic review reads.
pub struct ReviewConfig {
    pub rules: Vec<RiskRule>,
    pub thresholds: RiskThresholds,
    pub address: AddressPolicy,
    pub special: SpecialRequestPolicy,
}

/// A stored risk rule with its display name and position.
#[derive(Debug, Clone)]
pub struct StoredRiskRule {
    pub row: risk_rule::Model,
    pub rule: RiskRule,
}

/// Loads the review configuration.
pub async fn load(conn: &impl ConnectionTrait) -> AppResult<ReviewConfig> {
    Ok(ReviewConfig {
        rules: list_rules(conn)
            .await?
            .into_iter()
            .map(|r| r.rule)
            .collect(),
        thresholds: settings_json::get(conn, RISK_THRESHOLDS).await?,
        address: settings_json::get(conn, ADDRESS_POLICY).await?,
        special: settings_json::get(conn, SPECIAL_REQUEST_POLICY).await?,
    })
}

/// Every risk rule in order.
pub async fn list_rules(conn: &impl ConnectionTrait) -> AppResult<Vec<StoredRiskRule>> {
    let rows = risk_rule::Entity::find()
        .order_by_asc(risk_rule::Column::Position)
        .order_by_asc(risk_rule::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let kind: RiskRuleKind =
                serde_json::from_str(&row.definition).map_err(AppError::internal)?;
            Ok(StoredRiskRule {
                rule: RiskRule {
                    id: row.id.to_string(),
                    kind,
                    weight: row.weight.max(0) as u32,
                    enabled: row.enabled,
                },
                row,
            })
        })
        .collect()
}

/// Seeds the default risk rules once per database (a settings flag makes concurrent first starts
/// agree on who seeds).
pub async fn ensure_defaults(db: &DatabaseConnection) -> AppResult<()> {
    db.transaction::<_, _, AppError>(|txn| {
        Box::pin(async move {
            let flag = setting::Entity::insert(setting::ActiveModel {
                key: Set("review.defaults_seeded".into()),
                value: Set("true".into()),
            })
            .on_conflict_do_nothing_on([setting::Column::Key])
            .exec(txn)
            .await?;
            if matches!(flag, sea_orm::TryInsertResult::Conflicted) {
                return Ok(());
            }
            for (i, rule) in default_rules().into_iter().enumerate() {
                insert_rule(txn, Uuid::now_v7(), &rule.id, i as i32, &rule).await?;
            }
            Ok(())
        })
    })
    .await?;
    Ok(())
}

async fn insert_rule(
    conn: &impl ConnectionTrait,
    id: Uuid,
    name: &str,
    position: i32,
    rule: &RiskRule,
) -> AppResult<risk_rule::Model> {
    Ok(risk_rule::Entity::insert(risk_rule::ActiveModel {
        id: Set(id),
        name: Set(name.to_string()),
        definition: Set(serde_json::to_string(&rule.kind).map_err(AppError::internal)?),
        weight: Set(rule.weight as i32),
        enabled: Set(rule.enabled),
        position: Set(position),
        updated_at: Set(Utc::now()),
    })
    .exec_with_returning(conn)
    .await?)
}

/// A risk rule to save (new when `id` is none).
pub struct SaveRiskRule {
    pub id: Option<Uuid>,
    pub name: String,
    pub position: i32,
    pub kind: RiskRuleKind,
    pub weight: u32,
    pub enabled: bool,
}

/// Validates and stores a risk rule.
pub async fn save_rule(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    input: SaveRiskRule,
) -> AppResult<StoredRiskRule> {
    let id = input.id.unwrap_or_else(Uuid::now_v7);
    let name = input.name.trim().to_string();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 100 {
        problems.push(orderly_shared::FieldProblem::new(
            "name",
            "INVALID_NAME",
            "must be 1 to 100 characters",
        ));
    }
    let rule = validate_rule(RiskRule {
        id: id.to_string(),
        kind: input.kind,
        weight: input.weight,
        enabled: input.enabled,
    });
    let rule = match rule {
        Ok(rule) if problems.is_empty() => rule,
        Ok(_) => return Err(AppError::Validation(problems)),
        Err(found) => {
            problems.extend(found);
            return Err(AppError::Validation(problems));
        }
    };
    let actor = actor.clone();
    let (stored, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let existing = risk_rule::Entity::find_by_id(id).one(txn).await?;
                let row = match existing {
                    None if input.id.is_some() => {
                        return Err(AppError::NotFound(format!("No risk rule {id}.")));
                    }
                    None => insert_rule(txn, id, &name, input.position, &rule).await?,
                    Some(_) => {
                        risk_rule::Entity::update(risk_rule::ActiveModel {
                            id: Set(id),
                            name: Set(name.clone()),
                            definition: Set(
                                serde_json::to_string(&rule.kind).map_err(AppError::internal)?
                            ),
                            weight: Set(rule.weight as i32),
                            enabled: Set(rule.enabled),
                            position: Set(input.position),
                            updated_at: Set(Utc::now()),
                        })
                        .exec(txn)
                        .await?
                    }
                };
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::RiskRuleSaved,
                    "RISK_RULE",
                    Some(id.to_string()),
                    Some(serde_json::json!({
                        "name": name,
                        "rule": serde_json::to_value(&rule.kind).map_err(AppError::internal)?,
                        "weight": rule.weight,
                        "enabled": rule.enabled,
                    })),
                )
                .await?;
                Ok((StoredRiskRule { row, rule }, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(stored)
}

/// Stores new score thresholds.
pub async fn set_thresholds(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    thresholds: RiskThresholds,
) -> AppResult<RiskThresholds> {
    thresholds.validate().map_err(AppError::Validation)?;
    settings_json::put_audited(
        db,
        bus,
        actor,
        RISK_THRESHOLDS,
        AuditAction::RiskSettingsChanged,
        thresholds,
    )
    .await?;
    Ok(thresholds)
}

/// Stores the remote areas that hold orders for address verification.
pub async fn set_address_policy(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    policy: AddressPolicy,
) -> AppResult<AddressPolicy> {
    let saved = policy.clone();
    settings_json::put_audited(
        db,
        bus,
        actor,
        ADDRESS_POLICY,
        AuditAction::RiskSettingsChanged,
        policy,
    )
    .await?;
    Ok(saved)
}

/// Adds a blocklist entry; the value is normalized so lookups match (E.164 phone with the given
/// country, lower-case e-mail, or an address key computed by the caller).
pub async fn block(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    kind: BlocklistKind,
    value: &str,
    reason: &str,
) -> AppResult<blocklist_entry::Model> {
    let raw = value.trim();
    let normalized = match kind {
        // Numbers without a country prefix are read as Chinese (the merchant's home market).
        BlocklistKind::Phone => {
            validate_phone("value", raw, "CN").map_err(|p| AppError::Validation(vec![p]))?
        }
        BlocklistKind::Email if raw.contains('@') => raw.to_lowercase(),
        BlocklistKind::Email => {
            return Err(AppError::invalid(
                "value",
                "INVALID_EMAIL",
                "is not an e-mail address",
            ));
        }
        BlocklistKind::Address => raw.to_string(),
    };
    if reason.trim().is_empty() {
        return Err(AppError::invalid(
            "reason",
            "REQUIRED",
            "say why it is blocked",
        ));
    }
    let (_, _, label) = actor.audit_identity();
    let actor = actor.clone();
    let (reason, raw) = (reason.trim().to_string(), raw.to_string());
    let (row, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let row = blocklist_entry::Entity::insert(blocklist_entry::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    kind: Set(kind),
                    value: Set(normalized.clone()),
                    label: Set(raw),
                    reason: Set(reason),
                    created_by: Set(label),
                    created_at: Set(Utc::now()),
                })
                .exec_with_returning(txn)
                .await
                .map_err(|e| match e.sql_err() {
                    Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                        AppError::Conflict(format!("{kind} {normalized} is already blocklisted."))
                    }
                    _ => e.into(),
                })?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::BlocklistChanged,
                    "BLOCKLIST",
                    Some(row.id.to_string()),
                    Some(serde_json::json!({ "added": row.value, "kind": kind })),
                )
                .await?;
                Ok((row, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(row)
}

/// The blocklist, newest first.
pub async fn blocklist(conn: &impl ConnectionTrait) -> AppResult<Vec<blocklist_entry::Model>> {
    Ok(blocklist_entry::Entity::find()
        .order_by_desc(blocklist_entry::Column::Id)
        .all(conn)
        .await?)
}

/// Removes a blocklist entry.
pub async fn unblock(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    id: Uuid,
) -> AppResult<()> {
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let gone = blocklist_entry::Entity::delete_many()
                    .filter(blocklist_entry::Column::Id.eq(id))
                    .exec(txn)
                    .await?;
                if gone.rows_affected == 0 {
                    return Err(AppError::NotFound(format!("No blocklist entry {id}.")));
                }
                audit::record(
                    txn,
                    &actor,
                    AuditAction::BlocklistChanged,
                    "BLOCKLIST",
                    Some(id.to_string()),
                    Some(serde_json::json!({ "removed": id })),
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(())
}
