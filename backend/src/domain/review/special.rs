//! Special requests (SPEC §2.2): a delivery window, gift wrap, a gift message and an invoice.
//! What the merchant can meet becomes an [`Instruction`] for the warehouse or the carrier choice
//! (stored as JSON on the shipments); what it cannot meet holds the order for customer service,
//! with the numbers that make it infeasible.
//!
//! Intake already checked the shape (the window ends after it starts, texts are not too long);
//! this checks feasibility against the merchant's policy at review time, which may be hours after
//! the order was placed.

use chrono::{DateTime, TimeDelta, Utc};
use orderly_shared::HoldReasonCode;
use serde::{Deserialize, Serialize};

use super::normalize::fold;
use crate::domain::orders::{
    DeliveryWindow, HoldReason, Invoice, InvoiceDelivery, SpecialRequests,
};

/// What the merchant can promise for special requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SpecialRequestPolicy {
    /// Hours from review to the earliest delivery the merchant can promise (pick, pack, ship).
    pub min_lead_hours: u32,
    /// Whether gift wrapping is offered.
    pub gift_wrap_available: bool,
    /// How many days ahead a delivery window may start (carriers plan no further).
    pub max_window_days_ahead: u32,
    /// The shortest window carriers accept, in hours.
    pub min_window_hours: u32,
}

/// One day's lead, gift wrap offered, windows up to 30 days ahead and at least 2 hours long.
impl Default for SpecialRequestPolicy {
    fn default() -> SpecialRequestPolicy {
        SpecialRequestPolicy {
            min_lead_hours: 24,
            gift_wrap_available: true,
            max_window_days_ahead: 30,
            min_window_hours: 2,
        }
    }
}

/// A special request the merchant will meet: what the warehouse or the carrier choice must do.
/// Stored as JSON on shipments, e.g. `{"kind":"GIFT_MESSAGE","message":"Happy birthday"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum Instruction {
    /// Deliver inside this window: only carriers offering scheduled delivery qualify.
    DeliverWithin {
        /// Earliest delivery.
        from: DateTime<Utc>,
        /// Latest delivery.
        to: DateTime<Utc>,
    },
    /// Gift-wrap the goods.
    GiftWrap,
    /// Print this on a card in the parcel.
    GiftMessage {
        /// The message, as the customer wrote it.
        message: String,
    },
    /// Print the invoice and pack it with the goods.
    InvoiceInParcel {
        /// The buyer's or company's name on the invoice.
        title: String,
        /// The company's taxpayer id.
        tax_id: Option<String>,
    },
    /// Send the invoice on its own (post or e-mail), not in the parcel.
    InvoiceSeparate {
        /// The buyer's or company's name on the invoice.
        title: String,
        /// The company's taxpayer id.
        tax_id: Option<String>,
    },
}

impl Instruction {
    /// The sentence the pack station shows.
    pub fn describe(&self) -> String {
        match self {
            Instruction::DeliverWithin { from, to } => format!(
                "Deliver between {} and {} (UTC): choose a carrier with scheduled delivery",
                from.format("%Y-%m-%d %H:%M"),
                to.format("%Y-%m-%d %H:%M")
            ),
            Instruction::GiftWrap => "Gift-wrap the goods".into(),
            Instruction::GiftMessage { message } => format!("Put a card in: \"{message}\""),
            Instruction::InvoiceInParcel { title, tax_id } => format!(
                "Print the invoice for {title}{} and pack it with the goods",
                tax_id
                    .as_deref()
                    .map(|t| format!(" (tax id {t})"))
                    .unwrap_or_default()
            ),
            Instruction::InvoiceSeparate { title, .. } => {
                format!("The invoice for {title} is sent separately: not in the parcel")
            }
        }
    }

