//! The shipment state machine (SPEC §3): the warehouse moves a shipment from PENDING to
//! HANDED_OVER, then the carrier's tracking events move it on to DELIVERED. Every legal
//! transition is one arm of one `match`, so the whole life of a shipment reads in one place.
//!
//! Carrier events arrive by webhook, late and out of order, so they are judged by progress, not
//! by sequence: an event that is not ahead of the shipment is [`ShipmentOutcome::Stale`] — the
//! service records it on the timeline and leaves the status alone. Status never moves backwards,
//! with one deliberate exception: a parcel in EXCEPTION resumes when the carrier reports it
//! moving again.

use std::fmt;

use orderly_shared::ShipmentStatus;
use serde::{Deserialize, Serialize};

/// What went wrong with a parcel, as carriers report it (SPEC §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ExceptionCode {
    /// The carrier cannot find the address.
    AddressUnknown,
    /// The parcel was damaged.
    Damaged,
    /// The parcel is late.
    Delayed,
    /// The recipient refused it.
    Refused,
    /// The carrier lost it.
    Lost,
}

impl ExceptionCode {
    /// Every exception code.
    pub const ALL: &'static [ExceptionCode] = &[
        ExceptionCode::AddressUnknown,
        ExceptionCode::Damaged,
        ExceptionCode::Delayed,
        ExceptionCode::Refused,
        ExceptionCode::Lost,
    ];

    /// The contract's spelling, e.g. `ADDRESS_UNKNOWN`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionCode::AddressUnknown => "ADDRESS_UNKNOWN",
            ExceptionCode::Damaged => "DAMAGED",
            ExceptionCode::Delayed => "DELAYED",
            ExceptionCode::Refused => "REFUSED",
            ExceptionCode::Lost => "LOST",
        }
    }

    /// Parses the contract's spelling (exactly; carriers' own codes are mapped by the adapter).
    pub fn parse(text: &str) -> Option<ExceptionCode> {
        Self::ALL.iter().copied().find(|code| code.as_str() == text)
    }

    /// For people: `address unknown`.
    pub fn label(self) -> &'static str {
        match self {
            ExceptionCode::AddressUnknown => "address unknown",
            ExceptionCode::Damaged => "damaged",
            ExceptionCode::Delayed => "delayed",
            ExceptionCode::Refused => "refused",
            ExceptionCode::Lost => "lost",
        }
    }
}

impl fmt::Display for ExceptionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something that happens to a shipment: a warehouse step, or a carrier's tracking event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentCommand {
    /// A picker started on the shipment's pick list.
    StartPicking,
    /// Every unit was picked.
    FinishPicking,
    /// A short pick: nothing more can be picked for now, so the shipment goes back to be
    /// allocated again.
    ReturnToPending,
    /// Packed and checked at the pack station.
    Pack,
    /// The carrier's label (and tracking number) was produced.
    Label,
    /// Handed to the carrier at the dock, on a manifest.
    HandOver,
    /// Cancelled before the carrier has it.
    Cancel,
    /// Carrier: picked up the parcel.
    PickedUp,
    /// Carrier: the parcel is moving through its network.
    InTransit,
    /// Carrier: out for delivery.
    OutForDelivery,
    /// Carrier: delivered.
    Delivered,
    /// Carrier: something went wrong.
    Exception {
        /// What.
        code: ExceptionCode,
    },
    /// Carrier: returned to the sender.
    ReturnedToSender,
}

/// The kind of a [`ShipmentCommand`] without its data: what errors, events and logs name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ShipmentCommandKind {
    /// [`ShipmentCommand::StartPicking`].
    StartPicking,
    /// [`ShipmentCommand::FinishPicking`].
    FinishPicking,
    /// [`ShipmentCommand::ReturnToPending`].
    ReturnToPending,
    /// [`ShipmentCommand::Pack`].
    Pack,
    /// [`ShipmentCommand::Label`].
    Label,
    /// [`ShipmentCommand::HandOver`].
    HandOver,
    /// [`ShipmentCommand::Cancel`].
    Cancel,
    /// [`ShipmentCommand::PickedUp`].
    PickedUp,
    /// [`ShipmentCommand::InTransit`].
    InTransit,
    /// [`ShipmentCommand::OutForDelivery`].
    OutForDelivery,
    /// [`ShipmentCommand::Delivered`].
    Delivered,
    /// [`ShipmentCommand::Exception`].
    Exception,
    /// [`ShipmentCommand::ReturnedToSender`].
    ReturnedToSender,
}

