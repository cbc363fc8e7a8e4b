// An administrator gives a partner channel an API key, which is shown exactly once, and later
// revokes it.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const { DEMO_USERS, eventually, expectPath, mainNav, signIn } = require('./support/console');

let server;
let browser;
let admin;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  admin = await context.newPage();
  await signIn(admin, server.url, DEMO_USERS.ADMIN.email);
  await mainNav(admin).getByRole('link', { name: 'Administration' }).click();
  await expectPath(admin, '/admin');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function keysSection(page) {
  return page.getByRole('region', { name: 'API keys' });
}

test('an admin creates an API key for a channel and sees it once, with a warning', async () => {
  const section = keysSection(admin);
  await section.getByLabel('Channel').fill('nordic-webshop');
  await section.getByRole('button', { name: 'Create API key' }).click();

  const box = admin.getByRole('region', { name: 'New API key' });
  await box.waitFor();
  assert.match(await box.innerText(), /will not be shown again/i);
  const key = await box.getByTestId('new-api-key').inputValue();
  assert.ok(key.length >= 20, `a long secret, got ${key.length} characters`);

  await box.getByRole('button', { name: 'Copy' }).click();
  await box.getByRole('button', { name: 'Copied' }).waitFor();
  assert.equal(await admin.evaluate(() => navigator.clipboard.readText()), key);

  const row = section.getByRole('row').filter({ hasText: 'nordic-webshop' });
  await row.waitFor();
  const prefix = (await row.locator('code').innerText()).trim();
  assert.ok(prefix.length > 0 && key.startsWith(prefix), `the table shows the key's prefix (${prefix})`);

  await box.getByRole('button', { name: /Done/ }).click();
  assert.equal(await admin.getByRole('region', { name: 'New API key' }).count(), 0);
  await admin.reload();
  await row.waitFor();
  assert.ok(!(await admin.locator('body').innerText()).includes(key), 'the key is not shown again');
});

test('an admin revokes an API key after confirming', async () => {
  const section = keysSection(admin);
  const row = section.getByRole('row').filter({ hasText: 'nordic-webshop' });
  await row.waitFor();
  const revokedCell = async () => (await row.getByRole('cell').allInnerTexts())[3].trim();
  assert.equal(await revokedCell(), '—', 'not revoked yet');

  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('button', { name: 'Keep key' }).click();
  await row.getByRole('button', { name: 'Revoke' }).click();
  await row.getByRole('button', { name: 'Yes, revoke' }).click();

  await eventually(async () => {
    assert.match(await revokedCell(), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/, 'the revocation time is shown');
    assert.equal(await row.getByRole('button', { name: 'Revoke' }).count(), 0);
  });
});

test('the audit log records the key being created and revoked', async () => {
  const audit = admin.getByRole('region', { name: 'Recent audit log' });
  await audit.getByRole('button', { name: 'Refresh' }).click();
  await eventually(async () => {
    const text = await audit.locator('tbody').innerText();
    assert.match(text, /key/i);
    assert.ok((await audit.locator('tbody tr').count()) >= 2, 'both changes are listed');
  });
});

test('someone without the administrator role cannot open the administration page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await signIn(page, server.url, DEMO_USERS.FINANCE.email);
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { name: 'You do not have access to this area' }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'API keys' }).count(), 0);
  } finally {
    await context.close();
  }
});
