// What the tests know about the console as a person sees it: the demo logins, the navigation
// each role should see, and a few steps every journey takes.

'use strict';

const assert = require('node:assert/strict');

const DEMO_PASSWORD = 'orderly-demo-pass';

/** The demo logins and the navigation (labels, in order) each must see — SPEC §1. */
const DEMO_USERS = {
  ADMIN: {
    email: 'admin@orderly.example',
    roleLabel: 'Administrator',
    nav: [
      'Dashboard',
      'Orders',
      'Customers',
      'Products',
      'Review queue',
      'After-sales',
      'Warehouse',
      'Finance',
      'Analytics',
      'Administration',
    ],
  },
  CUSTOMER_SERVICE: {
    email: 'cs@orderly.example',
    roleLabel: 'Customer service',
    nav: ['Dashboard', 'Orders', 'Customers', 'Products', 'Review queue', 'After-sales'],
  },
  REVIEWER: {
    email: 'reviewer@orderly.example',
    roleLabel: 'Reviewer',
    nav: ['Dashboard', 'Orders', 'Customers', 'Products', 'Review queue'],
  },
  WAREHOUSE: {
    email: 'warehouse@orderly.example',
    roleLabel: 'Warehouse',
    nav: ['Dashboard', 'Products', 'After-sales', 'Warehouse'],
  },
  FINANCE: {
    email: 'finance@orderly.example',
    roleLabel: 'Finance',
    nav: ['Dashboard', 'Orders', 'Customers', 'Products', 'After-sales', 'Finance', 'Analytics'],
  },
};

/** Console paths of the navigation labels. */
const AREA_PATHS = {
  Dashboard: '/',
  Orders: '/orders',
  Customers: '/customers',
  Products: '/catalog',
  'Review queue': '/review',
  'After-sales': '/after-sales',
  Warehouse: '/warehouse',
  Finance: '/finance',
  Analytics: '/analytics',
  Administration: '/admin',
};

const SESSION_ENDED = 'Your session has ended. Please sign in again.';

/** Retries `check` until it stops throwing, or throws its last error after `timeout` ms. */
async function eventually(check, { timeout = 10_000, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }
}

function pathOf(page) {
  return new URL(page.url()).pathname;
}

async function expectPath(page, path, timeout = 10_000) {
  await eventually(() => assert.equal(pathOf(page), path), { timeout });
}

function mainNav(page) {
  return page.getByRole('navigation', { name: 'Main' });
}

/** The labels of the main navigation's links, once it shows `expected` (or the last seen). */
async function expectNav(page, expected, timeout = 10_000) {
  await eventually(
    async () => assert.deepEqual(await mainNav(page).getByRole('link').allInnerTexts().then((t) => t.map((s) => s.trim())), expected),
    { timeout },
  );
}

async function fillLogin(page, email, password) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Opens the console, which sends a signed-out visitor to the login page, and signs in. */
async function signIn(page, baseUrl, email, password = DEMO_PASSWORD) {
  await page.goto(`${baseUrl}/`);
  await expectPath(page, '/login');
  await fillLogin(page, email, password);
  await expectPath(page, '/');
  await mainNav(page).waitFor();
}

/** A new browser context signed in as `email`, on the dashboard. */
async function openConsoleAs(browser, baseUrl, email) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, baseUrl, email);
  return page;
}

/**
 * Waits until the page says its live updates run, and marks the document, so that
 * `assertSameDocument` can tell later that nothing was reloaded.
 */
async function expectLive(page) {
  await eventually(async () => assert.equal((await page.getByTestId('live-status').first().innerText()).trim(), 'Live'), {
    timeout: 15_000,
  });
  // The subscription was sent with the acknowledgement; give the server a moment to start it.
  await page.waitForTimeout(300);
  await page.evaluate(() => {
    window.__orderlySameDocument = true;
  });
}

async function assertSameDocument(page) {
  assert.equal(await page.evaluate(() => window.__orderlySameDocument), true, 'the page was not reloaded');
}

/** Text as a person reads it: runs of white space are one space. */
function text(s) {
  return s.replace(/\s+/g, ' ').trim();
}

module.exports = {
  AREA_PATHS,
  DEMO_PASSWORD,
  DEMO_USERS,
  SESSION_ENDED,
  assertSameDocument,
  eventually,
  expectLive,
  expectNav,
  expectPath,
  fillLogin,
  mainNav,
  openConsoleAs,
  pathOf,
  signIn,
  text,
};
