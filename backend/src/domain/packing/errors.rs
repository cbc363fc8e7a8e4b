//! Why no packaging could be suggested, or why the packer's choice is refused. Every message is
//! a sentence a packer can act on and carries the sizes and weights that decided it; every
//! variant has a stable code for the console to branch on.

use orderly_shared::PackagingKind;

use super::codes::machine_codes;
use super::measures::{Dimensions, Grams};
use super::packaging::kind_label;
use crate::domain::money::Currency;

/// A cartonization failure: the items, the catalogue, or the container chosen by the packer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CartonizationError {
    /// No item has a quantity above zero.
    #[error("there is nothing to pack")]
    NoItems,
    /// An item without a size cannot be placed; its product needs measuring.
    #[error("item {sku} has a side of zero ({size}); measure it before packing")]
    ItemWithoutDimensions {
        /// The item.
        sku: String,
        /// Its size as recorded.
        size: Dimensions,
    },
    /// More units than one parcel suggestion handles.
    #[error("{units} units are more than one parcel can be planned for (at most {max})")]
    TooManyUnits {
        /// Units asked for.
        units: u64,
        /// The limit, [`super::MAX_UNITS`].
        max: u32,
    },
    /// The catalogue has no active carton or mailer bag at all.
    #[error("the packaging catalogue has no active carton or mailer bag")]
    NoActiveContainer,
    /// Fragile items travel in cartons only, and there is none.
    #[error("fragile item {sku} needs a carton, and the packaging catalogue has no active carton")]
    NoActiveCarton {
        /// The first fragile item.
        sku: String,
    },
    /// A liquid needs a sealed bag and the catalogue has none active.
    #[error(
        "liquid item {sku} needs a sealed bag, and the packaging catalogue has no active sealed bag"
    )]
    NoSealedBag {
        /// The liquid item.
        sku: String,
    },
    /// Every active sealed bag is too small or too weak for a liquid item.
    #[error("no sealed bag takes liquid item {sku} ({size}, {})", Grams(u64::from(*weight_g)))]
    NoSealedBagFits {
        /// The liquid item.
        sku: String,
        /// Its size.
        size: Dimensions,
        /// Its weight, g.
        weight_g: u32,
    },
    /// A fragile item needs bubble wrap and the catalogue has none active.
    #[error(
        "fragile item {sku} needs bubble wrap, and the packaging catalogue has no active bubble wrap"
    )]
    NoBubbleWrap {
        /// The fragile item.
        sku: String,
    },
    /// Every active bubble wrap is too small or too weak for a fragile item.
    #[error("no bubble wrap takes fragile item {sku} ({size}, {})", Grams(u64::from(*weight_g)))]
    NoBubbleWrapFits {
        /// The fragile item.
        sku: String,
        /// Its size.
        size: Dimensions,
        /// Its weight, g.
        weight_g: u32,
    },
    /// One item does not fit, however turned, in any container it may travel in.
    #[error(
        "item {sku} {size}{} is larger than every {}",
        if *wrapped { " with bubble wrap" } else { "" },
        if *cartons_only { "carton (fragile items travel in cartons)" } else { "container" }
    )]
    ItemTooLarge {
        /// The item.
        sku: String,
        /// The space it needs (bubble wrap padding included).
        size: Dimensions,
        /// Whether `size` includes bubble wrap padding.
        wrapped: bool,
        /// Whether only cartons were considered, because the shipment has fragile items.
        cartons_only: bool,
    },
    /// The contents weigh more than any container may carry.
    #[error(
        "total weight {} exceeds every container's limit (max {} of contents)",
        Grams(*weight_g),
        Grams(*max_g)
    )]
    TooHeavy {
        /// Items plus protective extras, g.
        weight_g: u64,
        /// The most contents any usable container carries (its max weight less its tare), g.
        max_g: u64,
    },
    /// Each item fits somewhere and some container takes the weight, but no container was
    /// found that holds them all together.
    #[error("no container holds all {units} units ({}) together", Grams(*weight_g))]
    NoContainerFits {
        /// Units to pack.
        units: u32,
        /// Items plus protective extras, g.
        weight_g: u64,
    },
    /// The packer's choice is not in the catalogue.
    #[error("there is no packaging {code} in the catalogue")]
    UnknownContainer {
        /// The code as given.
        code: String,
    },
    /// The packer's choice is no longer in use.
    #[error("packaging {code} is inactive")]
    InactiveContainer {
        /// The packaging.
        code: String,
    },
    /// The packer chose a protective extra as the container.
    #[error("{code} is {}, not a carton or mailer bag", with_article(*kind))]
    NotAContainer {
        /// The packaging.
        code: String,
        /// What it is.
        kind: PackagingKind,
    },
    /// The packer chose a mailer bag for a shipment with fragile items.
    #[error("fragile item {sku} needs a carton, not mailer bag {code}")]
    FragileNeedsCarton {
        /// The mailer bag.
        code: String,
        /// The first fragile item.
        sku: String,
    },
    /// One item does not fit, however turned, in the packer's choice.
    #[error(
        "item {sku} {size}{} does not fit in {code} ({inner})",
        if *wrapped { " with bubble wrap" } else { "" }
    )]
    ItemDoesNotFitIn {
        /// The container.
        code: String,
        /// The item.
        sku: String,
        /// The space it needs (bubble wrap padding included).
        size: Dimensions,
        /// Whether `size` includes bubble wrap padding.
        wrapped: bool,
        /// The container's inner size.
        inner: Dimensions,
    },
    /// The packed parcel would weigh more than the packer's choice may carry.
    #[error(
        "the packed weight {} exceeds the {} limit of {code}",
        Grams(*weight_g),
        Grams(u64::from(*max_g))
    )]
    Overweight {
        /// The container.
        code: String,
        /// Items, extras and the container's tare, g.
        weight_g: u64,
        /// Its max weight, g.
        max_g: u32,
    },
    /// Every item fits alone, but no arrangement of all of them was found in the packer's
    /// choice. The heuristic is conservative: a packer who knows better can split the parcel.
    #[error("the {units} units do not fit together in {code} ({inner})")]
    DoesNotFitIn {
        /// The container.
        code: String,
        /// Units to pack.
        units: u32,
        /// The container's inner size.
        inner: Dimensions,
    },
    /// Costs in different currencies cannot be compared.
    #[error(
        "packaging costs must share one currency: {code} is in {currency}, {other_code} in {other}"
    )]
    MixedCurrencies {
        /// The first active entry.
        code: String,
        /// Its currency.
        currency: Currency,
        /// The first active entry in another currency.
        other_code: String,
        /// That currency.
        other: Currency,
    },
    /// The total cost is beyond what money arithmetic holds.
    #[error("the packaging cost is too large to add up")]
    CostOverflow,
}

