//! Builders for the allocation tests: short to write, obvious to read.

use super::facts::{
    Destination, LineFacts, OrderFacts, ShippingCosts, StockSnapshot, WarehouseInfo,
};
use super::rules::{Conditions, Rule, SplitPolicy, Strategy};

/// A line of `quantity` units weighing 500 g each.
pub(super) fn line(sku: &str, category: &str, quantity: u32) -> LineFacts {
    LineFacts {
        sku: sku.to_string(),
        category: category.to_string(),
        quantity,
        unit_weight_g: 500,
    }
}

/// A demo-store order to Shanghai, CN, without tags or special requests.
pub(super) fn order(lines: Vec<LineFacts>) -> OrderFacts {
    OrderFacts {
        channel: "demo-store".to_string(),
        destination: Destination {
            country: "CN".to_string(),
            region: Some("Shanghai".to_string()),
        },
        tags: Vec::new(),
        special_requests: Vec::new(),
        lines,
    }
}

pub(super) fn warehouse(code: &str, country: &str, region: Option<&str>) -> WarehouseInfo {
    WarehouseInfo {
        code: code.to_string(),
        country: country.to_string(),
        region: region.map(str::to_string),
    }
}

/// `(warehouse, sku, units)` rows.
pub(super) fn stock(rows: &[(&str, &str, u32)]) -> StockSnapshot {
    rows.iter().copied().collect()
}

/// 8.00 / 12.00 / 50.00 base by zone, 3.00 per started kg.
pub(super) fn costs() -> ShippingCosts {
    ShippingCosts {
        same_region_minor: 800,
        same_country_minor: 1200,
        international_minor: 5000,
        per_kg_minor: 300,
    }
}

/// A rule named after its id.
pub(super) fn rule(
    id: &str,
    conditions: Conditions,
    strategy: Strategy,
    split: SplitPolicy,
) -> Rule {
    Rule {
        id: id.to_string(),
        name: format!("rule {id}"),
        conditions,
        strategy,
        split,
    }
}

pub(super) fn codes(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

pub(super) fn fixed(warehouses: &[&str]) -> Strategy {
    Strategy::FixedList {
        warehouses: codes(warehouses),
    }
}
