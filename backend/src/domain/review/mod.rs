//! The automatic order review (SPEC §2.2), minus stock: address verification, special requests
//! and the risk engine, each a pure check, and the one decision that combines them. An order that
//! passes everything is approved without a person; otherwise it is held with every reason (or,
//! when the risk score says so, rejected), so a reviewer sees the whole picture at once.
//!
//! The service loads the history the risk rules ask for ([`needed_facts`]), runs the checks and
//! hands their findings to [`decide_review`].

mod address;
mod normalize;
mod risk;
mod special;

pub use address::{AddressPolicy, RemoteArea, check_address, validate_remote_areas};
pub use normalize::{address_key, phone_key};
pub use risk::{
    Assessment, FactQuery, Facts, MAX_RULE_ID_CHARS, MAX_WEIGHT, MAX_WINDOW_DAYS,
    MAX_WINDOW_MINUTES, RiskOrder, RiskRule, RiskRuleKind, RiskThresholds, RiskVerdict, Signal,
    assess, default_rules, needed_facts, validate_rule,
};
pub use special::{Instruction, SpecialRequestCheck, SpecialRequestPolicy, check_special_requests};

use crate::domain::orders::{HoldReason, OrderCommand};

/// The findings of the automatic checks for one order.
#[derive(Debug, Clone, Copy)]
pub struct ReviewInput<'a> {
    /// From [`check_address`].
    pub address_holds: &'a [HoldReason],
    /// From [`check_special_requests`].
    pub special: &'a SpecialRequestCheck,
    /// From [`assess`].
    pub risk: &'a Assessment,
}

/// What the automatic review decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewOutcome {
    /// Nothing to look at: the order goes on to allocation.
    Approve,
    /// A person must look: every reason, address first, then special requests, then risk.
    Hold(Vec<HoldReason>),
    /// The risk score reached the reject threshold: the risk signals that made it.
    Reject(Vec<HoldReason>),
}

