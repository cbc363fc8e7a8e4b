// Review and allocation, as the people who do them: a reviewer clears an order the velocity rules
// held — the queue says which rules and with which numbers — and customer service, watching the
// order list, sees it allocated without reloading; customer service works the same queue with
// its own actions. A warehouse manager asks the dry run where a sample order would ship from,
// adds a rule and sees the answer change. Warehouse staff receive goods through the console and
// the stock table shows the new count; a correction the server refuses is shown as the server
// words it, and changes nothing.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const { graphql, placeOrder } = require('./support/api');
const { DEMO_USERS, eventually, expectPath, mainNav, signIn } = require('./support/console');

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

/** A new browser context signed in as `email`, on the dashboard. */
async function openConsoleAs(email) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.url, email);
  return page;
}

/** Waits until the page says its live updates run. */
async function expectLive(page) {
  await eventually(async () => assert.equal((await page.getByTestId('live-status').innerText()).trim(), 'Live'), {
    timeout: 15_000,
  });
  // The subscription was sent with the acknowledgement; give the server a moment to start it.
  await page.waitForTimeout(300);
}

async function markDocument(page) {
  await page.evaluate(() => {
    window.__orderlySameDocument = true;
  });
}

async function assertSameDocument(page) {
  assert.equal(await page.evaluate(() => window.__orderlySameDocument === true), true, 'the page was not reloaded');
}

function text(s) {
  return s.replace(/\s+/g, ' ').trim();
}

// ---- Review ----------------------------------------------------------------------------------

function queue(page) {
  return page.getByRole('list', { name: 'Held orders' });
}

/** The queued order held for `code`. */
function heldFor(page, code) {
  return queue(page).locator('li.queue-item').filter({ has: page.locator(`[data-code="${code}"]`) });
}

function queuedOrder(page, number) {
  return queue(page).locator(`li.queue-item[data-order="${number}"]`);
}

function orderRow(page, number) {
  return page.getByRole('table', { name: 'Orders' }).locator(`tbody tr[data-order="${number}"]`);
}

async function rowStatus(page, number) {
  return orderRow(page, number).locator('td').nth(4).locator('[data-status]').getAttribute('data-status');
}

async function openReviewQueue(page) {
  await mainNav(page).getByRole('link', { name: 'Review queue' }).click();
  await expectPath(page, '/review');
  await expectLive(page);
}

test('a reviewer sees why an order was held, with the numbers, and approves it; customer service sees it allocated without reloading', async () => {
  const cs = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
  const reviewer = await openConsoleAs(DEMO_USERS.REVIEWER.email);
  try {
    await mainNav(cs).getByRole('link', { name: 'Orders', exact: true }).click();
    await expectPath(cs, '/orders');
    await expectLive(cs);
    await markDocument(cs);

    await openReviewQueue(reviewer);
    const item = heldFor(reviewer, 'RISK_VELOCITY_ADDRESS');
    await item.waitFor();
    assert.equal(await item.count(), 1, 'one order held for too many orders to one address');
    const number = await item.getAttribute('data-order');

    // Who, how much, how long, and every reason with its numbers.
    const title = item.getByRole('heading', { level: 3 });
    assert.equal((await title.innerText()).trim(), number);
    assert.match(text(await item.innerText()), /Han Meimei/);
    assert.equal(
      (await item.locator('[data-code="RISK_VELOCITY_ADDRESS"] .hold-message').innerText()).trim(),
      '4 orders to this address in 60 min, limit 3',
    );
    assert.match(
      (await item.locator('[data-code="RISK_VELOCITY_PHONE"] .hold-message').innerText()).trim(),
      /^4 orders from phone \+86\d+ in 60 min, limit 3$/,
    );
    assert.equal(text(await item.locator('[data-code="RISK_VELOCITY_ADDRESS"] .hold-label').innerText()), 'Many orders to one address');
    assert.match((await item.getByTestId('queue-total').innerText()).trim(), /^CNY \d+\.\d{2}$/);
    assert.match((await item.getByTestId('queue-age').innerText()).trim(), /^(under a minute|\d+ min) ago$/);

    // Oldest first: the order held earlier for a payment mismatch comes before it.
    const numbers = await queue(reviewer).locator('li.queue-item').evaluateAll((els) => els.map((e) => e.dataset.order));
    const mismatch = await heldFor(reviewer, 'PAYMENT_MISMATCH').getAttribute('data-order');
    assert.ok(numbers.indexOf(mismatch) < numbers.indexOf(number), `oldest first: ${numbers}`);

    // A reviewer decides; customer service's actions are not offered.
    const actions = item.getByRole('group', { name: `Actions for order ${number}` });
    assert.deepEqual((await actions.getByRole('button').allInnerTexts()).map((s) => s.trim()), ['Approve', 'Reject']);

    // Customer service sees the order on hold in the list.
    await orderRow(cs, number).waitFor();
    assert.equal(await rowStatus(cs, number), 'ON_HOLD');

    await actions.getByRole('button', { name: 'Approve' }).click();
    const form = item.getByRole('form', { name: `Approve order ${number}` });
    await form.getByLabel('Note (optional)').fill('Called the customer: office orders for the team.');
    await form.getByRole('button', { name: 'Approve order' }).click();

    await eventually(async () =>
      assert.equal(
        (await reviewer.getByRole('status').filter({ hasText: `Order ${number}` }).innerText()).trim(),
        `Order ${number} approved: now Allocated.`,
      ),
    );
    await eventually(async () => assert.equal(await queuedOrder(reviewer, number).count(), 0, 'the order left the queue'));

    // Customer service's open list follows, without a reload.
    await eventually(async () => assert.equal(await rowStatus(cs, number), 'ALLOCATED'), { timeout: 10_000 });
    await assertSameDocument(cs);

    // The decision, its note and who made it are on the order's timeline.
    await reviewer.goto(`${server.url}/orders/${number}`);
    const timeline = reviewer.getByRole('region', { name: 'Timeline' });
    await eventually(async () => {
      const rows = (await timeline.locator('tbody tr').allInnerTexts()).map(text);
      assert.ok(
        rows.some((r) => /On hold → Approved/.test(r) && /reviewer@orderly/.test(r) && /office orders for the team/.test(r)),
        `the approval in ${JSON.stringify(rows)}`,
      );
    });
    assert.equal(await reviewer.getByRole('region', { name: 'On hold because' }).count(), 0, 'no holds left');
    await reviewer.getByRole('region', { name: 'Shipments' }).locator('tbody tr').first().waitFor();
  } finally {
    await cs.context().close();
    await reviewer.context().close();
  }
});

