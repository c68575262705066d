import { describe, expect, it } from 'vitest';
import type { Finding } from './bindings';
import {
	applyFix,
	compactLayers,
	counters,
	defaultParams,
	DEFAULT_PLACEMENTS,
	hexToRgb,
	isAdvice,
	layerRows,
	LAYER_KINDS,
	markSpans,
	parsePosition,
	placementLength,
	positionFields,
	rgbToHex,
	textWidth,
	urlProblem
} from './campaign';
import { IMAGE_PLACEMENTS } from './bindings';

const finding = (start: number, end: number, suggestion: string | null): Finding => ({
	rule: 'r',
	severity: 'error',
	field: 'headline',
	start,
	end,
	text: '',
	suggestion
});

describe('campaign helpers', () => {
	it('has the core defaults', () => {
		const p = defaultParams('X');
		expect(p.placements).toEqual([...DEFAULT_PLACEMENTS]);
		expect(p.placements).toHaveLength(8);
		expect(p.variants_per_segment).toBe(8);
		expect(p.kit).toEqual({ primary: [33, 37, 41], accent: [255, 196, 61], font: 'sans', logo_text: '', use_segment_palette: false });
	});

	it('converts colours both ways', () => {
		expect(hexToRgb('#ff8800')).toEqual([255, 136, 0]);
		expect(hexToRgb('#F80')).toEqual([255, 136, 0]);
		expect(hexToRgb('red')).toBeNull();
		expect(rgbToHex([33, 37, 41])).toBe('#212529');
		expect(rgbToHex(hexToRgb('#0a0b0c')!)).toBe('#0a0b0c');
	});

	it('counts width like Google: a Chinese character is 2', () => {
		expect(textWidth('Demo Store')).toBe(10);
		expect(textWidth('一二三四五六七八九十一二')).toBe(24);
		expect(textWidth('一二三四五六七八九十一二三')).toBe(26);
		const landscape = IMAGE_PLACEMENTS.find((p) => p.id === 'google-rda-landscape')!;
		const meta = IMAGE_PLACEMENTS.find((p) => p.id === 'meta-feed-square')!;
		expect(placementLength(landscape, '双十一 sale')).toBe(11);
		expect(placementLength(meta, '双十一 sale')).toBe(8);
		expect(counters([landscape, meta], 'headline', '双十一').map((c) => [c.placement.id, c.length, c.limit])).toEqual([
			['google-rda-landscape', 6, 30],
			['meta-feed-square', 3, 27]
		]);
		expect(counters([landscape], 'cta', 'Go')).toEqual([]);
	});

	it('checks the landing URL like the core', () => {
		expect(urlProblem('https://shop.example.com/a?b')).toBeNull();
		expect(urlProblem('shop.example.com')).toBe('scheme');
		expect(urlProblem('ftp://x.com')).toBe('scheme');
		expect(urlProblem('https://')).toBe('host');
		expect(urlProblem('https://exa mple.com')).toBe('spaces');
	});

	it('gives one row per layer and keeps only real edits', () => {
		const rows = layerRows([{ kind: 'cta', text: null, color: [1, 2, 3], rect: null, hidden: false, locked: true }]);
		expect(rows.map((r) => r.kind)).toEqual([...LAYER_KINDS]);
		expect(rows.find((r) => r.kind === 'cta')).toMatchObject({ color: [1, 2, 3], locked: true });
		expect(compactLayers(rows)).toEqual([{ kind: 'cta', text: null, color: [1, 2, 3], rect: null, hidden: false, locked: true }]);
		rows[2] = { ...rows[2], hidden: true };
		expect(compactLayers(rows).map((r) => r.kind)).toEqual(['headline', 'cta']);
	});

	it('applies fixes at character (code point) offsets', () => {
		expect(applyFix('Big sale!', finding(8, 9, '.'))).toBe('Big sale.');
		expect(applyFix('全网最低价', finding(0, 4, '超值'))).toBe('超值价');
		expect(applyFix('🎉 Sale', finding(0, 1, ''))).toBe(' Sale');
		expect(applyFix('销量第一的好物', finding(2, 4, '（删除，或注明可核实的来源）'))).toBe('销量的好物');
		expect(isAdvice('（删除）')).toBe(true);
		expect(isAdvice('超值')).toBe(false);
	});

	it('cuts text into marked and plain spans', () => {
		const f = finding(2, 4, null);
		expect(markSpans('最佳之选', [f])).toEqual([
			{ text: '最佳', finding: null },
			{ text: '之选', finding: f }
		]);
		expect(markSpans('abc', [])).toEqual([{ text: 'abc', finding: null }]);
	});

	it('turns a typed position in percent into fractions, and says what is wrong with it', () => {
		const f = (x: string, y: string, w: string, h: string) => ({ x, y, w, h });
		expect(parsePosition(f('10', '20', '50', '30'))).toEqual({ ok: true, rect: [0.1, 0.2, 0.5, 0.3] });
		expect(parsePosition(f('', ' ', '', ''))).toEqual({ ok: true, rect: null });
		expect(parsePosition(f('0', '0', '100', '100'))).toEqual({ ok: true, rect: [0, 0, 1, 1] });
		expect(parsePosition(f('10', '', '50', '30'))).toEqual({ ok: false, problem: 'incomplete' });
		expect(parsePosition(f('-1', '0', '50', '30'))).toEqual({ ok: false, problem: 'range' });
		expect(parsePosition(f('1', '0', '101', '30'))).toEqual({ ok: false, problem: 'range' });
		expect(parsePosition(f('1', '0', '0', '30'))).toEqual({ ok: false, problem: 'size' });
		expect(parsePosition(f('60', '0', '50', '30'))).toEqual({ ok: false, problem: 'overX' });
		expect(parsePosition(f('0', '80', '50', '30'))).toEqual({ ok: false, problem: 'overY' });
		expect(positionFields([0.1, 0.2, 0.5, 0.3])).toEqual(f('10', '20', '50', '30'));
		expect(positionFields([1 / 3, 0, 0.25, 0.125])).toEqual(f('33.3', '0', '25', '12.5'));
		expect(positionFields(null)).toEqual(f('', '', '', ''));
	});
});
