//! Address verification (SPEC §2.2): addresses in remote areas, and addresses that passed
//! intake's format checks but still look made up or incomplete, are held for customer service to
//! confirm with the customer, typically by phone.
//!
//! Intake already refused what is malformed (missing parts, wrong postal code shape); these
//! checks look for what is well-formed but suspicious, and every hold says exactly what.

use orderly_shared::HoldReasonCode;
use serde::{Deserialize, Serialize};

use super::normalize::{fold, is_separator};
use crate::domain::orders::{Address, HoldReason};

/// Words that stand for "I did not want to type an address". Matched as whole words (or a whole
/// line), so "Testerstraße" is fine and "test" is not; runs of `x` (`xxx`, `xxxx`) count too.
const PLACEHOLDERS: &[&str] = &["test", "asdf", "xxx", "n/a", "unknown", "测试", "不详"];

/// Chinese marks of a house, building, floor or room number (号 no., 栋/幢/座 building, 楼 floor,
/// 室 room), which count as a number when a Chinese numeral precedes them (八十八号).
const CJK_NUMBER_MARKS: &[char] = &['号', '號', '栋', '棟', '幢', '座', '楼', '樓', '室'];

/// Chinese numerals, as written in addresses.
const CJK_NUMERALS: &[char] = &[
    '〇', '零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '两', '兩',
    '廿',
];

/// Fewest characters (white space not counted) a first address line can have.
const MIN_LINE1_CHARS: usize = 5;

/// Fewest characters for a line of one repeated character to count as junk: "11" may be a
/// flat number, "aaa" is not an address.
const MIN_REPEATED_CHARS: usize = 3;

/// Where the merchant's carriers need a delivery confirmed before shipping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressPolicy {
    /// Areas whose orders are held with [`HoldReasonCode::RemoteArea`].
    pub remote_areas: Vec<RemoteArea>,
}

/// A remote or flagged area: a country, optionally narrowed to a region and a postal-code prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemoteArea {
    /// ISO 3166-1 alpha-2, any case.
    pub country: String,
    /// Matched case-insensitively against the whole region, e.g. `新疆维吾尔自治区` or `AK`.
    pub region: Option<String>,
    /// Matched against the start of the postal code, ignoring case and spaces, e.g. `83`.
    pub postal_prefix: Option<String>,
    /// How the hold names the area, e.g. `Xinjiang (CN-XJ)`.
    pub label: String,
}

/// Validates and normalizes remote areas as a reviewer enters them (paths `areas[i].field`):
/// a real country code, a label; blank region and prefix mean "the whole country".
pub fn validate_remote_areas(
    areas: Vec<RemoteArea>,
) -> Result<AddressPolicy, Vec<orderly_shared::FieldProblem>> {
    use orderly_shared::FieldProblem;
    let mut problems = Vec::new();
    let blank_to_none =
        |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let mut remote_areas = Vec::new();
    for (i, a) in areas.into_iter().enumerate() {
        let country = a.country.trim().to_ascii_uppercase();
        if !crate::domain::orders::is_country_code(&country) {
            problems.push(FieldProblem::new(
                format!("areas[{i}].country"),
                "INVALID_COUNTRY",
                "must be an ISO 3166-1 alpha-2 code",
            ));
        }
        if a.label.trim().is_empty() {
            problems.push(FieldProblem::new(
                format!("areas[{i}].label"),
                "REQUIRED",
                "name the area",
            ));
        }
        remote_areas.push(RemoteArea {
            country,
            region: blank_to_none(a.region),
            postal_prefix: blank_to_none(a.postal_prefix),
            label: a.label.trim().to_string(),
        });
    }
    if problems.is_empty() {
        Ok(AddressPolicy { remote_areas })
    } else {
        Err(problems)
    }
}

impl RemoteArea {
    /// Whether `a` lies in this area: the country matches and, when given, the region and the
    /// postal-code prefix match too (an address without a postal code never matches a prefix).
    pub fn contains(&self, a: &Address) -> bool {
        let country = self.country.trim().eq_ignore_ascii_case(a.country.trim());
        let region = match (&self.region, &a.region) {
            (None, _) => true,
            (Some(wanted), Some(region)) => fold(wanted.trim()) == fold(region.trim()),
            (Some(_), None) => false,
        };
        let postal = match (&self.postal_prefix, &a.postal_code) {
            (None, _) => true,
            (Some(prefix), Some(code)) => compact(code).starts_with(&compact(prefix)),
            (Some(_), None) => false,
        };
        country && region && postal
    }
}

