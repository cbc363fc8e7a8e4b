// An administrator manages staff accounts: creates a user who can then sign in with the right
// navigation, changes their roles, and deactivates them — which throws their open console out.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const {
  DEMO_USERS,
  SESSION_ENDED,
  eventually,
  expectNav,
  expectPath,
  fillLogin,
  mainNav,
  signIn,
} = require('./support/console');

let server;
let browser;
let admin; // the administrator's page, signed in once for the whole file

const NEW_USER = {
  email: 'nina.lagerqvist@orderly.example',
  name: 'Nina Lagerqvist',
  password: 'stock-counts-matter-42',
};

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await signIn(admin, server.url, DEMO_USERS.ADMIN.email);
  await mainNav(admin).getByRole('link', { name: 'Administration' }).click();
  await expectPath(admin, '/admin');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function createUserForm(page) {
  return page.getByRole('form', { name: 'Create user' });
}

function userRow(page, email) {
  return page.getByRole('region', { name: 'Users', exact: true }).getByRole('row').filter({ hasText: email });
}

async function openConsoleAs(email, password) {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  await signIn(page, server.url, email, password);
  return page;
}

test('the users table lists the staff accounts', async () => {
  for (const user of Object.values(DEMO_USERS)) {
    await userRow(admin, user.email).waitFor();
  }
  const header = await admin.getByRole('region', { name: 'Users', exact: true }).getByRole('columnheader').allInnerTexts();
  assert.deepEqual(header.map((h) => h.trim()), ['User', 'Roles', 'Status', 'Actions']);
  // Each row names the person and their address.
  assert.match(await userRow(admin, DEMO_USERS.FINANCE.email).innerText(), /Finance/);
});

test('the create-user form explains what is wrong, field by field', async () => {
  const form = createUserForm(admin);
  await form.getByLabel('Email').fill('not-an-email');
  await form.getByLabel('Display name').fill('Someone');
  await form.getByLabel('Password', { exact: true }).fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  // Checked in the console before anything is sent.
  await form.getByText('Use at least 12 characters.').waitFor();
  await form.getByText('Choose at least one role.').waitFor();

  // The server's field problems appear beside the field they concern.
  await form.getByLabel('Password', { exact: true }).fill('long-enough-password');
  await form.getByLabel('Reviewer').check();
  await form.getByRole('button', { name: 'Create user' }).click();
  const emailInput = form.getByLabel('Email');
  await admin.waitForFunction(() => document.querySelector('#new-user-email')?.getAttribute('aria-invalid') === 'true');
  const emailProblem = admin.locator('#new-user-email-error');
  await emailProblem.waitFor();
  assert.ok((await emailProblem.innerText()).trim().length > 0, 'the e-mail problem is explained');
  assert.equal(await emailInput.getAttribute('aria-invalid'), 'true');

  // An address that is already taken is refused, and the console says so.
  await emailInput.fill(DEMO_USERS.CUSTOMER_SERVICE.email);
  await form.getByRole('button', { name: 'Create user' }).click();
  await eventually(async () => {
    const shown = (await form.locator('.field-error, [role=alert]').allInnerTexts()).join(' ');
    assert.match(shown, /already|exists|taken|in use/i);
  });
  // Nothing was created.
  assert.equal(await userRow(admin, 'not-an-email').count(), 0);
});

test('an admin creates a user with a role, and the new user signs in and sees that role’s navigation', async () => {
  const form = createUserForm(admin);
  await form.getByLabel('Email').fill(NEW_USER.email);
  await form.getByLabel('Display name').fill(NEW_USER.name);
  await form.getByLabel('Password', { exact: true }).fill(NEW_USER.password);
  for (const box of await form.getByRole('checkbox').all()) await box.uncheck();
  await form.getByLabel('Warehouse').check();
  await form.getByRole('button', { name: 'Create user' }).click();
  await form.getByRole('status').filter({ hasText: `Created ${NEW_USER.email}` }).waitFor();

  const row = userRow(admin, NEW_USER.email);
  await row.waitFor();
  assert.match(await row.innerText(), /Warehouse/);
  assert.match(await row.innerText(), /Active/);

  const nina = await openConsoleAs(NEW_USER.email, NEW_USER.password);
  try {
    await expectNav(nina, DEMO_USERS.WAREHOUSE.nav);
    assert.match(await nina.getByTestId('current-user').innerText(), new RegExp(NEW_USER.name));
  } finally {
    await nina.context().close();
  }
});

test('an admin changes a user’s roles and the user’s navigation follows on their next step', async () => {
  const nina = await openConsoleAs(NEW_USER.email, NEW_USER.password);
  try {
    await expectNav(nina, DEMO_USERS.WAREHOUSE.nav);

    const row = userRow(admin, NEW_USER.email);
    await row.getByRole('button', { name: 'Edit roles' }).click();
    await row.getByLabel('Finance').check();
    await row.getByRole('button', { name: 'Save roles' }).click();
    await admin.waitForFunction(
      (email) => [...document.querySelectorAll('tr')].some((tr) => tr.textContent.includes(email) && /Warehouse, Finance/.test(tr.textContent)),
      NEW_USER.email,
    );

    await mainNav(nina).getByRole('link', { name: 'Warehouse', exact: true }).click();
    await expectNav(nina, ['Dashboard', 'Orders', 'Customers', 'Products', 'After-sales', 'Warehouse', 'Finance', 'Analytics']);
  } finally {
    await nina.context().close();
  }
});

test('a deactivated user is thrown out of an open console at their next navigation', async () => {
  const nina = await openConsoleAs(NEW_USER.email, NEW_USER.password);
  try {
    const row = userRow(admin, NEW_USER.email);
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByText('Deactivated').waitFor();

    await mainNav(nina).getByRole('link', { name: 'Warehouse', exact: true }).click();
    await expectPath(nina, '/login');
    await nina.getByText(SESSION_ENDED).waitFor();
    assert.equal(await mainNav(nina).count(), 0);

    // And cannot sign in again.
    await fillLogin(nina, NEW_USER.email, NEW_USER.password);
    await nina.getByRole('alert').waitFor();
    assert.equal(new URL(nina.url()).pathname, '/login');
  } finally {
    await nina.context().close();
  }
});

test('a reactivated user signs in again, and is thrown out by the console’s own check when deactivated while idle', async () => {
  const row = userRow(admin, NEW_USER.email);
  await row.getByRole('button', { name: 'Reactivate' }).click();
  await row.getByText('Active', { exact: true }).waitFor();

  const nina = await openConsoleAs(NEW_USER.email, NEW_USER.password);
  try {
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await row.getByText('Deactivated').waitFor();
    // No clicks: the console re-checks the user every 15 seconds.
    await expectPath(nina, '/login', 25_000);
    await nina.getByText(SESSION_ENDED).waitFor();
  } finally {
    await nina.context().close();
  }
});

test('the audit log shows what the administrator did', async () => {
  const audit = admin.getByRole('region', { name: 'Recent audit log' });
  await audit.getByRole('button', { name: 'Refresh' }).click();
  await eventually(async () => {
    const entries = await audit.getByRole('row').count();
    assert.ok(entries >= 2, 'a header and at least one entry'); // six changes were made above
    assert.match(await audit.locator('tbody').innerText(), /user/i);
  });
});
