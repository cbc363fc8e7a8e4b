//! The machine codes of every picking refusal, in one vocabulary: the handheld and the console
//! branch on these (a beep for `WRONG_ITEM`, a prompt for `CONFIRMATION_PENDING`), never on the
//! message, so the names are a contract and never change once shipped.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a picking operation was refused, as a stable SCREAMING_SNAKE code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PickingErrorCode {
    /// No candidate matches the wave filter.
    EmptyWave,
    /// The candidates come from more than one warehouse.
    MixedWarehouses,
    /// The wave filter cannot select anything (e.g. a maximum of 0 shipments).
    InvalidWaveFilter,
    /// The wave's status does not take the command.
    InvalidWaveTransition,
    /// Pick tasks of the wave are still open.
    PickingUnfinished,
    /// Units of a batch wave are still waiting at the put wall.
    SortingUnfinished,
    /// Units were already picked, so the wave can no longer be cancelled.
    WaveAlreadyPicked,
    /// The scanned bin label is not the task's bin.
    WrongBin,
    /// An item was scanned before the bin label.
    BinNotScanned,
    /// A valid barcode of another item.
    WrongItem,
    /// Not a readable barcode: empty, or a GTIN with a wrong check digit.
    Misread,
    /// The task's item scanned after all its units were picked.
    OverPick,
    /// The task is complete; nothing more can be scanned for it.
    TaskClosed,
    /// A confirmation with no high-value unit waiting for one.
    NothingToConfirm,
    /// A high-value unit waits for its confirmation.
    ConfirmationPending,
    /// A short pick reported with as many units found as remain.
    NotShort,
    /// A short pick that would count high-value units without scanning them.
    HighValueUnscanned,
    /// More shipments than put-wall slots.
    WallTooSmall,
    /// A shipment listed twice for the put wall.
    DuplicateShipment,
    /// A shipment of the batch has units but no put-wall slot.
    NoSlot,
    /// The scanned item is not part of the wave at the put wall.
    NotInWave,
    /// Every unit of the scanned item is already sorted.
    Extra,
}

impl PickingErrorCode {
    /// Every code.
    pub const ALL: &'static [PickingErrorCode] = &[
        PickingErrorCode::EmptyWave,
        PickingErrorCode::MixedWarehouses,
        PickingErrorCode::InvalidWaveFilter,
        PickingErrorCode::InvalidWaveTransition,
        PickingErrorCode::PickingUnfinished,
        PickingErrorCode::SortingUnfinished,
        PickingErrorCode::WaveAlreadyPicked,
        PickingErrorCode::WrongBin,
        PickingErrorCode::BinNotScanned,
        PickingErrorCode::WrongItem,
        PickingErrorCode::Misread,
        PickingErrorCode::OverPick,
        PickingErrorCode::TaskClosed,
        PickingErrorCode::NothingToConfirm,
        PickingErrorCode::ConfirmationPending,
        PickingErrorCode::NotShort,
        PickingErrorCode::HighValueUnscanned,
        PickingErrorCode::WallTooSmall,
        PickingErrorCode::DuplicateShipment,
        PickingErrorCode::NoSlot,
        PickingErrorCode::NotInWave,
        PickingErrorCode::Extra,
    ];

    /// The contract's spelling, e.g. `WRONG_ITEM`.
    pub fn as_str(self) -> &'static str {
        match self {
            PickingErrorCode::EmptyWave => "EMPTY_WAVE",
            PickingErrorCode::MixedWarehouses => "MIXED_WAREHOUSES",
            PickingErrorCode::InvalidWaveFilter => "INVALID_WAVE_FILTER",
            PickingErrorCode::InvalidWaveTransition => "INVALID_WAVE_TRANSITION",
            PickingErrorCode::PickingUnfinished => "PICKING_UNFINISHED",
            PickingErrorCode::SortingUnfinished => "SORTING_UNFINISHED",
            PickingErrorCode::WaveAlreadyPicked => "WAVE_ALREADY_PICKED",
            PickingErrorCode::WrongBin => "WRONG_BIN",
            PickingErrorCode::BinNotScanned => "BIN_NOT_SCANNED",
            PickingErrorCode::WrongItem => "WRONG_ITEM",
            PickingErrorCode::Misread => "MISREAD",
            PickingErrorCode::OverPick => "OVER_PICK",
            PickingErrorCode::TaskClosed => "TASK_CLOSED",
            PickingErrorCode::NothingToConfirm => "NOTHING_TO_CONFIRM",
            PickingErrorCode::ConfirmationPending => "CONFIRMATION_PENDING",
            PickingErrorCode::NotShort => "NOT_SHORT",
            PickingErrorCode::HighValueUnscanned => "HIGH_VALUE_UNSCANNED",
            PickingErrorCode::WallTooSmall => "WALL_TOO_SMALL",
            PickingErrorCode::DuplicateShipment => "DUPLICATE_SHIPMENT",
            PickingErrorCode::NoSlot => "NO_SLOT",
            PickingErrorCode::NotInWave => "NOT_IN_WAVE",
            PickingErrorCode::Extra => "EXTRA",
        }
    }

    /// The code spelled `text`, if there is one.
    pub fn parse(text: &str) -> Option<PickingErrorCode> {
        Self::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

impl fmt::Display for PickingErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_spelled_the_same_by_serde_as_str_and_parse() {
        for code in PickingErrorCode::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(PickingErrorCode::parse(code.as_str()), Some(*code));
        }
        let mut names: Vec<&str> = PickingErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            PickingErrorCode::ALL.len(),
            "a code is listed twice"
        );
    }
}