    /// The short line the shipping label prints, for what the carrier must do; `None` for what
    /// only concerns the warehouse.
    pub fn label_text(&self) -> Option<String> {
        match self {
            Instruction::DeliverWithin { from, to } => Some(format!(
                "DELIVER {} - {}",
                from.format("%m-%d %H:%M"),
                to.format("%m-%d %H:%M")
            )),
            Instruction::GiftWrap => Some("GIFT WRAPPED".into()),
            Instruction::GiftMessage { .. }
            | Instruction::InvoiceInParcel { .. }
            | Instruction::InvoiceSeparate { .. } => None,
        }
    }
}

/// The outcome of [`check_special_requests`]: instructions for what can be met, holds for what
/// cannot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecialRequestCheck {
    /// For the warehouse and the carrier choice, in request order.
    pub instructions: Vec<Instruction>,
    /// [`HoldReasonCode::SpecialRequest`] reasons, with the numbers.
    pub holds: Vec<HoldReason>,
}

/// Checks `r` against `policy` at `now` (the time of the review).
///
/// Held: a delivery window starting before `now` + `min_lead_hours`, shorter than
/// `min_window_hours`, or starting more than `max_window_days_ahead` days away; gift wrap when it
/// is not offered; an invoice whose title looks like a company (公司, Ltd, GmbH, Inc, LLC, Co.,
/// Corp, PLC…) but has no tax id. Everything else becomes an instruction; a window with any
/// problem gives no [`Instruction::DeliverWithin`].
pub fn check_special_requests(
    r: &SpecialRequests,
    now: DateTime<Utc>,
    policy: &SpecialRequestPolicy,
) -> SpecialRequestCheck {
    let mut check = SpecialRequestCheck::default();

    if let Some(window) = r.delivery_window {
        let problems = window_problems(window, now, policy);
        if problems.is_empty() {
            check.instructions.push(Instruction::DeliverWithin {
                from: window.from,
                to: window.to,
            });
        }
        check.holds.extend(problems.into_iter().map(hold));
    }

    if r.gift_wrap {
        if policy.gift_wrap_available {
            check.instructions.push(Instruction::GiftWrap);
        } else {
            check
                .holds
                .push(hold("gift wrap was requested but is not offered".into()));
        }
    }

    if let Some(message) = &r.gift_message {
        check.instructions.push(Instruction::GiftMessage {
            message: message.clone(),
        });
    }

    if let Some(invoice) = &r.invoice {
        if invoice.tax_id.is_none() && looks_like_company(&invoice.title) {
            check.holds.push(hold(format!(
                "invoice title {:?} looks like a company: a company invoice needs a tax id",
                invoice.title
            )));
        } else {
            check.instructions.push(invoice_instruction(invoice));
        }
    }
    check
}

fn hold(message: String) -> HoldReason {
    HoldReason::new(HoldReasonCode::SpecialRequest, message)
}

/// Why `window` cannot be met, each with the numbers; empty when it can.
fn window_problems(
    window: DeliveryWindow,
    now: DateTime<Utc>,
    policy: &SpecialRequestPolicy,
) -> Vec<String> {
    let mut problems = Vec::new();
    let lead = TimeDelta::hours(i64::from(policy.min_lead_hours));
    // A lead too long to add to `now` is one no window can meet.
    if now
        .checked_add_signed(lead)
        .is_none_or(|earliest| window.from < earliest)
    {
        let starts = window.from - now;
        let when = if starts < TimeDelta::zero() {
            format!("started {} ago", hours(-starts))
        } else {
            format!("starts in {}", hours(starts))
        };
        problems.push(format!(
            "delivery window {when}; the earliest possible delivery is in {} h",
            policy.min_lead_hours
        ));
    }

    let length = window.to - window.from;
    if length < TimeDelta::hours(i64::from(policy.min_window_hours)) {
        problems.push(format!(
            "delivery window is {} long; it must be at least {} h",
            hours(length),
            policy.min_window_hours
        ));
    }

    let horizon = TimeDelta::days(i64::from(policy.max_window_days_ahead));
    // A horizon beyond the calendar is no limit at all.
    if now
        .checked_add_signed(horizon)
        .is_some_and(|latest| window.from > latest)
    {
        problems.push(format!(
            "delivery window starts in {}; deliveries can be planned at most {} ahead",
            days(window.from - now),
            plural(u64::from(policy.max_window_days_ahead), "day")
        ));
    }
    problems
}

