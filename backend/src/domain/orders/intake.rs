//! Order intake (SPEC §2.1): turns what a partner submitted (`PlaceOrderInput`) into an order
//! that can be stored, or into the complete list of what is wrong with it — every problem at
//! once, in input order, each with its path and a stable code — so a partner fixes an order in
//! one round trip and nothing is written for an invalid one.
//!
//! Pure: the caller loads the products and coupons the draft names (coupons with the customer's
//! usage filled in) and the pricing policy of the catalogue's currency.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use orderly_shared::{FieldProblem, PaymentMethod};

use super::address::{Address, AddressDraft, is_country_code, validate_address};
use super::contact::{Customer, CustomerDraft, validate_customer};
use super::fields::{optional_text, required, required_text};
use super::pricing::{
    Coupon, PricingPolicy, ProductSnapshot, Quote, check_coupon, inactive_sku,
    line_currency_mismatch, price_at_paths,
};
use crate::domain::money::{Currency, Money, parse_decimal};

/// Most lines one order may have.
pub const MAX_LINES: usize = 100;
/// Most units one line may order.
pub const MAX_QUANTITY: i64 = 9_999;
/// Longest idempotency key.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 64;
/// Longest gift message (it is printed on a card).
pub const MAX_GIFT_MESSAGE_CHARS: usize = 200;
/// Longest invoice title.
pub const MAX_INVOICE_TITLE_CHARS: usize = 100;

/// One order line as sent: the quantity is signed so that `-1` is reported, not rejected by the
/// transport.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineDraft {
    /// Catalogue SKU (surrounding spaces ignored).
    pub sku: String,
    /// Units, 1 to [`MAX_QUANTITY`].
    pub quantity: i64,
}

/// When the customer wants the parcel (both ends in UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryWindow {
    /// Start, in the future.
    pub from: DateTime<Utc>,
    /// End, after `from`.
    pub to: DateTime<Utc>,
}

/// How the invoice reaches the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvoiceDelivery {
    /// Printed and packed with the goods.
    InParcel,
    /// Sent on its own (post or e-mail).
    Separate,
}

/// An invoice request as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceDraft {
    /// The buyer's name or company name on the invoice.
    pub title: String,
    /// Taxpayer id (e.g. China's 18-character unified social credit code), when a company.
    pub tax_id: Option<String>,
    /// In the parcel or separately.
    pub delivery: InvoiceDelivery,
}

/// A validated invoice request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// Trimmed.
    pub title: String,
    /// Upper-case, 15 to 20 letters or digits.
    pub tax_id: Option<String>,
    /// In the parcel or separately.
    pub delivery: InvoiceDelivery,
}

/// Special requests as sent (`SpecialRequestsInput`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecialRequestsDraft {
    /// Preferred delivery window.
    pub delivery_window: Option<DeliveryWindow>,
    /// Gift wrapping wanted.
    pub gift_wrap: bool,
    /// Printed on a card, at most [`MAX_GIFT_MESSAGE_CHARS`].
    pub gift_message: Option<String>,
    /// Invoice wanted.
    pub invoice: Option<InvoiceDraft>,
}

/// Validated special requests; empty (the default) when none were made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpecialRequests {
    /// Preferred delivery window, in the future.
    pub delivery_window: Option<DeliveryWindow>,
    /// Gift wrapping wanted.
    pub gift_wrap: bool,
    /// Trimmed; blank becomes `None`.
    pub gift_message: Option<String>,
    /// Invoice wanted.
    pub invoice: Option<Invoice>,
}

impl SpecialRequests {
    /// Whether nothing special was asked for.
    pub fn is_empty(&self) -> bool {
        *self == SpecialRequests::default()
    }
}

/// An order as the partner submitted it (`PlaceOrderInput`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDraft {
    /// 1–64 characters of `A-Z a-z 0-9 _ - : .`; the same key twice means the same order.
    pub idempotency_key: String,
    /// Who ordered.
    pub customer: CustomerDraft,
    /// Where to.
    pub shipping_address: AddressDraft,
    /// Prepaid or cash on delivery.
    pub payment_method: PaymentMethod,
    /// What, in input order.
    pub lines: Vec<LineDraft>,
    /// Coupon codes, any case, applied in this order.
    pub coupon_codes: Vec<String>,
    /// Delivery window, gift wrap and message, invoice.
    pub special_requests: Option<SpecialRequestsDraft>,
    /// The total the partner computed (decimal string); refused unless it matches exactly.
    pub expected_total: Option<String>,
    /// Free labels for routing and reporting (allocation rules can match them).
    pub tags: Vec<String>,
}

