import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invokeMock = vi.fn();
vi.mock('@tauri-apps/api/core', () => {
	class Channel<T> {
		onmessage: (v: T) => void = () => {};
	}
	return { invoke: (...args: unknown[]) => invokeMock(...args), Channel };
});

import { getBackend, MockBackend, setBackend, TauriBackend, toApiError, XSS_BRAND } from './backend';
import { defaultParams } from './campaign';
import type { LiveFrame } from './bindings';
import { approveAs } from './backend/mock-flow';

describe('toApiError', () => {
	it('keeps ApiErrors', () => {
		expect(toApiError({ code: 'io', message: 'disk full', extra: 1 })).toEqual({ code: 'io', message: 'disk full' });
	});
	it('turns anything else into internal', () => {
		expect(toApiError('boom')).toEqual({ code: 'internal', message: 'boom' });
		expect(toApiError(new Error('bad'))).toEqual({ code: 'internal', message: 'bad' });
		expect(toApiError({ code: 'weird', message: 'x' }).code).toBe('internal');
		expect(toApiError(undefined)).toEqual({ code: 'internal', message: 'undefined' });
	});
});

describe('TauriBackend', () => {
	beforeEach(() => invokeMock.mockReset());

	it('invokes commands with camelCase argument keys and a Channel for progress', async () => {
		invokeMock.mockResolvedValue({ file: 'a.csv' });
		const seen: unknown[] = [];
		const b = new TauriBackend();
		await b.importFile({ path: '/a.csv', jobId: 'j1' }, (p) => seen.push(p));
		const [cmd, args] = invokeMock.mock.calls[0];
		expect(cmd).toBe('import_file');
		expect(args.path).toBe('/a.csv');
		expect(args.jobId).toBe('j1');
		args.onProgress.onmessage({ job: 'j1', stage: 's', done: 1, total: 2, message: '' });
		expect(seen).toHaveLength(1);

		invokeMock.mockResolvedValue([]);
		await b.listVariants(3);
		expect(invokeMock.mock.calls[1]).toEqual(['list_variants', { campaignId: 3 }]);
		await b.listProducts({ limit: 50, offset: 0, search: null });
		expect(invokeMock.mock.calls[2]).toEqual(['list_products', { limit: 50, offset: 0, search: null }]);
		await b.cancelJob('j9');
		expect(invokeMock.mock.calls[3]).toEqual(['cancel_job', { jobId: 'j9' }]);
		await b.startSimulation({ campaignId: 1, name: 'r', params: {} as never, speed: 0 }, () => {});
		expect(invokeMock.mock.calls[4][0]).toBe('start_simulation');
		expect(Object.keys(invokeMock.mock.calls[4][1]).sort()).toEqual(['campaignId', 'name', 'onFrame', 'params', 'speed']);
		await b.controlSimulation({ runId: 4, command: 'pause' });
		expect(invokeMock.mock.calls[5]).toEqual(['control_simulation', { runId: 4, command: 'pause', speed: null, scope: null }]);
	});

	it('sends the new import commands with camelCase keys and explicit nulls', async () => {
		invokeMock.mockResolvedValue({});
		const b = new TauriBackend();
		await b.previewImport('/a.csv');
		expect(invokeMock.mock.calls[0]).toEqual(['preview_import', { path: '/a.csv' }]);
		await b.importFile({ path: '/a.csv', jobId: 'j1' }, () => {});
		let args = invokeMock.mock.calls[1][1];
		expect(Object.keys(args).sort()).toEqual(['currency', 'format', 'jobId', 'mapping', 'onProgress', 'path', 'pseudonymise']);
		expect([args.format, args.mapping, args.pseudonymise, args.currency]).toEqual([null, null, null, null]);
		await b.importFile({ path: '/b.csv', jobId: 'j2', format: 'taobao', mapping: 'user=u,item=i,time=t', pseudonymise: false, currency: 'GBP' }, () => {});
		args = invokeMock.mock.calls[2][1];
		expect([args.format, args.mapping, args.pseudonymise, args.currency]).toEqual(['taobao', 'user=u,item=i,time=t', false, 'GBP']);
		invokeMock.mockResolvedValue([]);
		await b.rejectedLines({ importId: 7, offset: 50, limit: 50 });
		expect(invokeMock.mock.calls[3]).toEqual(['rejected_lines', { importId: 7, offset: 50, limit: 50 }]);
	});

	it('sends the campaign commands with camelCase keys, a Channel and explicit nulls in an edit', async () => {
		invokeMock.mockResolvedValue({});
		const b = new TauriBackend();
		const params = defaultParams('Double 11', { languages: ['zh-CN'], variants_per_segment: 2 });
		const seen: unknown[] = [];
		await b.createCampaign({ params, jobId: 'j1' }, (p) => seen.push(p));
		const [cmd, args] = invokeMock.mock.calls[0];
		expect(cmd).toBe('create_campaign');
		expect(Object.keys(args).sort()).toEqual(['jobId', 'onProgress', 'params']);
		expect(args.params).toEqual(params);
		args.onProgress.onmessage({ job: 'j1', stage: 'render', done: 1, total: 8, message: '' });
		expect(seen).toHaveLength(1);
		await b.listPlacements();
		expect(invokeMock.mock.calls[1]).toEqual(['list_placements', undefined]);
		await b.variantImage({ variantId: 4, placement: 'iab-300x250' });
		expect(invokeMock.mock.calls[2]).toEqual(['variant_image', { variantId: 4, placement: 'iab-300x250' }]);
		const layers = [{ kind: 'headline' as const, text: null, color: null, rect: null, hidden: false, locked: true }];
		await b.editVariant({ variantId: 4, edit: { headline: 'Hi', layers } });
		expect(invokeMock.mock.calls[3]).toEqual([
			'edit_variant',
			{ variantId: 4, edit: { headline: 'Hi', long_headline: null, description: null, primary_text: null, cta: null, layers } }
		]);
		await b.regenerateVariant(4);
		expect(invokeMock.mock.calls[4]).toEqual(['regenerate_variant', { variantId: 4 }]);
		const fields = { headline: 'a', long_headline: 'b', description: 'c', primary_text: 'd', cta: 'e' };
		await b.lintCopy({ campaignId: 2, fields });
		expect(invokeMock.mock.calls[5]).toEqual(['lint_copy', { campaignId: 2, variantId: null, fields }]);
		await b.lintCopy({ campaignId: 2, variantId: 9, fields });
		expect(invokeMock.mock.calls[6]).toEqual(['lint_copy', { campaignId: 2, variantId: 9, fields }]);
	});

	it('normalises rejections', async () => {
		invokeMock.mockImplementationOnce(async () => {
			throw { code: 'not_found', message: 'no campaign 9' };
		});
		await expect(new TauriBackend().listVariants(9)).rejects.toEqual({ code: 'not_found', message: 'no campaign 9' });
		invokeMock.mockImplementationOnce(async () => {
			throw 'plain string';
		});
		await expect(new TauriBackend().listCampaigns()).rejects.toEqual({ code: 'internal', message: 'plain string' });
	});
});

