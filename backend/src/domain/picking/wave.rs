//! The wave's life (SPEC §2.3): released, picked, sorted at the put wall if it was a batch, and
//! ready for packing — or cancelled while nothing has been picked. Every legal transition is one
//! arm of one `match`; the guards that need counts (open tasks, unsorted units, units picked) take
//! them from the command, so the service passes what it counted and the rule stays here.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::PickingErrorCode;
use orderly_shared::{WaveKind, WaveStatus};

/// Something that happens to a wave. Commands whose rule depends on counts carry them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "command",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum WaveCommand {
    /// A picker took the wave's lists.
    StartPicking,
    /// The picker finished; `open_tasks` is how many tasks are neither fully picked nor
    /// reported short (must be 0).
    FinishPicking {
        /// Tasks still open.
        open_tasks: u32,
    },
    /// The put wall is full; `unsorted_units` is how many picked units have no slot yet (must
    /// be 0).
    FinishSorting {
        /// Picked units not yet put into a slot.
        unsorted_units: u32,
    },
    /// Give the wave up; `units_picked` must be 0.
    Cancel {
        /// Units counted on any task of the wave so far.
        units_picked: u32,
    },
}

/// The kind of a [`WaveCommand`] without its data: what errors and logs name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WaveCommandKind {
    /// [`WaveCommand::StartPicking`].
    StartPicking,
    /// [`WaveCommand::FinishPicking`].
    FinishPicking,
    /// [`WaveCommand::FinishSorting`].
    FinishSorting,
    /// [`WaveCommand::Cancel`].
    Cancel,
}

impl WaveCommandKind {
    /// Every command kind.
    pub const ALL: &'static [WaveCommandKind] = &[
        WaveCommandKind::StartPicking,
        WaveCommandKind::FinishPicking,
        WaveCommandKind::FinishSorting,
        WaveCommandKind::Cancel,
    ];

    /// A stable SCREAMING_SNAKE name, e.g. `FINISH_SORTING`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaveCommandKind::StartPicking => "START_PICKING",
            WaveCommandKind::FinishPicking => "FINISH_PICKING",
            WaveCommandKind::FinishSorting => "FINISH_SORTING",
            WaveCommandKind::Cancel => "CANCEL",
        }
    }

    /// What the command does, to finish "a … wave that is X cannot …".
    fn action(self) -> &'static str {
        match self {
            WaveCommandKind::StartPicking => "start picking",
            WaveCommandKind::FinishPicking => "finish picking",
            WaveCommandKind::FinishSorting => "finish sorting",
            WaveCommandKind::Cancel => "be cancelled",
        }
    }
}

impl fmt::Display for WaveCommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl WaveCommand {
    /// The command's kind, without its data.
    pub fn kind(&self) -> WaveCommandKind {
        match self {
            WaveCommand::StartPicking => WaveCommandKind::StartPicking,
            WaveCommand::FinishPicking { .. } => WaveCommandKind::FinishPicking,
            WaveCommand::FinishSorting { .. } => WaveCommandKind::FinishSorting,
            WaveCommand::Cancel { .. } => WaveCommandKind::Cancel,
        }
    }
}

/// A command the wave cannot take; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaveTransitionError {
    /// The command does not apply to a wave of this kind in this status.
    #[error("a {} wave that is {from} cannot {}", .kind.as_str().to_ascii_lowercase(), .command.action())]
    NotAllowed {
        /// Discrete or batch.
        kind: WaveKind,
        /// The wave's current status.
        from: WaveStatus,
        /// What was asked.
        command: WaveCommandKind,
    },
    /// Picking cannot finish while tasks are open.
    #[error("picking cannot finish: {open_tasks} pick task(s) are still open")]
    PickingUnfinished {
        /// Tasks neither fully picked nor reported short.
        open_tasks: u32,
    },
    /// Sorting cannot finish while units wait for a slot.
    #[error("sorting cannot finish: {unsorted_units} picked unit(s) are not in a slot yet")]
    SortingUnfinished {
        /// Picked units not yet put.
        unsorted_units: u32,
    },
    /// Units were picked; they must be put back through the stock ledger, not by cancelling.
    #[error("the wave cannot be cancelled: {units_picked} unit(s) are already picked")]
    AlreadyPicked {
        /// Units counted so far.
        units_picked: u32,
    },
}

impl WaveTransitionError {
    /// The stable machine code.
    pub fn code(&self) -> PickingErrorCode {
        match self {
            WaveTransitionError::NotAllowed { .. } => PickingErrorCode::InvalidWaveTransition,
            WaveTransitionError::PickingUnfinished { .. } => PickingErrorCode::PickingUnfinished,
            WaveTransitionError::SortingUnfinished { .. } => PickingErrorCode::SortingUnfinished,
            WaveTransitionError::AlreadyPicked { .. } => PickingErrorCode::WaveAlreadyPicked,
        }
    }
}

