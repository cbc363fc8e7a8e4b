//! Text that Helvetica can draw, measured the way the printer will measure it.
//!
//! The documents use only the PDF base-14 fonts (Helvetica and Helvetica-Bold, WinAnsi
//! encoding), so no font file ships with the server. That has two consequences this module owns:
//!
//! - **Coverage.** WinAnsi holds ASCII, Latin-1 and a few typographic marks. Anything else
//!   (Chinese, Cyrillic, emoji, combining accents) is drawn as `?`. Nothing is transliterated.
//!   LIMITATION, to lift later: Chinese addresses print as `???`; the fix is to embed a CJK
//!   font (e.g. Noto Sans SC, subset by printpdf) and select it per run of text. The QR code on
//!   the label is unaffected: its payload keeps the true text.
//! - **Fit.** Every string is measured with the fonts' Adobe metrics before it is placed, and
//!   is wrapped or cut with `...` so it never runs off its box or the page.

/// One of the two faces the documents use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    /// Helvetica.
    Regular,
    /// Helvetica-Bold.
    Bold,
}

/// A face at a size, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Font {
    pub face: Face,
    pub size_pt: f32,
}

impl Font {
    /// Helvetica at `size_pt`.
    pub const fn regular(size_pt: f32) -> Font {
        Font {
            face: Face::Regular,
            size_pt,
        }
    }

    /// Helvetica-Bold at `size_pt`.
    pub const fn bold(size_pt: f32) -> Font {
        Font {
            face: Face::Bold,
            size_pt,
        }
    }
}

/// What is appended to a cut string.
pub(crate) const ELLIPSIS: &str = "...";

const MM_PER_PT: f32 = 25.4 / 72.0;

/// Advance widths in 1/1000 em of the printable ASCII characters 0x20..=0x7E, from Adobe's
/// Helvetica AFM (WinAnsi: 0x27 is `quotesingle`, 0x60 is `grave`).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584,
    556, // '0'..'?'
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
    556, // 'P'..'_'
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556,
    556, // '`'..'o'
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p'..'~'
];

/// The same for Helvetica-Bold.
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278,
    278, // ' '..'/'
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584,
    611, // '0'..'?'
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722,
    778, // '@'..'O'
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584,
    556, // 'P'..'_'
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611,
    611, // '`'..'o'
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // 'p'..'~'
];

/// No WinAnsi glyph of either face is wider than an em, so this bounds what the table lacks.
const WIDEST: u16 = 1000;

/// Whether the base-14 fonts' WinAnsi encoding has `c` (the same set printpdf encodes).
pub(crate) fn is_win_ansi(c: char) -> bool {
    matches!(c as u32, 0x20..=0x7E | 0xA0..=0xFF)
        || matches!(
            c,
            '€' | '‚'
                | 'ƒ'
                | '„'
                | '…'
                | '†'
                | '‡'
                | 'ˆ'
                | '‰'
                | 'Š'
                | '‹'
                | 'Œ'
                | 'Ž'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
                | '•'
                | '–'
                | '—'
                | '˜'
                | '™'
                | 'š'
                | '›'
                | 'œ'
                | 'ž'
                | 'Ÿ'
        )
}

/// `text` as Helvetica can draw it: white space (tabs, newlines) becomes a space and every
/// character outside WinAnsi becomes `?`, one for one.
pub(crate) fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_whitespace() {
                ' '
            } else if is_win_ansi(c) {
                c
            } else {
                '?'
            }
        })
        .collect()
}

/// The ASCII letter whose width a Latin-1 letter shares (accents do not change the advance).
fn metric_stand_in(c: char) -> Option<char> {
    Some(match c {
        'À'..='Å' => 'A',
        'Ç' => 'C',
        'È'..='Ë' => 'E',
        'Ì'..='Ï' => 'I',
        'Ð' => 'D',
        'Ñ' => 'N',
        'Ò'..='Ö' | 'Ø' => 'O',
        'Ù'..='Ü' => 'U',
        'Ý' | 'Ÿ' => 'Y',
        'Þ' => 'P',
        'Š' => 'S',
        'Ž' => 'Z',
        'à'..='å' => 'a',
        'ç' => 'c',
        'è'..='ë' => 'e',
        // Accented i is wider than i (278 vs 222): `t` has 278 in Helvetica, more in bold.
        'ì'..='ï' => 't',
        'ð' | 'ò'..='ö' | 'ø' => 'o',
        'ñ' => 'n',
        'ù'..='ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'þ' => 'p',
        'š' => 's',
        'ž' => 'z',
        '×' | '÷' => '+',
        _ => return None,
    })
}

