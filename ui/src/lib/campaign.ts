// Pure helpers of the campaign screens: the creation defaults, colour conversion, the core's
// text-width rules, layer edits and compliance spans. No Svelte, no backend.
import type {
	CampaignParams,
	Field,
	Finding,
	LayerColor,
	LayerEdit,
	LayerKind,
	Placement,
	Tone,
	Goal
} from '$lib/bindings';
import { WIDE_CHAR_RANGES } from '$lib/bindings';
import type { Lang } from '$lib/i18n';

// The core's defaults and width rules, generated into the bindings (never copied here).
import { DEFAULT_PLACEMENTS, DEFAULT_VARIANTS, MAX_BUSINESS_WIDTH, MAX_VARIANTS } from '$lib/bindings';
export { DEFAULT_PLACEMENTS, DEFAULT_VARIANTS, MAX_BUSINESS_WIDTH, MAX_VARIANTS };
export const GOALS: readonly Goal[] = ['clicks', 'purchases'];
export const TONES: readonly Tone[] = ['playful', 'premium', 'urgent', 'informative'];
export const FIELDS: readonly Field[] = ['headline', 'long_headline', 'description', 'primary_text', 'cta'];
/** Every layer of a banner, in drawing order. */
export const LAYER_KINDS: readonly LayerKind[] = ['background', 'product', 'headline', 'subline', 'price', 'badge', 'cta', 'logo'];

export type RGB = [number, number, number];
export const DEFAULT_PRIMARY: RGB = [33, 37, 41];
export const DEFAULT_ACCENT: RGB = [255, 196, 61];

/** A campaign with the studio's defaults (the core's `CampaignParams::new`). */
export function defaultParams(name: string, overrides: Partial<CampaignParams> = {}): CampaignParams {
	return {
		name,
		goal: 'clicks',
		languages: ['zh-CN'],
		placements: [...DEFAULT_PLACEMENTS],
		tone: 'informative',
		landing_url: 'https://shop.example.com/',
		business_name: 'Demo Store',
		kit: { primary: [...DEFAULT_PRIMARY], accent: [...DEFAULT_ACCENT], font: 'sans', logo_text: '', use_segment_palette: false },
		products: { ids: [], category: null, brand: null },
		variants_per_segment: DEFAULT_VARIANTS,
		seed: 42,
		...overrides
	};
}

/** `#rrggbb` (or `#rgb`) → [r, g, b]; null when it is not a colour. */
export function hexToRgb(hex: string): RGB | null {
	const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
	if (!m) return null;
	const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
	return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as RGB;
}

