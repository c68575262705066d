// Small PNG banners for the mock backend: a scaled-down picture of a banner's layers (background,
// product card, headline and subline bars, price, badge, CTA button, logo) in the placement's
// aspect ratio, honouring layer colours and hidden layers. Stored (uncompressed) deflate keeps the
// encoder tiny; images stay a few kilobytes because they are at most 96 pixels wide or tall.
import type { LayerEdit, LayerKind } from '$lib/bindings';

type RGB = [number, number, number];

export interface MockDesign {
	palette: number;
	primary: RGB;
	accent: RGB;
	headline: string;
	description: string;
	badge: boolean;
	layers: LayerEdit[];
}

const PALETTES: RGB[] = [
	[244, 114, 182],
	[56, 189, 248],
	[52, 211, 153],
	[251, 191, 36],
	[167, 139, 250],
	[248, 113, 113]
];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
	let c = 0xffffffff;
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];

function chunk(type: string, data: Uint8Array): number[] {
	const body = new Uint8Array(4 + data.length);
	body.set([...type].map((c) => c.charCodeAt(0)));
	body.set(data, 4);
	return [...u32(data.length), ...body, ...u32(crc32(body))];
}

/** zlib stream of `raw` in stored blocks. */
function zlibStored(raw: Uint8Array): Uint8Array {
	const out: number[] = [0x78, 0x01];
	const blocks = Math.max(1, Math.ceil(raw.length / 65535));
	for (let k = 0; k < blocks; k++) {
		const block = raw.subarray(k * 65535, (k + 1) * 65535);
		const n = block.length;
		out.push(k === blocks - 1 ? 1 : 0, n & 255, n >>> 8, ~n & 255, (~n >>> 8) & 255);
		for (const b of block) out.push(b);
	}
	let a = 1;
	let b = 0;
	for (const x of raw) {
		a = (a + x) % 65521;
		b = (b + a) % 65521;
	}
	out.push(...u32(((b << 16) | a) >>> 0));
	return Uint8Array.from(out);
}

function toBase64(bytes: number[]): string {
	let bin = '';
	for (const b of bytes) bin += String.fromCharCode(b);
	return btoa(bin);
}

const mix = (a: RGB, b: RGB, t: number): RGB => [0, 1, 2].map((i) => Math.round(a[i] * (1 - t) + b[i] * t)) as RGB;

/** A PNG data URL picturing `d` at `width`×`height`, scaled down to ≤ 96 pixels a side. */
export function mockBanner(width: number, height: number, d: MockDesign): string {
	const scale = 96 / Math.max(width, height);
	const w = Math.max(8, Math.round(width * scale));
	const h = Math.max(4, Math.round(height * scale));
	const edit = (k: LayerKind) => d.layers.find((e) => e.kind === k);
	const shown = (k: LayerKind) => !edit(k)?.hidden;
	const color = (k: LayerKind, fallback: RGB): RGB => (edit(k)?.color as RGB | null | undefined) ?? fallback;
	const px = new Uint8Array(w * h * 3);
	const fill = (k: LayerKind, fx: number, fy: number, fw: number, fh: number, c: RGB) => {
		if (!shown(k)) return;
		const rect = edit(k)?.rect;
		const [x0, y0, rw, rh] = rect ?? [fx, fy, fw, fh];
		for (let y = Math.floor(y0 * h); y < Math.min(h, Math.ceil((y0 + rh) * h)); y++) {
			for (let x = Math.floor(x0 * w); x < Math.min(w, Math.ceil((x0 + rw) * w)); x++) px.set(c, (y * w + x) * 3);
		}
	};
	const wide = width >= height;
	const bg = mix(d.primary, PALETTES[d.palette % PALETTES.length], 0.45);
	fill('background', 0, 0, 1, 1, color('background', shown('background') ? bg : [255, 255, 255]));
	const text: RGB = [255, 255, 255];
	const hl = Math.min(1, 0.2 + d.headline.length / 40);
	const sl = Math.min(1, 0.2 + d.description.length / 80);
	if (wide) {
		fill('product', 0.6, 0.12, 0.34, 0.76, color('product', [250, 250, 250]));
		fill('headline', 0.06, 0.14, 0.5 * hl, 0.14, color('headline', text));
		fill('subline', 0.06, 0.34, 0.48 * sl, 0.08, color('subline', mix(text, bg, 0.3)));
		fill('price', 0.06, 0.5, 0.16, 0.1, color('price', d.accent));
		fill('cta', 0.06, 0.7, 0.2, 0.14, color('cta', d.accent));
		fill('badge', 0.84, 0.06, 0.1, 0.16, d.badge ? color('badge', d.accent) : bg);
		fill('logo', 0.3, 0.74, 0.12, 0.08, color('logo', text));
	} else {
		fill('product', 0.15, 0.08, 0.7, 0.4, color('product', [250, 250, 250]));
		fill('headline', 0.1, 0.53, 0.8 * hl, 0.08, color('headline', text));
		fill('subline', 0.1, 0.64, 0.8 * sl, 0.05, color('subline', mix(text, bg, 0.3)));
		fill('price', 0.1, 0.72, 0.3, 0.06, color('price', d.accent));
		fill('cta', 0.1, 0.82, 0.45, 0.09, color('cta', d.accent));
		fill('badge', 0.72, 0.04, 0.22, 0.08, d.badge ? color('badge', d.accent) : bg);
		fill('logo', 0.62, 0.84, 0.28, 0.05, color('logo', text));
	}
	const raw = new Uint8Array(h * (w * 3 + 1));
	for (let y = 0; y < h; y++) raw.set(px.subarray(y * w * 3, (y + 1) * w * 3), y * (w * 3 + 1) + 1);
	const ihdr = Uint8Array.from([...u32(w), ...u32(h), 8, 2, 0, 0, 0]);
	const png = [137, 80, 78, 71, 13, 10, 26, 10, ...chunk('IHDR', ihdr), ...chunk('IDAT', zlibStored(raw)), ...chunk('IEND', new Uint8Array())];
	return 'data:image/png;base64,' + toBase64(png);
}
