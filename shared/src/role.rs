//! Staff roles (SPEC §1). A user may hold several.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A staff role. The set is fixed by the public contract (API.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[cfg_attr(feature = "db", derive(sea_orm::EnumIter, sea_orm::DeriveActiveEnum))]
#[cfg_attr(
    feature = "db",
    sea_orm(
        rs_type = "String",
        db_type = "String(sea_orm::sea_query::StringLen::N(32))"
    )
)]
pub enum Role {
    /// Merchant owner / IT: everything, including users, API keys and settings.
    #[cfg_attr(feature = "db", sea_orm(string_value = "ADMIN"))]
    Admin,
    /// Customer-service agents.
    #[cfg_attr(feature = "db", sea_orm(string_value = "CUSTOMER_SERVICE"))]
    CustomerService,
    /// Order review and risk.
    #[cfg_attr(feature = "db", sea_orm(string_value = "REVIEWER"))]
    Reviewer,
    /// Warehouse managers and staff.
    #[cfg_attr(feature = "db", sea_orm(string_value = "WAREHOUSE"))]
    Warehouse,
    /// Finance: payments, refunds, reconciliation.
    #[cfg_attr(feature = "db", sea_orm(string_value = "FINANCE"))]
    Finance,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::CustomerService,
        Role::Reviewer,
        Role::Warehouse,
        Role::Finance,
    ];

    /// The contract's spelling, e.g. `CUSTOMER_SERVICE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::CustomerService => "CUSTOMER_SERVICE",
            Role::Reviewer => "REVIEWER",
            Role::Warehouse => "WAREHOUSE",
            Role::Finance => "FINANCE",
        }
    }

    /// How the console names the role to a person.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::CustomerService => "Customer service",
            Role::Reviewer => "Reviewer",
            Role::Warehouse => "Warehouse",
            Role::Finance => "Finance",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text was not one of the role names of the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown role `{}` (expected one of ADMIN, CUSTOMER_SERVICE, REVIEWER, WAREHOUSE, FINANCE)",
            self.0
        )
    }
}

impl std::error::Error for UnknownRole {}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownRole(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name_and_serde() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
    }

    #[test]
    fn parsing_is_case_insensitive_but_rejects_unknown_names() {
        assert_eq!("finance".parse::<Role>(), Ok(Role::Finance));
        let err = "OWNER".parse::<Role>().unwrap_err();
        assert!(err.to_string().contains("unknown role `OWNER`"));
    }
}
