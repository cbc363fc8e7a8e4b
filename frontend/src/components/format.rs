//! How the console writes values for people.

use crate::api::types::Money;
use orderly_shared::Role;
use serde_json::Value;

/// `2026-11-25T10:41:07.123Z` → `2026-11-25 10:41`. The contract's timestamps are UTC and
/// the tables say so in their headers; anything unexpected is shown as the server sent it.
pub fn timestamp(rfc3339: &str) -> String {
    let b = rfc3339.as_bytes();
    let utc = rfc3339.ends_with('Z') || rfc3339.ends_with("+00:00");
    if utc && b.len() >= 16 && b[10] == b'T' {
        format!("{} {}", &rfc3339[..10], &rfc3339[11..16])
    } else {
        rfc3339.to_string()
    }
}

/// `2026-11-25T10:41:07.123Z` → `2026-11-25 10:41:07`, for timelines where seconds matter.
pub fn timestamp_seconds(rfc3339: &str) -> String {
    let b = rfc3339.as_bytes();
    let short = timestamp(rfc3339);
    if short != rfc3339 && b.len() >= 19 && b[16] == b':' {
        format!("{short}{}", &rfc3339[16..19])
    } else {
        short
    }
}

/// `{amount: "128.00", currency: "CNY"}` → `CNY 128.00`.
pub fn money(m: &Money) -> String {
    format!("{} {}", m.currency, m.amount)
}

/// A deduction: `CNY 10.00` → `−CNY 10.00`; nothing deducted reads `CNY 0.00`.
pub fn deduction(m: &Money) -> String {
    if m.amount.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("−{}", money(m))
    } else {
        money(m)
    }
}

/// `PAYMENT_RECEIVED` → `Payment received`: the server's machine names, for people.
pub fn machine_name(name: &str) -> String {
    let lower = name.replace('_', " ").to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// How long ago something happened, from milliseconds elapsed: `45 s` → `under a minute`,
/// `3 h 5 min`, `2 d 4 h`. Coarser as it grows; a clock running behind reads as "just now".
pub fn age(elapsed_ms: f64) -> String {
    if !elapsed_ms.is_finite() || elapsed_ms < 60_000.0 {
        return "under a minute".to_string();
    }
    let minutes = (elapsed_ms / 60_000.0) as u64;
    let (days, hours, mins) = (minutes / 1_440, minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins} min"),
        (0, h) if mins == 0 => format!("{h} h"),
        (0, h) => format!("{h} h {mins} min"),
        (d, 0) => format!("{d} d"),
        (d, h) => format!("{d} d {h} h"),
    }
}

/// A change in units with its sign: `+10`, `−2`, `0`.
pub fn signed(delta: i64) -> String {
    match delta {
        d if d > 0 => format!("+{d}"),
        d if d < 0 => format!("−{}", d.unsigned_abs()),
        _ => "0".to_string(),
    }
}

