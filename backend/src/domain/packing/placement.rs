//! Where each unit goes in a box: a guillotine packing over all six orientations. Optimal 3D
//! packing is NP-hard, so this is a heuristic, and a deliberately one-sided one: it may miss an
//! arrangement that exists ("does not fit" can be wrong, the packer can override), but when it
//! says "fits" the placements it returns are inside the box and overlap nowhere.
//!
//! Why it is sound: the free space is kept as a list of disjoint boxes that, together with the
//! placed units, exactly tile the container. A unit is only ever put in the corner of a free box
//! it fits in, and that free box is then cut into at most three disjoint boxes around it, so
//! the invariant holds after every step.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

use super::measures::Dimensions;

/// A corner of a unit in the container, in mm from the container's inner corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Position {
    /// Along the container's length.
    pub x_mm: u32,
    /// Along the container's width.
    pub y_mm: u32,
    /// Up from the floor.
    pub z_mm: u32,
}

impl Position {
    fn as_array(self) -> [u32; 3] {
        [self.x_mm, self.y_mm, self.z_mm]
    }
}

impl From<[u32; 3]> for Position {
    fn from([x_mm, y_mm, z_mm]: [u32; 3]) -> Position {
        Position { x_mm, y_mm, z_mm }
    }
}

/// Where one unit of an item goes: its lowest corner and its size as turned (bubble wrap
/// padding included), so a packer — or a test — can check the arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Placement {
    /// The item's SKU.
    pub sku: String,
    /// Which unit of that SKU, counting from 1.
    pub unit: u32,
    /// The corner nearest the container's inner corner.
    pub position: Position,
    /// The space it takes, as turned: length along x, width along y, height along z.
    pub size: Dimensions,
    /// Whether it is wrapped in bubble wrap (and `size` includes the padding).
    pub wrapped: bool,
    /// Whether it is in a sealed bag.
    pub sealed: bool,
}

impl Placement {
    /// Whether it lies wholly inside a container of `inner` size.
    pub fn is_inside(&self, inner: Dimensions) -> bool {
        let at = self.position.as_array();
        let size = self.size.as_array();
        let room = inner.as_array();
        (0..3).all(|axis| u64::from(at[axis]) + u64::from(size[axis]) <= u64::from(room[axis]))
    }

    /// Whether it shares volume with `other` (touching faces is fine).
    pub fn overlaps(&self, other: &Placement) -> bool {
        let (a, a_size) = (self.position.as_array(), self.size.as_array());
        let (b, b_size) = (other.position.as_array(), other.size.as_array());
        (0..3).all(|axis| {
            let (a0, b0) = (u64::from(a[axis]), u64::from(b[axis]));
            a0 < b0 + u64::from(b_size[axis]) && b0 < a0 + u64::from(a_size[axis])
        })
    }
}

/// A free box of the container: its lowest corner and size, `[x, y, z]`.
#[derive(Debug, Clone, Copy)]
struct Region {
    at: [u32; 3],
    size: [u32; 3],
}

impl Region {
    fn volume(&self) -> u128 {
        self.size.iter().map(|s| u128::from(*s)).product()
    }
}

/// The orders in which axes are cut when a free box is split around a unit.
const CUT_ORDERS: [[usize; 3]; 6] = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
];

/// Finds a position and orientation for every size in `space`, index for index, or `None` when
/// the heuristic finds no arrangement. Sizes must have no zero side. Tries units biggest first,
/// then longest first, each with both ways of turning, as each wins on some inputs.
pub(super) fn arrange(
    space: Dimensions,
    sizes: &[Dimensions],
) -> Option<Vec<(Position, Dimensions)>> {
    let total: u128 = sizes.iter().map(|s| s.volume_mm3()).sum();
    if total > space.volume_mm3() || sizes.iter().any(|s| !s.fits_within(space)) {
        return None;
    }
    let mut by_volume: Vec<usize> = (0..sizes.len()).collect();
    by_volume.sort_by(|&a, &b| {
        (sizes[b].volume_mm3(), sizes[b].longest_mm(), a).cmp(&(
            sizes[a].volume_mm3(),
            sizes[a].longest_mm(),
            b,
        ))
    });
    let mut by_length: Vec<usize> = (0..sizes.len()).collect();
    by_length.sort_by(|&a, &b| {
        (sizes[b].longest_mm(), sizes[b].volume_mm3(), a).cmp(&(
            sizes[a].longest_mm(),
            sizes[a].volume_mm3(),
            b,
        ))
    });
    let attempts = [
        (&by_volume, Turning::FirstThatFits),
        (&by_volume, Turning::Flush),
        (&by_length, Turning::FirstThatFits),
        (&by_length, Turning::Flush),
    ];
    attempts
        .into_iter()
        .find_map(|(order, turning)| arrange_in_order(space, sizes, order, turning))
}

