//! The analytics rollup of one order, folded from its events.
//!
//! Every step is commutative: milestones keep the earliest time an order reached them (the
//! warehouse's picked and packed keep the latest parcel's, so a split order counts as picked
//! when its last parcel is), counters add up, and the current status is the latest event's.
//! Applying an order's events one at a time as they are written therefore gives exactly what a
//! rebuild folding all of them gives, in whatever order either saw them.

use chrono::{DateTime, Utc};
use orderly_shared::{HoldReasonCode, OrderStatus, ShipmentStatus, Stage};
use uuid::Uuid;

/// What the rollup learns from one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Happening<'a> {
    /// The order's status changed; `codes` are the hold reasons when it went on hold.
    Order {
        at: DateTime<Utc>,
        to: OrderStatus,
        codes: &'a [HoldReasonCode],
    },
    /// One of its shipments' status changed, at this warehouse, with this carrier (once known).
    Shipment {
        at: DateTime<Utc>,
        to: ShipmentStatus,
        warehouse_id: Uuid,
        carrier: Option<&'a str>,
    },
}

/// The rollup of one order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub placed_at: DateTime<Utc>,
    /// The time each stage ended, by [`Stage::index`]: paid, approved, allocated, picked,
    /// packed, shipped, delivered, completed.
    pub milestones: [Option<DateTime<Utc>>; 8],
    /// When it was cancelled or expired.
    pub ended_at: Option<DateTime<Utc>>,
    pub status: OrderStatus,
    pub status_at: DateTime<Utc>,
    pub holds: i32,
    /// Every hold reason it was held for, sorted, each once.
    pub hold_codes: Vec<HoldReasonCode>,
    pub exceptions: i32,
    pub warehouse_id: Option<Uuid>,
    pub carrier: Option<String>,
}

impl Facts {
    /// The rollup of an order just placed in `status`.
    pub fn placed(at: DateTime<Utc>, status: OrderStatus) -> Facts {
        let mut facts = Facts {
            placed_at: at,
            milestones: [None; 8],
            ended_at: None,
            status,
            status_at: at,
            holds: 0,
            hold_codes: Vec::new(),
            exceptions: 0,
            warehouse_id: None,
            carrier: None,
        };
        facts.reach_status(at, status);
        facts
    }

    pub fn apply(&mut self, happening: &Happening<'_>) {
        match *happening {
            Happening::Order { at, to, codes } => {
                if at >= self.status_at {
                    self.status = to;
                    self.status_at = at;
                }
                self.reach_status(at, to);
                if to == OrderStatus::OnHold {
                    self.holds += 1;
                    for code in codes {
                        if let Err(place) = self.hold_codes.binary_search(code) {
                            self.hold_codes.insert(place, *code);
                        }
                    }
                }
            }
            Happening::Shipment {
                at,
                to,
                warehouse_id,
                carrier,
            } => {
                if self.warehouse_id.is_none() {
                    self.warehouse_id = Some(warehouse_id);
                }
                if let (None, Some(c)) = (&self.carrier, carrier) {
                    self.carrier = Some(c.to_string());
                }
                match to {
                    ShipmentStatus::Picked => self.latest(Stage::Picking, at),
                    ShipmentStatus::Packed => self.latest(Stage::Packing, at),
                    ShipmentStatus::Exception => self.exceptions += 1,
                    _ => {}
                }
            }
        }
    }

    /// When the order reached the end of `stage`.
    pub fn reached(&self, stage: Stage) -> Option<DateTime<Utc>> {
        self.milestones[stage.index()]
    }

    /// How long `stage` took, once it is over.
    pub fn duration(&self, stage: Stage) -> Option<chrono::Duration> {
        stage_duration(self.placed_at, &self.milestones, stage)
    }

    /// The stage the order waits in now and since when: the one after its latest milestone.
    /// None once it is completed, cancelled or expired.
    pub fn waiting(&self) -> Option<(Stage, DateTime<Utc>)> {
        if self.ended_at.is_some() || self.reached(Stage::Completion).is_some() {
            return None;
        }
        let done = Stage::ALL
            .iter()
            .rev()
            .find_map(|s| self.reached(*s).map(|at| (*s, at)));
        match done {
            None => Some((Stage::Payment, self.placed_at)),
            Some((stage, at)) => stage.next().map(|next| (next, at)),
        }
    }

    fn reach_status(&mut self, at: DateTime<Utc>, status: OrderStatus) {
        let stage = match status {
            OrderStatus::Confirmed => Stage::Payment,
            OrderStatus::Approved => Stage::Review,
            OrderStatus::Allocated => Stage::Allocation,
            OrderStatus::Shipped => Stage::Shipping,
            OrderStatus::Delivered => Stage::Delivery,
            OrderStatus::Completed => Stage::Completion,
            OrderStatus::Cancelled | OrderStatus::Expired => {
                self.ended_at = Some(self.ended_at.map_or(at, |e| e.min(at)));
                return;
            }
            _ => return,
        };
        self.earliest(stage, at);
    }

    fn earliest(&mut self, stage: Stage, at: DateTime<Utc>) {
        let slot = &mut self.milestones[stage.index()];
        *slot = Some(slot.map_or(at, |t| t.min(at)));
    }

    fn latest(&mut self, stage: Stage, at: DateTime<Utc>) {
        let slot = &mut self.milestones[stage.index()];
        *slot = Some(slot.map_or(at, |t| t.max(at)));
    }
}

