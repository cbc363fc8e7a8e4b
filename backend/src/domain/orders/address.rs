//! Shipping addresses: what a carrier needs to deliver, checked per country (required parts,
//! postal-code shape, region codes) and normalized so that one address is spelt one way for
//! labels, risk checks ("many orders to one address") and deduplication.

use orderly_shared::FieldProblem;

use super::contact::{is_international, validate_phone};
use super::fields::{join, optional_text, required, required_text};

/// Longest recipient, region, city or district accepted.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest address line accepted.
pub const MAX_LINE_CHARS: usize = 200;

/// Every ISO 3166-1 alpha-2 country code (249), sorted for binary search.
const COUNTRIES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// USPS codes: the 50 states, DC, the territories, the freely associated states and the armed
/// forces' "states", sorted for binary search.
const US_REGIONS: &[&str] = &[
    "AA", "AE", "AK", "AL", "AP", "AR", "AS", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "FM", "GA",
    "GU", "HI", "IA", "ID", "IL", "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MH", "MI", "MN", "MO",
    "MP", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "PR",
    "PW", "RI", "SC", "SD", "TN", "TX", "UM", "UT", "VA", "VI", "VT", "WA", "WI", "WV", "WY",
];

/// Whether `code` is an ISO 3166-1 alpha-2 country code (upper-case).
pub fn is_country_code(code: &str) -> bool {
    COUNTRIES.binary_search(&code).is_ok()
}

/// An address as the partner sent it (`AddressInput`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressDraft {
    /// Who receives the parcel.
    pub recipient: String,
    /// The recipient's phone, for the carrier; national numbers are read in `country`.
    pub phone: String,
    /// ISO 3166-1 alpha-2, any case.
    pub country: String,
    /// Province (CN), state (US: USPS code), county…
    pub region: String,
    /// City.
    pub city: String,
    /// District (区/县 in CN).
    pub district: Option<String>,
    /// Street and number.
    pub line1: String,
    /// Building, floor, unit.
    pub line2: Option<String>,
    /// Postal code; required in CN, US, GB and DE.
    pub postal_code: Option<String>,
}

/// A validated, normalized address: trimmed, upper-case country, canonical postal code, phone in
/// E.164, blank optional parts as `None`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Who receives the parcel.
    pub recipient: String,
    /// E.164.
    pub phone: String,
    /// ISO 3166-1 alpha-2, upper-case.
    pub country: String,
    /// Province or state (USPS code upper-case for the US).
    pub region: Option<String>,
    /// City.
    pub city: String,
    /// District.
    pub district: Option<String>,
    /// Street and number.
    pub line1: String,
    /// Building, floor, unit.
    pub line2: Option<String>,
    /// Canonical for the country, e.g. `SW1A 1AA`, `12345-6789`.
    pub postal_code: Option<String>,
}

