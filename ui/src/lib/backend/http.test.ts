// The UI's backend on the real core (`studio bridge`): what the screens rely on — arguments
// reach the commands under their names, answers and errors (with their message keys) come back
// as the core gives them, a job streams its progress and can be cancelled, a live run streams
// its frames and is saved paused when nobody listens any more.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LiveFrame, Progress } from '$lib/bindings';
import { IMAGE_PLACEMENTS } from '$lib/bindings';
import { defaultParams } from '$lib/campaign';
import { bridge, profileId } from '$lib/testing/bridge';

const noEvents = () => {};

describe('HttpBackend on the real core', () => {
	it('refuses an approval by the profile that submitted, even after its role changed', async () => {
		const m = await bridge({ project: 'campaign' });
		const [c] = await m.listCampaigns();
		const [v] = await m.listVariants(c.id);
		const id = (name: string) => profileId(m, name);
		await m.submitVariant(v.id);
		await m.signIn(await id('demo-admin'));
		await m.setProfileRole({ profileId: await id('demo-marketer'), role: 'reviewer' });
		await m.signIn(await id('demo-marketer'));
		const approve = () => m.approveVariant({ variantId: v.id, params: { note: '', override_reason: null } });
		await expect(approve()).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining(`demo-marketer cannot approve variant ${v.id}`) });
		await m.signIn(await id('demo-reviewer'));
		await expect(approve()).resolves.toMatchObject({ id: v.id, status: 'approved' });
	});

	it('renames a segment as a marketer, logged, and refuses a reviewer', async () => {
		const m = await bridge();
		const [s] = await m.listSegments();
		const renamed = await m.renameSegment({ segmentId: s.id, nameEn: 'Night owls', nameZh: '夜猫子' });
		expect(renamed).toMatchObject({ id: s.id, name_en: 'Night owls', name_zh: '夜猫子' });
		expect((await m.listSegments()).find((r) => r.id === s.id)?.name_en).toBe('Night owls');
		await m.signIn(await profileId(m, 'demo-reviewer'));
		await expect(m.renameSegment({ segmentId: s.id, nameEn: 'X', nameZh: 'X' })).rejects.toMatchObject({ code: 'forbidden' });
	});

	it('makes segment × language × n variants rendered at every placement, with progress', async () => {
		const m = await bridge();
		const placements = ['google-rda-landscape', 'iab-300x250'];
		const progress: Progress[] = [];
		const c = await m.createCampaign({ params: defaultParams('Summer', { languages: ['en', 'zh-CN'], variants_per_segment: 1, placements }), jobId: 'j1' }, (p) => progress.push(p));
		expect(progress.length).toBeGreaterThan(0);
		expect(progress.every((p) => p.job === 'j1')).toBe(true);
		expect(c).toMatchObject({ name: 'Summer', languages: ['en', 'zh-CN'], placements });
		const segments = await m.listSegments();
		const vs = await m.listVariants(c.id);
		expect(vs).toHaveLength(segments.length * 2);
		for (const v of vs) {
			expect(v.renders.map((r) => r.placement)).toEqual(placements);
			expect(v.banner_data_url).toMatch(/^data:image\/(png|jpeg);base64,/);
		}
		expect(await m.variantImage({ variantId: vs[0].id, placement: 'iab-300x250' })).toMatch(/^data:image\//);
		await expect(m.variantImage({ variantId: vs[0].id, placement: 'iab-728x90' })).rejects.toMatchObject({ code: 'not_found' });
		expect(await m.listPlacements()).toEqual(IMAGE_PLACEMENTS);
	});

	it("passes the core's refusals through with their message keys", async () => {
		const m = await bridge();
		const bad = m.createCampaign({ params: defaultParams('Autumn', { landing_url: 'shop.example.com' }), jobId: 'j' }, noEvents);
		await expect(bad).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringContaining('landing_url'), key: expect.stringMatching(/^err\./) });
		expect(await m.listCampaigns()).toEqual([]);
	});

	it('streams an import job and cancels it, keeping the project as it was', async () => {
		const m = await bridge();
		const before = await m.projectOverview();
		const dir = mkdtempSync(join(tmpdir(), 'studio-import-'));
		const path = join(dir, 'events.csv');
		const lines = ['ts,uid,sku,action,amount'];
		for (let i = 0; i < 400_000; i++) lines.push(`2025-03-01T${String(Math.floor(i / 20_000) % 24).padStart(2, '0')}:00:00Z,u${i % 20_000},p${i % 5000},view,${(i % 900) + 9.5}`);
		writeFileSync(path, lines.join('\n') + '\n');
		const seen: Progress[] = [];
		const job = m.importFile({ path, jobId: 'big', currency: 'CNY', mapping: 'user=uid,item=sku,time=ts,event=action,price=amount' }, (p) => {
			seen.push(p);
			if (seen.length === 1) void m.cancelJob('big');
		});
		await expect(job).rejects.toMatchObject({ code: 'cancelled', message: expect.stringContaining('nothing was changed') });
		expect(seen[0]).toMatchObject({ job: 'big' });
		const after = await m.projectOverview();
		expect([after.events, after.imports.length]).toEqual([before.events, before.imports.length]);
	});

	it('streams a simulation to its end, and saves a run paused when nobody listens', async () => {
		const m = await bridge({ project: 'campaign' });
		const [c] = await m.listCampaigns();
		const setup = await m.simulationSetup(c.id);
		const frames: LiveFrame[] = [];
		const done = new Promise<void>((resolve) => {
			void m.startSimulation({ campaignId: c.id, name: 'first', params: { ...setup.params, impressions: 300, seed: 1 }, speed: 0 }, (f) => {
				frames.push(f);
				if (f.status === 'done') resolve();
			});
		});
		await done;
		expect(frames.map((f) => f.seq)).toEqual(frames.map((_, i) => i + 1));
		expect(frames.at(-1)).toMatchObject({ simulated: true, totals: expect.objectContaining({ impressions: 300 }) });

		// A slow run: the window goes away (the stream closes) and the run is kept, paused.
		const slow = await m.startSimulation({ campaignId: c.id, name: 'slow', params: { ...setup.params, impressions: 100_000, seed: 2 }, speed: 50 }, noEvents);
		await m.close();
		await expect.poll(async () => (await m.listSimulationRuns(c.id)).find((r) => r.id === slow.id)?.status, { timeout: 10_000 }).toBe('paused');
	});

	it('answers not_found for an unknown command and invalid_input for arguments that do not fit', async () => {
		const m = await bridge();
		const post = (command: string, body: unknown) =>
			fetch(`${m.base}/api/${command}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.text());
		expect(JSON.parse(await post('format_disk', {}))).toEqual({ error: { code: 'not_found', message: 'no command "format_disk"' } });
		expect(JSON.parse(await post('list_variants', { campaign: 1 })).error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('unknown field `campaign`') });
		expect(JSON.parse(await post('list_variants', { campaignId: 'one' })).error.code).toBe('invalid_input');
		const evil = await fetch(`${m.base}/api/list_campaigns`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: '{}' });
		expect(evil.status).toBe(403);
	});
});
