//! After-sales cases: who may open one and for what, the case state machine (SPEC §3:
//! `REQUESTED → APPROVED | REJECTED → AWAITING_RETURN → RECEIVED → INSPECTED → RESOLVED`), and
//! how much money goes back.
//!
//! Amounts are minor units of the order's currency. A line's refund is its price less its share
//! of the order's discounts, spread over its units so that refunds for all of a line's units,
//! however many cases they come back in, add up to exactly what the line cost.

use chrono::{DateTime, TimeDelta, Utc};
use orderly_shared::{CaseKind, CaseReason, CaseStatus, InspectionVerdict, OrderStatus};
use orderly_shared::{ShippingRefundPolicy, ShippingRefundPolicy as Ship};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The longest description or note kept.
pub const MAX_NOTE: usize = 1000;

/// The merchant's after-sales settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AfterSalesPolicy {
    /// Days after delivery within which a NO_REASON return may be opened.
    pub no_reason_days: u32,
    pub shipping_refund: ShippingRefundPolicy,
}

impl Default for AfterSalesPolicy {
    fn default() -> Self {
        AfterSalesPolicy {
            no_reason_days: 7,
            shipping_refund: ShippingRefundPolicy::MerchantFault,
        }
    }
}

impl AfterSalesPolicy {
    pub const MAX_NO_REASON_DAYS: u32 = 90;

    pub fn check(&self) -> Result<(), CaseError> {
        if (1..=Self::MAX_NO_REASON_DAYS).contains(&self.no_reason_days) {
            Ok(())
        } else {
            Err(CaseError::WindowOutOfRange)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error("after-sales cases are for delivered orders; this one is {0}")]
    NotDelivered(OrderStatus),
    #[error(
        "a return without a reason is possible for {days} days after delivery; the order was delivered on {delivered}"
    )]
    WindowClosed { days: u32, delivered: String },
    #[error("name at least one order line")]
    NoLines,
    #[error("line {0} is named twice")]
    DuplicateLine(Uuid),
    #[error("line {0} is not a line of this order")]
    UnknownLine(Uuid),
    #[error("a quantity must be at least 1")]
    QuantityNotPositive,
    #[error("only {available} unit(s) of {sku} are left to claim for")]
    ExceedsShipped { sku: String, available: i32 },
    #[error("{reason} cannot be a {kind} case: nothing came to send back")]
    KindNotForReason { reason: CaseReason, kind: CaseKind },
    #[error("at most {MAX_NOTE} characters")]
    NoteTooLong,
    #[error("say why")]
    NoteRequired,
    #[error(
        "the return window is 1 to {} days",
        AfterSalesPolicy::MAX_NO_REASON_DAYS
    )]
    WindowOutOfRange,
    #[error("a case that is {from} cannot be {action}")]
    InvalidTransition {
        from: CaseStatus,
        action: &'static str,
    },
}

/// An order line as a new case sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    pub sku: String,
    /// Units that reached the customer: ordered less cancelled.
    pub shipped: i32,
    /// Units already in other cases that were not rejected.
    pub claimed: i32,
}

/// What the customer asks for.
#[derive(Debug, Clone)]
pub struct OpenRequest<'a> {
    pub reason: CaseReason,
    pub kind: CaseKind,
    pub lines: &'a [(Uuid, i32)],
    pub description: Option<&'a str>,
}

