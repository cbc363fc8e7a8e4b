//! The operations of the console contract, one function each. Queries select exactly the fields
//! the console shows. Functions that need a signed-in user take the access token; `session`
//! supplies it.
//!
//! Users, keys, orders and the catalogue are here; the review, stock, allocation, after-sales,
//! exceptions and webhooks contexts have a file each.

mod aftersales;
mod allocation;
mod analytics;
mod exceptions;
mod finance;
mod fulfilment;
mod review;
mod stock;
mod webhooks;

pub use aftersales::*;
pub use allocation::*;
pub use analytics::*;
pub use exceptions::*;
pub use finance::*;
pub use fulfilment::*;
pub use review::*;
pub use stock::*;
pub use webhooks::*;

use super::types::*;
use super::{ApiError, execute};
use orderly_shared::Role;
use serde::Deserialize;
use serde_json::json;

macro_rules! user_fields {
    () => {
        "id email displayName roles warehouseCodes active createdAt"
    };
}
const USER_FIELDS: &str = user_fields!();
const AUTH_FIELDS: &str = concat!(
    "accessToken refreshToken expiresAt user { ",
    user_fields!(),
    " }"
);
const API_KEY_FIELDS: &str = "id channel prefix createdAt revokedAt lastUsedAt";

/// Every operation selects its one root field under the GraphQL alias `result`, so one function
/// reads them all. The answer's `data` arrives as a `serde_json::Value` and only `result` is
/// turned into `T`: a wrapper type per answer type would cost the console a deserializer each.
async fn run<T: for<'de> Deserialize<'de>>(
    query: &str,
    variables: serde_json::Value,
    token: Option<&str>,
) -> Result<T, ApiError> {
    let mut data: serde_json::Value = execute(query, variables, token).await?;
    let result = data
        .get_mut("result")
        .map(serde_json::Value::take)
        .unwrap_or_default();
    serde_json::from_value(result)
        .map_err(|e| ApiError::transport(format!("unexpected answer from the server: {e}")))
}

pub async fn login(email: &str, password: &str) -> Result<AuthPayload, ApiError> {
    let q = format!(
        "mutation Login($email: String!, $password: String!) {{ result: login(email: $email, password: $password) {{ {AUTH_FIELDS} }} }}"
    );
    run(&q, json!({ "email": email, "password": password }), None).await
}

pub async fn refresh_session(refresh_token: &str) -> Result<AuthPayload, ApiError> {
    let q = format!(
        "mutation Refresh($refreshToken: String!) {{ result: refreshSession(refreshToken: $refreshToken) {{ {AUTH_FIELDS} }} }}"
    );
    run(&q, json!({ "refreshToken": refresh_token }), None).await
}

/// Ends the session family of `refresh_token` on the server. Public like login: it works even
/// when the access token has already expired.
pub async fn logout(refresh_token: &str) -> Result<bool, ApiError> {
    let q =
        "mutation Logout($refreshToken: String!) { result: logout(refreshToken: $refreshToken) }";
    run(q, json!({ "refreshToken": refresh_token }), None).await
}

pub async fn me(token: &str) -> Result<User, ApiError> {
    let q = format!("query Me {{ result: me {{ {USER_FIELDS} }} }}");
    run(&q, json!({}), Some(token)).await
}

