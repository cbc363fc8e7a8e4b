//! What allocation decides from: the order, the warehouses, their stock and the shipping costs.
//! Plain values the service loads beforehand, so a decision can be replayed in a test or shown
//! in the console's dry run without touching the database.

use std::collections::BTreeMap;

/// A warehouse as allocation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarehouseInfo {
    /// The code rules and stock name it by, e.g. `SH1`.
    pub code: String,
    /// ISO country code, e.g. `CN`.
    pub country: String,
    /// Province or state, when the warehouse has one on record.
    pub region: Option<String>,
}

/// Where the order goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// ISO country code, e.g. `CN`.
    pub country: String,
    /// Province or state, when the address has one.
    pub region: Option<String>,
}

pub use orderly_shared::SpecialRequestKind;

/// What a warehouse manager calls a special request, for explanations: `gift wrap`.
pub fn special_request_label(kind: SpecialRequestKind) -> &'static str {
    match kind {
        SpecialRequestKind::DeliveryWindow => "delivery window",
        SpecialRequestKind::GiftWrap => "gift wrap",
        SpecialRequestKind::GiftMessage => "gift message",
        SpecialRequestKind::Invoice => "invoice",
    }
}

/// One order line as allocation sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    /// The product's SKU; stock is kept per SKU.
    pub sku: String,
    /// The product's category code, e.g. `tea`.
    pub category: String,
    /// Units ordered.
    pub quantity: u32,
    /// Weight of one unit in grams, for the LOWEST_COST strategy.
    pub unit_weight_g: u32,
}

/// What allocation knows about an order (an existing one or one described for a dry run).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderFacts {
    /// The sales channel's code, e.g. `tmall`.
    pub channel: String,
    /// Where the order goes.
    pub destination: Destination,
    /// The order's tags, e.g. `vip`.
    pub tags: Vec<String>,
    /// The kinds of special request the order carries.
    pub special_requests: Vec<SpecialRequestKind>,
    /// The lines, in order.
    pub lines: Vec<LineFacts>,
}

impl OrderFacts {
    /// Total weight in grams; saturates rather than wrapping on absurd quantities.
    pub fn weight_g(&self) -> u64 {
        self.lines.iter().fold(0u64, |total, line| {
            total.saturating_add(u64::from(line.quantity) * u64::from(line.unit_weight_g))
        })
    }
}

/// Available units (on hand − reserved, blocked stock excluded by the caller) per warehouse code
/// and SKU. Pairs never set have nothing available.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockSnapshot {
    units: BTreeMap<String, BTreeMap<String, u32>>,
}

impl StockSnapshot {
    /// A snapshot with nothing available anywhere.
    pub fn new() -> StockSnapshot {
        StockSnapshot::default()
    }

    /// Records the units of `sku` available in `warehouse`, replacing an earlier figure.
    pub fn set(&mut self, warehouse: impl Into<String>, sku: impl Into<String>, units: u32) {
        self.units
            .entry(warehouse.into())
            .or_default()
            .insert(sku.into(), units);
    }

    /// Units of `sku` available in `warehouse`; 0 when unknown.
    pub fn available(&self, warehouse: &str, sku: &str) -> u32 {
        self.units
            .get(warehouse)
            .and_then(|skus| skus.get(sku))
            .copied()
            .unwrap_or(0)
    }
}

impl<W: Into<String>, S: Into<String>> FromIterator<(W, S, u32)> for StockSnapshot {
    /// Collects `(warehouse, sku, units)` rows; a later row for the same pair replaces an earlier.
    fn from_iter<I: IntoIterator<Item = (W, S, u32)>>(rows: I) -> StockSnapshot {
        let mut snapshot = StockSnapshot::new();
        for (warehouse, sku, units) in rows {
            snapshot.set(warehouse, sku, units);
        }
        snapshot
    }
}

/// Shipping cost model for LOWEST_COST, in minor units of one currency: a base per shipment by
/// zone plus an amount per started kilogram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingCosts {
    /// Base when warehouse and destination share country and region.
    pub same_region_minor: i64,
    /// Base when they share only the country.
    pub same_country_minor: i64,
    /// Base across borders.
    pub international_minor: i64,
    /// Per started kilogram of the order's weight.
    pub per_kg_minor: i64,
}