impl ShipmentCommandKind {
    /// Every command kind.
    pub const ALL: &'static [ShipmentCommandKind] = &[
        ShipmentCommandKind::StartPicking,
        ShipmentCommandKind::FinishPicking,
        ShipmentCommandKind::ReturnToPending,
        ShipmentCommandKind::Pack,
        ShipmentCommandKind::Label,
        ShipmentCommandKind::HandOver,
        ShipmentCommandKind::Cancel,
        ShipmentCommandKind::PickedUp,
        ShipmentCommandKind::InTransit,
        ShipmentCommandKind::OutForDelivery,
        ShipmentCommandKind::Delivered,
        ShipmentCommandKind::Exception,
        ShipmentCommandKind::ReturnedToSender,
    ];

    /// A stable SCREAMING_SNAKE name, e.g. `START_PICKING`.
    pub fn as_str(self) -> &'static str {
        match self {
            ShipmentCommandKind::StartPicking => "START_PICKING",
            ShipmentCommandKind::FinishPicking => "FINISH_PICKING",
            ShipmentCommandKind::ReturnToPending => "RETURN_TO_PENDING",
            ShipmentCommandKind::Pack => "PACK",
            ShipmentCommandKind::Label => "LABEL",
            ShipmentCommandKind::HandOver => "HAND_OVER",
            ShipmentCommandKind::Cancel => "CANCEL",
            ShipmentCommandKind::PickedUp => "PICKED_UP",
            ShipmentCommandKind::InTransit => "IN_TRANSIT",
            ShipmentCommandKind::OutForDelivery => "OUT_FOR_DELIVERY",
            ShipmentCommandKind::Delivered => "DELIVERED",
            ShipmentCommandKind::Exception => "EXCEPTION",
            ShipmentCommandKind::ReturnedToSender => "RETURNED_TO_SENDER",
        }
    }

    /// Whether the command is a carrier's tracking event rather than a warehouse step.
    pub fn is_carrier_event(self) -> bool {
        self.carrier_target().is_some()
    }

    /// The status a carrier event reports; `None` for warehouse steps.
    fn carrier_target(self) -> Option<ShipmentStatus> {
        use ShipmentCommandKind as C;
        use ShipmentStatus as S;
        match self {
            C::PickedUp => Some(S::HandedOver),
            C::InTransit => Some(S::InTransit),
            C::OutForDelivery => Some(S::OutForDelivery),
            C::Delivered => Some(S::Delivered),
            C::Exception => Some(S::Exception),
            C::ReturnedToSender => Some(S::ReturnedToSender),
            C::StartPicking
            | C::FinishPicking
            | C::ReturnToPending
            | C::Pack
            | C::Label
            | C::HandOver
            | C::Cancel => None,
        }
    }

    /// What the command does, to finish "a shipment that is X cannot …".
    fn action(self) -> &'static str {
        match self {
            ShipmentCommandKind::StartPicking => "start picking",
            ShipmentCommandKind::FinishPicking => "finish picking",
            ShipmentCommandKind::ReturnToPending => "go back to pending",
            ShipmentCommandKind::Pack => "be packed",
            ShipmentCommandKind::Label => "be labelled",
            ShipmentCommandKind::HandOver => "be handed over",
            ShipmentCommandKind::Cancel => "be cancelled",
            ShipmentCommandKind::PickedUp => "be picked up by the carrier",
            ShipmentCommandKind::InTransit => "be in transit",
            ShipmentCommandKind::OutForDelivery => "be out for delivery",
            ShipmentCommandKind::Delivered => "be delivered",
            ShipmentCommandKind::Exception => "have a carrier exception",
            ShipmentCommandKind::ReturnedToSender => "be returned to sender",
        }
    }
}

