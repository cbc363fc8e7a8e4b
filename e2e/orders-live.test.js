// A customer-service agent keeps the order list open: an order a storefront places appears on
// top without a reload; the payment gateway's callback confirms it, the automatic review
// approves it and allocation reserves its stock, so it turns ALLOCATED on screen; and the order's
// page shows its lines, money, the shipment and a timeline with the payment — also live. Filters
// narrow the list and are kept in the address, so a reload keeps them.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const { placeOrder, sendPaymentCallback } = require('./support/api');
const { DEMO_USERS, eventually, expectPath, mainNav, pathOf, signIn } = require('./support/console');

let server;
let browser;
let agent;
/** Set when the journey cannot run against this server (said once, every test skips). */
let skipReason = null;
/** The order placed in the first test. */
let placed = null;

before(async () => {
  server = await startServer();
  if (!server.partnerKey()) {
    skipReason = 'the server did not print a partner API key for channel demo-store';
  }
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  agent = await context.newPage();
  await signIn(agent, server.url, DEMO_USERS.CUSTOMER_SERVICE.email);
  await mainNav(agent).getByRole('link', { name: 'Orders', exact: true }).click();
  await expectPath(agent, '/orders');
  await expectLive(agent);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Waits until the page says its live updates run. */
async function expectLive(page) {
  await eventually(async () => assert.equal((await page.getByTestId('live-status').innerText()).trim(), 'Live'), {
    timeout: 15_000,
  });
  // The subscription was sent with the acknowledgement; give the server a moment to start it.
  await page.waitForTimeout(300);
}

function ordersTable(page) {
  return page.getByRole('table', { name: 'Orders' });
}

function orderRow(page, number) {
  return ordersTable(page).locator(`tbody tr[data-order="${number}"]`);
}

async function rowStatus(page, number) {
  return orderRow(page, number).locator('td').nth(4).locator('[data-status]').getAttribute('data-status');
}

/** Marks the document, so a later check can tell it was not reloaded. */
async function markDocument(page) {
  await page.evaluate(() => {
    window.__orderlySameDocument = true;
  });
}

async function assertSameDocument(page) {
  assert.equal(await page.evaluate(() => window.__orderlySameDocument === true), true, 'the page was not reloaded');
}

/** Places an order, or skips the test (and the rest) when the demo has no catalogue yet. */
async function placeOrSkip(t) {
  if (skipReason) {
    t.skip(skipReason);
    return null;
  }
  const order = await placeOrder(server.url, server.partnerKey());
  if (order.unknownSku) {
    skipReason = order.unknownSku;
    t.skip(skipReason);
    return null;
  }
  return order;
}

async function pay(order) {
  const answer = await sendPaymentCallback(server.url, server.paymentWebhookSecret, {
    orderNumber: order.number,
    amount: order.total.amount,
    currency: order.total.currency,
  });
  assert.equal(answer.status, 200, `the callback is accepted: ${JSON.stringify(answer.body)}`);
}

test('an order placed through the API appears on top of the open list without a reload', async (t) => {
  await markDocument(agent);
  placed = await placeOrSkip(t);
  if (!placed) return;
  assert.equal(placed.status, 'PENDING_PAYMENT');

  await orderRow(agent, placed.number).waitFor({ timeout: 10_000 });
  const firstRow = ordersTable(agent).locator('tbody tr').first();
  assert.equal(await firstRow.getAttribute('data-order'), placed.number, 'the new order is on top');
  const cells = (await orderRow(agent, placed.number).getByRole('cell').allInnerTexts()).map((c) => c.trim());
  assert.match(cells[1], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'created, in UTC');
  assert.match(cells[2], /Li Na/);
  assert.equal(cells[3], 'demo-store');
  assert.equal(cells[4], 'Pending payment');
  assert.equal(cells[5], 'Unpaid');
  assert.equal(cells[6], `${placed.total.currency} ${placed.total.amount}`);
  await assertSameDocument(agent);
});

test('a signed payment callback confirms the order, which is approved and allocated on screen', async (t) => {
  if (!placed) return t.skip(skipReason || 'no order was placed');
  await markDocument(agent);
  await pay(placed);
  // CONFIRMED → APPROVED (the automatic checks pass) → ALLOCATED (the stock is reserved).
  await eventually(async () => assert.equal(await rowStatus(agent, placed.number), 'ALLOCATED'), { timeout: 10_000 });
  await eventually(async () => {
    const cells = await orderRow(agent, placed.number).getByRole('cell').allInnerTexts();
    assert.equal(cells[4].trim(), 'Allocated');
    assert.equal(cells[5].trim(), 'Paid', 'the payment status follows');
  });
  await assertSameDocument(agent);
});

test('the order page shows the lines, the money, the shipment and a timeline with the payment', async (t) => {
  if (!placed) return t.skip(skipReason || 'no order was placed');
  await orderRow(agent, placed.number).getByRole('link', { name: placed.number }).click();
  await expectPath(agent, `/orders/${placed.number}`);
  await agent.getByRole('heading', { level: 1, name: `Order ${placed.number}` }).waitFor();

  const lines = agent.getByRole('region', { name: 'Lines' });
  const linesText = await lines.innerText();
  assert.match(linesText, /TEA-OOLONG-250/);
  assert.match(linesText, /MUG-CERAMIC-350/);
  assert.match(linesText, /CNY 89\.00/, 'the unit price');
  assert.match(linesText, /Tax included/);
  assert.equal((await agent.getByTestId('order-total').innerText()).trim(), `${placed.total.currency} ${placed.total.amount}`);

  const customer = await agent.getByRole('region', { name: 'Customer' }).innerText();
  assert.match(customer, /Li Na/);
  assert.match(customer, /200120/);

  // Shanghai has both SKUs, and the order ships to Shanghai: one shipment from SH1.
  const shipments = agent.getByRole('region', { name: 'Shipments' });
  const shipment = shipments.locator('tbody tr[data-warehouse="SH1"]');
  await shipment.waitFor();
  assert.equal(await shipments.locator('tbody tr').count(), 1, 'one shipment');
  const shipmentText = (await shipment.innerText()).replace(/\s+/g, ' ');
  assert.match(shipmentText, /TEA-OOLONG-250 × 2/);
  assert.match(shipmentText, /MUG-CERAMIC-350 × 1/);
  assert.match(shipmentText, /Waiting for picking/);

  const payments = await agent.getByRole('region', { name: 'Payments' }).innerText();
  assert.match(payments, /Capture/);
  assert.ok(payments.includes(`${placed.total.currency} ${placed.total.amount}`), 'the captured amount');

  const timeline = agent.getByRole('region', { name: 'Timeline' });
  const rows = (await timeline.locator('tbody tr').allInnerTexts()).map((r) => r.replace(/\s+/g, ' ').trim());
  assert.ok(rows.some((r) => /Payment received/.test(r) && /simulated/.test(r)), `a payment row in ${JSON.stringify(rows)}`);
  for (const change of [/Pending payment → Confirmed/, /Confirmed → Approved/, /Approved → Allocated/]) {
    assert.ok(
      rows.some((r) => /Status changed/.test(r) && change.test(r)),
      `${change} in ${JSON.stringify(rows)}`,
    );
  }
  assert.match(rows[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /, 'times in UTC, to the second');
});

test('an open order page follows its status live', async (t) => {
  const order = await placeOrSkip(t);
  if (!order) return;
  await agent.goto(`${server.url}/orders/${order.number}`);
  await agent.getByRole('heading', { level: 1, name: `Order ${order.number}` }).waitFor();
  const header = agent.locator('header.order-header');
  assert.equal(await header.locator('.order-title [data-status]').first().getAttribute('data-status'), 'PENDING_PAYMENT');
  await expectLive(agent);
  await markDocument(agent);

  await pay(order);
  await eventually(
    async () => assert.equal(await header.locator('.order-title [data-status]').first().getAttribute('data-status'), 'ALLOCATED'),
    { timeout: 10_000 },
  );
  await eventually(async () => assert.equal(await agent.getByRole('region', { name: 'Shipments' }).locator('tbody tr').count(), 1));
  await eventually(async () => assert.match(await agent.getByRole('region', { name: 'Timeline' }).innerText(), /Payment received/));
  await assertSameDocument(agent);
});

test('filters narrow the list, live in the address, and survive a reload', async (t) => {
  if (!placed) return t.skip(skipReason || 'no order was placed');
  await agent.goto(`${server.url}/orders`);
  await orderRow(agent, placed.number).waitFor();
  assert.ok((await ordersTable(agent).locator('tbody tr').count()) > 1, 'several orders unfiltered');

  // Search by the order number: that order alone.
  const search = agent.getByLabel('Search', { exact: true });
  await search.fill(placed.number);
  await search.press('Enter');
  await eventually(async () => {
    assert.equal(await ordersTable(agent).locator('tbody tr').count(), 1);
    assert.equal(await ordersTable(agent).locator('tbody tr').first().getAttribute('data-order'), placed.number);
  });
  assert.equal(new URL(agent.url()).searchParams.get('q'), placed.number);

  await agent.reload();
  await orderRow(agent, placed.number).waitFor();
  assert.equal(await ordersTable(agent).locator('tbody tr').count(), 1, 'still filtered after a reload');
  assert.equal(await agent.getByLabel('Search', { exact: true }).inputValue(), placed.number);

  // Clearing brings everything back; a status filter keeps only orders in that status.
  await agent.getByRole('button', { name: 'Clear filters' }).click();
  await eventually(async () => assert.ok((await ordersTable(agent).locator('tbody tr').count()) > 1));
  assert.equal(pathOf(agent), '/orders');
  await agent.locator('summary', { hasText: 'Any status' }).click();
  await agent.getByRole('checkbox', { name: 'Pending payment' }).check();
  await eventually(async () => {
    assert.equal(new URL(agent.url()).searchParams.get('status'), 'PENDING_PAYMENT');
    const statuses = await ordersTable(agent).locator('tbody tr td:nth-child(5) [data-status]').evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-status')),
    );
    assert.ok(statuses.length > 0, 'some orders wait for payment');
    assert.ok(statuses.every((s) => s === 'PENDING_PAYMENT'), `only pending orders: ${statuses}`);
  });
  assert.equal(await orderRow(agent, placed.number).count(), 0, 'the paid order is filtered out');
});

test('warehouse staff cannot open the order list', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, server.url, DEMO_USERS.WAREHOUSE.email);
    await page.goto(`${server.url}/orders`);
    await page.getByRole('heading', { name: 'You do not have access to this area' }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Orders' }).count(), 0);
  } finally {
    await context.close();
  }
});