/// The order as a new case sees it.
#[derive(Debug, Clone, Copy)]
pub struct OrderFacts {
    pub status: OrderStatus,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// Checks a new case against the order, its lines and the policy: every problem at once.
pub fn check_open(
    policy: &AfterSalesPolicy,
    order: OrderFacts,
    lines: &HashMap<Uuid, LineFacts>,
    request: &OpenRequest<'_>,
    now: DateTime<Utc>,
) -> Result<(), Vec<(usize, CaseError)>> {
    let mut problems = Vec::new();
    match (order.status, order.delivered_at) {
        (OrderStatus::Delivered | OrderStatus::Completed, Some(delivered)) => {
            let window = TimeDelta::days(i64::from(policy.no_reason_days));
            if request.reason == CaseReason::NoReason && now > delivered + window {
                problems.push((
                    usize::MAX,
                    CaseError::WindowClosed {
                        days: policy.no_reason_days,
                        delivered: delivered.format("%Y-%m-%d %H:%M UTC").to_string(),
                    },
                ));
            }
        }
        (status, _) => problems.push((usize::MAX, CaseError::NotDelivered(status))),
    }
    if request.reason == CaseReason::MissingItem && request.kind.needs_return() {
        problems.push((
            usize::MAX,
            CaseError::KindNotForReason {
                reason: request.reason,
                kind: request.kind,
            },
        ));
    }
    if request
        .description
        .is_some_and(|d| d.trim().chars().count() > MAX_NOTE)
    {
        problems.push((usize::MAX, CaseError::NoteTooLong));
    }
    if request.lines.is_empty() {
        problems.push((usize::MAX, CaseError::NoLines));
    }
    let mut seen = HashSet::new();
    for (i, (id, quantity)) in request.lines.iter().enumerate() {
        if !seen.insert(*id) {
            problems.push((i, CaseError::DuplicateLine(*id)));
            continue;
        }
        let Some(facts) = lines.get(id) else {
            problems.push((i, CaseError::UnknownLine(*id)));
            continue;
        };
        if *quantity < 1 {
            problems.push((i, CaseError::QuantityNotPositive));
            continue;
        }
        let available = (facts.shipped - facts.claimed).max(0);
        if *quantity > available {
            problems.push((
                i,
                CaseError::ExceedsShipped {
                    sku: facts.sku.clone(),
                    available,
                },
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// What a kind of case involves.
pub trait KindExt {
    /// The units come back to the warehouse first.
    fn needs_return(self) -> bool;
    /// The customer gets money back.
    fn refunds(self) -> bool;
    /// A replacement order ships the items again.
    fn replaces(self) -> bool;
}

impl KindExt for CaseKind {
    fn needs_return(self) -> bool {
        matches!(self, CaseKind::ReturnAndRefund | CaseKind::Exchange)
    }
    fn refunds(self) -> bool {
        matches!(self, CaseKind::ReturnAndRefund | CaseKind::RefundOnly)
    }
    fn replaces(self) -> bool {
        matches!(self, CaseKind::Exchange | CaseKind::Reship)
    }
}

/// Whether the case still counts as open: it blocks automatic completion of its order.
pub fn is_open(status: CaseStatus) -> bool {
    !matches!(status, CaseStatus::Rejected | CaseStatus::Resolved)
}

/// What happens to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseCommand {
    Approve,
    Reject,
    /// The return label is issued.
    AwaitReturn,
    /// The warehouse scanned the parcel in.
    Receive,
    /// The last returned unit was inspected.
    FinishInspection,
    /// The refund was paid, the replacement order placed, or nothing is left to do.
    Resolve,
    /// Customer service closes the case by hand (the customer withdrew, finance refused).
    Close,
}

impl CaseCommand {
    fn action(self) -> &'static str {
        match self {
            CaseCommand::Approve => "approved",
            CaseCommand::Reject => "rejected",
            CaseCommand::AwaitReturn => "sent a return label",
            CaseCommand::Receive => "received",
            CaseCommand::FinishInspection => "inspected",
            CaseCommand::Resolve => "resolved",
            CaseCommand::Close => "closed",
        }
    }
}

/// The case state machine.
pub fn next(
    kind: CaseKind,
    from: CaseStatus,
    command: CaseCommand,
) -> Result<CaseStatus, CaseError> {
    use CaseCommand as C;
    use CaseStatus as S;
    let to = match (from, command) {
        (S::Requested, C::Approve) => Some(S::Approved),
        (S::Requested, C::Reject) => Some(S::Rejected),
        (S::Approved, C::AwaitReturn) if kind.needs_return() => Some(S::AwaitingReturn),
        (S::AwaitingReturn, C::Receive) => Some(S::Received),
        (S::Received, C::FinishInspection) => Some(S::Inspected),
        (S::Approved, C::Resolve) if !kind.needs_return() => Some(S::Resolved),
        (S::Inspected, C::Resolve) => Some(S::Resolved),
        (S::Approved | S::AwaitingReturn | S::Received | S::Inspected, C::Close) => {
            Some(S::Resolved)
        }
        _ => None,
    };
    to.ok_or(CaseError::InvalidTransition {
        from,
        action: command.action(),
    })
}

/// Units of a returned line by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Inspected {
    pub passed: i32,
    pub scrapped: i32,
    pub sent_back: i32,
}

impl Inspected {
    pub fn total(self) -> i32 {
        self.passed + self.scrapped + self.sent_back
    }
    /// Units the merchant takes back and pays for: sellable or the merchant's loss.
    pub fn accepted(self) -> i32 {
        self.passed + self.scrapped
    }
}

/// A failed unit needs a note saying what was wrong with it.
pub fn check_inspection_note(
    verdict: InspectionVerdict,
    note: Option<&str>,
) -> Result<(), CaseError> {
    let note = note.map(str::trim).unwrap_or_default();
    if note.chars().count() > MAX_NOTE {
        return Err(CaseError::NoteTooLong);
    }
    if verdict != InspectionVerdict::Pass && note.is_empty() {
        return Err(CaseError::NoteRequired);
    }
    Ok(())
}

/// An order line's price facts for a refund.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinePrice {
    pub quantity: i32,
    pub unit_price_minor: i64,
    pub discount_minor: i64,
    /// Units of the line refunded before: cancelled ones and earlier cases' accepted units.
    pub refunded_units: i32,
}

impl LinePrice {
    fn net_minor(self) -> i64 {
        (self.unit_price_minor * i64::from(self.quantity) - self.discount_minor).max(0)
    }

    /// What `units` more units are refunded: the line's net price spread over its units, the
    /// remainder going to the last unit, so all units together are exactly the net price.
    pub fn refund_for(self, units: i32) -> i64 {
        if self.quantity <= 0 {
            return 0;
        }
        let share = |n: i32| {
            let n = i64::from(n.clamp(0, self.quantity));
            self.net_minor() * n / i64::from(self.quantity)
        };
        share(self.refunded_units + units) - share(self.refunded_units)
    }
}

/// Whether the merchant is at fault for the reason (what [`Ship::MerchantFault`] refunds).
pub fn merchant_fault(reason: CaseReason) -> bool {
    !matches!(reason, CaseReason::SizeMismatch | CaseReason::NoReason)
}

/// The order's shipping fee if it goes back with this case's refund: at most once per order.
pub fn shipping_refund(
    policy: ShippingRefundPolicy,
    reason: CaseReason,
    shipping_minor: i64,
    already_refunded: bool,
    everything_back: bool,
) -> i64 {
    let due = match policy {
        Ship::Never => false,
        Ship::MerchantFault => merchant_fault(reason),
        Ship::WhenAllReturned => everything_back,
    };
    if due && !already_refunded {
        shipping_minor.max(0)
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn at(day: u32) -> DateTime<Utc> {
        format!("2026-11-{day:02}T10:00:00Z").parse().unwrap()
    }

    fn delivered(day: u32) -> OrderFacts {
        OrderFacts {
            status: OrderStatus::Delivered,
            delivered_at: Some(at(day)),
        }
    }

    fn one_line(shipped: i32, claimed: i32) -> (Uuid, HashMap<Uuid, LineFacts>) {
        let id = Uuid::now_v7();
        let facts = LineFacts {
            sku: "TEE-M".into(),
            shipped,
            claimed,
        };
        (id, HashMap::from([(id, facts)]))
    }

    fn request(reason: CaseReason, kind: CaseKind, lines: &[(Uuid, i32)]) -> OpenRequest<'_> {
        OpenRequest {
            reason,
            kind,
            lines,
            description: None,
        }
    }

    fn errors(r: Result<(), Vec<(usize, CaseError)>>) -> Vec<CaseError> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|(_, e)| e)
            .collect()
    }