/// How a unit is turned within the free box chosen for it. Neither way wins on every input
/// (one tiles grids, the other fills a box with books laid crosswise), so both are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turning {
    /// The first orientation that fits, in [`Dimensions::orientations`] order.
    FirstThatFits,
    /// The orientation with most faces flush against the free box's walls, which leaves the
    /// rest of it in usable slabs.
    Flush,
}

fn arrange_in_order(
    space: Dimensions,
    sizes: &[Dimensions],
    order: &[usize],
    turning: Turning,
) -> Option<Vec<(Position, Dimensions)>> {
    let mut free = vec![Region {
        at: [0; 3],
        size: space.as_array(),
    }];
    let mut placed: Vec<Option<(Position, Dimensions)>> = vec![None; sizes.len()];
    for &index in order {
        let (region_index, turned) = best_spot(&free, sizes[index], turning)?;
        let region = free.swap_remove(region_index);
        free.extend(split(region, turned.as_array()));
        placed[index] = Some((Position::from(region.at), turned));
    }
    placed.into_iter().collect()
}

/// The free box that leaves the least volume over (best fit), turned as `turning` says; ties
/// go to the lowest, then nearest corner, then the earlier orientation. Disjoint free boxes
/// never share a corner, so the choice does not depend on the order of `free`.
fn best_spot(free: &[Region], size: Dimensions, turning: Turning) -> Option<(usize, Dimensions)> {
    type Key = (u128, Reverse<usize>, u32, u32, u32, usize);
    let volume = size.volume_mm3();
    let turns = size.orientations();
    let mut best: Option<(Key, usize, Dimensions)> = None;
    for (region_index, region) in free.iter().enumerate() {
        let region_volume = region.volume();
        if region_volume < volume {
            continue;
        }
        let room = Dimensions::from(region.size);
        for (turn, turned) in turns.iter().copied().enumerate() {
            if !turned.fits_as_is(room) {
                continue;
            }
            let flush = match turning {
                Turning::FirstThatFits => 0,
                Turning::Flush => (0..3)
                    .filter(|&axis| turned.as_array()[axis] == region.size[axis])
                    .count(),
            };
            let key = (
                region_volume - volume,
                Reverse(flush),
                region.at[2],
                region.at[1],
                region.at[0],
                turn,
            );
            if best.as_ref().is_none_or(|(best_key, _, _)| key < *best_key) {
                best = Some((key, region_index, turned));
            }
        }
    }
    best.map(|(_, region_index, turned)| (region_index, turned))
}

