import { describe, expect, it } from 'vitest';
import type { Finding } from './bindings';
import {
	applyFix,
	compactLayers,
	counters,
	defaultParams,
	DEFAULT_PLACEMENTS,
	hexToRgb,
	layerRows,
	LAYER_KINDS,
	markSpans,
	parsePosition,
	positionFields,
	rgbToHex
} from './campaign';
import { IMAGE_PLACEMENTS } from './bindings';

const finding = (start: number, end: number, replacement: string | null): Finding => ({
	rule: 'r',
	severity: 'error',
	field: 'headline',
	start,
	end,
	text: '',
	suggestion: replacement,
	replacement
});

describe('campaign helpers', () => {
	it('has the core defaults', () => {
		const p = defaultParams('X');
		expect(p.placements).toEqual([...DEFAULT_PLACEMENTS]);
		expect(p.placements).toHaveLength(8);
		expect(p.variants_per_segment).toBe(8);
		expect(p.kit).toEqual({ primary: [33, 37, 41], accent: [255, 196, 61], font: 'sans', logo_text: '', use_segment_palette: false });
		expect(p.name).toBe('X');
		// A copy: changing it leaves the next one untouched.
		p.placements.pop();
		expect(defaultParams('Y').placements).toHaveLength(8);
	});

	it('converts colours both ways', () => {
		expect(hexToRgb('#ff8800')).toEqual([255, 136, 0]);
		expect(hexToRgb('#F80')).toEqual([255, 136, 0]);
		expect(hexToRgb('red')).toBeNull();
		expect(rgbToHex([33, 37, 41])).toBe('#212529');
		expect(rgbToHex(hexToRgb('#0a0b0c')!)).toBe('#0a0b0c');
	});

	it("shows the core's counts per placement, in the placements' order", () => {
		const landscape = IMAGE_PLACEMENTS.find((p) => p.id === 'google-rda-landscape')!;
		const meta = IMAGE_PLACEMENTS.find((p) => p.id === 'meta-feed-square')!;
		const counts = [
			{ placement: 'meta-feed-square', field: 'headline' as const, length: 3, limit: 27, over: false },
			{ placement: 'google-rda-landscape', field: 'headline' as const, length: 31, limit: 30, over: true },
			{ placement: 'google-rda-landscape', field: 'description' as const, length: 6, limit: 90, over: false }
		];
		expect(counters([landscape, meta], counts, 'headline', false).map((c) => [c.placement.id, c.length, c.limit, c.over])).toEqual([
			['google-rda-landscape', 31, 30, true],
			['meta-feed-square', 3, 27, false]
		]);
		expect(counters([landscape], counts, 'cta', true)).toEqual([]);
		expect(counters([landscape], counts, 'description', true)[0].stale).toBe(true);
	});

	it('gives one row per layer and keeps only real edits', () => {
		const rows = layerRows([{ kind: 'cta', text: null, color: [1, 2, 3], rect: null, hidden: false, locked: true }]);
		expect(rows.map((r) => r.kind)).toEqual([...LAYER_KINDS]);
		expect(rows.find((r) => r.kind === 'cta')).toMatchObject({ color: [1, 2, 3], locked: true });
		expect(compactLayers(rows)).toEqual([{ kind: 'cta', text: null, color: [1, 2, 3], rect: null, hidden: false, locked: true }]);
		const h = rows.findIndex((r) => r.kind === 'headline');
		rows[h] = { ...rows[h], hidden: true };
		expect(compactLayers(rows).map((r) => r.kind)).toEqual(['headline', 'cta']);
	});

	it('applies fixes at character (code point) offsets', () => {
		expect(applyFix('Big sale!', finding(8, 9, '.'))).toBe('Big sale.');
		expect(applyFix('全网最低价', finding(0, 4, '超值'))).toBe('超值价');
		expect(applyFix('🎉 Sale', finding(0, 1, ''))).toBe(' Sale');
		// Advice: the core's replacement is empty, the span goes.
		expect(applyFix('销量第一的好物', finding(2, 4, ''))).toBe('销量的好物');
	});

	it('cuts text into marked and plain spans', () => {
		const f = finding(2, 4, null);
		expect(markSpans('最佳之选', [f])).toEqual([
			{ text: '最佳', finding: null },
			{ text: '之选', finding: f }
		]);
		expect(markSpans('abc', [])).toEqual([{ text: 'abc', finding: null }]);
	});

	it("reads a typed position in percent as fractions (whether it fits is the core's call)", () => {
		const f = (x: string, y: string, w: string, h: string) => ({ x, y, w, h });
		expect(parsePosition(f('10', '20', '50', '30'))).toEqual({ ok: true, rect: [0.1, 0.2, 0.5, 0.3] });
		expect(parsePosition(f('', ' ', '', ''))).toEqual({ ok: true, rect: null });
		expect(parsePosition(f('0', '0', '100', '100'))).toEqual({ ok: true, rect: [0, 0, 1, 1] });
		expect(parsePosition(f('60', '0', '50', '30'))).toEqual({ ok: true, rect: [0.6, 0, 0.5, 0.3] });
		expect(parsePosition(f('10', '', '50', '30'))).toEqual({ ok: false, problem: 'incomplete' });
		expect(parsePosition(f('1e400', '0', '50', '30'))).toEqual({ ok: false, problem: 'number' });
		expect(positionFields([0.1, 0.2, 0.5, 0.3])).toEqual(f('10', '20', '50', '30'));
		expect(positionFields([1 / 3, 0, 0.25, 0.125])).toEqual(f('33.3', '0', '25', '12.5'));
		expect(positionFields(null)).toEqual(f('', '', '', ''));
	});
});
