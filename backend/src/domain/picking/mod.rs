//! Picking (SPEC §2.3): grouping allocated shipments into waves, turning their reserved units
//! into pick lists walked in bin order, verifying every scan on the handheld (right bin, right
//! item, readable barcode, no over-pick, a second confirmation for high-value units, short picks
//! reported with the numbers), and sorting a batch wave's units into put-wall slots.
//!
//! Everything here is pure and rebuilt from plain fields: the service loads a wave's rows, asks
//! for a decision, and stores the outcome. Every refusal changes nothing and carries a stable
//! [`PickingErrorCode`] plus a message with the numbers. The wave's kind and status are the
//! contract enums `orderly_shared::{WaveKind, WaveStatus}`; their rules live in [`decide`].

mod bin_serde;
mod codes;
mod list;
mod put_wall;
mod scan;
mod selection;
mod wave;

#[cfg(test)]
mod testkit;

pub use codes::PickingErrorCode;
pub use list::{HandlingFlag, PickList, PickSource, PickTask, TaskPortion, build_pick_lists};
pub use put_wall::{
    PutWall, PutWallError, SlotLine, SortError, SortOutcome, WallSlot, assign_slots,
};
pub use scan::{ScanError, ScanOutcome, ShortPick, TaskPhase, TaskScan};
pub use selection::{WaveCandidate, WaveFilter, WaveSelectionError, select_for_wave};
pub use wave::{WaveCommand, WaveCommandKind, WaveTransitionError, decide};
