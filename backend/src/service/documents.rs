//! Printable documents from what is stored: a labelled shipment's label and invoice, a wave's
//! pick list, a hand-over's manifest. Rendering is CPU work, so it runs on the blocking pool.

use crate::db::entity::{
    manifest, order, order_line, pick_task, pick_task_part, product, shipment, warehouse, wave,
};
use crate::documents::{
    self, HandlingFlag, InvoiceDoc, InvoiceLine, LabelAddress, LabelData, ManifestDoc,
    ManifestParcel, PickListDoc, PickRow, Seller, SlotQuantity,
};
use crate::domain::auth::Actor;
use crate::domain::money::{Currency, Money};
use crate::error::{AppError, AppResult};
use crate::service::orders::stored;
use crate::service::shipping::{carriers, facts};
use orderly_shared::{ShipmentStatus, WaveKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

async fn render(
    job: impl FnOnce() -> Result<Vec<u8>, documents::DocumentError> + Send + 'static,
) -> AppResult<Vec<u8>> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(AppError::internal)?
        .map_err(|e| AppError::Conflict(format!("the document cannot be printed: {e}")))
}

async fn shipment_of(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<shipment::Model> {
    shipment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such shipment.".into()))
}

async fn order_of(conn: &impl ConnectionTrait, id: Uuid) -> AppResult<order::Model> {
    order::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("document without its order".into()))
}

