//! Which allocated shipments go into a wave (SPEC §2.3: by cut-off time, carrier, priority).
//! The service loads the warehouse's waiting shipments as candidates; this module filters them,
//! puts the most urgent first and cuts the list at the wave's size, so the rule for "what goes
//! next" is the same in the console's preview and in the release.

use std::cmp::{Ordering, Reverse};
use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::PickingErrorCode;

/// An allocated shipment that could join a wave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaveCandidate {
    /// The shipment.
    pub id: Uuid,
    /// The warehouse it ships from; a wave is picked in one warehouse.
    pub warehouse_code: String,
    /// The carrier code, once chosen.
    pub carrier: Option<String>,
    /// The latest time it may leave to keep the promise, if there is one.
    pub ship_by: Option<DateTime<Utc>>,
    /// Higher goes first.
    pub priority: i32,
    /// Whether the shipment carries special instructions (gift wrap, delivery notes…).
    pub has_instructions: bool,
    /// When the shipment was created: first come, first served among equals.
    pub created_at: DateTime<Utc>,
}

/// What a wave takes. Every criterion is optional; an empty filter takes every candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WaveFilter {
    /// Only shipments for this carrier (compared without regard to case).
    pub carrier: Option<String>,
    /// Only shipments that must leave at or before this time; shipments without a ship-by time
    /// are left out.
    pub cut_off: Option<DateTime<Utc>>,
    /// Only shipments with at least this priority.
    pub min_priority: Option<i32>,
    /// Only shipments with (`true`) or without (`false`) special instructions.
    pub has_instructions: Option<bool>,
    /// At most this many shipments, the most urgent; at least 1.
    pub max_shipments: Option<u32>,
}

impl WaveFilter {
    /// Whether the candidate passes every criterion (the maximum aside).
    pub fn matches(&self, candidate: &WaveCandidate) -> bool {
        let carrier = match (&self.carrier, &candidate.carrier) {
            (None, _) => true,
            (Some(wanted), Some(has)) => wanted.trim().eq_ignore_ascii_case(has.trim()),
            (Some(_), None) => false,
        };
        let cut_off = match (self.cut_off, candidate.ship_by) {
            (None, _) => true,
            (Some(cut_off), Some(ship_by)) => ship_by <= cut_off,
            (Some(_), None) => false,
        };
        let priority = self
            .min_priority
            .is_none_or(|min| candidate.priority >= min);
        let instructions = self
            .has_instructions
            .is_none_or(|wanted| candidate.has_instructions == wanted);
        carrier && cut_off && priority && instructions
    }
}

/// Why no wave can be formed; nothing is selected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WaveSelectionError {
    /// The filter left nothing to pick.
    #[error("no shipment matches the wave filter ({candidates} candidate(s) considered)")]
    Empty {
        /// How many candidates were looked at.
        candidates: usize,
    },
    /// Candidates from several warehouses were offered; a wave is walked in one.
    #[error("a wave is picked in one warehouse, but the candidates come from {}", .warehouses.join(", "))]
    MixedWarehouses {
        /// The distinct warehouse codes, sorted.
        warehouses: Vec<String>,
    },
    /// A wave of at most 0 shipments.
    #[error("max shipments must be at least 1 (got 0)")]
    ZeroMaxShipments,
}

impl WaveSelectionError {
    /// The stable machine code.
    pub fn code(&self) -> PickingErrorCode {
        match self {
            WaveSelectionError::Empty { .. } => PickingErrorCode::EmptyWave,
            WaveSelectionError::MixedWarehouses { .. } => PickingErrorCode::MixedWarehouses,
            WaveSelectionError::ZeroMaxShipments => PickingErrorCode::InvalidWaveFilter,
        }
    }
}

/// The urgency order: priority high to low, then ship-by early to late (none last), then oldest
/// first; the id breaks remaining ties so the order never depends on the input's.
fn urgency(a: &WaveCandidate, b: &WaveCandidate) -> Ordering {
    let ship_by = |c: &WaveCandidate| (c.ship_by.is_none(), c.ship_by);
    Reverse(a.priority)
        .cmp(&Reverse(b.priority))
        .then_with(|| ship_by(a).cmp(&ship_by(b)))
        .then_with(|| a.created_at.cmp(&b.created_at))
        .then_with(|| a.id.cmp(&b.id))
}

