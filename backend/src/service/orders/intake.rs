//! `placeOrder`: validate everything, price it, and write the order, its lines, its first
//! timeline entry, its messages and its live notification in one transaction.

use super::timeline::{self, EventKind};
use crate::db::entity::{coupon, customer, order, order_line, product};
use crate::domain::auth::Actor;
use crate::domain::money::{Currency, Money};
use crate::domain::orders::{
    Coupon, CouponKind, OrderDraft, PricingPolicy, ProductSnapshot, ValidOrder, validate_order,
};
use crate::error::{AppError, AppResult};
use crate::jobs::outbox;
use crate::realtime::{OrderStatusEvent, Realtime};
use crate::service::allocation::{Locking, Placed, StockRace};
use crate::service::api_keys::find_or_create_channel;
use crate::service::{analytics, review};
use chrono::{DateTime, TimeDelta, Utc};
use orderly_shared::{FieldProblem, OrderStatus, PaymentMethod, PaymentStatus};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, OnConflict},
};
use std::collections::HashMap;
use uuid::Uuid;

/// The outbox topic of the order-confirmation message.
pub const ORDER_CONFIRMED: &str = "notify.order_confirmed";
/// The channel staff orders go to when none is named.
pub const CONSOLE_CHANNEL: &str = "console";

/// Settings that shape intake.
#[derive(Debug, Clone)]
pub struct IntakeSettings {
    /// How long a prepaid order waits for payment before it expires.
    pub payment_window: TimeDelta,
}

impl Default for IntakeSettings {
    fn default() -> Self {
        IntakeSettings {
            payment_window: TimeDelta::minutes(30),
        }
    }
}

/// Shipping fee, free-shipping threshold and included tax rate for an order's currency.
pub fn pricing_policy(currency: Currency) -> PricingPolicy {
    let money =
        |minor: i64| Money::from_minor(minor * 10i64.pow(currency.minor_exponent()), currency);
    let (fee, free_from) = match currency.code() {
        "CNY" | "HKD" => (10, 99),
        "JPY" => (800, 8_000),
        "KRW" => (3_000, 30_000),
        "GBP" => (4, 40),
        _ => (5, 50),
    };
    let tax_rate = match currency.code() {
        "CNY" => Decimal::new(13, 2),
        "EUR" => Decimal::new(19, 2),
        "GBP" => Decimal::new(20, 2),
        "JPY" => Decimal::new(10, 2),
        _ => Decimal::ZERO,
    };
    PricingPolicy {
        shipping_fee: money(fee),
        free_shipping_from: Some(money(free_from)),
        tax_rate,
    }
}

/// Places an order for the actor's channel (a partner's own; for staff, `channel` or
/// [`CONSOLE_CHANNEL`]). The same idempotency key with the same request returns the same order;
/// with a different request it is a CONFLICT.
pub async fn place(
    db: &DatabaseConnection,
    realtime: &Realtime,
    settings: &IntakeSettings,
    actor: &Actor,
    channel_code: Option<&str>,
    draft: OrderDraft,
    request_digest: String,
) -> AppResult<order::Model> {
    let channel_id = match actor {
        Actor::Partner(_) if channel_code.is_some() => {
            return Err(AppError::invalid(
                "channel",
                "NOT_ALLOWED",
                "partners place orders in their own channel",
            ));
        }
        Actor::Partner(p) => p.channel_id,
        _ => channel_for_staff(db, channel_code.unwrap_or(CONSOLE_CHANNEL)).await?,
    };
    // No lookup of the idempotency key first: a retry is rare, and the unique index on
    // (channel, key) catches it at insert (handled below), saving a round trip per order.
    let now = Utc::now();
    let (products, product_rows) = load_products(db, &draft).await?;
    let (coupons, coupon_ids) = load_coupons(db, &draft).await?;
    let currency = products
        .values()
        .next()
        .map(|p| p.unit_price.currency())
        .unwrap_or(Currency::Cny);
    let valid = match validate_order(&draft, &products, &coupons, &pricing_policy(currency), now) {
        Ok(valid) => valid,
        // A retry of an order placed earlier must get that order back even if the catalogue or
        // a coupon changed since; only then is the problem real.
        Err(problems) => {
            return match find_by_key(db, channel_id, draft.idempotency_key.trim()).await? {
                Some(existing) => replay(existing, &request_digest),
                None => Err(AppError::Validation(problems)),
            };
        }
    };
    let record = new_order(&valid, channel_id, request_digest.clone(), settings, now)?;
    let claimed: Vec<(String, Uuid)> = valid
        .coupon_codes
        .iter()
        .filter_map(|code| coupon_ids.get(code).map(|id| (code.clone(), *id)))
        .collect();
    let key = draft.idempotency_key.trim().to_string();
    // Order numbers are random; on the rare collision the insert fails on its unique index and
    // the order is written again under a new number.
    let mut attempt = 0;
    let (mut races, mut locking) = (0, Locking::Optimistic);
    loop {
        attempt += 1;
        let mut record = record.clone();
        if attempt > 1 {
            record.number = Set(order_number(now)?);
        }
        match write(
            db,
            realtime,
            &valid,
            record,
            &claimed,
            &product_rows,
            actor,
            now,
            locking,
        )
        .await
        {
            Ok((order, events)) => {
                realtime.committed(events);
                return Ok(order);
            }
            // A retry (or a concurrent twin) with a used key: the unique index let only one in.
            Err(err) if is_unique_violation(&err) || matches!(err, AppError::Validation(_)) => {
                if let Some(existing) = find_by_key(db, channel_id, &key).await? {
                    return replay(existing, &request_digest);
                }
                if !(is_unique_violation(&err) && attempt < 3) {
                    return Err(err);
                }
            }
            // Another order took the units this one planned with: plan again; after a few
            // lost races, lock the rows and wait instead.
            Err(err) if StockRace::is(&err) => {
                races += 1;
                if races >= 3 {
                    locking = Locking::Pessimistic;
                }
            }
            Err(err) => return Err(err),
        }
    }
}