/// The warehouse a document prints for, if the actor works there.
async fn warehouse_of(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> AppResult<warehouse::Model> {
    crate::service::stock::scope::check(conn, actor, id).await
}

/// The 4×6 in label of a labelled shipment.
pub async fn label(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    shipment_id: Uuid,
) -> AppResult<Vec<u8>> {
    let s = shipment_of(conn, shipment_id).await?;
    let wh = warehouse_of(conn, actor, s.warehouse_id).await?;
    let (Some(tracking), Some(carrier_code), Some(service)) = (
        s.tracking_number.clone(),
        s.carrier.clone(),
        s.service_code.clone(),
    ) else {
        return Err(AppError::InvalidTransition(format!(
            "a shipment that is {} has no label yet",
            s.status
        )));
    };
    let o = order_of(conn, s.order_id).await?;
    let carrier_name = carriers::find(conn, &carrier_code)
        .await?
        .map(|c| c.name)
        .unwrap_or_else(|| carrier_code.clone());
    let first = facts::first_shipment_id(conn, &s).await?;
    let cod = facts::cod_amount(&o, &s, first)?.map(|m| m.to_string());
    let a = stored::address(&o);
    let data = LabelData {
        order_number: o.number.clone(),
        recipient: a.recipient,
        phone: a.phone,
        address: LabelAddress {
            line1: a.line1,
            line2: a.line2,
            district: a.district,
            city: a.city,
            region: a.region,
            postal_code: a.postal_code,
            country: a.country,
        },
        carrier_name,
        service_code: service,
        tracking_number: tracking,
        sender_name: wh.name,
        sender_city: wh.city,
        weight_grams: s.packed_weight_g.unwrap_or(0).max(0) as u32,
        cod,
        special_instructions: stored::instructions(&s)
            .iter()
            .filter_map(|i| i.label_text())
            .collect(),
    };
    render(move || documents::shipping_label(&data)).await
}

/// The return label of an after-sales case: from the customer back to the warehouse that
/// shipped the order, with the carrier's return tracking number.
pub async fn return_label(conn: &impl ConnectionTrait, case_id: Uuid) -> AppResult<Vec<u8>> {
    use crate::db::entity::after_sales_case;
    let c = after_sales_case::Entity::find_by_id(case_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such after-sales case.".into()))?;
    let (Some(tracking), Some(carrier_code), Some(service), Some(wh_id)) = (
        c.return_tracking_number.clone(),
        c.return_carrier.clone(),
        c.return_service.clone(),
        c.return_warehouse_id,
    ) else {
        return Err(AppError::InvalidTransition(format!(
            "after-sales case {} has no return label",
            c.number
        )));
    };
    let wh = warehouse::Entity::find_by_id(wh_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal("return warehouse vanished".into()))?;
    let o = order_of(conn, c.order_id).await?;
    let carrier_name = carriers::find(conn, &carrier_code)
        .await?
        .map(|c| c.name)
        .unwrap_or_else(|| carrier_code.clone());
    let data = LabelData {
        order_number: c.number.clone(),
        recipient: format!("{} (returns)", wh.name),
        phone: o.ship_phone.clone(),
        address: LabelAddress {
            line1: format!("Returns, warehouse {}", wh.code),
            line2: None,
            district: None,
            city: wh.city.clone(),
            region: wh.region.clone(),
            postal_code: wh.postal_code.clone(),
            country: wh.country.clone(),
        },
        carrier_name,
        service_code: service,
        tracking_number: tracking,
        sender_name: o.ship_recipient.clone(),
        sender_city: o.ship_city.clone(),
        weight_grams: 0,
        cod: None,
        special_instructions: vec![format!("RETURN {}", o.number)],
    };
    render(move || documents::shipping_label(&data)).await
}

/// The pick list of a wave, in walking order (a discrete wave's rows name their order).
pub async fn pick_list(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    wave_id: Uuid,
) -> AppResult<Vec<u8>> {
    let w = wave::Entity::find_by_id(wave_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such wave.".into()))?;
    let wh = warehouse_of(conn, actor, w.warehouse_id).await?;
    let tasks = crate::service::picking::waves::tasks(conn, w.id).await?;
    let parts = pick_task_part::Entity::find()
        .filter(pick_task_part::Column::TaskId.is_in(tasks.iter().map(|t| t.id)))
        .order_by_asc(pick_task_part::Column::Id)
        .all(conn)
        .await?;
    let shipments: HashMap<Uuid, shipment::Model> = shipment::Entity::find()
        .filter(shipment::Column::WaveId.eq(w.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let numbers: HashMap<Uuid, String> = order::Entity::find()
        .filter(order::Column::Id.is_in(shipments.values().map(|s| s.order_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o.number))
        .collect();
    let liquids: HashMap<String, bool> = product::Entity::find()
        .filter(product::Column::Sku.is_in(tasks.iter().map(|t| t.sku.clone())))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.sku, p.liquid))
        .collect();
    let rows = tasks
        .iter()
        .enumerate()
        .map(|(i, t): (usize, &pick_task::Model)| {
            let mut flags = Vec::new();
            if t.fragile {
                flags.push(HandlingFlag::Fragile);
            }
            if t.high_value {
                flags.push(HandlingFlag::HighValue);
            }
            if liquids.get(&t.sku).copied().unwrap_or(false) {
                flags.push(HandlingFlag::Liquid);
            }
            let slots = parts
                .iter()
                .filter(|p| p.task_id == t.id)
                .filter_map(|p| {
                    let slot = shipments.get(&p.shipment_id)?.wall_slot?;
                    Some(SlotQuantity {
                        slot: slot as u32,
                        quantity: p.quantity.max(0) as u32,
                    })
                })
                .collect();
            let name = match t.shipment_id.and_then(|id| shipments.get(&id)) {
                Some(s) if w.kind == WaveKind::Discrete => format!(
                    "{} · order {}",
                    t.name,
                    numbers.get(&s.order_id).cloned().unwrap_or_default()
                ),
                _ => t.name.clone(),
            };
            PickRow {
                seq: i as u32 + 1,
                bin: t.bin_code.clone(),
                sku: t.sku.clone(),
                name,
                quantity: t.quantity.max(0) as u32,
                flags,
                slots,
            }
        })
        .collect();
    let doc = PickListDoc {
        wave_number: w.number.clone(),
        warehouse: format!("{} {}", wh.code, wh.name),
        kind: w.kind,
        created_at: w.created_at.fixed_offset(),
        picker: None,
        rows,
    };
    render(move || documents::pick_list(&doc)).await
}

/// The manifest of a hand-over.
pub async fn manifest(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    manifest_id: Uuid,
) -> AppResult<Vec<u8>> {
    let m = manifest::Entity::find_by_id(manifest_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::NotFound("No such manifest.".into()))?;
    let wh = warehouse_of(conn, actor, m.warehouse_id).await?;
    let parcels = shipment::Entity::find()
        .filter(shipment::Column::ManifestId.eq(m.id))
        .order_by_asc(shipment::Column::Id)
        .all(conn)
        .await?;
    let mut rows = Vec::new();
    for s in &parcels {
        let o = order_of(conn, s.order_id).await?;
        let first = facts::first_shipment_id(conn, s).await?;
        rows.push(ManifestParcel {
            tracking_number: s.tracking_number.clone().unwrap_or_default(),
            order_number: o.number.clone(),
            weight_grams: s.packed_weight_g.unwrap_or(0).max(0) as u32,
            cod: facts::cod_amount(&o, s, first)?,
        });
    }
    let carrier = carriers::find(conn, &m.carrier_code)
        .await?
        .map(|c| format!("{} ({})", c.name, c.code))
        .unwrap_or_else(|| m.carrier_code.clone());
    let doc = ManifestDoc {
        manifest_number: m.number.clone(),
        carrier,
        warehouse: format!("{} {}", wh.code, wh.name),
        handed_over_at: m.created_at.fixed_offset(),
        handed_over_by: m.handed_over_by.clone(),
        parcels: rows,
    };
    render(move || documents::manifest(&doc)).await
}

/// The invoice of an order that asked for one, printed with its (first) shipment.
pub async fn invoice(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    shipment_id: Uuid,
) -> AppResult<Vec<u8>> {
    let s = shipment_of(conn, shipment_id).await?;
    let wh = warehouse_of(conn, actor, s.warehouse_id).await?;
    if s.status == ShipmentStatus::Pending {
        return Err(AppError::InvalidTransition(
            "the invoice is printed once the shipment is picked".into(),
        ));
    }
    let o = order_of(conn, s.order_id).await?;
    let Some(request) = stored::special_requests(&o).invoice else {
        return Err(AppError::NotFound(format!(
            "order {} did not ask for an invoice",
            o.number
        )));
    };
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    let money = |minor: i64| Money::from_minor(minor, currency).to_string();
    let lines = order_line::Entity::find()
        .filter(order_line::Column::OrderId.eq(o.id))
        .order_by_asc(order_line::Column::LineNo)
        .all(conn)
        .await?;
    let doc = InvoiceDoc {
        seller: Seller {
            name: wh.name.clone(),
            address: vec![
                wh.city.clone(),
                [wh.region.clone().unwrap_or_default(), wh.country.clone()].join(" "),
            ],
            tax_id: None,
        },
        buyer_title: request.title,
        buyer_tax_id: request.tax_id,
        order_number: o.number.clone(),
        date: o.created_at.date_naive(),
        lines: lines
            .iter()
            .map(|l| InvoiceLine {
                name: l.name.clone(),
                quantity: l.quantity.max(0) as u32,
                unit_price: money(l.unit_price_minor),
                line_total: money(l.line_total_minor),
            })
            .collect(),
        discount: (o.discount_minor != 0).then(|| money(o.discount_minor)),
        shipping: money(o.shipping_minor),
        total: money(o.total_minor),
        tax_included: money(o.tax_minor),
    };
    render(move || documents::invoice(&doc)).await
}
