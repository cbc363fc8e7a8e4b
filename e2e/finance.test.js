// Finance's money screens in a real browser: the payments ledger filtered and downloaded as
// CSV, and a carrier's cash-on-delivery statement reconciled — a mistyped parcel is refused at
// its line and nothing is recorded, the corrected statement shows the short payment, and the
// collection leaves the list of cash still owed.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const { DEMO_USERS, eventually, expectPath, mainNav, openConsoleAs, text } = require('./support/console');
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

/** A cash-on-delivery order of one tea, delivered: the carrier now holds the cash. */
async function collectedOrder() {
  const parcel = await shippedOrder(server, [{ sku: 'TEA-OOLONG-250', quantity: 1 }], { paymentMethod: 'CASH_ON_DELIVERY' });
  if (parcel.skip) return parcel;
  await carrierReports(server, parcel, 'DELIVERED', 'DELIVERED');
  await eventually(async () => assert.equal((await orderParcels(server, parcel.admin, parcel.order.number)).status, 'DELIVERED'));
  return parcel;
}

/** `12.30` less `delta` cents, as a decimal string. */
function less(amount, cents) {
  const [whole, frac = '0'] = amount.split('.');
  const total = Number(whole) * 100 + Number(frac.padEnd(2, '0')) - cents;
  return `${Math.floor(total / 100)}.${String(total % 100).padStart(2, '0')}`;
}

test('the payments ledger filters by kind and downloads the same rows as CSV', async () => {
  const finance = await openConsoleAs(browser, server.url, DEMO_USERS.FINANCE.email);
  await mainNav(finance).getByRole('link', { name: 'Finance' }).click();
  await finance.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Payments' }).click();
  await expectPath(finance, '/finance/payments');
  const rows = finance.getByRole('table', { name: 'Payments' }).locator('tbody tr');
  await eventually(async () => assert.ok((await rows.count()) >= 3, 'the demo payments are listed'));
  const captures = await finance.locator('tbody tr[data-kind="CAPTURE"]').count();
  assert.ok(captures >= 3, `demo captures: ${captures}`);

  await finance.getByLabel('Kind').selectOption('REFUND');
  await finance.getByRole('button', { name: 'Show' }).click();
  await eventually(async () => {
    const kinds = await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.kind));
    assert.ok(kinds.every((k) => k === 'REFUND'), `only refunds: ${kinds}`);
  });

  await finance.getByLabel('Kind').selectOption('CAPTURE');
  await finance.getByRole('button', { name: 'Show' }).click();
  await eventually(async () => assert.equal(await rows.count(), captures));
  const [download] = await Promise.all([finance.waitForEvent('download'), finance.getByTestId('export-payments').click()]);
  assert.equal(download.suggestedFilename(), 'payments.csv');
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(csv[0], 'id,at,order_number,kind,provider,reference,amount,currency,detail');
  assert.equal(csv.length - 1, captures, 'the file holds the filtered rows');
  assert.ok(csv.slice(1).every((line) => line.split(',')[3] === 'CAPTURE'), csv.join('\n'));
  const firstShown = await rows.first().getAttribute('data-order');
  assert.equal(csv[1].split(',')[2], firstShown, 'newest first, like the screen');
  await finance.context().close();
});

test('a carrier statement is reconciled against the cash collected at the door', async (t) => {
  const parcel = await collectedOrder();
  if (parcel.skip) return t.skip(parcel.skip);
  const { order, trackingNumber, carrier } = parcel;

  const finance = await openConsoleAs(browser, server.url, DEMO_USERS.FINANCE.email);
  await finance.goto(`${server.url}/finance/cod`);
  await finance.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Cash on delivery' }).waitFor();
  const owed = finance.getByRole('table', { name: 'Collections waiting for a statement' }).locator(`tr[data-order="${order.number}"]`);
  await owed.waitFor();
  const collected = text(await owed.locator('td.num').innerText());
  assert.equal(collected, `${order.total.currency} ${order.total.amount}`);

  const form = finance.getByRole('form', { name: 'Carrier statement' });
  await form.getByLabel('Carrier').fill(carrier);
  const reference = `ST-${Date.now()}`;
  await form.getByLabel('Statement number').fill(reference);
  const short = less(order.total.amount, 100);
  await form.getByLabel('Parcels: tracking number and amount, one per line').fill(`${trackingNumber}, ${short}\nSIM0000000000, 5.00`);
  await form.getByRole('button', { name: 'Record statement' }).click();
  await eventually(async () =>
    assert.match(text(await form.innerText()), /Line 2: .*no parcel with tracking number SIM0000000000/),
  );
  assert.equal(await owed.count(), 1, 'nothing was recorded');

  await form.getByLabel('Parcels: tracking number and amount, one per line').fill(`${trackingNumber}\t${short}`);
  await form.getByRole('button', { name: 'Record statement' }).click();
  const result = finance.getByRole('table', { name: `Statement ${reference}` }).first();
  await result.waitFor();
  const line = result.locator('tbody tr').first();
  assert.equal(await line.getAttribute('data-finding'), 'SHORT');
  assert.match(text(await line.innerText()), new RegExp(`${order.number} .*-1\\.00`));
  await eventually(async () => assert.equal(await owed.count(), 0, 'the collection is no longer owed'));
  const statement = finance.getByRole('list', { name: 'Statements' }).locator(`li[data-reference="${reference}"]`);
  await statement.waitFor();
  assert.match(text(await statement.innerText()), /-1\.00 difference/);
  const balance = finance.locator(`tr[data-carrier="${carrier}"] [data-testid="cod-difference"]`);
  assert.match(text(await balance.innerText()), /-1\.00/);

  // The same statement again is refused with the server's sentence.
  await form.getByLabel('Statement number').fill(reference);
  await form.getByLabel('Parcels: tracking number and amount, one per line').fill(`${trackingNumber}, ${short}`);
  await form.getByRole('button', { name: 'Record statement' }).click();
  await eventually(async () => assert.match(text(await form.innerText()), /already/));
  await finance.context().close();
});