impl fmt::Display for ShipmentCommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ShipmentCommand {
    /// The command's kind, without its data.
    pub fn kind(&self) -> ShipmentCommandKind {
        match self {
            ShipmentCommand::StartPicking => ShipmentCommandKind::StartPicking,
            ShipmentCommand::FinishPicking => ShipmentCommandKind::FinishPicking,
            ShipmentCommand::ReturnToPending => ShipmentCommandKind::ReturnToPending,
            ShipmentCommand::Pack => ShipmentCommandKind::Pack,
            ShipmentCommand::Label => ShipmentCommandKind::Label,
            ShipmentCommand::HandOver => ShipmentCommandKind::HandOver,
            ShipmentCommand::Cancel => ShipmentCommandKind::Cancel,
            ShipmentCommand::PickedUp => ShipmentCommandKind::PickedUp,
            ShipmentCommand::InTransit => ShipmentCommandKind::InTransit,
            ShipmentCommand::OutForDelivery => ShipmentCommandKind::OutForDelivery,
            ShipmentCommand::Delivered => ShipmentCommandKind::Delivered,
            ShipmentCommand::Exception { .. } => ShipmentCommandKind::Exception,
            ShipmentCommand::ReturnedToSender => ShipmentCommandKind::ReturnedToSender,
        }
    }
}

/// What a command does to a shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentOutcome {
    /// The status changes to this (for EXCEPTION, the service also stores the command's code,
    /// which may replace an earlier one).
    Moved(ShipmentStatus),
    /// The event is not ahead of the shipment (late, repeated, or after tracking ended): put it
    /// on the timeline, keep the status.
    Stale,
    /// The shipment is cancelled. It keeps its last status and the service marks it cancelled
    /// (releasing its stock, voiding a label); a cancelled shipment takes no further command.
    Cancelled,
}

/// A command the shipment cannot take. The service maps it to `INVALID_TRANSITION`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShipmentTransitionError {
    /// The command does not apply to a shipment in this status.
    #[error("a shipment that is {from} cannot {}", .command.action())]
    NotAllowed {
        /// The shipment's current status.
        from: ShipmentStatus,
        /// What was asked.
        command: ShipmentCommandKind,
    },
}

/// How far along its life a shipment is, for ordering carrier events: PENDING is 0, DELIVERED 8.
/// EXCEPTION ranks with HANDED_OVER (the carrier has the parcel, where is unclear), so any later
/// movement resumes it; RETURNED_TO_SENDER ranks last.
pub fn progress_rank(status: ShipmentStatus) -> u8 {
    match status {
        ShipmentStatus::Pending => 0,
        ShipmentStatus::Picking => 1,
        ShipmentStatus::Picked => 2,
        ShipmentStatus::Packed => 3,
        ShipmentStatus::Labelled => 4,
        ShipmentStatus::HandedOver | ShipmentStatus::Exception => 5,
        ShipmentStatus::InTransit => 6,
        ShipmentStatus::OutForDelivery => 7,
        ShipmentStatus::Delivered => 8,
        ShipmentStatus::ReturnedToSender => 9,
    }
}

/// Whether the parcel has left the warehouse (HANDED_OVER or any later status).
pub fn has_left_warehouse(status: ShipmentStatus) -> bool {
    progress_rank(status) >= progress_rank(ShipmentStatus::HandedOver)
}