/// An order that passed intake: normalized, priced, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOrder {
    /// As sent (keys are compared exactly).
    pub idempotency_key: String,
    /// Normalized customer.
    pub customer: Customer,
    /// Normalized shipping address.
    pub shipping_address: Address,
    /// Prepaid or cash on delivery.
    pub payment_method: PaymentMethod,
    /// Prices, discounts, shipping, tax and total.
    pub quote: Quote,
    /// The coupons applied, upper-case, in the order they were applied (usage to count).
    pub coupon_codes: Vec<String>,
    /// Validated special requests.
    pub special_requests: SpecialRequests,
    /// Lower-case tags, without duplicates, in input order.
    pub tags: Vec<String>,
}

/// Validates and prices `draft`, reporting every problem at once in input order.
///
/// `products` is keyed by SKU; `coupons` by upper-case code, with `used_by_customer` filled in
/// for this customer; `policy` is the pricing policy of the products' currency. Paths are
/// relative to the input object (`lines[2].quantity`, `shippingAddress.postalCode`).
pub fn validate_order(
    draft: &OrderDraft,
    products: &HashMap<String, ProductSnapshot>,
    coupons: &HashMap<String, Coupon>,
    policy: &PricingPolicy,
    now: DateTime<Utc>,
) -> Result<ValidOrder, Vec<FieldProblem>> {
    let mut problems = Vec::new();

    let idempotency_key = idempotency_key(&draft.idempotency_key, &mut problems);

    let country = draft.shipping_address.country.trim().to_ascii_uppercase();
    let known_country = is_country_code(&country).then_some(country.as_str());
    let customer = validate_customer("customer", &draft.customer, known_country, &mut problems);
    let shipping_address =
        validate_address("shippingAddress", &draft.shipping_address, &mut problems);

    let lines = lines(&draft.lines, products, &mut problems);
    let (quote, coupon_codes) =
        coupons_and_quote(draft, &lines, coupons, policy, now, &mut problems);

    let special_requests = special_requests(draft.special_requests.as_ref(), now, &mut problems);
    let tags = tags(&draft.tags, &mut problems);
    expected_total(
        draft.expected_total.as_deref(),
        &quote,
        lines.currency,
        &mut problems,
    );

    match (customer, shipping_address, quote) {
        (Some(customer), Some(shipping_address), Some(quote)) if problems.is_empty() => {
            Ok(ValidOrder {
                idempotency_key,
                customer,
                shipping_address,
                payment_method: draft.payment_method,
                quote,
                coupon_codes,
                special_requests,
                tags,
            })
        }
        _ => Err(problems),
    }
}

/// Most tags on one order.
pub const MAX_TAGS: usize = 10;