/// Writes the order, its lines, first timeline entry, message and live event in one transaction.
#[allow(clippy::too_many_arguments)]
async fn write(
    db: &DatabaseConnection,
    realtime: &Realtime,
    valid: &ValidOrder,
    mut record: order::ActiveModel,
    claimed: &[(String, Uuid)],
    products: &HashMap<String, product::Model>,
    actor: &Actor,
    now: DateTime<Utc>,
    locking: Locking,
) -> AppResult<(order::Model, Vec<OrderStatusEvent>)> {
    let txn = db.begin().await?;
    let customer_id = upsert_customer(&txn, valid, now).await?;
    claim_coupons(&txn, claimed).await?;
    record.customer_id = Set(customer_id);
    let order = order::Entity::insert(record)
        .exec_with_returning(&txn)
        .await?;
    let lines = insert_lines(&txn, order.id, valid, products).await?;
    analytics::rollup::opened(&txn, &order).await?;
    timeline::record(
        &txn,
        timeline::Entry {
            order_id: order.id,
            kind: EventKind::StatusChanged,
            from: None,
            to: Some(order.status),
            actor: timeline::actor_of(actor),
            reason: Some("order placed".into()),
        },
    )
    .await?;
    if order.payment_method == PaymentMethod::CashOnDelivery {
        outbox::enqueue(
            &txn,
            ORDER_CONFIRMED,
            order.id,
            &serde_json::json!({ "orderId": order.id }),
        )
        .await?;
    }
    let event = status_event(&order, None);
    realtime.stage(&txn, &event).await?;
    let mut events = vec![event];
    // Cash on delivery is confirmed on placement: the review (and allocation) runs now, in the
    // same transaction, so the partner's response already says where the order stands.
    let order = if order.status == OrderStatus::Confirmed {
        let placed = Placed {
            lines: &lines,
            products,
        };
        let (reviewed, more) =
            review::review_confirmed(&txn, realtime, &order, locking, Some(placed)).await?;
        events.extend(more);
        reviewed
    } else {
        order
    };
    txn.commit().await?;
    Ok((order, events))
}

/// The live event for `order` having moved from its stored status to `to` at `at`.
pub fn moved(order: &order::Model, to: OrderStatus, at: DateTime<Utc>) -> OrderStatusEvent {
    OrderStatusEvent {
        order_id: order.id,
        number: order.number.clone(),
        channel_id: order.channel_id,
        from: Some(order.status),
        to,
        at,
    }
}

/// The live event for an order that just entered its current status.
pub fn status_event(order: &order::Model, from: Option<OrderStatus>) -> OrderStatusEvent {
    OrderStatusEvent {
        order_id: order.id,
        number: order.number.clone(),
        channel_id: order.channel_id,
        from,
        to: order.status,
        at: order.updated_at,
    }
}

