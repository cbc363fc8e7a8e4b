// Delivery exceptions and partner webhooks.
//
// Customer service watches the exceptions queue when the carrier reports that it cannot find
// a parcel's address: the task appears without a reload, with the parcel and whom to call. The
// agent records the call, tries to refund without saying how much and is told so by the
// server, then has the parcel re-delivered to the corrected address — and the task leaves the
// queue of a second agent watching, live.
//
// An admin registers a partner's webhook endpoint: a wrong address is refused with the
// server's sentence; a right one shows its signing secret once, the partner receives the next
// order event signed with exactly that secret, and the delivery log shows it with its attempt.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const { graphql, placeOrder, signature } = require('./support/api');
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
const { carrierReports, shippedOrder } = require('./support/fulfilment');
const { staffToken } = require('./support/warehouse');

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

function exceptionItem(page, orderNumber) {
  return page.getByRole('list', { name: 'Open exceptions' }).locator(`li[data-order="${orderNumber}"]`);
}

test('customer service works an address exception from the live queue to a re-delivery', async (t) => {
  const parcel = await shippedOrder(server, [{ sku: SKU, quantity: 1 }]);
  if (parcel.skip) return t.skip(parcel.skip);
  const { order } = parcel;

  // Two agents watch the queue before anything happens: one works it, one only watches.
  const cs = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
  const watcher = await openConsoleAs(DEMO_USERS.ADMIN.email);
  await mainNav(cs).getByRole('link', { name: 'After-sales' }).click();
  await expectPath(cs, '/after-sales');
  await cs.getByRole('navigation', { name: 'After-sales' }).getByRole('link', { name: 'Exceptions' }).click();
  await expectPath(cs, '/after-sales/exceptions');
  await watcher.goto(`${server.url}/after-sales/exceptions`);
  for (const page of [cs, watcher]) {
    await expectLive(page);
    assert.equal(await exceptionItem(page, order.number).count(), 0, 'no exception yet');
  }

  // ---- The carrier cannot find the address: the task appears on both screens -------------
  await carrierReports(server, parcel, 'ADDRESS_UNKNOWN', 'EXCEPTION');
  const item = exceptionItem(cs, order.number);
  await item.waitFor({ timeout: 10_000 });
  await exceptionItem(watcher, order.number).waitFor({ timeout: 10_000 });
  assert.equal(await item.getAttribute('data-code'), 'ADDRESS_UNKNOWN');
  const said = text(await item.innerText());
  assert.match(said, /Address unknown/);
  assert.match(said, /Reported by the carrier/);
  assert.match(text(await item.getByTestId('exception-parcel').innerText()), new RegExp(`${parcel.carrier} ${parcel.trackingNumber} Exception`));
  assert.match(text(await item.getByTestId('exception-customer').innerText()), /^Li Na · (\+86)?13800138000 · /);
  assert.ok((await item.getByTestId('exception-detail').innerText()).trim().length > 0, 'what the carrier said');

  // ---- The agent calls the customer and records it ---------------------------------------
  await item.getByRole('button', { name: 'Work on this task' }).click();
  await item.getByText('Nobody has been contacted yet.').waitFor();
  const contact = item.getByRole('form', { name: 'Record a contact' });
  await contact.getByLabel('Contacted').selectOption('CUSTOMER');
  await contact.getByLabel('What was said').fill('Customer moved to building 2 next door');
  await contact.getByRole('button', { name: 'Record contact' }).click();
  await contact.getByRole('status').filter({ hasText: 'Contact with the customer recorded.' }).waitFor();
  const contacts = item.getByRole('list', { name: `Contacts about order ${order.number}` });
  await contacts.locator('li[data-party="CUSTOMER"]').filter({ hasText: 'Customer moved to building 2 next door' }).waitFor();
  assert.equal(await contact.getByLabel('What was said').inputValue(), '', 'the note is cleared for the next one');
  await eventually(async () => assert.equal((await exceptionItem(watcher, order.number).getByTestId('exception-contacts').innerText()).trim(), '1'));

  // ---- A refund without its amount: the server says what is missing, beside the field ----
  const resolve = item.getByRole('form', { name: 'Resolve the exception' });
  await resolve.getByLabel('Refund (finance approves)').check();
  await resolve.getByLabel('What was agreed').fill('The customer would rather have the money back');
  await resolve.getByRole('button', { name: 'Resolve task' }).click();
  const amount = resolve.getByLabel(/^Refund amount/);
  await eventually(async () => assert.equal(await amount.getAttribute('aria-invalid'), 'true'));
  const problem = resolve.locator('.field.has-error .field-error');
  assert.equal(text(await problem.innerText()), 'A REFUND outcome needs the amount to refund');
  assert.equal(await item.count(), 1, 'the task is still open');

  // ---- Re-delivery to the corrected address closes the task everywhere -------------------
  await resolve.getByLabel('Re-deliver (to a corrected address, if given)').check();
  await resolve.getByLabel('What was agreed').fill('Deliver to building 2; the customer is home tomorrow');
  await resolve.getByLabel('Deliver to a corrected address').check();
  await resolve.getByLabel('Address line 1').fill('102 Century Avenue, building 2');
  await resolve.getByRole('button', { name: 'Resolve task' }).click();
  await cs
    .getByRole('status')
    .filter({ hasText: `The exception of order ${order.number} is resolved: re-deliver` })
    .waitFor();
  await eventually(async () => assert.equal(await item.count(), 0, 'gone from the agent’s queue'));
  await eventually(async () => assert.equal(await exceptionItem(watcher, order.number).count(), 0, 'gone from the watcher’s queue'));
  for (const page of [cs, watcher]) await assertSameDocument(page);

  const after = await graphql(
    server.url,
    'query($n: String) { order(number: $n) { shippingAddress { line1 } } }',
    { n: order.number },
    { token: parcel.admin },
  );
  assert.equal(after.data.order.shippingAddress.line1, '102 Century Avenue, building 2');
});

