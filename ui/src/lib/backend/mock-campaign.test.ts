import { describe, expect, it } from 'vitest';
import { defaultParams } from '$lib/campaign';
import { MockBackend } from './mock-backend';
import { approveAs } from './mock-flow';
import { mockFindings } from './mock-rules';

const small = (over = {}) =>
	defaultParams('Spring', { languages: ['zh-CN', 'en'], variants_per_segment: 2, placements: ['google-rda-landscape', 'iab-300x250', 'iab-300x600'], ...over });

function pngSize(dataUrl: string): [number, number] {
	const bin = atob(dataUrl.split(',')[1]);
	const u32 = (o: number) => ((bin.charCodeAt(o) << 24) | (bin.charCodeAt(o + 1) << 16) | (bin.charCodeAt(o + 2) << 8) | bin.charCodeAt(o + 3)) >>> 0;
	expect(bin.slice(1, 4)).toBe('PNG');
	return [u32(16), u32(20)];
}

describe('MockBackend campaigns', () => {
	it('makes segment × language × n variants, each rendered at every placement', async () => {
		const m = new MockBackend({ tickMs: 1 });
		const stages = new Set<string>();
		const c = await m.createCampaign({ params: small(), jobId: 'j' }, (p) => stages.add(p.stage));
		expect([...stages]).toEqual(['plan', 'render']);
		expect(c).toMatchObject({ name: 'Spring', variants: 16, languages: ['zh-CN', 'en'], placements: ['google-rda-landscape', 'iab-300x250', 'iab-300x600'] });
		const vs = await m.listVariants(c.id);
		expect(vs).toHaveLength(4 * 2 * 2);
		const keys = vs.map((v) => [v.segment_label, v.lang, v.set_index]);
		expect(keys).toEqual([...keys].sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[1]).localeCompare(String(b[1])) || Number(a[2]) - Number(b[2])));
		for (const v of vs) {
			expect(v.renders.map((r) => r.placement)).toEqual(c.placements);
			expect(v.renders.every((r) => r.within_budget && r.bytes <= r.max_bytes)).toBe(true);
			expect(v.findings).toEqual([]);
			expect(v.reasons.length).toBeGreaterThanOrEqual(3);
			expect(v.placement).toBe('google-rda-landscape');
		}
		// The half page is over its PNG budget as a PNG: a JPEG with a quality.
		expect(vs[0].renders[2]).toMatchObject({ format: 'jpeg', quality: 85 });
		const [w, h] = pngSize(vs[0].banner_data_url);
		expect(Math.abs(w / h - 1200 / 628)).toBeLessThan(0.1);
		const [sw, sh] = pngSize(await m.variantImage({ variantId: vs[0].id, placement: 'iab-300x600' }));
		expect(sw / sh).toBeCloseTo(0.5, 1);
		await expect(m.variantImage({ variantId: vs[0].id, placement: 'iab-728x90' })).rejects.toMatchObject({ code: 'not_found' });
		expect((await m.listCampaigns())[0].id).toBe(c.id);
		expect(await m.listPlacements()).toHaveLength(10);
	});

	it('refuses what the core refuses, with its messages', async () => {
		const m = new MockBackend({ tickMs: 1 });
		await expect(m.createCampaign({ params: small({ landing_url: 'shop.example.com' }), jobId: 'a' }, () => {})).rejects.toEqual({
			code: 'invalid_input',
			message: 'campaign landing_url: must start with https:// or http://'
		});
		await expect(m.createCampaign({ params: small({ name: ' ' }), jobId: 'b' }, () => {})).rejects.toMatchObject({ code: 'invalid_input' });
		await expect(m.createCampaign({ params: small({ business_name: '一二三四五六七八九十一二三' }), jobId: 'c' }, () => {})).rejects.toMatchObject({
			message: expect.stringContaining('it is 26')
		});
		await expect(
			m.createCampaign({ params: small({ products: { ids: [], category: 'beauty/美妆', brand: 'Voltix' } }), jobId: 'd' }, () => {})
		).rejects.toEqual({ code: 'conflict', message: "no product matches the campaign's product filter" });
		expect(await m.listCampaigns()).toEqual([]);
	});

	it('lints like the core: exclamation marks, absolute terms, capitals and lengths', async () => {
		expect(mockFindings({ headline: '全场最低价!', long_headline: '', description: 'FREE 最近上新', primary_text: '', cta: 'Go' })).toEqual([
			{ rule: 'cn-ad-law-9-absolute', severity: 'error', field: 'headline', start: 2, end: 5, text: '最低价', suggestion: '实惠' },
			{ rule: 'google-headline-exclamation', severity: 'error', field: 'headline', start: 5, end: 6, text: '!', suggestion: '.' },
			{ rule: 'google-gimmicky-caps', severity: 'error', field: 'description', start: 0, end: 4, text: 'FREE', suggestion: 'Free' }
		]);
		const m = new MockBackend({ tickMs: 1 });
		const c = await m.createCampaign({ params: small(), jobId: 'j' }, () => {});
		const lint = await m.lintCopy({ campaignId: c.id, fields: { headline: '一'.repeat(16), long_headline: '', description: 'x', primary_text: '', cta: 'Go' } });
		expect(lint.lengths).toEqual([{ placement: 'google-rda-landscape', field: 'headline', length: 32, limit: 30 }]);
	});

	it('edits back to draft, refuses a too long headline, and regenerates keeping locked layers', async () => {
		const m = new MockBackend({ tickMs: 1 });
		const c = await m.createCampaign({ params: small({ languages: ['en'] }), jobId: 'j' }, () => {});
		const [v] = await m.listVariants(c.id);
		await approveAs(m, v.id);
		const e = await m.editVariant({ variantId: v.id, edit: { headline: 'Fresh picks!' } });
		expect(e).toMatchObject({ headline: 'Fresh picks!', status: 'draft' });
		expect(e.findings.map((f) => f.rule)).toEqual(['google-headline-exclamation']);
		expect(e.renders[0].sha256).not.toBe(v.renders[0].sha256);
		await expect(approveAs(m, v.id)).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('fails the compliance check') });
		await expect(m.editVariant({ variantId: v.id, edit: { headline: 'x'.repeat(34) } })).rejects.toEqual({
			code: 'invalid_input',
			message: 'the edit does not fit: Headline is 34 units, google-rda-landscape allows 30'
		});
		const locked = await m.editVariant({
			variantId: v.id,
			edit: { headline: 'Fresh picks', layers: [{ kind: 'headline', text: null, color: [1, 2, 3], rect: null, hidden: false, locked: true }, { kind: 'cta', text: null, color: [9, 9, 9], rect: null, hidden: false, locked: false }] }
		});
		const r = await m.regenerateVariant(v.id);
		expect(r.headline).toBe('Fresh picks');
		expect(r.long_headline).not.toBe(locked.long_headline);
		expect(r.layers).toEqual([{ kind: 'headline', text: null, color: [1, 2, 3], rect: null, hidden: false, locked: true }]);
		expect(r.reasons.at(-1)?.text).toBe('regenerated (round 1); locked layers kept: headline');
		const free = await m.regenerateVariant((await m.listVariants(c.id))[1].id);
		expect(free.reasons.at(-1)?.text).toBe('regenerated (round 1)');
	});

	it('exports one file per placement of each approved variant, with the core names', async () => {
		const m = new MockBackend({ tickMs: 1 });
		const c = await m.createCampaign({ params: small({ name: 'E2E 双十一', languages: ['zh-CN'] }), jobId: 'j' }, () => {});
		const [v] = await m.listVariants(c.id);
		await approveAs(m, v.id);
		const ex = await m.exportCampaign({ campaign_id: c.id, out_dir: '/out', zip: false, platforms: [] });
		expect(ex.files.map((f) => f.name)).toEqual([
			`e2e_seg0_v${v.id}_google-rda-landscape.png`,
			`e2e_seg0_v${v.id}_iab-300x250.png`,
			`e2e_seg0_v${v.id}_iab-300x600.jpg`,
			'manifest.json'
		]);
	});

	it('stores a layer position and text override, and refuses one that leaves the canvas', async () => {
		const m = new MockBackend({ tickMs: 1 });
		const c = await m.createCampaign({ params: small({ languages: ['en'] }), jobId: 'j' }, () => {});
		const [v] = await m.listVariants(c.id);
		const badge = { kind: 'badge' as const, text: 'NEW', color: null, rect: [0.1, 0.2, 0.5, 0.3] as [number, number, number, number], hidden: false, locked: true };
		const e = await m.editVariant({ variantId: v.id, edit: { layers: [badge] } });
		expect(e.layers).toEqual([badge]);
		expect(e.banner_data_url).not.toBe(v.banner_data_url);
		expect((await m.regenerateVariant(v.id)).layers).toEqual([badge]);
		await expect(m.editVariant({ variantId: v.id, edit: { layers: [{ ...badge, rect: [0.6, 0, 0.5, 0.3] }] } })).rejects.toEqual({
			code: 'invalid_input',
			message: 'the edit does not fit: layer badge would leave the canvas'
		});
		await expect(m.editVariant({ variantId: v.id, edit: { layers: [{ ...badge, rect: [0.1, 0, 0, 0.3] }] } })).rejects.toMatchObject({ code: 'invalid_input' });
	});
});
