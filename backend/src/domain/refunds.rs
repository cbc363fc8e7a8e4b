//! Refunds: who may decide them, how many approvals they need, how much may still be refunded,
//! and the refund state machine (SPEC §3: `REQUESTED → APPROVED | REJECTED → EXECUTED | FAILED`,
//! and a failed refund may be retried, which approves it for execution again).
//!
//! Amounts are minor units of the order's currency: a refund never mixes currencies.

use orderly_shared::{PaymentMethod, PaymentStatus, RefundStatus};
use std::collections::BTreeMap;

/// Who asked for the refund, as the timeline names them: `(kind, label)`, e.g.
/// `("USER", "cs@shop.example")` or `("SYSTEM", "system")`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub kind: String,
    pub label: String,
}

impl Person {
    pub fn new(kind: impl Into<String>, label: impl Into<String>) -> Person {
        Person {
            kind: kind.into(),
            label: label.into(),
        }
    }

    /// Whether two records name the same person. Only people can be the same person: two
    /// automatic steps ("system") are not.
    fn same_as(&self, other: &Person) -> bool {
        self.kind == "USER" && self == other
    }
}

/// The merchant's refund controls: above these amounts (per currency, minor units) a second
/// finance approval is needed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundPolicy {
    pub second_approval_above_minor: BTreeMap<String, i64>,
}

impl Default for RefundPolicy {
    fn default() -> Self {
        RefundPolicy {
            // In minor units: 1,000.00 CNY, 200.00 USD, 200.00 EUR.
            second_approval_above_minor: BTreeMap::from([
                ("CNY".to_string(), 100_000),
                ("USD".to_string(), 20_000),
                ("EUR".to_string(), 20_000),
            ]),
        }
    }
}

impl RefundPolicy {
    /// Approvals a refund of `amount_minor` in `currency` needs: two above the threshold, else
    /// one. A currency without a threshold needs one.
    pub fn approvals_needed(&self, currency: &str, amount_minor: i64) -> u8 {
        match self.second_approval_above_minor.get(currency) {
            Some(limit) if amount_minor > *limit => 2,
            _ => 1,
        }
    }
}

/// A refund as the rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundState {
    pub status: RefundStatus,
    pub requested_by: Person,
    pub approvals_needed: u8,
    /// The first approver, when two approvals are needed and one was given.
    pub first_approver: Option<Person>,
}

/// Why a refund decision is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundError {
    #[error("a refund that is {from} cannot {action}")]
    NotAllowed {
        from: RefundStatus,
        action: &'static str,
    },
    #[error("{who} requested this refund and cannot approve it: another finance user must")]
    OwnRequest { who: String },
    #[error("{who} already gave the first approval; the second must come from someone else")]
    SecondApprovalBySamePerson { who: String },
    #[error("a rejection needs a reason")]
    ReasonRequired,
    #[error("the amount must be more than zero")]
    NotPositive,
    #[error("only {available_minor} (minor units) of what was paid is left to refund")]
    ExceedsPaid { available_minor: i64 },
}

/// What an approval did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approval {
    /// Enough approvals: the refund is APPROVED and can be executed.
    Approved,
    /// The first of two approvals: the refund stays REQUESTED, waiting for a second approver.
    FirstOfTwo,
}

/// A finance user approves. The requester never may; of two approvals, each from a different
/// person.
pub fn approve(state: &RefundState, approver: &Person) -> Result<Approval, RefundError> {
    if state.status != RefundStatus::Requested {
        return Err(RefundError::NotAllowed {
            from: state.status,
            action: "be approved",
        });
    }
    if state.requested_by.same_as(approver) {
        return Err(RefundError::OwnRequest {
            who: approver.label.clone(),
        });
    }
    match &state.first_approver {
        Some(first) if first.same_as(approver) => Err(RefundError::SecondApprovalBySamePerson {
            who: approver.label.clone(),
        }),
        Some(_) => Ok(Approval::Approved),
        None if state.approvals_needed >= 2 => Ok(Approval::FirstOfTwo),
        None => Ok(Approval::Approved),
    }
}

