//! The order list's filters, as the page holds them, as the URL query keeps them (so a reload or
//! a shared link shows the same list), and as the API takes them.
//!
//! URL form: `?status=PENDING_PAYMENT,CONFIRMED&payment=PAID&channel=demo-store&from=2026-11-01&until=2026-11-30&q=text`.
//! Dates are whole UTC days, both ends included.

use crate::api::types::OrderFilter;
use orderly_shared::{OrderStatus, PaymentStatus};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Any of these statuses; empty means any status.
    pub statuses: Vec<OrderStatus>,
    pub payment: Option<PaymentStatus>,
    pub channel: String,
    /// `YYYY-MM-DD`, or empty.
    pub from: String,
    /// `YYYY-MM-DD`, or empty.
    pub until: String,
    /// An order number, e-mail, phone number or part of a name.
    pub search: String,
}

impl Filters {
    /// Reads the filters from the URL query; anything unreadable is ignored.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Filters {
        let text = |key: &str| get(key).map(|v| v.trim().to_string()).unwrap_or_default();
        let mut statuses: Vec<OrderStatus> = text("status")
            .split(',')
            .filter_map(|s| OrderStatus::parse(s.trim()))
            .collect();
        statuses.sort();
        statuses.dedup();
        let date = |key: &str| Some(text(key)).filter(|d| parse_date(d).is_some());
        Filters {
            statuses,
            payment: PaymentStatus::parse(&text("payment")),
            channel: text("channel"),
            from: date("from").unwrap_or_default(),
            until: date("until").unwrap_or_default(),
            // `search` is what other pages link with (`/orders?search=<e-mail>`).
            search: Some(text("q"))
                .filter(|q| !q.is_empty())
                .unwrap_or_else(|| text("search")),
        }
    }

    /// The URL query (with its `?`), or an empty string when nothing filters.
    pub fn to_query(&self) -> String {
        let statuses = self
            .statuses
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let pairs = [
            ("status", statuses.as_str()),
            ("payment", self.payment.map(|p| p.as_str()).unwrap_or("")),
            ("channel", self.channel.trim()),
            ("from", self.from.as_str()),
            ("until", self.until.as_str()),
            ("q", self.search.trim()),
        ];
        let query = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    }

    pub fn is_empty(&self) -> bool {
        self.to_query().is_empty()
    }

    /// The API's filter.
    pub fn to_api(&self) -> OrderFilter {
        let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        OrderFilter {
            status: (!self.statuses.is_empty()).then(|| self.statuses.clone()),
            payment_status: self.payment.map(|p| vec![p]),
            channel: some(&self.channel),
            created_after: parse_date(&self.from).map(|d| format!("{}T00:00:00Z", d.iso())),
            created_before: parse_date(&self.until)
                .map(|d| format!("{}T00:00:00Z", d.next_day().iso())),
            search: some(&self.search),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Date {
    year: u32,
    month: u32,
    day: u32,
}

impl Date {
    fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn next_day(self) -> Date {
        if self.day < days_in_month(self.year, self.month) {
            Date {
                day: self.day + 1,
                ..self
            }
        } else if self.month < 12 {
            Date {
                month: self.month + 1,
                day: 1,
                ..self
            }
        } else {
            Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        }
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A `YYYY-MM-DD` calendar date, as date inputs give them.
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let date = Date {
        year: y.parse().ok()?,
        month: m.parse().ok()?,
        day: d.parse().ok()?,
    };
    let valid = (1..=12).contains(&date.month)
        && date.year >= 1970
        && (1..=days_in_month(date.year, date.month)).contains(&date.day);
    valid.then_some(date)
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay as they are).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn from(pairs: &[(&str, &str)]) -> Filters {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Filters::from_query(|k| map.get(k).cloned())
    }

    #[test]
    fn no_filters_make_no_query() {
        assert_eq!(Filters::default().to_query(), "");
        assert!(from(&[]).is_empty());
        assert_eq!(Filters::default().to_api(), OrderFilter::default());
    }

    #[test]
    fn filters_round_trip_through_the_url() {
        let f = Filters {
            statuses: vec![OrderStatus::PendingPayment, OrderStatus::Confirmed],
            payment: Some(PaymentStatus::Paid),
            channel: "demo-store".into(),
            from: "2026-11-01".into(),
            until: "2026-11-30".into(),
            search: "Wang Fang+1@x".into(),
        };
        let query = f.to_query();
        assert_eq!(
            query,
            "?status=PENDING_PAYMENT,CONFIRMED&payment=PAID&channel=demo-store&from=2026-11-01&until=2026-11-30&q=Wang%20Fang%2B1%40x"
        );
        // The router hands the page decoded values.
        let back = from(&[
            ("status", "CONFIRMED,PENDING_PAYMENT"),
            ("payment", "PAID"),
            ("channel", "demo-store"),
            ("from", "2026-11-01"),
            ("until", "2026-11-30"),
            ("q", "Wang Fang+1@x"),
        ]);
        let mut sorted = f.clone();
        sorted.statuses.sort();
        assert_eq!(back, sorted);
    }

    #[test]
    fn unreadable_parts_of_the_url_are_ignored() {
        let f = from(&[
            ("status", "CONFIRMED,nonsense,CONFIRMED"),
            ("payment", "PAIDISH"),
            ("from", "2026-02-30"),
            ("until", "yesterday"),
        ]);
        assert_eq!(f.statuses, vec![OrderStatus::Confirmed]);
        assert_eq!(f.payment, None);
        assert_eq!(f.from, "");
        assert_eq!(f.until, "");
    }

    #[test]
    fn date_filters_cover_whole_utc_days() {
        let f = from(&[("from", "2026-11-25"), ("until", "2026-12-31")]);
        let api = f.to_api();
        assert_eq!(api.created_after.as_deref(), Some("2026-11-25T00:00:00Z"));
        assert_eq!(api.created_before.as_deref(), Some("2027-01-01T00:00:00Z"));
        let leap = from(&[("until", "2028-02-28")]).to_api();
        assert_eq!(leap.created_before.as_deref(), Some("2028-02-29T00:00:00Z"));
        let plain = from(&[("until", "2026-02-28")]).to_api();
        assert_eq!(
            plain.created_before.as_deref(),
            Some("2026-03-01T00:00:00Z")
        );
    }

    #[test]
    fn the_api_filter_names_only_what_is_set() {
        let api = from(&[("status", "ON_HOLD"), ("q", "  OR261125-7KQ2XM ")]).to_api();
        assert_eq!(
            serde_json::to_value(&api).unwrap(),
            serde_json::json!({ "status": ["ON_HOLD"], "search": "OR261125-7KQ2XM" })
        );
    }
}