test('customer service works the same queue with its own actions: a verification call is recorded, a cancellation needs a reason', async () => {
  const cs = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
  try {
    await openReviewQueue(cs);
    const item = heldFor(cs, 'PAYMENT_MISMATCH');
    await item.waitFor();
    const number = await item.getAttribute('data-order');
    assert.match(
      (await item.locator('[data-code="PAYMENT_MISMATCH"] .hold-message').innerText()).trim(),
      /1500\.00/,
      'the mismatch names the amount paid',
    );
    const actions = item.getByRole('group', { name: `Actions for order ${number}` });
    // A payment mismatch is a reviewer's to clear: no release for customer service.
    assert.deepEqual((await actions.getByRole('button').allInnerTexts()).map((s) => s.trim()), ['Record call', 'Cancel order']);

    // Cancelling without a reason is refused beside the field.
    await actions.getByRole('button', { name: 'Cancel order' }).click();
    const cancel = item.getByRole('form', { name: `Cancel order ${number}` });
    await cancel.getByRole('button', { name: 'Cancel order' }).click();
    assert.match(await cancel.locator('.field.has-error').innerText(), /Give a reason/);
    await cancel.getByRole('button', { name: 'Back' }).click();

    // The customer did not answer: the call is on record, the order stays held.
    await actions.getByRole('button', { name: 'Record call' }).click();
    const call = item.getByRole('form', { name: `Record a call for ${number}` });
    await call.getByLabel(/Not reached/).check();
    assert.equal(await call.getByLabel('Recipient').count(), 0, 'no address asked for');
    await call.getByLabel('What the customer said').fill('No answer at 14:05; will try again.');
    await call.getByRole('button', { name: 'Record call' }).click();
    await eventually(async () =>
      assert.equal(
        (await cs.getByRole('status').filter({ hasText: `Order ${number}` }).innerText()).trim(),
        `Order ${number} call recorded: now On hold.`,
      ),
    );
    await queuedOrder(cs, number).waitFor();

    // A corrected address asks for the address, starting from the one on the order.
    await queuedOrder(cs, number).getByRole('button', { name: 'Record call' }).click();
    const again = queuedOrder(cs, number).getByRole('form', { name: `Record a call for ${number}` });
    await again.getByLabel(/Corrected/).check();
    assert.equal(await again.getByLabel('Recipient').inputValue(), 'Han Meimei');
    assert.equal(await again.getByLabel('Country (ISO code)').inputValue(), 'CN');
  } finally {
    await cs.context().close();
  }
});

