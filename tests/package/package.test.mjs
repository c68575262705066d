// The Debian package as a marketer gets it (issue 20). `make test-package` builds it
// (`make package`: the Tauri bundler over the release build) and runs this under Xvfb:
//  1. the package, read with Debian's own tools: its control fields, its files, the desktop
//     entry (desktop-file-validate), and its Depends compared with what dpkg-shlibdeps derives
//     from the two binaries (what the app needs, nothing else);
//  2. apt's plan for installing it on an empty system (every dependency found in the archive);
//  3. installed into a throw-away dpkg root (no root rights, nothing on the host touched):
//     `studio --version`, `studio demo`, the installed app's window on the demo project it
//     creates on first start in the user's data folder (WebDriver), then `dpkg -r`, after which
//     the user's projects are still there.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTauri, stopTauri } from '../e2e/webdriver.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const deb = process.env.STUDIO_DEB;
const version = process.env.STUDIO_VERSION;
const artifacts = path.join(here, 'artifacts');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-package-'));
// The dpkg root the package is installed into, and the marketer's home folder.
const dpkgRoot = path.join(work, 'root');
const home = path.join(work, 'home');
// Where the app keeps the demo project (Tauri's app data dir: $XDG_DATA_HOME/<identifier>).
const identifier = JSON.parse(fs.readFileSync(path.join(root, 'src-tauri/tauri.conf.json'), 'utf8')).identifier;
const dataDir = path.join(home, '.local/share', identifier);

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', ...opts });
/** Run a command that must succeed; its output, or an assertion naming it with its stderr. */
function ok(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
const dpkg = (...args) => ok('dpkg', [`--root=${dpkgRoot}`, `--log=${path.join(work, 'dpkg.log')}`, '--force-not-root', ...args]);
/** Package names of a Depends field (alternatives and version constraints dropped). */
const names = (field) => new Set(field.split(',').map((d) => d.trim().split(/[\s|(]/)[0]).filter(Boolean));

after(() => fs.rmSync(work, { recursive: true, force: true }));

test('the package: control fields, files, desktop entry and dependencies as Debian reads them', () => {
  assert.ok(deb && fs.existsSync(deb), `build it first (make package): ${deb}`);
  assert.equal(path.basename(deb), `creative-studio_${version}_amd64.deb`);
  const field = (f) => run('dpkg-deb', ['-f', deb, f]).trim();
  assert.equal(field('Package'), 'creative-studio');
  assert.equal(field('Version'), version, 'the workspace version');
  assert.equal(field('Architecture'), 'amd64');

  // `dpkg-deb -c` lists like `tar -tv`: mode owner size date time path.
  const files = run('dpkg-deb', ['-c', deb]).split('\n').map((l) => l.match(/ \d{2}:\d{2} (?:\.\/)?(.+)$/)?.[1]).filter(Boolean).map((f) => `/${f.replace(/\/$/, '')}`);
  for (const f of ['/usr/bin/creative-studio', '/usr/bin/studio', '/usr/share/applications/Creative Studio.desktop', '/usr/share/doc/creative-studio/copyright', '/usr/share/doc/creative-studio/OFL.txt']) {
    assert.ok(files.includes(f), `${f} in the package:\n${files.join('\n')}`);
  }
  assert.ok(files.some((f) => /^\/usr\/share\/icons\/hicolor\/\d+x\d+\/apps\/creative-studio\.png$/.test(f)), 'the app icon');
  assert.ok(!files.some((f) => f.startsWith('/home') || f.startsWith('/root') || f.includes('/target/')), 'nothing from the build tree');

  // The desktop entry, validated by freedesktop's own validator, named in English and Chinese.
  const x = path.join(work, 'extracted');
  ok('dpkg-deb', ['-x', deb, x]);
  const desktop = path.join(x, 'usr/share/applications/Creative Studio.desktop');
  ok('desktop-file-validate', [desktop]);
  const entry = fs.readFileSync(desktop, 'utf8');
  assert.match(entry, /^Name=Creative Studio$/m);
  assert.match(entry, /^Name\[zh_CN\]=.*创意工坊/m);
  assert.match(entry, /^Exec=creative-studio$/m);
  assert.match(entry, /^Icon=creative-studio$/m);

  // Depends: exactly the packages whose libraries the binaries link (dpkg-shlibdeps, which
  // reads the host's package database: the shared libraries and the packages shipping them).
  const control = path.join(work, 'shlibs', 'debian');
  fs.mkdirSync(control, { recursive: true });
  fs.writeFileSync(path.join(control, 'control'), 'Source: creative-studio\n\nPackage: creative-studio\nArchitecture: any\n');
  const derived = ok('dpkg-shlibdeps', ['-O', path.join(x, 'usr/bin/creative-studio'), path.join(x, 'usr/bin/studio')], { cwd: path.dirname(control) });
  const needed = names(derived.replace(/^shlibs:Depends=/m, '').trim());
  const declared = names(field('Depends'));
  assert.ok(needed.size > 2, `dpkg-shlibdeps found the libraries: ${derived}`);
  assert.deepEqual([...needed].filter((p) => !declared.has(p)), [], `declared: ${[...declared]}; needed: ${[...needed]}`);
  assert.deepEqual([...declared].filter((p) => !needed.has(p)), [], `declared but not needed: ${[...declared]} vs ${[...needed]}`);
});

test('apt resolves the package on an empty system: it pulls in WebKitGTK 4.1 and nothing of a build tree', () => {
  // `apt-get install ./creative-studio_….deb` on a fresh machine, simulated against this host's
  // package lists (the real Debian/Ubuntu archive) with an empty dpkg status, so apt must find
  // every dependency in the archive rather than on the host.
  const status = path.join(work, 'empty-status');
  fs.writeFileSync(status, '');
  const plan = ok('apt-get', ['install', '-s', '--no-install-recommends', '-o', `Dir::State::status=${status}`, deb]);
  const installs = plan.split('\n').map((l) => l.match(/^Inst (\S+)/)?.[1]).filter(Boolean);
  for (const p of ['creative-studio', 'libwebkit2gtk-4.1-0']) {
    assert.ok(installs.some((i) => i === p || i.startsWith(`${p}t64`)), `apt would install ${p}: ${installs.join(' ')}`);
  }
  const heavy = installs.filter((p) => /-dev$|^(gcc|g\+\+|cpp|clang)(-\d+)?$|^(make|cargo|rustc|nodejs|npm|python3|openjdk-\d+-jre)/.test(p));
  assert.deepEqual(heavy, [], 'no compiler, headers or runtime of the build tree');
});

test('installed: studio --version and demo, the window on the first-start demo project, uninstall keeps projects', { timeout: 300000 }, async () => {
  fs.mkdirSync(path.join(dpkgRoot, 'var/lib/dpkg/info'), { recursive: true });
  fs.mkdirSync(path.join(dpkgRoot, 'var/lib/dpkg/updates'), { recursive: true });
  fs.writeFileSync(path.join(dpkgRoot, 'var/lib/dpkg/status'), '');
  fs.mkdirSync(home, { recursive: true });
  // The throw-away root's database is empty, so its dependencies (checked in the test above,
  // present on this host) cannot be seen there.
  dpkg('--force-depends', '-i', deb);
  assert.match(dpkg('-l', 'creative-studio'), /^ii\s+creative-studio\s/m);

  const bin = (name) => path.join(dpkgRoot, 'usr/bin', name);
  const xdg = { HOME: home, XDG_DATA_HOME: path.join(home, '.local/share'), XDG_CONFIG_HOME: path.join(home, '.config') };
  const env = { ...process.env, ...xdg };
  delete env.STUDIO_PROJECT;
  assert.equal(run(bin('studio'), ['--version'], { env }).trim(), `studio ${version}`);
  const demoOut = path.join(home, 'demo-export');
  const demoProject = path.join(home, 'Documents', 'shop.studio');
  fs.mkdirSync(path.dirname(demoProject));
  run(bin('studio'), ['demo', '--project', demoProject, '--out', demoOut], { env });
  assert.ok(fs.statSync(demoProject).size > 0 && fs.readdirSync(demoOut).includes('manifest.json'), 'studio demo wrote the project and the export');
  const manifest = JSON.parse(fs.readFileSync(path.join(demoOut, 'manifest.json'), 'utf8'));
  assert.equal(manifest.studio_version, version, 'the export names the installed version');

  // The installed app, started as from the menu (no project argument): it creates the demo
  // project in the user's data folder and opens on it.
  const app = bin('creative-studio');
  assert.equal(process.env.STUDIO_PROJECT, undefined, 'the app must choose its own project');
  const session = await startTauri(app, xdg);
  const { s } = session;
  try {
    await s.waitFor('[data-testid="nav-data"]', { timeout: 60000 });
    await s.until(async () => /\d/.test(await s.text('[data-testid="overview"]')), 60000, 'the demo project overview');
    await s.click('[data-testid="about-btn"]');
    await s.until(async () => (await s.text('[data-testid="about-version"]')).trim() === version, 10000, `version ${version} in the About box`);
    // The project path arrives asynchronously (the dialog asks the backend when it opens).
    const expected = path.join(dataDir, 'demo.studio');
    let shown = '';
    await s.until(async () => (shown = (await s.text('[data-testid="about-project"]')).trim()) === expected, 10000,
      `the demo project in the user data folder (${expected}) in the About box`).catch((e) => {
      assert.equal(shown, expected, e.message);
    });
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'installed-app.png'), await s.screenshot());
  } finally {
    await stopTauri(session, app);
  }
  const firstStart = path.join(dataDir, 'demo.studio');
  assert.ok(fs.statSync(firstStart).size > 0, `${firstStart} created on first start`);

  // Uninstall: the program goes, the marketer's projects stay.
  dpkg('-r', 'creative-studio');
  assert.ok(!fs.existsSync(app) && !fs.existsSync(bin('studio')), 'the binaries are removed');
  assert.doesNotMatch(spawnSync('dpkg', [`--root=${dpkgRoot}`, '-l', 'creative-studio'], { encoding: 'utf8' }).stdout, /^ii/m);
  for (const p of [firstStart, demoProject, path.join(demoOut, 'manifest.json')]) {
    assert.ok(fs.existsSync(p) && fs.statSync(p).size > 0, `${p} survives the uninstall`);
  }
  // And the surviving project still opens (with the CLI of the build tree).
  const info = JSON.parse(run(path.join(root, 'target', process.env.STUDIO_PROFILE_DIR || 'release', 'studio'), ['info', '--project', firstStart, '--json']));
  assert.ok(info.events > 0 && info.users > 0, `the demo project after uninstall: ${JSON.stringify(info).slice(0, 300)}`);
});
