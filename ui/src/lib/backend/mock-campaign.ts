// The mock's campaigns and variants: validation with the core's messages, variants per
// segment × language × copy set with a render per placement, edits, regeneration that keeps
// locked layers, live lint and export file names. Deterministic: no clock, no randomness.
import type {
	ApiError,
	CampaignParams,
	CampaignRow,
	ContrastCheck,
	CopyFields,
	CopyLint,
	ExportSummary,
	LayerEdit,
	LayerKind,
	Placement,
	ProductRow,
	RenderInfo,
	SegmentRow,
	VariantEdit,
	VariantRow
} from '$lib/bindings';
import { defaultParams, LAYER_KINDS, MAX_VARIANTS, textWidth, urlProblem, type RGB } from '$lib/campaign';
import type { Lang } from '$lib/i18n';
import { clone, prng } from './mock-data';
import { copySet, reason, type MockCopySet } from './mock-copy';
import { mockBanner, type MockDesign } from './mock-image';
import { FIELD_DEBUG, mockFindings, mockLengths, placementById } from './mock-rules';

const invalid = (message: string): ApiError => ({ code: 'invalid_input', message });
/** The core's `check_layers`: a layer's rect (fractions) lies inside the canvas. */
const rectInside = ([x, y, w, h]: readonly number[]) =>
	[x, y, w, h].every(Number.isFinite) && x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= 1.0001 && y + h <= 1.0001;
const URL_REASONS = { scheme: 'must start with https:// or http://', host: 'has no host name', spaces: 'contains spaces or control characters' };

/** The core's `CampaignParams::check`, with its messages. Returns the cleaned params. */
export function checkParams(input: CampaignParams): CampaignParams {
	const p = clone(input);
	const bad = (field: string, reason: string) => invalid(`campaign ${field}: ${reason}`);
	p.name = p.name.trim();
	if (!p.name || [...p.name].length > 80) throw invalid('campaign name must be 1–80 characters');
	if (p.languages.length === 0) throw bad('languages', 'choose at least one language');
	const dup = p.languages.find((l, i) => p.languages.indexOf(l) !== i);
	if (dup) throw bad('languages', `${dup} is listed twice`);
	if (p.placements.length === 0) throw bad('placements', 'choose at least one placement');
	p.placements.forEach((id, i) => {
		if (!placementById(id)) throw bad('placements', `unknown placement "${id}"`);
		if (p.placements.indexOf(id) !== i) throw bad('placements', `${id} is listed twice`);
	});
	p.landing_url = p.landing_url.trim();
	const problem = urlProblem(p.landing_url);
	if (problem) throw bad('landing_url', URL_REASONS[problem]);
	p.business_name = p.business_name.trim();
	const bw = textWidth(p.business_name);
	if (bw === 0 || bw > 25) throw bad('business_name', `must be 1–25 width units (a Chinese character counts 2); it is ${bw}`);
	if (!(p.variants_per_segment >= 1 && p.variants_per_segment <= MAX_VARIANTS)) throw bad('variants_per_segment', `must be 1–${MAX_VARIANTS}`);
	if (!p.kit.logo_text.trim()) p.kit.logo_text = p.business_name;
	p.products.category = p.products.category?.trim() || null;
	p.products.brand = p.products.brand?.trim() || null;
	p.products.ids = p.products.ids.filter((s) => s.trim());
	return p;
}

/** The products a filter lets through (all set fields must match). */
export function filterProducts(products: ProductRow[], f: CampaignParams['products']): ProductRow[] {
	return products.filter(
		(p) => (f.ids.length === 0 || f.ids.includes(p.id)) && (!f.category || p.category === f.category) && (!f.brand || p.brand === f.brand)
	);
}

/** 64 hex digits derived from `s` (a stand-in for a SHA-256). */
export function fakeSha(s: string): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
	const r = prng(h);
	return Array.from({ length: 64 }, () => Math.floor(r() * 16).toString(16)).join('');
}

/** The core's export slug: lowercase ASCII letters, digits and '-', never empty. */
export function slug(s: string): string {
	let out = '';
	for (const c of s) {
		if (/^[A-Za-z0-9]$/.test(c)) out += c.toLowerCase();
		else if (out && !out.endsWith('-')) out += '-';
		if (out.length >= 40) break;
	}
	return out.replace(/^-+|-+$/g, '') || 'campaign';
}

