//! Who ordered and how to reach them: the customer's name, e-mail and phone. Phone numbers are
//! checked against the numbering plan of the country (libphonenumber's metadata) and kept in
//! E.164 form, so the same phone written two ways is one phone to risk checks and blocklists.

use orderly_shared::FieldProblem;
use phonenumber::country::Id as Region;

use super::fields::{join, required, required_text};
use crate::domain::auth::Email;

/// Longest customer name accepted.
pub const MAX_NAME_CHARS: usize = 100;
/// Longer input is refused before it reaches the phone parser.
const MAX_PHONE_CHARS: usize = 32;

/// The customer as the partner sent it (`CustomerInput`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerDraft {
    /// Required, at most [`MAX_NAME_CHARS`].
    pub name: String,
    /// Required; order messages go there.
    pub email: String,
    /// Optional; national numbers are read in the shipping country.
    pub phone: Option<String>,
}

/// A validated customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    /// Trimmed.
    pub name: String,
    /// Trimmed and lower-cased.
    pub email: Email,
    /// E.164, e.g. `+8613800138000`.
    pub phone: Option<String>,
}

/// Whether `raw` is in international form (`+…`), so it can be checked without a country.
pub(crate) fn is_international(raw: &str) -> bool {
    raw.trim_start().starts_with('+')
}

/// A phone number valid in its numbering plan, as E.164 (`+8613800138000`).
///
/// National numbers (`138 0013 8000`) are read in `country` (ISO 3166-1 alpha-2); international
/// ones (`+44 20 7946 0018`) are accepted whatever the country. Codes: `REQUIRED` when blank,
/// `INVALID_PHONE` otherwise.
pub fn validate_phone(path: &str, raw: &str, country: &str) -> Result<String, FieldProblem> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(required(path));
    }
    let chars = text.chars().count();
    if chars > MAX_PHONE_CHARS {
        return Err(FieldProblem::new(
            path,
            "INVALID_PHONE",
            format!("must be at most {MAX_PHONE_CHARS} characters (got {chars})"),
        ));
    }
    let region = country.trim().to_ascii_uppercase().parse::<Region>().ok();
    let invalid = || {
        let place = match region {
            Some(_) if !is_international(text) => {
                format!("in {}", country.trim().to_ascii_uppercase())
            }
            _ => "anywhere".to_string(),
        };
        FieldProblem::new(
            path,
            "INVALID_PHONE",
            format!("{text:?} is not a valid phone number {place}"),
        )
    };
    match phonenumber::parse(region, text) {
        Ok(number) if number.is_valid() => {
            Ok(number.format().mode(phonenumber::Mode::E164).to_string())
        }
        _ => Err(invalid()),
    }
}

