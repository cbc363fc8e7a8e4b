// After-sales across three desks, each in its own browser session: customer service opens a
// wrong-item case on a delivered order and approves the return; the warehouse, watching its
// returns screen, sees the parcel announced, receives it by its tracking number and passes the
// unit back into stock; finance, watching the refund queue, sees the refund arrive and approves
// it; customer service watches the case move through every step and the order end REFUNDED —
// nobody reloads a page.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const {
  DEMO_USERS,
  assertSameDocument,
  eventually,
  expectLive,
  expectPath,
  mainNav,
  openConsoleAs: openConsole,
  text,
} = require('./support/console');
const { carrierReports, orderParcels, shippedOrder } = require('./support/fulfilment');

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

const SKU = 'TEA-OOLONG-250';

const openConsoleAs = (email) => openConsole(browser, server.url, email);

/**
 * What the warehouse floor and the carrier do before the story starts, through the API: one
 * paid order of one tea is picked, packed, labelled, handed over and delivered.
 */
async function deliveredOrder() {
  const parcel = await shippedOrder(server, [{ sku: SKU, quantity: 1 }]);
  if (parcel.skip) return parcel;
  await carrierReports(server, parcel, 'DELIVERED', 'DELIVERED');
  await eventually(async () => assert.equal((await orderParcels(server, parcel.admin, parcel.order.number)).status, 'DELIVERED'));
  return parcel.order;
}