/** A partner's endpoint on this machine: answers 200 and keeps what it received. */
async function partnerEndpoint() {
  const received = [];
  const listener = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('ok');
    });
  });
  await new Promise((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${listener.address().port}/orderly-events`,
    received,
    close: () => new Promise((resolve) => listener.close(resolve)),
  };
}

test('an admin registers a partner webhook, sees its secret once and the deliveries it gets', async (t) => {
  const partner = await partnerEndpoint();
  t.after(() => partner.close());
  const admin = await openConsoleAs(DEMO_USERS.ADMIN.email);
  await mainNav(admin).getByRole('link', { name: 'Administration' }).click();
  await expectPath(admin, '/admin');
  await admin.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Webhooks' }).click();
  await expectPath(admin, '/admin/webhooks');
  const form = admin.getByRole('form', { name: 'Register a webhook endpoint' });
  const secretBox = admin.getByRole('region', { name: 'New webhook secret' });

  // A wrong address: the server's own sentence, beside the URL, and nothing is registered.
  const token = await staffToken(server.url, DEMO_USERS.ADMIN.email);
  const refused = await graphql(
    server.url,
    'mutation($i: CreateWebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }',
    { i: { channel: 'demo-store', url: 'not a url', events: ['ORDER_STATUS_CHANGED'] } },
    { token },
  );
  const serverSays = refused.errors[0].extensions.fields.find((f) => f.path.endsWith('url')).message;
  await form.getByLabel('Channel', { exact: true }).fill('demo-store');
  await form.getByLabel('URL', { exact: true }).fill('not a url');
  await form.getByLabel('Order status changed').check();
  await form.getByRole('button', { name: 'Register endpoint' }).click();
  await eventually(async () => assert.equal(await form.getByLabel('URL', { exact: true }).getAttribute('aria-invalid'), 'true'));
  const urlProblem = form.locator('.field.has-error .field-error');
  assert.equal(text(await urlProblem.innerText()).toLowerCase(), serverSays.toLowerCase());
  assert.equal(await secretBox.count(), 0, 'no secret for a refused endpoint');
  const endpoints = admin.getByRole('table', { name: 'Webhook endpoints' });
  assert.equal(await endpoints.locator('tbody tr').count(), 0);

  // The right address: the secret, once.
  await form.getByLabel('URL', { exact: true }).fill(partner.url);
  await form.getByRole('button', { name: 'Register endpoint' }).click();
  await secretBox.waitFor();
  assert.match(await secretBox.innerText(), /will not be shown again/i);
  const secret = await secretBox.getByTestId('new-webhook-secret').inputValue();
  assert.match(secret, /^whsec_[0-9a-f]{64}$/);
  const row = endpoints.locator('tbody tr').filter({ hasText: partner.url });
  await row.waitFor();
  assert.match(text(await row.innerText()), /^demo-store .* Order status changed Yes /);
  await secretBox.getByRole('button', { name: /Done/ }).click();
  assert.equal(await secretBox.count(), 0);

  // The partner's next order: an event, signed with that secret.
  const placed = await placeOrder(server.url, server.partnerKey(), { lines: [{ sku: SKU, quantity: 1 }] });
  if (placed.unknownSku) return t.skip(placed.unknownSku);
  await eventually(() => assert.ok(partner.received.length > 0, 'the partner received an event'), { timeout: 15_000 });
  const [first] = partner.received;
  const [, stamp] = /t=(\d+)/.exec(first.headers['orderly-signature']);
  assert.equal(first.headers['orderly-signature'], signature(secret, first.body, Number(stamp)));
  const event = JSON.parse(first.body);
  assert.match(JSON.stringify(event), new RegExp(placed.number));

  // The delivery log shows it delivered, with its attempt.
  const log = admin.getByRole('table', { name: 'Webhook deliveries' });
  const delivery = log.locator('tbody[data-delivery]').filter({ hasText: 'Order status changed' }).first();
  await eventually(
    async () => {
      await admin.getByRole('button', { name: 'Refresh' }).click();
      assert.equal(await delivery.getAttribute('data-status', { timeout: 1_000 }), 'DELIVERED');
    },
    { timeout: 15_000, interval: 500 },
  );
  assert.match(text(await delivery.innerText()), new RegExp(`${partner.url} Delivered`));
  await delivery.getByRole('button', { name: 'Attempts' }).click();
  const attempts = delivery.getByRole('table', { name: 'Attempts' });
  assert.match(text(await attempts.locator('tbody tr').first().innerText()), /^1 \S+ \S+ HTTP 200 — \d+ ms$/);

  // Filtering by a status it does not have hides it; sending it again reaches the partner again.
  await admin.getByLabel('Status', { exact: true }).selectOption('GAVE_UP');
  await eventually(async () => assert.equal(await log.locator('tbody[data-delivery]').count(), 0));
  await admin.getByLabel('Status', { exact: true }).selectOption('');
  await delivery.waitFor();
  const before = partner.received.length;
  await delivery.getByRole('button', { name: 'Resend' }).click();
  await admin.getByRole('status').filter({ hasText: /^Event \S+ is sent again now\.$/ }).waitFor();
  await eventually(() => assert.ok(partner.received.length > before, 'sent again'), { timeout: 15_000 });
  const again = JSON.parse(partner.received[partner.received.length - 1].body);
  assert.equal(again.id, event.id, 'the same event id, so the partner can de-duplicate');

  // Deactivated: it stays listed, inactive.
  await row.getByRole('button', { name: 'Deactivate' }).click();
  await row.getByRole('button', { name: 'Yes, deactivate' }).click();
  await eventually(async () => assert.match(text(await row.innerText()), / No /));

  // The secret is never shown again.
  await admin.reload();
  await row.waitFor();
  assert.ok(!(await admin.locator('body').innerText()).includes(secret), 'the secret is not shown again');
});