test('reviewers keep the risk rules, whose parameters read with their numbers', async () => {
  const reviewer = await openConsoleAs(DEMO_USERS.REVIEWER.email);
  try {
    await openReviewQueue(reviewer);
    await reviewer.getByRole('navigation', { name: 'Review' }).getByRole('link', { name: 'Risk settings' }).click();
    await expectPath(reviewer, '/review/risk');
    const rules = reviewer.getByRole('table', { name: 'Risk rules' });
    const velocity = rules.locator('tbody tr').filter({ hasText: 'Orders to one address' });
    await velocity.first().waitFor();
    assert.match(text(await velocity.first().innerText()), /more than 3 orders in 60 min/);

    // Editing shows the parameters of the rule's type only.
    await velocity.first().getByRole('button', { name: 'Edit' }).click();
    const form = rules.getByRole('form', { name: 'Risk rule' });
    assert.equal(await form.getByLabel('Limit').inputValue(), '3');
    assert.equal(await form.getByLabel('Window (minutes)').inputValue(), '60');
    assert.equal(await form.getByLabel('Amount').count(), 0);
    await form.getByLabel('Limit').fill('');
    await form.getByLabel('Limit').fill('5');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await eventually(async () => assert.match(text(await velocity.first().innerText()), /more than 5 orders in 60 min/));

    // Customer service may not open the risk settings.
    const cs = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
    try {
      await cs.goto(`${server.url}/review/risk`);
      await cs.getByRole('heading', { name: 'You do not have access to this area' }).waitFor();
      assert.equal(await cs.getByRole('navigation', { name: 'Review' }).count(), 0, 'no tabs for one tab');
    } finally {
      await cs.context().close();
    }
  } finally {
    await reviewer.context().close();
  }
});

// ---- Allocation ------------------------------------------------------------------------------

async function openWarehouse(page) {
  await mainNav(page).getByRole('link', { name: 'Warehouse', exact: true }).click();
  await expectPath(page, '/warehouse');
}

test('a warehouse manager asks where an order would ship from, adds a rule, and the dry run follows', async () => {
  const page = await openConsoleAs(DEMO_USERS.WAREHOUSE.email);
  try {
    await openWarehouse(page);
    await page.getByRole('navigation', { name: 'Warehouse' }).getByRole('link', { name: 'Allocation rules' }).click();
    await expectPath(page, '/warehouse/allocation');

    const rules = page.getByRole('table', { name: 'Allocation rules' });
    const fallback = rules.locator('tbody tr[data-rule="Nearest warehouse, split allowed"]');
    await fallback.waitFor();
    const cells = (await fallback.getByRole('cell').allInnerTexts()).map(text);
    assert.deepEqual(cells.slice(0, 5), [
      'last',
      'Nearest warehouse, split allowed default',
      'every order',
      'Nearest to the customer',
      'Split allowed',
    ]);

    // A sample order to Guangdong, of a mug that both Guangzhou and Shanghai stock.
    const dryRun = page.getByRole('region', { name: 'Dry run', exact: true });
    await dryRun.getByLabel('Country').fill('CN');
    await dryRun.getByLabel('Region').fill('Guangdong');
    await dryRun.getByLabel('SKU 1').fill('MUG-CERAMIC-350');
    await dryRun.getByLabel('Quantity 1').fill('1');
    await dryRun.getByRole('button', { name: 'Run dry run' }).click();
    const result = page.getByRole('region', { name: 'Dry run result' });
    await eventually(async () => assert.equal((await result.getByTestId('dry-run-rule').innerText()).trim(), 'Nearest warehouse, split allowed'));
    assert.match(text(await result.locator('.dry-run-verdict').innerText()), /default/);
    const shipments = result.getByRole('table', { name: 'Planned shipments' });
    assert.deepEqual(await shipments.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.warehouse)), ['GZ1']);
    assert.match(text(await shipments.innerText()), /MUG-CERAMIC-350 × 1/);
    assert.equal((await result.getByTestId('dry-run-ranking').locator('li').first().innerText()).trim(), 'GZ1');
    assert.match(text(await result.innerText()), /no rule matched, so the default rule Nearest warehouse, split allowed applies/);
    assert.match(text(await result.innerText()), /nearest first: GZ1 \(same region\)/);

    // A rule naming an unknown warehouse is refused beside the field.
    await page.getByRole('button', { name: 'New rule' }).click();
    const form = page.getByRole('form', { name: 'Allocation rule' });
    await form.getByLabel('Name').fill('Guangdong ships from Shanghai');
    await form.getByLabel('Position').fill('10');
    await form.getByLabel('Regions').fill('Guangdong');
    assert.equal(await form.getByLabel('Strategy').inputValue(), 'FIXED_LIST');
    await form.getByLabel('Warehouses').fill('XX9');
    await form.getByRole('button', { name: 'Save rule' }).click();
    await eventually(async () =>
      assert.match(await form.locator('.field.has-error').filter({ hasText: 'Warehouses' }).innerText(), /Warehouse XX9 is not known/),
    );
    assert.equal(await rules.locator('tbody tr[data-rule="Guangdong ships from Shanghai"]').count(), 0, 'nothing saved');

    await form.getByLabel('Warehouses').fill('SH1');
    await form.getByLabel('Split').selectOption('SHIP_COMPLETE');
    await form.getByRole('button', { name: 'Save rule' }).click();
    const added = rules.locator('tbody tr[data-rule="Guangdong ships from Shanghai"]');
    await added.waitFor();
    assert.deepEqual((await added.getByRole('cell').allInnerTexts()).map(text).slice(0, 5), [
      '1',
      'Guangdong ships from Shanghai',
      'regions Guangdong',
      'Fixed list: SH1',
      'Ship complete from one warehouse',
    ]);

    // The same sample now takes the new rule, and ships from Shanghai.
    await dryRun.getByRole('button', { name: 'Run dry run' }).click();
    await eventually(async () => assert.equal((await result.getByTestId('dry-run-rule').innerText()).trim(), 'Guangdong ships from Shanghai'));
    assert.doesNotMatch(text(await result.locator('.dry-run-verdict').innerText()), /default/);
    assert.deepEqual(
      await result.getByRole('table', { name: 'Planned shipments' }).locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.warehouse)),
      ['SH1'],
    );
    const matched = result.getByRole('table', { name: 'Rules tried' }).locator('tbody tr[data-rule="Guangdong ships from Shanghai"]');
    assert.equal(await matched.getAttribute('data-matched'), 'true');
    assert.match(text(await matched.innerText()), /Guangdong/, 'the reason names the region');
  } finally {
    await page.context().close();
  }
});

