//! Staff accounts: creating them, changing their roles, deactivating them, passwords.

use crate::db::entity::{session, user, user_role, user_warehouse};
use crate::domain::auth::{Actor, NewUser, validate_new_user, validate_password};
use crate::error::{AppError, AppResult};
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::auth::{Auth, revoke_where};
use crate::service::page::{Page, PageRequest};
use chrono::Utc;
use orderly_shared::{FieldProblem, Role};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

/// What the caller asked for, unvalidated.
#[derive(Debug, Clone)]
pub struct CreateUser {
    pub email: String,
    pub display_name: String,
    pub password: String,
    pub roles: Vec<Role>,
    pub warehouse_codes: Vec<String>,
}

pub async fn create(
    db: &DatabaseConnection,
    auth: &Auth,
    bus: &AuditBus,
    actor: &Actor,
    input: CreateUser,
) -> AppResult<user::Model> {
    let new = validate_new_user(
        &input.email,
        &input.display_name,
        &input.password,
        &input.roles,
        &input.warehouse_codes,
    )
    .map_err(AppError::Validation)?;
    ensure_email_free(db, &new).await?;
    let password_hash = auth.hash_password(&input.password).await?;
    let actor = actor.clone();
    let (created, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let now = Utc::now();
                let created = user::Entity::insert(user::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    email: Set(new.email.as_str().to_string()),
                    display_name: Set(new.display_name.clone()),
                    password_hash: Set(password_hash),
                    active: Set(true),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .exec_with_returning(txn)
                .await
                .map_err(|e| unique_email_conflict(e, &new))?;
                replace_roles(txn, created.id, &new.roles).await?;
                for code in &new.warehouse_codes {
                    user_warehouse::Entity::insert(user_warehouse::ActiveModel {
                        user_id: Set(created.id),
                        warehouse_code: Set(code.clone()),
                    })
                    .exec(txn)
                    .await?;
                }
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::UserCreated,
                    "USER",
                    Some(created.id.to_string()),
                    Some(serde_json::json!({ "email": created.email, "roles": new.roles, "warehouseCodes": new.warehouse_codes })),
                )
                .await?;
                Ok((created, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(created)
}

async fn ensure_email_free(db: &DatabaseConnection, new: &NewUser) -> AppResult<()> {
    let taken = user::Entity::find()
        .filter(user::Column::Email.eq(new.email.as_str()))
        .one(db)
        .await?
        .is_some();
    if taken { Err(email_taken(new)) } else { Ok(()) }
}

fn email_taken(new: &NewUser) -> AppError {
    AppError::Conflict(format!(
        "A user with the e-mail {} already exists.",
        new.email.as_str()
    ))
}

/// Two concurrent creations with one e-mail: the unique index decides, the loser gets CONFLICT.
fn unique_email_conflict(err: sea_orm::DbErr, new: &NewUser) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => email_taken(new),
        _ => err.into(),
    }
}

async fn replace_roles(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    roles: &[Role],
) -> AppResult<()> {
    user_role::Entity::delete_many()
        .filter(user_role::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    user_role::Entity::insert_many(roles.iter().map(|role| user_role::ActiveModel {
        user_id: Set(user_id),
        role: Set(*role),
    }))
    .exec(conn)
    .await?;
    Ok(())
}

pub async fn find(db: &DatabaseConnection, id: Uuid) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

async fn get(db: &impl ConnectionTrait, id: Uuid) -> AppResult<user::Model> {
    user::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("No user with id {id}.")))
}

/// Oldest first.
pub async fn list(db: &DatabaseConnection, page: PageRequest) -> AppResult<Page<user::Model>> {
    let mut query = user::Entity::find().order_by_asc(user::Column::Id);
    if let Some(after) = page.after {
        query = query.filter(user::Column::Id.gt(after));
    }
    let rows = query.limit(page.first + 1).all(db).await?;
    Ok(Page::from_overfetch(rows, page.first))
}

