//! What a captured payment means for its order: the exact total confirms it; anything else
//! (amount or currency) holds it for a person — never silently accepted.

use super::machine::{HoldReason, OrderCommand};
use crate::domain::money::Money;
use orderly_shared::HoldReasonCode;

/// The command a capture of `paid` against an order total of `expected` issues.
pub fn on_capture(paid: Money, expected: Money) -> OrderCommand {
    if paid == expected {
        OrderCommand::ConfirmPayment
    } else {
        OrderCommand::Hold {
            reasons: vec![HoldReason::new(
                HoldReasonCode::PaymentMismatch,
                format!("paid {paid}, but the order total is {expected}"),
            )],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    #[test]
    fn only_the_exact_total_in_the_right_currency_confirms() {
        let total = Money::from_minor(11_880, Currency::Cny);
        assert_eq!(on_capture(total, total), OrderCommand::ConfirmPayment);
        for paid in [
            Money::from_minor(10_000, Currency::Cny),
            Money::from_minor(11_880, Currency::Usd),
        ] {
            let OrderCommand::Hold { reasons } = on_capture(paid, total) else {
                panic!("{paid} must hold")
            };
            assert_eq!(reasons[0].code, HoldReasonCode::PaymentMismatch);
            assert_eq!(
                reasons[0].message,
                format!("paid {paid}, but the order total is 118.80 CNY")
            );
        }
    }
}
