//! Bin codes: `ZONE-AISLE-RACK-LEVEL`, e.g. `A-01-03-2`. Sorting codes part by part (numbers as
//! numbers) walks the warehouse in path order.

use std::cmp::Ordering;
use std::fmt;

/// A validated bin code, upper-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BinCode(String);

impl BinCode {
    /// Parses `zone-aisle-rack-level`: four parts of 1–6 letters or digits, any case.
    pub fn parse(raw: &str) -> Result<BinCode, String> {
        let code = raw.trim().to_ascii_uppercase();
        let parts: Vec<&str> = code.split('-').collect();
        let shaped = parts.len() == 4
            && parts.iter().all(|p| {
                (1..=6).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if shaped {
            Ok(BinCode(code))
        } else {
            Err(format!(
                "must be ZONE-AISLE-RACK-LEVEL, four parts of 1 to 6 letters or digits (got {raw:?})"
            ))
        }
    }

    /// The code as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Walking-path order: part by part, numeric parts compared as numbers (`A-2` before `A-10`).
    pub fn path_cmp(&self, other: &BinCode) -> Ordering {
        let key = |code: &BinCode| -> Vec<(u8, u64, String)> {
            code.0
                .split('-')
                .map(|p| match p.parse::<u64>() {
                    Ok(n) => (0, n, String::new()),
                    Err(_) => (1, 0, p.to_string()),
                })
                .collect()
        };
        key(self).cmp(&key(other))
    }
}

impl fmt::Display for BinCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_four_alphanumeric_parts_folded_to_upper_case() {
        assert_eq!(BinCode::parse(" a-01-03-2 ").unwrap().as_str(), "A-01-03-2");
        for bad in [
            "A-01-03",
            "A-01-03-2-1",
            "A--03-2",
            "A-01-03-TOOLONG",
            "A-0 1-03-2",
            "",
        ] {
            let err = BinCode::parse(bad).unwrap_err();
            assert!(
                err.starts_with("must be ZONE-AISLE-RACK-LEVEL"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn path_order_compares_numbers_as_numbers_and_zones_as_text() {
        let mut codes: Vec<BinCode> = [
            "B-01-01-1",
            "A-10-01-1",
            "A-2-01-1",
            "A-2-01-10",
            "A-2-01-9",
        ]
        .iter()
        .map(|c| BinCode::parse(c).unwrap())
        .collect();
        codes.sort_by(|a, b| a.path_cmp(b));
        let sorted: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            sorted,
            [
                "A-2-01-1",
                "A-2-01-9",
                "A-2-01-10",
                "A-10-01-1",
                "B-01-01-1"
            ]
        );
    }
}
