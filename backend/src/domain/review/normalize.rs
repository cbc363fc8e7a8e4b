//! Address and phone keys: one spelling per place, so that "many orders to one address" and the
//! blocklist are not fooled by case, punctuation, full-width digits or "Street" versus "St.".
//!
//! The key is for comparing, never for printing: it loses the recipient, the region, the case and
//! the punctuation on purpose. Folding is done by hand (full-width ASCII and the ideographic
//! space, which is what Chinese keyboards produce) rather than with a Unicode normalization
//! dependency.

use crate::domain::orders::Address;

/// The comparison key of an address: country, postal code, city, district and the address lines,
/// each normalized, joined by `|`, e.g. `us|94043|mountain view||12 main st apt 5`.
///
/// Line 1 and line 2 form one part, so "12 Main St" + "Apt 5" and "12 Main St, Apt 5" meet.
/// Within a part:
/// - full-width ASCII (U+FF01–U+FF5E) becomes ASCII, the ideographic space a space;
/// - letters are lower-cased;
/// - punctuation (`. , # - / ( ) ' "`, Chinese `，。、（）－` and the like) becomes a space;
/// - English words take one abbreviation per family: `st` (street), `rd` (road), `ave`
///   (avenue, av), `blvd` (boulevard), `dr` (drive), `ln` (lane), `ct` (court), `pl` (place),
///   `sq` (square), `hwy` (highway), `apt` (apartment, unit, suite, ste), `fl` (floor, flr),
///   `bldg` (building, bld), `rm` (room), `n s e w ne nw se sw` (the compass points);
/// - `no.`, `nr` and `number` are dropped before a number ("No. 5" is "5");
/// - words are joined by single spaces, except in parts containing Chinese or Japanese
///   characters, which are written without spaces: there every space is dropped, so
///   "建国路 88 号" and "建国路88号" meet (号, 號 and 室 themselves are kept).
///
/// The recipient, the phone and the region are left out: the same place under another name is
/// still the same place, and the postal code and city already pin the region down.
pub fn address_key(a: &Address) -> String {
    let lines = match &a.line2 {
        Some(line2) => format!("{} {line2}", a.line1),
        None => a.line1.clone(),
    };
    [
        a.country.as_str(),
        a.postal_code.as_deref().unwrap_or_default(),
        a.city.as_str(),
        a.district.as_deref().unwrap_or_default(),
        lines.as_str(),
    ]
    .iter()
    .map(|part| normalize_part(part))
    .collect::<Vec<_>>()
    .join("|")
}

/// The comparison key of a phone number: `+` and its digits, e.g. `+8613800138000` for
/// "+86 138-0013-8000". Full-width digits count as digits; everything else is dropped.
pub fn phone_key(e164: &str) -> String {
    let digits: String = e164
        .chars()
        .map(fold_width)
        .filter(char::is_ascii_digit)
        .collect();
    format!("+{digits}")
}

/// Full-width ASCII (U+FF01–U+FF5E) as ASCII, the ideographic space (U+3000) as a space, and
/// everything else unchanged.
pub(super) fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Folded to ASCII where full-width, and lower-cased.
pub(super) fn fold(text: &str) -> String {
    text.chars()
        .map(fold_width)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `c` is written without spaces around it: Han ideographs and Japanese kana.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'      // hiragana, katakana
        | '\u{3400}'..='\u{4DBF}'    // CJK extension A
        | '\u{4E00}'..='\u{9FFF}'    // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'    // CJK compatibility ideographs
        | '\u{20000}'..='\u{2FFFF}') // CJK extensions B and later
}

/// Punctuation that separates words: all of ASCII's (full-width forms are folded to it first)
/// and the CJK marks that have no full-width ASCII twin.
pub(super) fn is_separator(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '。' | '、'
                | '｡'
                | '､'
                | '「'
                | '」'
                | '『'
                | '』'
                | '【'
                | '】'
                | '《'
                | '》'
                | '〈'
                | '〉'
                | '〔'
                | '〕'
                | '・'
                | '･'
                | '·'
                | '〜'
                | '‐'
                | '‑'
                | '‒'
                | '–'
                | '—'
                | '―'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '…'
        )
}

/// One normalized part of the key (see [`address_key`]).
fn normalize_part(text: &str) -> String {
    let spaced: String = fold(text)
        .chars()
        .map(|c| if is_separator(c) { ' ' } else { c })
        .collect();
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    for (index, word) in words.iter().enumerate() {
        let before_number = words
            .get(index + 1)
            .is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()));
        if before_number && matches!(*word, "no" | "nr" | "number") {
            continue;
        }
        kept.push(abbreviation(word));
    }
    let separator = if spaced.chars().any(is_cjk) { "" } else { " " };
    kept.join(separator)
}