    #[test]
    fn a_no_reason_return_is_open_for_the_window_and_refused_after() {
        let policy = AfterSalesPolicy::default();
        let (id, lines) = one_line(2, 0);
        let lines_asked = [(id, 1)];
        let ask = request(
            CaseReason::NoReason,
            CaseKind::ReturnAndRefund,
            &lines_asked,
        );
        // Delivered on the 1st at 10:00: the 8th at 10:00 is the last moment.
        assert!(check_open(&policy, delivered(1), &lines, &ask, at(8)).is_ok());
        let late = errors(check_open(
            &policy,
            delivered(1),
            &lines,
            &ask,
            at(8) + TimeDelta::seconds(1),
        ));
        assert!(matches!(
            late[..],
            [CaseError::WindowClosed { days: 7, .. }]
        ));
        assert!(late[0].to_string().contains("2026-11-01 10:00 UTC"));
        // Any other reason is not bound to the window.
        let defect = request(
            CaseReason::QualityDefect,
            CaseKind::ReturnAndRefund,
            &lines_asked,
        );
        assert!(check_open(&policy, delivered(1), &lines, &defect, at(30)).is_ok());
        // The merchant can widen it.
        let wide = AfterSalesPolicy {
            no_reason_days: 30,
            ..policy
        };
        assert!(check_open(&wide, delivered(1), &lines, &ask, at(30)).is_ok());
    }

