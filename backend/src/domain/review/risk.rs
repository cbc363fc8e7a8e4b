//! The risk engine (SPEC §2.2): configurable rules, each a signal with a weight; the sum of the
//! weights of the rules an order triggers is its score, and two thresholds turn the score into
//! approve, hold or reject.
//!
//! Rules are stored as JSON and edited by reviewers, so they are data, not code: a rule names
//! its kind and numbers, [`validate_rule`] checks them before they are saved, and the engine
//! never fails on a rule it cannot read (it simply does not trigger). What a rule needs counted
//! from history (orders to this address in the last 10 minutes…) it asks for as a [`FactQuery`];
//! the service answers those queries and the engine stays pure.

use std::collections::HashMap;

use orderly_shared::{FieldProblem, HoldReasonCode};
use serde::{Deserialize, Serialize};

use super::special::plural;
use crate::domain::money::{Currency, Money, parse_decimal};
use crate::domain::orders::HoldReason;

/// Highest weight a rule may carry.
pub const MAX_WEIGHT: u32 = 1000;
/// Longest velocity window, in minutes (366 days).
pub const MAX_WINDOW_MINUTES: u32 = 366 * 24 * 60;
/// Longest coupon window, in days.
pub const MAX_WINDOW_DAYS: u32 = 366;
/// Longest rule id.
pub const MAX_RULE_ID_CHARS: usize = 64;

/// One configured risk rule, stored as JSON, e.g.
/// `{"id":"address-velocity","kind":{"kind":"ADDRESS_VELOCITY","limit":3,"windowMinutes":10},"weight":50,"enabled":true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskRule {
    /// Stable id, e.g. `address-velocity`: signals name the rule that raised them.
    pub id: String,
    /// What the rule looks at, with its numbers.
    pub kind: RiskRuleKind,
    /// Added to the score when the rule triggers, 0 to [`MAX_WEIGHT`]; 0 observes only.
    pub weight: u32,
    /// Disabled rules are kept but never evaluated.
    pub enabled: bool,
}

/// What a rule looks at. Counts include the order under review, so "above the limit" means this
/// order is one too many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "SCREAMING_SNAKE_CASE",
    rename_all_fields = "camelCase"
)]
pub enum RiskRuleKind {
    /// More than `limit` orders to the same normalized address within the window.
    AddressVelocity {
        /// Most orders allowed in the window.
        limit: u32,
        /// The window, in minutes back from now.
        window_minutes: u32,
    },
    /// More than `limit` orders from the same phone within the window.
    PhoneVelocity {
        /// Most orders allowed in the window.
        limit: u32,
        /// The window, in minutes back from now.
        window_minutes: u32,
    },
    /// One of the order's coupons used by more than `max_customers` distinct customers (e-mails)
    /// sharing this order's address or phone — one person farming a welcome coupon.
    CouponSharedIdentity {
        /// Most distinct customers allowed, this one included.
        max_customers: u32,
        /// The window, in days back from now.
        window_days: u32,
    },
    /// One of the order's coupons used more than `limit` times by this address or phone,
    /// whatever the e-mail — the per-customer limit dodged with new accounts.
    CouponPerIdentity {
        /// Most uses allowed, this order included.
        limit: u32,
        /// The window, in days back from now.
        window_days: u32,
    },
    /// An order total at or above `amount` (orders in another currency are not compared).
    HighValue {
        /// Decimal string, e.g. `5000.00`.
        amount: String,
        /// ISO 4217, e.g. `CNY`.
        currency: String,
    },
    /// The customer's first order (no earlier order by e-mail or phone) with a total at or above
    /// `amount`.
    FirstOrderHighValue {
        /// Decimal string, e.g. `2000.00`.
        amount: String,
        /// ISO 4217, e.g. `CNY`.
        currency: String,
    },
    /// A cash-on-delivery order with a total above `amount`.
    CodLimit {
        /// Decimal string, e.g. `2000.00`.
        amount: String,
        /// ISO 4217, e.g. `CNY`.
        currency: String,
    },
    /// The phone, e-mail or address key is on the blocklist.
    Blocklisted,
}

/// What the engine needs counted from history; the service answers each query for the order
/// under review (see [`Facts`]). Windows end now; counts include the order under review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FactQuery {
    /// Orders to the order's [`address_key`](super::address_key) within the window.
    OrdersToAddress {
        /// Minutes back from now.
        window_minutes: u32,
    },
    /// Orders from the order's [`phone_key`](super::phone_key) within the window.
    OrdersFromPhone {
        /// Minutes back from now.
        window_minutes: u32,
    },
    /// Per coupon of the order: distinct customer e-mails, among orders sharing this order's
    /// address key or phone, that used the coupon within the window.
    CustomersSharingIdentityOnCoupon {
        /// Days back from now.
        window_days: u32,
    },
    /// Per coupon of the order: orders to this address key or from this phone that used the
    /// coupon within the window, whatever the e-mail.
    CouponUsesByIdentity {
        /// Days back from now.
        window_days: u32,
    },
    /// Orders of this customer (same e-mail or phone) placed before this one.
    EarlierOrdersOfCustomer,
    /// Blocklist entries matching the phone, e-mail or address key, as
    /// [`Facts::blocklist_hits`] sentences rather than a count.
    BlocklistHits,
}

impl FactQuery {
    /// Whether the query is answered once per coupon code of the order
    /// ([`Facts::set_for_coupon`]) rather than once ([`Facts::set`]).
    pub fn per_coupon(self) -> bool {
        matches!(
            self,
            FactQuery::CustomersSharingIdentityOnCoupon { .. }
                | FactQuery::CouponUsesByIdentity { .. }
        )
    }
}

impl RiskRuleKind {
    /// The history this kind of rule needs counted, if any.
    pub fn needs(&self) -> Option<FactQuery> {
        match *self {
            RiskRuleKind::AddressVelocity { window_minutes, .. } => {
                Some(FactQuery::OrdersToAddress { window_minutes })
            }
            RiskRuleKind::PhoneVelocity { window_minutes, .. } => {
                Some(FactQuery::OrdersFromPhone { window_minutes })
            }
            RiskRuleKind::CouponSharedIdentity { window_days, .. } => {
                Some(FactQuery::CustomersSharingIdentityOnCoupon { window_days })
            }
            RiskRuleKind::CouponPerIdentity { window_days, .. } => {
                Some(FactQuery::CouponUsesByIdentity { window_days })
            }
            RiskRuleKind::FirstOrderHighValue { .. } => Some(FactQuery::EarlierOrdersOfCustomer),
            RiskRuleKind::Blocklisted => Some(FactQuery::BlocklistHits),
            RiskRuleKind::HighValue { .. } | RiskRuleKind::CodLimit { .. } => None,
        }
    }
}

