//! What the pack station is told: which container, which protective extras, what it costs and
//! weighs, where each unit goes, and in a few words why. The service stores it as JSON with the
//! shipment (`packaging_code`, `packed_weight_g`) and shows the reasons to the packer.

use std::fmt;

use orderly_shared::PackagingKind;
use serde::{Deserialize, Serialize};

use super::measures::Dimensions;
use super::placement::Placement;
use crate::domain::money::Money;

/// A packaging decision for one shipment, suggested or chosen by the packer and checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// The container's code.
    pub container: String,
    /// Carton or mailer bag.
    pub container_kind: PackagingKind,
    /// The container's inner size, which the placements lie in.
    pub container_inner: Dimensions,
    /// Sealed bags and bubble wrap, by code.
    pub extras: Vec<ExtraUse>,
    /// Container plus extras.
    pub total_cost: Money,
    /// Items, extras' tare and the container's tare, g; never above the container's max weight.
    pub packed_weight_g: u32,
    /// Where each unit goes, in item order.
    pub placements: Vec<Placement>,
    /// Why this packaging, shortest first.
    pub reasons: Vec<Reason>,
}

/// Pieces of one protective extra used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtraUse {
    /// The extra's code.
    pub code: String,
    /// Sealed bag or bubble wrap.
    pub kind: PackagingKind,
    /// One per liquid or fragile unit.
    pub count: u32,
    /// `count` × its cost.
    pub cost: Money,
}

/// One reason for the packaging, shown as a short phrase. Stored tagged by `kind`:
/// `{"kind":"CHEAPEST","cheaperRefused":2}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum Reason {
    /// Fragile units force a carton and get bubble wrap.
    Fragile {
        /// Fragile units in the shipment.
        units: u32,
    },
    /// Liquid units each go in a sealed bag.
    Liquid {
        /// Liquid units in the shipment.
        units: u32,
    },
    /// The cheapest container that fits (ties: smaller, then by code).
    Cheapest {
        /// Cheaper usable containers that did not fit.
        cheaper_refused: u32,
    },
    /// The packer chose the container; it was checked against the same rules.
    ChosenByPacker,
}

/// `fragile: carton and bubble wrap`, `the cheapest container that fits (2 cheaper do not)`.
impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Fragile { .. } => f.write_str("fragile: carton and bubble wrap"),
            Reason::Liquid { .. } => f.write_str("liquid: sealed bag for each unit"),
            Reason::Cheapest { cheaper_refused: 0 } => f.write_str("the cheapest container"),
            Reason::Cheapest { cheaper_refused: 1 } => {
                f.write_str("the cheapest container that fits (1 cheaper does not)")
            }
            Reason::Cheapest { cheaper_refused } => write!(
                f,
                "the cheapest container that fits ({cheaper_refused} cheaper do not)"
            ),
            Reason::ChosenByPacker => f.write_str("chosen by the packer"),
        }
    }
}