impl ReviewOutcome {
    /// The state-machine command that carries the outcome out; a rejection's reason is its
    /// signals' messages joined by `; `.
    pub fn command(&self) -> OrderCommand {
        match self {
            ReviewOutcome::Approve => OrderCommand::Approve,
            ReviewOutcome::Hold(reasons) => OrderCommand::Hold {
                reasons: reasons.clone(),
            },
            ReviewOutcome::Reject(reasons) => OrderCommand::Reject {
                reason: reasons
                    .iter()
                    .map(|r| r.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
            },
        }
    }
}

/// Combines the checks: a risk [`RiskVerdict::Reject`] rejects with the risk signals as reasons,
/// whatever else was found (a fraudulent order is not worth a phone call about its address);
/// otherwise any address hold, special-request hold or risk [`RiskVerdict::Hold`] holds with all
/// of them; otherwise the order is approved. Risk signals below the hold threshold are not
/// reasons and are left out.
pub fn decide_review(input: ReviewInput<'_>) -> ReviewOutcome {
    let risk_reasons = || -> Vec<HoldReason> {
        input
            .risk
            .signals
            .iter()
            .map(Signal::to_hold_reason)
            .collect()
    };
    match input.risk.verdict {
        RiskVerdict::Reject => ReviewOutcome::Reject(risk_reasons()),
        verdict => {
            let mut reasons: Vec<HoldReason> = input
                .address_holds
                .iter()
                .chain(&input.special.holds)
                .cloned()
                .collect();
            if verdict == RiskVerdict::Hold {
                reasons.extend(risk_reasons());
            }
            if reasons.is_empty() {
                ReviewOutcome::Approve
            } else {
                ReviewOutcome::Hold(reasons)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use orderly_shared::HoldReasonCode;

    fn assessment(verdict: RiskVerdict, signals: &[(HoldReasonCode, &str)]) -> Assessment {
        Assessment {
            score: 0,
            signals: signals
                .iter()
                .map(|(code, message)| Signal {
                    rule_id: "rule".into(),
                    code: *code,
                    weight: 50,
                    message: (*message).into(),
                })
                .collect(),
            verdict,
        }
    }

    fn remote() -> HoldReason {
        HoldReason::new(
            HoldReasonCode::RemoteArea,
            "Xinjiang (CN-XJ) is a remote area: delivery needs confirmation",
        )
    }

    fn gift_wrap() -> SpecialRequestCheck {
        SpecialRequestCheck {
            instructions: vec![],
            holds: vec![HoldReason::new(
                HoldReasonCode::SpecialRequest,
                "gift wrap was requested but is not offered",
            )],
        }
    }

    const HIGH: (HoldReasonCode, &str) = (
        HoldReasonCode::RiskHighValue,
        "order total 6000.00 CNY is at or above the 5000.00 CNY review threshold",
    );
    const BLOCKED: (HoldReasonCode, &str) = (
        HoldReasonCode::RiskBlocklisted,
        "phone +8613800138000 is blocklisted: chargeback 2026-10",
    );

    #[test]
    fn an_order_with_no_findings_is_approved() {
        let special = SpecialRequestCheck {
            instructions: vec![Instruction::GiftWrap],
            holds: vec![],
        };
        let risk = assessment(RiskVerdict::Approve, &[]);
        let outcome = decide_review(ReviewInput {
            address_holds: &[],
            special: &special,
            risk: &risk,
        });
        assert_eq!(outcome, ReviewOutcome::Approve);
        assert_eq!(outcome.command(), OrderCommand::Approve);
    }

    #[test]
    fn risk_signals_below_the_hold_threshold_do_not_hold() {
        let risk = assessment(RiskVerdict::Approve, &[HIGH]);
        assert_eq!(
            decide_review(ReviewInput {
                address_holds: &[],
                special: &SpecialRequestCheck::default(),
                risk: &risk,
            }),
            ReviewOutcome::Approve
        );
    }

    #[test]
    fn any_hold_holds_with_every_reason_address_first_then_requests_then_risk() {
        let special = gift_wrap();
        let risk = assessment(RiskVerdict::Hold, &[HIGH]);
        let outcome = decide_review(ReviewInput {
            address_holds: &[remote()],
            special: &special,
            risk: &risk,
        });
        let expected = vec![
            remote(),
            special.holds[0].clone(),
            HoldReason::new(HIGH.0, HIGH.1),
        ];
        assert_eq!(outcome, ReviewOutcome::Hold(expected.clone()));
        assert_eq!(outcome.command(), OrderCommand::Hold { reasons: expected });
    }

    #[test]
    fn each_check_alone_can_hold() {
        let approve = assessment(RiskVerdict::Approve, &[HIGH]);
        let hold = assessment(RiskVerdict::Hold, &[HIGH]);
        let none = SpecialRequestCheck::default();
        let special = gift_wrap();
        let cases: [(
            &[HoldReason],
            &SpecialRequestCheck,
            &Assessment,
            HoldReasonCode,
        ); 3] = [
            (&[remote()], &none, &approve, HoldReasonCode::RemoteArea),
            (&[], &special, &approve, HoldReasonCode::SpecialRequest),
            (&[], &none, &hold, HoldReasonCode::RiskHighValue),
        ];
        for (address_holds, special, risk, code) in cases {
            let outcome = decide_review(ReviewInput {
                address_holds,
                special,
                risk,
            });
            let ReviewOutcome::Hold(reasons) = outcome else {
                panic!("{code} must hold")
            };
            assert_eq!(
                reasons.iter().map(|r| r.code).collect::<Vec<_>>(),
                vec![code]
            );
        }
    }

    #[test]
    fn a_risk_rejection_wins_and_names_only_the_risk_signals() {
        let special = gift_wrap();
        let risk = assessment(RiskVerdict::Reject, &[HIGH, BLOCKED]);
        let outcome = decide_review(ReviewInput {
            address_holds: &[remote()],
            special: &special,
            risk: &risk,
        });
        assert_eq!(
            outcome,
            ReviewOutcome::Reject(vec![
                HoldReason::new(HIGH.0, HIGH.1),
                HoldReason::new(BLOCKED.0, BLOCKED.1),
            ])
        );
        assert_eq!(
            outcome.command(),
            OrderCommand::Reject {
                reason: format!("{}; {}", HIGH.1, BLOCKED.1)
            }
        );
    }

    #[test]
    fn the_checks_work_together_end_to_end() {
        use crate::domain::money::{Currency, Money};
        use crate::domain::orders::{Address, SpecialRequests};
        use chrono::{TimeZone, Utc};

        let address = Address {
            recipient: "李雷".into(),
            phone: "+8613800138000".into(),
            country: "CN".into(),
            region: Some("新疆维吾尔自治区".into()),
            city: "乌鲁木齐".into(),
            district: None,
            line1: "解放南路１号".into(),
            line2: None,
            postal_code: Some("830000".into()),
        };
        let policy = AddressPolicy {
            remote_areas: vec![RemoteArea {
                country: "CN".into(),
                region: None,
                postal_prefix: Some("83".into()),
                label: "Xinjiang (CN-XJ)".into(),
            }],
        };
        let address_holds = check_address(&address, &policy);
        let now = Utc.with_ymd_and_hms(2026, 5, 4, 8, 0, 0).unwrap();
        let special = check_special_requests(
            &SpecialRequests {
                gift_wrap: true,
                ..SpecialRequests::default()
            },
            now,
            &SpecialRequestPolicy::default(),
        );
        let order = RiskOrder {
            total: Money::from_minor(600_000, Currency::Cny),
            cash_on_delivery: false,
            coupon_codes: vec![],
            phone: phone_key(&address.phone),
        };
        let facts = Facts::new().with(FactQuery::EarlierOrdersOfCustomer, 2);
        let risk = assess(&default_rules(), &order, &facts, &RiskThresholds::default());
        let outcome = decide_review(ReviewInput {
            address_holds: &address_holds,
            special: &special,
            risk: &risk,
        });
        assert_eq!(
            outcome,
            ReviewOutcome::Hold(vec![remote(), HoldReason::new(HIGH.0, HIGH.1),])
        );
        assert_eq!(special.instructions, vec![Instruction::GiftWrap]);
        assert_eq!(address_key(&address), "cn|830000|乌鲁木齐||解放南路1号");
    }
}