/// Validates `draft` at `prefix` (e.g. `shippingAddress`), pushing every problem; the address
/// only when there were none.
///
/// Codes: `REQUIRED`, `TOO_LONG`, `INVALID_COUNTRY`, `INVALID_REGION`, `INVALID_POSTAL_CODE`,
/// `INVALID_PHONE`.
pub fn validate_address(
    prefix: &str,
    draft: &AddressDraft,
    problems: &mut Vec<FieldProblem>,
) -> Option<Address> {
    let before = problems.len();
    let path = |field: &str| join(prefix, field);

    let recipient = required_text(
        &path("recipient"),
        &draft.recipient,
        MAX_NAME_CHARS,
        problems,
    );

    let country_text = draft.country.trim().to_ascii_uppercase();
    let country = if country_text.is_empty() {
        problems.push(required(path("country")));
        None
    } else if is_country_code(&country_text) {
        Some(country_text)
    } else {
        problems.push(FieldProblem::new(
            path("country"),
            "INVALID_COUNTRY",
            format!(
                "{:?} is not an ISO 3166-1 alpha-2 country code such as CN, US or GB",
                draft.country.trim()
            ),
        ));
        None
    };

    let phone_path = path("phone");
    let phone = match &country {
        Some(country) => validate_phone(&phone_path, &draft.phone, country)
            .map_err(|problem| problems.push(problem))
            .ok(),
        // Without a country a national number cannot be judged; the country problem says why.
        None if is_international(&draft.phone) => validate_phone(&phone_path, &draft.phone, "")
            .map_err(|problem| problems.push(problem))
            .ok(),
        None if draft.phone.trim().is_empty() => {
            problems.push(required(phone_path));
            None
        }
        None => None,
    };

    let region = region(&path("region"), country.as_deref(), &draft.region, problems);
    let city = required_text(&path("city"), &draft.city, MAX_NAME_CHARS, problems);
    let district = optional_text(
        &path("district"),
        draft.district.as_deref(),
        MAX_NAME_CHARS,
        problems,
    );
    let line1 = required_text(&path("line1"), &draft.line1, MAX_LINE_CHARS, problems);
    let line2 = optional_text(
        &path("line2"),
        draft.line2.as_deref(),
        MAX_LINE_CHARS,
        problems,
    );
    let postal_code = country.as_deref().and_then(|country| {
        postal_code(
            &path("postalCode"),
            country,
            draft.postal_code.as_deref(),
            problems,
        )
    });

    if problems.len() > before {
        return None;
    }
    Some(Address {
        recipient: recipient?,
        phone: phone?,
        country: country?,
        region,
        city: city?,
        district,
        line1: line1?,
        line2,
        postal_code,
    })
}

/// The region, required in CN and the US (where it is a USPS code).
fn region(
    path: &str,
    country: Option<&str>,
    raw: &str,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    match country {
        Some("US") => {
            let code = raw.trim().to_ascii_uppercase();
            if code.is_empty() {
                problems.push(required(path));
                None
            } else if US_REGIONS.binary_search(&code.as_str()).is_ok() {
                Some(code)
            } else {
                problems.push(FieldProblem::new(
                    path,
                    "INVALID_REGION",
                    format!(
                        "{:?} is not a USPS state code such as CA, NY or DC",
                        raw.trim()
                    ),
                ));
                None
            }
        }
        Some("CN") => required_text(path, raw, MAX_NAME_CHARS, problems),
        _ => optional_text(path, Some(raw), MAX_NAME_CHARS, problems),
    }
}

/// The canonical postal code for `country`: required and shaped in CN, US, GB and DE, optional
/// (2–12 letters, digits, spaces or hyphens) elsewhere.
fn postal_code(
    path: &str,
    country: &str,
    raw: Option<&str>,
    problems: &mut Vec<FieldProblem>,
) -> Option<String> {
    let text = raw.map(str::trim).unwrap_or_default();
    let required_here = matches!(country, "CN" | "US" | "GB" | "DE");
    if text.is_empty() {
        if required_here {
            problems.push(required(path));
        }
        return None;
    }
    let (canonical, shape) = match country {
        "CN" => (digits(text, 6), "6 digits, e.g. 100000"),
        "DE" => (digits(text, 5), "5 digits, e.g. 10115"),
        "US" => (us_zip(text), "12345 or 12345-6789"),
        "GB" => (uk_postcode(text), "a UK postcode, e.g. SW1A 1AA"),
        _ => (
            generic_postal_code(text),
            "2 to 12 letters, digits, spaces or hyphens",
        ),
    };
    if canonical.is_none() {
        problems.push(FieldProblem::new(
            path,
            "INVALID_POSTAL_CODE",
            format!("{text:?} is not a postal code for {country} (expected {shape})"),
        ));
    }
    canonical
}

fn digits(text: &str, count: usize) -> Option<String> {
    (text.len() == count && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_string())
}

fn us_zip(text: &str) -> Option<String> {
    match text.split_once('-') {
        None => digits(text, 5),
        Some((zip, plus4)) => {
            digits(zip, 5)?;
            digits(plus4, 4)?;
            Some(text.to_string())
        }
    }
}