function luminance(c: number[]): number {
	const l = c.map((v) => {
		const s = v / 255;
		return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	});
	return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}

function contrast(a: number[], b: number[]): number {
	const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
	return Math.round(((x + 0.05) / (y + 0.05)) * 100) / 100;
}

interface Stored {
	row: CampaignRow;
	params: CampaignParams;
}

export class MockCampaigns {
	private stored: Stored[] = [];
	variants: VariantRow[] = [];
	private rounds = new Map<number, number>();
	private nextVariant = 1;

	constructor(private products: () => ProductRow[]) {}

	get count(): number {
		return this.stored.length;
	}

	campaign(id: number): Stored {
		const c = this.stored.find((x) => x.row.id === id);
		if (!c) throw { code: 'not_found', message: `campaign ${id} not found` } satisfies ApiError;
		return c;
	}

	/** Newest first, with live counts (as `list_campaigns`). */
	list(): CampaignRow[] {
		return clone(
			[...this.stored].reverse().map(({ row }) => ({
				...row,
				variants: this.variants.filter((v) => v.campaign_id === row.id).length,
				approved: this.variants.filter((v) => v.campaign_id === row.id && v.status === 'approved').length
			}))
		);
	}

	/** How many variants `params` gives over `segments` (for progress totals). */
	plannedCount(p: CampaignParams, segments: SegmentRow[]): number {
		return segments.length * p.languages.length * p.variants_per_segment;
	}

	/** Store a campaign of checked `p` over `segments`. */
	create(p: CampaignParams, segments: SegmentRow[], createdAt: string): CampaignRow {
		const id = this.stored.length + 1;
		const row: CampaignRow = {
			id,
			name: p.name,
			created_at: createdAt,
			variants: 0,
			approved: 0,
			goal: p.goal,
			tone: p.tone,
			languages: [...p.languages],
			placements: [...p.placements],
			landing_url: p.landing_url,
			business_name: p.business_name,
			variants_per_segment: p.variants_per_segment
		};
		this.stored.push({ row, params: p });
		const pool = filterProducts(this.products(), p.products);
		const langs = [...p.languages].sort();
		for (const s of [...segments].sort((a, b) => a.label - b.label)) {
			const mine = pool.find((x) => s.top_categories.some((c) => x.category.startsWith(c + '/')));
			const product = mine ?? pool[0];
			const why = mine
				? reason('reason.product.engaged', { category: product.category, product: product.id })
				: reason('reason.product.best_seller', { product: product.id });
			for (const lang of langs) {
				for (let i = 0; i < p.variants_per_segment; i++) {
					const set = copySet(s, product, why, lang, p, i);
					this.variants.push(this.build(id, s, product, lang, i, set, []));
				}
			}
		}
		return clone({ ...row, variants: this.variants.filter((v) => v.campaign_id === id).length });
	}

	private build(cid: number, s: SegmentRow, product: ProductRow, lang: Lang, setIndex: number, set: MockCopySet, layers: LayerEdit[]): VariantRow {
		const { params } = this.campaign(cid);
		const fields: CopyFields = { headline: set.headline, long_headline: set.long_headline, description: set.description, primary_text: set.primary_text, cta: set.cta };
		const v: VariantRow = {
			id: this.nextVariant++,
			campaign_id: cid,
			segment_id: s.id,
			segment_label: s.label,
			segment_name_en: s.name_en,
			segment_name_zh: s.name_zh,
			product_id: product.id,
			product_name: lang === 'zh-CN' ? product.name_zh : product.name_en,
			lang,
			set_index: setIndex,
			...fields,
			angle: set.angle,
			keywords: set.keywords,
			reasons: set.reasons,
			findings: mockFindings(fields),
			status: 'draft',
			layers,
			layer_colors: [],
			renders: [],
			placement: params.placements[0],
			banner_data_url: '',
			width: 0,
			height: 0
		};
		return this.render(v);
	}

	private design(v: VariantRow): MockDesign {
		const { params } = this.campaign(v.campaign_id);
		return {
			palette: v.segment_label,
			primary: params.kit.primary,
			accent: params.kit.accent,
			headline: v.headline,
			description: v.description,
			badge: v.angle === 'discount' || !!v.layers.find((l) => l.kind === 'badge')?.text,
			layers: v.layers
		};
	}

