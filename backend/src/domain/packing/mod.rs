//! Packing and checking (SPEC §2.4): which packaging a shipment goes in, and whether what went
//! in is exactly the shipment. Cartonization picks the cheapest container from the packaging
//! catalogue that takes the items by size and weight — cartons and bubble wrap for fragile
//! items, sealed bags for liquids — and checks a packer's override by the same rules; pack
//! verification counts scanned units against the shipment and blocks it on any wrong, extra or
//! missing item. Pure logic: the service loads the catalogue and the stored counts, asks, and
//! persists the answer.

mod cartonization;
mod codes;
mod errors;
mod measures;
mod packaging;
mod placement;
mod suggestion;
mod verification;

#[cfg(test)]
mod properties;
#[cfg(test)]
mod testkit;

pub use cartonization::{MAX_UNITS, PackItem, PackingRules, evaluate, suggest};
pub use errors::{CartonizationCode, CartonizationError};
pub use measures::Dimensions;
pub use packaging::{
    MAX_PACKAGING_CODE_CHARS, MAX_PACKAGING_NAME_CHARS, MAX_PACKAGING_SIDE_MM,
    MAX_PACKAGING_WEIGHT_G, Packaging, PackagingDraft, is_container, kind_label,
    validate_packaging, validate_packaging_code,
};
pub use placement::{Placement, Position};
pub use suggestion::{ExtraUse, Reason, Suggestion};
pub use verification::{
    DiscrepancyCode, ExpectedItem, PackCheck, PackDiscrepancy, PackLine, PackScanCode,
    PackScanError, PackScanOutcome, PackSetupCode, PackSetupError,
};
