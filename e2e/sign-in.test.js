// Staff sign in to the console, see exactly the areas of their role, stay signed in across a
// reload, and sign out.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const {
  AREA_PATHS,
  DEMO_PASSWORD,
  DEMO_USERS,
  eventually,
  expectNav,
  expectPath,
  fillLogin,
  mainNav,
  signIn,
} = require('./support/console');

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

async function freshPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  return context.newPage();
}

for (const [role, user] of Object.entries(DEMO_USERS)) {
  test(`the ${role} demo user signs in and sees exactly the navigation of that role`, async () => {
    const page = await freshPage();
    try {
      await signIn(page, server.url, user.email);
      await expectNav(page, user.nav);
      await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      const who = await page.getByTestId('current-user').innerText();
      assert.match(who, new RegExp(user.roleLabel));

      // Every area in the navigation opens; any other area says the user has no access to it.
      for (const label of user.nav) {
        await mainNav(page).getByRole('link', { name: label, exact: true }).click();
        await expectPath(page, AREA_PATHS[label]);
        await page.getByRole('heading', { level: 1, name: label, exact: true }).waitFor();
        assert.equal(await page.getByText('You do not have access to this area').count(), 0);
      }
      const hidden = Object.keys(AREA_PATHS).filter((label) => !user.nav.includes(label));
      for (const label of hidden) {
        await page.goto(`${server.url}${AREA_PATHS[label]}`);
        await page.getByRole('heading', { name: 'You do not have access to this area' }).waitFor();
        await expectNav(page, user.nav);
      }
    } finally {
      await page.context().close();
    }
  });
}

test('a wrong password shows the server’s error and stays on the login page', async () => {
  const page = await freshPage();
  try {
    await page.goto(`${server.url}/login`);
    await fillLogin(page, DEMO_USERS.ADMIN.email, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /email or password/i);
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await mainNav(page).count(), 0);
    // The button is usable again, and the right password then works.
    await fillLogin(page, DEMO_USERS.ADMIN.email, DEMO_PASSWORD);
    await expectPath(page, '/');
    await expectNav(page, DEMO_USERS.ADMIN.nav);
  } finally {
    await page.context().close();
  }
});

test('the session survives a reload, also deep inside the console', async () => {
  const page = await freshPage();
  try {
    await signIn(page, server.url, DEMO_USERS.FINANCE.email);
    await page.reload();
    await expectNav(page, DEMO_USERS.FINANCE.nav);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();

    await page.goto(`${server.url}/finance`);
    await page.reload();
    await expectPath(page, '/finance');
    await page.getByRole('heading', { level: 1, name: 'Finance' }).waitFor();
  } finally {
    await page.context().close();
  }
});

test('an expired access token is refreshed when the console loads, and the user stays signed in', async () => {
  const page = await freshPage();
  try {
    await signIn(page, server.url, DEMO_USERS.REVIEWER.email);
    const before = await page.evaluate(() => JSON.parse(localStorage.getItem('orderly.session')));
    // Pretend the console was closed until after the access token expired.
    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('orderly.session'));
      session.expiresAt = new Date(Date.now() - 60_000).toISOString();
      localStorage.setItem('orderly.session', JSON.stringify(session));
    });
    await page.reload();
    await expectNav(page, DEMO_USERS.REVIEWER.nav);
    const afterReload = await eventually(async () => {
      const session = await page.evaluate(() => JSON.parse(localStorage.getItem('orderly.session')));
      assert.notEqual(session.refreshToken, before.refreshToken, 'the refresh token was rotated');
      assert.ok(Date.parse(session.expiresAt) > Date.now(), 'the new access token is valid');
      return session;
    });
    // Still signed in after the next navigation, with the new tokens.
    await mainNav(page).getByRole('link', { name: 'Orders', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Orders' }).waitFor();
    assert.ok(afterReload.accessToken);
  } finally {
    await page.context().close();
  }
});

test('a signed-in console refreshes its access token about a minute before it expires', async () => {
  const context = await browser.newContext();
  // The page's clock is under the test's control, so a quarter of an hour passes in a moment.
  await context.clock.install();
  const page = await context.newPage();
  try {
    await signIn(page, server.url, DEMO_USERS.CUSTOMER_SERVICE.email);
    const first = await page.evaluate(() => JSON.parse(localStorage.getItem('orderly.session')));
    const left = Date.parse(first.expiresAt) - (await page.evaluate(() => Date.now()));

    // Two minutes before expiry nothing has happened yet...
    await page.clock.fastForward(left - 120_000);
    await page.waitForTimeout(500);
    const early = await page.evaluate(() => JSON.parse(localStorage.getItem('orderly.session')));
    assert.equal(early.refreshToken, first.refreshToken);

    // ...and by the last half minute the tokens have been rotated, without a sign-in.
    await page.clock.fastForward(90_000);
    const rotated = await eventually(async () => {
      const session = await page.evaluate(() => JSON.parse(localStorage.getItem('orderly.session')));
      assert.notEqual(session.refreshToken, first.refreshToken);
      return session;
    });
    assert.ok(Date.parse(rotated.expiresAt) > Date.parse(first.expiresAt));
    await expectNav(page, DEMO_USERS.CUSTOMER_SERVICE.nav);
    assert.equal(new URL(page.url()).pathname, '/');
  } finally {
    await context.close();
  }
});

test('logging out returns to the login page and ends the session on the server', async () => {
  const page = await freshPage();
  try {
    await signIn(page, server.url, DEMO_USERS.WAREHOUSE.email);
    const session = await page.evaluate(() => JSON.parse(localStorage.getItem('orderly.session')));
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectPath(page, '/login');
    await page.getByRole('status').filter({ hasText: 'You have signed out.' }).waitFor();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    // Coming back needs a new sign-in.
    await page.goto(`${server.url}/warehouse`);
    await expectPath(page, '/login');
    assert.equal(await mainNav(page).count(), 0);

    // The server no longer accepts the old refresh token.
    const answer = await page.evaluate(async (refreshToken) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }',
          variables: { t: refreshToken },
        }),
      });
      return response.json();
    }, session.refreshToken);
    assert.equal(answer.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', JSON.stringify(answer));
  } finally {
    await page.context().close();
  }
});

// Last in this file: it locks the reviewer's account for the rest of this server's life.
test('after repeated wrong passwords the login page says to wait, even for the right one', async () => {
  const page = await freshPage();
  try {
    await page.goto(`${server.url}/login`);
    const alert = page.getByRole('alert');
    let message = '';
    for (let attempt = 1; attempt <= 10 && !/too many/i.test(message); attempt++) {
      await fillLogin(page, DEMO_USERS.REVIEWER.email, `wrong-password-${attempt}`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor(); // enabled again: the answer is in
      await alert.waitFor();
      message = await alert.innerText();
    }
    assert.match(message, /too many/i, 'the server’s RATE_LIMITED message is shown');

    await fillLogin(page, DEMO_USERS.REVIEWER.email, DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.match(await alert.innerText(), /too many/i);
    assert.equal(new URL(page.url()).pathname, '/login');
  } finally {
    await page.context().close();
  }
});