fn replay(existing: order::Model, request_digest: &str) -> AppResult<order::Model> {
    if existing.request_digest == request_digest {
        Ok(existing)
    } else {
        Err(AppError::Conflict(format!(
            "The idempotency key was already used for order {} with a different request.",
            existing.number
        )))
    }
}

fn is_unique_violation(err: &AppError) -> bool {
    match err {
        AppError::Internal(source) => source.downcast_ref::<sea_orm::DbErr>().is_some_and(|e| {
            matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            )
        }),
        _ => false,
    }
}

async fn channel_for_staff(db: &DatabaseConnection, code: &str) -> AppResult<Uuid> {
    let code = crate::service::api_keys::parse_channel_code(code)?;
    Ok(find_or_create_channel(db, &code).await?.id)
}

async fn find_by_key(
    db: &DatabaseConnection,
    channel_id: Uuid,
    key: &str,
) -> AppResult<Option<order::Model>> {
    Ok(order::Entity::find()
        .filter(order::Column::ChannelId.eq(channel_id))
        .filter(order::Column::IdempotencyKey.eq(key.trim()))
        .one(db)
        .await?)
}

/// The ordered SKUs' products: snapshots for pricing, and the rows (for the lines' product ids
/// and for allocation), by SKU.
type Products = (
    HashMap<String, ProductSnapshot>,
    HashMap<String, product::Model>,
);

/// The ordered SKUs' products, as snapshots for pricing and as stored.
async fn load_products(db: &DatabaseConnection, draft: &OrderDraft) -> AppResult<Products> {
    let skus: Vec<String> = draft
        .lines
        .iter()
        .map(|l| l.sku.trim().to_string())
        .collect();
    let rows = product::Entity::find()
        .filter(product::Column::Sku.is_in(skus))
        .all(db)
        .await?;
    let mut snapshots = HashMap::new();
    let mut stored = HashMap::new();
    for p in rows {
        let currency = Currency::parse(&p.currency).map_err(AppError::internal)?;
        snapshots.insert(
            p.sku.clone(),
            ProductSnapshot {
                sku: p.sku.clone(),
                name: p.name.clone(),
                unit_price: Money::from_minor(p.price_minor, currency),
                active: p.active,
                weight_g: p.weight_g.max(0) as u32,
            },
        );
        stored.insert(p.sku.clone(), p);
    }
    Ok((snapshots, stored))
}

type Coupons = (HashMap<String, Coupon>, HashMap<String, Uuid>);

async fn load_coupons(db: &DatabaseConnection, draft: &OrderDraft) -> AppResult<Coupons> {
    if draft.coupon_codes.is_empty() {
        return Ok((HashMap::new(), HashMap::new()));
    }
    let codes: Vec<String> = draft
        .coupon_codes
        .iter()
        .map(|c| c.trim().to_uppercase())
        .collect();
    let rows = coupon::Entity::find()
        .filter(coupon::Column::Code.is_in(codes))
        .all(db)
        .await?;
    let email = draft.customer.email.trim().to_lowercase();
    let mut coupons = HashMap::new();
    let mut ids = HashMap::new();
    for row in rows {
        let used_by_customer = match row.per_customer_limit {
            Some(_) => uses_by_customer(db, &row.code, &email).await?,
            None => 0,
        };
        coupons.insert(row.code.clone(), coupon_from_row(&row, used_by_customer)?);
        ids.insert(row.code.clone(), row.id);
    }
    Ok((coupons, ids))
}

/// Orders of this customer that used the coupon and still count (not cancelled or expired).
async fn uses_by_customer(db: &DatabaseConnection, code: &str, email: &str) -> AppResult<u32> {
    use sea_orm::PaginatorTrait;
    let n = order::Entity::find()
        .filter(order::Column::CustomerEmail.eq(email))
        .filter(order::Column::CouponCodes.contains(format!("\"{code}\"")))
        .filter(order::Column::Status.is_not_in([OrderStatus::Cancelled, OrderStatus::Expired]))
        .count(db)
        .await?;
    Ok(n as u32)
}

