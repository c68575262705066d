// The UI tests' backend: the real core behind `studio bridge`, one bridge per test on its own
// copy of the template project (vitest-global-setup.ts), so tests neither share state nor run
// a second implementation of the core's rules. Stopped after each test (vitest-setup.ts).
import { randomUUID } from 'node:crypto';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { HttpBackend } from '../backend/http';
import './context';
import { spawnBridge, type Spawned } from './spawn';

interface Running {
	bridge: Spawned;
	backend: HttpBackend;
	project: string;
}

const running: Running[] = [];

/** What a test's bridge starts with. */
export interface BridgeOptions {
	/** The template project copied (vitest-global-setup.ts; default `trained`). */
	project?: 'fresh' | 'trained' | 'campaign';
	/** The demo profile signed in (default `demo-marketer`; null: nobody). */
	as?: string | null;
}

/** A fresh copy of the demo project served by its own `studio bridge`, signed in as `as`. */
export async function bridge(opts: BridgeOptions = {}): Promise<HttpBackend> {
	const { cli, dir } = inject('studio');
	const template = join(dir, `${opts.project ?? 'trained'}.studio`);
	// Unique across the run's worker threads (they share one process id).
	const project = join(dir, `test-${randomUUID()}.studio`);
	copyFileSync(template, project);
	const served = await spawnBridge(cli, project);
	const backend = new HttpBackend(served.url);
	running.push({ bridge: served, backend, project });
	const as = opts.as === undefined ? 'demo-marketer' : opts.as;
	if (as) {
		const profile = (await backend.listProfiles()).find((p) => p.name === as);
		if (!profile) throw new Error(`no profile ${as} in the demo project`);
		await backend.signIn(profile.id);
	}
	return backend;
}

/** Stop every bridge of the test and delete its project. */
export async function stopBridges(): Promise<void> {
	const all = running.splice(0);
	await Promise.all(
		all.map(async ({ bridge, backend, project }) => {
			await backend.close();
			await bridge.stop();
			for (const suffix of ['', '-wal', '-shm']) rmSync(project + suffix, { force: true });
			rmSync(project + '.serve', { recursive: true, force: true });
		})
	);
}

/** The id of demo profile `name` (demo-admin, demo-marketer, demo-reviewer, demo-manager). */
export async function profileId(backend: HttpBackend, name: string): Promise<number> {
	const p = (await backend.listProfiles()).find((p) => p.name === name);
	if (!p) throw new Error(`no profile ${name}`);
	return p.id;
}
