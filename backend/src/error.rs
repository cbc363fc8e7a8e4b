//! The one error type of the application layer, and how it reaches clients.
//!
//! Policy: every error a client sees carries an [`ErrorCode`] in `extensions.code`. Validation
//! errors list every field problem at once. Internal errors are logged once, with the request's
//! span (and so its request id), and reach the client only as "internal error".

use async_graphql::ErrorExtensions;
use orderly_shared::{ErrorCode, FieldProblem};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("the input is invalid: {}", summarize(.0))]
    Validation(Vec<FieldProblem>),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    /// The state machine refused the command (the message says what and why).
    #[error("{0}")]
    InvalidTransition(String),
    #[error("{0}")]
    RateLimited(String),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

fn summarize(problems: &[FieldProblem]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::Validation(_) => ErrorCode::Validation,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::InvalidTransition(_) => ErrorCode::InvalidTransition,
            AppError::RateLimited(_) => ErrorCode::RateLimited,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        AppError::Internal(Box::new(err))
    }

    /// One field problem as a validation error.
    pub fn invalid(path: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldProblem::new(path, code, message)])
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::internal(err)
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        if let AppError::Internal(source) = self {
            tracing::error!(error = %source, "internal error");
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code().as_str());
            if let AppError::Validation(problems) = self {
                let fields: Vec<async_graphql::Value> = problems
                    .iter()
                    .map(|p| {
                        let mut m = async_graphql::indexmap::IndexMap::new();
                        m.insert(async_graphql::Name::new("path"), p.path.clone().into());
                        m.insert(async_graphql::Name::new("code"), p.code.clone().into());
                        m.insert(
                            async_graphql::Name::new("message"),
                            p.message.clone().into(),
                        );
                        async_graphql::Value::Object(m)
                    })
                    .collect();
                ext.set("fields", async_graphql::Value::List(fields));
            }
        })
    }
}
