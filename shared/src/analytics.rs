//! The vocabulary of operations analytics: the stages an order passes through, each ending at a
//! milestone of its history.

contract_enum! {
    /// One stretch of an order's way to the customer, named for what it waits on. Each stage
    /// starts at the previous stage's milestone (the first at placement) and ends at its own.
    Stage {
        /// Placed → paid (cash on delivery is confirmed at once).
        Payment = "PAYMENT",
        /// Paid → approved by the automatic review or a person.
        Review = "REVIEW",
        /// Approved → stock reserved in a warehouse (backordered orders wait here).
        Allocation = "ALLOCATION",
        /// Allocated → picked (the last parcel's picking done).
        Picking = "PICKING",
        /// Picked → packed.
        Packing = "PACKING",
        /// Packed → shipped (labelled and handed to the carrier).
        Shipping = "SHIPPING",
        /// Shipped → delivered.
        Delivery = "DELIVERY",
        /// Delivered → completed (confirmed by the customer or automatically).
        Completion = "COMPLETION",
    }
}

contract_enum! {
    /// How volume figures are bucketed in time (UTC days; weeks start on Monday).
    Granularity {
        Day = "DAY",
        Week = "WEEK",
    }
}

contract_enum! {
    /// What lead times and rates are broken down by.
    Breakdown {
        /// One figure for everything matching the filter.
        Overall = "OVERALL",
        Warehouse = "WAREHOUSE",
        Carrier = "CARRIER",
    }
}

impl Stage {
    /// The stage that follows, if any.
    pub fn next(self) -> Option<Stage> {
        let at = Stage::ALL.iter().position(|s| *s == self)?;
        Stage::ALL.get(at + 1).copied()
    }

    /// Its place in the order's way: 0 for [`Stage::Payment`].
    pub fn index(self) -> usize {
        Stage::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_run_in_order_and_end_at_completion() {
        assert_eq!(Stage::Payment.next(), Some(Stage::Review));
        assert_eq!(Stage::Delivery.next(), Some(Stage::Completion));
        assert_eq!(Stage::Completion.next(), None);
        assert_eq!(Stage::Completion.index(), 7);
        assert_eq!(Stage::parse("PICKING"), Some(Stage::Picking));
    }
}
