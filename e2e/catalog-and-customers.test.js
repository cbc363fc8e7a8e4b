// Staff look things up: every member of staff browses and searches the demo catalogue; those who
// work with orders find a customer and go straight to their orders; and in demo mode finance
// staff have the simulated gateway pay a pending order, which passes the automatic review and is
// allocated on screen.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
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

function productsTable(page) {
  return page.getByRole('table', { name: 'Products' });
}

async function listedSkus(page) {
  return productsTable(page)
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-sku')));
}

test('warehouse staff browse the demo catalogue, search it and narrow it by category', async () => {
  const page = await openConsoleAs(DEMO_USERS.WAREHOUSE.email);
  try {
    await mainNav(page).getByRole('link', { name: 'Products', exact: true }).click();
    await expectPath(page, '/catalog');
    await page.getByRole('heading', { level: 1, name: 'Products' }).waitFor();
    await productsTable(page).locator('tbody tr[data-sku="TEA-OOLONG-250"]').waitFor();

    // One row: the SKU, name, category, price, barcode, weight and handling flags.
    const pot = productsTable(page).locator('tbody tr[data-sku="POT-YIXING-200"]');
    const cells = (await pot.getByRole('cell').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());
    assert.equal(cells[0], 'POT-YIXING-200');
    assert.match(cells[1], /Yixing clay teapot/);
    assert.equal(cells[2], 'ceramics');
    assert.equal(cells[3], 'CNY 458.00');
    assert.equal(cells[4], '6901234000122');
    assert.equal(cells[5], '320 g');
    const flags = await pot.locator('[data-flag]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flag')));
    assert.deepEqual(flags, ['fragile', 'high value']);
    assert.equal(await productsTable(page).locator('tbody tr[data-sku="NOTEBOOK-A5"] [data-flag]').count(), 0);

    // Paging: the rest of the catalogue comes with "Load more".
    const firstPage = (await listedSkus(page)).length;
    await page.getByRole('button', { name: 'Load more' }).click();
    await eventually(async () => assert.ok((await listedSkus(page)).length > firstPage, 'more products after Load more'));
    assert.ok((await listedSkus(page)).includes('BACKPACK-20L'), 'the last demo product');

    // Search.
    const search = page.getByLabel('Search', { exact: true });
    await search.fill('oolong');
    await search.press('Enter');
    await eventually(async () => assert.deepEqual(await listedSkus(page), ['TEA-OOLONG-250']));

    // Category.
    await search.fill('');
    await search.press('Enter');
    await eventually(async () => assert.ok((await listedSkus(page)).length > 1));
    await page.getByLabel('Category').selectOption('ceramics');
    await eventually(async () => {
      const categories = await productsTable(page)
        .locator('tbody tr td:nth-child(3)')
        .allInnerTexts()
        .then((t) => t.map((s) => s.trim()));
      assert.ok(categories.length >= 4, `several ceramics: ${categories}`);
      assert.ok(
        categories.every((c) => c === 'ceramics'),
        `only ceramics: ${categories}`,
      );
    });
    assert.ok((await listedSkus(page)).includes('MUG-CERAMIC-350'));
  } finally {
    await page.context().close();
  }
});

test('customer service find a demo customer and open their orders', async () => {
  const page = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
  try {
    await mainNav(page).getByRole('link', { name: 'Customers', exact: true }).click();
    await expectPath(page, '/customers');
    const table = page.getByRole('table', { name: 'Customers' });
    await table.locator('tbody tr[data-customer="li.lei@example.com"]').waitFor();
    const emails = await table
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer')));
    for (const email of ['li.lei@example.com', 'han.meimei@example.com', 'wang.fang@example.com', 'zhang.wei@example.com']) {
      assert.ok(emails.includes(email), `${email} in ${emails}`);
    }
    const cells = (await table.locator('tbody tr[data-customer="wang.fang@example.com"]').getByRole('cell').allInnerTexts()).map(
      (c) => c.trim(),
    );
    assert.equal(cells[0], 'Wang Fang');
    assert.match(cells[2], /13698765432/);
    assert.match(cells[3], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'since, in UTC');

    // Search narrows the list.
    const search = page.getByLabel('Search', { exact: true });
    await search.fill('Meimei');
    await search.press('Enter');
    await eventually(async () => {
      const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-customer')));
      assert.deepEqual(shown, ['han.meimei@example.com']);
    });

    // A customer leads to their orders.
    await table.getByRole('link', { name: 'Han Meimei' }).click();
    await expectPath(page, '/orders');
    assert.equal(new URL(page.url()).searchParams.get('search'), 'han.meimei@example.com');
    const orders = page.getByRole('table', { name: 'Orders' });
    await eventually(async () => {
      const customers = await orders.locator('tbody tr td:nth-child(3)').allInnerTexts();
      assert.ok(customers.length > 0, 'the customer has orders');
      assert.ok(
        customers.every((c) => /han\.meimei@example\.com/.test(c.replace(/\s+/g, ''))),
        `only Han Meimei's orders: ${customers}`,
      );
    });
    assert.equal(await page.getByLabel('Search', { exact: true }).inputValue(), 'han.meimei@example.com');
  } finally {
    await page.context().close();
  }
});