/// What `command` does to a shipment in `status`, or why it cannot.
///
/// Carrier events need a tracking number, so they are refused before LABELLED. From LABELLED on,
/// an event ahead of the shipment moves it and any other is stale; EXCEPTION always moves a
/// parcel still on its way, and DELIVERED and RETURNED_TO_SENDER end tracking (every later event
/// is stale). A warehouse hand-over scan after the carrier already reported the parcel is stale
/// too: the manifest and the pick-up webhook race, and neither is wrong.
pub fn decide(
    status: ShipmentStatus,
    command: &ShipmentCommand,
) -> Result<ShipmentOutcome, ShipmentTransitionError> {
    use ShipmentCommandKind as C;
    use ShipmentOutcome::{Cancelled, Moved, Stale};
    use ShipmentStatus as S;
    let kind = command.kind();
    let outcome = match (status, kind) {
        (S::Pending, C::StartPicking) => Moved(S::Picking),
        (S::Picking, C::FinishPicking) => Moved(S::Picked),
        (S::Picking, C::ReturnToPending) => Moved(S::Pending),
        (S::Picked, C::Pack) => Moved(S::Packed),
        (S::Packed, C::Label) => Moved(S::Labelled),
        (S::Labelled, C::HandOver) => Moved(S::HandedOver),
        (
            S::HandedOver
            | S::InTransit
            | S::OutForDelivery
            | S::Delivered
            | S::Exception
            | S::ReturnedToSender,
            C::HandOver,
        ) => Stale,
        // Nothing has left the warehouse yet.
        (S::Pending | S::Picking | S::Picked | S::Packed | S::Labelled, C::Cancel) => Cancelled,
        // Tracking has ended.
        (S::Delivered | S::ReturnedToSender, kind) if kind.is_carrier_event() => Stale,
        (
            S::Labelled | S::HandedOver | S::InTransit | S::OutForDelivery | S::Exception,
            C::Exception,
        ) => Moved(S::Exception),
        (
            S::Labelled | S::HandedOver | S::InTransit | S::OutForDelivery | S::Exception,
            C::PickedUp | C::InTransit | C::OutForDelivery | C::Delivered | C::ReturnedToSender,
        ) => match kind.carrier_target() {
            Some(target) if progress_rank(target) > progress_rank(status) => Moved(target),
            _ => Stale,
        },
        _ => {
            return Err(ShipmentTransitionError::NotAllowed {
                from: status,
                command: kind,
            });
        }
    };
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    use ShipmentCommandKind as C;
    use ShipmentOutcome::{Cancelled, Moved, Stale};
    use ShipmentStatus as S;

    /// Every command a shipment takes, written out independently of `decide`.
    const LEGAL: &[(ShipmentStatus, ShipmentCommandKind, ShipmentOutcome)] = &[
        (S::Pending, C::StartPicking, Moved(S::Picking)),
        (S::Pending, C::Cancel, Cancelled),
        (S::Picking, C::FinishPicking, Moved(S::Picked)),
        (S::Picking, C::ReturnToPending, Moved(S::Pending)),
        (S::Picking, C::Cancel, Cancelled),
        (S::Picked, C::Pack, Moved(S::Packed)),
        (S::Picked, C::Cancel, Cancelled),
        (S::Packed, C::Label, Moved(S::Labelled)),
        (S::Packed, C::Cancel, Cancelled),
        (S::Labelled, C::HandOver, Moved(S::HandedOver)),
        (S::Labelled, C::Cancel, Cancelled),
        (S::Labelled, C::PickedUp, Moved(S::HandedOver)),
        (S::Labelled, C::InTransit, Moved(S::InTransit)),
        (S::Labelled, C::OutForDelivery, Moved(S::OutForDelivery)),
        (S::Labelled, C::Delivered, Moved(S::Delivered)),
        (S::Labelled, C::Exception, Moved(S::Exception)),
        (S::Labelled, C::ReturnedToSender, Moved(S::ReturnedToSender)),
        (S::HandedOver, C::HandOver, Stale),
        (S::HandedOver, C::PickedUp, Stale),
        (S::HandedOver, C::InTransit, Moved(S::InTransit)),
        (S::HandedOver, C::OutForDelivery, Moved(S::OutForDelivery)),
        (S::HandedOver, C::Delivered, Moved(S::Delivered)),
        (S::HandedOver, C::Exception, Moved(S::Exception)),
        (
            S::HandedOver,
            C::ReturnedToSender,
            Moved(S::ReturnedToSender),
        ),
        (S::InTransit, C::HandOver, Stale),
        (S::InTransit, C::PickedUp, Stale),
        (S::InTransit, C::InTransit, Stale),
        (S::InTransit, C::OutForDelivery, Moved(S::OutForDelivery)),
        (S::InTransit, C::Delivered, Moved(S::Delivered)),
        (S::InTransit, C::Exception, Moved(S::Exception)),
        (
            S::InTransit,
            C::ReturnedToSender,
            Moved(S::ReturnedToSender),
        ),
        (S::OutForDelivery, C::HandOver, Stale),
        (S::OutForDelivery, C::PickedUp, Stale),
        (S::OutForDelivery, C::InTransit, Stale),
        (S::OutForDelivery, C::OutForDelivery, Stale),
        (S::OutForDelivery, C::Delivered, Moved(S::Delivered)),
        (S::OutForDelivery, C::Exception, Moved(S::Exception)),
        (
            S::OutForDelivery,
            C::ReturnedToSender,
            Moved(S::ReturnedToSender),
        ),
        (S::Delivered, C::HandOver, Stale),
        (S::Delivered, C::PickedUp, Stale),
        (S::Delivered, C::InTransit, Stale),
        (S::Delivered, C::OutForDelivery, Stale),
        (S::Delivered, C::Delivered, Stale),
        (S::Delivered, C::Exception, Stale),
        (S::Delivered, C::ReturnedToSender, Stale),
        (S::Exception, C::HandOver, Stale),
        (S::Exception, C::PickedUp, Stale),
        (S::Exception, C::InTransit, Moved(S::InTransit)),
        (S::Exception, C::OutForDelivery, Moved(S::OutForDelivery)),
        (S::Exception, C::Delivered, Moved(S::Delivered)),
        (S::Exception, C::Exception, Moved(S::Exception)),
        (
            S::Exception,
            C::ReturnedToSender,
            Moved(S::ReturnedToSender),
        ),
        (S::ReturnedToSender, C::HandOver, Stale),
        (S::ReturnedToSender, C::PickedUp, Stale),
        (S::ReturnedToSender, C::InTransit, Stale),
        (S::ReturnedToSender, C::OutForDelivery, Stale),
        (S::ReturnedToSender, C::Delivered, Stale),
        (S::ReturnedToSender, C::Exception, Stale),
        (S::ReturnedToSender, C::ReturnedToSender, Stale),
    ];

    fn sample(kind: ShipmentCommandKind) -> ShipmentCommand {
        match kind {
            C::StartPicking => ShipmentCommand::StartPicking,
            C::FinishPicking => ShipmentCommand::FinishPicking,
            C::ReturnToPending => ShipmentCommand::ReturnToPending,
            C::Pack => ShipmentCommand::Pack,
            C::Label => ShipmentCommand::Label,
            C::HandOver => ShipmentCommand::HandOver,
            C::Cancel => ShipmentCommand::Cancel,
            C::PickedUp => ShipmentCommand::PickedUp,
            C::InTransit => ShipmentCommand::InTransit,
            C::OutForDelivery => ShipmentCommand::OutForDelivery,
            C::Delivered => ShipmentCommand::Delivered,
            C::Exception => ShipmentCommand::Exception {
                code: ExceptionCode::AddressUnknown,
            },
            C::ReturnedToSender => ShipmentCommand::ReturnedToSender,
        }
    }

    #[test]
    fn every_status_and_command_pair_is_decided_exactly_as_the_table_says() {
        let legal: HashMap<(ShipmentStatus, ShipmentCommandKind), ShipmentOutcome> = LEGAL
            .iter()
            .map(|(from, cmd, outcome)| ((*from, *cmd), *outcome))
            .collect();
        assert_eq!(legal.len(), LEGAL.len(), "the table lists a pair twice");
        let mut checked = 0;
        for status in ShipmentStatus::ALL {
            for kind in ShipmentCommandKind::ALL {
                let command = sample(*kind);
                assert_eq!(command.kind(), *kind);
                let expected = match legal.get(&(*status, *kind)) {
                    Some(outcome) => Ok(*outcome),
                    None => Err(ShipmentTransitionError::NotAllowed {
                        from: *status,
                        command: *kind,
                    }),
                };
                assert_eq!(decide(*status, &command), expected, "{status} × {kind}");
                checked += 1;
            }
        }
        assert_eq!(checked, 11 * 13);
    }

    #[test]
    fn every_exception_code_is_decided_alike() {
        for status in ShipmentStatus::ALL {
            let expected = decide(*status, &sample(C::Exception));
            for code in ExceptionCode::ALL {
                let command = ShipmentCommand::Exception { code: *code };
                assert_eq!(decide(*status, &command), expected, "{status} × {code}");
            }
        }
    }

    #[test]
    fn carrier_events_never_move_a_shipment_backwards_except_out_of_an_exception() {
        for status in ShipmentStatus::ALL {
            for kind in ShipmentCommandKind::ALL
                .iter()
                .filter(|k| k.is_carrier_event())
            {
                if let Ok(Moved(to)) = decide(*status, &sample(*kind)) {
                    let forward = progress_rank(to) > progress_rank(*status);
                    let from_or_into_exception = *status == S::Exception || to == S::Exception;
                    assert!(
                        forward || from_or_into_exception,
                        "{status} → {to} on {kind}"
                    );
                }
            }
        }
    }

    #[test]
    fn delivered_and_returned_to_sender_take_only_stale_events() {
        for status in [S::Delivered, S::ReturnedToSender] {
            for kind in ShipmentCommandKind::ALL {
                let outcome = decide(status, &sample(*kind));
                assert!(
                    matches!(outcome, Ok(Stale) | Err(_)),
                    "{status} × {kind}: {outcome:?}"
                );
            }
        }
    }

    #[test]
    fn given_events_out_of_order_then_the_shipment_ends_where_the_latest_progress_is() {
        // Delivered arrives first; the older scans that follow only go on the timeline.
        let events = [C::Delivered, C::InTransit, C::PickedUp, C::OutForDelivery];
        let mut status = S::HandedOver;
        let mut stale = 0;
        for kind in events {
            match decide(status, &sample(kind)).unwrap() {
                Moved(to) => status = to,
                Stale => stale += 1,
                Cancelled => unreachable!(),
            }
        }
        assert_eq!((status, stale), (S::Delivered, 3));
    }

    #[test]
    fn a_shipment_walks_from_pending_to_delivered_through_a_short_pick_and_an_exception() {
        let steps = [
            C::StartPicking,
            C::ReturnToPending,
            C::StartPicking,
            C::FinishPicking,
            C::Pack,
            C::Label,
            C::HandOver,
            C::PickedUp,
            C::InTransit,
            C::OutForDelivery,
            C::Exception,
            C::OutForDelivery,
            C::Delivered,
        ];
        let mut status = S::Pending;
        let mut trail = vec![status];
        for kind in steps {
            match decide(status, &sample(kind)) {
                Ok(Moved(to)) => status = to,
                Ok(Stale) => {}
                other => panic!("{status} × {kind}: {other:?}"),
            }
            trail.push(status);
        }
        assert_eq!(status, S::Delivered);
        assert_eq!(trail[2], S::Pending, "the short pick sent it back");
        assert_eq!(
            trail[8],
            S::HandedOver,
            "the pick-up scan after the manifest is stale"
        );
    }

    #[test]
    fn refusals_say_what_the_shipment_is_and_what_it_cannot_do() {
        #[rustfmt::skip]
        let table = [
            (S::HandedOver, C::Cancel, "a shipment that is HANDED_OVER cannot be cancelled"),
            (S::Picked, C::Label, "a shipment that is PICKED cannot be labelled"),
            (S::Packed, C::InTransit, "a shipment that is PACKED cannot be in transit"),
            (S::Pending, C::ReturnToPending, "a shipment that is PENDING cannot go back to pending"),
            (S::Picking, C::Exception, "a shipment that is PICKING cannot have a carrier exception"),
        ];
        for (status, kind, message) in table {
            assert_eq!(
                decide(status, &sample(kind)).unwrap_err().to_string(),
                message
            );
        }
    }

    #[test]
    fn progress_ranks_follow_the_spec_order() {
        let line = [
            S::Pending,
            S::Picking,
            S::Picked,
            S::Packed,
            S::Labelled,
            S::HandedOver,
            S::InTransit,
            S::OutForDelivery,
            S::Delivered,
        ];
        for pair in line.windows(2) {
            assert!(progress_rank(pair[0]) < progress_rank(pair[1]), "{pair:?}");
        }
        assert!(!has_left_warehouse(S::Labelled));
        for status in [
            S::HandedOver,
            S::Exception,
            S::ReturnedToSender,
            S::Delivered,
        ] {
            assert!(has_left_warehouse(status), "{status}");
        }
    }

    #[test]
    fn names_are_unique_screaming_snake_and_exception_codes_round_trip() {
        let mut names: Vec<&str> = ShipmentCommandKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| n.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
        );
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ShipmentCommandKind::ALL.len());
        for code in ExceptionCode::ALL {
            assert_eq!(ExceptionCode::parse(code.as_str()), Some(*code));
            assert_eq!(
                serde_json::to_string(code).unwrap(),
                format!("\"{}\"", code.as_str())
            );
        }
        assert_eq!(ExceptionCode::parse("address_unknown"), None);
        assert_eq!(ExceptionCode::AddressUnknown.label(), "address unknown");
    }
}
