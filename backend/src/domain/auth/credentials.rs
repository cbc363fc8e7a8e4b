//! What a valid staff account looks like: a normalized e-mail, a long-enough password, at least
//! one role. Every problem is reported at once, with the input path it belongs to.

use orderly_shared::{FieldProblem, Role};

/// Passwords shorter than this are refused (NIST SP 800-63B favours length over composition).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longer passwords are refused so hashing cost stays bounded.
pub const MAX_PASSWORD_CHARS: usize = 128;

/// An e-mail address, trimmed and lower-cased, so sign-in is case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` shapes; deliberately not the full RFC 5322 grammar.
    pub fn parse(raw: &str) -> Result<Email, &'static str> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("is required");
        }
        if s.len() > 254 {
            return Err("must be at most 254 characters");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err("must look like name@example.com");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.chars().any(|c| c.is_whitespace() || c == '@');
        if domain_ok && local_ok {
            Ok(Email(s))
        } else {
            Err("must look like name@example.com")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Problems with a proposed password, at `path`.
pub fn validate_password(path: &str, password: &str) -> Vec<FieldProblem> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        vec![FieldProblem::new(
            path,
            "TOO_SHORT",
            format!("must be at least {MIN_PASSWORD_CHARS} characters (got {chars})"),
        )]
    } else if chars > MAX_PASSWORD_CHARS {
        vec![FieldProblem::new(
            path,
            "TOO_LONG",
            format!("must be at most {MAX_PASSWORD_CHARS} characters (got {chars})"),
        )]
    } else {
        vec![]
    }
}

/// A staff account that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: Email,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub warehouse_codes: Vec<String>,
}

/// Validates a new account; `password` is checked but not kept.
pub fn validate_new_user(
    email: &str,
    display_name: &str,
    password: &str,
    roles: &[Role],
    warehouse_codes: &[String],
) -> Result<NewUser, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let email = Email::parse(email)
        .map_err(|msg| problems.push(FieldProblem::new("email", "INVALID_EMAIL", msg)))
        .ok();
    let name = display_name.trim();
    if name.is_empty() {
        problems.push(FieldProblem::new("displayName", "REQUIRED", "is required"));
    } else if name.chars().count() > 100 {
        problems.push(FieldProblem::new(
            "displayName",
            "TOO_LONG",
            "must be at most 100 characters",
        ));
    }
    problems.extend(validate_password("password", password));
    if roles.is_empty() {
        problems.push(FieldProblem::new(
            "roles",
            "REQUIRED",
            "give the user at least one role",
        ));
    }
    let mut codes: Vec<String> = warehouse_codes
        .iter()
        .map(|c| c.trim().to_uppercase())
        .collect();
    for (i, code) in codes.iter().enumerate() {
        if code.is_empty() || code.len() > 32 {
            problems.push(FieldProblem::new(
                format!("warehouseCodes[{i}]"),
                "INVALID_CODE",
                "must be 1 to 32 characters",
            ));
        }
    }
    if !codes.is_empty() && !roles.contains(&Role::Warehouse) {
        problems.push(FieldProblem::new(
            "warehouseCodes",
            "NOT_APPLICABLE",
            "warehouse scope applies only to users with the WAREHOUSE role",
        ));
    }
    match email {
        Some(email) if problems.is_empty() => {
            let mut roles = roles.to_vec();
            roles.sort();
            roles.dedup();
            codes.sort();
            codes.dedup();
            Ok(NewUser {
                email,
                display_name: name.to_string(),
                roles,
                warehouse_codes: codes,
            })
        }
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized_so_sign_in_ignores_case_and_spaces() {
        assert_eq!(
            Email::parse("  Ann@Example.COM ").unwrap().as_str(),
            "ann@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
            "ann@exa..mple.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn every_problem_of_a_new_user_is_reported_at_once_with_its_path() {
        let problems = validate_new_user("nope", " ", "short", &[], &["".into()]).unwrap_err();
        let paths: Vec<_> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            paths,
            vec![
                ("email", "INVALID_EMAIL"),
                ("displayName", "REQUIRED"),
                ("password", "TOO_SHORT"),
                ("roles", "REQUIRED"),
                ("warehouseCodes[0]", "INVALID_CODE"),
                ("warehouseCodes", "NOT_APPLICABLE"),
            ]
        );
        assert!(
            problems[2]
                .message
                .contains("at least 12 characters (got 5)")
        );
    }

    #[test]
    fn a_valid_user_gets_sorted_unique_roles_and_upper_case_warehouse_codes() {
        let user = validate_new_user(
            "w@example.com",
            "Wu",
            "twelve chars!",
            &[Role::Warehouse, Role::Admin, Role::Warehouse],
            &["sh1".into(), "SH1".into()],
        )
        .unwrap();
        assert_eq!(user.roles, vec![Role::Admin, Role::Warehouse]);
        assert_eq!(user.warehouse_codes, vec!["SH1".to_string()]);
    }

    #[test]
    fn passwords_are_counted_in_characters_not_bytes() {
        assert!(validate_password("p", "密码密码密码密码密码密码").is_empty());
        assert_eq!(validate_password("p", "密码密码密码").len(), 1);
    }
}
