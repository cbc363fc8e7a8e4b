//! Delivery exceptions: when a parcel counts as late, what closing a task with an outcome does to
//! the parcel, and what each outcome needs from the agent.

use crate::domain::shipping::ShipmentCommand;
use chrono::{DateTime, TimeDelta, Utc};
use orderly_shared::{ExceptionOutcome, ExceptionTaskStatus, ShipmentStatus};

/// The longest note kept on a contact or a resolution.
pub const MAX_NOTE: usize = 2000;

/// Why a task cannot be closed as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExceptionError {
    #[error("the task is already resolved")]
    AlreadyResolved,
    #[error("say what was agreed")]
    NoteRequired,
    #[error("a note has at most {MAX_NOTE} characters")]
    NoteTooLong,
    #[error("a REFUND outcome needs the amount to refund")]
    AmountRequired,
    #[error("only a REDELIVER outcome carries a corrected address")]
    AddressNotAllowed,
    #[error("only a REFUND outcome carries an amount")]
    AmountNotAllowed,
}

/// What an agent's resolution asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionRequest<'a> {
    pub outcome: ExceptionOutcome,
    pub note: &'a str,
    pub has_corrected_address: bool,
    pub has_refund_amount: bool,
}

/// What closing the task does beyond recording it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The parcel's next status, if the outcome moves it.
    pub shipment: Option<ShipmentCommand>,
    /// A refund request goes to finance.
    pub refund: bool,
    /// A replacement order ships the parcel's items again.
    pub reship: bool,
}

pub fn check_note(note: &str) -> Result<(), ExceptionError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(ExceptionError::NoteRequired);
    }
    if note.chars().count() > MAX_NOTE {
        return Err(ExceptionError::NoteTooLong);
    }
    Ok(())
}

/// Closes an open task with the agent's outcome.
pub fn resolve(
    status: ExceptionTaskStatus,
    request: &ResolutionRequest<'_>,
) -> Result<Resolution, ExceptionError> {
    if status != ExceptionTaskStatus::Open {
        return Err(ExceptionError::AlreadyResolved);
    }
    check_note(request.note)?;
    let outcome = request.outcome;
    if request.has_corrected_address && outcome != ExceptionOutcome::Redeliver {
        return Err(ExceptionError::AddressNotAllowed);
    }
    match (outcome, request.has_refund_amount) {
        (ExceptionOutcome::Refund, false) => return Err(ExceptionError::AmountRequired),
        (
            ExceptionOutcome::Redeliver
            | ExceptionOutcome::ReturnToSender
            | ExceptionOutcome::Reship,
            true,
        ) => {
            return Err(ExceptionError::AmountNotAllowed);
        }
        _ => {}
    }
    Ok(Resolution {
        shipment: (outcome == ExceptionOutcome::ReturnToSender)
            .then_some(ShipmentCommand::ReturnedToSender),
        refund: outcome == ExceptionOutcome::Refund,
        reship: outcome == ExceptionOutcome::Reship,
    })
}

/// Whether a parcel with the carrier is past its promised delivery: handed over more than the
/// service's SLA days ago and still not delivered (nor back, nor already in exception).
pub fn overdue(
    status: ShipmentStatus,
    handed_over_at: DateTime<Utc>,
    sla_days: u32,
    now: DateTime<Utc>,
) -> bool {
    let with_carrier = matches!(
        status,
        ShipmentStatus::HandedOver | ShipmentStatus::InTransit | ShipmentStatus::OutForDelivery
    );
    with_carrier && now > handed_over_at + TimeDelta::days(i64::from(sla_days))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ExceptionOutcome as O;

    fn ask(outcome: ExceptionOutcome, address: bool, amount: bool) -> ResolutionRequest<'static> {
        ResolutionRequest {
            outcome,
            note: "called the customer",
            has_corrected_address: address,
            has_refund_amount: amount,
        }
    }

    #[test]
    fn each_outcome_does_what_it_says() {
        let open = ExceptionTaskStatus::Open;
        assert_eq!(
            resolve(open, &ask(O::Redeliver, true, false)),
            Ok(Resolution {
                shipment: None,
                refund: false,
                reship: false,
            })
        );
        assert_eq!(
            resolve(open, &ask(O::ReturnToSender, false, false)),
            Ok(Resolution {
                shipment: Some(ShipmentCommand::ReturnedToSender),
                refund: false,
                reship: false,
            })
        );
        assert_eq!(
            resolve(open, &ask(O::Refund, false, true)),
            Ok(Resolution {
                shipment: None,
                refund: true,
                reship: false,
            })
        );
        assert_eq!(
            resolve(open, &ask(O::Reship, false, false)),
            Ok(Resolution {
                shipment: None,
                refund: false,
                reship: true,
            })
        );
        assert_eq!(
            resolve(open, &ask(O::Reship, false, true)),
            Err(ExceptionError::AmountNotAllowed)
        );
    }

    #[test]
    fn outcomes_carry_only_what_they_use() {
        let open = ExceptionTaskStatus::Open;
        assert_eq!(
            resolve(open, &ask(O::Refund, false, false)),
            Err(ExceptionError::AmountRequired)
        );
        assert_eq!(
            resolve(open, &ask(O::Redeliver, false, true)),
            Err(ExceptionError::AmountNotAllowed)
        );
        assert_eq!(
            resolve(open, &ask(O::ReturnToSender, true, false)),
            Err(ExceptionError::AddressNotAllowed)
        );
        assert_eq!(
            resolve(open, &ask(O::Refund, true, true)),
            Err(ExceptionError::AddressNotAllowed)
        );
    }

    #[test]
    fn a_resolution_needs_a_note_and_an_open_task() {
        let mut blank = ask(O::Redeliver, false, false);
        blank.note = "  ";
        assert_eq!(
            resolve(ExceptionTaskStatus::Open, &blank),
            Err(ExceptionError::NoteRequired)
        );
        let long = "x".repeat(MAX_NOTE + 1);
        blank.note = &long;
        assert_eq!(
            resolve(ExceptionTaskStatus::Open, &blank),
            Err(ExceptionError::NoteTooLong)
        );
        assert_eq!(
            resolve(
                ExceptionTaskStatus::Resolved,
                &ask(O::Redeliver, false, false)
            ),
            Err(ExceptionError::AlreadyResolved)
        );
    }

    #[test]
    fn a_parcel_is_overdue_only_with_the_carrier_and_past_its_sla() {
        let handed = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z")
            .unwrap()
            .to_utc();
        let day = TimeDelta::days(1);
        use ShipmentStatus as S;
        assert!(!overdue(S::InTransit, handed, 2, handed + day * 2));
        assert!(overdue(
            S::InTransit,
            handed,
            2,
            handed + day * 2 + TimeDelta::seconds(1)
        ));
        assert!(overdue(S::HandedOver, handed, 1, handed + day * 3));
        for settled in [S::Delivered, S::Exception, S::ReturnedToSender, S::Labelled] {
            assert!(!overdue(settled, handed, 1, handed + day * 30), "{settled}");
        }
    }
}
