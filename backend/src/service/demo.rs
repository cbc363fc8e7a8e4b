//! Demo data for `orderly serve --demo`: loaded once into an empty database.

use crate::domain::auth::Actor;
use crate::domain::orders::{AddressDraft, CustomerDraft, LineDraft, OrderDraft};
use crate::error::AppResult;
use crate::realtime::Realtime;
use crate::service::audit::{self, AuditAction, AuditBus};
use crate::service::auth::Auth;
use crate::service::orders::intake::{self, IntakeSettings};
use crate::service::payments::{self, CallbackStatus, PaymentCallback};
use crate::service::{api_keys, catalog, stock, users};
use crate::{db::entity::order, domain::money::Money, jobs::expiry};
use orderly_shared::{PaymentMethod, Role};
use sea_orm::DatabaseConnection;

pub const DEMO_PASSWORD: &str = "orderly-demo-pass";

/// The demo staff: one per role.
pub const DEMO_USERS: [(&str, &str, Role); 5] = [
    ("admin@orderly.example", "Ada Admin", Role::Admin),
    ("cs@orderly.example", "Cai Service", Role::CustomerService),
    ("reviewer@orderly.example", "Rui Reviewer", Role::Reviewer),
    (
        "warehouse@orderly.example",
        "Wen Warehouse",
        Role::Warehouse,
    ),
    ("finance@orderly.example", "Fay Finance", Role::Finance),
];

/// What was loaded, for printing.
pub struct DemoLogins {
    pub users: Vec<(String, Role)>,
    pub partner_key: String,
}

/// The demo catalogue: three dozen products in eight categories.
pub const DEMO_PRODUCTS_CSV: &str = include_str!("../../demo/products.csv");
/// Three distribution centres: Shanghai, Beijing, Guangzhou.
pub const DEMO_WAREHOUSES_CSV: &str = include_str!("../../demo/warehouses.csv");
/// Opening stock: Shanghai carries the whole range, the others a selection; the smart watch
/// and the earbuds are out of stock everywhere (orders for them wait).
pub const DEMO_STOCK_CSV: &str = include_str!("../../demo/stock.csv");

/// Packaging the demo warehouses pack in: mailers, cartons, bubble wrap, sealed bags.
pub const DEMO_PACKAGING_CSV: &str = include_str!("../../demo/packaging.csv");
/// Two simulated carriers: an express one with cash on delivery, and a cheaper, slower post.
pub const DEMO_CARRIERS_JSON: &str = include_str!("../../demo/carriers.json");

/// Loads the demo packaging catalogue and carriers (validated like the console's edits).
pub async fn fulfilment_setup(db: &DatabaseConnection) -> AppResult<()> {
    use crate::domain::packing::{PackagingDraft, validate_packaging};
    use crate::error::AppError;
    let mut rows = csv::Reader::from_reader(DEMO_PACKAGING_CSV.as_bytes());
    for record in rows.records() {
        let r = record.map_err(AppError::internal)?;
        let field = |i: usize| r.get(i).unwrap_or_default().to_string();
        let number = |i: usize| field(i).parse::<i64>().unwrap_or(-1);
        let kind = orderly_shared::PackagingKind::parse(&field(2)).ok_or_else(|| {
            AppError::Internal(format!("demo packaging kind {}", field(2)).into())
        })?;
        let draft = PackagingDraft {
            code: field(0),
            name: field(1),
            kind,
            inner_length_mm: number(3),
            inner_width_mm: number(4),
            inner_height_mm: number(5),
            max_weight_g: number(6),
            tare_weight_g: number(7),
            cost: field(8),
            currency: field(9),
            active: true,
        };
        let p = validate_packaging(&draft).map_err(AppError::Validation)?;
        crate::service::packing::catalogue::upsert(db, &p).await?;
    }
    let carriers: Vec<crate::domain::shipping::Carrier> =
        serde_json::from_str(DEMO_CARRIERS_JSON).map_err(AppError::internal)?;
    for c in carriers {
        let draft = crate::domain::shipping::CarrierDraft {
            code: c.code,
            name: c.name,
            active: c.active,
            services: c.services,
            coverage: c.coverage,
            max_weight_g: c.max_weight_g,
            cod_supported: c.cod_supported,
            cod_limit: c.cod_limit,
            rates: c.rates,
        };
        let valid =
            crate::domain::shipping::validate_carrier(draft).map_err(AppError::Validation)?;
        crate::service::shipping::carriers::upsert(db, &valid).await?;
    }
    Ok(())
}

