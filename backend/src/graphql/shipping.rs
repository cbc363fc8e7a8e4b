//! Carriers, carrier choice and labels, staged parcels and hand-over manifests.

use super::connection::{Conn, connection, try_connection};
use super::guard::Require;
use super::orders::{Money, Shipment};
use super::{actor, parse_id, state};
use crate::db::entity::manifest;
use crate::domain::money::{Currency, Money as DomainMoney};
use crate::domain::shipping::{
    Carrier, CarrierDraft, CountryCoverage, Coverage, RateCard, RateTable, ServiceLevel,
    WeightBracket, Zone,
};
use crate::error::AppError;
use crate::service::page::PageRequest;
use crate::service::shipping::{carriers, handover, label};
use crate::service::stock::scope;
use async_graphql::{
    Context, Enum, ErrorExtensions, ID, InputObject, Object, ResultExt, SimpleObject,
};
use chrono::{DateTime, Utc};
use orderly_shared::{FieldProblem, Operation};

/// How far a parcel travels from its warehouse, which decides its rate.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum ShippingZone {
    /// Same country and region as the warehouse.
    Local,
    /// Same country.
    National,
    /// Another country.
    International,
}

impl From<Zone> for ShippingZone {
    fn from(z: Zone) -> ShippingZone {
        match z {
            Zone::Local => ShippingZone::Local,
            Zone::National => ShippingZone::National,
            Zone::International => ShippingZone::International,
        }
    }
}

impl From<ShippingZone> for Zone {
    fn from(z: ShippingZone) -> Zone {
        match z {
            ShippingZone::Local => Zone::Local,
            ShippingZone::National => Zone::National,
            ShippingZone::International => Zone::International,
        }
    }
}

fn money(m: &DomainMoney) -> Money {
    Money {
        amount: m.amount().to_string(),
        currency: m.currency().code().to_string(),
    }
}

#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "CarrierServiceInput")]
pub struct CarrierService {
    /// E.g. `STD`, `EXP`.
    code: String,
    name: String,
    /// Days from hand-over to delivery.
    sla_days: i32,
}

#[derive(SimpleObject, InputObject)]
#[graphql(input_name = "CarrierCoverageInput")]
pub struct CarrierCoverage {
    /// ISO 3166-1 alpha-2.
    country: String,
    /// Empty: the whole country.
    regions: Vec<String>,
}

#[derive(SimpleObject)]
pub struct RateBracket {
    up_to_g: i32,
    price: Money,
}

#[derive(InputObject)]
pub struct RateBracketInput {
    up_to_g: i32,
    /// Decimal in the carrier's currency.
    price: String,
}

#[derive(SimpleObject)]
pub struct CarrierRate {
    service: String,
    zone: ShippingZone,
    brackets: Vec<RateBracket>,
    /// Charged per started kg above the last bracket.
    per_extra_kg: Option<Money>,
}

#[derive(InputObject)]
pub struct CarrierRateInput {
    service: String,
    zone: ShippingZone,
    brackets: Vec<RateBracketInput>,
    per_extra_kg: Option<String>,
}

/// A carrier with its services, coverage, limits and contract rates.
#[derive(SimpleObject)]
#[graphql(name = "Carrier")]
pub struct CarrierOut {
    code: String,
    name: String,
    active: bool,
    services: Vec<CarrierService>,
    coverage: Vec<CarrierCoverage>,
    max_weight_g: i32,
    cod_supported: bool,
    cod_limit: Option<Money>,
    rates: Vec<CarrierRate>,
}

impl From<Carrier> for CarrierOut {
    fn from(c: Carrier) -> CarrierOut {
        CarrierOut {
            code: c.code,
            name: c.name,
            active: c.active,
            services: c
                .services
                .into_iter()
                .map(|s| CarrierService {
                    code: s.code,
                    name: s.name,
                    sla_days: s.sla_days as i32,
                })
                .collect(),
            coverage: c
                .coverage
                .countries
                .into_iter()
                .map(|c| CarrierCoverage {
                    country: c.country,
                    regions: c.regions,
                })
                .collect(),
            max_weight_g: c.max_weight_g as i32,
            cod_supported: c.cod_supported,
            cod_limit: c.cod_limit.as_ref().map(money),
            rates: c
                .rates
                .cards
                .into_iter()
                .map(|card| CarrierRate {
                    service: card.service,
                    zone: card.zone.into(),
                    brackets: card
                        .brackets
                        .iter()
                        .map(|b| RateBracket {
                            up_to_g: b.up_to_g as i32,
                            price: money(&b.price),
                        })
                        .collect(),
                    per_extra_kg: card.per_extra_kg.as_ref().map(money),
                })
                .collect(),
        }
    }
}

