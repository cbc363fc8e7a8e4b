//! Pieces shared by the pages: the signed-in shell and its navigation, the per-area access
//! gate, tabs between an area's pages, order and payment status badges, coalescing reloads,
//! paged lists, secrets shown once, and small form, address and formatting helpers.

pub mod address;
pub mod area_gate;
pub mod feedback;
pub mod form;
pub mod format;
pub mod paged;
pub mod queue;
pub mod refresh;
pub mod secret;
pub mod shell;
pub mod status;
pub mod tabs;

pub use area_gate::AreaGate;

use leptos::prelude::*;

/// An e-mail address that, in a narrow table cell, wraps before the `@` rather than mid-word.
#[component]
pub fn Email(#[prop(into)] address: String) -> impl IntoView {
    match address.split_once('@') {
        Some((local, domain)) => {
            let (local, domain) = (local.to_string(), format!("@{domain}"));
            view! { {local}<wbr />{domain} }.into_any()
        }
        None => address.into_any(),
    }
}