/// Every query the enabled rules need, each once, in rule order: what the service must answer
/// before calling [`assess`].
pub fn needed_facts(rules: &[RiskRule]) -> Vec<FactQuery> {
    let mut queries = Vec::new();
    for query in rules
        .iter()
        .filter(|rule| rule.enabled)
        .filter_map(|rule| rule.kind.needs())
    {
        if !queries.contains(&query) {
            queries.push(query);
        }
    }
    queries
}

/// The service's answers to the [`FactQuery`]s. A query left unanswered counts as 0, so a missing
/// fact never triggers a count rule (but does make an order look like a first order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    counts: HashMap<FactQuery, u64>,
    coupon_counts: HashMap<(FactQuery, String), u64>,
    /// One sentence per blocklist entry the order matches, e.g.
    /// `phone +8613800138000 is blocklisted: chargeback 2026-10`.
    pub blocklist_hits: Vec<String>,
}

impl Facts {
    /// No facts: every count 0, no blocklist hits.
    pub fn new() -> Facts {
        Facts::default()
    }

    /// Answers `query` with `count`. Per-coupon queries ([`FactQuery::per_coupon`]) are
    /// answered with [`Facts::set_for_coupon`]; a plain answer to one is never read.
    pub fn set(&mut self, query: FactQuery, count: u64) {
        self.counts.insert(query, count);
    }

    /// [`Facts::set`], by value.
    pub fn with(mut self, query: FactQuery, count: u64) -> Facts {
        self.set(query, count);
        self
    }

    /// Answers a per-coupon `query` for `coupon` (any case) with `count`.
    pub fn set_for_coupon(&mut self, query: FactQuery, coupon: &str, count: u64) {
        self.coupon_counts
            .insert((query, coupon.trim().to_uppercase()), count);
    }

    /// [`Facts::set_for_coupon`], by value.
    pub fn with_coupon(mut self, query: FactQuery, coupon: &str, count: u64) -> Facts {
        self.set_for_coupon(query, coupon, count);
        self
    }

    /// The answer to `query`; 0 when unanswered.
    pub fn count(&self, query: FactQuery) -> u64 {
        self.counts.get(&query).copied().unwrap_or(0)
    }

    /// The answer to a per-coupon `query` for `coupon` (any case); 0 when unanswered.
    pub fn coupon_count(&self, query: FactQuery, coupon: &str) -> u64 {
        self.coupon_counts
            .get(&(query, coupon.trim().to_uppercase()))
            .copied()
            .unwrap_or(0)
    }
}

/// What the engine needs to know about the order itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskOrder {
    /// The order total.
    pub total: Money,
    /// Paid in cash on delivery.
    pub cash_on_delivery: bool,
    /// The coupons applied (upper-case).
    pub coupon_codes: Vec<String>,
    /// The contact phone, E.164, as named in phone-velocity signals.
    pub phone: String,
}

/// The two score thresholds: at `hold_at` a person reviews the order, at `reject_at` it is
/// rejected outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RiskThresholds {
    /// Lowest score that holds the order, at least 1.
    pub hold_at: u32,
    /// Lowest score that rejects the order, above `hold_at`.
    pub reject_at: u32,
}

/// Hold at 50, reject at 100.
impl Default for RiskThresholds {
    fn default() -> RiskThresholds {
        RiskThresholds {
            hold_at: 50,
            reject_at: 100,
        }
    }
}

impl RiskThresholds {
    /// `1 ≤ hold_at < reject_at`, with paths `holdAt` and `rejectAt`.
    pub fn validate(&self) -> Result<(), Vec<FieldProblem>> {
        let mut problems = Vec::new();
        if self.hold_at == 0 {
            problems.push(FieldProblem::new(
                "holdAt",
                "MUST_BE_POSITIVE",
                "must be at least 1 (got 0)",
            ));
        }
        if self.reject_at <= self.hold_at {
            problems.push(FieldProblem::new(
                "rejectAt",
                "OUT_OF_RANGE",
                format!(
                    "must be above holdAt ({}) (got {})",
                    self.hold_at, self.reject_at
                ),
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }
}

/// One triggered rule: why the order looks risky, with the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signal {
    /// The rule that triggered.
    pub rule_id: String,
    /// The hold-reason code reviewers filter by.
    pub code: HoldReasonCode,
    /// The rule's weight, added to the score.
    pub weight: u32,
    /// A sentence with the numbers, e.g. `7 orders to this address in 10 min, limit 3`.
    pub message: String,
}

impl Signal {
    /// The signal as a reason on the order.
    pub fn to_hold_reason(&self) -> HoldReason {
        HoldReason::new(self.code, self.message.clone())
    }
}

/// What the score means for the order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RiskVerdict {
    /// Below the hold threshold.
    Approve,
    /// At or above the hold threshold, below the reject threshold.
    Hold,
    /// At or above the reject threshold.
    Reject,
}

/// The engine's finding for one order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    /// The sum of the triggered rules' weights (saturating).
    pub score: u32,
    /// Every triggered rule, in rule order, weight 0 included.
    pub signals: Vec<Signal>,
    /// What the score means against the thresholds.
    pub verdict: RiskVerdict,
}

/// Runs the enabled `rules` over `order` with the service's `facts`.
///
/// The verdict is [`RiskVerdict::Reject`] at or above `reject_at`, [`RiskVerdict::Hold`] at or
/// above `hold_at`, else [`RiskVerdict::Approve`] — and always Approve without a signal, so no
/// order is ever held or rejected without a reason, whatever the thresholds.
pub fn assess(
    rules: &[RiskRule],
    order: &RiskOrder,
    facts: &Facts,
    thresholds: &RiskThresholds,
) -> Assessment {
    let signals: Vec<Signal> = rules
        .iter()
        .filter(|rule| rule.enabled)
        .filter_map(|rule| {
            let (code, message) = evaluate(&rule.kind, order, facts)?;
            Some(Signal {
                rule_id: rule.id.clone(),
                code,
                weight: rule.weight,
                message,
            })
        })
        .collect();
    let score = signals
        .iter()
        .fold(0u32, |score, signal| score.saturating_add(signal.weight));
    let verdict = if signals.is_empty() {
        RiskVerdict::Approve
    } else if score >= thresholds.reject_at {
        RiskVerdict::Reject
    } else if score >= thresholds.hold_at {
        RiskVerdict::Hold
    } else {
        RiskVerdict::Approve
    };
    Assessment {
        score,
        signals,
        verdict,
    }
}