test('a wrong-item return goes from customer service through the warehouse to finance, live', async (t) => {
  const order = await deliveredOrder();
  if (order.skip) return t.skip(order.skip);

  const cs = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
  const warehouse = await openConsoleAs(DEMO_USERS.WAREHOUSE.email);
  const finance = await openConsoleAs(DEMO_USERS.FINANCE.email);

  // The warehouse and finance watch their screens before anything happens.
  await warehouse.goto(`${server.url}/warehouse/returns`);
  await warehouse.getByRole('navigation', { name: 'Warehouse' }).getByRole('link', { name: 'Returns', exact: true }).waitFor();
  await expectLive(warehouse);
  await mainNav(finance).getByRole('link', { name: 'Finance' }).click();
  await expectPath(finance, '/finance');
  await expectLive(finance);
  const refundItem = finance.getByRole('list', { name: 'Refunds waiting' }).locator(`li[data-order="${order.number}"]`);
  assert.equal(await refundItem.count(), 0, 'no refund is owed yet');

  // ---- Customer service opens the case ---------------------------------------------------
  await mainNav(cs).getByRole('link', { name: 'After-sales' }).click();
  await expectPath(cs, '/after-sales');
  await expectLive(cs);
  await cs.getByLabel('Order number').fill(order.number.toLowerCase());
  await cs.getByRole('button', { name: 'Find order' }).click();
  const form = cs.getByRole('form', { name: 'New case' });
  await form.waitFor();
  await form.getByLabel('Reason').selectOption('WRONG_ITEM');
  await form.getByLabel('The customer gets').selectOption('RETURN_AND_REFUND');
  // No units: the form says so and nothing is opened.
  await form.getByRole('button', { name: 'Open case' }).click();
  await form.getByRole('alert').filter({ hasText: 'Give the number of units for at least one line.' }).waitFor();
  await form.getByLabel(new RegExp(`^${SKU}`)).fill('1');
  await form.getByLabel('What the customer says').fill('A green tea came instead of the oolong.');
  await form.getByRole('button', { name: 'Open case' }).click();
  const opened = cs.getByRole('status').filter({ hasText: /^Case AS\S+ opened for order/ });
  await opened.waitFor();
  const [, caseNumber] = /^Case (\S+) opened/.exec(text(await opened.innerText()));
  const caseItem = (page) => page.getByRole('list', { name: 'Open cases' }).locator(`li[data-case="${caseNumber}"]`);
  await caseItem(cs).waitFor();
  assert.equal(await caseItem(cs).getAttribute('data-status'), 'REQUESTED');
  assert.match(text(await caseItem(cs).innerText()), /Wrong item · Return and refund/);
  assert.match(text(await caseItem(cs).innerText()), new RegExp(`${SKU} × 1`));

  // A second case for the same unit is refused with the server's reason, and nothing changes.
  await cs.getByLabel('Order number').fill(order.number);
  await cs.getByRole('button', { name: 'Find order' }).click();
  await form.waitFor();
  await form.getByLabel(new RegExp(`^${SKU}`)).fill('1');
  await form.getByRole('button', { name: 'Open case' }).click();
  await form.getByRole('alert').waitFor();
  assert.match(await form.getByRole('alert').innerText(), /already|left|claim/i);
  assert.equal(await cs.getByRole('list', { name: 'Open cases' }).locator('li[data-case]').count(), 1, 'still one case');

  // Approving sends the customer a return label.
  await caseItem(cs).getByRole('button', { name: 'Approve case' }).click();
  await eventually(async () => assert.equal(await caseItem(cs).getAttribute('data-status'), 'AWAITING_RETURN'));
  const tracking = text(await caseItem(cs).getByTestId('case-return-tracking').innerText()).split(' ').pop();
  assert.ok(tracking, 'the return label has a tracking number');
  await caseItem(cs).getByRole('button', { name: 'Return label' }).waitFor();

  // ---- The warehouse: the return was announced on its screen ------------------------------
  const expected = warehouse.getByRole('table', { name: 'Expected returns' }).locator(`tr[data-case="${caseNumber}"]`);
  await expected.waitFor();
  assert.match(text(await expected.innerText()), new RegExp(tracking));
  // A tracking number that belongs to no return is refused.
  await warehouse.getByLabel('Return tracking number').fill('NOPE-123');
  await warehouse.getByRole('button', { name: 'Receive' }).click();
  await warehouse.getByRole('alert').first().waitFor();
  await warehouse.getByLabel('Return tracking number').fill(tracking);
  await warehouse.getByRole('button', { name: 'Receive' }).click();
  await warehouse.getByRole('status').filter({ hasText: `Received the return of case ${caseNumber}` }).waitFor();
  await eventually(async () => assert.equal(await caseItem(cs).getAttribute('data-status'), 'RECEIVED'));

  const inspect = warehouse.getByRole('form', { name: 'Inspect a unit' });
  await inspect.getByLabel('Unit SKU').fill('MUG-CERAMIC-350');
  await inspect.getByRole('button', { name: 'Record verdict' }).click();
  await inspect.getByRole('alert').waitFor();
  await inspect.getByLabel('Unit SKU').fill(SKU);
  await inspect.getByLabel('Verdict').selectOption('PASS');
  await inspect.getByRole('button', { name: 'Record verdict' }).click();
  await warehouse.getByRole('status').filter({ hasText: `Case ${caseNumber} is inspected` }).waitFor();
  await eventually(async () => assert.equal(await expected.count(), 0, 'the return left the expected list'));

  // ---- Finance: the refund arrived in the queue ------------------------------------------
  await refundItem.waitFor({ timeout: 10_000 });
  assert.equal(await refundItem.getByTestId('refund-status').getAttribute('data-status'), 'REQUESTED');
  await eventually(async () => assert.match(text(await caseItem(cs).getByTestId('case-refund').innerText()), /Waiting for finance/));
  await refundItem.getByRole('button', { name: 'Approve refund' }).click();
  await finance.getByRole('status').filter({ hasText: `Refund for order ${order.number}` }).waitFor();
  await eventually(async () => assert.equal(await refundItem.count(), 0, 'the paid refund left the queue'));

  // ---- Customer service saw it all arrive; the case is resolved and the order refunded ----
  await eventually(async () => assert.equal(await caseItem(cs).count(), 0, 'the resolved case left the open cases'));
  for (const page of [cs, warehouse, finance]) await assertSameDocument(page);
  await cs.goto(`${server.url}/orders/${order.number}`);
  await eventually(async () =>
    assert.equal(await cs.locator('.order-title [data-status]').nth(1).getAttribute('data-status'), 'REFUNDED'),
  );
});
