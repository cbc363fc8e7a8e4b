// The analytics dashboard in a real browser: the charts for the demo data, a channel filter
// that narrows every figure to orders this test placed, the bottleneck (a review that took
// seconds, not milliseconds) opening the orders that wait there, and a new order moving the
// live counter without a reload.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const { graphql, orderInput } = require('./support/api');
const { DEMO_USERS, assertSameDocument, eventually, expectLive, expectPath, mainNav, openConsoleAs } = require('./support/console');
const { query, staffToken } = require('./support/warehouse');

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const PLACE = 'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id number status } }';
let seq = 0;

/** A cash-on-delivery order of one tea on the key's channel, to its own address. */
async function place(apiKey, { line1 } = {}) {
  seq += 1;
  const input = orderInput({
    paymentMethod: 'CASH_ON_DELIVERY',
    customer: { name: `An Li ${seq}`, email: `an.li.${seq}.${Date.now()}@example.com`, phone: `1370000${String(1000 + seq)}` },
    lines: [{ sku: 'TEA-OOLONG-250', quantity: 1 }],
  });
  input.shippingAddress = { ...input.shippingAddress, phone: `1370000${String(1000 + seq)}`, line1: line1 ?? `${200 + seq} Analytics Road` };
  const body = await graphql(server.url, PLACE, { input }, { apiKey });
  assert.ok(body.data && body.data.placeOrder, JSON.stringify(body.errors));
  return body.data.placeOrder;
}

test('the dashboard charts the flow, filters, drills into the bottleneck and counts live', async () => {
  const admin = await staffToken(server.url, DEMO_USERS.ADMIN.email);
  const channel = `an-${Date.now()}`;
  const key = (await query(server.url, admin, 'mutation($c: String!) { createApiKey(channel: $c) { key } }', { c: channel })).createApiKey.key;
  // One order waits seconds in review before it is approved; one is still waiting there.
  const slow = await place(key, { line1: 'Century Avenue' });
  assert.equal(slow.status, 'ON_HOLD');
  const quick = await place(key);
  assert.equal(quick.status, 'ALLOCATED');
  await new Promise((resolve) => setTimeout(resolve, 2500));
  await query(server.url, admin, 'mutation($id: ID!) { approveOrder(id: $id, note: "checked by phone") { status } }', { id: slow.id });
  const waiting = await place(key, { line1: 'Century Avenue' });
  assert.equal(waiting.status, 'ON_HOLD');

  const page = await openConsoleAs(browser, server.url, DEMO_USERS.ADMIN.email);
  await mainNav(page).getByRole('link', { name: 'Analytics' }).click();
  await expectPath(page, '/analytics');
  const placed = page.getByTestId('orders-placed');
  await eventually(async () => assert.ok(Number(await placed.innerText()) >= 10, 'the demo orders and ours'));
  assert.ok((await page.getByTestId('volume-chart').locator('rect.bar').count()) >= 1, 'a bar per day');
  await eventually(async () => assert.ok((await page.getByTestId('lead-times').locator('li').count()) >= 3, 'stages with lead times'));
  const everything = Number(await placed.innerText());

  await page.getByLabel('Channel').fill(channel);
  await page.getByRole('button', { name: 'Show' }).click();
  await eventually(async () => assert.equal(await placed.innerText(), '3'));
  const bottleneck = page.getByTestId('bottleneck');
  await eventually(async () => assert.match(await bottleneck.innerText(), /Review/));
  assert.match(await bottleneck.innerText(), /p90 2 s|p90 3 s/);
  assert.equal(await page.getByTestId('lead-times').locator('li.bottleneck').getAttribute('data-stage'), 'REVIEW');
  assert.notEqual(everything, 3, 'the filter changed the figures');
  // Quality for the filtered orders: none delivered, rated or short yet.
  assert.equal(await page.getByTestId('return-rate').innerText(), '0.0 %');
  assert.equal(await page.getByTestId('average-rating').innerText(), '—');
  await page.getByText('Stock met every order of the window.').waitFor();

  await bottleneck.click();
  const drill = page.getByTestId('drill');
  await drill.getByRole('heading', { name: 'Orders waiting in Review' }).waitFor();
  await eventually(async () =>
    assert.deepEqual(await drill.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.order)), [waiting.number]),
  );
  await drill.getByRole('link', { name: waiting.number }).waitFor();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-orders').click()]);
  assert.equal(download.suggestedFilename(), 'orders.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(csv.length, 4, csv.join('\n'));
  assert.ok(csv[1].startsWith(`${slow.number},`), csv[1]);

  await expectLive(page);
  await place(key);
  await eventually(async () => assert.equal(await placed.innerText(), '4'), { timeout: 10_000 });
  await assertSameDocument(page);
  await page.context().close();
});

test('each role lands on the orders waiting in its own stages', async () => {
  const warehouse = await openConsoleAs(browser, server.url, DEMO_USERS.WAREHOUSE.email);
  const slice = warehouse.getByRole('region', { name: 'Waiting in your stages now' });
  await eventually(async () =>
    assert.deepEqual(await slice.locator('[data-stage]').evaluateAll((cards) => cards.map((c) => c.dataset.stage)), ['ALLOCATION', 'PICKING', 'PACKING', 'SHIPPING']),
  );
  await warehouse.context().close();
  const reviewer = await openConsoleAs(browser, server.url, DEMO_USERS.REVIEWER.email);
  const review = reviewer.getByRole('region', { name: 'Waiting in your stages now' });
  await eventually(async () => assert.deepEqual(await review.locator('[data-stage]').evaluateAll((cards) => cards.map((c) => c.dataset.stage)), ['REVIEW']));
  // The order the first test left on hold waits in review: the card counts it.
  assert.ok(Number(await review.locator('[data-stage="REVIEW"] .stat-value').innerText()) >= 1);
  await reviewer.context().close();
});
