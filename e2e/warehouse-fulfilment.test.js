// Warehouse fulfilment, as the people on the floor do it: a warehouse worker groups the
// allocated orders of a warehouse into a batch wave, picks it on the handheld by scanning bin
// labels and barcodes (a wrong scan is refused on the spot and changes nothing), sorts the units
// into the put wall, packs one order in the suggested carton, books it and prints its label, and
// hands the parcel to the carrier, printing the manifest. A manager watching the wave board sees
// the progress move without reloading, and customer service sees the order shipped.

'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('./support/server');
const { launchBrowser } = require('./support/browser');
const { DEMO_USERS, eventually, expectPath, mainNav, signIn } = require('./support/console');
const { catalogue, expectPdf, query, scan, staffToken } = require('./support/warehouse');

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

async function openConsoleAs(email) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.url, email);
  return page;
}

function text(s) {
  return s.replace(/\s+/g, ' ').trim();
}

function warehouseTab(page, name) {
  return page.getByRole('navigation', { name: 'Warehouse' }).getByRole('link', { name, exact: true });
}

async function expectLive(page) {
  await eventually(async () => assert.equal((await page.getByTestId('live-status').innerText()).trim(), 'Live'), {
    timeout: 15_000,
  });
  await page.waitForTimeout(300);
}

/** The warehouse with the most allocated shipments waiting for a wave, and those shipments. */
async function busiestWarehouse(token) {
  const { warehouses } = await query(server.url, token, '{ warehouses { nodes { id code } } }');
  let best = null;
  for (const w of warehouses.nodes) {
    const data = await query(
      server.url,
      token,
      'query($w: ID!) { waveCandidates(warehouseId: $w) { nodes { orderNumber units } } }',
      { w: w.id },
    );
    const waiting = data.waveCandidates.nodes;
    if (!best || waiting.length > best.waiting.length) best = { ...w, waiting };
  }
  return best;
}