/// The code and message of `kind` when it triggers for `order`.
fn evaluate(
    kind: &RiskRuleKind,
    order: &RiskOrder,
    facts: &Facts,
) -> Option<(HoldReasonCode, String)> {
    let query = kind.needs();
    let count = || query.map_or(0, |query| facts.count(query));
    match kind {
        RiskRuleKind::AddressVelocity {
            limit,
            window_minutes,
        } => {
            let count = count();
            (count > u64::from(*limit)).then(|| {
                (
                    HoldReasonCode::RiskVelocityAddress,
                    format!(
                        "{} to this address in {window_minutes} min, limit {limit}",
                        plural(count, "order")
                    ),
                )
            })
        }
        RiskRuleKind::PhoneVelocity {
            limit,
            window_minutes,
        } => {
            let count = count();
            (count > u64::from(*limit)).then(|| {
                (
                    HoldReasonCode::RiskVelocityPhone,
                    format!(
                        "{} from phone {} in {window_minutes} min, limit {limit}",
                        plural(count, "order"),
                        order.phone
                    ),
                )
            })
        }
        RiskRuleKind::CouponSharedIdentity {
            max_customers,
            window_days,
        } => {
            let (coupon, count) = worst_coupon(query?, order, facts)?;
            (count > u64::from(*max_customers)).then(|| {
                (
                    HoldReasonCode::RiskCouponAbuse,
                    format!(
                        "coupon {coupon} used by {} sharing this address or phone in {}, limit {max_customers}",
                        plural(count, "customer"),
                        plural(u64::from(*window_days), "day")
                    ),
                )
            })
        }
        RiskRuleKind::CouponPerIdentity { limit, window_days } => {
            let (coupon, count) = worst_coupon(query?, order, facts)?;
            (count > u64::from(*limit)).then(|| {
                (
                    HoldReasonCode::RiskCouponAbuse,
                    format!(
                        "coupon {coupon} used {} from this address or phone in {}, limit {limit}",
                        plural(count, "time"),
                        plural(u64::from(*window_days), "day")
                    ),
                )
            })
        }
        RiskRuleKind::HighValue { amount, currency } => {
            let threshold = threshold(amount, currency, order)?;
            (order.total >= threshold).then(|| {
                (
                    HoldReasonCode::RiskHighValue,
                    format!(
                        "order total {} is at or above the {threshold} review threshold",
                        order.total
                    ),
                )
            })
        }
        RiskRuleKind::FirstOrderHighValue { amount, currency } => {
            let threshold = threshold(amount, currency, order)?;
            (count() == 0 && order.total >= threshold).then(|| {
                (
                    HoldReasonCode::RiskFirstOrderHighValue,
                    format!(
                        "first order of this customer, {}, at or above {threshold}",
                        order.total
                    ),
                )
            })
        }
        RiskRuleKind::CodLimit { amount, currency } => {
            let threshold = threshold(amount, currency, order)?;
            (order.cash_on_delivery && order.total > threshold).then(|| {
                (
                    HoldReasonCode::RiskCodLimit,
                    format!(
                        "cash-on-delivery order of {} is above the {threshold} limit",
                        order.total
                    ),
                )
            })
        }
        RiskRuleKind::Blocklisted => (!facts.blocklist_hits.is_empty()).then(|| {
            (
                HoldReasonCode::RiskBlocklisted,
                facts.blocklist_hits.join("; "),
            )
        }),
    }
}

/// The order's coupon with the highest count for `query` (the first among equals), if the order
/// has coupons.
fn worst_coupon<'a>(
    query: FactQuery,
    order: &'a RiskOrder,
    facts: &Facts,
) -> Option<(&'a str, u64)> {
    order
        .coupon_codes
        .iter()
        .map(|code| (code.as_str(), facts.coupon_count(query, code)))
        .fold(None, |worst, (code, count)| match worst {
            Some((_, most)) if most >= count => worst,
            _ => Some((code, count)),
        })
}

/// A rule's amount, when it is readable and in the order's currency: amounts in other currencies
/// are not compared (there is no exchange rate in a risk rule).
fn threshold(amount: &str, currency: &str, order: &RiskOrder) -> Option<Money> {
    let currency = Currency::parse(&currency.trim().to_ascii_uppercase()).ok()?;
    let threshold = Money::parse(amount, currency).ok()?;
    (currency == order.total.currency()).then_some(threshold)
}

/// Checks a rule as a reviewer entered it and returns it normalized (id trimmed, currency
/// upper-case, amount with the currency's decimals), or every problem at once.
///
/// Paths: `id`, `weight`, `kind.limit`, `kind.maxCustomers`, `kind.windowMinutes`,
/// `kind.windowDays`, `kind.amount`, `kind.currency`. Codes: `REQUIRED`, `INVALID_ID`,
/// `OUT_OF_RANGE`, `MUST_BE_POSITIVE`, `TOO_LARGE`, `INVALID_AMOUNT`, `INVALID_CURRENCY`.
pub fn validate_rule(rule: RiskRule) -> Result<RiskRule, Vec<FieldProblem>> {
    let mut problems = Vec::new();

    let id = rule.id.trim().to_string();
    let id_chars = id.chars().count();
    if id.is_empty() {
        problems.push(FieldProblem::new("id", "REQUIRED", "is required"));
    } else if id_chars > MAX_RULE_ID_CHARS
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        problems.push(FieldProblem::new(
            "id",
            "INVALID_ID",
            format!("must be 1 to {MAX_RULE_ID_CHARS} letters, digits, '-' or '_' (got {id:?})"),
        ));
    }

    if rule.weight > MAX_WEIGHT {
        problems.push(FieldProblem::new(
            "weight",
            "OUT_OF_RANGE",
            format!("must be 0 to {MAX_WEIGHT} (got {})", rule.weight),
        ));
    }

    let kind = match rule.kind {
        RiskRuleKind::AddressVelocity {
            limit,
            window_minutes,
        } => {
            at_least_one("kind.limit", limit, &mut problems);
            window(
                "kind.windowMinutes",
                window_minutes,
                MAX_WINDOW_MINUTES,
                "minutes",
                &mut problems,
            );
            RiskRuleKind::AddressVelocity {
                limit,
                window_minutes,
            }
        }
        RiskRuleKind::PhoneVelocity {
            limit,
            window_minutes,
        } => {
            at_least_one("kind.limit", limit, &mut problems);
            window(
                "kind.windowMinutes",
                window_minutes,
                MAX_WINDOW_MINUTES,
                "minutes",
                &mut problems,
            );
            RiskRuleKind::PhoneVelocity {
                limit,
                window_minutes,
            }
        }
        RiskRuleKind::CouponSharedIdentity {
            max_customers,
            window_days,
        } => {
            at_least_one("kind.maxCustomers", max_customers, &mut problems);
            window(
                "kind.windowDays",
                window_days,
                MAX_WINDOW_DAYS,
                "days",
                &mut problems,
            );
            RiskRuleKind::CouponSharedIdentity {
                max_customers,
                window_days,
            }
        }
        RiskRuleKind::CouponPerIdentity { limit, window_days } => {
            at_least_one("kind.limit", limit, &mut problems);
            window(
                "kind.windowDays",
                window_days,
                MAX_WINDOW_DAYS,
                "days",
                &mut problems,
            );
            RiskRuleKind::CouponPerIdentity { limit, window_days }
        }
        RiskRuleKind::HighValue { amount, currency } => {
            let (amount, currency) = money_fields(amount, currency, &mut problems);
            RiskRuleKind::HighValue { amount, currency }
        }
        RiskRuleKind::FirstOrderHighValue { amount, currency } => {
            let (amount, currency) = money_fields(amount, currency, &mut problems);
            RiskRuleKind::FirstOrderHighValue { amount, currency }
        }
        RiskRuleKind::CodLimit { amount, currency } => {
            let (amount, currency) = money_fields(amount, currency, &mut problems);
            RiskRuleKind::CodLimit { amount, currency }
        }
        RiskRuleKind::Blocklisted => RiskRuleKind::Blocklisted,
    };

    if problems.is_empty() {
        Ok(RiskRule {
            id,
            kind,
            weight: rule.weight,
            enabled: rule.enabled,
        })
    } else {
        Err(problems)
    }
}

