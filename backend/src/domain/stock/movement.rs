//! Stock movements: each kind's effect on on-hand and reserved units, and the checks that keep a
//! bin's numbers possible (never negative, never more reserved than on hand).

use orderly_shared::StockMovementKind;

/// A bin's units of one SKU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StockLevel {
    /// Physically in the bin.
    pub on_hand: i32,
    /// Promised to orders.
    pub reserved: i32,
}

impl StockLevel {
    /// What allocation may still promise.
    pub fn available(self) -> i32 {
        self.on_hand - self.reserved
    }
}

/// One change to a bin's stock, as the ledger records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement {
    /// Why.
    pub kind: StockMovementKind,
    /// Change of units on hand.
    pub on_hand_delta: i32,
    /// Change of units reserved.
    pub reserved_delta: i32,
}

/// A movement that would make the numbers impossible.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MovementError {
    /// Quantities are positive; adjustments are non-zero.
    #[error("{kind} needs a {expected} quantity (got {quantity})")]
    BadQuantity {
        kind: StockMovementKind,
        expected: &'static str,
        quantity: i32,
    },
    /// The bin does not hold what the movement takes.
    #[error(
        "the bin holds {on_hand} on hand with {reserved} reserved; {kind} of {quantity} would leave {left_on_hand} on hand and {left_reserved} reserved"
    )]
    Impossible {
        kind: StockMovementKind,
        quantity: i32,
        on_hand: i32,
        reserved: i32,
        left_on_hand: i32,
        left_reserved: i32,
    },
}

impl Movement {
    /// The movement of `quantity` units of `kind`. Adjustments are signed; every other kind takes
    /// a positive quantity and knows its own direction.
    pub fn new(kind: StockMovementKind, quantity: i32) -> Result<Movement, MovementError> {
        use StockMovementKind as K;
        let bad = |expected| MovementError::BadQuantity {
            kind,
            expected,
            quantity,
        };
        let (on_hand_delta, reserved_delta) = match kind {
            K::Adjustment if quantity == 0 => return Err(bad("non-zero")),
            K::Adjustment => (quantity, 0),
            _ if quantity <= 0 => return Err(bad("positive")),
            K::Receipt | K::ReturnRestock => (quantity, 0),
            K::Reservation => (0, quantity),
            K::Release => (0, -quantity),
            K::Pick => (-quantity, -quantity),
            K::Scrap => (-quantity, 0),
        };
        Ok(Movement {
            kind,
            on_hand_delta,
            reserved_delta,
        })
    }

    /// The level after this movement, or why it cannot happen (taking more than is there,
    /// reserving more than is available, adjusting below what is promised).
    pub fn apply(&self, level: StockLevel) -> Result<StockLevel, MovementError> {
        let after = StockLevel {
            on_hand: level.on_hand.saturating_add(self.on_hand_delta),
            reserved: level.reserved.saturating_add(self.reserved_delta),
        };
        if after.on_hand < 0 || after.reserved < 0 || after.reserved > after.on_hand {
            return Err(MovementError::Impossible {
                kind: self.kind,
                quantity: self.on_hand_delta.abs().max(self.reserved_delta.abs()),
                on_hand: level.on_hand,
                reserved: level.reserved,
                left_on_hand: after.on_hand,
                left_reserved: after.reserved,
            });
        }
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StockMovementKind as K;

    fn level(on_hand: i32, reserved: i32) -> StockLevel {
        StockLevel { on_hand, reserved }
    }

    #[test]
    fn each_kind_moves_on_hand_and_reserved_its_own_way() {
        let start = level(10, 4);
        let cases = [
            (K::Receipt, 5, level(15, 4)),
            (K::ReturnRestock, 1, level(11, 4)),
            (K::Reservation, 6, level(10, 10)),
            (K::Release, 4, level(10, 0)),
            (K::Pick, 3, level(7, 1)),
            (K::Scrap, 6, level(4, 4)),
            (K::Adjustment, -6, level(4, 4)),
            (K::Adjustment, 7, level(17, 4)),
        ];
        for (kind, quantity, expected) in cases {
            let moved = Movement::new(kind, quantity).unwrap().apply(start);
            assert_eq!(moved, Ok(expected), "{kind} {quantity}");
        }
    }

    #[test]
    fn movements_that_would_oversell_or_go_negative_are_refused_with_the_numbers() {
        let start = level(10, 4);
        for (kind, quantity) in [
            (K::Reservation, 7),
            (K::Release, 5),
            (K::Pick, 5),
            (K::Scrap, 7),
            (K::Adjustment, -7),
        ] {
            assert!(
                Movement::new(kind, quantity).unwrap().apply(start).is_err(),
                "{kind} {quantity}"
            );
        }
        let err = Movement::new(K::Adjustment, -7)
            .unwrap()
            .apply(start)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "the bin holds 10 on hand with 4 reserved; ADJUSTMENT of 7 would leave 3 on hand and 4 reserved"
        );
    }

    #[test]
    fn quantities_must_be_positive_and_adjustments_non_zero() {
        assert_eq!(
            Movement::new(K::Receipt, 0).unwrap_err().to_string(),
            "RECEIPT needs a positive quantity (got 0)"
        );
        assert!(Movement::new(K::Pick, -2).is_err());
        assert_eq!(
            Movement::new(K::Adjustment, 0).unwrap_err().to_string(),
            "ADJUSTMENT needs a non-zero quantity (got 0)"
        );
    }

    #[test]
    fn available_is_on_hand_less_reserved() {
        assert_eq!(level(10, 4).available(), 6);
    }
}
