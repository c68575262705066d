import { describe, expect, it } from 'vitest';
import { base64ToUtf8, fmtBytes, fmtPrice, safeImageDataUrl, svgDataUrl, utf8ToBase64 } from './format';

describe('utf8ToBase64', () => {
	it('round-trips Chinese text through UTF-8', () => {
		const s = '<svg><text>点击率 CTR 模拟</text></svg>';
		const b64 = utf8ToBase64(s);
		expect(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)))).toBe(s);
		expect(base64ToUtf8(b64)).toBe(s);
	});

	it('handles documents larger than one chunk', () => {
		const s = '数'.repeat(50_000);
		expect(base64ToUtf8(utf8ToBase64(s))).toBe(s);
	});

	it('builds an SVG data URL', () => {
		expect(svgDataUrl('<svg/>')).toBe('data:image/svg+xml;base64,' + btoa('<svg/>'));
	});
});

describe('safeImageDataUrl', () => {
	it('accepts raster data URLs only', () => {
		expect(safeImageDataUrl('data:image/png;base64,iVBORw0KGgo=')).toBe('data:image/png;base64,iVBORw0KGgo=');
		expect(safeImageDataUrl('javascript:alert(1)')).toBeNull();
		expect(safeImageDataUrl('x')).toBeNull();
		expect(safeImageDataUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBeNull();
		expect(safeImageDataUrl('https://example.com/a.png')).toBeNull();
	});
});

describe('fmtBytes', () => {
	it('formats sizes', () => {
		expect(fmtBytes(512)).toBe('512 B');
		expect(fmtBytes(2048)).toBe('2.0 KiB');
		expect(fmtBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
	});
});

describe('fmtPrice currencies', () => {
	it('uses the product currency symbol', () => {
		expect(fmtPrice(12.5, 'en', 'USD')).toBe('$12.50');
		expect(fmtPrice(449, 'en', 'CNY')).toBe('¥449.00');
		expect(fmtPrice(3, 'en', 'CHF')).toBe('3.00 CHF');
	});
});
