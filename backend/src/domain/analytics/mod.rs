//! Operations analytics: each order's rollup folded from its events, and the statistics the
//! dashboard shows over a set of them.

pub mod facts;
pub mod stats;
pub mod volume;

pub use facts::{Facts, Happening, stage_duration};
pub use stats::{Bottleneck, Distribution, average_score, bottleneck, nearest_rank};