// ---- Stock -----------------------------------------------------------------------------------

function stockTable(page) {
  return page.getByRole('table', { name: 'Stock levels' });
}

function stockRow(page, key) {
  return stockTable(page).locator(`tbody tr[data-stock="${key}"]`);
}

async function cellNumber(row, testId) {
  return Number((await row.getByTestId(testId).innerText()).trim().split(/\s/)[0]);
}

/** Narrows the stock table to a warehouse ('' for all) and a SKU. */
async function narrowStock(page, warehouse, sku) {
  const filters = page.getByRole('search', { name: 'Stock filters' });
  await filters.getByLabel('Warehouse').selectOption(warehouse);
  await filters.getByLabel('SKU').fill(sku);
  await filters.getByRole('button', { name: 'Show' }).click();
}

function changeForm(page) {
  return page.getByRole('form', { name: 'Receive or adjust stock' });
}

test('warehouse staff receive goods through the form and the stock table shows the new on-hand count', async () => {
  const page = await openConsoleAs(DEMO_USERS.WAREHOUSE.email);
  try {
    await openWarehouse(page);
    await narrowStock(page, 'SH1', 'TEA-OOLONG-250');
    const row = stockRow(page, 'SH1/A-01-01-1/TEA-OOLONG-250');
    await row.waitFor();
    await eventually(async () => assert.equal(await stockTable(page).locator('tbody tr').count(), 2, 'two bins of oolong in Shanghai'));
    const before = await cellNumber(row, 'on-hand');

    await row.getByRole('button', { name: 'Change' }).click();
    const form = changeForm(page);
    assert.equal(await form.getByLabel('Warehouse').inputValue(), 'SH1');
    assert.equal(await form.getByLabel('Bin').inputValue(), 'A-01-01-1');
    assert.equal(await form.getByLabel('SKU').inputValue(), 'TEA-OOLONG-250');
    await form.getByLabel('Quantity').fill('10');
    await form.getByLabel('Reason').fill('Delivery from the tea supplier');
    await form.getByLabel('Reference (optional)').fill('DN-2026-1125');
    await form.getByRole('button', { name: 'Receive stock' }).click();

    await eventually(async () =>
      assert.match(
        (await form.getByRole('status').innerText()).trim(),
        new RegExp(`^Received 10 × TEA-OOLONG-250 in SH1 A-01-01-1: ${before + 10} on hand, \\d+ reserved, \\d+ available\\.$`),
      ),
    );
    await eventually(async () => assert.equal(await cellNumber(row, 'on-hand'), before + 10));

    // The receipt is the newest line of the ledger.
    const ledger = page.getByRole('table', { name: 'Stock ledger' });
    await eventually(async () => {
      const newest = text(await ledger.locator('tbody tr').first().innerText());
      assert.match(newest, /Receipt TEA-OOLONG-250 \+10 0 Delivery from the tea supplier DN-2026-1125 warehouse@orderly\.example/);
    });
  } finally {
    await page.context().close();
  }
});

