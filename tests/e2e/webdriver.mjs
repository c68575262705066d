// A minimal W3C WebDriver client (fetch-based), enough to drive the studio through
// tauri-driver + WebKitWebDriver (and Chromium through chromedriver), plus the start-up helpers
// the window tests share. No dependencies.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';

// W3C names the reference key 'element-6066-11e4-a52e-4f735466cecc'; some drivers also or
// instead send the legacy 'ELEMENT'. Take whichever is there.
const ref = (e) => e['element-6066-11e4-a52e-4f735466cecc'] ?? e.ELEMENT ?? Object.values(e)[0];

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async create(base, capabilities) {
    const res = await call(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } });
    return new Session(base, res.sessionId);
  }

  cmd(method, path, body) {
    return call(this.base, method, `/session/${this.id}${path}`, body);
  }

  async find(css) {
    const el = await this.cmd('POST', '/element', { using: 'css selector', value: css });
    return ref(el);
  }

  async findAll(css) {
    const els = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return els.map(ref);
  }

  async click(css) {
    const id = await this.waitFor(css, { enabled: true });
    await this.cmd('POST', `/element/${id}/click`, {});
  }

  async type(css, text) {
    const id = await this.waitFor(css);
    await this.cmd('POST', `/element/${id}/clear`, {});
    await this.cmd('POST', `/element/${id}/value`, { text });
  }

  async text(css) {
    return this.cmd('GET', `/element/${await this.find(css)}/text`);
  }

  async attr(css, name) {
    return this.cmd('GET', `/element/${await this.find(css)}/attribute/${name}`);
  }

  exec(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  async screenshot() {
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  close() {
    return this.cmd('DELETE', '', undefined).catch(() => {});
  }

  /** Poll until `css` exists (and is enabled if asked); returns its element id. */
  async waitFor(css, { timeout = 30000, enabled = false } = {}) {
    return this.until(async () => {
      const ids = await this.findAll(css);
      if (ids.length === 0) return null;
      if (enabled && !(await this.cmd('GET', `/element/${ids[0]}/enabled`))) return null;
      return ids[0];
    }, timeout, `element ${css}`);
  }

  /** Poll `fn` every 100 ms until it returns a truthy value. */
  async until(fn, timeout, what) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      try {
        const v = await fn();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
  }
}

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok || (json.value && json.value.error)) {
    const v = json.value || {};
    throw new Error(`${method} ${path}: ${v.error || res.status} ${v.message || ''}`);
  }
  return json.value;
}

/** A TCP port that is free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Wait until something listens on 127.0.0.1:`port` (`what` names it in the error). */
export async function waitPort(port, timeout, what = 'the driver') {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not listen on ${port} within ${timeout} ms`);
}

/**
 * Start tauri-driver (own process group, free ports) and open a session on the app at `app`
 * with `env` added to the driver's environment (the app inherits it). Returns `{ driver, s }`;
 * stop them with `stopTauri`.
 */
export async function startTauri(app, env = {}) {
  const bin = process.env.TAURI_DRIVER || `${os.homedir()}/.cargo/bin/tauri-driver`;
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn(bin, ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  await waitPort(port, 20000, 'tauri-driver');
  // tauri-driver answers before the WebKitWebDriver it starts listens: a first session request
  // can meet "connection refused" there (seen once in a clean-clone run), so retry briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      const s = await Session.create(`http://127.0.0.1:${port}`, { 'tauri:options': { application: app } });
      return { driver, s };
    } catch (e) {
      if (attempt >= 5) throw e;
      console.log(`# session attempt ${attempt} failed (${e.message}); retrying`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** PIDs of running processes whose executable is `exe`. */
export function pidsOf(exe) {
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(d)) continue;
    try {
      if (fs.readlinkSync(`/proc/${d}/exe`) === exe) pids.push(Number(d));
    } catch {
      // process gone or not ours to inspect
    }
  }
  return pids;
}

/** Close the session, make sure no process of `app` outlives it, stop the driver's group. */
export async function stopTauri({ driver, s }, app) {
  if (s) await s.close();
  // Deleting the session should close the window; make sure nothing outlives the test.
  await new Promise((r) => setTimeout(r, 500));
  for (const pid of pidsOf(app)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  if (driver) {
    for (const sig of ['SIGTERM', 'SIGKILL']) {
      try { process.kill(-driver.pid, sig); } catch { /* group already gone */ }
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}