/// Loads demo data if the database has no users yet; `None` when it already had some.
pub async fn load_if_empty(
    db: &DatabaseConnection,
    auth: &Auth,
    bus: &AuditBus,
    realtime: &Realtime,
) -> AppResult<Option<DemoLogins>> {
    if users::any_exist(db).await? {
        return Ok(None);
    }
    let actor = Actor::System;
    let mut logins = Vec::new();
    for (email, name, role) in DEMO_USERS {
        let input = users::CreateUser {
            email: email.into(),
            display_name: name.into(),
            password: DEMO_PASSWORD.into(),
            roles: vec![role],
            warehouse_codes: vec![],
        };
        users::create(db, auth, bus, &actor, input).await?;
        logins.push((email.to_string(), role));
    }
    let (key, _) = api_keys::create(db, bus, &actor, "demo-store").await?;
    catalog::import_products(db, bus, &actor, DEMO_PRODUCTS_CSV).await?;
    stock::import::import_warehouses(db, bus, &actor, DEMO_WAREHOUSES_CSV).await?;
    stock::import::import_stock(db, bus, &actor, DEMO_STOCK_CSV, "demo stock.csv").await?;
    let welcome = crate::domain::coupons::CouponDraft {
        code: "WELCOME10".into(),
        kind: crate::domain::coupons::CouponKindDraft::Percentage,
        percent: Some("10".into()),
        amount: None,
        currency: "CNY".into(),
        min_order_value: Some("99.00".into()),
        valid_from: chrono::Utc::now(),
        valid_until: None,
        total_limit: Some(1000),
        per_customer_limit: Some(1),
    };
    crate::service::coupons::create(db, bus, &actor, welcome).await?;
    fulfilment_setup(db).await?;
    demo_orders(db, realtime, &key_actor(db, auth, &key).await?).await?;
    let entry = audit::record(
        db,
        &actor,
        AuditAction::DemoDataLoaded,
        "SYSTEM",
        None,
        None,
    )
    .await?;
    bus.publish([entry]);
    Ok(Some(DemoLogins {
        users: logins,
        partner_key: key.expose().to_string(),
    }))
}

/// Demo orders come in through the demo storefront's channel, as a partner's would.
async fn key_actor(
    db: &DatabaseConnection,
    auth: &Auth,
    key: &crate::domain::auth::OpaqueToken,
) -> AppResult<Actor> {
    Ok(Actor::Partner(
        auth.authenticate_api_key(db, key.expose()).await?,
    ))
}

/// Customers with real-looking Chinese addresses.
const CUSTOMERS: [(&str, &str, &str, &str, &str, &str); 4] = [
    (
        "Li Lei",
        "li.lei@example.com",
        "13800138000",
        "Shanghai",
        "88 Century Avenue, Pudong",
        "200120",
    ),
    (
        "Han Meimei",
        "han.meimei@example.com",
        "13912345678",
        "Beijing",
        "1 Jianguomenwai Street, Chaoyang",
        "100004",
    ),
    (
        "Wang Fang",
        "wang.fang@example.com",
        "13698765432",
        "Guangdong",
        "233 Tianhe Road, Guangzhou",
        "510620",
    ),
    (
        "Zhang Wei",
        "zhang.wei@example.com",
        "13511112222",
        "Zhejiang",
        "18 Wensan Road, Hangzhou",
        "310012",
    ),
];