pub async fn users(
    token: &str,
    first: u32,
    after: Option<String>,
) -> Result<Connection<User>, ApiError> {
    let q = format!(
        "query Users($first: Int, $after: String) {{ result: users(first: $first, after: $after) {{ nodes {{ {USER_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(&q, json!({ "first": first, "after": after }), Some(token)).await
}

pub async fn create_user(token: &str, input: &CreateUserInput) -> Result<User, ApiError> {
    let q = format!(
        "mutation CreateUser($input: CreateUserInput!) {{ result: createUser(input: $input) {{ {USER_FIELDS} }} }}"
    );
    run(&q, json!({ "input": input }), Some(token)).await
}

pub async fn set_user_roles(token: &str, id: &str, roles: &[Role]) -> Result<User, ApiError> {
    let q = format!(
        "mutation SetUserRoles($id: ID!, $roles: [Role!]!) {{ result: setUserRoles(id: $id, roles: $roles) {{ {USER_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id, "roles": roles }), Some(token)).await
}

pub async fn set_user_active(token: &str, id: &str, active: bool) -> Result<User, ApiError> {
    let field = if active {
        "reactivateUser"
    } else {
        "deactivateUser"
    };
    let q =
        format!("mutation SetActive($id: ID!) {{ result: {field}(id: $id) {{ {USER_FIELDS} }} }}");
    run(&q, json!({ "id": id }), Some(token)).await
}

pub async fn api_keys(
    token: &str,
    first: u32,
    after: Option<String>,
) -> Result<Connection<ApiKey>, ApiError> {
    let q = format!(
        "query ApiKeys($first: Int, $after: String) {{ result: apiKeys(first: $first, after: $after) {{ nodes {{ {API_KEY_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(&q, json!({ "first": first, "after": after }), Some(token)).await
}

pub async fn create_api_key(token: &str, channel: &str) -> Result<CreatedApiKey, ApiError> {
    let q = format!(
        "mutation CreateApiKey($channel: String!) {{ result: createApiKey(channel: $channel) {{ key apiKey {{ {API_KEY_FIELDS} }} }} }}"
    );
    run(&q, json!({ "channel": channel }), Some(token)).await
}

pub async fn revoke_api_key(token: &str, id: &str) -> Result<ApiKey, ApiError> {
    let q = format!(
        "mutation RevokeApiKey($id: ID!) {{ result: revokeApiKey(id: $id) {{ {API_KEY_FIELDS} }} }}"
    );
    run(&q, json!({ "id": id }), Some(token)).await
}

pub async fn audit_log(token: &str, first: u32) -> Result<Connection<AuditEntry>, ApiError> {
    let q = "query AuditLog($first: Int) { result: auditLog(first: $first) { nodes { id at actor action targetType targetId detail } pageInfo { hasNextPage endCursor } } }";
    run(q, json!({ "first": first }), Some(token)).await
}

/// What a row of the order list shows.
const ORDER_ROW_FIELDS: &str = "id number status paymentStatus channel createdAt total { amount currency } customer { name email }";
const MONEY: &str = "{ amount currency }";

pub async fn orders(
    token: &str,
    first: u32,
    after: Option<String>,
    filter: &OrderFilter,
) -> Result<Connection<OrderRow>, ApiError> {
    let q = format!(
        "query Orders($first: Int, $after: String, $filter: OrderFilter) {{ result: orders(first: $first, after: $after, filter: $filter) {{ nodes {{ {ORDER_ROW_FIELDS} }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(
        &q,
        json!({ "first": first, "after": after, "filter": filter }),
        Some(token),
    )
    .await
}

/// One order as a row of the list, by id.
pub async fn order_row(token: &str, id: &str) -> Result<Option<OrderRow>, ApiError> {
    let q =
        format!("query OrderRow($id: ID) {{ result: order(id: $id) {{ {ORDER_ROW_FIELDS} }} }}");
    run(&q, json!({ "id": id }), Some(token)).await
}

/// Everything about one order, by its number.
pub async fn order_detail(token: &str, number: &str) -> Result<Option<OrderDetail>, ApiError> {
    let q = format!(
        "query Order($number: String) {{ result: order(number: $number) {{ \
         id number status paymentStatus paymentMethod channel \
         total {MONEY} subtotal {MONEY} discount {MONEY} shipping {MONEY} tax {MONEY} \
         customer {{ name email phone }} \
         shippingAddress {{ recipient phone country region city district line1 line2 postalCode }} \
         couponCodes specialRequests \
         lines {{ sku name quantity unitPrice {MONEY} discount {MONEY} lineTotal {MONEY} }} \
         shipments {{ id status warehouse {{ id code name }} lines {{ sku quantity }} \
         carrier trackingNumber instructions createdAt }} tags \
         holdReasons {{ code message }} \
         events {{ at kind actor from to reason }} \
         payments {{ provider kind amount {MONEY} at reference }} \
         paymentDueAt createdAt updatedAt }} }}"
    );
    run(&q, json!({ "number": number }), Some(token)).await
}

/// Status changes of every order the user may see, or (with `$orderId`) of one order.
pub const ORDER_STATUS_CHANGED: &str = "subscription OrderStatusChanged($orderId: ID) { orderStatusChanged(orderId: $orderId) { orderId number from to at } }";

/// The catalogue, in the order products were added; absent filters do not filter.
pub async fn products(
    token: &str,
    first: u32,
    after: Option<String>,
    search: Option<String>,
    category: Option<String>,
) -> Result<Connection<Product>, ApiError> {
    let q = format!(
        "query Products($first: Int, $after: String, $search: String, $category: String) {{ result: products(first: $first, after: $after, search: $search, category: $category) {{ nodes {{ id sku name category price {MONEY} gtin weightG dimensionsMm fragile liquid highValue active }} pageInfo {{ hasNextPage endCursor }} }} }}"
    );
    run(
        &q,
        json!({ "first": first, "after": after, "search": search, "category": category }),
        Some(token),
    )
    .await
}

/// Customers, newest first; `search` is an e-mail or part of a name.
pub async fn customers(
    token: &str,
    first: u32,
    after: Option<String>,
    search: Option<String>,
) -> Result<Connection<CustomerRecord>, ApiError> {
    let q = "query Customers($first: Int, $after: String, $search: String) { result: customers(first: $first, after: $after, search: $search) { nodes { id name email phone createdAt } pageInfo { hasNextPage endCursor } } }";
    run(
        q,
        json!({ "first": first, "after": after, "search": search }),
        Some(token),
    )
    .await
}

/// Has the simulated gateway report a payment for an order (demo mode only); `amount` defaults
/// to the order total. Answers `applied` or `duplicate`.
pub async fn simulate_payment(
    token: &str,
    order_number: &str,
    outcome: SimulatedOutcome,
    amount: Option<String>,
) -> Result<String, ApiError> {
    let q = "mutation SimulatePayment($orderNumber: String!, $outcome: SimulatedOutcome!, $amount: String) { result: simulatePayment(orderNumber: $orderNumber, outcome: $outcome, amount: $amount) }";
    run(
        q,
        json!({ "orderNumber": order_number, "outcome": outcome, "amount": amount }),
        Some(token),
    )
    .await
}