    #[test]
    fn only_delivered_or_completed_orders_take_cases() {
        let policy = AfterSalesPolicy::default();
        let (id, lines) = one_line(1, 0);
        let asked = [(id, 1)];
        let ask = request(CaseReason::WrongItem, CaseKind::Exchange, &asked);
        for status in [
            OrderStatus::Shipped,
            OrderStatus::Allocated,
            OrderStatus::Cancelled,
        ] {
            let order = OrderFacts {
                status,
                delivered_at: None,
            };
            assert_eq!(
                errors(check_open(&policy, order, &lines, &ask, at(2))),
                [CaseError::NotDelivered(status)]
            );
        }
        let completed = OrderFacts {
            status: OrderStatus::Completed,
            delivered_at: Some(at(1)),
        };
        assert!(check_open(&policy, completed, &lines, &ask, at(2)).is_ok());
    }

    #[test]
    fn a_missing_item_cannot_be_sent_back() {
        let policy = AfterSalesPolicy::default();
        let (id, lines) = one_line(1, 0);
        let asked = [(id, 1)];
        for kind in [CaseKind::ReturnAndRefund, CaseKind::Exchange] {
            let ask = request(CaseReason::MissingItem, kind, &asked);
            assert!(matches!(
                errors(check_open(&policy, delivered(1), &lines, &ask, at(2)))[..],
                [CaseError::KindNotForReason { .. }]
            ));
        }
        for kind in [CaseKind::RefundOnly, CaseKind::Reship] {
            let ask = request(CaseReason::MissingItem, kind, &asked);
            assert!(check_open(&policy, delivered(1), &lines, &ask, at(2)).is_ok());
        }
    }

    #[test]
    fn lines_are_checked_against_what_is_left_to_claim() {
        let policy = AfterSalesPolicy::default();
        let (id, lines) = one_line(3, 2);
        let stranger = Uuid::now_v7();
        let asked = [(id, 2), (stranger, 1), (id, 1)];
        let ask = request(CaseReason::QualityDefect, CaseKind::RefundOnly, &asked);
        let found = check_open(&policy, delivered(1), &lines, &ask, at(2)).unwrap_err();
        assert_eq!(
            found,
            vec![
                (
                    0,
                    CaseError::ExceedsShipped {
                        sku: "TEE-M".into(),
                        available: 1
                    }
                ),
                (1, CaseError::UnknownLine(stranger)),
                (2, CaseError::DuplicateLine(id)),
            ]
        );
        let none = request(CaseReason::QualityDefect, CaseKind::RefundOnly, &[]);
        assert_eq!(
            errors(check_open(&policy, delivered(1), &lines, &none, at(2))),
            [CaseError::NoLines]
        );
        let zero = [(id, 0)];
        let ask = request(CaseReason::QualityDefect, CaseKind::RefundOnly, &zero);
        assert_eq!(
            errors(check_open(&policy, delivered(1), &lines, &ask, at(2))),
            [CaseError::QuantityNotPositive]
        );
    }

    #[test]
    fn every_kind_walks_its_own_path() {
        use CaseCommand as C;
        use CaseStatus as S;
        let walk = |kind: CaseKind, commands: &[C]| {
            commands
                .iter()
                .try_fold(S::Requested, |s, c| next(kind, s, *c))
        };
        let returned = [
            C::Approve,
            C::AwaitReturn,
            C::Receive,
            C::FinishInspection,
            C::Resolve,
        ];
        assert_eq!(walk(CaseKind::ReturnAndRefund, &returned), Ok(S::Resolved));
        assert_eq!(walk(CaseKind::Exchange, &returned), Ok(S::Resolved));
        for kind in [CaseKind::RefundOnly, CaseKind::Reship] {
            assert_eq!(walk(kind, &[C::Approve, C::Resolve]), Ok(S::Resolved));
            assert!(walk(kind, &[C::Approve, C::AwaitReturn]).is_err());
        }
        // A return kind is not resolved before the parcel is back and inspected.
        assert_eq!(
            walk(CaseKind::ReturnAndRefund, &[C::Approve, C::Resolve]),
            Err(CaseError::InvalidTransition {
                from: S::Approved,
                action: "resolved"
            })
        );
        assert_eq!(walk(CaseKind::Exchange, &[C::Reject]), Ok(S::Rejected));
        assert!(walk(CaseKind::Exchange, &[C::Reject, C::Approve]).is_err());
        assert!(walk(CaseKind::Exchange, &[C::Reject, C::Close]).is_err());
        assert!(walk(CaseKind::RefundOnly, &[C::Close]).is_err());
        assert_eq!(
            walk(CaseKind::Exchange, &[C::Approve, C::AwaitReturn, C::Close]),
            Ok(S::Resolved)
        );
    }

