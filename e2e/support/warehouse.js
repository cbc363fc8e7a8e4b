// What the warehouse journeys share: a staff token for reading what a person would read off
// the goods (their barcodes), a simulated keyboard-wedge scanner, and checks of the PDFs the
// console fetches.

'use strict';

const assert = require('node:assert/strict');
const { graphql } = require('./api');
const { DEMO_PASSWORD, eventually } = require('./console');

/** An access token for a demo login, for API look-ups beside the browser. */
async function staffToken(baseUrl, email, password = DEMO_PASSWORD) {
  const body = await graphql(
    baseUrl,
    'mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
    { email, password },
  );
  if (!body.data || !body.data.login) throw new Error(`login failed: ${JSON.stringify(body.errors)}`);
  return body.data.login.accessToken;
}

/** Runs a query with a staff token; throws on errors, resolves to `data`. */
async function query(baseUrl, token, text, variables = {}) {
  const body = await graphql(baseUrl, text, variables, { token });
  if (body.errors) throw new Error(`${text}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Every product by SKU — the barcode printed on it (GTIN), and its handling flags. */
async function catalogue(baseUrl, token) {
  const bySku = new Map();
  let after = null;
  for (;;) {
    const data = await query(
      baseUrl,
      token,
      'query($after: String) { products(first: 100, after: $after) { nodes { sku gtin fragile highValue } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    for (const p of data.products.nodes) bySku.set(p.sku, p);
    if (!data.products.pageInfo.hasNextPage) return bySku;
    after = data.products.pageInfo.endCursor;
  }
}

/**
 * A scan as a keyboard-wedge scanner makes it: the code typed into the focused scan input and
 * Enter. With `operation`, resolves once the console has the server's answer to that GraphQL
 * operation on screen (the input is no longer busy).
 */
async function scan(page, inputId, code, operation = null) {
  const input = page.locator(`#${inputId}`);
  await eventually(async () =>
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), inputId, 'the scan input has the focus'),
  );
  const answered =
    operation &&
    page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() || '').includes(operation));
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  if (answered) await answered;
  await eventually(async () => {
    // The last scan of a screen may take its input away (a wave picked, a wall complete) —
    // also between the count and the reads, so the reads wait briefly and the check retries.
    if ((await input.count()) === 0) return;
    assert.equal(await input.getAttribute('aria-busy', { timeout: 1000 }), null);
    assert.equal(await input.inputValue({ timeout: 1000 }), '', 'the scan was taken');
  });
}

/**
 * Clicks a print button and checks what the console fetched: 200, a PDF. Any tab the console
 * opens for it is closed again. Resolves to the response.
 */
async function expectPdf(page, button, pathPart) {
  const closePopups = (popup) => popup.close().catch(() => {});
  page.context().on('page', closePopups);
  try {
    const fetched = page.waitForResponse((r) => r.url().includes(pathPart));
    await button.click();
    const response = await fetched;
    assert.equal(response.status(), 200, `${pathPart} answered ${response.status()}`);
    assert.equal(response.headers()['content-type'], 'application/pdf');
    // The console asked with the bearer token, not a cookie; the same request is a PDF.
    const authorization = (await response.request().allHeaders()).authorization || '';
    assert.match(authorization, /^Bearer \S+$/);
    const again = await fetch(response.url(), { headers: { Authorization: authorization } });
    const body = Buffer.from(await again.arrayBuffer());
    assert.equal(body.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF document');
    return response;
  } finally {
    // Give a tab the console opened a moment to appear before the listener goes.
    await page.waitForTimeout(300);
    page.context().off('page', closePopups);
  }
}

module.exports = { catalogue, expectPdf, query, scan, staffToken };