/// The ids of the shipments a wave with `filter` takes, most urgent first (the order slots and
/// pick lists follow). Refuses candidates from more than one warehouse, a maximum of 0, and a
/// selection that would be empty.
pub fn select_for_wave(
    candidates: &[WaveCandidate],
    filter: &WaveFilter,
) -> Result<Vec<Uuid>, WaveSelectionError> {
    if filter.max_shipments == Some(0) {
        return Err(WaveSelectionError::ZeroMaxShipments);
    }
    let warehouses: BTreeSet<&str> = candidates
        .iter()
        .map(|c| c.warehouse_code.as_str())
        .collect();
    if warehouses.len() > 1 {
        return Err(WaveSelectionError::MixedWarehouses {
            warehouses: warehouses.into_iter().map(str::to_string).collect(),
        });
    }
    let mut chosen: Vec<&WaveCandidate> = candidates.iter().filter(|c| filter.matches(c)).collect();
    chosen.sort_by(|a, b| urgency(a, b));
    if let Some(max) = filter.max_shipments {
        chosen.truncate(usize::try_from(max).unwrap_or(usize::MAX));
    }
    if chosen.is_empty() {
        return Err(WaveSelectionError::Empty {
            candidates: candidates.len(),
        });
    }
    Ok(chosen.into_iter().map(|c| c.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 9, hour, 0, 0).unwrap()
    }

    fn candidate(n: u128) -> WaveCandidate {
        WaveCandidate {
            id: Uuid::from_u128(n),
            warehouse_code: "SH-1".into(),
            carrier: Some("SF".into()),
            ship_by: None,
            priority: 0,
            has_instructions: false,
            created_at: at(1),
        }
    }

    fn ids(ns: &[u128]) -> Vec<Uuid> {
        ns.iter().map(|n| Uuid::from_u128(*n)).collect()
    }

    #[test]
    fn given_candidates_when_selected_then_priority_then_ship_by_with_none_last_then_age_decide() {
        let candidates = vec![
            WaveCandidate {
                ship_by: None,
                ..candidate(1)
            },
            WaveCandidate {
                ship_by: Some(at(18)),
                ..candidate(2)
            },
            WaveCandidate {
                ship_by: Some(at(12)),
                ..candidate(3)
            },
            WaveCandidate {
                priority: 5,
                ship_by: None,
                ..candidate(4)
            },
            WaveCandidate {
                ship_by: Some(at(12)),
                created_at: at(0),
                ..candidate(5)
            },
        ];
        let chosen = select_for_wave(&candidates, &WaveFilter::default()).unwrap();
        assert_eq!(chosen, ids(&[4, 5, 3, 2, 1]));
    }

    #[test]
    fn given_a_maximum_when_selected_then_only_the_most_urgent_are_taken() {
        let candidates: Vec<WaveCandidate> = (1..=5)
            .map(|n| WaveCandidate {
                priority: n as i32,
                ..candidate(n)
            })
            .collect();
        let filter = WaveFilter {
            max_shipments: Some(2),
            ..WaveFilter::default()
        };
        assert_eq!(select_for_wave(&candidates, &filter).unwrap(), ids(&[5, 4]));
    }

    #[test]
    fn given_each_filter_when_selected_then_only_matching_candidates_are_taken() {
        let candidates = vec![
            WaveCandidate {
                carrier: Some("sf".into()),
                ship_by: Some(at(10)),
                priority: 1,
                ..candidate(1)
            },
            WaveCandidate {
                carrier: Some("YTO".into()),
                ship_by: Some(at(16)),
                priority: 3,
                has_instructions: true,
                ..candidate(2)
            },
            WaveCandidate {
                carrier: None,
                ship_by: None,
                priority: 2,
                ..candidate(3)
            },
        ];
        let select = |filter: WaveFilter| select_for_wave(&candidates, &filter).unwrap();
        let carrier = WaveFilter {
            carrier: Some("SF".into()),
            ..WaveFilter::default()
        };
        assert_eq!(select(carrier), ids(&[1]));
        let cut_off = WaveFilter {
            cut_off: Some(at(16)),
            ..WaveFilter::default()
        };
        assert_eq!(
            select(cut_off),
            ids(&[2, 1]),
            "at the cut-off counts; none is out"
        );
        let priority = WaveFilter {
            min_priority: Some(2),
            ..WaveFilter::default()
        };
        assert_eq!(select(priority), ids(&[2, 3]));
        let with = WaveFilter {
            has_instructions: Some(true),
            ..WaveFilter::default()
        };
        assert_eq!(select(with), ids(&[2]));
        let without = WaveFilter {
            has_instructions: Some(false),
            ..WaveFilter::default()
        };
        assert_eq!(select(without), ids(&[3, 1]));
    }

    #[test]
    fn given_a_filter_nothing_matches_when_selected_then_the_empty_wave_is_refused() {
        let candidates = vec![candidate(1), candidate(2)];
        let filter = WaveFilter {
            min_priority: Some(9),
            ..WaveFilter::default()
        };
        let err = select_for_wave(&candidates, &filter).unwrap_err();
        assert_eq!(err, WaveSelectionError::Empty { candidates: 2 });
        assert_eq!(err.code(), PickingErrorCode::EmptyWave);
        assert_eq!(
            err.to_string(),
            "no shipment matches the wave filter (2 candidate(s) considered)"
        );
        let none = select_for_wave(&[], &WaveFilter::default()).unwrap_err();
        assert_eq!(none, WaveSelectionError::Empty { candidates: 0 });
    }

    #[test]
    fn given_a_maximum_of_zero_when_selected_then_the_filter_is_refused() {
        let filter = WaveFilter {
            max_shipments: Some(0),
            ..WaveFilter::default()
        };
        let err = select_for_wave(&[candidate(1)], &filter).unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::InvalidWaveFilter);
    }

    #[test]
    fn given_candidates_of_two_warehouses_when_selected_then_they_are_refused_by_name() {
        let candidates = vec![
            candidate(1),
            WaveCandidate {
                warehouse_code: "BJ-2".into(),
                ..candidate(2)
            },
        ];
        let err = select_for_wave(&candidates, &WaveFilter::default()).unwrap_err();
        assert_eq!(err.code(), PickingErrorCode::MixedWarehouses);
        assert_eq!(
            err.to_string(),
            "a wave is picked in one warehouse, but the candidates come from BJ-2, SH-1"
        );
    }

    #[test]
    fn a_filter_round_trips_through_json_and_missing_fields_mean_no_criterion() {
        let filter: WaveFilter =
            serde_json::from_str(r#"{"carrier":"SF","maxShipments":20}"#).unwrap();
        assert_eq!(filter.carrier.as_deref(), Some("SF"));
        assert_eq!(filter.max_shipments, Some(20));
        assert_eq!(filter.min_priority, None);
        let back: WaveFilter =
            serde_json::from_str(&serde_json::to_string(&filter).unwrap()).unwrap();
        assert_eq!(back, filter);
    }
}
