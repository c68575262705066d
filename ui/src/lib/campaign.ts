// Pure helpers of the campaign screens: the creation defaults, colour conversion, the core's
// length counts per placement, layer edits and compliance spans. No Svelte, no backend; every
// rule (widths, limits, URL and position checks) is the core's, asked through the backend.
import type {
	CampaignParams,
	Field,
	Finding,
	LayerColor,
	LayerEdit,
	LayerKind,
	Placement,
	TextLength
} from '$lib/bindings';
import type { Lang } from '$lib/i18n';

// The core's choices, defaults and bounds, generated into the bindings (never copied here).
import { COPY_FIELDS, DEFAULT_PLACEMENTS, DEFAULT_VARIANTS, GOALS, LAYER_KINDS, MAX_BUSINESS_WIDTH, MAX_VARIANTS, NEW_CAMPAIGN, TONES } from '$lib/bindings';
export { DEFAULT_PLACEMENTS, DEFAULT_VARIANTS, GOALS, LAYER_KINDS, MAX_BUSINESS_WIDTH, MAX_VARIANTS, NEW_CAMPAIGN, TONES };
/** The copy fields of a variant, in the editor's order. */
export const FIELDS: readonly Field[] = COPY_FIELDS;

export type RGB = [number, number, number];
export const DEFAULT_PRIMARY = NEW_CAMPAIGN.kit.primary as RGB;
export const DEFAULT_ACCENT = NEW_CAMPAIGN.kit.accent as RGB;

/** A campaign with the studio's defaults (the core's `CampaignParams::new`), named `name`. */
export function defaultParams(name: string, overrides: Partial<CampaignParams> = {}): CampaignParams {
	return { ...structuredClone(NEW_CAMPAIGN), name, ...overrides };
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

/** One copy field's length on one placement that limits it (the core's `TextLength`, with the
 * placement resolved); `stale` while the text has changed since the core measured it. */
export interface Counter {
	placement: Placement;
	length: number;
	limit: number;
	over: boolean;
	stale: boolean;
}

/** The counters of `field` from the core's counts, in the placements' order. */
export function counters(placements: readonly Placement[], counts: readonly TextLength[], field: Field, stale: boolean): Counter[] {
	return placements.flatMap((placement) => {
		const c = counts.find((x) => x.placement === placement.id && x.field === field);
		return c ? [{ placement, length: c.length, limit: c.limit, over: c.over, stale }] : [];
	});
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
/** Why typed fields are not a position at all (message key suffix `editor.pos_<problem>`).
 * Whether a position fits the canvas is the core's call (`check_layer_rect`). */
export type PositionProblem = 'incomplete' | 'number';
export type PositionParse = { ok: true; rect: Rect | null } | { ok: false; problem: PositionProblem };

/** The fields showing `rect` (fractions) in percent; all empty for the template's position. */
export function positionFields(rect: readonly number[] | null): PositionFields {
	const pc = (v: number) => String(Math.round(v * 1000) / 10);
	return rect ? { x: pc(rect[0]), y: pc(rect[1]), w: pc(rect[2]), h: pc(rect[3]) } : { x: '', y: '', w: '', h: '' };
}

/** Typed percent → a rect in fractions (null when all are empty), or why the fields cannot be
 * read as one. */
export function parsePosition(f: PositionFields): PositionParse {
	const raw = POSITION_KEYS.map((k) => f[k].trim());
	if (raw.every((v) => v === '')) return { ok: true, rect: null };
	if (raw.some((v) => v === '')) return { ok: false, problem: 'incomplete' };
	const values = raw.map(Number);
	if (!values.every(Number.isFinite)) return { ok: false, problem: 'number' };
	const [x, y, w, h] = values.map((v) => v / 100);
	return { ok: true, rect: [x, y, w, h] };
}

/** Whether two rects are the same to a tenth of a percent (null only equals null). */
export function sameRect(a: readonly number[] | null, b: readonly number[] | null): boolean {
	if (a === null || b === null) return a === b;
	return a.every((v, i) => Math.abs(v - b[i]) < 0.0005);
}

/**
 * `text` with the finding's span replaced by the core's one-click fix (`replacement`: the
 * suggested text, or nothing for advice). Spans are in characters (code points), as the core
 * counts them.
 */
export function applyFix(text: string, f: Pick<Finding, 'start' | 'end' | 'replacement'>): string {
	const chars = [...text];
	const fix = f.replacement ?? '';
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