#[derive(InputObject)]
pub struct CarrierInput {
    /// An existing code is replaced.
    code: String,
    name: String,
    active: Option<bool>,
    /// The currency of every price and limit below.
    currency: String,
    services: Vec<CarrierService>,
    coverage: Vec<CarrierCoverage>,
    max_weight_g: i32,
    cod_supported: bool,
    cod_limit: Option<String>,
    rates: Vec<CarrierRateInput>,
}

impl CarrierInput {
    /// The draft for the domain to validate; amounts that do not parse are listed at once.
    fn into_draft(self) -> Result<CarrierDraft, AppError> {
        let mut problems = Vec::new();
        let currency = match Currency::parse(&self.currency) {
            Ok(c) => Some(c),
            Err(e) => {
                problems.push(FieldProblem::new(
                    "currency",
                    "UNKNOWN_CURRENCY",
                    e.to_string(),
                ));
                None
            }
        };
        let mut amount = |path: String, text: &str| -> Option<DomainMoney> {
            let currency = currency?;
            match DomainMoney::parse(text, currency) {
                Ok(m) => Some(m),
                Err(e) => {
                    problems.push(FieldProblem::new(path, "INVALID_AMOUNT", e.to_string()));
                    None
                }
            }
        };
        let count = |n: i32| n.max(0) as u32;
        let cod_limit = self
            .cod_limit
            .as_deref()
            .and_then(|t| amount("codLimit".into(), t));
        let mut cards = Vec::new();
        for (i, r) in self.rates.into_iter().enumerate() {
            let mut brackets = Vec::new();
            for (j, b) in r.brackets.iter().enumerate() {
                if let Some(price) = amount(format!("rates[{i}].brackets[{j}].price"), &b.price) {
                    brackets.push(WeightBracket {
                        up_to_g: count(b.up_to_g),
                        price,
                    });
                }
            }
            let per_extra_kg = r
                .per_extra_kg
                .as_deref()
                .and_then(|t| amount(format!("rates[{i}].perExtraKg"), t));
            cards.push(RateCard {
                service: r.service,
                zone: r.zone.into(),
                brackets,
                per_extra_kg,
            });
        }
        if !problems.is_empty() {
            return Err(AppError::Validation(problems));
        }
        Ok(CarrierDraft {
            code: self.code,
            name: self.name,
            active: self.active.unwrap_or(true),
            services: self
                .services
                .into_iter()
                .map(|s| ServiceLevel {
                    code: s.code,
                    name: s.name,
                    sla_days: count(s.sla_days),
                })
                .collect(),
            coverage: Coverage {
                countries: self
                    .coverage
                    .into_iter()
                    .map(|c| CountryCoverage {
                        country: c.country,
                        regions: c.regions,
                    })
                    .collect(),
            },
            max_weight_g: count(self.max_weight_g),
            cod_supported: self.cod_supported,
            cod_limit,
            rates: RateTable { cards },
        })
    }
}

/// One carrier service as carrier selection weighed it.
#[derive(SimpleObject)]
pub struct CarrierCandidate {
    carrier_code: String,
    service_code: String,
    sla_days: i32,
    price: Option<Money>,
    chosen: bool,
    /// E.g. "18.00 CNY, dearer than SF/STD at 12.00 CNY" or "does not cover CN-Xinjiang".
    reason: String,
}

/// Carrier selection for a packed shipment.
#[derive(SimpleObject)]
pub struct CarrierOptions {
    weight_g: i32,
    cod: Option<Money>,
    promised_in_days: Option<i32>,
    carrier_code: Option<String>,
    service_code: Option<String>,
    /// Why no carrier can take it, when none can.
    problem: Option<String>,
    candidates: Vec<CarrierCandidate>,
}

/// Parcels one carrier took from one warehouse at once.
#[derive(SimpleObject)]
pub struct Manifest {
    id: ID,
    number: String,
    warehouse_id: ID,
    carrier_code: String,
    parcel_count: i32,
    total_weight_g: i32,
    handed_over_by: String,
    created_at: DateTime<Utc>,
}

impl From<manifest::Model> for Manifest {
    fn from(m: manifest::Model) -> Manifest {
        Manifest {
            id: ID(m.id.to_string()),
            number: m.number,
            warehouse_id: ID(m.warehouse_id.to_string()),
            carrier_code: m.carrier_code,
            parcel_count: m.parcel_count,
            total_weight_g: m.total_weight_g,
            handed_over_by: m.handed_over_by,
            created_at: m.created_at,
        }
    }
}

#[derive(Default)]
pub struct ShippingQuery;

#[Object]
impl ShippingQuery {
    /// Every carrier, by code (packing and hand-over choose from them).
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn carriers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CarrierOut>> {
        let all = carriers::all(&state(ctx).db).await.extend()?;
        Ok(all.into_iter().map(CarrierOut::from).collect())
    }