test('a correction below what orders have reserved, or without a reason, is refused as the server words it and changes nothing', async (t) => {
  if (!server.partnerKey()) return t.skip('the server did not print a partner API key for channel demo-store');
  // A cash-on-delivery order is approved and allocated at once: it reserves oolong somewhere.
  const order = await placeOrder(server.url, server.partnerKey(), {
    paymentMethod: 'CASH_ON_DELIVERY',
    lines: [{ sku: 'TEA-OOLONG-250', quantity: 2 }],
  });
  if (order.unknownSku) return t.skip(order.unknownSku);
  await eventually(async () => {
    const body = await graphql(server.url, 'query($id: ID) { order(id: $id) { status } }', { id: order.id }, { apiKey: server.partnerKey() });
    assert.equal(body.data.order.status, 'ALLOCATED');
  });

  const page = await openConsoleAs(DEMO_USERS.WAREHOUSE.email);
  try {
    await openWarehouse(page);
    await narrowStock(page, '', 'TEA-OOLONG-250');
    await stockTable(page).locator('tbody tr').first().waitFor();
    const levels = await stockTable(page)
      .locator('tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => ({
          key: r.dataset.stock,
          onHand: Number(r.querySelector('[data-testid="on-hand"]').textContent.trim()),
          reserved: Number(r.querySelector('[data-testid="reserved"]').textContent.trim()),
        })),
      );
    const promised = levels.find((l) => l.reserved > 0);
    assert.ok(promised, `some oolong is reserved: ${JSON.stringify(levels)}`);
    const row = stockRow(page, promised.key);
    const [, bin] = promised.key.split('/');

    // Taking away one unit more than is free would leave less on hand than is reserved.
    const tooMany = promised.onHand - promised.reserved + 1;
    await row.getByRole('button', { name: 'Change' }).click();
    const form = changeForm(page);
    await form.getByLabel('Correct a count').check();
    await form.getByLabel('Quantity').fill(`-${tooMany}`);
    await form.getByLabel('Reason').fill('Cycle count');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await eventually(async () =>
      assert.equal(
        (await form.getByRole('alert').innerText()).trim(),
        `TEA-OOLONG-250: the bin holds ${promised.onHand} on hand with ${promised.reserved} reserved; ` +
          `ADJUSTMENT of ${tooMany} would leave ${promised.reserved - 1} on hand and ${promised.reserved} reserved`,
      ),
    );
    assert.equal(await form.getByRole('status').count(), 0, 'no success');
    assert.equal(await form.getByLabel('Bin').inputValue(), bin);

    // No reason: the server's words, beside the reason.
    await form.getByLabel('Quantity').fill('-1');
    await form.getByLabel('Reason').fill('');
    await form.getByRole('button', { name: 'Save correction' }).click();
    await eventually(async () =>
      assert.equal((await form.locator('.field.has-error').filter({ hasText: 'Reason' }).locator('.field-error').innerText()).trim(), 'Every stock change needs a reason'),
    );

    // Nothing changed: not the row, not the ledger.
    assert.equal(await cellNumber(row, 'on-hand'), promised.onHand);
    assert.equal(await cellNumber(row, 'reserved'), promised.reserved);
    await page.reload();
    await narrowStock(page, '', 'TEA-OOLONG-250');
    await eventually(async () => assert.equal(await cellNumber(stockRow(page, promised.key), 'on-hand'), promised.onHand));
    const ledger = page.getByRole('table', { name: 'Stock ledger' });
    await ledger.locator('tbody tr').first().waitFor();
    assert.equal(await ledger.locator('tbody tr[data-kind="ADJUSTMENT"]').count(), 0, 'no correction in the ledger');
  } finally {
    await page.context().close();
  }
});