test('a batch wave is picked, sorted, packed, labelled and handed over, and the order ships', async (t) => {
  const token = await staffToken(server.url, DEMO_USERS.WAREHOUSE.email);
  const products = await catalogue(server.url, token);
  const gtin = (sku) => {
    const p = products.get(sku);
    assert.ok(p && p.gtin, `product ${sku} has a barcode`);
    return p.gtin;
  };
  const warehouse = await busiestWarehouse(token);
  if (!warehouse || warehouse.waiting.length < 2) {
    t.skip('the demo data has no warehouse with two allocated shipments waiting for a wave');
    return;
  }

  const worker = await openConsoleAs(DEMO_USERS.WAREHOUSE.email);
  const manager = await openConsoleAs(DEMO_USERS.ADMIN.email);
  const cs = await openConsoleAs(DEMO_USERS.CUSTOMER_SERVICE.email);
  try {
    // ---- The waves tab: what waits, and a new batch wave -----------------------------------
    await mainNav(worker).getByRole('link', { name: 'Warehouse' }).click();
    await warehouseTab(worker, 'Waves').click();
    await expectPath(worker, '/warehouse/waves');
    await worker.locator('#waves-warehouse').selectOption(warehouse.id);
    const waiting = worker.getByRole('table', { name: 'Shipments waiting for a wave' });
    for (const c of warehouse.waiting) await waiting.locator(`tbody tr[data-order="${c.orderNumber}"]`).waitFor();
    assert.equal(await waiting.locator('tbody tr').count(), warehouse.waiting.length);

    // The manager watches the board of the same warehouse.
    await manager.goto(`${server.url}/warehouse/waves`);
    await manager.locator('#waves-warehouse').selectOption(warehouse.id);
    await expectLive(manager);
    await manager.evaluate(() => {
      window.__orderlySameDocument = true;
    });

    const form = worker.getByRole('form', { name: 'Create a wave' });
    await form.getByLabel(/^Batch/).check();
    await form.getByRole('button', { name: 'Create wave' }).click();
    const created = worker.getByRole('status').filter({ hasText: /^Wave WV/ });
    await created.waitFor();
    const units = warehouse.waiting.reduce((n, c) => n + c.units, 0);
    const [, waveNumber] = /^Wave (\S+) created in (\S+):/.exec(text(await created.innerText())) || [];
    assert.ok(waveNumber, 'the wave number is shown');
    assert.match(text(await created.innerText()), new RegExp(`${warehouse.waiting.length} shipments, ${units} units to pick`));
    await eventually(async () => assert.equal(await waiting.locator('tbody tr').count(), 0, 'every shipment is in the wave'));

    const item = (page) => page.getByRole('list', { name: 'Waves' }).locator(`li[data-wave="${waveNumber}"]`);
    await item(worker).waitFor();
    assert.equal(await item(worker).locator('[data-status]').first().getAttribute('data-status'), 'RELEASED');
    await item(manager).waitFor();
    assert.match(text(await item(manager).getByTestId('wave-progress').innerText()), new RegExp(`^0 of ${units} units picked`));

    // The pick list prints.
    await expectPdf(worker, item(worker).getByRole('button', { name: 'Print pick list' }), '/documents/pick-lists/');

    // ---- The handheld ---------------------------------------------------------------------
    await item(worker).getByRole('link', { name: 'Open handheld' }).click();
    await worker.waitForURL(/\/warehouse\/pick\/[0-9a-f-]+$/);
    const waveId = new URL(worker.url()).pathname.split('/').pop();
    const task = worker.locator('.pick-task');
    await task.waitFor();
    // Which task, in which phase, how many picked — or that the wave is done.
    const handheldState = async () => {
      if ((await worker.getByTestId('wave-picked').count()) > 0) return 'done';
      const count = await task.getByTestId('pick-count').innerText();
      return `${await task.getAttribute('data-task')}/${await task.getAttribute('data-phase')}/${count}`;
    };

    // A wrong bin is refused with the server's words, and nothing changes.
    const firstBin = (await task.getByTestId('pick-bin').innerText()).trim();
    await scan(worker, 'pick-scan', 'Z-99-99-9', 'ScanPick');
    const refusal = worker.getByTestId('refusal');
    await refusal.waitFor();
    assert.equal(await refusal.getAttribute('role'), 'alert');
    assert.equal(await refusal.locator('[data-code]').getAttribute('data-code'), 'WRONG_BIN');
    assert.equal(text(await refusal.innerText()), `Wrong bin: go to ${firstBin}, scanned Z-99-99-9`);
    assert.equal(await task.getAttribute('data-phase'), 'AwaitingBin');
    assert.equal((await task.getByTestId('pick-bin').innerText()).trim(), firstBin, 'still the same task');

    // Pick every task in walking order: the bin label, then each unit; high-value units are
    // confirmed, once by the button and otherwise by scanning again.
    const picked = [];
    let wrongItemShown = false;
    let confirmedByButton = false;
    for (let guard = 0; guard < 100; guard += 1) {
      if ((await worker.getByTestId('wave-picked').count()) > 0) break;
      const before = await handheldState();
      const sku = (await task.getByTestId('pick-sku').innerText()).trim();
      const bin = (await task.getByTestId('pick-bin').innerText()).trim();
      const phase = await task.getAttribute('data-phase');
      if (phase === 'AwaitingBin') {
        await scan(worker, 'pick-scan', bin, 'ScanPick');
        assert.equal((await worker.getByTestId('refusal').count()), 0, 'the bin label is accepted');
        if (!wrongItemShown) {
          // Another product's barcode at this bin is refused too.
          const other = [...products.values()].find((p) => p.sku !== sku && p.gtin);
          await scan(worker, 'pick-scan', other.gtin, 'ScanPick');
          assert.equal(await worker.getByTestId('refusal').locator('[data-code]').getAttribute('data-code'), 'WRONG_ITEM');
          wrongItemShown = true;
        }
      } else if (phase === 'AwaitingConfirmation') {
        assert.match(text(await task.innerText()), /HIGH VALUE/);
        if (!confirmedByButton) {
          const answered = worker.waitForResponse((r) => (r.request().postData() || '').includes('ConfirmPick'));
          await worker.getByRole('button', { name: 'Confirm high-value unit' }).click();
          await answered;
          confirmedByButton = true;
        } else {
          await scan(worker, 'pick-scan', gtin(sku), 'ScanPick');
        }
        picked.push(sku);
      } else {
        await scan(worker, 'pick-scan', gtin(sku), 'ScanPick');
        assert.equal(await worker.getByTestId('refusal').count(), 0, `${sku} is accepted at ${bin}`);
        if (!products.get(sku).highValue) picked.push(sku);
      }
      // The screen moved on from what it showed.
      await eventually(async () => assert.notEqual(await handheldState(), before, 'the handheld moved on'));
    }
    await worker.getByTestId('wave-picked').waitFor();
    assert.equal(picked.length, units, `every unit picked: ${picked.join(', ')}`);
    assert.ok(wrongItemShown, 'a wrong item was refused');

    // The manager's board followed, without a reload.
    await eventually(
      async () => {
        assert.match(text(await item(manager).getByTestId('wave-progress').innerText()), new RegExp(`^${units} of ${units} units picked`));
        assert.equal(await item(manager).locator('[data-status]').first().getAttribute('data-status'), 'SORTING');
      },
      { timeout: 10_000 },
    );
    assert.equal(await manager.evaluate(() => window.__orderlySameDocument === true), true, 'the board was not reloaded');

    // ---- The put wall ---------------------------------------------------------------------
    await worker.getByRole('link', { name: 'Go to the put wall' }).click();
    await expectPath(worker, `/warehouse/sort/${waveId}`);
    const wall = worker.getByRole('list', { name: 'Put-wall slots' });
    await wall.locator('li').first().waitFor();
    assert.equal(await wall.locator('li').count(), warehouse.waiting.length, 'one slot per order');
    for (const sku of picked) {
      await scan(worker, 'sort-scan', gtin(sku), 'SortScan');
      const result = worker.getByTestId('sort-result');
      assert.match(text(await result.innerText()), /^Slot \d+ /);
      assert.match(text(await result.innerText()), new RegExp(sku));
    }
    await worker.getByTestId('wall-complete').waitFor();
    assert.equal(await wall.locator('li.wall-slot-done').count(), warehouse.waiting.length, 'every slot complete');

    // Pack the order with fragile goods (a carton), else the first slot.
    const { wave } = await query(
      server.url,
      token,
      'query($id: ID!) { wave(id: $id) { shipments { wallSlot orderNumber lines { sku } } } }',
      { id: waveId },
    );
    const fragile = wave.shipments.find((s) => s.lines.some((l) => products.get(l.sku).fragile));
    const chosen = fragile || wave.shipments[0];
    const slotLabel = `${waveNumber}-${String(chosen.wallSlot).padStart(2, '0')}`;
    assert.equal(
      (await wall.locator(`li[data-slot="${chosen.wallSlot}"] .wall-slot-label`).innerText()).trim(),
      slotLabel,
      'the slot shows the label the packer scans',
    );

    // ---- The pack station -----------------------------------------------------------------
    await worker.getByRole('link', { name: 'Go to the pack station' }).click();
    await expectPath(worker, '/warehouse/pack');
    await scan(worker, 'pack-shipment-scan', slotLabel, 'PackStation');
    assert.equal((await worker.getByTestId('pack-order').innerText()).trim(), chosen.orderNumber);
    const suggested = (await worker.getByTestId('suggested-container').innerText()).trim();
    if (fragile) assert.match(suggested, /^CARTON/, 'fragile goods go in a carton');
    assert.ok((await worker.getByTestId('suggestion').locator('li').count()) > 0, 'the suggestion says why');

    // Completing before anything is scanned is refused, one problem per missing line.
    const lines = worker.getByRole('table', { name: 'Items to pack' }).locator('tbody tr');
    const expected = await lines.evaluateAll((rows) =>
      rows.map((r) => ({ sku: r.dataset.sku, quantity: Number(r.querySelector('td:nth-child(3)').textContent) })),
    );
    const refusedEarly = worker.waitForResponse((r) => (r.request().postData() || '').includes('CompletePacking'));
    await worker.getByRole('button', { name: 'Complete packing' }).click();
    await refusedEarly;
    const missing = worker.getByTestId('refusal').locator('[data-code="MISSING"]');
    await eventually(async () => assert.equal(await missing.count(), expected.length, 'each missing line is named'));

    for (const line of expected) {
      for (let i = 0; i < line.quantity; i += 1) await scan(worker, 'pack-item-scan', gtin(line.sku), 'PackScan');
      const packed = lines.and(worker.locator(`[data-sku="${line.sku}"]`)).getByTestId('packed');
      assert.equal((await packed.innerText()).trim(), String(line.quantity), `${line.sku} packed`);
    }
    assert.equal((await worker.getByTestId('pack-ready').innerText()).trim(), 'Every unit scanned');
    await worker.getByRole('button', { name: 'Complete packing' }).click();
    await eventually(async () => assert.match((await worker.getByTestId('packed-in').innerText()).trim(), new RegExp(`^Packed in ${suggested} · `)));

    // Carrier options with their reasons; the recommended one is booked.
    const choice = worker.getByRole('group', { name: 'Carrier service' });
    await choice.locator('label.candidate').first().waitFor();
    assert.match(text(await choice.innerText()), /^Carrier service Recommended: \S+ \S+/);
    await worker.getByRole('button', { name: 'Create label' }).click();
    const tracking = worker.getByTestId('tracking-number');
    await tracking.waitFor();
    const trackingNumber = (await tracking.innerText()).trim();
    assert.match(trackingNumber, /^\S{6,}$/);
    const carrier = (await worker.getByTestId('label-carrier').innerText()).trim().split(' ')[0];
    assert.match((await worker.getByTestId('label-cost').innerText()).trim(), /^[A-Z]{3} \d+\.\d{2}$/);
    await expectPdf(worker, worker.getByRole('button', { name: 'Print label' }), '/documents/labels/');

    // ---- The hand-over --------------------------------------------------------------------
    await warehouseTab(worker, 'Hand-over').click();
    await expectPath(worker, '/warehouse/handover');
    await worker.locator('#handover-warehouse').selectOption(warehouse.id);
    await worker.locator('#handover-carrier').selectOption(carrier);
    const staged = worker.getByRole('table', { name: 'Staged parcels' });
    await staged.locator(`tbody tr[data-tracking="${trackingNumber}"]`).waitFor();

    // A parcel the carrier does not know is refused beside its line, and nothing is handed over.
    const truck = worker.getByRole('list', { name: 'Parcels to hand over' });
    await worker.locator('#handover-scan').focus();
    await scan(worker, 'handover-scan', 'SIM0000000000');
    await truck.locator('li[data-tracking="SIM0000000000"]').waitFor();
    await scan(worker, 'handover-scan', trackingNumber);
    const refusedHandOver = worker.waitForResponse((r) => (r.request().postData() || '').includes('HandOver'));
    await worker.getByRole('button', { name: 'Hand over 2 parcels' }).click();
    await refusedHandOver;
    const badLine = truck.locator('li[data-tracking="SIM0000000000"]');
    await eventually(async () => assert.match(await badLine.getAttribute('class'), /has-error/));
    assert.ok((await badLine.locator('.field-error').innerText()).trim().length > 0, 'the problem is named');
    assert.equal(await worker.getByTestId('manifest-created').count(), 0);
    await badLine.getByRole('button', { name: 'Remove' }).click();
    await worker.getByRole('button', { name: 'Hand over 1 parcel' }).click();
    const manifest = worker.getByTestId('manifest-created');
    await manifest.waitFor();
    assert.match(text(await manifest.innerText()), new RegExp(`^Manifest \\S+: 1 parcel, .* handed to ${carrier}\\.`));
    await expectPdf(worker, manifest.getByRole('button', { name: 'Print manifest' }), '/documents/manifests/');
    await eventually(async () => assert.equal(await staged.locator(`tbody tr[data-tracking="${trackingNumber}"]`).count(), 0));
    await worker.getByRole('table', { name: 'Manifests' }).locator('tbody tr').first().waitFor();

    // ---- Customer service sees the order shipped -----------------------------------------
    await cs.goto(`${server.url}/orders/${chosen.orderNumber}`);
    await eventually(async () =>
      assert.equal(await cs.locator('header.order-header .order-title [data-status]').first().getAttribute('data-status'), 'SHIPPED'),
    );
    const shipments = cs.getByRole('region', { name: 'Shipments' });
    await eventually(async () => assert.match(text(await shipments.innerText()), new RegExp(trackingNumber)));
  } finally {
    await worker.context().close();
    await manager.context().close();
    await cs.context().close();
  }
});