fn coupon_from_row(row: &coupon::Model, used_by_customer: u32) -> AppResult<Coupon> {
    let currency = Currency::parse(&row.currency).map_err(AppError::internal)?;
    let kind = match (row.kind.as_str(), row.percent_bp, row.amount_minor) {
        ("PERCENTAGE", Some(bp), _) => CouponKind::Percentage(Decimal::new(bp as i64, 2)),
        ("FIXED", _, Some(minor)) => CouponKind::Fixed(Money::from_minor(minor, currency)),
        _ => {
            return Err(AppError::Internal(
                format!("coupon {} is malformed", row.code).into(),
            ));
        }
    };
    let count = |n: Option<i32>| n.map(|n| n.max(0) as u32);
    Ok(Coupon {
        code: row.code.clone(),
        kind,
        valid_from: row.valid_from,
        valid_until: row.valid_until,
        min_order_value: row.min_order_minor.map(|m| Money::from_minor(m, currency)),
        total_limit: count(row.total_limit),
        used_total: row.used_total.max(0) as u32,
        per_customer_limit: count(row.per_customer_limit),
        used_by_customer,
        active: row.active,
    })
}

/// The order row, complete but for the customer id (known inside the transaction).
fn new_order(
    valid: &ValidOrder,
    channel_id: Uuid,
    request_digest: String,
    settings: &IntakeSettings,
    now: DateTime<Utc>,
) -> AppResult<order::ActiveModel> {
    let minor = |m: Money| m.to_minor().map_err(AppError::internal);
    let q = &valid.quote;
    let (status, payment_status, due) = match valid.payment_method {
        PaymentMethod::Prepaid => (
            OrderStatus::PendingPayment,
            PaymentStatus::Unpaid,
            Some(now + settings.payment_window),
        ),
        PaymentMethod::CashOnDelivery => (OrderStatus::Confirmed, PaymentStatus::CodPending, None),
    };
    let a = &valid.shipping_address;
    let requests =
        (!valid.special_requests.is_empty()).then(|| special_requests_json(valid).to_string());
    Ok(order::ActiveModel {
        id: Set(Uuid::now_v7()),
        number: Set(order_number(now)?),
        channel_id: Set(channel_id),
        idempotency_key: Set(valid.idempotency_key.clone()),
        request_digest: Set(request_digest),
        customer_id: Set(Uuid::nil()),
        status: Set(status),
        payment_status: Set(payment_status),
        payment_method: Set(valid.payment_method),
        currency: Set(q.currency.code().to_string()),
        subtotal_minor: Set(minor(q.subtotal)?),
        discount_minor: Set(minor(q.discount)?),
        shipping_minor: Set(minor(q.shipping)?),
        tax_minor: Set(minor(q.tax_included)?),
        total_minor: Set(minor(q.total)?),
        customer_name: Set(valid.customer.name.clone()),
        customer_email: Set(valid.customer.email.as_str().to_string()),
        customer_phone: Set(customer_phone(valid)),
        ship_recipient: Set(a.recipient.clone()),
        ship_phone: Set(a.phone.clone()),
        ship_country: Set(a.country.clone()),
        ship_region: Set(a.region.clone()),
        ship_city: Set(a.city.clone()),
        ship_district: Set(a.district.clone()),
        ship_line1: Set(a.line1.clone()),
        ship_line2: Set(a.line2.clone()),
        ship_postal_code: Set(a.postal_code.clone()),
        coupon_codes: Set(serde_json::to_string(&valid.coupon_codes).map_err(AppError::internal)?),
        special_requests: Set(requests),
        hold_reasons: Set("[]".into()),
        payment_due_at: Set(due),
        address_key: Set(super::stored::address_hash(&valid.shipping_address)),
        tags: Set(serde_json::to_string(&valid.tags).map_err(AppError::internal)?),
        created_at: Set(now),
        updated_at: Set(now),
        delivered_at: Set(None),
    })
}

/// The customer's own phone, or the recipient's when the customer gave none.
fn customer_phone(valid: &ValidOrder) -> String {
    valid
        .customer
        .phone
        .clone()
        .unwrap_or_else(|| valid.shipping_address.phone.clone())
}

fn special_requests_json(valid: &ValidOrder) -> serde_json::Value {
    use crate::domain::orders::InvoiceDelivery;
    let r = &valid.special_requests;
    serde_json::json!({
        "deliveryWindow": r.delivery_window.map(|w| serde_json::json!({ "from": w.from, "to": w.to })),
        "giftWrap": r.gift_wrap,
        "giftMessage": r.gift_message,
        "invoice": r.invoice.as_ref().map(|i| serde_json::json!({
            "title": i.title,
            "taxId": i.tax_id,
            "delivery": match i.delivery { InvoiceDelivery::InParcel => "IN_PARCEL", InvoiceDelivery::Separate => "SEPARATE" },
        })),
    })
}

