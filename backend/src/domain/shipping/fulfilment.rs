//! What an order's shipments say about the order: nothing yet while every parcel is still in the
//! warehouse, PARTIALLY_SHIPPED once some have left, SHIPPED once all have, DELIVERED once all
//! have arrived. Cancelled shipments (a short pick re-allocated elsewhere, a cancelled order)
//! are left out: they will never ship, so they must not hold the order back.

use orderly_shared::{OrderStatus, ShipmentStatus};

use super::machine::has_left_warehouse;

/// One of an order's shipments, as the order's status sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShipmentSnapshot {
    /// Its status.
    pub status: ShipmentStatus,
    /// Whether it was cancelled (it keeps the status it had; see `ShipmentOutcome::Cancelled`).
    pub cancelled: bool,
}

impl ShipmentSnapshot {
    /// A live (not cancelled) shipment in `status`.
    pub fn live(status: ShipmentStatus) -> ShipmentSnapshot {
        ShipmentSnapshot {
            status,
            cancelled: false,
        }
    }

    /// A cancelled shipment that was in `status`.
    pub fn cancelled(status: ShipmentStatus) -> ShipmentSnapshot {
        ShipmentSnapshot {
            status,
            cancelled: true,
        }
    }
}

/// The order status its shipments call for, starting from the order's `current` status.
///
/// Among live shipments: none has left the warehouse → `current`, unchanged; some but not all
/// have (HANDED_OVER or later, EXCEPTION and RETURNED_TO_SENDER included) → PARTIALLY_SHIPPED;
/// all have → SHIPPED; all are DELIVERED → DELIVERED. A returned parcel left the warehouse but
/// never arrives, so it keeps the order at SHIPPED until after-sales deals with it. An order
/// without live shipments, and a COMPLETED, CANCELLED or EXPIRED one, stays as it is.
///
/// The service applies a change through the order machine (`ShipPart`, `ShipAll`,
/// `ConfirmDelivery`), which refuses anything the order's own rules do not allow.
pub fn order_fulfilment_status(
    current: OrderStatus,
    shipments: &[ShipmentSnapshot],
) -> OrderStatus {
    if matches!(
        current,
        OrderStatus::Completed | OrderStatus::Cancelled | OrderStatus::Expired
    ) {
        return current;
    }
    let live: Vec<ShipmentStatus> = shipments
        .iter()
        .filter(|s| !s.cancelled)
        .map(|s| s.status)
        .collect();
    let left = live.iter().filter(|s| has_left_warehouse(**s)).count();
    if left == 0 {
        current
    } else if live.iter().all(|s| *s == ShipmentStatus::Delivered) {
        OrderStatus::Delivered
    } else if left == live.len() {
        OrderStatus::Shipped
    } else {
        OrderStatus::PartiallyShipped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ShipmentStatus as S;

    fn derive(shipments: &[ShipmentSnapshot]) -> OrderStatus {
        order_fulfilment_status(OrderStatus::InFulfillment, shipments)
    }

    #[test]
    fn given_nothing_has_left_the_warehouse_then_the_order_is_unchanged() {
        let live = ShipmentSnapshot::live;
        assert_eq!(derive(&[]), OrderStatus::InFulfillment);
        assert_eq!(
            derive(&[live(S::Pending), live(S::Labelled)]),
            OrderStatus::InFulfillment
        );
        assert_eq!(
            order_fulfilment_status(OrderStatus::Allocated, &[live(S::Picking)]),
            OrderStatus::Allocated
        );
    }

    #[test]
    fn given_some_shipments_handed_over_then_the_order_is_partially_shipped() {
        let live = ShipmentSnapshot::live;
        for gone in [
            S::HandedOver,
            S::InTransit,
            S::OutForDelivery,
            S::Delivered,
            S::Exception,
            S::ReturnedToSender,
        ] {
            assert_eq!(
                derive(&[live(gone), live(S::Packed)]),
                OrderStatus::PartiallyShipped,
                "{gone}"
            );
        }
    }

    #[test]
    fn given_all_shipments_handed_over_or_further_then_the_order_is_shipped() {
        let live = ShipmentSnapshot::live;
        assert_eq!(
            derive(&[live(S::HandedOver), live(S::Delivered), live(S::Exception)]),
            OrderStatus::Shipped
        );
        assert_eq!(
            derive(&[live(S::Delivered), live(S::ReturnedToSender)]),
            OrderStatus::Shipped,
            "a returned parcel never arrives"
        );
    }

    #[test]
    fn given_all_shipments_delivered_then_the_order_is_delivered() {
        let live = ShipmentSnapshot::live;
        assert_eq!(derive(&[live(S::Delivered)]), OrderStatus::Delivered);
        assert_eq!(
            derive(&[live(S::Delivered), live(S::Delivered)]),
            OrderStatus::Delivered
        );
    }

    #[test]
    fn cancelled_shipments_do_not_count() {
        let (live, cancelled) = (ShipmentSnapshot::live, ShipmentSnapshot::cancelled);
        assert_eq!(
            derive(&[live(S::HandedOver), cancelled(S::Picking)]),
            OrderStatus::Shipped
        );
        assert_eq!(
            derive(&[live(S::Delivered), cancelled(S::Labelled)]),
            OrderStatus::Delivered
        );
        assert_eq!(
            derive(&[cancelled(S::Picking), cancelled(S::Pending)]),
            OrderStatus::InFulfillment
        );
    }

    #[test]
    fn finished_orders_are_never_changed_by_their_shipments() {
        let live = ShipmentSnapshot::live;
        for current in [
            OrderStatus::Completed,
            OrderStatus::Cancelled,
            OrderStatus::Expired,
        ] {
            assert_eq!(
                order_fulfilment_status(current, &[live(S::Delivered)]),
                current
            );
        }
    }

    #[test]
    fn the_derived_status_depends_only_on_live_shipments_not_their_order() {
        let all: Vec<ShipmentSnapshot> = S::ALL
            .iter()
            .flat_map(|s| [ShipmentSnapshot::live(*s), ShipmentSnapshot::cancelled(*s)])
            .collect();
        for a in &all {
            for b in &all {
                for c in &all {
                    let forward = derive(&[*a, *b, *c]);
                    assert_eq!(derive(&[*c, *a, *b]), forward);
                    assert_eq!(derive(&[*b, *c, *a]), forward);
                    let live: Vec<ShipmentSnapshot> =
                        [*a, *b, *c].into_iter().filter(|s| !s.cancelled).collect();
                    assert_eq!(derive(&live), forward);
                }
            }
        }
    }
}