/// Orders in every state intake, payment, review and allocation produce so far.
async fn demo_orders(
    db: &DatabaseConnection,
    realtime: &Realtime,
    partner: &Actor,
) -> AppResult<()> {
    let settings = IntakeSettings::default();
    let place = |n: usize, method: PaymentMethod, lines: &[(&str, i64)]| {
        let (name, email, phone, region, line1, postal) = CUSTOMERS[n % CUSTOMERS.len()];
        let city = match region {
            "Guangdong" => "Guangzhou",
            "Zhejiang" => "Hangzhou",
            other => other,
        };
        OrderDraft {
            idempotency_key: format!("demo-{n}"),
            customer: CustomerDraft {
                name: name.into(),
                email: email.into(),
                phone: Some(phone.into()),
            },
            shipping_address: AddressDraft {
                recipient: name.into(),
                phone: phone.into(),
                country: "CN".into(),
                region: region.into(),
                city: city.into(),
                district: None,
                line1: line1.into(),
                line2: None,
                postal_code: Some(postal.into()),
            },
            payment_method: method,
            lines: lines
                .iter()
                .map(|(sku, q)| LineDraft {
                    sku: (*sku).into(),
                    quantity: *q,
                })
                .collect(),
            coupon_codes: vec![],
            special_requests: None,
            expected_total: None,
            tags: vec![],
        }
    };
    let settings = &settings;
    let submit = |draft: OrderDraft| async move {
        let digest = format!("demo:{}", draft.idempotency_key);
        intake::place(db, realtime, settings, partner, None, draft, digest).await
    };
    let pay = |o: order::Model, amount: Option<&str>, event: &str| {
        let amount = amount.map(str::to_string).unwrap_or_else(|| total_of(&o));
        PaymentCallback {
            provider: "simulated".into(),
            event_id: event.into(),
            order_number: o.number,
            status: CallbackStatus::Succeeded,
            amount,
            currency: o.currency,
        }
    };
    // First the order that will have expired, before the ones that must stay pending.
    submit(place(0, PaymentMethod::Prepaid, &[("EARBUDS-PRO", 1)])).await?;
    expiry::run_once(
        db,
        realtime,
        chrono::Utc::now() + chrono::TimeDelta::days(1),
    )
    .await?;
    submit(place(
        1,
        PaymentMethod::CashOnDelivery,
        &[("TEA-OOLONG-250", 2), ("MUG-CERAMIC-350", 2)],
    ))
    .await?;
    submit(place(
        2,
        PaymentMethod::CashOnDelivery,
        &[("HOODIE-GRY-M", 1)],
    ))
    .await?;
    let paid = submit(place(
        3,
        PaymentMethod::Prepaid,
        &[("COF-BEANS-500", 1), ("COF-DRIP-10", 2)],
    ))
    .await?;
    payments::apply(db, realtime, pay(paid, None, "demo-evt-1")).await?;
    let paid = submit(place(
        4,
        PaymentMethod::Prepaid,
        &[("POT-YIXING-200", 1), ("CUP-CELADON-6", 1)],
    ))
    .await?;
    payments::apply(db, realtime, pay(paid, None, "demo-evt-2")).await?;
    let short = submit(place(5, PaymentMethod::Prepaid, &[("WATCH-SMART-S3", 1)])).await?;
    payments::apply(db, realtime, pay(short, Some("1500.00"), "demo-evt-3")).await?;
    submit(place(
        6,
        PaymentMethod::Prepaid,
        &[("SERUM-HYAL-30", 1), ("TONER-ROSE-150", 1)],
    ))
    .await?;
    submit(place(
        7,
        PaymentMethod::Prepaid,
        &[("BACKPACK-20L", 1), ("NOTEBOOK-A5", 3)],
    ))
    .await?;
    // Out of stock everywhere: waits as BACKORDERED until the watch arrives.
    submit(place(
        8,
        PaymentMethod::CashOnDelivery,
        &[("WATCH-SMART-S3", 1)],
    ))
    .await?;
    // Two more orders to Han Meimei's address within the hour: the velocity rules hold the
    // second for a reviewer ("4 orders to this address in 60 min, limit 3").
    for n in [9, 13] {
        submit(place(
            n,
            PaymentMethod::CashOnDelivery,
            &[("TEA-JASMINE-200", 1)],
        ))
        .await?;
    }
    // Paid, then cancelled at the customer's request: its refund waits for finance.
    let paid = submit(place(10, PaymentMethod::Prepaid, &[("TEA-OOLONG-250", 1)])).await?;
    let id = paid.id;
    payments::apply(db, realtime, pay(paid, None, "demo-evt-4")).await?;
    crate::service::review::hold::cancel(
        db,
        realtime,
        &Actor::System,
        id,
        "the customer changed their mind".into(),
    )
    .await?;
    Ok(())
}

fn total_of(o: &order::Model) -> String {
    crate::domain::money::Currency::parse(&o.currency)
        .map(|c| Money::from_minor(o.total_minor, c).amount().to_string())
        .unwrap_or_default()
}