/// Cuts `region` around a unit of `size` placed in its corner into up to three disjoint free
/// boxes: beyond the unit along the first axis (full extent on the others), beyond it along the
/// second (within the unit on the first), beyond it along the third (within the unit on both).
/// Of the six cut orders, the one leaving the biggest single free box wins, as big boxes take
/// big units later.
fn split(region: Region, size: [u32; 3]) -> Vec<Region> {
    let mut best: Option<(u128, Vec<Region>)> = None;
    for order in CUT_ORDERS {
        let mut pieces = Vec::with_capacity(3);
        let mut extent = region.size;
        for &axis in &order {
            let mut at = region.at;
            at[axis] += size[axis];
            let mut piece_size = extent;
            piece_size[axis] = region.size[axis] - size[axis];
            let piece = Region {
                at,
                size: piece_size,
            };
            if piece.volume() > 0 {
                pieces.push(piece);
            }
            // Later pieces lie within the unit's extent along this axis.
            extent[axis] = size[axis];
        }
        let biggest = pieces.iter().map(Region::volume).max().unwrap_or(0);
        if best.as_ref().is_none_or(|(b, _)| biggest > *b) {
            best = Some((biggest, pieces));
        }
    }
    best.map(|(_, pieces)| pieces).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::testkit::assert_valid;
    use super::*;

    fn placements(space: Dimensions, sizes: &[Dimensions]) -> Option<Vec<Placement>> {
        arrange(space, sizes).map(|found| {
            found
                .into_iter()
                .enumerate()
                .map(|(i, (position, size))| Placement {
                    sku: format!("S{i}"),
                    unit: 1,
                    position,
                    size,
                    wrapped: false,
                    sealed: false,
                })
                .collect()
        })
    }

    #[test]
    fn given_a_rod_longer_than_the_floor_when_arranged_then_it_stands_up() {
        let space = Dimensions::new(60, 60, 310);
        let rod = [Dimensions::new(300, 50, 50)];
        let found = placements(space, &rod).unwrap();
        assert_valid(space, &rod, &found);
        assert_eq!(found[0].size, Dimensions::new(50, 50, 300));
    }

    #[test]
    fn given_cubes_that_tile_the_box_exactly_when_arranged_then_all_fit() {
        for per_side in 1..=4_u32 {
            let space = Dimensions::new(100 * per_side, 100 * per_side, 100 * per_side);
            let cubes = vec![Dimensions::new(100, 100, 100); (per_side.pow(3)) as usize];
            let found = placements(space, &cubes).unwrap();
            assert_valid(space, &cubes, &found);
        }
    }

    #[test]
    fn given_books_that_fill_a_box_only_when_turned_when_arranged_then_all_fit() {
        // Four 200×150×50 books fill a 300×200×100 box: two layers of two, 150 along the 300.
        let space = Dimensions::new(300, 200, 100);
        let books = vec![Dimensions::new(200, 150, 50); 4];
        let found = placements(space, &books).unwrap();
        assert_valid(space, &books, &found);
    }

    #[test]
    fn given_more_volume_than_the_box_when_arranged_then_nothing_is_placed() {
        let space = Dimensions::new(100, 100, 100);
        let cubes = vec![Dimensions::new(50, 50, 50); 9];
        assert!(arrange(space, &cubes).is_none());
        assert!(arrange(space, &[Dimensions::new(101, 1, 1)]).is_none());
    }

    #[test]
    fn given_nothing_when_arranged_then_the_empty_arrangement_fits() {
        assert_eq!(arrange(Dimensions::new(1, 1, 1), &[]), Some(vec![]));
    }

    #[test]
    fn overlap_and_containment_treat_touching_faces_as_apart() {
        let at = |x, y, z, l, w, h| Placement {
            sku: "A".into(),
            unit: 1,
            position: Position {
                x_mm: x,
                y_mm: y,
                z_mm: z,
            },
            size: Dimensions::new(l, w, h),
            wrapped: false,
            sealed: false,
        };
        let a = at(0, 0, 0, 10, 10, 10);
        assert!(!a.overlaps(&at(10, 0, 0, 10, 10, 10)));
        assert!(a.overlaps(&at(9, 9, 9, 10, 10, 10)));
        assert!(a.overlaps(&at(2, 2, 2, 1, 1, 1)));
        assert!(a.is_inside(Dimensions::new(10, 10, 10)));
        assert!(!at(1, 0, 0, 10, 10, 10).is_inside(Dimensions::new(10, 10, 10)));
        assert!(!at(u32::MAX, 0, 0, 10, 1, 1).is_inside(Dimensions::new(u32::MAX, 1, 1)));
    }

    fn size(max_side: u32) -> impl Strategy<Value = Dimensions> {
        (1..=max_side, 1..=max_side, 1..=max_side).prop_map(|(l, w, h)| Dimensions::new(l, w, h))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1_000))]

        #[test]
        fn every_arrangement_found_is_inside_the_box_without_overlap(
            space in size(400),
            sizes in prop::collection::vec(size(200), 1..14),
        ) {
            if let Some(found) = placements(space, &sizes) {
                assert_valid(space, &sizes, &found);
            }
        }

        #[test]
        fn units_that_tile_a_grid_exactly_are_always_found_to_fit(
            unit in (5..=60u32, 5..=60u32, 5..=60u32),
            grid in (1..=4u32, 1..=4u32, 1..=4u32),
        ) {
            // A sound but useless packer would pass the test above by never saying "fits".
            let unit = Dimensions::new(unit.0, unit.1, unit.2);
            let space = Dimensions::new(
                unit.length_mm * grid.0,
                unit.width_mm * grid.1,
                unit.height_mm * grid.2,
            );
            let sizes = vec![unit; (grid.0 * grid.1 * grid.2) as usize];
            let found = placements(space, &sizes);
            prop_assert!(found.is_some(), "{} × {} should tile {}", sizes.len(), unit, space);
            assert_valid(space, &sizes, &found.unwrap_or_default());
        }
    }
}
