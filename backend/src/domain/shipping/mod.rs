//! Shipping (SPEC §2.5, §3): carriers and their contracts, which carrier service takes a parcel
//! at what price, and a shipment's life from picking to delivery. Pure logic over plain values:
//! the service loads the carriers and the parcel's facts, stores what is decided, and talks to
//! the carrier adapters; carriers serialise to JSON for storage.
//!
//! - [`Carrier`], [`Coverage`], [`Zone`], [`RateTable`]: the configuration, and [`rate`] for one
//!   price; [`validate_carrier`] for the editor.
//! - [`select`] picks the cheapest carrier service that can take a parcel and says why every
//!   other lost; [`override_choice`] checks an operator's own pick.
//! - [`decide`] is the shipment state machine; carrier events never move a shipment backwards.
//! - [`order_fulfilment_status`] says what the shipments mean for their order.

mod carrier;
mod fulfilment;
mod json;
mod machine;
mod rates;
mod selection;
mod validate;

#[cfg(test)]
mod testkit;

pub use carrier::{Carrier, CountryCoverage, Coverage, Place, ServiceLevel, Zone};
pub use fulfilment::{ShipmentSnapshot, order_fulfilment_status};
pub use machine::{
    ExceptionCode, ShipmentCommand, ShipmentCommandKind, ShipmentOutcome, ShipmentTransitionError,
    decide, has_left_warehouse, progress_rank,
};
pub use rates::{RateCard, RateError, RateTable, WeightBracket, rate};
pub use selection::{
    CandidateTrace, CarrierChoice, Exclusion, Loss, NoCarrier, OverrideChoice, OverrideError,
    ParcelFacts, Verdict, override_choice, select,
};
pub use validate::{CarrierDraft, MAX_CODE_CHARS, MAX_NAME_CHARS, MAX_SLA_DAYS, validate_carrier};