/** [r, g, b] → `#rrggbb`. */
export function rgbToHex(rgb: readonly number[]): string {
	return '#' + rgb.slice(0, 3).map((v) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0')).join('');
}

/** Display width of one character: 2 for CJK / full-width, else 1 (the core's `char_width`,
 * over its ranges from the bindings). */
export function charWidth(c: string): number {
	const u = c.codePointAt(0) ?? 0;
	return WIDE_CHAR_RANGES.some(([lo, hi]) => u >= lo && u <= hi) ? 2 : 1;
}

/** Width units of `s` (a Chinese character counts 2), as Google counts them. */
export function textWidth(s: string): number {
	let w = 0;
	for (const c of s) w += charWidth(c);
	return w;
}

/** Length of `text` in `p`'s units: width when CJK counts double there, else characters. */
export function placementLength(p: Pick<Placement, 'cjk_double_width'>, text: string): number {
	return p.cjk_double_width ? textWidth(text) : [...text].length;
}

/** The limit of `field` on `p`; null when the field has none there. */
export function fieldLimit(p: Pick<Placement, 'text'>, field: Field): number | null {
	return field === 'cta' ? null : (p.text[field] ?? null);
}

/** How long one field is on one placement that limits it. */
export interface Counter {
	placement: Placement;
	length: number;
	limit: number;
}

/** A counter for every placement of `placements` that limits `field`. */
export function counters(placements: readonly Placement[], field: Field, text: string): Counter[] {
	return placements.flatMap((p) => {
		const limit = fieldLimit(p, field);
		return limit === null ? [] : [{ placement: p, length: placementLength(p, text), limit }];
	});
}

/** What is wrong with a landing URL, by message key suffix; null when it looks fine. */
export function urlProblem(url: string): 'scheme' | 'host' | 'spaces' | null {
	const u = url.trim();
	const rest = u.startsWith('https://') ? u.slice(8) : u.startsWith('http://') ? u.slice(7) : null;
	if (rest === null) return 'scheme';
	const host = rest.split(/[/?#]/)[0];
	if (!host || host.startsWith('.') || host.startsWith(':')) return 'host';
	if (/[\s\u0000-\u001f]/.test(u)) return 'spaces';
	return null;
}

/** What a layer's colour swatch shows: the user's colour, else the colour the banner draws
 * the layer in (`colors`, from the core's layout), else neutral grey (a layer not drawn). */
export function swatchColor(row: LayerEdit, colors: readonly LayerColor[]): string {
	if (row.color) return rgbToHex(row.color);
	const drawn = colors.find((c) => c.kind === row.kind);
	return drawn ? rgbToHex(drawn.color) : '#808080';
}

/** A layer edit that changes nothing. */
export function noEdit(kind: LayerKind): LayerEdit {
	return { kind, text: null, color: null, rect: null, hidden: false, locked: false };
}

/** One row per layer kind: the variant's edit of it (the last one wins), or a no-op. */
export function layerRows(edits: readonly LayerEdit[]): LayerEdit[] {
	return LAYER_KINDS.map((kind) => {
		const e = [...edits].reverse().find((x) => x.kind === kind);
		return e ? { ...e, color: e.color ? [...e.color] : null, rect: e.rect ? [...e.rect] : null } : noEdit(kind);
	});
}

/** The rows that change something, as the core stores them (`layers` of a VariantEdit). */
export function compactLayers(rows: readonly LayerEdit[]): LayerEdit[] {
	return rows.filter((r) => r.locked || r.hidden || r.color !== null || r.rect !== null || r.text !== null);
}

/** The layers whose text is not a copy field: their `text` overrides the template's. */
export const TEXT_LAYERS: readonly LayerKind[] = ['price', 'badge', 'logo'];

export type Rect = [number, number, number, number];
/** A layer position as typed: x, y, width, height in percent of the canvas ('' = not given). */
export interface PositionFields {
	x: string;
	y: string;
	w: string;
	h: string;
}
export const POSITION_KEYS = ['x', 'y', 'w', 'h'] as const;
/** Why a typed position cannot be saved (message key suffix `editor.pos_<problem>`). */
export type PositionProblem = 'incomplete' | 'range' | 'size' | 'overX' | 'overY';
export type PositionCheck = { ok: true; rect: Rect | null } | { ok: false; problem: PositionProblem };

/** The fields showing `rect` (fractions) in percent; all empty for the template's position. */
export function positionFields(rect: readonly number[] | null): PositionFields {
	const pc = (v: number) => String(Math.round(v * 1000) / 10);
	return rect ? { x: pc(rect[0]), y: pc(rect[1]), w: pc(rect[2]), h: pc(rect[3]) } : { x: '', y: '', w: '', h: '' };
}

/** Typed percent → a rect in fractions (null when all are empty), or what is wrong with it. */
export function parsePosition(f: PositionFields): PositionCheck {
	const raw = POSITION_KEYS.map((k) => f[k].trim());
	if (raw.every((v) => v === '')) return { ok: true, rect: null };
	if (raw.some((v) => v === '')) return { ok: false, problem: 'incomplete' };
	const [x, y, w, h] = raw.map(Number);
	if (![x, y, w, h].every((v) => Number.isFinite(v) && v >= 0 && v <= 100)) return { ok: false, problem: 'range' };
	if (w <= 0 || h <= 0) return { ok: false, problem: 'size' };
	if (x + w > 100) return { ok: false, problem: 'overX' };
	if (y + h > 100) return { ok: false, problem: 'overY' };
	return { ok: true, rect: [x / 100, y / 100, w / 100, h / 100] };
}

/** Whether two rects are the same to a tenth of a percent (null only equals null). */
export function sameRect(a: readonly number[] | null, b: readonly number[] | null): boolean {
	if (a === null || b === null) return a === b;
	return a.every((v, i) => Math.abs(v - b[i]) < 0.0005);
}

/** Whether a suggestion is advice in brackets ("（删除…）") rather than replacement text. */
export function isAdvice(suggestion: string): boolean {
	return /^[（(].*[）)]$/.test(suggestion.trim());
}

/**
 * `text` with the finding's span replaced by its suggestion (spans are in characters,
 * i.e. code points, as the core counts them). Advice and an empty suggestion remove the span.
 */
export function applyFix(text: string, f: Pick<Finding, 'start' | 'end' | 'suggestion'>): string {
	const chars = [...text];
	const fix = f.suggestion === null || isAdvice(f.suggestion) ? '' : f.suggestion;
	const start = Math.max(0, Math.min(f.start, chars.length));
	const end = Math.max(start, Math.min(f.end, chars.length));
	return (chars.slice(0, start).join('') + fix + chars.slice(end).join('')).replace(/\s{2,}/g, ' ');
}

export interface Span {
	text: string;
	finding: Finding | null;
}

/** `text` cut into plain parts and the parts `findings` mark (overlaps: the first wins). */
export function markSpans(text: string, findings: readonly Finding[]): Span[] {
	const chars = [...text];
	const owner: Array<Finding | null> = chars.map(() => null);
	for (const f of findings) {
		for (let i = Math.max(0, f.start); i < Math.min(f.end, chars.length); i++) owner[i] ??= f;
	}
	const out: Span[] = [];
	chars.forEach((c, i) => {
		const last = out[out.length - 1];
		if (last && last.finding === owner[i]) last.text += c;
		else out.push({ text: c, finding: owner[i] });
	});
	return out;
}

/** The languages a new campaign starts with: the interface language. */
export function defaultLanguages(ui: Lang): Lang[] {
	return [ui];
}
