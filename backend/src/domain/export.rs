//! CSV that is safe to open in a spreadsheet: RFC 4180 quoting, and free-text cells that a
//! spreadsheet would run as a formula (`= + - @`, or a tab/CR that hides one) prefixed with `'`.
//! Figures the server formats itself (amounts, counts, times) are written as they are, so a
//! negative amount stays a number.

use std::borrow::Cow;

/// One cell of an exported row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Text that came from people (names, notes, references): escaped.
    Text(&'a str),
    /// A figure formatted by the server: written verbatim.
    Figure(&'a str),
}

/// The text a spreadsheet shows as it is, never evaluates.
pub fn spreadsheet_safe(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// One CSV record with its line break.
pub fn record(cells: &[Cell<'_>]) -> Vec<u8> {
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(128));
    let fields: Vec<Cow<'_, str>> = cells
        .iter()
        .map(|c| match c {
            Cell::Text(t) => spreadsheet_safe(t),
            Cell::Figure(f) => Cow::Borrowed(*f),
        })
        .collect();
    // Writing to a Vec cannot fail.
    let _ = out.write_record(fields.iter().map(|f| f.as_bytes()));
    out.into_inner().unwrap_or_default()
}

/// A header record.
pub fn header(names: &[&str]) -> Vec<u8> {
    let cells: Vec<Cell<'_>> = names.iter().map(|n| Cell::Figure(n)).collect();
    record(&cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(cells: &[Cell<'_>]) -> String {
        String::from_utf8(record(cells)).unwrap()
    }

    #[test]
    fn formula_starters_in_text_are_defused() {
        for evil in [
            "=HYPERLINK(\"x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            let safe = spreadsheet_safe(evil);
            assert!(safe.starts_with('\''), "{evil:?} became {safe:?}");
            assert_eq!(&safe[1..], evil);
        }
        assert_eq!(spreadsheet_safe("ORD-1"), "ORD-1");
        assert_eq!(spreadsheet_safe(""), "");
    }

    #[test]
    fn figures_are_written_verbatim_even_when_negative() {
        assert_eq!(
            line(&[Cell::Figure("-20.50"), Cell::Text("-20.50")]),
            "-20.50,'-20.50\r\n"
        );
    }

    #[test]
    fn separators_quotes_and_line_breaks_are_quoted() {
        assert_eq!(
            line(&[
                Cell::Text("a,b"),
                Cell::Text("say \"hi\""),
                Cell::Text("two\nlines"),
                Cell::Text("plain"),
            ]),
            "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",plain\r\n"
        );
    }

    #[test]
    fn a_header_names_the_columns() {
        assert_eq!(
            String::from_utf8(header(&["id", "at"])).unwrap(),
            "id,at\r\n"
        );
    }
}