    /// Which carrier service would take a packed shipment, and why the others would not.
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn carrier_options(
        &self,
        ctx: &Context<'_>,
        shipment_id: ID,
    ) -> async_graphql::Result<CarrierOptions> {
        let id = parse_id("shipmentId", &shipment_id)?;
        let o = label::options(&state(ctx).db, actor(ctx)?, id)
            .await
            .extend()?;
        let chosen = o.chosen.clone();
        Ok(CarrierOptions {
            weight_g: o.facts.weight_g as i32,
            cod: o.facts.cod.as_ref().map(money),
            promised_in_days: o.facts.promised_in_days.map(|d| d as i32),
            carrier_code: chosen.as_ref().map(|c| c.0.clone()),
            service_code: chosen.as_ref().map(|c| c.1.clone()),
            problem: o.problem,
            candidates: o
                .trace
                .iter()
                .map(|t| CarrierCandidate {
                    carrier_code: t.carrier_code.clone(),
                    service_code: t.service_code.clone(),
                    sla_days: t.sla_days as i32,
                    price: t.price.as_ref().map(money),
                    chosen: chosen
                        .as_ref()
                        .is_some_and(|c| c.0 == t.carrier_code && c.1 == t.service_code),
                    reason: t.reason(),
                })
                .collect(),
        })
    }

    /// Labelled parcels of a warehouse waiting for their carrier.
    #[graphql(guard = "Require(Operation::HandOverParcels)")]
    async fn staged_parcels(
        &self,
        ctx: &Context<'_>,
        warehouse_id: ID,
        carrier_code: Option<String>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Shipment>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let id = parse_id("warehouseId", &warehouse_id)?;
        let db = &state(ctx).db;
        scope::check(db, actor(ctx)?, id).await.extend()?;
        let rows = handover::staged(db, id, carrier_code.as_deref(), page)
            .await
            .extend()?;
        Ok(connection(rows, page.after.is_some(), |s| s.id, Shipment))
    }

    /// Hand-over manifests, newest first.
    #[graphql(guard = "Require(Operation::HandOverParcels)")]
    async fn manifests(
        &self,
        ctx: &Context<'_>,
        warehouse_id: Option<ID>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<Manifest>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let warehouse = warehouse_id
            .map(|id| parse_id("warehouseId", &id))
            .transpose()?;
        let db = &state(ctx).db;
        let warehouses = scope::restrict(db, actor(ctx)?, warehouse).await.extend()?;
        let rows = handover::manifests(db, warehouses.as_deref(), page)
            .await
            .extend()?;
        try_connection(
            rows,
            page.after.is_some(),
            |m| m.id,
            |m| Ok(Manifest::from(m)),
        )
    }
}

#[derive(Default)]
pub struct ShippingMutation;

#[Object]
impl ShippingMutation {
    /// Creates or replaces (by code) a carrier; every problem is reported at once.
    #[graphql(guard = "Require(Operation::ManageFulfilmentSetup)")]
    async fn save_carrier(
        &self,
        ctx: &Context<'_>,
        input: CarrierInput,
    ) -> async_graphql::Result<CarrierOut> {
        let s = state(ctx);
        let draft = input.into_draft().map_err(|e| e.extend())?;
        let c = carriers::save(&s.db, &s.bus, actor(ctx)?, draft)
            .await
            .extend()?;
        Ok(c.into())
    }

    /// Books a packed shipment with the cheapest fitting carrier (or the one named, checked by
    /// the same rules) and labels it. Print the label from `/documents/labels/{id}.pdf`.
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn create_label(
        &self,
        ctx: &Context<'_>,
        shipment_id: ID,
        carrier_code: Option<String>,
        service_code: Option<String>,
    ) -> async_graphql::Result<Shipment> {
        let s = state(ctx);
        let id = parse_id("shipmentId", &shipment_id)?;
        let choice = match (carrier_code, service_code) {
            (Some(c), Some(svc)) => Some((c, svc)),
            (None, None) => None,
            _ => {
                return Err(AppError::invalid(
                    "serviceCode",
                    "REQUIRED",
                    "name both the carrier and its service, or neither",
                )
                .extend());
            }
        };
        let labelled = label::create(
            &s.db,
            s.carriers.as_ref(),
            &s.warehouse_live,
            actor(ctx)?,
            id,
            choice,
        )
        .await
        .extend()?;
        Ok(Shipment(labelled))
    }

    /// Hands the scanned parcels to their carrier; all or nothing.
    #[graphql(guard = "Require(Operation::HandOverParcels)")]
    async fn hand_over(
        &self,
        ctx: &Context<'_>,
        warehouse_id: ID,
        carrier_code: String,
        tracking_numbers: Vec<String>,
    ) -> async_graphql::Result<Manifest> {
        let s = state(ctx);
        let id = parse_id("warehouseId", &warehouse_id)?;
        let m = handover::hand_over(
            &s.db,
            &s.realtime,
            &s.warehouse_live,
            actor(ctx)?,
            id,
            &carrier_code,
            tracking_numbers,
        )
        .await
        .extend()?;
        Ok(m.into())
    }
}
