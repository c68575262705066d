// End-to-end test in the real app window: tauri-driver + WebKitWebDriver drive the built
// studio (target/debug/creative-studio) under Xvfb. Run via `make e2e` (xvfb-run +
// dbus-run-session). Screenshots land in tests/e2e/artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { Session } from './webdriver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const app = path.join(root, 'target/debug/creative-studio');
const rees46 = path.resolve(root, '../shared/data/rees46/2019-Oct-head.csv');
const xss = path.join(root, 'fixtures/e2e_xss.csv');
const artifacts = path.join(root, 'tests/e2e/artifacts');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-'));
const project = path.join(work, 'e2e.studio');
const exportDir = path.join(work, 'export');
let port;

let driver;
let s;

/** A TCP port that is free right now on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

async function waitPort(p, timeout) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const c = net.connect(p, '127.0.0.1', () => { c.end(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not listen on ${p}`);
}

async function shot(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  fs.writeFileSync(file, await s.screenshot());
  return file;
}

before(async () => {
  assert.ok(fs.existsSync(app), `build the app first: ${app}`);
  const bin = process.env.TAURI_DRIVER || path.join(os.homedir(), '.cargo/bin/tauri-driver');
  // Free ports for tauri-driver and WebKitWebDriver, so a stale driver never collides; its own
  // process group, so teardown can stop the driver and everything it started.
  port = await freePort();
  const nativePort = await freePort();
  driver = spawn(bin, ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, STUDIO_PROJECT: project },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  await waitPort(port, 20000);
  s = await Session.create(`http://127.0.0.1:${port}`, { 'tauri:options': { application: app } });
  await s.waitFor('[data-testid="nav-data"]', { timeout: 60000 });
});

/** PIDs of running processes whose executable is the app under test. */
function appPids() {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue;
    try {
      if (fs.readlinkSync(`/proc/${d}/exe`) === app) pids.push(Number(d));
    } catch {
      // process gone or not ours to inspect
    }
  }
  return pids;
}

