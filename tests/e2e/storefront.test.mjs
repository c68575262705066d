// The live decision service's demo storefront in a real browser: Debian's Chromium, headless,
// driven through chromedriver (W3C WebDriver). rank → creative shown → click → reward in the
// log → counted in /v1/stats (the data of the app's Live screen), labelled real.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Session, freePort, waitPort } from './webdriver.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const studio = process.env.STUDIO_BIN || path.join(root, 'target', process.env.STUDIO_PROFILE_DIR || 'debug', 'studio');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-store-'));
const project = path.join(work, 'shop.studio');
const logDir = path.join(work, 'log');
const CHROMEDRIVER = process.env.CHROMEDRIVER || '/usr/bin/chromedriver';
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

let service;
let base;
let driver;
let s;

before(async () => {
  execFileSync(studio, ['demo', '--project', project, '--out', path.join(work, 'out')], { stdio: 'ignore' });
  service = spawn(studio, ['serve', '--project', project, '--campaign', '1', '--port', '0', '--log', logDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise((resolve, reject) => {
    readline.createInterface({ input: service.stdout }).once('line', resolve);
    service.once('exit', (c) => reject(new Error(`studio serve exited ${c}`)));
  });
  base = first.match(/http:\/\/\S+/)[0];
  const port = await freePort();
  driver = spawn(CHROMEDRIVER, [`--port=${port}`], { stdio: 'ignore' });
  await waitPort(port, 20000, 'chromedriver');
  const args = ['--headless=new', '--disable-gpu', '--window-size=1300,1000'];
  if (process.getuid && process.getuid() === 0) args.push('--no-sandbox');
  s = await Session.create(`http://127.0.0.1:${port}`, { browserName: 'chrome', 'goog:chromeOptions': { binary: CHROMIUM, args } });
});

after(async () => {
  if (s) await s.close();
  driver?.kill();
  service?.kill('SIGTERM');
});

test('a shopper sees an approved creative, clicks it, and the reward is logged and counted as real', async () => {
  await s.cmd('POST', '/url', { url: `${base}/demo?user=u00001` });
  await s.waitFor('#creative-image');
  // The image really loaded in the browser (not just an <img> tag).
  const size = await s.until(() => s.exec('const i = document.getElementById("creative-image"); return i.complete && i.naturalWidth > 0 ? [i.naturalWidth, i.naturalHeight] : null'), 20000, 'the creative image to load');
  assert.deepEqual(size, [1200, 628]);
  const meta = await s.text('#meta');
  const eventId = meta.match(/event (\S+)/)[1];
  const key = meta.match(/variant (\S+)/)[1];
  await s.click('#creative');
  await s.until(async () => (await s.attr('#status', 'data-rewarded')) === eventId, 10000, 'the reward to be accepted');

  // The reward is in the decision log, joined to its rank.
  await new Promise((r) => setTimeout(r, 300));
  const lines = fs.readdirSync(logDir).filter((f) => f.endsWith('.dsjson')).flatMap((f) => fs.readFileSync(path.join(logDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  assert.ok(lines.some((l) => l.EventId === eventId && l._label_Action), 'the rank is logged');
  assert.ok(lines.some((l) => l.EventId === eventId && l.RewardValue === 1), 'the click is logged as its reward');

  // Counted in the live figures, as real traffic.
  // (The stats now keep real and simulated traffic apart, per segment × variant.)
  const stats = await (await fetch(`${base}/v1/stats`)).json();
  const row = stats.real.cells.find((c) => c.variant_key === key && c.impressions > 0);
  assert.ok(row, `variant ${key} in the real traffic of /v1/stats`);
  assert.equal(row.clicks, 1);
  assert.ok(row.impressions >= 1);
  assert.equal(stats.simulated.impressions, 0, 'nothing counted as simulated');
});
