//! Shipping: the carrier catalogue, choosing a carrier and booking the parcel for a packed
//! shipment (the label), handing parcels over to the carrier with a manifest, and following
//! them through the carrier's tracking callbacks.

pub mod cancel;
pub mod carriers;
pub mod facts;
pub mod handover;
pub mod label;
pub mod status;
pub mod tracking;