/// `[Admin, Finance]` → `Administrator, Finance`.
pub fn roles(roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| r.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first characters of a long id, enough to tell entries apart; the full id goes in a
/// tooltip.
pub fn short_id(id: &str) -> String {
    match id.char_indices().nth(8) {
        Some((end, _)) => format!("{}…", &id[..end]),
        None => id.to_string(),
    }
}

/// The audit log's `detail` is JSON text: an object reads as `key: value` pairs.
pub fn detail(json: &str) -> String {
    use serde_json::Value;
    fn plain(v: &Value) -> String {
        match v {
            Value::String(s) => s.clone(),
            Value::Array(items) => items.iter().map(plain).collect::<Vec<_>>().join(", "),
            other => other.to_string(),
        }
    }
    match serde_json::from_str::<Value>(json) {
        Ok(Value::Object(map)) => map
            .iter()
            // Empty values say nothing to a reader.
            .filter(|(_, v)| !(v.is_null() || v.as_array().is_some_and(Vec::is_empty)))
            .map(|(k, v)| format!("{k}: {}", plain(v)))
            .collect::<Vec<_>>()
            .join("; "),
        _ => json.to_string(),
    }
}

/// A shipment's instructions (`[{"kind": "GIFT_WRAP"}, …]`) as sentences for the warehouse.
pub fn instructions(v: &Value) -> Vec<String> {
    let text = |i: &Value, key: &str| {
        i.get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let invoice = |i: &Value| match i.get("taxId").and_then(Value::as_str) {
        Some(tax_id) => format!("{}, tax id {tax_id}", text(i, "title")),
        None => text(i, "title"),
    };
    v.as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(
            |i| match i.get("kind").and_then(Value::as_str).unwrap_or_default() {
                "DELIVER_WITHIN" => format!(
                    "Deliver between {} and {} UTC",
                    timestamp(&text(i, "from")),
                    timestamp(&text(i, "to"))
                ),
                "GIFT_WRAP" => "Gift-wrap the goods".to_string(),
                "GIFT_MESSAGE" => format!("Gift message card: “{}”", text(i, "message")),
                "INVOICE_IN_PARCEL" => format!("Invoice in the parcel: {}", invoice(i)),
                "INVOICE_SEPARATE" => format!("Invoice sent separately: {}", invoice(i)),
                other => machine_name(other),
            },
        )
        .collect()
}

/// Whether a shipment's order asked for an invoice (in the parcel or sent separately).
pub fn wants_invoice(v: &Value) -> bool {
    v.as_array().is_some_and(|list| {
        list.iter().any(|i| {
            matches!(
                i.get("kind").and_then(Value::as_str),
                Some("INVOICE_IN_PARCEL" | "INVOICE_SEPARATE")
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn utc_timestamps_are_shortened_to_the_minute() {
        assert_eq!(timestamp("2026-11-25T10:41:07.123Z"), "2026-11-25 10:41");
        assert_eq!(
            timestamp("2026-11-25T10:41:07.374006752+00:00"),
            "2026-11-25 10:41"
        );
        assert_eq!(timestamp("yesterday"), "yesterday");
        assert_eq!(
            timestamp("2026-11-25T10:41:07+08:00"),
            "2026-11-25T10:41:07+08:00"
        );
    }

    #[test]
    fn timeline_timestamps_keep_the_seconds() {
        assert_eq!(
            timestamp_seconds("2026-11-25T10:41:07.374006752+00:00"),
            "2026-11-25 10:41:07"
        );
        assert_eq!(
            timestamp_seconds("2026-11-25T10:41:07Z"),
            "2026-11-25 10:41:07"
        );
        assert_eq!(timestamp_seconds("soon"), "soon");
    }

    #[test]
    fn money_reads_with_its_currency() {
        let m = |a: &str| Money {
            amount: a.into(),
            currency: "CNY".into(),
        };
        assert_eq!(money(&m("128.00")), "CNY 128.00");
        assert_eq!(deduction(&m("10.50")), "−CNY 10.50");
        assert_eq!(deduction(&m("0.00")), "CNY 0.00");
    }

    #[test]
    fn machine_names_read_as_words() {
        assert_eq!(machine_name("PAYMENT_RECEIVED"), "Payment received");
        assert_eq!(machine_name("CAPTURE"), "Capture");
        assert_eq!(machine_name(""), "");
    }

    #[test]
    fn long_ids_are_shortened() {
        assert_eq!(
            short_id("01a21264-2bc3-72ed-855d-b67b6ce31eb1"),
            "01a21264…"
        );
        assert_eq!(short_id("42"), "42");
    }

    #[test]
    fn json_details_read_as_pairs() {
        assert_eq!(
            detail(r#"{"email":"a@b.example","roles":["FINANCE","ADMIN"],"warehouseCodes":[]}"#),
            "email: a@b.example; roles: FINANCE, ADMIN"
        );
        assert_eq!(detail("not json"), "not json");
    }

    #[test]
    fn ages_read_coarser_as_they_grow() {
        let min = 60_000.0;
        assert_eq!(age(45_000.0), "under a minute");
        assert_eq!(age(-5_000.0), "under a minute");
        assert_eq!(age(f64::NAN), "under a minute");
        assert_eq!(age(12.0 * min), "12 min");
        assert_eq!(age(120.0 * min), "2 h");
        assert_eq!(age(185.0 * min), "3 h 5 min");
        assert_eq!(age(2.0 * 1_440.0 * min), "2 d");
        assert_eq!(age((2.0 * 1_440.0 + 250.0) * min), "2 d 4 h");
    }

    #[test]
    fn unit_changes_carry_their_sign() {
        assert_eq!(signed(10), "+10");
        assert_eq!(signed(-2), "−2");
        assert_eq!(signed(0), "0");
    }

    #[test]
    fn roles_are_named_for_people() {
        assert_eq!(
            roles(&[Role::Admin, Role::CustomerService]),
            "Administrator, Customer service"
        );
        assert_eq!(roles(&[]), "");
    }

    #[test]
    fn shipment_instructions_read_as_sentences() {
        let v = json!([
            { "kind": "DELIVER_WITHIN", "from": "2026-11-27T09:00:00Z", "to": "2026-11-27T12:00:00Z" },
            { "kind": "GIFT_WRAP" },
            { "kind": "GIFT_MESSAGE", "message": "Happy birthday" },
            { "kind": "INVOICE_SEPARATE", "title": "Acme Ltd", "taxId": "91310000MA1FL0001X" },
            { "kind": "SOMETHING_NEW" },
        ]);
        assert_eq!(
            instructions(&v),
            vec![
                "Deliver between 2026-11-27 09:00 and 2026-11-27 12:00 UTC",
                "Gift-wrap the goods",
                "Gift message card: “Happy birthday”",
                "Invoice sent separately: Acme Ltd, tax id 91310000MA1FL0001X",
                "Something new",
            ]
        );
        assert!(instructions(&json!(null)).is_empty());
        assert!(wants_invoice(&v));
        assert!(!wants_invoice(&json!([{ "kind": "GIFT_WRAP" }])));
    }
}