after(async () => {
  if (s) await s.close();
  // Deleting the session should close the window; make sure nothing outlives the test.
  await new Promise((r) => setTimeout(r, 500));
  for (const pid of appPids()) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  if (driver) {
    for (const sig of ['SIGTERM', 'SIGKILL']) {
      try { process.kill(-driver.pid, sig); } catch { /* group already gone */ }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
});

test('the whole loop through the real window', { timeout: 240000 }, async () => {
  // Data: the demo project is loaded.
  await s.until(async () => Number((await s.text('[data-testid="overview"]')).replace(/[^0-9]/g, '').length) > 0, 30000, 'overview');
  await shot('01-data');

  // A missing file is a clear error naming it, and changes nothing.
  const before = await s.text('[data-testid="overview"]');
  await s.type('[data-testid="import-path"]', path.join(work, 'no-such-file.csv'));
  await s.click('[data-testid="import-btn"]');
  await s.waitFor('[data-testid="error-banner"]', { timeout: 30000 });
  assert.equal((await s.text('[data-testid="error-code"]')).trim(), 'not_found');
  assert.match(await s.text('[data-testid="error-message"]'), /no-such-file\.csv/);
  assert.equal(await s.text('[data-testid="overview"]'), before);

  // Import the REES46 sample through the UI path; its truncated last line is reported.
  await s.type('[data-testid="import-path"]', rees46);
  await s.click('[data-testid="import-btn"]');
  await s.waitFor('[data-testid="import-summary"]', { timeout: 60000 });
  const rejected = await s.until(async () => {
    const rows = await s.findAll('[data-testid="rejected-row"]');
    return rows.length ? s.text('[data-testid="rejected-row"]') : null;
  }, 30000, 'rejected line');
  assert.match(rejected, /17[,.]?436/, `rejected row names line 17436: ${rejected}`);
  assert.equal((await s.text('[data-testid="sum-rejected"]')).trim(), '1');

  // Imported text is shown as text, never as HTML.
  await s.type('[data-testid="import-path"]', xss);
  await s.click('[data-testid="import-btn"]');
  await s.until(async () => (await s.text('[data-testid="import-summary"]')).includes('e2e_xss.csv') || (await s.text('[data-testid="sum-read"]')).trim() === '2', 30000, 'xss import');
  await s.type('[data-testid="product-search"]', 'onerror');
  const brand = await s.until(async () => {
    const cells = await s.findAll('[data-testid="product-brand"]');
    for (const c of cells) {
      const t = await s.cmd('GET', `/element/${c}/text`);
      if (t.includes('onerror')) return t;
    }
    return null;
  }, 30000, 'xss product row');
  assert.equal(brand, '<img src=x onerror=alert(1)>');
  assert.equal(await s.exec('return document.querySelectorAll(\'img[src="x"]\').length'), 0);
  await shot('02-import');

  // Segments.
  await s.click('[data-testid="nav-segments"]');
  await s.click('[data-testid="train-btn"]');
  await s.until(async () => (await s.findAll('[data-testid="segment-row"]')).length >= 2, 120000, 'segments');
  // Automatic k on the demo store: the held-out prediction report and both charts appear.
  await s.until(async () => (await s.findAll('[data-testid="prediction-card"]')).length === 1, 120000, 'interest prediction report');
  const auc = Number(await s.text('[data-testid="pred-auc"]'));
  const popularity = Number(await s.text('[data-testid="pred-baseline-auc"]'));
  assert.ok(auc > popularity, `prediction AUC ${auc} beats popularity ${popularity}`);
  await s.waitFor('[data-testid="silhouette-chart"]');
  assert.match(await s.attr('[data-testid="projection-chart"]', 'src'), /^data:image\/svg\+xml;base64,/);
  await shot('03-segments');

  // Campaign: one variant per segment, with banners.
  await s.click('[data-testid="nav-campaign"]');
  await s.type('[data-testid="campaign-name"]', 'E2E 双十一');
  await s.click('[data-testid="create-campaign-btn"]');
  await s.until(async () => (await s.findAll('[data-testid="variant-card"]')).length >= 2, 120000, 'variants');
  // Every generated variant passes the compliance checker (and shows it).
  const cards = (await s.findAll('[data-testid="variant-card"]')).length;
  assert.equal((await s.findAll('[data-testid="compliance-ok"]')).length, cards, 'generated copy is compliant');
  await shot('04-campaign');

  // Simulation: the chart updates while it runs.
  await s.click('[data-testid="nav-simulation"]');
  await s.click('[data-testid="run-sim-btn"]');
  const seen = new Set();
  await s.until(async () => {
    const ids = await s.findAll('[data-testid="sim-chart"]');
    if (ids.length) seen.add(await s.cmd('GET', `/element/${ids[0]}/attribute/src`));
    return seen.size >= 3;
  }, 60000, 'chart updates');
  const frames = await s.until(async () => {
    const n = Number((await s.text('[data-testid="sim-frames"]')).replace(/[^0-9]/g, ''));
    return n >= 2 ? n : null;
  }, 30000, 'frames');
  assert.ok(frames >= 2, `frames received: ${frames}`);
  assert.match(await s.text('[data-testid="sim-label-chart"]'), /模拟|Simulated/);
  await shot('05-simulation');

  // Review: approve the first variant.
  await s.click('[data-testid="nav-review"]');
  await s.click('[data-testid="approve-btn"]');
  await s.waitFor('[data-testid="status-approved"]', { timeout: 30000 });
  await shot('06-review');

  // Export, then check the files on disk.
  await s.click('[data-testid="nav-export"]');
  await s.type('[data-testid="export-dir"]', exportDir);
  await s.click('[data-testid="export-btn"]');
  await s.waitFor('[data-testid="export-file"]', { timeout: 60000 });
  const shotFile = await shot('07-export');
  const files = fs.readdirSync(exportDir);
  const pngs = files.filter((f) => f.endsWith('.png'));
  assert.equal(pngs.length, 1, `one approved variant → one banner: ${files}`);
  assert.ok(files.includes('manifest.csv'));
  const png = fs.readFileSync(path.join(exportDir, pngs[0]));
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(png.readUInt32BE(16), 1200);
  assert.equal(png.readUInt32BE(20), 628);
  const manifest = fs.readFileSync(path.join(exportDir, 'manifest.csv'), 'utf8');
  assert.ok(manifest.includes(pngs[0]) && manifest.includes('ctr_is_simulated'));
  console.log(`screenshot: ${shotFile}`);
});