	/** Fill in `v`'s renders (every placement) and its primary image. */
	private render(v: VariantRow): VariantRow {
		const { params } = this.campaign(v.campaign_id);
		const d = this.design(v);
		const content = JSON.stringify([v.headline, v.description, v.cta, v.layers, params.kit]);
		const headlineColor = v.layers.find((l) => l.kind === 'headline')?.color ?? [255, 255, 255];
		const ctaColor = v.layers.find((l) => l.kind === 'cta')?.color ?? params.kit.accent;
		v.renders = params.placements.map((id): RenderInfo => {
			const p = placementById(id) as Placement;
			const png = Math.round(p.width * p.height * 0.9) + 600 + (v.id * 37) % 997;
			const jpeg = png > p.max_bytes;
			const bytes = jpeg ? Math.min(p.max_bytes - 1, Math.round(p.width * p.height * 0.3) + 400) : png;
			const checks: ContrastCheck[] = [
				{ layer: 'headline', ratio: contrast(headlineColor, params.kit.primary), passes_aa: contrast(headlineColor, params.kit.primary) >= 4.5 },
				{ layer: 'cta', ratio: contrast(ctaColor, [17, 17, 17]), passes_aa: contrast(ctaColor, [17, 17, 17]) >= 4.5 }
			];
			return { placement: id, width: p.width, height: p.height, format: jpeg ? 'jpeg' : 'png', bytes, max_bytes: p.max_bytes, quality: jpeg ? 85 : null, within_budget: bytes <= p.max_bytes, sha256: fakeSha(content + id), contrast: checks };
		});
		// what the core's layout reports: the user's colour, else the kit's (brand primary
		// background, accent boxes and price, white text, white product card)
		const drawn = (kind: LayerKind): RGB => {
			if (kind === 'background') return params.kit.primary;
			if (kind === 'cta' || kind === 'badge' || kind === 'price') return params.kit.accent;
			return [255, 255, 255];
		};
		v.layer_colors = LAYER_KINDS.filter((kind) => !v.layers.find((l) => l.kind === kind)?.hidden).map((kind) => ({ kind, color: v.layers.find((l) => l.kind === kind)?.color ?? drawn(kind) }));
		const primary = placementById(v.placement) as Placement;
		v.banner_data_url = mockBanner(primary.width, primary.height, d);
		v.width = primary.width;
		v.height = primary.height;
		return v;
	}

	variant(id: number): VariantRow {
		const v = this.variants.find((x) => x.id === id);
		if (!v) throw { code: 'not_found', message: `variant ${id} not found` } satisfies ApiError;
		return v;
	}

	/** One placement's image of a variant (`variant_image`). */
	image(variantId: number, placement: string): string {
		const v = this.variant(variantId);
		const p = placementById(placement);
		if (!p || !v.renders.some((r) => r.placement === placement)) {
			throw { code: 'not_found', message: `variant ${variantId} has no render for placement "${placement}"` } satisfies ApiError;
		}
		return mockBanner(p.width, p.height, this.design(v));
	}

	lint(campaignId: number, fields: CopyFields): CopyLint {
		const { params } = this.campaign(campaignId);
		return { findings: mockFindings(fields), lengths: mockLengths(params.placements.map((id) => placementById(id) as Placement), fields) };
	}

	private tooLong(v: VariantRow, fields: CopyFields): void {
		const problems = this.lint(v.campaign_id, fields).lengths;
		if (problems.length) {
			const list = problems.map((p) => `${FIELD_DEBUG[p.field]} is ${p.length} units, ${p.placement} allows ${p.limit}`);
			throw invalid(`the edit does not fit: ${list.join('; ')}`);
		}
	}

	/** `edit_variant`: new copy and/or layers; re-rendered, back to draft. */
	edit(id: number, edit: Partial<VariantEdit>): VariantRow {
		const v = this.variant(id);
		const pick = (s: string | null | undefined, old: string) => (s === null || s === undefined ? old : s.trim());
		const f: CopyFields = {
			headline: pick(edit.headline, v.headline),
			long_headline: pick(edit.long_headline, v.long_headline),
			description: pick(edit.description, v.description),
			primary_text: pick(edit.primary_text, v.primary_text),
			cta: pick(edit.cta, v.cta)
		};
		for (const [name, text] of [['headline', f.headline], ['description', f.description], ['call to action', f.cta]]) {
			if (!text) throw invalid(`the edit does not fit: the ${name} is empty`);
		}
		this.tooLong(v, f);
		if (edit.layers) {
			edit.layers.forEach((l, i) => {
				if (!LAYER_KINDS.includes(l.kind)) throw invalid(`unknown layer ${l.kind}`);
				if (edit.layers!.findIndex((o) => o.kind === l.kind) !== i) throw invalid(`the edit does not fit: layer ${l.kind} is edited twice`);
				if (l.rect && !rectInside(l.rect)) throw invalid(`the edit does not fit: layer ${l.kind} would leave the canvas`);
			});
			v.layers = clone(edit.layers);
		}
		Object.assign(v, f, { status: 'draft', findings: mockFindings(f) });
		return clone(this.render(v));
	}

