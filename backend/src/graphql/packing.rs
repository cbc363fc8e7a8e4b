//! The packaging catalogue and the pack station.

use super::connection::{Conn, try_connection};
use super::guard::Require;
use super::orders::{Money, Shipment};
use super::{actor, parse_id, state};
use crate::db::entity::packaging;
use crate::domain::packing::{PackagingDraft, Suggestion};
use crate::service::packing::{catalogue, station};
use crate::service::page::PageRequest;
use async_graphql::{Context, ID, InputObject, Object, ResultExt, SimpleObject};
use orderly_shared::{Operation, PackagingKind};

/// A carton, bag or protective material in the packaging catalogue.
#[derive(SimpleObject)]
#[graphql(name = "Packaging")]
pub struct PackagingOut {
    id: ID,
    code: String,
    name: String,
    kind: PackagingKind,
    inner_length_mm: i32,
    inner_width_mm: i32,
    inner_height_mm: i32,
    /// Containers: the packed total; extras: the heaviest unit one piece holds.
    max_weight_g: i32,
    tare_weight_g: i32,
    cost: Money,
    active: bool,
}

impl TryFrom<packaging::Model> for PackagingOut {
    type Error = async_graphql::Error;
    fn try_from(p: packaging::Model) -> async_graphql::Result<PackagingOut> {
        Ok(PackagingOut {
            id: ID(p.id.to_string()),
            cost: Money::from_minor(p.cost_minor, &p.currency)?,
            code: p.code,
            name: p.name,
            kind: p.kind,
            inner_length_mm: p.inner_length_mm,
            inner_width_mm: p.inner_width_mm,
            inner_height_mm: p.inner_height_mm,
            max_weight_g: p.max_weight_g,
            tare_weight_g: p.tare_weight_g,
            active: p.active,
        })
    }
}

#[derive(InputObject)]
pub struct PackagingInput {
    /// 1–32 of A–Z, 0–9, `-`, `_` (upper-cased); an existing code is replaced.
    code: String,
    name: String,
    kind: PackagingKind,
    inner_length_mm: i32,
    inner_width_mm: i32,
    inner_height_mm: i32,
    max_weight_g: i32,
    tare_weight_g: i32,
    /// Decimal, e.g. `"1.20"`.
    cost: String,
    currency: String,
    active: Option<bool>,
}

/// Packaging the packer should use (or a chosen one, checked).
#[derive(SimpleObject)]
pub struct PackagingSuggestion {
    container: String,
    /// Protective extras, e.g. `2 × BUBBLE-S`.
    extras: Vec<String>,
    total_cost: Money,
    /// Items plus packaging.
    packed_weight_g: i32,
    /// Why, e.g. "fragile: carton and bubble wrap".
    reasons: Vec<String>,
}

impl PackagingSuggestion {
    fn from_domain(s: &Suggestion) -> PackagingSuggestion {
        PackagingSuggestion {
            container: s.container.clone(),
            extras: s
                .extras
                .iter()
                .map(|e| format!("{} × {}", e.count, e.code))
                .collect(),
            total_cost: Money {
                amount: s.total_cost.amount().to_string(),
                currency: s.total_cost.currency().code().to_string(),
            },
            packed_weight_g: s.packed_weight_g as i32,
            reasons: s.reasons.iter().map(|r| r.to_string()).collect(),
        }
    }
}

/// One SKU at the pack station.
#[derive(SimpleObject)]
pub struct PackLine {
    sku: String,
    name: String,
    expected: i32,
    packed: i32,
    fragile: bool,
    liquid: bool,
}

/// What the packer sees for one shipment.
#[derive(SimpleObject)]
pub struct PackSession {
    shipment: Shipment,
    order_number: String,
    lines: Vec<PackLine>,
    /// Special-request instructions: gift wrap, gift message, invoice in the parcel.
    instructions: Vec<String>,
    gift_message: Option<String>,
    suggestion: Option<PackagingSuggestion>,
    /// Why nothing in the catalogue fits, when nothing does.
    suggestion_problem: Option<String>,
    /// Every unit scanned, nothing extra: packing can be completed.
    complete: bool,
    /// What the last scan did, e.g. "2 of 3 × SKU-A".
    message: Option<String>,
}

impl PackSession {
    fn from_service(s: station::PackSession, message: Option<String>) -> PackSession {
        let (suggestion, suggestion_problem) = match &s.suggestion {
            Ok(found) => (Some(PackagingSuggestion::from_domain(found)), None),
            Err(why) => (None, Some(why.clone())),
        };
        PackSession {
            order_number: s.order_number,
            lines: s
                .lines
                .into_iter()
                .map(|l| PackLine {
                    sku: l.sku,
                    name: l.name,
                    expected: l.expected as i32,
                    packed: l.packed as i32,
                    fragile: l.fragile,
                    liquid: l.liquid,
                })
                .collect(),
            instructions: s.instructions,
            gift_message: s.gift_message,
            suggestion,
            suggestion_problem,
            complete: s.complete,
            message,
            shipment: Shipment(s.shipment),
        }
    }
}