/// Validates the customer at `prefix` (e.g. `customer`), pushing every problem.
///
/// `country` is the shipping country used to read a national phone number; pass `None` when
/// the country itself is invalid (that problem is reported on the address): a national number
/// then cannot be judged and the result is `None` without a phone problem.
pub fn validate_customer(
    prefix: &str,
    draft: &CustomerDraft,
    country: Option<&str>,
    problems: &mut Vec<FieldProblem>,
) -> Option<Customer> {
    let before = problems.len();
    let name = required_text(&join(prefix, "name"), &draft.name, MAX_NAME_CHARS, problems);
    let email_path = join(prefix, "email");
    let email = if draft.email.trim().is_empty() {
        problems.push(required(email_path));
        None
    } else {
        Email::parse(&draft.email)
            .map_err(|message| {
                problems.push(FieldProblem::new(email_path, "INVALID_EMAIL", message))
            })
            .ok()
    };
    let phone_path = join(prefix, "phone");
    let mut phone_unjudged = false;
    let phone = match draft
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(raw) => match country {
            Some(country) => validate_phone(&phone_path, raw, country)
                .map_err(|problem| problems.push(problem))
                .ok(),
            None if is_international(raw) => validate_phone(&phone_path, raw, "")
                .map_err(|problem| problems.push(problem))
                .ok(),
            None => {
                phone_unjudged = true;
                None
            }
        },
    };
    if problems.len() > before || phone_unjudged {
        return None;
    }
    Some(Customer {
        name: name?,
        email: email?,
        phone,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_numbers_become_e164_whichever_way_they_were_written() {
        #[rustfmt::skip]
        let table = [
            ("138 0013 8000", "CN", "+8613800138000"),
            ("+86 138-0013-8000", "CN", "+8613800138000"),
            ("(650) 253-0000", "US", "+16502530000"),
            ("+1 650 253 0000", "CN", "+16502530000"),
            ("020 7946 0018", "GB", "+442079460018"),
            ("030 123456", "DE", "+4930123456"),
            ("03-1234-5678", "jp", "+81312345678"),
        ];
        for (raw, country, expected) in table {
            assert_eq!(
                validate_phone("p", raw, country).as_deref(),
                Ok(expected),
                "{raw} in {country}"
            );
        }
    }

    #[test]
    fn invalid_numbers_are_refused_with_a_reason() {
        #[rustfmt::skip]
        let table = [
            ("12345", "CN", "INVALID_PHONE"),
            ("138 0013 800", "CN", "INVALID_PHONE"),
            ("555-0100", "US", "INVALID_PHONE"),
            ("not a phone", "GB", "INVALID_PHONE"),
            ("+999 1234 5678", "CN", "INVALID_PHONE"),
            ("+86 138 0013 8000 0000 0000 0000 0000", "CN", "INVALID_PHONE"),
            ("  ", "CN", "REQUIRED"),
        ];
        for (raw, country, code) in table {
            let problem = validate_phone("shippingAddress.phone", raw, country).unwrap_err();
            assert_eq!(
                (problem.path.as_str(), problem.code.as_str()),
                ("shippingAddress.phone", code),
                "{raw} in {country}"
            );
        }
        assert_eq!(
            validate_phone("p", "12345", "CN").unwrap_err().message,
            "\"12345\" is not a valid phone number in CN"
        );
    }

    fn customer(name: &str, email: &str, phone: Option<&str>) -> CustomerDraft {
        CustomerDraft {
            name: name.into(),
            email: email.into(),
            phone: phone.map(Into::into),
        }
    }

    #[test]
    fn a_valid_customer_is_trimmed_with_a_lower_case_email_and_e164_phone() {
        let mut problems = vec![];
        let c = validate_customer(
            "customer",
            &customer(" Li Lei ", " Li@Example.COM", Some("13800138000")),
            Some("CN"),
            &mut problems,
        )
        .unwrap();
        assert!(problems.is_empty());
        assert_eq!(c.name, "Li Lei");
        assert_eq!(c.email.as_str(), "li@example.com");
        assert_eq!(c.phone.as_deref(), Some("+8613800138000"));
        let no_phone = validate_customer(
            "customer",
            &customer("A", "a@b.cn", Some(" ")),
            Some("CN"),
            &mut problems,
        );
        assert_eq!(no_phone.unwrap().phone, None);
    }

    #[test]
    fn every_customer_problem_is_reported_with_its_path() {
        let mut problems = vec![];
        let long_name = "x".repeat(101);
        let result = validate_customer(
            "customer",
            &customer(&long_name, "nope", Some("123")),
            Some("CN"),
            &mut problems,
        );
        assert!(result.is_none());
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("customer.name", "TOO_LONG"),
                ("customer.email", "INVALID_EMAIL"),
                ("customer.phone", "INVALID_PHONE"),
            ]
        );
        assert_eq!(
            problems[0].message,
            "must be at most 100 characters (got 101)"
        );
        problems.clear();
        validate_customer(
            "customer",
            &customer(" ", "", None),
            Some("CN"),
            &mut problems,
        );
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("customer.name", "REQUIRED"),
                ("customer.email", "REQUIRED")
            ]
        );
    }

    #[test]
    fn without_a_known_country_only_international_numbers_are_judged() {
        let mut problems = vec![];
        let national = customer("A", "a@b.cn", Some("13800138000"));
        assert!(validate_customer("customer", &national, None, &mut problems).is_none());
        assert!(problems.is_empty());
        let international = customer("A", "a@b.cn", Some("+86 13800138000"));
        let c = validate_customer("customer", &international, None, &mut problems).unwrap();
        assert_eq!(c.phone.as_deref(), Some("+8613800138000"));
        let bad = customer("A", "a@b.cn", Some("+86 1"));
        assert!(validate_customer("customer", &bad, None, &mut problems).is_none());
        assert_eq!(problems[0].code, "INVALID_PHONE");
    }
}