	/** `regenerate_variant`: a fresh copy set; locked layers keep their text and edits. */
	regenerate(id: number, segments: SegmentRow[]): VariantRow {
		const v = this.variant(id);
		const { params } = this.campaign(v.campaign_id);
		const s = segments.find((x) => x.id === v.segment_id);
		const product = this.products().find((p) => p.id === v.product_id);
		if (!s || !product) throw { code: 'conflict', message: `segment ${v.segment_id} has no product to promote (no events in its categories)` } satisfies ApiError;
		const round = (this.rounds.get(id) ?? 0) + 1;
		const set = copySet(s, product, v.reasons[0] ?? reason('reason.product.best_seller', { product: product.id }), v.lang as Lang, params, v.set_index, round);
		const locked = v.layers.filter((l) => l.locked);
		const keep = (kind: LayerEdit['kind'], old: string, fresh: string) => (locked.some((l) => l.kind === kind) ? old : fresh);
		const f: CopyFields = {
			headline: keep('headline', v.headline, set.headline),
			long_headline: set.long_headline,
			description: keep('subline', v.description, set.description),
			primary_text: set.primary_text,
			cta: keep('cta', v.cta, set.cta)
		};
		this.tooLong(v, f);
		this.rounds.set(id, round);
		const kept = locked.map((l) => l.kind);
		const note = kept.length ? reason('reason.regenerated.kept', { round: String(round), layers: kept.join(',') }) : reason('reason.regenerated', { round: String(round) });
		Object.assign(v, f, { angle: set.angle, keywords: set.keywords, reasons: [...set.reasons, note], layers: clone(locked), status: 'draft', findings: mockFindings(f) });
		return clone(this.render(v));
	}

	/** Legacy direct approval (tests of screens that only need an approved variant). */
	approve(id: number, reviewer: string): VariantRow {
		const who = reviewer.trim();
		if (!who || [...who].length > 60) throw invalid('reviewer name must be 1–60 characters');
		const v = this.variant(id);
		if (v.status === 'approved') throw { code: 'conflict', message: `variant ${id} is already approved` } satisfies ApiError;
		const blocking = v.findings.filter((f) => f.severity === 'error');
		if (blocking.length) {
			const summary = blocking.map((f) => `${f.rule} “${f.text}” in the ${FIELD_DEBUG[f.field]}`).join('; ');
			throw { code: 'conflict', message: `variant ${id} fails the compliance check: ${summary}` } satisfies ApiError;
		}
		v.status = 'approved';
		return clone(v);
	}

	/** The files an export of campaign `cid`'s approved variants writes. */
	exportFiles(cid: number): ExportSummary['files'] {
		const { row } = this.campaign(cid);
		const vs = this.variants.filter((v) => v.campaign_id === cid && v.status === 'approved');
		const files = vs.flatMap((v) =>
			v.renders.map((r) => ({
				name: `${slug(row.name)}_seg${v.segment_label}_v${v.id}_${slug(r.placement)}.${r.format === 'jpeg' ? 'jpg' : 'png'}`,
				bytes: r.bytes,
				sha256: r.sha256
			}))
		);
		return [...files, { name: 'manifest.json', bytes: 400 + files.length * 260, sha256: fakeSha(files.map((f) => f.sha256).join()) }];
	}
}

/** A single variant for component tests: segment `s`, campaign defaults. */
export function makeVariant(s: SegmentRow, products: ProductRow[], overrides: Partial<CampaignParams> = {}): VariantRow {
	const store = new MockCampaigns(() => products);
	store.create(checkParams(defaultParams('Test', { variants_per_segment: 1, ...overrides })), [s], '2025-03-03T08:00:00Z');
	return store.variants[0];
}
