//! Serde for [`BinCode`] as its plain text (`"A-01-03-2"`), re-validated on the way in, so pick
//! lists and short-pick reports can be stored as JSON without the stock module knowing serde.

use serde::{Deserialize, Deserializer, Serializer};

use crate::domain::stock::BinCode;

/// Writes the code as stored.
pub(super) fn serialize<S: Serializer>(bin: &BinCode, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(bin.as_str())
}

/// Reads and validates a code; a malformed one is a deserialisation error.
pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<BinCode, D::Error> {
    let raw = String::deserialize(deserializer)?;
    BinCode::parse(&raw).map_err(serde::de::Error::custom)
}
