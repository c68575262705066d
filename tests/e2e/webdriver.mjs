// A minimal W3C WebDriver client (fetch-based), enough to drive the studio through
// tauri-driver + WebKitWebDriver. No dependencies.

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