/// Tags: at most [`MAX_TAGS`], each 1–32 of `a-z 0-9 - _` (case-folded), duplicates dropped.
fn tags(raw: &[String], problems: &mut Vec<FieldProblem>) -> Vec<String> {
    if raw.len() > MAX_TAGS {
        problems.push(FieldProblem::new(
            "tags",
            "TOO_MANY",
            format!("at most {MAX_TAGS} tags (got {})", raw.len()),
        ));
    }
    let mut tags: Vec<String> = Vec::new();
    for (i, tag) in raw.iter().enumerate() {
        let tag = tag.trim().to_lowercase();
        let shaped = (1..=32).contains(&tag.len())
            && tag
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !shaped {
            problems.push(FieldProblem::new(
                format!("tags[{i}]"),
                "INVALID_TAG",
                format!("must be 1 to 32 of a-z, 0-9, - and _ (got {tag:?})"),
            ));
        } else if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

fn idempotency_key(raw: &str, problems: &mut Vec<FieldProblem>) -> String {
    let path = "idempotencyKey";
    let chars = raw.chars().count();
    if raw.is_empty() {
        problems.push(required(path));
    } else if chars > MAX_IDEMPOTENCY_KEY_CHARS {
        problems.push(FieldProblem::new(
            path,
            "TOO_LONG",
            format!("must be at most {MAX_IDEMPOTENCY_KEY_CHARS} characters (got {chars})"),
        ));
    } else if let Some(bad) = raw
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')))
    {
        problems.push(FieldProblem::new(
            path,
            "INVALID_IDEMPOTENCY_KEY",
            format!("may only contain letters, digits, _ - : and . (found {bad:?})"),
        ));
    }
    raw.to_string()
}

/// The lines as far as they could be checked.
struct CheckedLines {
    /// Product and quantity of every line, when every line is fine.
    priceable: Option<Vec<(ProductSnapshot, u32)>>,
    /// The currency of the first known product: the order's.
    currency: Option<Currency>,
}

fn lines(
    drafts: &[LineDraft],
    products: &HashMap<String, ProductSnapshot>,
    problems: &mut Vec<FieldProblem>,
) -> CheckedLines {
    let before = problems.len();
    if drafts.is_empty() {
        problems.push(FieldProblem::new(
            "lines",
            "REQUIRED",
            "an order needs at least one line",
        ));
    } else if drafts.len() > MAX_LINES {
        problems.push(FieldProblem::new(
            "lines",
            "TOO_MANY",
            format!(
                "an order may have at most {MAX_LINES} lines (got {})",
                drafts.len()
            ),
        ));
    }
    let mut first_line_of: HashMap<&str, usize> = HashMap::new();
    let mut currency = None;
    let mut priceable = Vec::with_capacity(drafts.len());
    for (i, line) in drafts.iter().enumerate() {
        let sku_path = format!("lines[{i}].sku");
        let sku = line.sku.trim();
        let product = if sku.is_empty() {
            problems.push(required(&sku_path));
            None
        } else if let Some(first) = first_line_of.get(sku) {
            problems.push(FieldProblem::new(
                &sku_path,
                "DUPLICATE_SKU",
                format!(
                    "{sku:?} is already on lines[{first}]; order the whole quantity on one line"
                ),
            ));
            None
        } else {
            first_line_of.insert(sku, i);
            match products.get(sku) {
                None => {
                    problems.push(FieldProblem::new(
                        &sku_path,
                        "UNKNOWN_SKU",
                        format!("{sku:?} is not in the catalogue"),
                    ));
                    None
                }
                Some(product) => {
                    let order_currency = *currency.get_or_insert(product.unit_price.currency());
                    if !product.active {
                        problems.push(inactive_sku(&sku_path, sku));
                        None
                    } else if product.unit_price.currency() != order_currency {
                        problems.push(line_currency_mismatch(&sku_path, product, order_currency));
                        None
                    } else {
                        Some(product)
                    }
                }
            }
        };
        let quantity_path = format!("lines[{i}].quantity");
        let quantity = if line.quantity < 1 {
            problems.push(FieldProblem::new(
                quantity_path,
                "MUST_BE_POSITIVE",
                format!("must be at least 1 (got {})", line.quantity),
            ));
            None
        } else if line.quantity > MAX_QUANTITY {
            problems.push(FieldProblem::new(
                quantity_path,
                "TOO_LARGE",
                format!("must be at most {MAX_QUANTITY} (got {})", line.quantity),
            ));
            None
        } else {
            u32::try_from(line.quantity).ok()
        };
        if let (Some(product), Some(quantity)) = (product, quantity) {
            priceable.push((product.clone(), quantity));
        }
    }
    CheckedLines {
        priceable: (problems.len() == before).then_some(priceable),
        currency,
    }
}

/// Looks the coupons up and prices the order when the lines allow; coupon problems are
/// reported at the coupon's own index, in input order.
fn coupons_and_quote(
    draft: &OrderDraft,
    lines: &CheckedLines,
    coupons: &HashMap<String, Coupon>,
    policy: &PricingPolicy,
    now: DateTime<Utc>,
    problems: &mut Vec<FieldProblem>,
) -> (Option<Quote>, Vec<String>) {
    // (index of the coupon code, problem), sorted by index at the end.
    let mut coupon_problems: Vec<(usize, FieldProblem)> = Vec::new();
    let mut first_index_of: HashMap<String, usize> = HashMap::new();
    let mut found: Vec<(String, &Coupon)> = Vec::new();
    let mut index_of_path: HashMap<String, usize> = HashMap::new();
    let mut codes = Vec::new();
    for (i, raw) in draft.coupon_codes.iter().enumerate() {
        let path = format!("couponCodes[{i}]");
        let code = raw.trim().to_uppercase();
        if code.is_empty() {
            coupon_problems.push((i, required(&path)));
        } else if let Some(first) = first_index_of.get(&code) {
            coupon_problems.push((
                i,
                FieldProblem::new(
                    &path,
                    "DUPLICATE_COUPON",
                    format!("{code} is already given as couponCodes[{first}]"),
                ),
            ));
        } else {
            first_index_of.insert(code.clone(), i);
            match coupons.get(&code) {
                None => coupon_problems.push((
                    i,
                    FieldProblem::new(
                        &path,
                        "UNKNOWN_COUPON",
                        format!("{code} is not a coupon code"),
                    ),
                )),
                Some(coupon) => {
                    index_of_path.insert(path.clone(), i);
                    found.push((path, coupon));
                    codes.push(code);
                }
            }
        }
    }

    let mut quote = None;
    match &lines.priceable {
        Some(priceable) => match price_at_paths(priceable, &found, policy, now) {
            Ok(priced) => quote = Some(priced),
            Err(pricing_problems) => {
                for problem in pricing_problems {
                    match index_of_path.get(&problem.path) {
                        Some(i) => coupon_problems.push((*i, problem)),
                        None => problems.push(problem),
                    }
                }
            }
        },
        // The order cannot be priced yet: check what does not depend on its amounts.
        None => {
            for (path, coupon) in &found {
                let i = index_of_path.get(path).copied().unwrap_or_default();
                coupon_problems.extend(
                    check_coupon(path, coupon, lines.currency, now)
                        .into_iter()
                        .map(|p| (i, p)),
                );
            }
        }
    }
    // A quote that left out an unknown or duplicate coupon is not the order's price.
    if !coupon_problems.is_empty() {
        quote = None;
    }
    coupon_problems.sort_by_key(|(i, _)| *i);
    problems.extend(coupon_problems.into_iter().map(|(_, p)| p));
    (quote, codes)
}

fn special_requests(
    draft: Option<&SpecialRequestsDraft>,
    now: DateTime<Utc>,
    problems: &mut Vec<FieldProblem>,
) -> SpecialRequests {
    let Some(draft) = draft else {
        return SpecialRequests::default();
    };
    let at = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    if let Some(window) = draft.delivery_window {
        if window.from <= now {
            problems.push(FieldProblem::new(
                "specialRequests.deliveryWindow.from",
                "INVALID_DELIVERY_WINDOW",
                format!(
                    "must be in the future (got {}, now is {})",
                    at(window.from),
                    at(now)
                ),
            ));
        }
        if window.to <= window.from {
            problems.push(FieldProblem::new(
                "specialRequests.deliveryWindow.to",
                "INVALID_DELIVERY_WINDOW",
                format!(
                    "must be after the start {} (got {})",
                    at(window.from),
                    at(window.to)
                ),
            ));
        }
    }
    let gift_message = optional_text(
        "specialRequests.giftMessage",
        draft.gift_message.as_deref(),
        MAX_GIFT_MESSAGE_CHARS,
        problems,
    );
    let invoice = draft.invoice.as_ref().and_then(|invoice| {
        let title = required_text(
            "specialRequests.invoice.title",
            &invoice.title,
            MAX_INVOICE_TITLE_CHARS,
            problems,
        );
        let tax_id = invoice
            .tax_id
            .as_deref()
            .map(|t| t.trim().to_ascii_uppercase())
            .filter(|t| !t.is_empty());
        if let Some(tax_id) = &tax_id {
            let chars = tax_id.chars().count();
            let shaped =
                (15..=20).contains(&chars) && tax_id.chars().all(|c| c.is_ascii_alphanumeric());
            if !shaped {
                problems.push(FieldProblem::new(
                    "specialRequests.invoice.taxId",
                    "INVALID_TAX_ID",
                    format!(
                        "must be 15 to 20 letters or digits (got {chars} characters: {tax_id:?})"
                    ),
                ));
            }
        }
        Some(Invoice {
            title: title?,
            tax_id,
            delivery: invoice.delivery,
        })
    });
    SpecialRequests {
        delivery_window: draft.delivery_window,
        gift_wrap: draft.gift_wrap,
        gift_message,
        invoice,
    }
}

fn expected_total(
    raw: Option<&str>,
    quote: &Option<Quote>,
    currency: Option<Currency>,
    problems: &mut Vec<FieldProblem>,
) {
    let Some(raw) = raw else { return };
    let path = "expectedTotal";
    let invalid = |message: String| FieldProblem::new(path, "INVALID_AMOUNT", message);
    match (quote, currency) {
        (Some(quote), _) => match Money::parse(raw, quote.currency) {
            Err(e) => problems.push(invalid(e.to_string())),
            Ok(expected) if expected != quote.total => problems.push(FieldProblem::new(
                path,
                "TOTAL_MISMATCH",
                format!("expected {expected} but the order totals {}", quote.total),
            )),
            Ok(_) => {}
        },
        // Without a price the amount can only be checked for its shape.
        (None, Some(currency)) => {
            if let Err(e) = Money::parse(raw, currency) {
                problems.push(invalid(e.to_string()));
            }
        }
        (None, None) => {
            if let Err(e) = parse_decimal(raw) {
                problems.push(invalid(e.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};
    use rust_decimal::Decimal;

    use crate::domain::orders::pricing::CouponKind;
    use crate::domain::orders::pricing::tests::{cny, coupon, now, policy, product};

    fn catalogue() -> HashMap<String, ProductSnapshot> {
        let mut usd = product("USD-1", "0");
        usd.unit_price = Money::from_minor(999, Currency::Usd);
        let mut retired = product("OLD-1", "5.00");
        retired.active = false;
        [
            product("TEA-1", "59.90"),
            product("CUP-2", "19.90"),
            usd,
            retired,
        ]
        .into_iter()
        .map(|p| (p.sku.clone(), p))
        .collect()
    }

    fn coupons() -> HashMap<String, Coupon> {
        let at = |m: u32| Utc.with_ymd_and_hms(2025, m, 1, 0, 0, 0).unwrap();
        let list = [
            coupon("SAVE10", CouponKind::Percentage(Decimal::TEN)),
            coupon("FIVE", CouponKind::Fixed(cny("5.00"))),
            Coupon {
                valid_until: Some(at(3)),
                ..coupon("WINTER", CouponKind::Percentage(Decimal::TEN))
            },
            Coupon {
                min_order_value: Some(cny("500.00")),
                ..coupon("BIG500", CouponKind::Fixed(cny("50.00")))
            },
            Coupon {
                per_customer_limit: Some(1),
                used_by_customer: 1,
                ..coupon("ONCE", CouponKind::Fixed(cny("5.00")))
            },
        ];
        list.into_iter().map(|c| (c.code.clone(), c)).collect()
    }

    fn draft() -> OrderDraft {
        OrderDraft {
            idempotency_key: "shop-42:order.1001".into(),
            customer: CustomerDraft {
                name: "Han Meimei".into(),
                email: "Meimei@Example.com".into(),
                phone: Some("139 1234 5678".into()),
            },
            shipping_address: AddressDraft {
                recipient: "韩梅梅".into(),
                phone: "13912345678".into(),
                country: "CN".into(),
                region: "上海市".into(),
                city: "上海".into(),
                district: Some("浦东新区".into()),
                line1: "世纪大道 100 号".into(),
                line2: None,
                postal_code: Some("200120".into()),
            },
            payment_method: PaymentMethod::Prepaid,
            lines: vec![
                LineDraft {
                    sku: "TEA-1".into(),
                    quantity: 2,
                },
                LineDraft {
                    sku: "CUP-2".into(),
                    quantity: 1,
                },
            ],
            coupon_codes: vec![],
            special_requests: None,
            expected_total: None,
            tags: vec![],
        }
    }

    fn validate(draft: &OrderDraft) -> Result<ValidOrder, Vec<FieldProblem>> {
        validate_order(draft, &catalogue(), &coupons(), &policy(), now())
    }

    fn problems(draft: &OrderDraft) -> Vec<(String, String)> {
        validate(draft)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect()
    }

    fn requests() -> SpecialRequestsDraft {
        SpecialRequestsDraft {
            delivery_window: Some(DeliveryWindow {
                from: now() + Duration::days(2),
                to: now() + Duration::days(2) + Duration::hours(3),
            }),
            gift_wrap: true,
            gift_message: Some("Happy birthday!".into()),
            invoice: Some(InvoiceDraft {
                title: "Acme Trading Co.".into(),
                tax_id: Some("91310000mA1k2b3c4d".into()),
                delivery: InvoiceDelivery::InParcel,
            }),
        }
    }

    #[test]
    fn a_valid_order_is_normalized_and_priced() {
        let mut d = draft();
        d.lines[0].sku = " TEA-1 ".into();
        d.coupon_codes = vec!["save10".into(), " five ".into()];
        d.special_requests = Some(requests());
        // 2 × 59.90 + 19.90 = 139.70; −10 % = 125.73 (13.97 off); −5 = 120.73; free shipping.
        d.expected_total = Some("120.73".into());
        let order = validate(&d).unwrap();
        assert_eq!(order.idempotency_key, "shop-42:order.1001");
        assert_eq!(order.customer.email.as_str(), "meimei@example.com");
        assert_eq!(order.customer.phone.as_deref(), Some("+8613912345678"));
        assert_eq!(order.shipping_address.phone, "+8613912345678");
        assert_eq!(order.quote.subtotal, cny("139.70"));
        assert_eq!(order.quote.discount, cny("18.97"));
        assert_eq!(order.quote.shipping, cny("0"));
        assert_eq!(order.quote.total, cny("120.73"));
        assert_eq!(order.quote.lines[0].sku, "TEA-1");
        assert_eq!(order.coupon_codes, ["SAVE10", "FIVE"]);
        let invoice = order.special_requests.invoice.as_ref().unwrap();
        assert_eq!(invoice.tax_id.as_deref(), Some("91310000MA1K2B3C4D"));
        assert!(order.special_requests.gift_wrap);
        assert!(order.tags.is_empty());
        assert_eq!(order.payment_method, PaymentMethod::Prepaid);
    }

    #[test]
    fn an_order_without_special_requests_has_empty_ones() {
        let order = validate(&draft()).unwrap();
        assert!(order.special_requests.is_empty());
        assert_eq!(order.quote.total, cny("139.70"));
    }

    type Mutation = fn(&mut OrderDraft);

    #[test]
    fn each_kind_of_bad_input_is_reported_at_its_path_with_its_code() {
        #[rustfmt::skip]
        let cases: &[(&str, Mutation, &str, &str)] = &[
            ("blank key", |d| d.idempotency_key = "".into(), "idempotencyKey", "REQUIRED"),
            ("long key", |d| d.idempotency_key = "k".repeat(65), "idempotencyKey", "TOO_LONG"),
            ("key with space", |d| d.idempotency_key = "a b".into(), "idempotencyKey", "INVALID_IDEMPOTENCY_KEY"),
            ("no name", |d| d.customer.name = " ".into(), "customer.name", "REQUIRED"),
            ("long name", |d| d.customer.name = "n".repeat(101), "customer.name", "TOO_LONG"),
            ("bad email", |d| d.customer.email = "meimei@".into(), "customer.email", "INVALID_EMAIL"),
            ("bad customer phone", |d| d.customer.phone = Some("1234".into()), "customer.phone", "INVALID_PHONE"),
            ("no recipient", |d| d.shipping_address.recipient = "".into(), "shippingAddress.recipient", "REQUIRED"),
            ("bad address phone", |d| d.shipping_address.phone = "021".into(), "shippingAddress.phone", "INVALID_PHONE"),
            ("bad country", |d| d.shipping_address.country = "ZZ".into(), "shippingAddress.country", "INVALID_COUNTRY"),
            ("no province", |d| d.shipping_address.region = "".into(), "shippingAddress.region", "REQUIRED"),
            ("no city", |d| d.shipping_address.city = " ".into(), "shippingAddress.city", "REQUIRED"),
            ("long line1", |d| d.shipping_address.line1 = "路".repeat(201), "shippingAddress.line1", "TOO_LONG"),
            (
                "bad postcode",
                |d| d.shipping_address.postal_code = Some("2001".into()),
                "shippingAddress.postalCode",
                "INVALID_POSTAL_CODE",
            ),
            ("no postcode", |d| d.shipping_address.postal_code = None, "shippingAddress.postalCode", "REQUIRED"),
            ("no lines", |d| d.lines.clear(), "lines", "REQUIRED"),
            ("unknown sku", |d| d.lines[1].sku = "NOPE".into(), "lines[1].sku", "UNKNOWN_SKU"),
            ("blank sku", |d| d.lines[1].sku = " ".into(), "lines[1].sku", "REQUIRED"),
            ("inactive sku", |d| d.lines[1].sku = "OLD-1".into(), "lines[1].sku", "INACTIVE_SKU"),
            ("duplicate sku", |d| d.lines[1].sku = "TEA-1".into(), "lines[1].sku", "DUPLICATE_SKU"),
            ("other currency", |d| d.lines[1].sku = "USD-1".into(), "lines[1].sku", "CURRENCY_MISMATCH"),
            ("zero quantity", |d| d.lines[0].quantity = 0, "lines[0].quantity", "MUST_BE_POSITIVE"),
            ("negative quantity", |d| d.lines[0].quantity = -3, "lines[0].quantity", "MUST_BE_POSITIVE"),
            ("huge quantity", |d| d.lines[0].quantity = 10_000, "lines[0].quantity", "TOO_LARGE"),
            ("unknown coupon", |d| d.coupon_codes = vec!["FREE".into()], "couponCodes[0]", "UNKNOWN_COUPON"),
            ("blank coupon", |d| d.coupon_codes = vec!["".into()], "couponCodes[0]", "REQUIRED"),
            (
                "same coupon twice",
                |d| d.coupon_codes = vec!["SAVE10".into(), "save10".into()],
                "couponCodes[1]",
                "DUPLICATE_COUPON",
            ),
            ("expired coupon", |d| d.coupon_codes = vec!["winter".into()], "couponCodes[0]", "COUPON_EXPIRED"),
            ("coupon minimum", |d| d.coupon_codes = vec!["BIG500".into()], "couponCodes[0]", "COUPON_MINIMUM_NOT_MET"),
            ("coupon used up", |d| d.coupon_codes = vec!["ONCE".into()], "couponCodes[0]", "COUPON_LIMIT_REACHED"),
            (
                "window in the past",
                |d| {
                    let mut r = requests();
                    r.delivery_window = Some(DeliveryWindow {
                        from: now() - Duration::hours(1),
                        to: now() + Duration::hours(1),
                    });
                    d.special_requests = Some(r);
                },
                "specialRequests.deliveryWindow.from",
                "INVALID_DELIVERY_WINDOW",
            ),
            (
                "window ends before it starts",
                |d| {
                    let mut r = requests();
                    r.delivery_window = Some(DeliveryWindow {
                        from: now() + Duration::days(1),
                        to: now() + Duration::days(1),
                    });
                    d.special_requests = Some(r);
                },
                "specialRequests.deliveryWindow.to",
                "INVALID_DELIVERY_WINDOW",
            ),
            (
                "long gift message",
                |d| {
                    let mut r = requests();
                    r.gift_message = Some("♥".repeat(201));
                    d.special_requests = Some(r);
                },
                "specialRequests.giftMessage",
                "TOO_LONG",
            ),
            (
                "invoice without title",
                |d| {
                    let mut r = requests();
                    r.invoice.as_mut().unwrap().title = " ".into();
                    d.special_requests = Some(r);
                },
                "specialRequests.invoice.title",
                "REQUIRED",
            ),
            (
                "short tax id",
                |d| {
                    let mut r = requests();
                    r.invoice.as_mut().unwrap().tax_id = Some("12345".into());
                    d.special_requests = Some(r);
                },
                "specialRequests.invoice.taxId",
                "INVALID_TAX_ID",
            ),
            (
                "tax id with symbols",
                |d| {
                    let mut r = requests();
                    r.invoice.as_mut().unwrap().tax_id = Some("91310000-MA1K2B3C4".into());
                    d.special_requests = Some(r);
                },
                "specialRequests.invoice.taxId",
                "INVALID_TAX_ID",
            ),
            ("wrong total", |d| d.expected_total = Some("139.69".into()), "expectedTotal", "TOTAL_MISMATCH"),
            ("total with too many decimals", |d| d.expected_total = Some("139.701".into()), "expectedTotal", "INVALID_AMOUNT"),
            ("malformed total", |d| d.expected_total = Some("139,70".into()), "expectedTotal", "INVALID_AMOUNT"),
            ("negative total", |d| d.expected_total = Some("-1".into()), "expectedTotal", "INVALID_AMOUNT"),
        ];
        for (name, mutate, path, code) in cases {
            let mut d = draft();
            mutate(&mut d);
            assert_eq!(
                problems(&d),
                vec![(path.to_string(), code.to_string())],
                "{name}"
            );
        }
        assert!(cases.len() >= 20);
    }

    #[test]
    fn more_than_a_hundred_lines_are_too_many() {
        let mut products = catalogue();
        let mut d = draft();
        d.lines = (0..=MAX_LINES)
            .map(|i| {
                let p = product(&format!("SKU-{i}"), "1.00");
                products.insert(p.sku.clone(), p);
                LineDraft {
                    sku: format!("SKU-{i}"),
                    quantity: 1,
                }
            })
            .collect();
        let problems = validate_order(&d, &products, &coupons(), &policy(), now()).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            (problems[0].path.as_str(), problems[0].code.as_str()),
            ("lines", "TOO_MANY")
        );
        d.lines.pop();
        assert!(validate_order(&d, &products, &coupons(), &policy(), now()).is_ok());
    }

    #[test]
    fn an_expected_total_with_trailing_zeros_matches() {
        let mut d = draft();
        d.expected_total = Some(" 139.700 ".into());
        assert!(validate(&d).is_ok());
    }

    #[test]
    fn messages_carry_the_numbers() {
        let message = |mutate: Mutation| {
            let mut d = draft();
            mutate(&mut d);
            validate(&d).unwrap_err().remove(0).message
        };
        assert_eq!(
            message(|d| d.lines[0].quantity = 0),
            "must be at least 1 (got 0)"
        );
        assert_eq!(
            message(|d| d.lines[0].quantity = 12_000),
            "must be at most 9999 (got 12000)"
        );
        assert_eq!(
            message(|d| d.expected_total = Some("100".into())),
            "expected 100.00 CNY but the order totals 139.70 CNY"
        );
        assert_eq!(
            message(|d| d.coupon_codes = vec!["BIG500".into()]),
            "BIG500 needs an order of at least 500.00 CNY (got 139.70 CNY)"
        );
        assert_eq!(
            message(|d| d.lines[1].sku = "TEA-1".into()),
            "\"TEA-1\" is already on lines[0]; order the whole quantity on one line"
        );
        assert_eq!(
            message(|d| {
                d.lines = vec![
                    LineDraft {
                        sku: "A".into(),
                        quantity: 1
                    };
                    101
                ];
            })
            .as_str(),
            "an order may have at most 100 lines (got 101)"
        );
    }

    #[test]
    fn a_draft_with_many_problems_reports_them_all_at_once_in_input_order() {
        let d = OrderDraft {
            idempotency_key: "bad key!".into(),
            customer: CustomerDraft {
                name: "".into(),
                email: "not-an-email".into(),
                phone: Some("555".into()),
            },
            shipping_address: AddressDraft {
                recipient: "".into(),
                phone: "12".into(),
                country: "cn".into(),
                region: "".into(),
                city: "".into(),
                district: None,
                line1: "".into(),
                line2: None,
                postal_code: Some("ABC".into()),
            },
            payment_method: PaymentMethod::CashOnDelivery,
            lines: vec![
                LineDraft {
                    sku: "NOPE".into(),
                    quantity: 0,
                },
                LineDraft {
                    sku: "OLD-1".into(),
                    quantity: 1,
                },
                LineDraft {
                    sku: "TEA-1".into(),
                    quantity: 100_000,
                },
                LineDraft {
                    sku: "NOPE".into(),
                    quantity: 1,
                },
                LineDraft {
                    sku: "USD-1".into(),
                    quantity: -1,
                },
            ],
            coupon_codes: vec![
                "winter".into(),
                "GHOST".into(),
                "WINTER".into(),
                "once".into(),
            ],
            special_requests: Some(SpecialRequestsDraft {
                delivery_window: Some(DeliveryWindow {
                    from: now() - Duration::days(1),
                    to: now() - Duration::days(2),
                }),
                gift_wrap: false,
                gift_message: Some("x".repeat(300)),
                invoice: Some(InvoiceDraft {
                    title: "".into(),
                    tax_id: Some("?".into()),
                    delivery: InvoiceDelivery::Separate,
                }),
            }),
            expected_total: Some("abc".into()),
            tags: vec!["vip".into(), "Hot Deal!".into()],
        };
        let expected = [
            ("idempotencyKey", "INVALID_IDEMPOTENCY_KEY"),
            ("customer.name", "REQUIRED"),
            ("customer.email", "INVALID_EMAIL"),
            ("customer.phone", "INVALID_PHONE"),
            ("shippingAddress.recipient", "REQUIRED"),
            ("shippingAddress.phone", "INVALID_PHONE"),
            ("shippingAddress.region", "REQUIRED"),
            ("shippingAddress.city", "REQUIRED"),
            ("shippingAddress.line1", "REQUIRED"),
            ("shippingAddress.postalCode", "INVALID_POSTAL_CODE"),
            ("lines[0].sku", "UNKNOWN_SKU"),
            ("lines[0].quantity", "MUST_BE_POSITIVE"),
            ("lines[1].sku", "INACTIVE_SKU"),
            ("lines[2].quantity", "TOO_LARGE"),
            ("lines[3].sku", "DUPLICATE_SKU"),
            ("lines[4].sku", "CURRENCY_MISMATCH"),
            ("lines[4].quantity", "MUST_BE_POSITIVE"),
            ("couponCodes[0]", "COUPON_EXPIRED"),
            ("couponCodes[1]", "UNKNOWN_COUPON"),
            ("couponCodes[2]", "DUPLICATE_COUPON"),
            ("couponCodes[3]", "COUPON_LIMIT_REACHED"),
            (
                "specialRequests.deliveryWindow.from",
                "INVALID_DELIVERY_WINDOW",
            ),
            (
                "specialRequests.deliveryWindow.to",
                "INVALID_DELIVERY_WINDOW",
            ),
            ("specialRequests.giftMessage", "TOO_LONG"),
            ("specialRequests.invoice.title", "REQUIRED"),
            ("specialRequests.invoice.taxId", "INVALID_TAX_ID"),
            ("tags[1]", "INVALID_TAG"),
            ("expectedTotal", "INVALID_AMOUNT"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect();
        assert_eq!(problems(&d), expected);
    }

    #[test]
    fn coupon_problems_stay_in_coupon_order_when_the_order_can_be_priced() {
        let mut d = draft();
        d.coupon_codes = vec![
            "BIG500".into(),
            "GHOST".into(),
            "WINTER".into(),
            "SAVE10".into(),
        ];
        d.expected_total = Some("1".into());
        assert_eq!(
            problems(&d),
            vec![
                (
                    "couponCodes[0]".to_string(),
                    "COUPON_MINIMUM_NOT_MET".to_string()
                ),
                ("couponCodes[1]".to_string(), "UNKNOWN_COUPON".to_string()),
                ("couponCodes[2]".to_string(), "COUPON_EXPIRED".to_string()),
            ],
            "no total mismatch is claimed for an order that cannot be priced"
        );
    }

    #[test]
    fn a_national_phone_is_not_judged_when_the_country_is_unknown() {
        let mut d = draft();
        d.shipping_address.country = "XX".into();
        assert_eq!(
            problems(&d),
            vec![(
                "shippingAddress.country".to_string(),
                "INVALID_COUNTRY".to_string()
            )]
        );
    }

    #[test]
    fn a_us_order_reads_phones_in_the_us() {
        let mut d = draft();
        d.customer.phone = Some("(650) 253-0000".into());
        d.shipping_address = AddressDraft {
            recipient: "Jane Roe".into(),
            phone: "650 253 0000".into(),
            country: "us".into(),
            region: "ca".into(),
            city: "Mountain View".into(),
            district: None,
            line1: "1600 Amphitheatre Pkwy".into(),
            line2: None,
            postal_code: Some("94043".into()),
        };
        let order = validate(&d).unwrap();
        assert_eq!(order.customer.phone.as_deref(), Some("+16502530000"));
        assert_eq!(order.shipping_address.region.as_deref(), Some("CA"));
        assert_eq!(order.shipping_address.country, "US");
    }
}