pub async fn set_roles(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    id: Uuid,
    roles: Vec<Role>,
) -> AppResult<user::Model> {
    let mut roles = roles;
    roles.sort();
    roles.dedup();
    if roles.is_empty() {
        return Err(AppError::invalid(
            "roles",
            "REQUIRED",
            "give the user at least one role",
        ));
    }
    if is_self(actor, id) && !roles.contains(&Role::Admin) {
        return Err(AppError::invalid(
            "roles",
            "SELF_LOCKOUT",
            "you cannot remove the ADMIN role from yourself; ask another administrator",
        ));
    }
    let actor = actor.clone();
    let (target, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let target = get(txn, id).await?;
                replace_roles(txn, id, &roles).await?;
                let entry = audit::record(
                    txn,
                    &actor,
                    AuditAction::UserRolesChanged,
                    "USER",
                    Some(id.to_string()),
                    Some(serde_json::json!({ "roles": roles })),
                )
                .await?;
                Ok((target, entry))
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(target)
}

/// Deactivating ends every session of the user at once; reactivating lets them sign in again.
pub async fn set_active(
    db: &DatabaseConnection,
    bus: &AuditBus,
    actor: &Actor,
    id: Uuid,
    active: bool,
) -> AppResult<user::Model> {
    if !active && is_self(actor, id) {
        return Err(AppError::invalid(
            "id",
            "SELF_LOCKOUT",
            "you cannot deactivate yourself",
        ));
    }
    let actor = actor.clone();
    let (updated, entry) = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let target = get(txn, id).await?;
                if target.active == active {
                    return Ok((target, None));
                }
                let mut row: user::ActiveModel = target.into();
                row.active = Set(active);
                row.updated_at = Set(Utc::now());
                let updated = user::Entity::update(row).exec(txn).await?;
                if !active {
                    revoke_where(txn, session::Column::UserId.eq(id)).await?;
                }
                let action = if active {
                    AuditAction::UserReactivated
                } else {
                    AuditAction::UserDeactivated
                };
                let entry =
                    audit::record(txn, &actor, action, "USER", Some(id.to_string()), None).await?;
                Ok((updated, Some(entry)))
            })
        })
        .await?;
    bus.publish(entry);
    Ok(updated)
}

/// A signed-in user changes their own password; all their sessions end, so a stolen session
/// does not outlive the change (the console signs in again).
pub async fn change_password(
    db: &DatabaseConnection,
    auth: &Auth,
    bus: &AuditBus,
    actor: &Actor,
    current_password: &str,
    new_password: &str,
) -> AppResult<()> {
    let Actor::Staff(staff) = actor else {
        return Err(AppError::Forbidden(
            "Only staff users have passwords.".into(),
        ));
    };
    let mut problems: Vec<FieldProblem> = validate_password("newPassword", new_password);
    if new_password == current_password {
        problems.push(FieldProblem::new(
            "newPassword",
            "UNCHANGED",
            "must differ from the current password",
        ));
    }
    if !problems.is_empty() {
        return Err(AppError::Validation(problems));
    }
    let account = get(db, staff.user_id).await?;
    if !auth.check_password(&account, current_password).await? {
        return Err(AppError::invalid(
            "currentPassword",
            "INCORRECT",
            "is not your current password",
        ));
    }
    let hash = auth.hash_password(new_password).await?;
    let actor = actor.clone();
    let entry = db
        .transaction::<_, _, AppError>(|txn| {
            Box::pin(async move {
                let id = account.id;
                let mut row: user::ActiveModel = account.into();
                row.password_hash = Set(hash);
                row.updated_at = Set(Utc::now());
                user::Entity::update(row).exec(txn).await?;
                revoke_where(txn, session::Column::UserId.eq(id)).await?;
                audit::record(
                    txn,
                    &actor,
                    AuditAction::PasswordChanged,
                    "USER",
                    Some(id.to_string()),
                    None,
                )
                .await
            })
        })
        .await?;
    bus.publish([entry]);
    Ok(())
}

fn is_self(actor: &Actor, id: Uuid) -> bool {
    matches!(actor, Actor::Staff(s) if s.user_id == id)
}

/// Whether any staff user exists (the first one is bootstrapped from the command line).
pub async fn any_exist(db: &DatabaseConnection) -> AppResult<bool> {
    Ok(user::Entity::find().one(db).await?.is_some())
}
