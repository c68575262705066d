import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invokeMock = vi.fn();
vi.mock('@tauri-apps/api/core', () => {
	class Channel<T> {
		onmessage: (v: T) => void = () => {};
	}
	return { invoke: (...args: unknown[]) => invokeMock(...args), Channel };
});

import { getBackend, setBackend, TauriBackend, toApiError } from './backend';
import { defaultParams } from './campaign';

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
	/** The command and arguments of the `i`-th invoke of the shell's `call`. */
	const sent = (i: number): [string, Record<string, unknown>] => {
		const { command, args } = invokeMock.mock.calls[i][1];
		return [command, args];
	};
	const channel = (i: number) => invokeMock.mock.calls[i][1].onEvent as { onmessage: (v: unknown) => void };
	beforeEach(() => invokeMock.mockReset());

	it('sends every command through the shell\'s one command, with camelCase argument keys and a Channel for events', async () => {
		invokeMock.mockResolvedValue({ file: 'a.csv' });
		const seen: unknown[] = [];
		const b = new TauriBackend();
		await b.importFile({ path: '/a.csv', jobId: 'j1' }, (p) => seen.push(p));
		const [cmd, args] = sent(0);
		expect(cmd).toBe('import_file');
		expect(invokeMock.mock.calls[0][0]).toBe('call');
		expect(args.path).toBe('/a.csv');
		expect(args.jobId).toBe('j1');
		channel(0).onmessage({ job: 'j1', stage: 's', done: 1, total: 2, message: '' });
		expect(seen).toHaveLength(1);

		invokeMock.mockResolvedValue([]);
		await b.listVariants(3);
		expect(sent(1)).toEqual(['list_variants', { campaignId: 3 }]);
		await b.listProducts({ limit: 50, offset: 0, search: null });
		expect(sent(2)).toEqual(['list_products', { limit: 50, offset: 0, search: null }]);
		await b.cancelJob('j9');
		expect(sent(3)).toEqual(['cancel_job', { jobId: 'j9' }]);
		await b.startSimulation({ campaignId: 1, name: 'r', params: {} as never, speed: 0 }, () => {});
		expect(sent(4)[0]).toBe('start_simulation');
		expect(Object.keys(sent(4)[1]).sort()).toEqual(['campaignId', 'name', 'params', 'speed']);
		await b.controlSimulation({ runId: 4, command: 'pause' });
		expect(sent(5)).toEqual(['control_simulation', { runId: 4, command: 'pause', speed: null, scope: null }]);
	});

	it('sends the new import commands with camelCase keys and explicit nulls', async () => {
		invokeMock.mockResolvedValue({});
		const b = new TauriBackend();
		await b.previewImport('/a.csv');
		expect(sent(0)).toEqual(['preview_import', { path: '/a.csv' }]);
		await b.importFile({ path: '/a.csv', jobId: 'j1' }, () => {});
		let args = sent(1)[1];
		expect(Object.keys(args).sort()).toEqual(['currency', 'format', 'jobId', 'mapping', 'path', 'pseudonymise']);
		expect([args.format, args.mapping, args.pseudonymise, args.currency]).toEqual([null, null, null, null]);
		await b.importFile({ path: '/b.csv', jobId: 'j2', format: 'taobao', mapping: 'user=u,item=i,time=t', pseudonymise: false, currency: 'GBP' }, () => {});
		args = sent(2)[1];
		expect([args.format, args.mapping, args.pseudonymise, args.currency]).toEqual(['taobao', 'user=u,item=i,time=t', false, 'GBP']);
		invokeMock.mockResolvedValue([]);
		await b.rejectedLines({ importId: 7, offset: 50, limit: 50 });
		expect(sent(3)).toEqual(['rejected_lines', { importId: 7, offset: 50, limit: 50 }]);
	});

	it('sends the campaign commands with camelCase keys, a Channel and explicit nulls in an edit', async () => {
		invokeMock.mockResolvedValue({});
		const b = new TauriBackend();
		const params = defaultParams('Double 11', { languages: ['zh-CN'], variants_per_segment: 2 });
		const seen: unknown[] = [];
		await b.createCampaign({ params, jobId: 'j1' }, (p) => seen.push(p));
		const [cmd, args] = sent(0);
		expect(cmd).toBe('create_campaign');
		expect(Object.keys(args).sort()).toEqual(['jobId', 'params']);
		expect(args.params).toEqual(params);
		channel(0).onmessage({ job: 'j1', stage: 'render', done: 1, total: 8, message: '' });
		expect(seen).toHaveLength(1);
		await b.listPlacements();
		expect(sent(1)).toEqual(['list_placements', {}]);
		await b.variantImage({ variantId: 4, placement: 'iab-300x250' });
		expect(sent(2)).toEqual(['variant_image', { variantId: 4, placement: 'iab-300x250' }]);
		const layers = [{ kind: 'headline' as const, text: null, color: null, rect: null, hidden: false, locked: true }];
		await b.editVariant({ variantId: 4, edit: { headline: 'Hi', layers } });
		expect(sent(3)).toEqual([
			'edit_variant',
			{ variantId: 4, edit: { headline: 'Hi', long_headline: null, description: null, primary_text: null, cta: null, layers } }
		]);
		await b.regenerateVariant(4);
		expect(sent(4)).toEqual(['regenerate_variant', { variantId: 4 }]);
		const fields = { headline: 'a', long_headline: 'b', description: 'c', primary_text: 'd', cta: 'e' };
		await b.lintCopy({ campaignId: 2, fields });
		expect(sent(5)).toEqual(['lint_copy', { campaignId: 2, variantId: null, fields }]);
		await b.lintCopy({ campaignId: 2, variantId: 9, fields });
		expect(sent(6)).toEqual(['lint_copy', { campaignId: 2, variantId: 9, fields }]);
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
	it('uses the dev bridge outside Tauri and the same instance every time', () => {
		const b = getBackend();
		expect(b.kind).toBe('http');
		expect(getBackend()).toBe(b);
	});
	it('uses Tauri when its internals are present', () => {
		(window as unknown as Record<string, unknown>).__TAURI_INTERNALS__ = {};
		expect(getBackend().kind).toBe('tauri');
	});
});