/// The canonical abbreviation of an English address word, or the word itself.
fn abbreviation(word: &str) -> &str {
    match word {
        "street" => "st",
        "road" => "rd",
        "avenue" | "av" => "ave",
        "boulevard" => "blvd",
        "drive" => "dr",
        "lane" => "ln",
        "court" => "ct",
        "place" => "pl",
        "square" => "sq",
        "highway" => "hwy",
        "apartment" | "unit" | "suite" | "ste" => "apt",
        "floor" | "flr" => "fl",
        "building" | "bld" => "bldg",
        "room" => "rm",
        "north" => "n",
        "south" => "s",
        "east" => "e",
        "west" => "w",
        "northeast" => "ne",
        "northwest" => "nw",
        "southeast" => "se",
        "southwest" => "sw",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_key_joins_country_postal_code_city_district_and_lines() {
        assert_eq!(
            address_key(&us("12 Main Street", Some("Apt 5"))),
            "us|94043|mountain view||12 main st apt 5"
        );
        assert_eq!(
            address_key(&cn("建国路 88 号", Some("SOHO 现代城 A座 1201 室"))),
            "cn|100022|北京|朝阳区|建国路88号soho现代城a座1201室"
        );
    }

    #[test]
    fn english_spellings_of_one_address_share_a_key() {
        #[rustfmt::skip]
        let pairs = [
            ("12 Main Street, Apt 5", "12  main st. apartment 5"),
            ("12 Main Street, Apt 5", "12 MAIN ST APT #5"),
            ("12 Main Street, Suite 5", "12 Main St., Ste. 5"),
            ("12 Main Street, Unit 5", "12 main st apt 5"),
            ("No. 12 Main Street", "12 Main St"),
            ("Number 12 Main Street", "#12 Main St."),
            ("Nr. 12 Main Street", "12 main street"),
            ("1600 Amphitheatre Parkway", "1600 amphitheatre parkway"),
            ("350 Fifth Avenue, Floor 3", "350 fifth ave fl 3"),
            ("350 Fifth Av, Flr 3", "350 Fifth Avenue, Floor 3"),
            ("9 Sunset Boulevard", "9 sunset blvd."),
            ("4 Oak Drive", "4 oak dr"),
            ("7 Penny Lane", "7 penny ln"),
            ("1 North Road", "1 N. Rd."),
            ("2 South East Court", "2 s e ct"),
            ("3 West Square", "3 W Sq"),
            ("5 Northeast Highway", "5 NE Hwy"),
            ("Building 6, Room 101", "bldg 6 rm 101"),
            ("Bld. 6, Room 101", "Building 6 - Room 101"),
            ("10 O'Connell Place", "10 o connell pl"),
            ("10 (rear) Main St", "10 rear main st"),
            ("10 \"Old Mill\" Lane", "10 old mill ln"),
            ("12/3 Main St", "12 3 main st"),
        ];
        for (a, b) in pairs {
            assert_eq!(
                address_key(&us(a, None)),
                address_key(&us(b, None)),
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn line_two_may_be_separate_or_part_of_line_one() {
        assert_eq!(
            address_key(&us("12 Main Street", Some("Apartment 5"))),
            address_key(&us("12 Main St, Apt 5", None))
        );
        assert_eq!(
            address_key(&cn("建国路88号", Some("1201室"))),
            address_key(&cn("建国路 88 号 1201 室", None))
        );
    }

    #[test]
    fn chinese_spellings_of_one_address_share_a_key() {
        #[rustfmt::skip]
        let pairs = [
            ("建国路88号", "建国路 88 号"),
            ("建国路８８号", "建国路88号"),
            ("建国路　８８　号", "建国路88号"),
            ("建国路88号，A座1201室", "建国路88号 A座 1201室"),
            ("建国路88号（东门）", "建国路88号 东门"),
            ("建国路88号、1单元", "建国路88号1单元"),
            ("建国路88号－1", "建国路88号-1"),
            ("建国路88号。", "建国路88号"),
            ("ＳＯＨＯ现代城Ａ座", "soho现代城a座"),
            ("建國路88號", "建國路 88 號"),
            ("No.5 建国路", "5建国路"),
        ];
        for (a, b) in pairs {
            assert_eq!(
                address_key(&cn(a, None)),
                address_key(&cn(b, None)),
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn full_width_digits_are_ordinary_digits() {
        assert_eq!(
            address_key(&cn("１２号", None)),
            address_key(&cn("12号", None))
        );
        let mut wide = us("１２ Ｍａｉｎ Ｓｔｒｅｅｔ", None);
        wide.postal_code = Some("９４０４３".into());
        assert_eq!(address_key(&wide), address_key(&us("12 main st", None)));
    }

    #[test]
    fn case_punctuation_and_white_space_do_not_matter_in_any_part() {
        let mut shouting = us("12 MAIN ST.", None);
        shouting.country = "us".into();
        shouting.city = "  MOUNTAIN   VIEW. ".into();
        shouting.postal_code = Some(" 94043 ".into());
        assert_eq!(address_key(&shouting), address_key(&us("12 main st", None)));
    }

    #[test]
    fn recipient_phone_and_region_are_not_part_of_the_key() {
        let mut other = us("12 Main St", None);
        other.recipient = "John Roe".into();
        other.phone = "+16505550100".into();
        other.region = Some("NY".into());
        assert_eq!(address_key(&other), address_key(&us("12 Main St", None)));
    }

    #[test]
    fn different_places_have_different_keys() {
        #[rustfmt::skip]
        let pairs = [
            ("12 Main Street", "13 Main Street"),
            ("12 Main Street, Apt 5", "12 Main Street, Apt 6"),
            ("12 Main Street", "12 Main Road"),
            ("12 Main Street", "12 Maine Street"),
            ("12 North Street", "12 South Street"),
            ("12 Main Street, Floor 3", "12 Main Street, Room 3"),
            ("No 12 Main Street", "12 Main Street No"),
        ];
        for (a, b) in pairs {
            assert_ne!(
                address_key(&us(a, None)),
                address_key(&us(b, None)),
                "{a:?} vs {b:?}"
            );
        }
        assert_ne!(
            address_key(&cn("建国路88号", None)),
            address_key(&cn("建国路89号", None))
        );
        assert_ne!(
            address_key(&cn("建国路88号1201室", None)),
            address_key(&cn("建国路88号1202室", None))
        );
        assert_ne!(
            address_key(&cn("建国路88号", None)),
            address_key(&cn("建國路88號", None)),
            "simplified and traditional spellings are kept apart"
        );
    }

    #[test]
    fn a_different_postal_code_city_district_or_country_is_a_different_address() {
        let base = us("12 Main St", None);
        let mut postal = base.clone();
        postal.postal_code = Some("94040".into());
        let mut no_postal = base.clone();
        no_postal.postal_code = None;
        let mut city = base.clone();
        city.city = "Palo Alto".into();
        let mut district = base.clone();
        district.district = Some("Downtown".into());
        let mut country = base.clone();
        country.country = "CA".into();
        for other in [postal, no_postal, city, district, country] {
            assert_ne!(address_key(&other), address_key(&base), "{other:?}");
        }
    }

    #[test]
    fn number_words_are_only_dropped_before_a_number() {
        assert_eq!(
            address_key(&us("Number Nine Road", None)),
            "us|94043|mountain view||number nine rd"
        );
        assert_eq!(
            address_key(&us("12 Main St No", None)),
            "us|94043|mountain view||12 main st no"
        );
    }

    #[test]
    fn phone_keys_keep_the_plus_and_the_digits() {
        assert_eq!(phone_key("+8613800138000"), "+8613800138000");
        assert_eq!(phone_key("+86 138-0013-8000"), "+8613800138000");
        assert_eq!(phone_key("＋８６ １３８００１３８０００"), "+8613800138000");
        assert_eq!(phone_key("8613800138000"), "+8613800138000");
        assert_ne!(phone_key("+8613800138000"), phone_key("+8613800138001"));
    }

    #[test]
    fn full_width_ascii_folds_to_ascii_and_nothing_else_changes() {
        assert_eq!(fold_width('！'), '!');
        assert_eq!(fold_width('～'), '~');
        assert_eq!(fold_width('Ａ'), 'A');
        assert_eq!(fold_width('ｚ'), 'z');
        assert_eq!(fold_width('０'), '0');
        assert_eq!(fold_width('\u{3000}'), ' ');
        for unchanged in ['a', '号', '。', '\u{FF00}', '\u{FF5F}', 'é'] {
            assert_eq!(fold_width(unchanged), unchanged);
        }
        assert_eq!(fold("ＡＢｃ Straße"), "abc straße");
    }
}