describe('getBackend', () => {
	afterEach(() => {
		setBackend(null);
		delete (window as unknown as Record<string, unknown>).__TAURI_INTERNALS__;
	});
	it('uses the mock outside Tauri and the same instance every time', () => {
		const b = getBackend();
		expect(b.kind).toBe('mock');
		expect(getBackend()).toBe(b);
	});
	it('uses Tauri when its internals are present', () => {
		(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
		expect(getBackend().kind).toBe('tauri');
	});
});

describe('MockBackend', () => {
	it('is deterministic and contains the hostile brand', async () => {
		const a = await new MockBackend({ tickMs: 1 }).listProducts({ limit: 50, offset: 0, search: null });
		const b = await new MockBackend({ tickMs: 1 }).listProducts({ limit: 50, offset: 0, search: null });
		expect(a).toEqual(b);
		expect(a.length).toBe(50);
		expect(a.some((p) => p.brand === XSS_BRAND)).toBe(true);
	});

	it('emits progress and can be cancelled', async () => {
		const m = new MockBackend({ tickMs: 5 });
		const events: number[] = [];
		const p = m.importFile({ path: '/x/events.csv', jobId: 'j' }, (e) => {
			events.push(e.done);
			if (events.length === 2) void m.cancelJob('j');
		});
		await expect(p).rejects.toMatchObject({ code: 'cancelled' });
		expect(events.length).toBeGreaterThanOrEqual(2);
	});

	it('runs a full campaign flow', async () => {
		const m = new MockBackend({ tickMs: 1 });
		const c = await m.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		const vs = await m.listVariants(c.id);
		expect(vs.length).toBeGreaterThan(0);
		expect(vs[0].banner_data_url.startsWith('data:image/png;base64,')).toBe(true);
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
		expect(frames.at(-1)!.totals).toMatchObject({ impressions: 300, planned: 300, done: true, simulated: true });
		expect((await m.listSimulationRuns(c.id)).map((r) => r.status)).toEqual(['done']);
		const params = { campaign_id: c.id, out_dir: '/out', zip: false, platforms: [] };
		await expect(m.exportCampaign(params)).rejects.toMatchObject({ code: 'conflict' });
		await expect(m.approveVariant({ variantId: vs[0].id, params: { note: '', override_reason: null } })).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('only reviewers') });
		await approveAs(m, vs[0].id);
		const ex = await m.exportCampaign(params);
		expect(ex.variants).toBe(1);
		expect(ex.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256))).toBe(true);
	});

	it('previews a recognised file and one that needs a mapping', async () => {
		const m = new MockBackend({ tickMs: 1 });
		const rees = await m.previewImport('/d/2019-Oct.csv.gz');
		expect(rees).toMatchObject({ file: '2019-Oct.csv.gz', format: 'rees46', encoding: 'UTF-8+gzip', layout: 'csv', pii_columns: [], remembered_mapping: null });
		expect(rees.rows.length).toBeLessThanOrEqual(10);
		expect(rees.rows.every((r) => r.length === rees.columns.length)).toBe(true);
		const gen = await m.previewImport('/d/shop-export.tsv');
		expect(gen).toMatchObject({ format: null, layout: 'tsv', columns: ['ts', 'uid', 'email', 'sku', 'action', 'amount'], pii_columns: ['email'] });
		await expect(m.previewImport('/d/missing.csv')).rejects.toMatchObject({ code: 'not_found' });
	});

	it('refuses an unrecognised file without a mapping, imports it with one and remembers it', async () => {
		const m = new MockBackend({ tickMs: 1 });
		await expect(m.importFile({ path: '/d/shop-export.csv', jobId: 'a' }, () => {})).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(m.importFile({ path: '/d/shop-export.csv', jobId: 'b', mapping: 'user=uid,item=sku' }, () => {})).rejects.toMatchObject({
			code: 'invalid_input',
			message: expect.stringContaining('time=COLUMN')
		});
		await expect(m.importFile({ path: '/d/shop-export.csv', jobId: 'c', mapping: 'user=nope,item=sku,time=ts' }, () => {})).rejects.toMatchObject({
			message: expect.stringContaining('no column "nope"')
		});
		const stages: string[] = [];
		const s = await m.importFile({ path: '/d/shop-export.csv', jobId: 'd', mapping: 'user=UID,item=sku,time=ts', pseudonymise: false }, (p) => {
			stages.push(`${p.stage}:${p.done}/${p.total}:${p.message}`);
		});
		expect(stages[0]).toMatch(/^parse:0\/\d+:0 rows$/);
		expect(stages.at(-1)).toMatch(/^done:(\d+)\/\1:5000 rows$/);
		expect(s).toMatchObject({ format: 'generic', rows_read: 5000, rows_rejected: 120, pseudonymised: false, already_imported: false });
		expect(s.errors).toHaveLength(120);
		expect((await m.previewImport('/d/shop-export-2.csv')).remembered_mapping).toBe('user=uid,item=sku,time=ts');
		const page = await m.rejectedLines({ importId: s.import_id, offset: 100, limit: 50 });
		expect(page).toHaveLength(20);
		expect(page[0]).toMatchObject({ line: s.errors[100].line, column: s.errors[100].column, reason: s.errors[100].reason });
		expect(page[0].raw.length).toBeGreaterThan(0);
		const again = await m.importFile({ path: '/d/shop-export.csv', jobId: 'e', mapping: 'user=uid,item=sku,time=ts' }, () => {});
		expect(again).toMatchObject({ already_imported: true, import_id: s.import_id, rows_imported: 0 });
	});

	it('reports notes for formats with special cases', async () => {
		const s = await new MockBackend({ tickMs: 1 }).importFile({ path: '/d/online_retail.csv', jobId: 'j' }, () => {});
		expect(s.format).toBe('online_retail');
		expect(s.notes.map((n) => n.count)).toEqual([58, 86]);
	});
});