    #[test]
    fn only_rejected_and_resolved_cases_are_closed() {
        let open: Vec<CaseStatus> = CaseStatus::ALL
            .iter()
            .copied()
            .filter(|s| is_open(*s))
            .collect();
        assert_eq!(
            open,
            [
                CaseStatus::Requested,
                CaseStatus::Approved,
                CaseStatus::AwaitingReturn,
                CaseStatus::Received,
                CaseStatus::Inspected
            ]
        );
    }

    #[test]
    fn a_failed_unit_needs_a_note() {
        assert_eq!(check_inspection_note(InspectionVerdict::Pass, None), Ok(()));
        for verdict in [InspectionVerdict::Scrap, InspectionVerdict::SendBack] {
            assert_eq!(
                check_inspection_note(verdict, Some("  ")),
                Err(CaseError::NoteRequired)
            );
            assert_eq!(check_inspection_note(verdict, Some("torn seam")), Ok(()));
        }
        let essay = "x".repeat(MAX_NOTE + 1);
        assert_eq!(
            check_inspection_note(InspectionVerdict::Pass, Some(&essay)),
            Err(CaseError::NoteTooLong)
        );
    }

    #[test]
    fn a_unit_refund_is_its_price_less_its_share_of_the_discount() {
        // 3 × 33.34 with 10.00 off: 90.02 net; 30.00, 30.01, 30.01.
        let line = LinePrice {
            quantity: 3,
            unit_price_minor: 33_34,
            discount_minor: 10_00,
            refunded_units: 0,
        };
        assert_eq!(line.refund_for(1), 30_00);
        assert_eq!(line.refund_for(3), 90_02);
        let after_one = LinePrice {
            refunded_units: 1,
            ..line
        };
        assert_eq!(after_one.refund_for(2), 60_02);
        // Never more units than the line has.
        let all_back = LinePrice {
            refunded_units: 3,
            ..line
        };
        assert_eq!(all_back.refund_for(1), 0);
    }

    #[test]
    fn shipping_goes_back_by_the_policy_and_only_once() {
        use CaseReason as R;
        assert_eq!(
            shipping_refund(Ship::Never, R::WrongItem, 10_00, false, true),
            0
        );
        assert_eq!(
            shipping_refund(Ship::MerchantFault, R::WrongItem, 10_00, false, false),
            10_00
        );
        assert_eq!(
            shipping_refund(Ship::MerchantFault, R::NoReason, 10_00, false, true),
            0
        );
        assert_eq!(
            shipping_refund(Ship::MerchantFault, R::SizeMismatch, 10_00, false, true),
            0
        );
        assert_eq!(
            shipping_refund(Ship::MerchantFault, R::DamagedInTransit, 10_00, true, false),
            0
        );
        assert_eq!(
            shipping_refund(Ship::WhenAllReturned, R::NoReason, 10_00, false, true),
            10_00
        );
        assert_eq!(
            shipping_refund(Ship::WhenAllReturned, R::WrongItem, 10_00, false, false),
            0
        );
    }

    #[test]
    fn the_policy_window_is_bounded() {
        for days in [0, AfterSalesPolicy::MAX_NO_REASON_DAYS + 1] {
            let p = AfterSalesPolicy {
                no_reason_days: days,
                ..AfterSalesPolicy::default()
            };
            assert_eq!(p.check(), Err(CaseError::WindowOutOfRange));
        }
        assert_eq!(AfterSalesPolicy::default().check(), Ok(()));
    }

    proptest! {
        /// However a line's units come back, case by case, the refunds add up to the line's net
        /// price exactly and no step is negative.
        #[test]
        fn unit_refunds_add_up_to_the_line(
            quantity in 1i32..40,
            unit in 1i64..100_000,
            discount_share in 0u32..100,
            steps in proptest::collection::vec(1i32..5, 1..20),
        ) {
            let gross = unit * i64::from(quantity);
            let discount = gross * i64::from(discount_share) / 100;
            let mut done = 0;
            let mut total = 0;
            for step in steps {
                let units = step.min(quantity - done);
                if units == 0 { break; }
                let r = LinePrice {
                    quantity,
                    unit_price_minor: unit,
                    discount_minor: discount,
                    refunded_units: done,
                }
                .refund_for(units);
                prop_assert!(r >= 0);
                total += r;
                done += units;
            }
            let rest = LinePrice {
                quantity,
                unit_price_minor: unit,
                discount_minor: discount,
                refunded_units: done,
            }
            .refund_for(quantity - done);
            prop_assert_eq!(total + rest, gross - discount);
        }
    }
}