fn at_least_one(path: &str, value: u32, problems: &mut Vec<FieldProblem>) {
    if value == 0 {
        problems.push(FieldProblem::new(
            path,
            "MUST_BE_POSITIVE",
            "must be at least 1 (got 0)",
        ));
    }
}

fn window(path: &str, value: u32, max: u32, unit: &str, problems: &mut Vec<FieldProblem>) {
    if value == 0 {
        at_least_one(path, value, problems);
    } else if value > max {
        problems.push(FieldProblem::new(
            path,
            "TOO_LARGE",
            format!("must be at most {max} {unit} (got {value})"),
        ));
    }
}

/// The amount and currency of a money rule, normalized when valid (`5000` CNY → `5000.00`).
fn money_fields(
    amount: String,
    currency: String,
    problems: &mut Vec<FieldProblem>,
) -> (String, String) {
    let code = currency.trim().to_ascii_uppercase();
    let parsed_currency = Currency::parse(&code)
        .map_err(|error| {
            problems.push(FieldProblem::new(
                "kind.currency",
                "INVALID_CURRENCY",
                error.to_string(),
            ));
        })
        .ok();
    match parsed_currency {
        Some(currency) => match Money::parse(&amount, currency) {
            Ok(money) => (money.amount().to_string(), currency.code().to_string()),
            Err(error) => {
                problems.push(FieldProblem::new(
                    "kind.amount",
                    "INVALID_AMOUNT",
                    error.to_string(),
                ));
                (amount, code)
            }
        },
        // Without a currency the decimals cannot be judged, only the shape and the sign.
        None => {
            match parse_decimal(&amount) {
                Ok(value) if value.is_sign_negative() && !value.is_zero() => {
                    problems.push(FieldProblem::new(
                        "kind.amount",
                        "INVALID_AMOUNT",
                        format!("must not be negative (got {})", amount.trim()),
                    ));
                }
                Ok(_) => {}
                Err(error) => problems.push(FieldProblem::new(
                    "kind.amount",
                    "INVALID_AMOUNT",
                    error.to_string(),
                )),
            }
            (amount, code)
        }
    }
}