/// Outward code (area letters, district digit, optional digit or letter) and inward code (sector
/// digit, two unit letters), in any case and spacing; canonical: upper-case, one space.
fn uk_postcode(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if compact == "GIR0AA" {
        return Some("GIR 0AA".to_string());
    }
    if !compact.is_ascii() || !(5..=7).contains(&compact.len()) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_bytes = inward.as_bytes();
    // Royal Mail never uses C I K M O V in the unit.
    let unit_letter = |b: u8| b.is_ascii_uppercase() && !b"CIKMOV".contains(&b);
    let inward_ok = inward_bytes[0].is_ascii_digit()
        && unit_letter(inward_bytes[1])
        && unit_letter(inward_bytes[2]);
    // A = letter, 9 = digit: A9, A99, AA9, AA99, A9A, AA9A.
    let shape: String = outward
        .bytes()
        .map(|b| if b.is_ascii_digit() { '9' } else { 'A' })
        .collect();
    let outward_ok = matches!(
        shape.as_str(),
        "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
    ) && !matches!(outward.as_bytes()[0], b'Q' | b'V' | b'X');
    (inward_ok && outward_ok).then(|| format!("{outward} {inward}"))
}

fn generic_postal_code(text: &str) -> Option<String> {
    let collapsed = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    let chars = collapsed.chars().count();
    let allowed = collapsed
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    let has_alnum = collapsed.chars().any(|c| c.is_ascii_alphanumeric());
    ((2..=12).contains(&chars) && allowed && has_alnum).then_some(collapsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cn() -> AddressDraft {
        AddressDraft {
            recipient: " 李雷 ".into(),
            phone: "138 0013 8000".into(),
            country: "cn".into(),
            region: "北京市".into(),
            city: "北京".into(),
            district: Some("朝阳区".into()),
            line1: "建国路 88 号".into(),
            line2: Some("  ".into()),
            postal_code: Some("100022".into()),
        }
    }

    fn with(country: &str, region: &str, postal: Option<&str>, phone: &str) -> AddressDraft {
        AddressDraft {
            country: country.into(),
            region: region.into(),
            postal_code: postal.map(Into::into),
            phone: phone.into(),
            ..cn()
        }
    }

    fn problems_of(draft: &AddressDraft) -> Vec<(String, String)> {
        let mut problems = vec![];
        let result = validate_address("shippingAddress", draft, &mut problems);
        assert_eq!(result.is_some(), problems.is_empty());
        problems.into_iter().map(|p| (p.path, p.code)).collect()
    }

    fn ok(draft: &AddressDraft) -> Address {
        let mut problems = vec![];
        let address = validate_address("shippingAddress", draft, &mut problems);
        assert_eq!(problems, vec![], "{draft:?}");
        address.unwrap()
    }

    #[test]
    fn the_country_list_is_complete_and_sorted() {
        assert_eq!(COUNTRIES.len(), 249);
        assert!(COUNTRIES.windows(2).all(|w| w[0] < w[1]));
        assert!(US_REGIONS.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(US_REGIONS.len(), 50 + 1 + 6 + 3 + 3);
        for code in [
            "CN", "US", "GB", "DE", "JP", "FR", "HK", "TW", "SG", "AU", "BR", "ZA",
        ] {
            assert!(is_country_code(code), "{code}");
        }
        for code in ["", "UK", "EU", "XK", "cn", "CHN"] {
            assert!(!is_country_code(code), "{code}");
        }
    }

    #[test]
    fn a_chinese_address_is_trimmed_and_normalized() {
        let address = ok(&cn());
        assert_eq!(
            address,
            Address {
                recipient: "李雷".into(),
                phone: "+8613800138000".into(),
                country: "CN".into(),
                region: Some("北京市".into()),
                city: "北京".into(),
                district: Some("朝阳区".into()),
                line1: "建国路 88 号".into(),
                line2: None,
                postal_code: Some("100022".into()),
            }
        );
    }

    #[test]
    fn uk_postcodes_of_every_shape_are_accepted_and_canonicalized() {
        #[rustfmt::skip]
        let table = [
            ("SW1A 1AA", "SW1A 1AA"),
            ("sw1a1aa", "SW1A 1AA"),
            ("M1 1AE", "M1 1AE"),
            ("B33 8TH", "B33 8TH"),
            ("cr2  6xh", "CR2 6XH"),
            ("DN55 1PT", "DN55 1PT"),
            ("EC1A 1BB", "EC1A 1BB"),
            ("W1A 0AX", "W1A 0AX"),
            ("gir 0aa", "GIR 0AA"),
        ];
        for (raw, canonical) in table {
            let address = ok(&with("GB", "", Some(raw), "020 7946 0018"));
            assert_eq!(address.postal_code.as_deref(), Some(canonical), "{raw}");
            assert_eq!(address.region, None);
        }
    }

    #[test]
    fn malformed_uk_postcodes_are_refused() {
        for raw in [
            "SW1A", "1AA SW1", "SW1A 1A", "SW1A 1CI", "QA1 1AA", "ABC1 1AA", "SW1A1AAA", "M1 AAE",
            "£1 1AA",
        ] {
            assert_eq!(
                problems_of(&with("GB", "", Some(raw), "020 7946 0018")),
                vec![(
                    "shippingAddress.postalCode".into(),
                    "INVALID_POSTAL_CODE".into()
                )],
                "{raw}"
            );
        }
    }

    /// (country, region, postal code, phone, the canonical postal code or the problem code)
    type PostalCase = (
        &'static str,
        &'static str,
        Option<&'static str>,
        &'static str,
        Result<Option<&'static str>, &'static str>,
    );

    #[test]
    fn postal_codes_follow_the_country_s_shape() {
        #[rustfmt::skip]
        let table: &[PostalCase] = &[
            ("CN", "上海市", Some("200000"), "13800138000", Ok(Some("200000"))),
            ("CN", "上海市", Some("20000"), "13800138000", Err("INVALID_POSTAL_CODE")),
            ("CN", "上海市", Some("2000001"), "13800138000", Err("INVALID_POSTAL_CODE")),
            ("CN", "上海市", Some("20000A"), "13800138000", Err("INVALID_POSTAL_CODE")),
            ("CN", "上海市", None, "13800138000", Err("REQUIRED")),
            ("US", "ca", Some("94043"), "650 253 0000", Ok(Some("94043"))),
            ("US", "CA", Some("94043-1351"), "650 253 0000", Ok(Some("94043-1351"))),
            ("US", "CA", Some("9404"), "650 253 0000", Err("INVALID_POSTAL_CODE")),
            ("US", "CA", Some("94043-13"), "650 253 0000", Err("INVALID_POSTAL_CODE")),
            ("US", "CA", Some("94043 1351"), "650 253 0000", Err("INVALID_POSTAL_CODE")),
            ("US", "CA", Some(""), "650 253 0000", Err("REQUIRED")),
            ("DE", "", Some("10115"), "030 123456", Ok(Some("10115"))),
            ("DE", "", Some("1011"), "030 123456", Err("INVALID_POSTAL_CODE")),
            ("DE", "", None, "030 123456", Err("REQUIRED")),
            ("GB", "", None, "020 7946 0018", Err("REQUIRED")),
            ("FR", "", None, "01 23 45 67 89", Ok(None)),
            ("FR", "", Some("75001"), "01 23 45 67 89", Ok(Some("75001"))),
            ("CA", "ON", Some("k1a  0b1"), "613 555 0123", Ok(Some("K1A 0B1"))),
            ("JP", "東京都", Some("100-0001"), "03-1234-5678", Ok(Some("100-0001"))),
            ("JP", "東京都", Some("1"), "03-1234-5678", Err("INVALID_POSTAL_CODE")),
            ("JP", "東京都", Some("1234567890123"), "03-1234-5678", Err("INVALID_POSTAL_CODE")),
            ("JP", "東京都", Some("100_0001"), "03-1234-5678", Err("INVALID_POSTAL_CODE")),
            ("JP", "東京都", Some("--"), "03-1234-5678", Err("INVALID_POSTAL_CODE")),
        ];
        for (country, region, postal, phone, expected) in table {
            let draft = with(country, region, *postal, phone);
            match expected {
                Ok(canonical) => {
                    assert_eq!(ok(&draft).postal_code.as_deref(), *canonical, "{draft:?}");
                }
                Err(code) => assert_eq!(
                    problems_of(&draft),
                    vec![("shippingAddress.postalCode".to_string(), code.to_string())],
                    "{draft:?}"
                ),
            }
        }
    }

    #[test]
    fn regions_are_required_in_china_and_usps_codes_in_the_us() {
        #[rustfmt::skip]
        let table = [
            (with("CN", " ", Some("100022"), "13800138000"), "REQUIRED"),
            (with("US", "", Some("94043"), "650 253 0000"), "REQUIRED"),
            (with("US", "California", Some("94043"), "650 253 0000"), "INVALID_REGION"),
            (with("US", "XX", Some("94043"), "650 253 0000"), "INVALID_REGION"),
        ];
        for (draft, code) in table {
            assert_eq!(
                problems_of(&draft),
                vec![("shippingAddress.region".to_string(), code.to_string())],
                "{draft:?}"
            );
        }
        assert_eq!(
            ok(&with("US", " dc ", Some("20500"), "202 456 1111"))
                .region
                .as_deref(),
            Some("DC")
        );
        assert_eq!(
            ok(&with("US", "PR", Some("00901"), "787 555 0100"))
                .region
                .as_deref(),
            Some("PR")
        );
        assert_eq!(
            ok(&with("GB", "", Some("SW1A 1AA"), "020 7946 0018")).region,
            None
        );
    }

    #[test]
    fn every_address_problem_is_reported_at_once_in_field_order() {
        let draft = AddressDraft {
            recipient: "".into(),
            phone: "123".into(),
            country: "US".into(),
            region: "Nowhere".into(),
            city: "c".repeat(101),
            district: Some("d".repeat(101)),
            line1: " ".into(),
            line2: Some("l".repeat(201)),
            postal_code: Some("ABCDE".into()),
        };
        let mut problems = vec![];
        assert!(validate_address("shippingAddress", &draft, &mut problems).is_none());
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("shippingAddress.recipient", "REQUIRED"),
                ("shippingAddress.phone", "INVALID_PHONE"),
                ("shippingAddress.region", "INVALID_REGION"),
                ("shippingAddress.city", "TOO_LONG"),
                ("shippingAddress.district", "TOO_LONG"),
                ("shippingAddress.line1", "REQUIRED"),
                ("shippingAddress.line2", "TOO_LONG"),
                ("shippingAddress.postalCode", "INVALID_POSTAL_CODE"),
            ]
        );
        assert_eq!(
            problems[3].message,
            "must be at most 100 characters (got 101)"
        );
        assert_eq!(
            problems[7].message,
            "\"ABCDE\" is not a postal code for US (expected 12345 or 12345-6789)"
        );
    }

    #[test]
    fn an_unknown_country_is_reported_without_guessing_at_the_rest() {
        assert_eq!(
            problems_of(&with("ZZ", "", Some("??"), "13800138000")),
            vec![(
                "shippingAddress.country".to_string(),
                "INVALID_COUNTRY".to_string()
            )]
        );
        assert_eq!(
            problems_of(&with("", "", None, "+86 1")),
            vec![
                (
                    "shippingAddress.country".to_string(),
                    "REQUIRED".to_string()
                ),
                (
                    "shippingAddress.phone".to_string(),
                    "INVALID_PHONE".to_string()
                ),
            ]
        );
    }

    #[test]
    fn paths_work_without_a_prefix() {
        let mut problems = vec![];
        validate_address(
            "",
            &with("CN", "", Some("100022"), "13800138000"),
            &mut problems,
        );
        assert_eq!(problems[0].path, "region");
    }
}