test('warehouse staff do not see customers', async () => {
  const page = await openConsoleAs(DEMO_USERS.WAREHOUSE.email);
  try {
    await page.goto(`${server.url}/customers`);
    await page.getByRole('heading', { name: 'You do not have access to this area' }).waitFor();
    assert.equal(await page.getByRole('table', { name: 'Customers' }).count(), 0);
  } finally {
    await page.context().close();
  }
});

/** The number of a demo order that waits for payment, as the order list shows it. */
async function pendingOrderNumber(page) {
  await page.goto(`${server.url}/orders?status=PENDING_PAYMENT`);
  const first = page.getByRole('table', { name: 'Orders' }).locator('tbody tr').first();
  await first.waitFor();
  return first.getAttribute('data-order');
}

function headerStatus(page) {
  return page.locator('header.order-header .order-title [data-status]').first().getAttribute('data-status');
}

test('finance staff simulate a successful payment and the order turns Allocated on screen', async () => {
  const cs = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
  const finance = await openConsoleAs(DEMO_USERS.FINANCE.email);
  try {
    const number = await pendingOrderNumber(finance);
    assert.ok(number, 'the demo data has an order waiting for payment');

    // Customer service may see the order but not pay it.
    await cs.goto(`${server.url}/orders/${number}`);
    await cs.getByRole('heading', { level: 1, name: `Order ${number}` }).waitFor();
    assert.equal(await cs.getByRole('button', { name: 'Payment succeeded' }).count(), 0);

    await finance.goto(`${server.url}/orders/${number}`);
    await finance.getByRole('heading', { level: 1, name: `Order ${number}` }).waitFor();
    assert.equal(await headerStatus(finance), 'PENDING_PAYMENT');
    const card = finance.getByRole('region', { name: 'Demo: simulate payment' });
    await card.waitFor();
    const total = (await finance.getByTestId('order-total').innerText()).trim();
    assert.equal(`CNY ${await card.getByLabel(/Amount/).inputValue()}`, total, 'the amount defaults to the total');
    await eventually(async () => assert.equal((await finance.getByTestId('live-status').innerText()).trim(), 'Live'), {
      timeout: 15_000,
    });

    await card.getByRole('button', { name: 'Payment succeeded' }).click();
    // Paid, the order passes the automatic review and its stock is reserved at once.
    await eventually(async () => assert.equal(await headerStatus(finance), 'ALLOCATED'), { timeout: 10_000 });
    assert.equal(await finance.getByRole('region', { name: 'Demo: simulate payment' }).count(), 0, 'nothing left to pay');
    await eventually(async () => {
      const timeline = await finance.getByRole('region', { name: 'Timeline' }).innerText();
      assert.match(timeline, /Payment received/);
      assert.match(timeline, /Pending payment\s*→\s*Confirmed/);
      assert.match(timeline, /Approved\s*→\s*Allocated/);
    });
    assert.match(
      await finance.getByRole('region', { name: 'Shipments' }).innerText(),
      /Waiting for picking/,
      'a shipment waits for the warehouse',
    );
    // The other open page follows too.
    await eventually(async () => assert.equal(await headerStatus(cs), 'ALLOCATED'), { timeout: 10_000 });
  } finally {
    await cs.context().close();
    await finance.context().close();
  }
});