/// A finance user rejects a requested refund, saying why.
pub fn reject(status: RefundStatus, reason: &str) -> Result<RefundStatus, RefundError> {
    if status != RefundStatus::Requested {
        return Err(RefundError::NotAllowed {
            from: status,
            action: "be rejected",
        });
    }
    if reason.trim().is_empty() {
        return Err(RefundError::ReasonRequired);
    }
    Ok(RefundStatus::Rejected)
}

/// What the payment provider answered to an execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Execution {
    Paid,
    Declined,
}

/// Records the provider's answer: only an approved refund is executed.
pub fn settle(status: RefundStatus, outcome: Execution) -> Result<RefundStatus, RefundError> {
    match (status, outcome) {
        (RefundStatus::Approved, Execution::Paid) => Ok(RefundStatus::Executed),
        (RefundStatus::Approved, Execution::Declined) => Ok(RefundStatus::Failed),
        (from, _) => Err(RefundError::NotAllowed {
            from,
            action: "be executed",
        }),
    }
}

/// Finance retries a failed refund: it is approved for execution again (same amount, same
/// idempotency key, so a provider that did pay after all is not paid twice).
pub fn retry(status: RefundStatus) -> Result<RefundStatus, RefundError> {
    match status {
        RefundStatus::Failed => Ok(RefundStatus::Approved),
        from => Err(RefundError::NotAllowed {
            from,
            action: "be retried",
        }),
    }
}

/// Whether a refund still counts against what was paid: everything not rejected (a failed
/// refund may be retried, so its amount stays spoken for).
pub fn holds_amount(status: RefundStatus) -> bool {
    status != RefundStatus::Rejected
}

/// Checks a new refund of `amount_minor` against what was paid and what other refunds already
/// hold: partial refunds add up and never exceed the payment.
pub fn check_amount(
    paid_minor: i64,
    held_minor: i64,
    amount_minor: i64,
) -> Result<(), RefundError> {
    if amount_minor <= 0 {
        return Err(RefundError::NotPositive);
    }
    let available_minor = (paid_minor - held_minor).max(0);
    if amount_minor > available_minor {
        return Err(RefundError::ExceedsPaid { available_minor });
    }
    Ok(())
}

