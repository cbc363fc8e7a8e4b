//! Operations analytics: each order's rollup folded from its events, and the statistics the
//! dashboard shows over a set of them.

pub mod facts;
pub mod stats;
pub mod volume;

pub use facts::{Facts, Happening};
pub use stats::{Bottleneck, Distribution, bottleneck, nearest_rank};
