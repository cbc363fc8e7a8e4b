//! Printable warehouse documents (SPEC §2.3–§2.5): the 4×6 in shipping label, the pick list,
//! the carrier hand-over manifest and the customer invoice, rendered as PDF bytes.
//!
//! This is an adapter at the edge, not domain logic: each renderer takes a plain data struct
//! that a use case has already loaded, sorted and formatted, and returns the file, synchronously
//! and without touching the database, so a service can render inside `spawn_blocking` and store
//! or stream the bytes. Layout is fixed-position vector drawing with the PDF base-14 Helvetica
//! fonts (no font files to ship; see `text` for what that cannot print), and barcodes are drawn
//! as rectangles so they scan at any print size.

mod barcode;
mod canvas;
mod invoice;
mod label;
mod manifest;
mod pick_list;
mod table;
mod text;

#[cfg(test)]
mod testkit;

use std::fmt;

use crate::domain::money::MoneyError;

pub use invoice::{InvoiceDoc, InvoiceLine, Seller, invoice};
pub use label::{LabelAddress, LabelData, label_qr_payload, shipping_label};
pub use manifest::{ManifestDoc, ManifestParcel, manifest};
pub use pick_list::{HandlingFlag, PickListDoc, PickRow, SlotQuantity, pick_list};

/// Which document a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// The 4×6 in parcel label.
    ShippingLabel,
    /// A wave's pick list.
    PickList,
    /// A carrier hand-over manifest.
    Manifest,
    /// A customer invoice.
    Invoice,
}

impl fmt::Display for DocumentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DocumentKind::ShippingLabel => "shipping label",
            DocumentKind::PickList => "pick list",
            DocumentKind::Manifest => "manifest",
            DocumentKind::Invoice => "invoice",
        })
    }
}

/// Why a document could not be rendered; nothing was produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// A field the document cannot be printed without is blank.
    #[error("the {document} cannot be printed without a {field}")]
    MissingField {
        /// The document.
        document: DocumentKind,
        /// The blank field.
        field: &'static str,
    },
    /// A value to print as Code128 holds a character Code128 cannot carry.
    #[error("{field} {value:?} cannot be a Code128 barcode: {character:?} is not printable ASCII")]
    UnencodableBarcode {
        /// What the value is.
        field: &'static str,
        /// The value.
        value: String,
        /// The first character that cannot be encoded.
        character: char,
    },
    /// A Code128 value is too long for its place on the page at a bar width scanners read.
    #[error(
        "{field} {value:?} needs {modules} Code128 modules, but only {max_modules} fit at the narrowest printable bar"
    )]
    BarcodeTooWide {
        /// What the value is.
        field: &'static str,
        /// The value.
        value: String,
        /// Modules the symbol needs, quiet zones included.
        modules: usize,
        /// Modules that fit.
        max_modules: usize,
    },
    /// The QR payload is more than a QR code holds.
    #[error(
        "the QR payload is {bytes} bytes, more than a QR code at error-correction level Q holds"
    )]
    QrPayloadTooLong {
        /// Length of the payload in bytes.
        bytes: usize,
    },
    /// The COD amounts of a manifest cannot be added up.
    #[error("the manifest's COD total cannot be computed: {0}")]
    CodTotal(#[from] MoneyError),
}

/// Refuses a blank `value` for `field` of `document`.
fn require(document: DocumentKind, field: &'static str, value: &str) -> Result<(), DocumentError> {
    if value.trim().is_empty() {
        Err(DocumentError::MissingField { document, field })
    } else {
        Ok(())
    }
}

/// `1250` grams as `1.250 kg`.
fn kilograms(grams: u64) -> String {
    format!("{}.{:03} kg", grams / 1000, grams % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_print_in_kilograms_with_gram_precision() {
        assert_eq!(kilograms(1250), "1.250 kg");
        assert_eq!(kilograms(5), "0.005 kg");
        assert_eq!(kilograms(12_000), "12.000 kg");
    }

    #[test]
    fn a_blank_required_field_is_refused_by_name() {
        let err = require(DocumentKind::ShippingLabel, "tracking number", "  ").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the shipping label cannot be printed without a tracking number"
        );
    }
}