/// `OR` + yymmdd + `-` + seven Crockford base-32 characters (35 random bits): short enough to
/// read over the phone; at 20,000 orders a day a collision happens about once in 170 days, and
/// then the unique index refuses it and the order is written under a new number.
pub fn order_number(now: DateTime<Utc>) -> AppResult<String> {
    document_number("OR", now)
}

/// `PREFIX` + yymmdd + `-` + seven random Crockford base-32 characters: the readable numbers of
/// orders, waves and manifests (each kind's unique index catches the rare collision).
pub fn document_number(prefix: &str, now: DateTime<Utc>) -> AppResult<String> {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    let mut n = u64::from_be_bytes(bytes);
    let mut suffix = [0u8; 7];
    for slot in suffix.iter_mut().rev() {
        *slot = ALPHABET[(n & 31) as usize];
        n >>= 5;
    }
    Ok(format!(
        "{prefix}{}-{}",
        now.format("%y%m%d"),
        String::from_utf8_lossy(&suffix)
    ))
}

/// Creates or refreshes the customer (by e-mail); returns its id.
async fn upsert_customer(
    txn: &impl ConnectionTrait,
    valid: &ValidOrder,
    now: DateTime<Utc>,
) -> AppResult<Uuid> {
    let row = customer::Entity::insert(customer::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(valid.customer.email.as_str().to_string()),
        name: Set(valid.customer.name.clone()),
        phone: Set(customer_phone(valid)),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(customer::Column::Email)
            .update_columns([
                customer::Column::Name,
                customer::Column::Phone,
                customer::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await?;
    Ok(row.id)
}

/// Counts one use of each coupon, refusing atomically when its total limit is reached (the
/// check before the transaction can be raced; this conditional update cannot).
async fn claim_coupons(txn: &impl ConnectionTrait, coupons: &[(String, Uuid)]) -> AppResult<()> {
    use sea_orm::sea_query::ExprTrait;
    let mut problems = Vec::new();
    for (i, (code, id)) in coupons.iter().enumerate() {
        let claimed = coupon::Entity::update_many()
            .col_expr(
                coupon::Column::UsedTotal,
                Expr::col(coupon::Column::UsedTotal).add(1),
            )
            .filter(coupon::Column::Id.eq(*id))
            .filter(
                sea_orm::Condition::any()
                    .add(coupon::Column::TotalLimit.is_null())
                    .add(
                        Expr::col(coupon::Column::UsedTotal)
                            .lt(Expr::col(coupon::Column::TotalLimit)),
                    ),
            )
            .exec(txn)
            .await?;
        if claimed.rows_affected == 0 {
            problems.push(FieldProblem::new(
                format!("couponCodes[{i}]"),
                "COUPON_LIMIT_REACHED",
                format!("coupon {code} has been used up"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(problems))
    }
}

async fn insert_lines(
    txn: &impl ConnectionTrait,
    order_id: Uuid,
    valid: &ValidOrder,
    products: &HashMap<String, product::Model>,
) -> AppResult<Vec<order_line::Model>> {
    use sea_orm::{ActiveModelTrait, IntoActiveModel};
    let minor = |m: Money| m.to_minor().map_err(AppError::internal);
    let mut lines = Vec::with_capacity(valid.quote.lines.len());
    for (i, line) in valid.quote.lines.iter().enumerate() {
        lines.push(order_line::Model {
            id: Uuid::now_v7(),
            order_id,
            line_no: i as i32 + 1,
            product_id: products.get(&line.sku).map(|p| p.id).unwrap_or_default(),
            sku: line.sku.clone(),
            name: line.name.clone(),
            quantity: line.quantity as i32,
            unit_price_minor: minor(line.unit_price)?,
            discount_minor: minor(line.discount)?,
            line_total_minor: minor(line.line_total)?,
            cancelled_quantity: 0,
        });
    }
    let rows = lines
        .iter()
        .map(|l| l.clone().into_active_model().reset_all());
    order_line::Entity::insert_many(rows).exec(txn).await?;
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn order_numbers_are_dated_readable_and_distinct() {
        let day = Utc.with_ymd_and_hms(2026, 11, 25, 8, 0, 0).unwrap();
        let numbers: std::collections::HashSet<String> =
            (0..1000).map(|_| order_number(day).unwrap()).collect();
        assert_eq!(numbers.len(), 1000);
        for n in &numbers {
            assert!(n.starts_with("OR261125-") && n.len() == 16, "{n}");
            assert!(
                n[9..]
                    .chars()
                    .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"ILOU".contains(c))),
                "{n}"
            );
        }
    }
}
