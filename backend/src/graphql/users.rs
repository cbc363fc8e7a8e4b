//! Staff users: the `User` type, listing, and the ADMIN's user management.

use super::connection::{Conn, connection};
use super::guard::Require;
use super::{Loaders, actor, parse_id, state};
use crate::db::entity::user;
use crate::error::AppError;
use crate::service::page::PageRequest;
use crate::service::users::{self, CreateUser};
use async_graphql::{Context, ErrorExtensions, ID, InputObject, Object, ResultExt};
use chrono::{DateTime, Utc};
use orderly_shared::{Operation, Role};

/// A staff member of the merchant.
pub struct User(pub user::Model);

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// Sign-in e-mail, lower-case.
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }
    /// The roles the user holds; their permissions are the union.
    async fn roles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Role>> {
        let loaders = ctx.data::<Loaders>()?;
        let roles = loaders
            .roles
            .load_one(self.0.id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?;
        Ok(roles.unwrap_or_default())
    }
    /// Warehouses a WAREHOUSE user works in; empty means every warehouse.
    async fn warehouse_codes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        let loaders = ctx.data::<Loaders>()?;
        let codes = loaders
            .warehouse_codes
            .load_one(self.0.id)
            .await
            .map_err(|e| AppError::Internal(e.to_string().into()).extend())?;
        Ok(codes.unwrap_or_default())
    }
    /// Deactivated users cannot sign in, and their sessions have ended.
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    pub display_name: String,
    /// At least 12 characters.
    pub password: String,
    pub roles: Vec<Role>,
    /// Limit a WAREHOUSE user to these warehouses.
    pub warehouse_codes: Option<Vec<String>>,
}

#[derive(Default)]
pub struct UsersQuery;

#[Object]
impl UsersQuery {
    /// Every staff user, oldest first.
    #[graphql(guard = "Require(Operation::ReadUsers)")]
    async fn users(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<User>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = users::list(&state(ctx).db, page).await.extend()?;
        Ok(connection(rows, page.after.is_some(), |u| u.id, User))
    }

    #[graphql(guard = "Require(Operation::ReadUsers)")]
    async fn user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<User>> {
        let id = parse_id("id", &id)?;
        Ok(users::find(&state(ctx).db, id).await.extend()?.map(User))
    }
}

#[derive(Default)]
pub struct UsersMutation;

#[Object]
impl UsersMutation {
    /// Creates a staff user who can sign in at once.
    #[graphql(guard = "Require(Operation::CreateUser)")]
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: CreateUserInput,
    ) -> async_graphql::Result<User> {
        let s = state(ctx);
        let input = CreateUser {
            email: input.email,
            display_name: input.display_name,
            password: input.password,
            roles: input.roles,
            warehouse_codes: input.warehouse_codes.unwrap_or_default(),
        };
        Ok(User(
            users::create(&s.db, &s.auth, &s.bus, actor(ctx)?, input)
                .await
                .extend()?,
        ))
    }

    /// Replaces the user's roles; takes effect on their next request.
    #[graphql(guard = "Require(Operation::SetUserRoles)")]
    async fn set_user_roles(
        &self,
        ctx: &Context<'_>,
        id: ID,
        roles: Vec<Role>,
    ) -> async_graphql::Result<User> {
        let s = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(User(
            users::set_roles(&s.db, &s.bus, actor(ctx)?, id, roles)
                .await
                .extend()?,
        ))
    }

    /// Ends every session of the user at once; they can no longer sign in.
    #[graphql(guard = "Require(Operation::SetUserActive)")]
    async fn deactivate_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<User> {
        let s = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(User(
            users::set_active(&s.db, &s.bus, actor(ctx)?, id, false)
                .await
                .extend()?,
        ))
    }

    #[graphql(guard = "Require(Operation::SetUserActive)")]
    async fn reactivate_user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<User> {
        let s = state(ctx);
        let id = parse_id("id", &id)?;
        Ok(User(
            users::set_active(&s.db, &s.bus, actor(ctx)?, id, true)
                .await
                .extend()?,
        ))
    }
}