fn char_units(face: Face, c: char) -> u16 {
    let table = match face {
        Face::Regular => &HELVETICA,
        Face::Bold => &HELVETICA_BOLD,
    };
    let c = metric_stand_in(c).unwrap_or(c);
    match c as u32 {
        cp @ 0x20..=0x7E => table[(cp - 0x20) as usize],
        _ => WIDEST,
    }
}

/// The advance width of `text` in millimetres once drawn (after [`printable`]).
pub(crate) fn width_mm(font: Font, text: &str) -> f32 {
    let units: u32 = printable(text)
        .chars()
        .map(|c| u32::from(char_units(font.face, c)))
        .sum();
    units as f32 / 1000.0 * font.size_pt * MM_PER_PT
}

/// `text` (made [`printable`]) cut to `max_mm`: whole if it fits, else the longest prefix that
/// fits with `...` after it, else as many characters as fit without one.
pub(crate) fn fit(font: Font, text: &str, max_mm: f32) -> String {
    let text = printable(text);
    if width_mm(font, &text) <= max_mm {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    for keep in (1..chars.len()).rev() {
        let candidate: String = chars[..keep]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string();
        let with_ellipsis = format!("{candidate}{ELLIPSIS}");
        if !candidate.is_empty() && width_mm(font, &with_ellipsis) <= max_mm {
            return with_ellipsis;
        }
    }
    let mut kept = String::new();
    for c in chars {
        kept.push(c);
        if width_mm(font, &kept) > max_mm {
            kept.pop();
            break;
        }
    }
    kept
}

/// `text` (made [`printable`]) broken into lines no wider than `max_mm`, at spaces where it
/// can and inside a word where a word alone is too wide. Past `max_lines` the last kept line
/// takes the rest and is cut with `...`. Empty text gives no lines.
pub(crate) fn wrap(font: Font, text: &str, max_mm: f32, max_lines: usize) -> Vec<String> {
    let text = printable(text);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let joined = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width_mm(font, &joined) <= max_mm {
            current = joined;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        // The word starts a line; break it while it is too wide alone.
        let mut rest: Vec<char> = word.chars().collect();
        while width_mm(font, &rest.iter().collect::<String>()) > max_mm {
            let mut take = 0;
            while take < rest.len()
                && width_mm(font, &rest[..=take].iter().collect::<String>()) <= max_mm
            {
                take += 1;
            }
            let take = take.max(1);
            lines.push(rest[..take].iter().collect());
            rest.drain(..take);
        }
        current = rest.into_iter().collect();
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max_lines {
        if max_lines == 0 {
            return Vec::new();
        }
        let overflow = lines.split_off(max_lines - 1).join(" ");
        lines.push(format!("{overflow}{ELLIPSIS}"));
    }
    // A box narrower than one glyph cannot hold it: `fit` drops what still overflows.
    lines.iter().map(|line| fit(font, line, max_mm)).collect()
}

/// Each paragraph [`wrap`]ped on lines of its own, blank ones skipped, at most `max_lines` in
/// all; when more would follow, the last kept line takes the rest and is cut with `...`.
pub(crate) fn wrap_paragraphs<'a>(
    font: Font,
    paragraphs: impl IntoIterator<Item = &'a str>,
    max_mm: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines: Vec<String> = paragraphs
        .into_iter()
        .flat_map(|p| wrap(font, p, max_mm, max_lines))
        .collect();
    if lines.len() > max_lines {
        if max_lines == 0 {
            return Vec::new();
        }
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(fit(font, &format!("{rest}{ELLIPSIS}"), max_mm));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::BuiltinFont;
    use proptest::prelude::*;

    #[test]
    fn the_width_tables_agree_with_the_fonts_printpdf_bundles() {
        for (face, builtin, table) in [
            (Face::Regular, BuiltinFont::Helvetica, &HELVETICA),
            (Face::Bold, BuiltinFont::HelveticaBold, &HELVETICA_BOLD),
        ] {
            let font = builtin.get_parsed_font().unwrap();
            let upem = f32::from(font.units_per_em);
            let mut compared = 0;
            for (i, ours) in table.iter().enumerate() {
                let c = char::from(0x20 + i as u8);
                let Some(gid) = font.lookup_glyph_index(c as u32) else {
                    continue;
                };
                let Some(theirs) = font.get_glyph_width(gid) else {
                    continue;
                };
                let theirs = f32::from(theirs) * 1000.0 / upem;
                assert!(
                    (theirs - f32::from(*ours)).abs() <= 2.0,
                    "{face:?} {c:?}: table {ours}, bundled font {theirs}"
                );
                compared += 1;
            }
            assert!(compared > 60, "{face:?}: only {compared} glyphs compared");
        }
    }

    #[test]
    fn given_chinese_text_when_made_printable_then_each_character_becomes_a_question_mark() {
        assert_eq!(printable("上海市 Road 5"), "??? Road 5");
        assert_eq!(printable("Ærø\tKøbing\n€5"), "Ærø Købing €5");
        assert_eq!(
            printable("e\u{301}"),
            "e?",
            "combining accents are not composed"
        );
    }

    #[test]
    fn given_text_that_fits_when_fitted_then_it_is_unchanged() {
        assert_eq!(fit(Font::regular(10.0), "Short", 50.0), "Short");
    }

    #[test]
    fn given_text_too_wide_when_fitted_then_it_is_cut_with_an_ellipsis_inside_the_width() {
        let font = Font::bold(12.0);
        let cut = fit(
            font,
            "Dr. Maximilian Alexander von Hohenzollern-Sigmaringen",
            40.0,
        );
        assert!(cut.ends_with(ELLIPSIS), "{cut}");
        assert!(cut.starts_with("Dr. Max"), "{cut}");
        assert!(width_mm(font, &cut) <= 40.0);
    }

    #[test]
    fn given_a_box_narrower_than_the_ellipsis_when_fitted_then_only_what_fits_is_kept() {
        let font = Font::regular(10.0);
        let cut = fit(font, "WWWW", 4.0);
        assert!(width_mm(font, &cut) <= 4.0, "{cut}");
        assert!(!cut.contains(ELLIPSIS));
    }

    #[test]
    fn given_a_long_address_when_wrapped_then_words_stay_whole_and_lines_fit() {
        let font = Font::regular(10.0);
        let lines = wrap(
            font,
            "Room 1203, Building 7, Lane 88 Zhangjiang Road",
            40.0,
            5,
        );
        assert!(lines.len() > 1);
        assert_eq!(
            lines.join(" "),
            "Room 1203, Building 7, Lane 88 Zhangjiang Road"
        );
        assert!(lines.iter().all(|l| width_mm(font, l) <= 40.0));
    }

    #[test]
    fn given_more_lines_than_allowed_when_wrapped_then_the_last_line_ends_with_an_ellipsis() {
        let font = Font::regular(10.0);
        let lines = wrap(font, &"word ".repeat(60), 30.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with(ELLIPSIS), "{lines:?}");
    }

    #[test]
    fn given_one_word_wider_than_the_line_when_wrapped_then_it_is_broken_inside() {
        let font = Font::regular(10.0);
        let lines = wrap(font, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 20.0, 10);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    }

    #[test]
    fn given_paragraphs_when_wrapped_then_each_starts_a_line_and_the_total_is_capped() {
        let font = Font::bold(9.0);
        assert_eq!(
            wrap_paragraphs(font, ["FRAGILE", "", "HIGH VALUE"], 30.0, 3),
            vec!["FRAGILE", "HIGH VALUE"]
        );
        let capped = wrap_paragraphs(font, ["ONE", "TWO", "THREE"], 30.0, 2);
        assert_eq!(capped, vec!["ONE", "TWO THREE..."]);
    }

    proptest! {
        #[test]
        fn wrapped_and_fitted_lines_never_exceed_their_width(
            text in "[ a-zA-Z0-9éß上海.,-]{0,120}",
            max_mm in 3.0f32..120.0,
            max_lines in 1usize..6,
            bold in any::<bool>(),
        ) {
            let font = if bold { Font::bold(11.0) } else { Font::regular(9.0) };
            let lines = wrap(font, &text, max_mm, max_lines);
            prop_assert!(lines.len() <= max_lines);
            for line in &lines {
                prop_assert!(width_mm(font, line) <= max_mm + 1e-3, "{line:?}");
            }
            prop_assert!(width_mm(font, &fit(font, &text, max_mm)) <= max_mm + 1e-3);
        }
    }
}