/// Why `a` should be confirmed by a person before it ships; empty when it looks deliverable.
///
/// [`HoldReasonCode::RemoteArea`] once per matching area, then
/// [`HoldReasonCode::AddressUnverified`] for each of: a placeholder (`test`, `asdf`, `xxx`,
/// `n/a`, `unknown`, `测试`, `不详`) in the recipient, city, district or a line; a line of one
/// repeated character; a first line under 5 characters; no house or building number in either
/// line (Chinese numerals before 号, 栋, 楼, 室… count). A field gets at most one of the first
/// three, and lines already called placeholders or junk are not also called number-less.
pub fn check_address(a: &Address, policy: &AddressPolicy) -> Vec<HoldReason> {
    let mut holds: Vec<HoldReason> = policy
        .remote_areas
        .iter()
        .filter(|area| area.contains(a))
        .map(|area| {
            HoldReason::new(
                HoldReasonCode::RemoteArea,
                format!(
                    "{} is a remote area: delivery needs confirmation",
                    area.label
                ),
            )
        })
        .collect();

    let fields = [
        ("recipient", Some(a.recipient.as_str())),
        ("city", Some(a.city.as_str())),
        ("district", a.district.as_deref()),
        ("line 1", Some(a.line1.as_str())),
        ("line 2", a.line2.as_deref()),
    ];
    let mut junk_lines = false;
    for (name, text) in fields {
        let Some(text) = text else { continue };
        let chars = visible_chars(text);
        // (message, whether the text is junk rather than merely short)
        let (message, junk) = if is_placeholder(text) {
            (format!("{name} {text:?} looks like a placeholder"), true)
        } else if is_repeated_character(text) {
            (format!("{name} {text:?} is one character repeated"), true)
        } else if name == "line 1" && chars < MIN_LINE1_CHARS {
            let message = format!(
                "{name} {text:?} is too short for an address ({chars} characters, at least {MIN_LINE1_CHARS})"
            );
            (message, false)
        } else {
            continue;
        };
        junk_lines |= junk && name.starts_with("line");
        holds.push(HoldReason::new(HoldReasonCode::AddressUnverified, message));
    }

    let numbered = has_number(&a.line1) || a.line2.as_deref().is_some_and(has_number);
    if !numbered && !junk_lines {
        let message = match &a.line2 {
            Some(line2) => format!(
                "no house or building number in line 1 {:?} or line 2 {line2:?}",
                a.line1
            ),
            None => format!("no house or building number in line 1 {:?}", a.line1),
        };
        holds.push(HoldReason::new(HoldReasonCode::AddressUnverified, message));
    }
    holds
}