/// `5 h`, `5 h 30 min`, `45 min`; negative spans read as `0 min`, seconds are dropped.
fn hours(span: TimeDelta) -> String {
    let minutes = span.num_minutes().max(0);
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// `45 days`, `30 days 3 h`, `2 days 1 h 20 min`; seconds are dropped.
fn days(span: TimeDelta) -> String {
    let whole_days = span.num_days().max(0);
    let rest = span - TimeDelta::days(whole_days);
    let day_text = plural(whole_days.unsigned_abs(), "day");
    if rest <= TimeDelta::zero() || rest.num_minutes() == 0 {
        day_text
    } else {
        format!("{day_text} {}", hours(rest))
    }
}

/// `1 day`, `2 days`.
pub(super) fn plural(count: u64, unit: &str) -> String {
    if count == 1 {
        format!("{count} {unit}")
    } else {
        format!("{count} {unit}s")
    }
}

/// Company markers: 公司 anywhere, or a legal-form word (`Ltd`, `Co.`, `GmbH`…) on its own.
fn looks_like_company(title: &str) -> bool {
    const LEGAL_FORMS: &[&str] = &[
        "ltd",
        "limited",
        "gmbh",
        "inc",
        "incorporated",
        "llc",
        "co",
        "corp",
        "corporation",
        "plc",
    ];
    let folded = fold(title);
    folded.contains("公司")
        || folded
            .split(|c: char| !c.is_alphanumeric())
            .any(|word| LEGAL_FORMS.contains(&word))
}

fn invoice_instruction(invoice: &Invoice) -> Instruction {
    let title = invoice.title.clone();
    let tax_id = invoice.tax_id.clone();
    match invoice.delivery {
        InvoiceDelivery::InParcel => Instruction::InvoiceInParcel { title, tax_id },
        InvoiceDelivery::Separate => Instruction::InvoiceSeparate { title, tax_id },
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn instructions_read_as_sentences_for_the_packer_and_short_lines_for_the_carrier() {
        let invoice = Instruction::InvoiceInParcel {
            title: "Acme Ltd".into(),
            tax_id: Some("91310000MA1FL4XY3X".into()),
        };
        assert_eq!(
            invoice.describe(),
            "Print the invoice for Acme Ltd (tax id 91310000MA1FL4XY3X) and pack it with the goods"
        );
        assert_eq!(invoice.label_text(), None);
        assert_eq!(Instruction::GiftWrap.describe(), "Gift-wrap the goods");
        assert_eq!(
            Instruction::GiftWrap.label_text().as_deref(),
            Some("GIFT WRAPPED")
        );
        let card = Instruction::GiftMessage {
            message: "Happy birthday".into(),
        };
        assert_eq!(card.describe(), "Put a card in: \"Happy birthday\"");
    }

    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 4, 8, 0, 0).unwrap()
    }

    fn window(from_hours: i64, to_hours: i64) -> SpecialRequests {
        SpecialRequests {
            delivery_window: Some(DeliveryWindow {
                from: now() + TimeDelta::hours(from_hours),
                to: now() + TimeDelta::hours(to_hours),
            }),
            ..SpecialRequests::default()
        }
    }

    fn invoice(title: &str, tax_id: Option<&str>, delivery: InvoiceDelivery) -> SpecialRequests {
        SpecialRequests {
            invoice: Some(Invoice {
                title: title.into(),
                tax_id: tax_id.map(Into::into),
                delivery,
            }),
            ..SpecialRequests::default()
        }
    }

    fn check(r: &SpecialRequests) -> SpecialRequestCheck {
        check_special_requests(r, now(), &SpecialRequestPolicy::default())
    }

    fn hold_messages(check: &SpecialRequestCheck) -> Vec<&str> {
        assert!(
            check
                .holds
                .iter()
                .all(|h| h.code == HoldReasonCode::SpecialRequest)
        );
        check.holds.iter().map(|h| h.message.as_str()).collect()
    }

    #[test]
    fn the_default_policy_is_a_day_of_lead_gift_wrap_30_days_and_2_hour_windows() {
        assert_eq!(
            SpecialRequestPolicy::default(),
            SpecialRequestPolicy {
                min_lead_hours: 24,
                gift_wrap_available: true,
                max_window_days_ahead: 30,
                min_window_hours: 2,
            }
        );
    }

    #[test]
    fn no_requests_give_no_instructions_and_no_holds() {
        assert_eq!(
            check(&SpecialRequests::default()),
            SpecialRequestCheck::default()
        );
    }

    #[test]
    fn a_feasible_window_becomes_a_delivery_instruction() {
        let requests = window(48, 52);
        assert_eq!(
            check(&requests),
            SpecialRequestCheck {
                instructions: vec![Instruction::DeliverWithin {
                    from: now() + TimeDelta::hours(48),
                    to: now() + TimeDelta::hours(52),
                }],
                holds: vec![],
            }
        );
    }

    #[test]
    fn a_window_exactly_at_the_limits_is_feasible() {
        let earliest_and_shortest = window(24, 26);
        assert!(check(&earliest_and_shortest).holds.is_empty());
        let furthest = window(30 * 24, 30 * 24 + 2);
        assert!(check(&furthest).holds.is_empty());
    }

    #[test]
    fn a_window_starting_too_soon_is_held_with_the_hours() {
        let result = check(&window(5, 9));
        assert_eq!(
            hold_messages(&result),
            vec!["delivery window starts in 5 h; the earliest possible delivery is in 24 h"]
        );
        assert!(result.instructions.is_empty());
    }

    #[test]
    fn minutes_are_shown_when_the_start_is_not_on_the_hour() {
        let mut requests = window(5, 9);
        if let Some(w) = requests.delivery_window.as_mut() {
            w.from += TimeDelta::minutes(30) + TimeDelta::seconds(59);
        }
        assert_eq!(
            hold_messages(&check(&requests)),
            vec!["delivery window starts in 5 h 30 min; the earliest possible delivery is in 24 h"]
        );
        let soon = SpecialRequests {
            delivery_window: Some(DeliveryWindow {
                from: now() + TimeDelta::minutes(45),
                to: now() + TimeDelta::hours(4),
            }),
            ..SpecialRequests::default()
        };
        assert_eq!(
            hold_messages(&check(&soon)),
            vec!["delivery window starts in 45 min; the earliest possible delivery is in 24 h"]
        );
    }

    #[test]
    fn a_window_that_already_started_says_how_long_ago() {
        assert_eq!(
            hold_messages(&check(&window(-3, 4))),
            vec!["delivery window started 3 h ago; the earliest possible delivery is in 24 h"]
        );
    }

    #[test]
    fn a_window_shorter_than_the_minimum_is_held() {
        assert_eq!(
            hold_messages(&check(&window(48, 49))),
            vec!["delivery window is 1 h long; it must be at least 2 h"]
        );
        let mut requests = window(48, 48);
        if let Some(w) = requests.delivery_window.as_mut() {
            w.to += TimeDelta::minutes(90);
        }
        assert_eq!(
            hold_messages(&check(&requests)),
            vec!["delivery window is 1 h 30 min long; it must be at least 2 h"]
        );
    }

    #[test]
    fn a_window_too_far_ahead_is_held_with_the_days() {
        assert_eq!(
            hold_messages(&check(&window(45 * 24, 45 * 24 + 4))),
            vec![
                "delivery window starts in 45 days; deliveries can be planned at most 30 days ahead"
            ]
        );
        assert_eq!(
            hold_messages(&check(&window(30 * 24 + 3, 30 * 24 + 7))),
            vec![
                "delivery window starts in 30 days 3 h; deliveries can be planned at most 30 days ahead"
            ]
        );
        let one_day = SpecialRequestPolicy {
            max_window_days_ahead: 1,
            ..SpecialRequestPolicy::default()
        };
        assert_eq!(
            hold_messages(&check_special_requests(&window(49, 53), now(), &one_day)),
            vec![
                "delivery window starts in 2 days 1 h; deliveries can be planned at most 1 day ahead"
            ]
        );
    }

    #[test]
    fn every_problem_of_a_window_is_reported() {
        assert_eq!(
            hold_messages(&check(&window(1, 2))),
            vec![
                "delivery window starts in 1 h; the earliest possible delivery is in 24 h",
                "delivery window is 1 h long; it must be at least 2 h",
            ]
        );
    }

    #[test]
    fn the_policy_s_numbers_are_the_ones_quoted() {
        let strict = SpecialRequestPolicy {
            min_lead_hours: 72,
            min_window_hours: 4,
            ..SpecialRequestPolicy::default()
        };
        assert_eq!(
            hold_messages(&check_special_requests(&window(48, 51), now(), &strict)),
            vec![
                "delivery window starts in 48 h; the earliest possible delivery is in 72 h",
                "delivery window is 3 h long; it must be at least 4 h",
            ]
        );
    }

    #[test]
    fn an_absurd_policy_does_not_panic() {
        let absurd = SpecialRequestPolicy {
            min_lead_hours: u32::MAX,
            max_window_days_ahead: u32::MAX,
            min_window_hours: u32::MAX,
            gift_wrap_available: true,
        };
        let result = check_special_requests(&window(48, 52), now(), &absurd);
        assert_eq!(result.holds.len(), 2, "{result:?}");
        assert!(result.instructions.is_empty());
    }

    #[test]
    fn gift_wrap_is_an_instruction_when_offered_and_a_hold_when_not() {
        let requests = SpecialRequests {
            gift_wrap: true,
            ..SpecialRequests::default()
        };
        assert_eq!(check(&requests).instructions, vec![Instruction::GiftWrap]);
        let no_wrap = SpecialRequestPolicy {
            gift_wrap_available: false,
            ..SpecialRequestPolicy::default()
        };
        let result = check_special_requests(&requests, now(), &no_wrap);
        assert_eq!(
            hold_messages(&result),
            vec!["gift wrap was requested but is not offered"]
        );
        assert!(result.instructions.is_empty());
    }

    #[test]
    fn a_gift_message_is_always_an_instruction() {
        let requests = SpecialRequests {
            gift_message: Some("生日快乐".into()),
            ..SpecialRequests::default()
        };
        let no_wrap = SpecialRequestPolicy {
            gift_wrap_available: false,
            ..SpecialRequestPolicy::default()
        };
        assert_eq!(
            check_special_requests(&requests, now(), &no_wrap),
            SpecialRequestCheck {
                instructions: vec![Instruction::GiftMessage {
                    message: "生日快乐".into()
                }],
                holds: vec![],
            }
        );
    }

    #[test]
    fn invoices_become_instructions_for_the_parcel_or_separate_delivery() {
        assert_eq!(
            check(&invoice("李雷", None, InvoiceDelivery::InParcel)).instructions,
            vec![Instruction::InvoiceInParcel {
                title: "李雷".into(),
                tax_id: None
            }]
        );
        assert_eq!(
            check(&invoice(
                "北京某某科技有限公司",
                Some("91110000600037341L"),
                InvoiceDelivery::Separate
            ))
            .instructions,
            vec![Instruction::InvoiceSeparate {
                title: "北京某某科技有限公司".into(),
                tax_id: Some("91110000600037341L".into())
            }]
        );
    }

    #[test]
    fn a_company_invoice_without_a_tax_id_is_held() {
        for title in [
            "北京某某科技有限公司",
            "ACME Ltd",
            "Acme Ltd.",
            "Acme Limited",
            "Muster GmbH",
            "Acme, Inc.",
            "Acme LLC",
            "Acme Trading Co.",
            "ACME CORP",
            "Acme plc",
            "ＡＣＭＥ ＬＴＤ",
        ] {
            let result = check(&invoice(title, None, InvoiceDelivery::InParcel));
            assert_eq!(
                hold_messages(&result),
                vec![format!(
                    "invoice title {title:?} looks like a company: a company invoice needs a tax id"
                )],
                "{title}"
            );
            assert!(result.instructions.is_empty(), "{title}");
        }
    }

    #[test]
    fn a_personal_invoice_title_needs_no_tax_id() {
        for title in [
            "李雷",
            "Jane Doe",
            "Colin Cox",
            "Incy Wincy",
            "Costco Fan",
            "Ltdx",
        ] {
            assert!(
                check(&invoice(title, None, InvoiceDelivery::InParcel))
                    .holds
                    .is_empty(),
                "{title}"
            );
        }
    }

    #[test]
    fn all_requests_are_checked_together_in_request_order() {
        let mut requests = window(5, 9);
        requests.gift_wrap = true;
        requests.gift_message = Some("Happy birthday".into());
        requests.invoice = Some(Invoice {
            title: "Acme Ltd".into(),
            tax_id: Some("91110000600037341L".into()),
            delivery: InvoiceDelivery::InParcel,
        });
        let result = check(&requests);
        assert_eq!(
            result.instructions,
            vec![
                Instruction::GiftWrap,
                Instruction::GiftMessage {
                    message: "Happy birthday".into()
                },
                Instruction::InvoiceInParcel {
                    title: "Acme Ltd".into(),
                    tax_id: Some("91110000600037341L".into())
                },
            ]
        );
        assert_eq!(result.holds.len(), 1);
    }

    #[test]
    fn instructions_are_stored_as_json_tagged_by_kind() {
        #[rustfmt::skip]
        let table = [
            (
                Instruction::DeliverWithin { from: now(), to: now() + TimeDelta::hours(2) },
                r#"{"kind":"DELIVER_WITHIN","from":"2026-05-04T08:00:00Z","to":"2026-05-04T10:00:00Z"}"#,
            ),
            (Instruction::GiftWrap, r#"{"kind":"GIFT_WRAP"}"#),
            (
                Instruction::GiftMessage { message: "Happy birthday".into() },
                r#"{"kind":"GIFT_MESSAGE","message":"Happy birthday"}"#,
            ),
            (
                Instruction::InvoiceInParcel { title: "Acme Ltd".into(), tax_id: Some("91110000600037341L".into()) },
                r#"{"kind":"INVOICE_IN_PARCEL","title":"Acme Ltd","taxId":"91110000600037341L"}"#,
            ),
            (
                Instruction::InvoiceSeparate { title: "李雷".into(), tax_id: None },
                r#"{"kind":"INVOICE_SEPARATE","title":"李雷","taxId":null}"#,
            ),
        ];
        for (instruction, json) in table {
            assert_eq!(serde_json::to_string(&instruction).unwrap(), json);
            assert_eq!(
                serde_json::from_str::<Instruction>(json).unwrap(),
                instruction
            );
        }
    }

    #[test]
    fn the_policy_reads_camel_case_json_and_fills_in_defaults() {
        let policy: SpecialRequestPolicy =
            serde_json::from_str(r#"{"minLeadHours":48,"giftWrapAvailable":false}"#).unwrap();
        assert_eq!(
            policy,
            SpecialRequestPolicy {
                min_lead_hours: 48,
                gift_wrap_available: false,
                ..SpecialRequestPolicy::default()
            }
        );
    }
}
