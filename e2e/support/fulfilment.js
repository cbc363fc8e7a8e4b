// What happens to an order before a story about its parcel starts, through the API: the partner
// places it, the gateway pays it, the warehouse picks, packs, labels and hands it over, and the
// (simulated) carrier reports on it.

'use strict';

const assert = require('node:assert/strict');
const { placeOrder, sendPaymentCallback } = require('./api');
const { DEMO_USERS, eventually } = require('./console');
const { catalogue, query, staffToken } = require('./warehouse');

/** The order's status and its parcels, as an admin reads them. */
async function orderParcels(server, token, number) {
  const data = await query(
    server.url,
    token,
    'query($n: String) { order(number: $n) { status shipments { id status carrier trackingNumber warehouse { id } } } }',
    { n: number },
  );
  return data.order;
}

/**
 * A paid order of `lines` (one warehouse's worth; cash on delivery if `paymentMethod` says so),
 * handed over to its carrier. Resolves to
 * `{ order, shipmentId, carrier, trackingNumber, admin }` (`admin` is a staff token), or to
 * `{ skip }` (a sentence) when the demo catalogue lacks the SKUs.
 */
async function shippedOrder(server, lines, { paymentMethod = 'PREPAID' } = {}) {
  const placed = await placeOrder(server.url, server.partnerKey(), { lines, paymentMethod });
  if (placed.unknownSku) return { skip: placed.unknownSku };
  if (paymentMethod === 'PREPAID') {
    const paid = await sendPaymentCallback(server.url, server.paymentWebhookSecret, {
      orderNumber: placed.number,
      amount: placed.total.amount,
      currency: placed.total.currency,
    });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
  }
  const wh = await staffToken(server.url, DEMO_USERS.WAREHOUSE.email);
  const admin = await staffToken(server.url, DEMO_USERS.ADMIN.email);
  let order;
  await eventually(async () => {
    order = await orderParcels(server, admin, placed.number);
    assert.equal(order.status, 'ALLOCATED');
  });
  const [{ id: shipmentId, warehouse }] = order.shipments;
  const products = await catalogue(server.url, wh);
  const wave = (
    await query(
      server.url,
      wh,
      'mutation($i: CreateWaveInput!) { createWave(input: $i) { tasks { id shipmentId sku bin quantity } } }',
      { i: { warehouseId: warehouse.id, kind: 'DISCRETE' } },
    )
  ).createWave;
  const scan = 'mutation($t: ID!, $c: String!) { scanPick(taskId: $t, code: $c) { outcome } }';
  for (const task of wave.tasks.filter((t) => t.shipmentId === shipmentId)) {
    const gtin = products.get(task.sku).gtin;
    await query(server.url, wh, scan, { t: task.id, c: task.bin });
    for (let i = 0; i < task.quantity; i++) await query(server.url, wh, scan, { t: task.id, c: gtin });
  }
  for (const line of lines) {
    for (let i = 0; i < line.quantity; i++) {
      await query(server.url, wh, 'mutation($s: ID!, $c: String!) { packScan(shipmentId: $s, code: $c) { complete } }', {
        s: shipmentId,
        c: products.get(line.sku).gtin,
      });
    }
  }
  await query(server.url, wh, 'mutation($s: ID!) { completePacking(shipmentId: $s) { status } }', { s: shipmentId });
  const label = (
    await query(server.url, wh, 'mutation($s: ID!) { createLabel(shipmentId: $s) { carrier trackingNumber } }', {
      s: shipmentId,
    })
  ).createLabel;
  await query(
    server.url,
    wh,
    'mutation($w: ID!, $c: String!, $t: [String!]!) { handOver(warehouseId: $w, carrierCode: $c, trackingNumbers: $t) { number } }',
    { w: warehouse.id, c: label.carrier, t: [label.trackingNumber] },
  );
  return { order: placed, shipmentId, carrier: label.carrier, trackingNumber: label.trackingNumber, admin };
}

/**
 * The simulated carrier sends its signed tracking callbacks for `scenario` (DELIVERED,
 * ADDRESS_UNKNOWN, DELAYED) and the parcel reaches `expectStatus`.
 */
async function carrierReports(server, parcel, scenario, expectStatus) {
  await query(
    server.url,
    parcel.admin,
    'mutation($c: String!, $t: String!, $s: CarrierScenario!) { simulateCarrierEvents(carrierCode: $c, trackingNumber: $t, scenario: $s) }',
    { c: parcel.carrier, t: parcel.trackingNumber, s: scenario },
  );
  await eventually(async () => {
    const order = await orderParcels(server, parcel.admin, parcel.order.number);
    assert.equal(order.shipments.find((s) => s.id === parcel.shipmentId).status, expectStatus);
  });
}

module.exports = { carrierReports, orderParcels, shippedOrder };
