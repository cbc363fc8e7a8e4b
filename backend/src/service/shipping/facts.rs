//! What carrier selection knows about one parcel: where it leaves from and goes to, its weight,
//! the cash to collect, and how many days are left until the delivery promised to the customer.

use crate::db::entity::{order, shipment, warehouse};
use crate::domain::money::{Currency, Money};
use crate::domain::shipping::{ParcelFacts, Place};
use crate::error::{AppError, AppResult};
use crate::service::orders::stored;
use chrono::{DateTime, Utc};
use orderly_shared::PaymentMethod;

/// The facts of a parcel of `weight_g` grams for `shipment` of order `o` leaving `wh`.
pub fn parcel_facts(
    o: &order::Model,
    wh: &warehouse::Model,
    weight_g: u32,
    cod: Option<Money>,
    now: DateTime<Utc>,
) -> AppResult<ParcelFacts> {
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    let promised_in_days = stored::special_requests(o)
        .delivery_window
        .map(|w| (w.to - now).num_days().max(0) as u32);
    Ok(ParcelFacts {
        origin: Place::new(&wh.country, wh.region.as_deref()),
        destination: Place::new(&o.ship_country, o.ship_region.as_deref()),
        weight_g,
        cod,
        promised_in_days,
        rate_currency: currency,
    })
}

/// The order's first shipment (the lowest id), which carries a cash-on-delivery amount.
pub async fn first_shipment_id(
    conn: &impl sea_orm::ConnectionTrait,
    s: &shipment::Model,
) -> AppResult<uuid::Uuid> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    Ok(shipment::Entity::find()
        .filter(shipment::Column::OrderId.eq(s.order_id))
        .order_by_asc(shipment::Column::Id)
        .one(conn)
        .await?
        .map_or(s.id, |first| first.id))
}

/// The cash a carrier collects with this shipment: a cash-on-delivery order's whole amount goes
/// with its first shipment (the lowest id), so it is collected exactly once.
pub fn cod_amount(
    o: &order::Model,
    s: &shipment::Model,
    first_shipment_id: uuid::Uuid,
) -> AppResult<Option<Money>> {
    if o.payment_method != PaymentMethod::CashOnDelivery || s.id != first_shipment_id {
        return Ok(None);
    }
    let currency = Currency::parse(&o.currency).map_err(AppError::internal)?;
    Ok(Some(Money::from_minor(o.total_minor, currency)))
}
