// Starts the real Orderly server for one test file: its own SQLite database in a fresh temporary
// folder, the demo data, the built console, on a free loopback port. Stopped (and its folder
// removed) by `stop()`.

'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const E2E_DIR = path.resolve(__dirname, '..');
const REPO_DIR = path.resolve(E2E_DIR, '..');
const CONSOLE_DIR = path.join(REPO_DIR, 'frontend', 'dist');
const JWT_SECRET = 'orderly-e2e-fixed-test-secret-0123456789abcdef';
/** Signs the simulated payment gateway's callbacks (`POST /webhooks/payments/simulated`). */
const PAYMENT_WEBHOOK_SECRET = 'orderly-e2e-payment-webhook-secret-0123456789';
/** `--demo` prints the demo partner's key once, on stdout. */
const PARTNER_KEY_LINE = /Partner API key for channel demo-store \(X-Api-Key\): (\S+)/;
const STARTUP_TIMEOUT_MS = 90_000;

function binaryPath() {
  return path.resolve(E2E_DIR, process.env.ORDERLY_BIN || '../target/debug/orderly');
}

/** A port nothing listens on right now (the server binds it a moment later). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function isHealthy(url) {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * Starts `orderly serve --demo` and resolves once `GET /healthz` answers 200.
 * `partnerKey()` is the demo channel's API key as the server printed it (null if it did not);
 * `paymentWebhookSecret` signs payment callbacks.
 * @returns {Promise<{url: string, stop: () => Promise<void>, output: () => string,
 *   partnerKey: () => string | null, paymentWebhookSecret: string}>}
 */
async function startServer() {
  const bin = binaryPath();
  if (!fs.existsSync(bin)) {
    throw new Error(`No server binary at ${bin}: build it with \`cargo build -p orderly\` or set ORDERLY_BIN.`);
  }
  for (const file of ['index.html', 'orderly_console.js', 'orderly_console_bg.wasm', 'style.css']) {
    if (!fs.existsSync(path.join(CONSOLE_DIR, file))) {
      throw new Error(`The console is not built (${file} missing in ${CONSOLE_DIR}): run \`cargo xtask\`.`);
    }
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orderly-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(bin, ['serve', '--demo', '--bind', `127.0.0.1:${port}`], {
    cwd: dir,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${dir}/e2e.db?mode=rwc`,
      ORDERLY_CONSOLE_DIR: CONSOLE_DIR,
      ORDERLY_JWT_SECRET: JWT_SECRET,
      ORDERLY_PAYMENT_WEBHOOK_SECRET: PAYMENT_WEBHOOK_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk) => {
    // The tail is enough to explain a failure.
    output = (output + chunk.toString()).slice(-64 * 1024);
  };
  let partnerKey = null;
  let stdout = '';
  child.stdout.on('data', (chunk) => {
    if (partnerKey === null) {
      stdout += chunk.toString();
      const found = PARTNER_KEY_LINE.exec(stdout);
      if (found) partnerKey = found[1];
    }
  });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  let ended = null;
  exited.then((how) => {
    ended = how;
  });
  while (!(await isHealthy(url))) {
    if (ended) {
      await stop();
      throw new Error(`orderly serve exited (${JSON.stringify(ended)}) before it was healthy:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`orderly serve was not healthy after ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop,
    output: () => output,
    partnerKey: () => partnerKey,
    paymentWebhookSecret: PAYMENT_WEBHOOK_SECRET,
  };
}

module.exports = { startServer };