#[derive(Default)]
pub struct PackingQuery;

#[Object]
impl PackingQuery {
    /// The packaging catalogue (the pack station chooses from it).
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn packagings(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Conn<PackagingOut>> {
        let page = PageRequest::parse(first, after.as_deref()).extend()?;
        let rows = catalogue::list(&state(ctx).db, page).await.extend()?;
        try_connection(rows, page.after.is_some(), |p| p.id, PackagingOut::try_from)
    }

    /// The pack station for a scanned shipment: its id, order number or put-wall slot label.
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn pack_station(
        &self,
        ctx: &Context<'_>,
        code: String,
    ) -> async_graphql::Result<PackSession> {
        let db = &state(ctx).db;
        let s = station::find(db, &code).await.extend()?;
        let session = station::session(db, actor(ctx)?, s).await.extend()?;
        Ok(PackSession::from_service(session, None))
    }
}

#[derive(Default)]
pub struct PackingMutation;

#[Object]
impl PackingMutation {
    /// Creates or replaces (by code) a packaging catalogue entry.
    #[graphql(guard = "Require(Operation::ManageFulfilmentSetup)")]
    async fn save_packaging(
        &self,
        ctx: &Context<'_>,
        input: PackagingInput,
    ) -> async_graphql::Result<PackagingOut> {
        let s = state(ctx);
        let draft = PackagingDraft {
            code: input.code,
            name: input.name,
            kind: input.kind,
            inner_length_mm: input.inner_length_mm.into(),
            inner_width_mm: input.inner_width_mm.into(),
            inner_height_mm: input.inner_height_mm.into(),
            max_weight_g: input.max_weight_g.into(),
            tare_weight_g: input.tare_weight_g.into(),
            cost: input.cost,
            currency: input.currency,
            active: input.active.unwrap_or(true),
        };
        let row = catalogue::save(&s.db, &s.bus, actor(ctx)?, draft)
            .await
            .extend()?;
        row.try_into()
    }

    /// Scans one unit into the shipment. A wrong, extra or misread unit is refused
    /// (VALIDATION with its code on `code`) and changes nothing.
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn pack_scan(
        &self,
        ctx: &Context<'_>,
        shipment_id: ID,
        code: String,
    ) -> async_graphql::Result<PackSession> {
        let s = state(ctx);
        let id = parse_id("shipmentId", &shipment_id)?;
        let (session, outcome) =
            station::scan(&s.db, &s.warehouse_live, actor(ctx)?, id, code, false)
                .await
                .extend()?;
        let message = format!(
            "{} of {} × {}",
            outcome.scanned, outcome.expected, outcome.sku
        );
        Ok(PackSession::from_service(session, Some(message)))
    }

    /// Takes one unit of `sku` out again.
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn pack_unscan(
        &self,
        ctx: &Context<'_>,
        shipment_id: ID,
        sku: String,
    ) -> async_graphql::Result<PackSession> {
        let s = state(ctx);
        let id = parse_id("shipmentId", &shipment_id)?;
        let (session, outcome) =
            station::scan(&s.db, &s.warehouse_live, actor(ctx)?, id, sku, true)
                .await
                .extend()?;
        let message = format!(
            "{} of {} × {}",
            outcome.scanned, outcome.expected, outcome.sku
        );
        Ok(PackSession::from_service(session, Some(message)))
    }

    /// Completes packing: refused while units are missing or extra. Without `packagingCode`
    /// the suggestion is used; without `weightG`, items plus packaging.
    #[graphql(guard = "Require(Operation::PackShipments)")]
    async fn complete_packing(
        &self,
        ctx: &Context<'_>,
        shipment_id: ID,
        packaging_code: Option<String>,
        weight_g: Option<i32>,
    ) -> async_graphql::Result<Shipment> {
        let s = state(ctx);
        let id = parse_id("shipmentId", &shipment_id)?;
        let weight = weight_g
            .map(|w| {
                u32::try_from(w).map_err(|_| {
                    crate::error::AppError::invalid(
                        "weightG",
                        "MUST_BE_POSITIVE",
                        format!("got {w}"),
                    )
                })
            })
            .transpose()
            .extend()?;
        let shipment = station::complete(
            &s.db,
            &s.warehouse_live,
            actor(ctx)?,
            id,
            packaging_code,
            weight,
        )
        .await
        .extend()?;
        Ok(Shipment(shipment))
    }
}