/// The order's payment status once `refunded_minor` of `paid_minor` went back.
pub fn payment_status_after(
    method: PaymentMethod,
    paid_minor: i64,
    refunded_minor: i64,
) -> PaymentStatus {
    if refunded_minor <= 0 {
        match method {
            PaymentMethod::Prepaid => PaymentStatus::Paid,
            PaymentMethod::CashOnDelivery => PaymentStatus::CodCollected,
        }
    } else if refunded_minor < paid_minor {
        PaymentStatus::PartiallyRefunded
    } else {
        PaymentStatus::Refunded
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cs() -> Person {
        Person::new("USER", "cs@shop.example")
    }
    fn fin(n: u8) -> Person {
        Person::new("USER", format!("finance{n}@shop.example"))
    }
    fn requested(needed: u8) -> RefundState {
        RefundState {
            status: RefundStatus::Requested,
            requested_by: cs(),
            approvals_needed: needed,
            first_approver: None,
        }
    }

    #[test]
    fn one_approval_approves_a_small_refund() {
        assert_eq!(approve(&requested(1), &fin(1)), Ok(Approval::Approved));
    }

    #[test]
    fn the_requester_cannot_approve_even_as_finance() {
        let err = approve(&requested(1), &cs()).unwrap_err();
        assert!(matches!(err, RefundError::OwnRequest { .. }));
        assert!(err.to_string().contains("cs@shop.example"));
    }

    #[test]
    fn system_requests_can_be_approved_by_anyone_in_finance() {
        let mut s = requested(1);
        s.requested_by = Person::new("SYSTEM", "system");
        assert_eq!(approve(&s, &fin(1)), Ok(Approval::Approved));
    }

    #[test]
    fn a_large_refund_needs_two_different_approvers() {
        let s = requested(2);
        assert_eq!(approve(&s, &fin(1)), Ok(Approval::FirstOfTwo));
        let after_first = RefundState {
            first_approver: Some(fin(1)),
            ..s
        };
        assert!(matches!(
            approve(&after_first, &fin(1)),
            Err(RefundError::SecondApprovalBySamePerson { .. })
        ));
        assert!(matches!(
            approve(&after_first, &cs()),
            Err(RefundError::OwnRequest { .. })
        ));
        assert_eq!(approve(&after_first, &fin(2)), Ok(Approval::Approved));
    }

    #[test]
    fn only_requested_refunds_are_decided() {
        for status in [
            RefundStatus::Approved,
            RefundStatus::Rejected,
            RefundStatus::Executed,
            RefundStatus::Failed,
        ] {
            let s = RefundState {
                status,
                ..requested(1)
            };
            assert!(matches!(
                approve(&s, &fin(1)),
                Err(RefundError::NotAllowed { .. })
            ));
            assert!(matches!(
                reject(status, "no"),
                Err(RefundError::NotAllowed { .. })
            ));
        }
        assert_eq!(
            reject(RefundStatus::Requested, "  "),
            Err(RefundError::ReasonRequired)
        );
        assert_eq!(
            reject(RefundStatus::Requested, "duplicate request"),
            Ok(RefundStatus::Rejected)
        );
    }

    #[test]
    fn execution_settles_approved_refunds_only() {
        use RefundStatus as S;
        assert_eq!(settle(S::Approved, Execution::Paid), Ok(S::Executed));
        assert_eq!(settle(S::Approved, Execution::Declined), Ok(S::Failed));
        for from in [S::Requested, S::Rejected, S::Executed, S::Failed] {
            assert!(settle(from, Execution::Paid).is_err(), "{from}");
        }
        assert_eq!(retry(S::Failed), Ok(S::Approved));
        assert!(retry(S::Executed).is_err());
    }

    #[test]
    fn threshold_is_per_currency_and_exclusive() {
        let p = RefundPolicy::default();
        assert_eq!(p.approvals_needed("CNY", 100_000), 1);
        assert_eq!(p.approvals_needed("CNY", 100_001), 2);
        assert_eq!(p.approvals_needed("JPY", i64::MAX), 1);
    }

    #[test]
    fn amounts_are_checked_against_what_is_left() {
        assert_eq!(check_amount(10_000, 0, 10_000), Ok(()));
        assert_eq!(
            check_amount(10_000, 6_000, 5_000),
            Err(RefundError::ExceedsPaid {
                available_minor: 4_000
            })
        );
        assert_eq!(check_amount(10_000, 0, 0), Err(RefundError::NotPositive));
        assert_eq!(
            check_amount(0, 0, 1),
            Err(RefundError::ExceedsPaid { available_minor: 0 })
        );
    }

    #[test]
    fn payment_status_follows_the_refunded_sum() {
        use PaymentMethod::*;
        assert_eq!(payment_status_after(Prepaid, 100, 0), PaymentStatus::Paid);
        assert_eq!(
            payment_status_after(Prepaid, 100, 40),
            PaymentStatus::PartiallyRefunded
        );
        assert_eq!(
            payment_status_after(Prepaid, 100, 100),
            PaymentStatus::Refunded
        );
        assert_eq!(
            payment_status_after(CashOnDelivery, 100, 0),
            PaymentStatus::CodCollected
        );
        assert_eq!(
            payment_status_after(CashOnDelivery, 100, 100),
            PaymentStatus::Refunded
        );
    }

    proptest! {
        /// However requests are sliced, accepted ones never add up to more than was paid.
        #[test]
        fn accepted_refunds_never_exceed_the_payment(
            paid in 0i64..100_000,
            asks in proptest::collection::vec(-10i64..50_000, 0..20),
        ) {
            let mut held = 0;
            for ask in asks {
                if check_amount(paid, held, ask).is_ok() {
                    held += ask;
                }
            }
            prop_assert!(held <= paid);
        }
    }
}