/// `a carton`, `bubble wrap`: the kind as a sentence names it.
fn with_article(kind: PackagingKind) -> String {
    match kind {
        PackagingKind::BubbleWrap => kind_label(kind).to_string(),
        _ => format!("a {}", kind_label(kind)),
    }
}

machine_codes! {
    /// The stable code of a [`CartonizationError`].
    pub enum CartonizationCode {
        /// [`CartonizationError::NoItems`].
        NoItems => "NO_ITEMS",
        /// [`CartonizationError::ItemWithoutDimensions`].
        ItemWithoutDimensions => "ITEM_WITHOUT_DIMENSIONS",
        /// [`CartonizationError::TooManyUnits`].
        TooManyUnits => "TOO_MANY_UNITS",
        /// [`CartonizationError::NoActiveContainer`].
        NoActiveContainer => "NO_ACTIVE_CONTAINER",
        /// [`CartonizationError::NoActiveCarton`].
        NoActiveCarton => "NO_ACTIVE_CARTON",
        /// [`CartonizationError::NoSealedBag`].
        NoSealedBag => "NO_SEALED_BAG",
        /// [`CartonizationError::NoSealedBagFits`].
        NoSealedBagFits => "NO_SEALED_BAG_FITS",
        /// [`CartonizationError::NoBubbleWrap`].
        NoBubbleWrap => "NO_BUBBLE_WRAP",
        /// [`CartonizationError::NoBubbleWrapFits`].
        NoBubbleWrapFits => "NO_BUBBLE_WRAP_FITS",
        /// [`CartonizationError::ItemTooLarge`].
        ItemTooLarge => "ITEM_TOO_LARGE",
        /// [`CartonizationError::TooHeavy`].
        TooHeavy => "TOO_HEAVY",
        /// [`CartonizationError::NoContainerFits`].
        NoContainerFits => "NO_CONTAINER_FITS",
        /// [`CartonizationError::UnknownContainer`].
        UnknownContainer => "UNKNOWN_CONTAINER",
        /// [`CartonizationError::InactiveContainer`].
        InactiveContainer => "INACTIVE_CONTAINER",
        /// [`CartonizationError::NotAContainer`].
        NotAContainer => "NOT_A_CONTAINER",
        /// [`CartonizationError::FragileNeedsCarton`].
        FragileNeedsCarton => "FRAGILE_NEEDS_CARTON",
        /// [`CartonizationError::ItemDoesNotFitIn`].
        ItemDoesNotFitIn => "ITEM_DOES_NOT_FIT_IN",
        /// [`CartonizationError::Overweight`].
        Overweight => "OVERWEIGHT",
        /// [`CartonizationError::DoesNotFitIn`].
        DoesNotFitIn => "DOES_NOT_FIT_IN",
        /// [`CartonizationError::MixedCurrencies`].
        MixedCurrencies => "MIXED_CURRENCIES",
        /// [`CartonizationError::CostOverflow`].
        CostOverflow => "COST_OVERFLOW",
    }
}

impl CartonizationError {
    /// The stable machine code, e.g. `ITEM_TOO_LARGE`.
    pub fn code(&self) -> CartonizationCode {
        use CartonizationCode as C;
        use CartonizationError as E;
        match self {
            E::NoItems => C::NoItems,
            E::ItemWithoutDimensions { .. } => C::ItemWithoutDimensions,
            E::TooManyUnits { .. } => C::TooManyUnits,
            E::NoActiveContainer => C::NoActiveContainer,
            E::NoActiveCarton { .. } => C::NoActiveCarton,
            E::NoSealedBag { .. } => C::NoSealedBag,
            E::NoSealedBagFits { .. } => C::NoSealedBagFits,
            E::NoBubbleWrap { .. } => C::NoBubbleWrap,
            E::NoBubbleWrapFits { .. } => C::NoBubbleWrapFits,
            E::ItemTooLarge { .. } => C::ItemTooLarge,
            E::TooHeavy { .. } => C::TooHeavy,
            E::NoContainerFits { .. } => C::NoContainerFits,
            E::UnknownContainer { .. } => C::UnknownContainer,
            E::InactiveContainer { .. } => C::InactiveContainer,
            E::NotAContainer { .. } => C::NotAContainer,
            E::FragileNeedsCarton { .. } => C::FragileNeedsCarton,
            E::ItemDoesNotFitIn { .. } => C::ItemDoesNotFitIn,
            E::Overweight { .. } => C::Overweight,
            E::DoesNotFitIn { .. } => C::DoesNotFitIn,
            E::MixedCurrencies { .. } => C::MixedCurrencies,
            E::CostOverflow => C::CostOverflow,
        }
    }
}
