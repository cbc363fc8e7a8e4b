//! Shipping: the carrier catalogue, choosing a carrier and booking the parcel for a packed
//! shipment (the label), and handing parcels over to the carrier with a manifest.

pub mod cancel;
pub mod carriers;
pub mod facts;
pub mod handover;
pub mod label;
pub mod status;
