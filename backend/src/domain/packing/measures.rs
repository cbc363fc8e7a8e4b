//! Sizes in whole millimetres and weights in whole grams, the units the catalogue and the
//! packaging catalogue are kept in. Boxes may be turned any of the six axis-aligned ways, so
//! "fits" always means "fits in some orientation"; volumes are `u128` so that no product of
//! three sides can overflow.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The outer size of an item, or the inner size of a container, in millimetres. Placed in a
/// container, length runs along x, width along y and height along z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dimensions {
    /// Along x, in mm.
    pub length_mm: u32,
    /// Along y, in mm.
    pub width_mm: u32,
    /// Along z, in mm.
    pub height_mm: u32,
}

impl Dimensions {
    /// A size of `length × width × height` mm.
    pub const fn new(length_mm: u32, width_mm: u32, height_mm: u32) -> Dimensions {
        Dimensions {
            length_mm,
            width_mm,
            height_mm,
        }
    }

    /// `[length, width, height]`.
    pub fn as_array(self) -> [u32; 3] {
        [self.length_mm, self.width_mm, self.height_mm]
    }

    /// The volume in mm³.
    pub fn volume_mm3(self) -> u128 {
        self.as_array()
            .iter()
            .map(|side| u128::from(*side))
            .product()
    }

    /// Whether any side is zero (such a thing cannot be placed meaningfully).
    pub fn has_zero_side(self) -> bool {
        self.as_array().contains(&0)
    }

    /// The longest side.
    pub fn longest_mm(self) -> u32 {
        self.length_mm.max(self.width_mm).max(self.height_mm)
    }

    /// The six axis-aligned orientations, duplicates removed (a cube has one), in a fixed order
    /// starting with the size as given.
    pub fn orientations(self) -> Vec<Dimensions> {
        let [l, w, h] = self.as_array();
        let mut all = vec![
            Dimensions::new(l, w, h),
            Dimensions::new(l, h, w),
            Dimensions::new(w, l, h),
            Dimensions::new(w, h, l),
            Dimensions::new(h, l, w),
            Dimensions::new(h, w, l),
        ];
        let mut seen = Vec::with_capacity(all.len());
        all.retain(|d| {
            let new = !seen.contains(d);
            seen.push(*d);
            new
        });
        all
    }

    /// Whether this box fits inside `space` in some orientation. Two boxes fit axis-aligned
    /// exactly when each side of the one, sorted, is at most the matching sorted side of the other.
    pub fn fits_within(self, space: Dimensions) -> bool {
        let mut mine = self.as_array();
        let mut theirs = space.as_array();
        mine.sort_unstable();
        theirs.sort_unstable();
        mine.iter().zip(theirs.iter()).all(|(a, b)| a <= b)
    }

    /// Whether this box, exactly as oriented, fits inside `space` without turning.
    pub fn fits_as_is(self, space: Dimensions) -> bool {
        self.length_mm <= space.length_mm
            && self.width_mm <= space.width_mm
            && self.height_mm <= space.height_mm
    }

    /// This box with `mm` of padding on every side (two per axis), e.g. bubble wrap.
    pub fn padded(self, mm: u32) -> Dimensions {
        let both_sides = mm.saturating_mul(2);
        Dimensions::new(
            self.length_mm.saturating_add(both_sides),
            self.width_mm.saturating_add(both_sides),
            self.height_mm.saturating_add(both_sides),
        )
    }

    /// Whether `self` is a re-ordering of the sides of `other` (the same box, turned).
    pub fn is_turned(self, other: Dimensions) -> bool {
        let mut mine = self.as_array();
        let mut theirs = other.as_array();
        mine.sort_unstable();
        theirs.sort_unstable();
        mine == theirs
    }
}

impl From<[u32; 3]> for Dimensions {
    fn from([length_mm, width_mm, height_mm]: [u32; 3]) -> Dimensions {
        Dimensions::new(length_mm, width_mm, height_mm)
    }
}

/// `900×200×100 mm`.
impl fmt::Display for Dimensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}×{}×{} mm",
            self.length_mm, self.width_mm, self.height_mm
        )
    }
}

/// A weight for messages: `32,000 g`, digits grouped by thousands so limits read at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Grams(pub u64);

impl fmt::Display for Grams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        write!(f, "{grouped} g")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_box_has_six_orientations_and_a_cube_only_one() {
        let brick = Dimensions::new(300, 200, 100);
        let turned = brick.orientations();
        assert_eq!(turned.len(), 6);
        assert_eq!(turned[0], brick);
        assert!(turned.iter().all(|d| d.is_turned(brick)));
        assert_eq!(Dimensions::new(50, 50, 50).orientations().len(), 1);
        assert_eq!(Dimensions::new(50, 50, 10).orientations().len(), 3);
    }

    #[test]
    fn fitting_allows_turning_but_fitting_as_is_does_not() {
        let rod = Dimensions::new(300, 50, 50);
        let tall_box = Dimensions::new(60, 60, 310);
        assert!(rod.fits_within(tall_box));
        assert!(!rod.fits_as_is(tall_box));
        assert!(rod.orientations().iter().any(|o| o.fits_as_is(tall_box)));
        assert!(!Dimensions::new(311, 50, 50).fits_within(tall_box));
        assert!(!Dimensions::new(300, 61, 50).fits_within(tall_box));
    }

    #[test]
    fn padding_adds_to_both_sides_of_every_axis_and_never_overflows() {
        assert_eq!(
            Dimensions::new(100, 80, 60).padded(10),
            Dimensions::new(120, 100, 80)
        );
        assert_eq!(
            Dimensions::new(u32::MAX, 1, 1).padded(10).length_mm,
            u32::MAX
        );
    }

    #[test]
    fn volumes_of_the_largest_boxes_do_not_overflow() {
        let huge = Dimensions::new(u32::MAX, u32::MAX, u32::MAX);
        assert_eq!(huge.volume_mm3(), u128::from(u32::MAX).pow(3));
    }

    #[test]
    fn sizes_and_weights_read_like_a_label() {
        assert_eq!(Dimensions::new(900, 200, 100).to_string(), "900×200×100 mm");
        assert_eq!(Grams(32_000).to_string(), "32,000 g");
        assert_eq!(Grams(1_234_567).to_string(), "1,234,567 g");
        assert_eq!(Grams(999).to_string(), "999 g");
        assert_eq!(Grams(0).to_string(), "0 g");
    }

    #[test]
    fn dimensions_serialise_in_camel_case() {
        let json = serde_json::to_string(&Dimensions::new(1, 2, 3)).unwrap();
        assert_eq!(json, r#"{"lengthMm":1,"widthMm":2,"heightMm":3}"#);
    }
}