/// How long `stage` took for an order placed at `placed_at` that reached each stage's end at
/// `milestones` (indexed by `Stage::index`): from the previous milestone (placement for the
/// first stage) to its own; None until both happened, or if the clock ran backwards.
pub fn stage_duration(
    placed_at: DateTime<Utc>,
    milestones: &[Option<DateTime<Utc>>; 8],
    stage: Stage,
) -> Option<chrono::Duration> {
    let end = milestones[stage.index()]?;
    let start = match stage.index() {
        0 => placed_at,
        i => milestones[i - 1]?,
    };
    Some(end - start).filter(|d| *d >= chrono::Duration::zero())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 2, 8, 0, 0).unwrap() + chrono::Duration::minutes(minute)
    }

    fn order(at: i64, to: OrderStatus) -> Happening<'static> {
        Happening::Order {
            at: t(at),
            to,
            codes: &[],
        }
    }

    fn parcel(at: i64, to: ShipmentStatus, warehouse: u128) -> Happening<'static> {
        Happening::Shipment {
            at: t(at),
            to,
            warehouse_id: Uuid::from_u128(warehouse),
            carrier: Some("SIMEX"),
        }
    }

    fn journey() -> Vec<Happening<'static>> {
        use OrderStatus as O;
        use ShipmentStatus as S;
        vec![
            order(5, O::Confirmed),
            order(6, O::OnHold),
            order(36, O::Approved),
            order(37, O::Allocated),
            order(40, O::InFulfillment),
            parcel(40, S::Picking, 1),
            parcel(50, S::Picked, 1),
            parcel(55, S::Picking, 2),
            parcel(70, S::Picked, 2),
            parcel(80, S::Packed, 1),
            parcel(90, S::Packed, 2),
            order(100, O::Shipped),
            parcel(200, S::Exception, 1),
            order(300, O::Delivered),
        ]
    }

    #[test]
    fn milestones_are_the_first_time_reached_and_the_last_parcel_for_the_warehouse() {
        let mut f = Facts::placed(t(0), OrderStatus::PendingPayment);
        for h in journey() {
            f.apply(&h);
        }
        assert_eq!(
            f.duration(Stage::Payment),
            Some(chrono::Duration::minutes(5))
        );
        assert_eq!(
            f.duration(Stage::Review),
            Some(chrono::Duration::minutes(31))
        );
        assert_eq!(
            f.duration(Stage::Allocation),
            Some(chrono::Duration::minutes(1))
        );
        assert_eq!(f.reached(Stage::Picking), Some(t(70)));
        assert_eq!(
            f.duration(Stage::Packing),
            Some(chrono::Duration::minutes(20))
        );
        assert_eq!(
            f.duration(Stage::Shipping),
            Some(chrono::Duration::minutes(10))
        );
        assert_eq!(
            f.duration(Stage::Delivery),
            Some(chrono::Duration::minutes(200))
        );
        assert_eq!(f.duration(Stage::Completion), None);
        assert_eq!(f.waiting(), Some((Stage::Completion, t(300))));
        assert_eq!((f.holds, f.exceptions), (1, 1));
        assert_eq!(f.warehouse_id, Some(Uuid::from_u128(1)));
        assert_eq!(f.carrier.as_deref(), Some("SIMEX"));
        assert_eq!(f.status, OrderStatus::Delivered);
    }

    #[test]
    fn any_order_of_the_same_events_folds_to_the_same_facts_but_the_first_warehouse() {
        let mut forward = Facts::placed(t(0), OrderStatus::PendingPayment);
        journey().iter().for_each(|h| forward.apply(h));
        let mut backward = Facts::placed(t(0), OrderStatus::PendingPayment);
        journey().iter().rev().for_each(|h| backward.apply(h));
        backward.warehouse_id = forward.warehouse_id;
        assert_eq!(forward, backward);
    }

    #[test]
    fn hold_codes_are_kept_once_each_and_sorted() {
        let mut f = Facts::placed(t(0), OrderStatus::Confirmed);
        let codes = [HoldReasonCode::RiskHighValue, HoldReasonCode::RemoteArea];
        for at in [1, 2] {
            f.apply(&Happening::Order {
                at: t(at),
                to: OrderStatus::OnHold,
                codes: &codes,
            });
        }
        assert_eq!(f.holds, 2);
        assert_eq!(
            f.hold_codes,
            vec![HoldReasonCode::RemoteArea, HoldReasonCode::RiskHighValue]
        );
        assert_eq!(f.waiting(), Some((Stage::Review, t(0))));
    }

    #[test]
    fn a_cancelled_order_waits_nowhere_and_a_new_one_waits_for_payment() {
        let mut f = Facts::placed(t(0), OrderStatus::PendingPayment);
        assert_eq!(f.waiting(), Some((Stage::Payment, t(0))));
        f.apply(&order(9, OrderStatus::Expired));
        assert_eq!(f.waiting(), None);
        assert_eq!(f.ended_at, Some(t(9)));
        assert_eq!(f.status, OrderStatus::Expired);
    }

    #[test]
    fn a_late_event_never_replaces_the_current_status() {
        let mut f = Facts::placed(t(0), OrderStatus::Confirmed);
        f.apply(&order(10, OrderStatus::Approved));
        f.apply(&order(3, OrderStatus::OnHold));
        assert_eq!((f.status, f.status_at), (OrderStatus::Approved, t(10)));
    }
}