/// Upper-case without white space, for postal-code prefixes.
fn compact(text: &str) -> String {
    fold(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// The whole text, or one of its words, is a placeholder. Words are split at white space and
/// punctuation other than `/`, which `n/a` needs.
fn is_placeholder(text: &str) -> bool {
    let folded = fold(text);
    let placeholder = |word: &str| {
        PLACEHOLDERS.contains(&word) || (word.len() >= 3 && word.chars().all(|c| c == 'x'))
    };
    placeholder(folded.trim())
        || folded
            .split(|c: char| c.is_whitespace() || (is_separator(c) && c != '/'))
            .filter(|word| !word.is_empty())
            .any(|word| {
                placeholder(word) || placeholder(word.trim_matches(|c: char| is_separator(c)))
            })
}

/// At least [`MIN_REPEATED_CHARS`] characters, all the same (white space and case ignored).
fn is_repeated_character(text: &str) -> bool {
    let folded = fold(text);
    let mut chars = folded.chars().filter(|c| !c.is_whitespace());
    let Some(first) = chars.next() else {
        return false;
    };
    let mut count = 1;
    for c in chars {
        if c != first {
            return false;
        }
        count += 1;
    }
    count >= MIN_REPEATED_CHARS
}

/// Characters other than white space.
fn visible_chars(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// A digit (full-width too), or a Chinese numeral right before a number mark (八十八号).
fn has_number(text: &str) -> bool {
    let folded = fold(text);
    let chars: Vec<char> = folded.chars().filter(|c| !c.is_whitespace()).collect();
    chars.iter().any(char::is_ascii_digit)
        || chars
            .windows(2)
            .any(|w| CJK_NUMERALS.contains(&w[0]) && CJK_NUMBER_MARKS.contains(&w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_areas_are_normalized_and_bad_ones_refused_with_their_index() {
        let area = |country: &str, region: Option<&str>, label: &str| RemoteArea {
            country: country.into(),
            region: region.map(str::to_string),
            postal_prefix: Some(" ".into()),
            label: label.into(),
        };
        let ok =
            validate_remote_areas(vec![area(" cn ", Some(" Xinjiang "), " Xinjiang ")]).unwrap();
        assert_eq!(
            ok.remote_areas,
            [RemoteArea {
                country: "CN".into(),
                region: Some("Xinjiang".into()),
                postal_prefix: None,
                label: "Xinjiang".into()
            }]
        );
        let bad = validate_remote_areas(vec![area("CN", None, "ok"), area("XX", Some(" "), " ")])
            .unwrap_err();
        let paths: Vec<(&str, &str)> = bad
            .iter()
            .map(|p| (p.path.as_str(), p.code.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                ("areas[1].country", "INVALID_COUNTRY"),
                ("areas[1].label", "REQUIRED")
            ]
        );
    }

    fn cn(line1: &str, line2: Option<&str>) -> Address {
        Address {
            recipient: "李雷".into(),
            phone: "+8613800138000".into(),
            country: "CN".into(),
            region: Some("北京市".into()),
            city: "北京".into(),
            district: Some("朝阳区".into()),
            line1: line1.into(),
            line2: line2.map(Into::into),
            postal_code: Some("100022".into()),
        }
    }

    fn us(line1: &str, line2: Option<&str>) -> Address {
        Address {
            recipient: "Jane Doe".into(),
            phone: "+16502530000".into(),
            country: "US".into(),
            region: Some("CA".into()),
            city: "Mountain View".into(),
            district: None,
            line1: line1.into(),
            line2: line2.map(Into::into),
            postal_code: Some("94043".into()),
        }
    }

    fn xinjiang() -> RemoteArea {
        RemoteArea {
            country: "CN".into(),
            region: Some("新疆维吾尔自治区".into()),
            postal_prefix: None,
            label: "Xinjiang (CN-XJ)".into(),
        }
    }

    fn tibet_by_postal_code() -> RemoteArea {
        RemoteArea {
            country: "cn".into(),
            region: None,
            postal_prefix: Some("85".into()),
            label: "Tibet (CN-XZ)".into(),
        }
    }

    fn alaska() -> RemoteArea {
        RemoteArea {
            country: "US".into(),
            region: Some("ak".into()),
            postal_prefix: Some("995".into()),
            label: "Alaska (US-AK)".into(),
        }
    }

    fn policy() -> AddressPolicy {
        AddressPolicy {
            remote_areas: vec![xinjiang(), tibet_by_postal_code(), alaska()],
        }
    }

    fn messages(holds: &[HoldReason]) -> Vec<(HoldReasonCode, &str)> {
        holds.iter().map(|h| (h.code, h.message.as_str())).collect()
    }

    #[test]
    fn an_ordinary_address_passes_without_holds() {
        for address in [
            cn("建国路88号", Some("SOHO现代城A座1201室")),
            cn("建国路八十八号", None),
            cn("建国路东段", Some("3栋")),
            cn("人民路1号", None),
            cn("中关村大街", Some("五号楼")),
            us("12 Main Street", Some("Apt 5")),
            us("１２ Main Street", None),
            us("Main Street", Some("Building 7")),
        ] {
            assert_eq!(check_address(&address, &policy()), vec![], "{address:?}");
        }
    }

    #[test]
    fn an_address_in_a_remote_region_is_held_naming_the_area() {
        let mut address = cn("解放南路1号", None);
        address.region = Some("新疆维吾尔自治区".into());
        address.postal_code = Some("830000".into());
        assert_eq!(
            messages(&check_address(&address, &policy())),
            vec![(
                HoldReasonCode::RemoteArea,
                "Xinjiang (CN-XJ) is a remote area: delivery needs confirmation"
            )]
        );
    }

    #[test]
    fn a_remote_area_can_be_matched_by_postal_code_prefix_alone() {
        let mut address = cn("北京中路1号", None);
        address.region = Some("西藏自治区".into());
        address.postal_code = Some("850000".into());
        assert_eq!(
            messages(&check_address(&address, &policy())),
            vec![(
                HoldReasonCode::RemoteArea,
                "Tibet (CN-XZ) is a remote area: delivery needs confirmation"
            )]
        );
        address.postal_code = None;
        assert_eq!(check_address(&address, &policy()), vec![]);
    }

    #[test]
    fn region_and_postal_prefix_must_both_match_when_both_are_given() {
        let mut anchorage = us("1 Main St", None);
        anchorage.region = Some("AK".into());
        anchorage.postal_code = Some("99501".into());
        assert!(alaska().contains(&anchorage));

        let mut wrong_prefix = anchorage.clone();
        wrong_prefix.postal_code = Some("99701".into());
        assert!(!alaska().contains(&wrong_prefix));

        let mut wrong_region = anchorage.clone();
        wrong_region.region = Some("WA".into());
        assert!(!alaska().contains(&wrong_region));

        let mut wrong_country = anchorage.clone();
        wrong_country.country = "CA".into();
        assert!(!alaska().contains(&wrong_country));
    }

    #[test]
    fn region_matching_ignores_case_and_country_needs_no_region() {
        let mut address = us("1 Main St", None);
        address.region = Some("AK".into());
        address.postal_code = Some("99501".into());
        let whole_country = RemoteArea {
            country: "us".into(),
            region: None,
            postal_prefix: None,
            label: "United States".into(),
        };
        assert!(whole_country.contains(&address));
        let lower_region = RemoteArea {
            region: Some(" ak ".into()),
            postal_prefix: None,
            ..alaska()
        };
        assert!(lower_region.contains(&address));
        address.region = None;
        assert!(!lower_region.contains(&address));
    }

    #[test]
    fn postal_prefixes_ignore_case_and_spaces() {
        let mut address = us("10 Downing Street", None);
        address.country = "GB".into();
        address.region = None;
        address.postal_code = Some("HS1 2AB".into());
        let hebrides = RemoteArea {
            country: "GB".into(),
            region: None,
            postal_prefix: Some("hs 1".into()),
            label: "Outer Hebrides (HS)".into(),
        };
        assert!(hebrides.contains(&address));
    }

    #[test]
    fn every_matching_area_is_named() {
        let mut address = cn("解放南路1号", None);
        address.region = Some("新疆维吾尔自治区".into());
        address.postal_code = Some("850000".into());
        let holds = check_address(&address, &policy());
        assert_eq!(holds.len(), 2);
        assert!(holds.iter().all(|h| h.code == HoldReasonCode::RemoteArea));
    }

    #[test]
    fn placeholders_in_any_part_are_named_with_the_text() {
        #[rustfmt::skip]
        let table = [
            (us("asdf", None), "line 1 \"asdf\" looks like a placeholder"),
            (us("12 Test Street", None), "line 1 \"12 Test Street\" looks like a placeholder"),
            (us("12 Main St", Some("N/A")), "line 2 \"N/A\" looks like a placeholder"),
            (us("12 Main St", Some("apt n/a")), "line 2 \"apt n/a\" looks like a placeholder"),
            (us("12 Main St", Some("XXXX")), "line 2 \"XXXX\" looks like a placeholder"),
            (us("Unknown 12", None), "line 1 \"Unknown 12\" looks like a placeholder"),
            (us("ＴＥＳＴ 12", None), "line 1 \"ＴＥＳＴ 12\" looks like a placeholder"),
            (us("12 main st (test)", None), "line 1 \"12 main st (test)\" looks like a placeholder"),
            (cn("测试", Some("1号")), "line 1 \"测试\" looks like a placeholder"),
            (cn("不详 1号", None), "line 1 \"不详 1号\" looks like a placeholder"),
        ];
        for (address, message) in table {
            assert_eq!(
                messages(&check_address(&address, &AddressPolicy::default())),
                vec![(HoldReasonCode::AddressUnverified, message)],
                "{address:?}"
            );
        }
    }

    #[test]
    fn the_recipient_city_and_district_are_checked_for_placeholders_too() {
        let mut address = cn("建国路88号", None);
        address.recipient = "test".into();
        address.city = "xxx".into();
        address.district = Some("不详".into());
        assert_eq!(
            messages(&check_address(&address, &AddressPolicy::default())),
            vec![
                (
                    HoldReasonCode::AddressUnverified,
                    "recipient \"test\" looks like a placeholder"
                ),
                (
                    HoldReasonCode::AddressUnverified,
                    "city \"xxx\" looks like a placeholder"
                ),
                (
                    HoldReasonCode::AddressUnverified,
                    "district \"不详\" looks like a placeholder"
                ),
            ]
        );
    }

    #[test]
    fn placeholder_words_inside_longer_words_are_fine() {
        for address in [
            us("12 Testerstrasse", None),
            us("12 Maxxxwell Road", None),
            us("12 Unknowns Lane", None),
            us("12 Na Road", None),
            cn("测试大厦88号", None),
        ] {
            assert_eq!(
                check_address(&address, &AddressPolicy::default()),
                vec![],
                "{address:?}"
            );
        }
    }

    #[test]
    fn a_line_of_one_repeated_character_is_junk() {
        #[rustfmt::skip]
        let table = [
            (us("aaaaaa", None), "line 1 \"aaaaaa\" is one character repeated"),
            (us("11111", None), "line 1 \"11111\" is one character repeated"),
            (us("12 Main St", Some("...")), "line 2 \"...\" is one character repeated"),
            (us("12 Main St", Some("A a A")), "line 2 \"A a A\" is one character repeated"),
        ];
        for (address, message) in table {
            assert_eq!(
                messages(&check_address(&address, &AddressPolicy::default())),
                vec![(HoldReasonCode::AddressUnverified, message)],
                "{address:?}"
            );
        }
        assert_eq!(
            check_address(&us("12 Main St", Some("11")), &AddressPolicy::default()),
            vec![],
            "two of a kind may be a flat number"
        );
    }

    #[test]
    fn a_short_first_line_is_held_with_its_length() {
        assert_eq!(
            messages(&check_address(&cn("1号", None), &AddressPolicy::default())),
            vec![(
                HoldReasonCode::AddressUnverified,
                "line 1 \"1号\" is too short for an address (2 characters, at least 5)"
            )]
        );
        assert_eq!(
            check_address(&cn("人民路1号", None), &AddressPolicy::default()),
            vec![],
            "five characters are enough"
        );
        assert_eq!(
            check_address(&us("1 Main", Some("5")), &AddressPolicy::default()),
            vec![],
            "line 2 may be short"
        );
    }

    #[test]
    fn an_address_without_any_number_is_held() {
        assert_eq!(
            messages(&check_address(
                &us("Main Street", None),
                &AddressPolicy::default()
            )),
            vec![(
                HoldReasonCode::AddressUnverified,
                "no house or building number in line 1 \"Main Street\""
            )]
        );
        assert_eq!(
            messages(&check_address(
                &cn("建国路东段", Some("东门")),
                &AddressPolicy::default()
            )),
            vec![(
                HoldReasonCode::AddressUnverified,
                "no house or building number in line 1 \"建国路东段\" or line 2 \"东门\""
            )]
        );
    }

    #[test]
    fn chinese_numerals_only_count_before_a_number_mark() {
        assert!(has_number("建国路八十八号"));
        assert!(has_number("建國路八十八號"));
        assert!(has_number("中关村 三 栋"));
        assert!(has_number("十二楼"));
        assert!(has_number("一二零一室"));
        assert!(!has_number("三里屯路"));
        assert!(!has_number("建国路号"));
        assert!(has_number("１２"));
    }

    #[test]
    fn a_short_number_less_first_line_gets_both_holds() {
        assert_eq!(
            messages(&check_address(&us("Main", None), &AddressPolicy::default())),
            vec![
                (
                    HoldReasonCode::AddressUnverified,
                    "line 1 \"Main\" is too short for an address (4 characters, at least 5)"
                ),
                (
                    HoldReasonCode::AddressUnverified,
                    "no house or building number in line 1 \"Main\""
                ),
            ]
        );
    }

    #[test]
    fn remote_area_holds_come_before_verification_holds() {
        let mut address = cn("asdf", None);
        address.region = Some("新疆维吾尔自治区".into());
        let codes: Vec<_> = check_address(&address, &policy())
            .iter()
            .map(|h| h.code)
            .collect();
        assert_eq!(
            codes,
            vec![
                HoldReasonCode::RemoteArea,
                HoldReasonCode::AddressUnverified
            ]
        );
    }

    #[test]
    fn the_policy_reads_and_writes_camel_case_json() {
        let json = r#"{"remoteAreas":[{"country":"CN","region":"新疆维吾尔自治区","postalPrefix":null,"label":"Xinjiang (CN-XJ)"}]}"#;
        let policy: AddressPolicy = serde_json::from_str(json).unwrap();
        assert_eq!(policy.remote_areas, vec![xinjiang()]);
        assert_eq!(serde_json::to_string(&policy).unwrap(), json);
    }
}