/// A starting rule set for a merchant selling in CNY, used for new installs and demo data, with
/// the default thresholds (hold at 50, reject at 100) in mind:
///
/// | id | triggers on | weight |
/// |---|---|---|
/// | `address-velocity` | more than 3 orders to one address in 60 min | 50 (hold) |
/// | `phone-velocity` | more than 3 orders from one phone in 60 min | 30 |
/// | `coupon-shared-identity` | a coupon used by more than 1 customer sharing address or phone in 30 days | 60 (hold) |
/// | `coupon-per-identity` | a coupon used more than once by one address or phone in 30 days | 50 (hold) |
/// | `high-value` | a total of 5000.00 CNY or more | 50 (hold) |
/// | `first-order-high-value` | a first order of 2000.00 CNY or more | 30 |
/// | `cod-limit` | cash on delivery above 2000.00 CNY | 50 (hold) |
/// | `blocklisted` | a blocklisted phone, e-mail or address | 100 (reject) |
///
/// Signals of weight 30 hold only together with another, so a large first order alone passes but
/// a large first order paid in cash on delivery is held.
pub fn default_rules() -> Vec<RiskRule> {
    let rule = |id: &str, kind: RiskRuleKind, weight: u32| RiskRule {
        id: id.to_string(),
        kind,
        weight,
        enabled: true,
    };
    vec![
        rule(
            "address-velocity",
            RiskRuleKind::AddressVelocity {
                limit: 3,
                window_minutes: 60,
            },
            50,
        ),
        rule(
            "phone-velocity",
            RiskRuleKind::PhoneVelocity {
                limit: 3,
                window_minutes: 60,
            },
            30,
        ),
        rule(
            "coupon-shared-identity",
            RiskRuleKind::CouponSharedIdentity {
                max_customers: 1,
                window_days: 30,
            },
            60,
        ),
        rule(
            "coupon-per-identity",
            RiskRuleKind::CouponPerIdentity {
                limit: 1,
                window_days: 30,
            },
            50,
        ),
        rule(
            "high-value",
            RiskRuleKind::HighValue {
                amount: "5000.00".into(),
                currency: "CNY".into(),
            },
            50,
        ),
        rule(
            "first-order-high-value",
            RiskRuleKind::FirstOrderHighValue {
                amount: "2000.00".into(),
                currency: "CNY".into(),
            },
            30,
        ),
        rule(
            "cod-limit",
            RiskRuleKind::CodLimit {
                amount: "2000.00".into(),
                currency: "CNY".into(),
            },
            50,
        ),
        rule("blocklisted", RiskRuleKind::Blocklisted, 100),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny(amount: &str) -> Money {
        Money::parse(amount, Currency::Cny).unwrap()
    }

    fn order(total: &str) -> RiskOrder {
        RiskOrder {
            total: cny(total),
            cash_on_delivery: false,
            coupon_codes: vec![],
            phone: "+8613800138000".into(),
        }
    }

    fn rule(id: &str, kind: RiskRuleKind, weight: u32) -> RiskRule {
        RiskRule {
            id: id.into(),
            kind,
            weight,
            enabled: true,
        }
    }

    fn money_kind(amount: &str, currency: &str) -> (String, String) {
        (amount.into(), currency.into())
    }

    fn high_value(amount: &str) -> RiskRuleKind {
        let (amount, currency) = money_kind(amount, "CNY");
        RiskRuleKind::HighValue { amount, currency }
    }

    fn first_order(amount: &str) -> RiskRuleKind {
        let (amount, currency) = money_kind(amount, "CNY");
        RiskRuleKind::FirstOrderHighValue { amount, currency }
    }

    fn cod_limit(amount: &str) -> RiskRuleKind {
        let (amount, currency) = money_kind(amount, "CNY");
        RiskRuleKind::CodLimit { amount, currency }
    }

    /// The messages of the signals `kind` raises (weight 10) for `order` with `facts`.
    fn messages(kind: RiskRuleKind, order: &RiskOrder, facts: &Facts) -> Vec<String> {
        let assessment = assess(
            &[rule("r", kind, 10)],
            order,
            facts,
            &RiskThresholds::default(),
        );
        assessment.signals.into_iter().map(|s| s.message).collect()
    }

    fn codes(assessment: &Assessment) -> Vec<HoldReasonCode> {
        assessment.signals.iter().map(|s| s.code).collect()
    }

    #[test]
    fn rule_kinds_read_and_write_the_documented_json() {
        #[rustfmt::skip]
        let table = [
            (
                RiskRuleKind::AddressVelocity { limit: 3, window_minutes: 10 },
                r#"{"kind":"ADDRESS_VELOCITY","limit":3,"windowMinutes":10}"#,
            ),
            (
                RiskRuleKind::PhoneVelocity { limit: 3, window_minutes: 60 },
                r#"{"kind":"PHONE_VELOCITY","limit":3,"windowMinutes":60}"#,
            ),
            (
                RiskRuleKind::CouponSharedIdentity { max_customers: 1, window_days: 30 },
                r#"{"kind":"COUPON_SHARED_IDENTITY","maxCustomers":1,"windowDays":30}"#,
            ),
            (
                RiskRuleKind::CouponPerIdentity { limit: 1, window_days: 30 },
                r#"{"kind":"COUPON_PER_IDENTITY","limit":1,"windowDays":30}"#,
            ),
            (high_value("5000.00"), r#"{"kind":"HIGH_VALUE","amount":"5000.00","currency":"CNY"}"#),
            (
                first_order("2000.00"),
                r#"{"kind":"FIRST_ORDER_HIGH_VALUE","amount":"2000.00","currency":"CNY"}"#,
            ),
            (cod_limit("2000.00"), r#"{"kind":"COD_LIMIT","amount":"2000.00","currency":"CNY"}"#),
            (RiskRuleKind::Blocklisted, r#"{"kind":"BLOCKLISTED"}"#),
        ];
        for (kind, json) in table {
            assert_eq!(serde_json::to_string(&kind).unwrap(), json);
            assert_eq!(serde_json::from_str::<RiskRuleKind>(json).unwrap(), kind);
        }
    }

    #[test]
    fn a_rule_is_stored_with_its_kind_nested() {
        let json = r#"{"id":"address-velocity","kind":{"kind":"ADDRESS_VELOCITY","limit":3,"windowMinutes":10},"weight":50,"enabled":true}"#;
        let parsed: RiskRule = serde_json::from_str(json).unwrap();
        assert_eq!(
            parsed,
            rule(
                "address-velocity",
                RiskRuleKind::AddressVelocity {
                    limit: 3,
                    window_minutes: 10
                },
                50
            )
        );
        assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
        assert!(
            serde_json::from_str::<RiskRuleKind>(r#"{"kind":"MOON_PHASE"}"#).is_err(),
            "unknown kinds are refused, not ignored"
        );
    }

    #[test]
    fn each_kind_asks_for_the_history_it_needs() {
        #[rustfmt::skip]
        let table = [
            (RiskRuleKind::AddressVelocity { limit: 3, window_minutes: 10 }, Some(FactQuery::OrdersToAddress { window_minutes: 10 })),
            (RiskRuleKind::PhoneVelocity { limit: 3, window_minutes: 60 }, Some(FactQuery::OrdersFromPhone { window_minutes: 60 })),
            (RiskRuleKind::CouponSharedIdentity { max_customers: 1, window_days: 30 }, Some(FactQuery::CustomersSharingIdentityOnCoupon { window_days: 30 })),
            (RiskRuleKind::CouponPerIdentity { limit: 1, window_days: 7 }, Some(FactQuery::CouponUsesByIdentity { window_days: 7 })),
            (high_value("1"), None),
            (first_order("1"), Some(FactQuery::EarlierOrdersOfCustomer)),
            (cod_limit("1"), None),
            (RiskRuleKind::Blocklisted, Some(FactQuery::BlocklistHits)),
        ];
        for (kind, query) in table {
            assert_eq!(kind.needs(), query, "{kind:?}");
            assert_eq!(
                query.is_some_and(FactQuery::per_coupon),
                matches!(
                    kind,
                    RiskRuleKind::CouponSharedIdentity { .. }
                        | RiskRuleKind::CouponPerIdentity { .. }
                ),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn the_needed_facts_are_distinct_in_rule_order_and_skip_disabled_rules() {
        let mut disabled = rule("phone", RiskRuleKind::Blocklisted, 10);
        disabled.enabled = false;
        let rules = vec![
            rule(
                "a",
                RiskRuleKind::AddressVelocity {
                    limit: 3,
                    window_minutes: 10,
                },
                10,
            ),
            rule("b", high_value("1"), 10),
            disabled,
            rule(
                "c",
                RiskRuleKind::AddressVelocity {
                    limit: 5,
                    window_minutes: 10,
                },
                10,
            ),
            rule(
                "d",
                RiskRuleKind::AddressVelocity {
                    limit: 5,
                    window_minutes: 60,
                },
                10,
            ),
            rule("e", first_order("1"), 10),
        ];
        assert_eq!(
            needed_facts(&rules),
            vec![
                FactQuery::OrdersToAddress { window_minutes: 10 },
                FactQuery::OrdersToAddress { window_minutes: 60 },
                FactQuery::EarlierOrdersOfCustomer,
            ]
        );
    }

    #[test]
    fn address_velocity_triggers_above_the_limit_with_the_numbers() {
        let kind = RiskRuleKind::AddressVelocity {
            limit: 3,
            window_minutes: 10,
        };
        let query = FactQuery::OrdersToAddress { window_minutes: 10 };
        assert_eq!(
            messages(kind.clone(), &order("10"), &Facts::new().with(query, 7)),
            vec!["7 orders to this address in 10 min, limit 3"]
        );
        assert!(messages(kind.clone(), &order("10"), &Facts::new().with(query, 3)).is_empty());
        let other_window = FactQuery::OrdersToAddress { window_minutes: 60 };
        assert!(
            messages(kind, &order("10"), &Facts::new().with(other_window, 9)).is_empty(),
            "a count for another window is not this rule's"
        );
    }

    #[test]
    fn phone_velocity_names_the_phone() {
        let kind = RiskRuleKind::PhoneVelocity {
            limit: 3,
            window_minutes: 60,
        };
        let facts = Facts::new().with(FactQuery::OrdersFromPhone { window_minutes: 60 }, 4);
        let assessment = assess(
            &[rule("phone-velocity", kind, 40)],
            &order("10"),
            &facts,
            &RiskThresholds::default(),
        );
        assert_eq!(
            assessment.signals,
            vec![Signal {
                rule_id: "phone-velocity".into(),
                code: HoldReasonCode::RiskVelocityPhone,
                weight: 40,
                message: "4 orders from phone +8613800138000 in 60 min, limit 3".into(),
            }]
        );
    }

    #[test]
    fn a_coupon_shared_by_customers_of_one_address_or_phone_is_abuse() {
        let kind = RiskRuleKind::CouponSharedIdentity {
            max_customers: 1,
            window_days: 30,
        };
        let query = FactQuery::CustomersSharingIdentityOnCoupon { window_days: 30 };
        let mut with_coupons = order("10");
        with_coupons.coupon_codes = vec!["SPRING5".into(), "WELCOME10".into()];
        let facts =
            Facts::new()
                .with_coupon(query, "spring5", 1)
                .with_coupon(query, "WELCOME10", 3);
        assert_eq!(
            messages(kind.clone(), &with_coupons, &facts),
            vec![
                "coupon WELCOME10 used by 3 customers sharing this address or phone in 30 days, limit 1"
            ]
        );
        let only_this_customer = Facts::new().with_coupon(query, "WELCOME10", 1);
        assert!(messages(kind.clone(), &with_coupons, &only_this_customer).is_empty());
        assert!(
            messages(kind, &order("10"), &facts).is_empty(),
            "an order without coupons never triggers a coupon rule"
        );
    }

    #[test]
    fn a_coupon_used_too_often_from_one_address_or_phone_is_abuse() {
        let kind = RiskRuleKind::CouponPerIdentity {
            limit: 1,
            window_days: 1,
        };
        let query = FactQuery::CouponUsesByIdentity { window_days: 1 };
        let mut with_coupon = order("10");
        with_coupon.coupon_codes = vec!["WELCOME10".into()];
        let assessment = assess(
            &[rule("coupon-per-identity", kind, 50)],
            &with_coupon,
            &Facts::new().with_coupon(query, "WELCOME10", 2),
            &RiskThresholds::default(),
        );
        assert_eq!(codes(&assessment), vec![HoldReasonCode::RiskCouponAbuse]);
        assert_eq!(
            assessment.signals[0].message,
            "coupon WELCOME10 used 2 times from this address or phone in 1 day, limit 1"
        );
    }

    #[test]
    fn among_equally_abused_coupons_the_first_is_named() {
        let kind = RiskRuleKind::CouponPerIdentity {
            limit: 1,
            window_days: 30,
        };
        let query = FactQuery::CouponUsesByIdentity { window_days: 30 };
        let mut with_coupons = order("10");
        with_coupons.coupon_codes = vec!["A1".into(), "B2".into()];
        let facts = Facts::new()
            .with_coupon(query, "A1", 2)
            .with_coupon(query, "B2", 2);
        assert_eq!(
            messages(kind, &with_coupons, &facts),
            vec!["coupon A1 used 2 times from this address or phone in 30 days, limit 1"]
        );
    }

    #[test]
    fn a_high_total_triggers_at_the_threshold_in_the_same_currency_only() {
        assert_eq!(
            messages(high_value("5000"), &order("6000"), &Facts::new()),
            vec!["order total 6000.00 CNY is at or above the 5000.00 CNY review threshold"]
        );
        assert_eq!(
            messages(high_value("5000.00"), &order("5000.00"), &Facts::new()).len(),
            1
        );
        assert!(messages(high_value("5000.00"), &order("4999.99"), &Facts::new()).is_empty());
        let mut dollars = order("10");
        dollars.total = Money::parse("6000", Currency::Usd).unwrap();
        assert!(
            messages(high_value("5000.00"), &dollars, &Facts::new()).is_empty(),
            "a different currency does not trigger"
        );
    }

    #[test]
    fn a_first_order_with_a_high_total_triggers() {
        assert_eq!(
            messages(first_order("2000"), &order("2500"), &Facts::new()),
            vec!["first order of this customer, 2500.00 CNY, at or above 2000.00 CNY"]
        );
        let returning = Facts::new().with(FactQuery::EarlierOrdersOfCustomer, 1);
        assert!(messages(first_order("2000"), &order("2500"), &returning).is_empty());
        assert!(messages(first_order("2000"), &order("1999.99"), &Facts::new()).is_empty());
    }

    #[test]
    fn cash_on_delivery_above_the_limit_triggers() {
        let mut cod = order("3200");
        cod.cash_on_delivery = true;
        assert_eq!(
            messages(cod_limit("2000"), &cod, &Facts::new()),
            vec!["cash-on-delivery order of 3200.00 CNY is above the 2000.00 CNY limit"]
        );
        let mut at_limit = order("2000");
        at_limit.cash_on_delivery = true;
        assert!(messages(cod_limit("2000"), &at_limit, &Facts::new()).is_empty());
        assert!(
            messages(cod_limit("2000"), &order("3200"), &Facts::new()).is_empty(),
            "prepaid orders are not limited"
        );
    }

    #[test]
    fn every_blocklist_hit_is_quoted() {
        let facts = Facts {
            blocklist_hits: vec![
                "phone +8613800138000 is blocklisted: chargeback 2026-10".into(),
                "e-mail fraud@example.com is blocklisted: stolen card".into(),
            ],
            ..Facts::new()
        };
        let assessment = assess(
            &[rule("blocklisted", RiskRuleKind::Blocklisted, 100)],
            &order("10"),
            &facts,
            &RiskThresholds::default(),
        );
        assert_eq!(codes(&assessment), vec![HoldReasonCode::RiskBlocklisted]);
        assert_eq!(
            assessment.signals[0].message,
            "phone +8613800138000 is blocklisted: chargeback 2026-10; e-mail fraud@example.com is blocklisted: stolen card"
        );
        assert_eq!(assessment.verdict, RiskVerdict::Reject);
        assert!(messages(RiskRuleKind::Blocklisted, &order("10"), &Facts::new()).is_empty());
    }

    #[test]
    fn disabled_rules_are_ignored() {
        let mut rule = rule("blocklisted", RiskRuleKind::Blocklisted, 100);
        rule.enabled = false;
        let facts = Facts {
            blocklist_hits: vec!["phone +8613800138000 is blocklisted".into()],
            ..Facts::new()
        };
        let assessment = assess(&[rule], &order("10"), &facts, &RiskThresholds::default());
        assert_eq!(
            assessment,
            Assessment {
                score: 0,
                signals: vec![],
                verdict: RiskVerdict::Approve
            }
        );
    }

    #[test]
    fn missing_facts_count_as_zero() {
        let facts = Facts::new();
        assert_eq!(facts.count(FactQuery::EarlierOrdersOfCustomer), 0);
        assert_eq!(
            facts.coupon_count(
                FactQuery::CouponUsesByIdentity { window_days: 30 },
                "WELCOME10"
            ),
            0
        );
        let mut with_coupon = order("10");
        with_coupon.coupon_codes = vec!["WELCOME10".into()];
        let assessment = assess(
            &default_rules(),
            &with_coupon,
            &facts,
            &RiskThresholds::default(),
        );
        assert_eq!(assessment.signals, vec![]);
    }

    #[test]
    fn the_score_is_the_sum_of_triggered_weights_against_two_thresholds() {
        let thresholds = RiskThresholds::default();
        let facts = Facts::new();
        let verdict_for = |weights: &[u32]| {
            let rules: Vec<RiskRule> = weights
                .iter()
                .enumerate()
                .map(|(i, w)| rule(&format!("r{i}"), high_value("1"), *w))
                .collect();
            let assessment = assess(&rules, &order("10"), &facts, &thresholds);
            (assessment.score, assessment.verdict)
        };
        assert_eq!(verdict_for(&[]), (0, RiskVerdict::Approve));
        assert_eq!(verdict_for(&[49]), (49, RiskVerdict::Approve));
        assert_eq!(verdict_for(&[30, 20]), (50, RiskVerdict::Hold));
        assert_eq!(verdict_for(&[50, 49]), (99, RiskVerdict::Hold));
        assert_eq!(verdict_for(&[60, 40]), (100, RiskVerdict::Reject));
        assert_eq!(verdict_for(&[1000, 1000]), (2000, RiskVerdict::Reject));
        assert_eq!(
            verdict_for(&[u32::MAX, 5]),
            (u32::MAX, RiskVerdict::Reject),
            "the score saturates"
        );
    }

    #[test]
    fn signals_of_weight_zero_are_reported_but_do_not_hold() {
        let assessment = assess(
            &[rule("watch", high_value("1"), 0)],
            &order("10"),
            &Facts::new(),
            &RiskThresholds::default(),
        );
        assert_eq!(assessment.score, 0);
        assert_eq!(assessment.signals.len(), 1);
        assert_eq!(assessment.verdict, RiskVerdict::Approve);
    }

    #[test]
    fn nothing_is_held_without_a_signal_even_with_zero_thresholds() {
        let zero = RiskThresholds {
            hold_at: 0,
            reject_at: 0,
        };
        let assessment = assess(&default_rules(), &order("10"), &Facts::new(), &zero);
        assert_eq!(assessment.verdict, RiskVerdict::Approve);
    }

    #[test]
    fn a_rule_with_an_unreadable_amount_never_triggers() {
        for kind in [
            high_value("lots"),
            RiskRuleKind::HighValue {
                amount: "1".into(),
                currency: "RMB".into(),
            },
            high_value("-1"),
        ] {
            assert!(
                messages(kind.clone(), &order("6000"), &Facts::new()).is_empty(),
                "{kind:?}"
            );
        }
        let lower_case = RiskRuleKind::HighValue {
            amount: "1".into(),
            currency: " cny ".into(),
        };
        assert_eq!(messages(lower_case, &order("6000"), &Facts::new()).len(), 1);
    }

    #[test]
    fn signals_become_hold_reasons_and_assessments_serialize_for_the_timeline() {
        let signal = Signal {
            rule_id: "high-value".into(),
            code: HoldReasonCode::RiskHighValue,
            weight: 50,
            message: "order total 6000.00 CNY is at or above the 5000.00 CNY review threshold"
                .into(),
        };
        assert_eq!(
            signal.to_hold_reason(),
            HoldReason::new(HoldReasonCode::RiskHighValue, signal.message.clone())
        );
        let assessment = Assessment {
            score: 50,
            signals: vec![signal],
            verdict: RiskVerdict::Hold,
        };
        let json = serde_json::to_string(&assessment).unwrap();
        assert_eq!(
            json,
            r#"{"score":50,"signals":[{"ruleId":"high-value","code":"RISK_HIGH_VALUE","weight":50,"message":"order total 6000.00 CNY is at or above the 5000.00 CNY review threshold"}],"verdict":"HOLD"}"#
        );
        assert_eq!(
            serde_json::from_str::<Assessment>(&json).unwrap(),
            assessment
        );
    }

    #[test]
    fn a_valid_rule_is_returned_normalized() {
        let entered = RiskRule {
            id: "  high-value ".into(),
            kind: RiskRuleKind::HighValue {
                amount: " 5000 ".into(),
                currency: "cny".into(),
            },
            weight: 1000,
            enabled: false,
        };
        assert_eq!(
            validate_rule(entered),
            Ok(RiskRule {
                id: "high-value".into(),
                kind: high_value("5000.00"),
                weight: 1000,
                enabled: false,
            })
        );
        let yen = rule(
            "jpy",
            RiskRuleKind::CodLimit {
                amount: "30000.00".into(),
                currency: "JPY".into(),
            },
            0,
        );
        assert_eq!(
            validate_rule(yen).map(|r| r.kind),
            Ok(RiskRuleKind::CodLimit {
                amount: "30000".into(),
                currency: "JPY".into()
            })
        );
    }

    fn problems(rule: RiskRule) -> Vec<(String, String)> {
        validate_rule(rule)
            .unwrap_err()
            .into_iter()
            .map(|p| (p.path, p.code))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(path, code)| (path.to_string(), code.to_string()))
            .collect()
    }

    #[test]
    fn limits_and_windows_must_be_at_least_one_and_bounded() {
        #[rustfmt::skip]
        let table = [
            (RiskRuleKind::AddressVelocity { limit: 0, window_minutes: 0 },
                vec![("kind.limit", "MUST_BE_POSITIVE"), ("kind.windowMinutes", "MUST_BE_POSITIVE")]),
            (RiskRuleKind::PhoneVelocity { limit: 0, window_minutes: MAX_WINDOW_MINUTES + 1 },
                vec![("kind.limit", "MUST_BE_POSITIVE"), ("kind.windowMinutes", "TOO_LARGE")]),
            (RiskRuleKind::CouponSharedIdentity { max_customers: 0, window_days: 0 },
                vec![("kind.maxCustomers", "MUST_BE_POSITIVE"), ("kind.windowDays", "MUST_BE_POSITIVE")]),
            (RiskRuleKind::CouponPerIdentity { limit: 0, window_days: MAX_WINDOW_DAYS + 1 },
                vec![("kind.limit", "MUST_BE_POSITIVE"), ("kind.windowDays", "TOO_LARGE")]),
        ];
        for (kind, expected) in table {
            assert_eq!(
                problems(rule("r", kind.clone(), 10)),
                pairs(&expected),
                "{kind:?}"
            );
        }
        for kind in [
            RiskRuleKind::AddressVelocity {
                limit: 1,
                window_minutes: MAX_WINDOW_MINUTES,
            },
            RiskRuleKind::CouponPerIdentity {
                limit: 1,
                window_days: MAX_WINDOW_DAYS,
            },
        ] {
            assert!(
                validate_rule(rule("r", kind.clone(), 10)).is_ok(),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn amounts_must_be_money_in_a_supported_currency() {
        #[rustfmt::skip]
        let table = [
            ("abc", "CNY", vec![("kind.amount", "INVALID_AMOUNT")]),
            ("-5", "CNY", vec![("kind.amount", "INVALID_AMOUNT")]),
            ("1.234", "CNY", vec![("kind.amount", "INVALID_AMOUNT")]),
            ("1.5", "JPY", vec![("kind.amount", "INVALID_AMOUNT")]),
            ("1e3", "CNY", vec![("kind.amount", "INVALID_AMOUNT")]),
            ("5000", "RMB", vec![("kind.currency", "INVALID_CURRENCY")]),
            ("5000", "", vec![("kind.currency", "INVALID_CURRENCY")]),
            ("-5", "RMB", vec![("kind.currency", "INVALID_CURRENCY"), ("kind.amount", "INVALID_AMOUNT")]),
            ("five", "RMB", vec![("kind.currency", "INVALID_CURRENCY"), ("kind.amount", "INVALID_AMOUNT")]),
        ];
        for (amount, currency, expected) in table {
            for kind in [
                RiskRuleKind::HighValue {
                    amount: amount.into(),
                    currency: currency.into(),
                },
                RiskRuleKind::FirstOrderHighValue {
                    amount: amount.into(),
                    currency: currency.into(),
                },
                RiskRuleKind::CodLimit {
                    amount: amount.into(),
                    currency: currency.into(),
                },
            ] {
                assert_eq!(
                    problems(rule("r", kind.clone(), 10)),
                    pairs(&expected),
                    "{kind:?}"
                );
            }
        }
        let messages: Vec<String> = validate_rule(rule("r", high_value("1.234"), 10))
            .unwrap_err()
            .into_iter()
            .map(|p| p.message)
            .collect();
        assert_eq!(
            messages,
            vec!["\"1.234\" has more decimals than CNY allows (at most 2)"]
        );
    }

    #[test]
    fn every_rule_problem_is_reported_at_once() {
        let bad = RiskRule {
            id: " ".into(),
            kind: RiskRuleKind::AddressVelocity {
                limit: 0,
                window_minutes: 10,
            },
            weight: 1001,
            enabled: true,
        };
        assert_eq!(
            problems(bad),
            pairs(&[
                ("id", "REQUIRED"),
                ("weight", "OUT_OF_RANGE"),
                ("kind.limit", "MUST_BE_POSITIVE"),
            ])
        );
        for id in ["has space", "ü", &"x".repeat(MAX_RULE_ID_CHARS + 1)] {
            assert_eq!(
                problems(rule(id, RiskRuleKind::Blocklisted, 10)),
                pairs(&[("id", "INVALID_ID")]),
                "{id:?}"
            );
        }
        let weight = validate_rule(rule("r", RiskRuleKind::Blocklisted, 1200)).unwrap_err();
        assert_eq!(weight[0].message, "must be 0 to 1000 (got 1200)");
    }

    #[test]
    fn thresholds_must_hold_before_they_reject() {
        assert_eq!(RiskThresholds::default().validate(), Ok(()));
        assert_eq!(
            RiskThresholds {
                hold_at: 1,
                reject_at: 2
            }
            .validate(),
            Ok(())
        );
        let codes = |t: RiskThresholds| -> Vec<(String, String)> {
            t.validate()
                .unwrap_err()
                .into_iter()
                .map(|p| (p.path, p.code))
                .collect()
        };
        assert_eq!(
            codes(RiskThresholds {
                hold_at: 0,
                reject_at: 100
            }),
            pairs(&[("holdAt", "MUST_BE_POSITIVE")])
        );
        assert_eq!(
            codes(RiskThresholds {
                hold_at: 50,
                reject_at: 50
            }),
            pairs(&[("rejectAt", "OUT_OF_RANGE")])
        );
        assert_eq!(
            codes(RiskThresholds {
                hold_at: 0,
                reject_at: 0
            }),
            pairs(&[("holdAt", "MUST_BE_POSITIVE"), ("rejectAt", "OUT_OF_RANGE")])
        );
        let message = RiskThresholds {
            hold_at: 50,
            reject_at: 40,
        }
        .validate()
        .unwrap_err()
        .remove(0)
        .message;
        assert_eq!(message, "must be above holdAt (50) (got 40)");
        let parsed: RiskThresholds =
            serde_json::from_str(r#"{"holdAt":50,"rejectAt":100}"#).unwrap();
        assert_eq!(parsed, RiskThresholds::default());
    }

    #[test]
    fn the_default_rules_are_valid_distinct_and_cover_every_kind() {
        let rules = default_rules();
        for rule in &rules {
            assert_eq!(validate_rule(rule.clone()).as_ref(), Ok(rule), "{rule:?}");
        }
        let mut ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), rules.len());
        assert_eq!(rules.len(), 8, "one rule per kind");
        let json = serde_json::to_string(&rules).unwrap();
        assert_eq!(serde_json::from_str::<Vec<RiskRule>>(&json).unwrap(), rules);
    }

    #[test]
    fn with_the_default_rules_a_large_first_order_passes_unless_paid_in_cash() {
        let thresholds = RiskThresholds::default();
        let first = Facts::new();
        let prepaid = assess(&default_rules(), &order("2500"), &first, &thresholds);
        assert_eq!(
            codes(&prepaid),
            vec![HoldReasonCode::RiskFirstOrderHighValue]
        );
        assert_eq!(prepaid.verdict, RiskVerdict::Approve);

        let mut cod = order("2500");
        cod.cash_on_delivery = true;
        let cash = assess(&default_rules(), &cod, &first, &thresholds);
        assert_eq!(cash.score, 80);
        assert_eq!(cash.verdict, RiskVerdict::Hold);
    }

    #[test]
    fn with_the_default_rules_velocity_holds_and_a_blocklist_hit_rejects() {
        let thresholds = RiskThresholds::default();
        let returning = Facts::new().with(FactQuery::EarlierOrdersOfCustomer, 3);
        let busy = returning
            .clone()
            .with(FactQuery::OrdersToAddress { window_minutes: 60 }, 4);
        let held = assess(&default_rules(), &order("100"), &busy, &thresholds);
        assert_eq!(codes(&held), vec![HoldReasonCode::RiskVelocityAddress]);
        assert_eq!(held.verdict, RiskVerdict::Hold);

        let blocked = Facts {
            blocklist_hits: vec!["address is blocklisted: fraud ring".into()],
            ..returning
        };
        let rejected = assess(&default_rules(), &order("100"), &blocked, &thresholds);
        assert_eq!(rejected.verdict, RiskVerdict::Reject);
    }
}