/// The status a wave of `kind` in `status` moves to when `command` happens, or why it cannot.
///
/// Legality comes first, then the command's counts: finishing a released wave is refused as not
/// allowed whatever `open_tasks` says.
pub fn decide(
    kind: WaveKind,
    status: WaveStatus,
    command: &WaveCommand,
) -> Result<WaveStatus, WaveTransitionError> {
    use WaveCommand as C;
    use WaveKind as K;
    use WaveStatus as S;
    match (kind, status, *command) {
        (_, S::Released, C::StartPicking) => Ok(S::Picking),
        (_, S::Picking, C::FinishPicking { open_tasks }) if open_tasks > 0 => {
            Err(WaveTransitionError::PickingUnfinished { open_tasks })
        }
        (K::Discrete, S::Picking, C::FinishPicking { .. }) => Ok(S::Ready),
        (K::Batch, S::Picking, C::FinishPicking { .. }) => Ok(S::Sorting),
        (K::Batch, S::Sorting, C::FinishSorting { unsorted_units }) if unsorted_units > 0 => {
            Err(WaveTransitionError::SortingUnfinished { unsorted_units })
        }
        (K::Batch, S::Sorting, C::FinishSorting { .. }) => Ok(S::Ready),
        (_, S::Released | S::Picking, C::Cancel { units_picked }) if units_picked > 0 => {
            Err(WaveTransitionError::AlreadyPicked { units_picked })
        }
        (_, S::Released | S::Picking, C::Cancel { .. }) => Ok(S::Cancelled),
        _ => Err(WaveTransitionError::NotAllowed {
            kind,
            from: status,
            command: command.kind(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    use WaveCommandKind as C;
    use WaveKind as K;
    use WaveStatus as S;

    /// Every legal transition (with counts that satisfy the guards), written out independently of
    /// `decide`.
    const LEGAL: &[(WaveKind, WaveStatus, WaveCommandKind, WaveStatus)] = &[
        (K::Discrete, S::Released, C::StartPicking, S::Picking),
        (K::Discrete, S::Released, C::Cancel, S::Cancelled),
        (K::Discrete, S::Picking, C::FinishPicking, S::Ready),
        (K::Discrete, S::Picking, C::Cancel, S::Cancelled),
        (K::Batch, S::Released, C::StartPicking, S::Picking),
        (K::Batch, S::Released, C::Cancel, S::Cancelled),
        (K::Batch, S::Picking, C::FinishPicking, S::Sorting),
        (K::Batch, S::Picking, C::Cancel, S::Cancelled),
        (K::Batch, S::Sorting, C::FinishSorting, S::Ready),
    ];

    fn satisfied(kind: WaveCommandKind) -> WaveCommand {
        match kind {
            C::StartPicking => WaveCommand::StartPicking,
            C::FinishPicking => WaveCommand::FinishPicking { open_tasks: 0 },
            C::FinishSorting => WaveCommand::FinishSorting { unsorted_units: 0 },
            C::Cancel => WaveCommand::Cancel { units_picked: 0 },
        }
    }

    #[test]
    fn every_kind_status_and_command_is_decided_exactly_as_the_table_says() {
        let legal: HashMap<_, _> = LEGAL
            .iter()
            .map(|(kind, from, cmd, to)| ((*kind, *from, *cmd), *to))
            .collect();
        assert_eq!(legal.len(), LEGAL.len(), "the table lists a triple twice");
        for kind in WaveKind::ALL {
            for status in WaveStatus::ALL {
                for command in WaveCommandKind::ALL {
                    let expected = match legal.get(&(*kind, *status, *command)) {
                        Some(to) => Ok(*to),
                        None => Err(WaveTransitionError::NotAllowed {
                            kind: *kind,
                            from: *status,
                            command: *command,
                        }),
                    };
                    let got = decide(*kind, *status, &satisfied(*command));
                    assert_eq!(got, expected, "{kind} {status} × {command}");
                }
            }
        }
    }

    #[test]
    fn given_a_discrete_wave_when_sorting_is_finished_then_it_is_refused_because_there_is_no_put_wall()
     {
        let err = decide(K::Discrete, S::Picking, &satisfied(C::FinishSorting)).unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::InvalidWaveTransition);
        assert_eq!(
            err.to_string(),
            "a discrete wave that is PICKING cannot finish sorting"
        );
    }

    #[test]
    fn given_open_tasks_when_picking_is_finished_then_the_wave_keeps_picking_and_says_how_many() {
        let err = decide(
            K::Batch,
            S::Picking,
            &WaveCommand::FinishPicking { open_tasks: 3 },
        )
        .unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::PickingUnfinished);
        assert_eq!(
            err.to_string(),
            "picking cannot finish: 3 pick task(s) are still open"
        );
    }

    #[test]
    fn given_unsorted_units_when_sorting_is_finished_then_it_is_refused_with_the_count() {
        let err = decide(
            K::Batch,
            S::Sorting,
            &WaveCommand::FinishSorting { unsorted_units: 2 },
        )
        .unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::SortingUnfinished);
        assert!(err.to_string().contains("2 picked unit(s)"), "{err}");
    }

    #[test]
    fn given_picked_units_when_the_wave_is_cancelled_then_it_is_refused() {
        let err = decide(
            K::Discrete,
            S::Picking,
            &WaveCommand::Cancel { units_picked: 1 },
        )
        .unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::WaveAlreadyPicked);
        assert_eq!(
            err.to_string(),
            "the wave cannot be cancelled: 1 unit(s) are already picked"
        );
    }

    #[test]
    fn given_a_sorting_wave_when_cancelled_then_it_is_not_allowed_even_with_nothing_picked() {
        let err = decide(K::Batch, S::Sorting, &satisfied(C::Cancel)).unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::InvalidWaveTransition);
    }

    #[test]
    fn statuses_kinds_and_commands_serialise_by_their_contract_names() {
        for status in WaveStatus::ALL {
            let json = serde_json::to_string(status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(WaveStatus::parse(status.as_str()), Some(*status));
        }
        for kind in WaveKind::ALL {
            assert_eq!(WaveKind::parse(kind.as_str()), Some(*kind));
        }
        let json = serde_json::to_string(&WaveCommand::FinishPicking { open_tasks: 2 }).unwrap();
        assert_eq!(json, r#"{"command":"FINISH_PICKING","openTasks":2}"#);
    }
}
