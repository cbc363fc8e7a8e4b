//! Correcting a shipping address: the customer tells customer service a new one on the phone,
//! whether to verify a held order or to re-deliver a parcel in exception. Both forms start from
//! the address on the order and send `VerificationAddressInput`.

use crate::api::ApiError;
use crate::api::types::Address;
use crate::components::form::{TextField, field_errors};
use leptos::prelude::*;

/// The address inputs by their contract names, for placing the server's problems
/// (`correctedAddress.city` → `city`).
pub const ADDRESS_FIELDS: [&str; 9] = [
    "recipient",
    "phone",
    "country",
    "region",
    "city",
    "district",
    "line1",
    "line2",
    "postalCode",
];

/// The address as typed, one signal per line, starting from the address on the order.
#[derive(Clone, Copy)]
pub struct AddressDraft {
    recipient: RwSignal<String>,
    phone: RwSignal<String>,
    country: RwSignal<String>,
    region: RwSignal<String>,
    city: RwSignal<String>,
    district: RwSignal<String>,
    line1: RwSignal<String>,
    line2: RwSignal<String>,
    postal_code: RwSignal<String>,
}

impl AddressDraft {
    pub fn from(a: &Address) -> AddressDraft {
        let text = |s: &str| RwSignal::new(s.to_string());
        let opt = |s: &Option<String>| RwSignal::new(s.clone().unwrap_or_default());
        AddressDraft {
            recipient: text(&a.recipient),
            phone: text(&a.phone),
            country: text(&a.country),
            region: opt(&a.region),
            city: text(&a.city),
            district: opt(&a.district),
            line1: text(&a.line1),
            line2: opt(&a.line2),
            postal_code: opt(&a.postal_code),
        }
    }

    /// The address as typed, trimmed; blank optional lines are left out.
    pub fn address(&self) -> Address {
        let text = |s: RwSignal<String>| s.get_untracked().trim().to_string();
        let opt = |s: RwSignal<String>| Some(text(s)).filter(|s| !s.is_empty());
        Address {
            recipient: text(self.recipient),
            phone: text(self.phone),
            country: text(self.country).to_uppercase(),
            region: opt(self.region),
            city: text(self.city),
            district: opt(self.district),
            line1: text(self.line1),
            line2: opt(self.line2),
            postal_code: opt(self.postal_code),
        }
    }
}

/// One input per address line, each with the server's problems for it.
#[component]
pub fn AddressFields(
    /// Makes the inputs' ids unique on the page.
    #[prop(into)]
    id_prefix: String,
    draft: AddressDraft,
    error: RwSignal<Option<ApiError>>,
    #[prop(default = "Corrected address")] legend: &'static str,
) -> impl IntoView {
    let lines = [
        ("recipient", "Recipient", draft.recipient),
        ("phone", "Phone", draft.phone),
        ("country", "Country (ISO code)", draft.country),
        ("region", "Province or state", draft.region),
        ("city", "City", draft.city),
        ("district", "District", draft.district),
        ("line1", "Address line 1", draft.line1),
        ("line2", "Address line 2", draft.line2),
        ("postalCode", "Postal code", draft.postal_code),
    ];
    view! {
        <fieldset class="form-grid address-form">
            <legend>{legend}</legend>
            {lines
                .into_iter()
                .map(|(name, label, value)| {
                    view! {
                        <TextField
                            id=format!("{id_prefix}-{name}")
                            label=label
                            value=value
                            errors=field_errors(error, name)
                            autocomplete="off"
                        />
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
