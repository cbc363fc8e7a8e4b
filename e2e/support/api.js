// What partners and payment gateways do to the server while a person watches the console: GraphQL
// with the partner's API key, and signed payment callbacks.

'use strict';

const crypto = require('node:crypto');

/** Runs one GraphQL operation; resolves to the whole response body ({data, errors}). */
async function graphql(baseUrl, query, variables, { apiKey, token } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (apiKey) headers['X-Api-Key'] = apiKey;
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

const PLACE_ORDER = `mutation Place($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id number status paymentStatus total { amount currency } }
}`;

let orderSeq = 0;

/** A valid prepaid order for a mainland-China address; `overrides` replace top-level fields. */
function orderInput(overrides = {}) {
  orderSeq += 1;
  const tag = `${Date.now()}-${process.pid}-${orderSeq}`;
  return {
    idempotencyKey: `e2e-${tag}`,
    customer: { name: 'Li Na', email: `li.na.${orderSeq}@example.com`, phone: '13800138000' },
    shippingAddress: {
      recipient: 'Li Na',
      phone: '13800138000',
      country: 'CN',
      region: 'Shanghai',
      city: 'Shanghai',
      district: 'Pudong',
      line1: '100 Century Avenue',
      postalCode: '200120',
    },
    paymentMethod: 'PREPAID',
    lines: [
      { sku: 'TEA-OOLONG-250', quantity: 2 },
      { sku: 'MUG-CERAMIC-350', quantity: 1 },
    ],
    ...overrides,
  };
}

/**
 * Places an order as the demo partner. Resolves to the order, or to `{ unknownSku }` (a
 * sentence) when the server does not know the products — the demo catalogue is missing.
 */
async function placeOrder(baseUrl, apiKey, overrides = {}) {
  const body = await graphql(baseUrl, PLACE_ORDER, { input: orderInput(overrides) }, { apiKey });
  const problems = (body.errors || []).flatMap((e) => (e.extensions && e.extensions.fields) || []);
  const unknown = problems.filter((p) => p.code === 'UNKNOWN_SKU');
  if (unknown.length > 0) {
    return {
      unknownSku:
        `the demo data has no products with these SKUs yet (${unknown.map((p) => p.path).join(', ')}); ` +
        'the demo catalogue must include TEA-OOLONG-250 and MUG-CERAMIC-350',
    };
  }
  if (!body.data || !body.data.placeOrder) {
    throw new Error(`placeOrder failed: ${JSON.stringify(body.errors)}`);
  }
  return body.data.placeOrder;
}

/** `Orderly-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
function signature(secret, rawBody, t = Math.floor(Date.now() / 1000)) {
  const v1 = crypto.createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** The simulated gateway reports a payment; resolves to {status, body}. */
async function sendPaymentCallback(baseUrl, secret, { orderNumber, amount, currency, status = 'SUCCEEDED', eventId }) {
  const raw = JSON.stringify({
    eventId: eventId || `evt-${crypto.randomUUID()}`,
    orderNumber,
    status,
    amount,
    currency,
  });
  const response = await fetch(`${baseUrl}/webhooks/payments/simulated`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Orderly-Signature': signature(secret, raw) },
    body: raw,
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

module.exports = { graphql, orderInput, placeOrder, sendPaymentCallback, signature };
