// Once per `vitest run`: template projects, which every test copies and serves on a bridge of
// its own (src/lib/testing/bridge.ts), so the UI tests run against the real core:
//   fresh     as the app makes its first project (the demo data and team, by `studio bridge`);
//   trained   + four segments trained by the demo marketer (seed 42);
//   campaign  + the campaign "Spring" (en and zh-CN, one copy set per segment, three placements).
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import type { ApiError } from './src/lib/bindings';
import { spawnBridge } from './src/lib/testing/spawn';

export default async function setup(project: TestProject) {
	const cli = process.env.STUDIO_CLI ?? resolve(import.meta.dirname, '../target/release/studio');
	if (!existsSync(cli)) throw new Error(`${cli} is missing: the UI tests run against the real core; build it first (make build-all)`);
	const dir = mkdtempSync(join(tmpdir(), 'studio-ui-'));
	const fresh = join(dir, 'fresh.studio');
	await serving(cli, fresh, async () => {});
	const trained = copy(fresh, join(dir, 'trained.studio'));
	await serving(cli, trained, async (call) => {
		await call('sign_in', { profileId: (await call<{ id: number; name: string }[]>('list_profiles')).find((p) => p.name === 'demo-marketer')!.id });
		await call('train_segments', { k: 4, seed: 42, jobId: 'template' });
	});
	const campaign = copy(trained, join(dir, 'campaign.studio'));
	await serving(cli, campaign, async (call) => {
		await call('sign_in', { profileId: (await call<{ id: number; name: string }[]>('list_profiles')).find((p) => p.name === 'demo-marketer')!.id });
		const params = {
			name: 'Spring',
			goal: 'clicks',
			languages: ['en', 'zh-CN'],
			placements: ['google-rda-landscape', 'iab-300x250', 'iab-300x600'],
			tone: 'informative',
			landing_url: 'https://shop.example.com/',
			business_name: 'Demo Store',
			kit: { primary: [33, 37, 41], accent: [255, 196, 61], font: 'sans', logo_text: '', use_segment_palette: false },
			products: { ids: [], category: null, brand: null },
			variants_per_segment: 1,
			seed: 42
		};
		await call('create_campaign', { params, jobId: 'template' });
	});
	project.provide('studio', { cli, dir });
	return () => rmSync(dir, { recursive: true, force: true });
}

function copy(from: string, to: string): string {
	copyFileSync(from, to);
	return to;
}

type Call = <T = unknown>(command: string, args?: Record<string, unknown>) => Promise<T>;

/** Serve `project` on a bridge, run `work` through it, stop the bridge (which checkpoints the project into one file). */
async function serving(cli: string, project: string, work: (call: Call) => Promise<void>): Promise<void> {
	const { child, url, stop } = await spawnBridge(cli, project);
	const code = new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
	const call: Call = async (command, args = {}) => {
		const r = await fetch(`${url}/api/${command}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(args) });
		const last = JSON.parse((await r.text()).trim().split('\n').pop()!);
		if ('error' in last) throw new Error(`${command}: ${(last.error as ApiError).message}`);
		return last.ok;
	};
	try {
		await work(call);
	} finally {
		await stop();
	}
	const exit = await code;
	if (exit !== null && exit !== 0) throw new Error(`studio bridge on ${project} exited with ${exit}`);
}
