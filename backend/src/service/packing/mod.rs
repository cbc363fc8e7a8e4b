//! Packing: the packaging catalogue, and the pack station where every unit of a picked shipment
//! is scanned against it, the packaging is suggested (or chosen by the packer) and the parcel's
//! weight recorded.

pub mod catalogue;
pub mod station;
