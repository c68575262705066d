// The one door to the Rust core. Screens only talk to a `Backend`:
// `TauriBackend` inside the desktop app, `MockBackend` in tests and in a plain browser.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
	ApiError,
	ArmStat,
	CampaignRow,
	ErrorCode,
	EventCount,
	ExportSummary,
	ImportRecord,
	ImportSummary,
	ProductRow,
	Progress,
	ProjectOverview,
	SegmentRow,
	SimFrame,
	TrainReport,
	VariantRow
} from '$lib/bindings';

export type ProgressFn = (p: Progress) => void;
export type FrameFn = (f: SimFrame) => void;

export interface Backend {
	readonly kind: 'tauri' | 'mock';
	projectOverview(): Promise<ProjectOverview>;
	listProducts(args: { limit: number; offset: number; search: string | null }): Promise<ProductRow[]>;
	importFile(args: { path: string; jobId: string }, onProgress: ProgressFn): Promise<ImportSummary>;
	cancelJob(jobId: string): Promise<null>;
	trainSegments(
		args: { k: number | null; seed: number; jobId: string },
		onProgress: ProgressFn
	): Promise<TrainReport>;
	listSegments(): Promise<SegmentRow[]>;
	listCampaigns(): Promise<CampaignRow[]>;
	createCampaign(args: { name: string; jobId: string }, onProgress: ProgressFn): Promise<CampaignRow>;
	listVariants(campaignId: number): Promise<VariantRow[]>;
	runSimulation(
		args: { campaignId: number; impressions: number; seed: number },
		onFrame: FrameFn
	): Promise<SimFrame>;
	approveVariant(args: { variantId: number; reviewer: string }): Promise<VariantRow>;
	exportCampaign(args: { campaignId: number; outDir: string }): Promise<ExportSummary>;
	/** Native file picker (plugin-dialog); null when the user closes it. Not a core command. */
	pickImportFile(filterName: string): Promise<string | null>;
	/** Native folder picker (plugin-dialog); null when the user closes it. Not a core command. */
	pickDirectory(): Promise<string | null>;
}

const ERROR_CODES: readonly ErrorCode[] = [
	'invalid_input',
	'not_found',
	'io',
	'cancelled',
	'conflict',
	'forbidden',
	'internal'
];

export function isApiError(e: unknown): e is ApiError {
	return (
		typeof e === 'object' &&
		e !== null &&
		typeof (e as ApiError).code === 'string' &&
		(ERROR_CODES as readonly string[]).includes((e as ApiError).code) &&
		typeof (e as ApiError).message === 'string'
	);
}

/** Whatever was thrown, an ApiError comes out. */
export function toApiError(e: unknown): ApiError {
	if (isApiError(e)) return { code: e.code, message: e.message };
	if (e instanceof Error) return { code: 'internal', message: e.message || String(e) };
	return { code: 'internal', message: String(e) };
}

async function normalised<T>(p: () => Promise<T>): Promise<T> {
	try {
		return await p();
	} catch (e) {
		throw toApiError(e);
	}
}

// ---------------------------------------------------------------------------
// Tauri

export class TauriBackend implements Backend {
	readonly kind = 'tauri' as const;

	private call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
		return normalised(() => invoke<T>(cmd, args));
	}

	private channel<T>(cb: (v: T) => void): Channel<T> {
		const ch = new Channel<T>();
		ch.onmessage = cb;
		return ch;
	}

	projectOverview() {
		return this.call<ProjectOverview>('project_overview');
	}
	listProducts(args: { limit: number; offset: number; search: string | null }) {
		return this.call<ProductRow[]>('list_products', args);
	}
	importFile(args: { path: string; jobId: string }, onProgress: ProgressFn) {
		return this.call<ImportSummary>('import_file', { ...args, onProgress: this.channel(onProgress) });
	}
	cancelJob(jobId: string) {
		return this.call<null>('cancel_job', { jobId });
	}
	trainSegments(args: { k: number | null; seed: number; jobId: string }, onProgress: ProgressFn) {
		return this.call<TrainReport>('train_segments', { ...args, onProgress: this.channel(onProgress) });
	}
	listSegments() {
		return this.call<SegmentRow[]>('list_segments');
	}
	listCampaigns() {
		return this.call<CampaignRow[]>('list_campaigns');
	}
	createCampaign(args: { name: string; jobId: string }, onProgress: ProgressFn) {
		return this.call<CampaignRow>('create_campaign', { ...args, onProgress: this.channel(onProgress) });
	}
	listVariants(campaignId: number) {
		return this.call<VariantRow[]>('list_variants', { campaignId });
	}
	runSimulation(args: { campaignId: number; impressions: number; seed: number }, onFrame: FrameFn) {
		return this.call<SimFrame>('run_simulation', { ...args, onFrame: this.channel(onFrame) });
	}
	approveVariant(args: { variantId: number; reviewer: string }) {
		return this.call<VariantRow>('approve_variant', args);
	}
	exportCampaign(args: { campaignId: number; outDir: string }) {
		return this.call<ExportSummary>('export_campaign', args);
	}
	async pickImportFile(filterName: string) {
		return normalised(async () => {
			const { open } = await import('@tauri-apps/plugin-dialog');
			const r = await open({
				multiple: false,
				directory: false,
				filters: [{ name: filterName, extensions: ['csv', 'tsv', 'gz', 'jsonl'] }]
			});
			return typeof r === 'string' ? r : null;
		});
	}
	async pickDirectory() {
		return normalised(async () => {
			const { open } = await import('@tauri-apps/plugin-dialog');
			const r = await open({ multiple: false, directory: true });
			return typeof r === 'string' ? r : null;
		});
	}
}

// ---------------------------------------------------------------------------
// Mock: deterministic, in memory, with small timers for progress and frames.

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** Brand of one mock product: must always be shown as literal text. */
export const XSS_BRAND = '<img src=x onerror=alert(1)>';

const BANNERS = [
	'iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAIAAABsw6g0AAAAWUlEQVR42mNQTX6tnvREI/GuVsI1nfjzenEn9WMPGcbsNo7eYhK11ixymUXEfKvwGdZhE21Du+1DWhyCa52CylwC890CMtz9Ez39orx9g319fRlGDRrJBgEAC/HhCdpkd8MAAAAASUVORK5CYII=',
	'iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAIAAABsw6g0AAAAWElEQVR42mO4rV5+VbP0vFbxCZ3CQ3oFe/TzthnmbDDKWmmSsdgsba556nTL5InWiV028S12sXX20RWOkUXOEdkuYaluIfEeQZGeAcHefr6+vgyjBo1kgwBeVuN5TMkKtAAAAABJRU5ErkJggg==',
	'iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAIAAABsw6g0AAAAV0lEQVR42mNgnZbJMTmDe0I6X0+qYGeKaFuyRHOSdEOCXE28YmWcSlmsenG0VkGUbk6kYWaESVqYeXKoVUKIbUywQ2Sgc1iAW7C/Z4Cfr68vw6hBI9kgAODTt5lRWoEHAAAAAElFTkSuQmCC',
	'iVBORw0KGgoAAAANSUhEUgAAABgAAAAICAIAAABsw6g0AAAAWElEQVR42mO4Wc52uZTzbDHP8UL+gwVCu/JEt+RIrMuSXpEhvyhNaU6q6rRkjQmJ2l3xes2xhrXRJuWR5oURVtlhtqkhDvFBzpEBbsF+nr6+vgyjBo1kgwDhKtZR0llffQAAAABJRU5ErkJggg=='
].map((b) => 'data:image/png;base64,' + b);

const CATEGORIES: Array<[string, string, string, Array<[string, string]>]> = [
	['beauty', '美妆', 'Lumière', [['Hydrating Serum', '玻尿酸补水精华'], ['Matte Lipstick', '哑光口红'], ['Sunscreen SPF50', '清透防晒霜 SPF50']]],
	['apparel', '服饰', 'UrbanWeave', [['Down Jacket', '轻薄羽绒服'], ['Linen Shirt', '亚麻衬衫'], ['Running Shorts', '速干跑步短裤']]],
	['electronics', '数码', 'Voltix', [['Wireless Earbuds', '真无线蓝牙耳机'], ['Power Bank 20000mAh', '20000毫安充电宝'], ['Smart Watch', '智能手表']]],
	['home', '家居', 'Nestly', [['Memory Foam Pillow', '记忆棉枕头'], ['Aroma Diffuser', '香薰加湿器'], ['Cotton Bed Set', '纯棉四件套']]],
	['food', '食品', 'GreenLeaf', [['Oolong Tea Gift Box', '乌龙茶礼盒'], ['Mixed Nuts', '每日坚果'], ['Instant Coffee', '冻干速溶咖啡']]]
];

const SEGMENT_NAMES: Array<[string, string, string[]]> = [
	['Beauty enthusiasts', '美妆达人', ['beauty', 'apparel']],
	['Tech early adopters', '数码尝鲜族', ['electronics']],
	['Home nesters', '品质居家党', ['home', 'food']],
	['Bargain hunters', '精打细算型买家', ['food', 'apparel']],
	['Weekend browsers', '周末逛逛型', ['apparel', 'home']],
	['Premium loyalists', '高端忠实会员', ['electronics', 'beauty']]
];

const SEGMENT_CTAS: Array<[string, string, string, string]> = [
	['Glow up this season', '这个季节，美得刚刚好', 'Hand-picked {p} for your routine.', '为你的日常护理精选 {p}。'],
	['Upgrade your gear', '装备升级，快人一步', '{p} with the specs you care about.', '{p}，参数党也挑不出毛病。'],
	['Make home cosier', '把家变得更舒服', '{p}, made for slow evenings.', '{p}，陪你度过慢悠悠的夜晚。'],
	['Deals worth waiting for', '等的就是这个价', '{p} at this week’s best price.', '{p}，本周好价，手慢无。'],
	['Something new for the weekend', '周末来点新鲜的', 'Discover {p} while you browse.', '逛着逛着，遇见 {p}。'],
	['Members first', '会员专享，先人一步', 'Early access to {p}.', '{p} 会员抢先购。']
];

export interface MockOptions {
	/** Delay between progress events / frames, ms. Tests use 1-5. */
	tickMs?: number;
	/** Number of simulation frames per run. */
	frames?: number;
	/** Reject a command with this error (by command name). */
	failures?: Partial<Record<string, ApiError>>;
}

function clone<T>(v: T): T {
	return JSON.parse(JSON.stringify(v)) as T;
}

export class MockBackend implements Backend {
	readonly kind = 'mock' as const;
	private tickMs: number;
	private frames: number;
	failures: Partial<Record<string, ApiError>>;
	private products: ProductRow[] = [];
	private events: EventCount[] = [
		{ kind: 'view', count: 48210 },
		{ kind: 'cart', count: 6120 },
		{ kind: 'favorite', count: 3305 },
		{ kind: 'purchase', count: 1874 }
	];
	private imports: ImportRecord[] = [
		{ id: 1, file_name: 'products.csv', format: 'csv', rows_imported: 61, rows_rejected: 0, imported_at: '2025-03-01T09:12:00Z' },
		{ id: 2, file_name: 'events-2025-02.jsonl.gz', format: 'jsonl', rows_imported: 59509, rows_rejected: 12, imported_at: '2025-03-01T09:14:31Z' }
	];
	private imported = new Set<string>();
	private segments: SegmentRow[] = [];
	private campaigns: CampaignRow[] = [];
	private variants: VariantRow[] = [];
	private cancelled = new Set<string>();
	private running = new Set<string>();
	private nextId = 1;

	constructor(opts: MockOptions = {}) {
		this.tickMs = opts.tickMs ?? 120;
		this.frames = opts.frames ?? 12;
		this.failures = { ...(opts.failures ?? {}) };
		const rnd = prng(7);
		let n = 1;
		for (const [cat, catZh, brand, items] of CATEGORIES) {
			for (let round = 0; round < 4; round++) {
				for (const [en, zh] of items) {
					const edition = round === 0 ? '' : ` ${['Lite', 'Pro', 'Max'][round - 1]}`;
					const editionZh = round === 0 ? '' : ` ${['轻享版', '专业版', '旗舰版'][round - 1]}`;
					this.products.push({
						id: `P${String(n).padStart(4, '0')}`,
						name_en: en + edition,
						name_zh: zh + editionZh,
						category: `${cat}/${catZh}`,
						brand,
						price: Math.round((19 + rnd() * 980) * 100) / 100,
						currency: 'CNY'
					});
					n++;
				}
			}
		}
		// Imported data is untrusted: this brand must render as literal text.
		this.products.splice(2, 0, {
			id: 'P0666',
			name_en: 'Mystery Box "<b>bold</b>"',
			name_zh: '神秘盲盒 <script>alert(2)</script>',
			category: 'misc/其他',
			brand: XSS_BRAND,
			price: 66.6,
			currency: 'USD'
		});
		this.segments = this.makeSegments(4, 42);
		this.campaigns = [];
	}

	private fail(cmd: string): void {
		const f = this.failures[cmd];
		if (f) throw clone(f);
	}

	private sleep(ms = this.tickMs): Promise<void> {
		return new Promise((r) => setTimeout(r, ms));
	}

	/** Emits `steps` progress events; throws `cancelled` if cancel_job was called. */
	private async progress(jobId: string, stages: Array<[string, number]>, onProgress: ProgressFn) {
		this.running.add(jobId);
		try {
			for (const [stage, total] of stages) {
				const steps = 4;
				for (let i = 0; i <= steps; i++) {
					if (this.cancelled.has(jobId)) {
						throw { code: 'cancelled', message: 'job cancelled by user' } satisfies ApiError;
					}
					const done = Math.round((total * i) / steps);
					onProgress({ job: jobId, stage, done, total, message: `${stage} ${done}/${total}` });
					if (i < steps) await this.sleep();
				}
			}
		} finally {
			this.running.delete(jobId);
		}
	}

	private makeSegments(k: number, seed: number): SegmentRow[] {
		const rnd = prng(seed);
		const weights = Array.from({ length: k }, () => 0.5 + rnd());
		const sum = weights.reduce((a, b) => a + b, 0);
		const users = 4820;
		return weights.map((w, i) => {
			const [en, zh, cats] = SEGMENT_NAMES[i % SEGMENT_NAMES.length];
			const suffix = i >= SEGMENT_NAMES.length ? ` ${Math.floor(i / SEGMENT_NAMES.length) + 1}` : '';
			const share = w / sum;
			return {
				id: i + 1,
				label: i,
				name_en: en + suffix,
				name_zh: zh + suffix,
				size: Math.round(users * share),
				share,
				top_categories: cats,
				avg_price: Math.round((60 + rnd() * 400) * 100) / 100,
				purchase_rate: Math.round((0.01 + rnd() * 0.12) * 10000) / 10000
			};
		});
	}

	async projectOverview(): Promise<ProjectOverview> {
		await this.sleep(5);
		this.fail('project_overview');
		const cats = new Set(this.products.map((p) => p.category));
		return clone({
			path: '/home/demo/Creative Studio/demo.studio',
			products: this.products.length,
			events: this.events.reduce((a, e) => a + e.count, 0),
			users: 4820,
			categories: cats.size,
			segments: this.segments.length,
			campaigns: this.campaigns.length,
			event_mix: this.events,
			imports: this.imports
		});
	}

	async listProducts(args: { limit: number; offset: number; search: string | null }): Promise<ProductRow[]> {
		await this.sleep(5);
		this.fail('list_products');
		if (args.limit < 0 || args.offset < 0) {
			throw { code: 'invalid_input', message: 'limit/offset must be >= 0' } satisfies ApiError;
		}
		const q = (args.search ?? '').trim().toLowerCase();
		const rows = q
			? this.products.filter((p) =>
					[p.id, p.name_en, p.name_zh, p.brand, p.category].some((f) => f.toLowerCase().includes(q))
				)
			: this.products;
		return clone(rows.slice(args.offset, args.offset + args.limit));
	}

	async importFile(args: { path: string; jobId: string }, onProgress: ProgressFn): Promise<ImportSummary> {
		this.fail('import_file');
		const path = args.path.trim();
		if (!path) throw { code: 'invalid_input', message: 'path is empty' } satisfies ApiError;
		if (!/\.(csv|tsv|jsonl|gz)$/i.test(path)) {
			throw { code: 'invalid_input', message: `unsupported file type: ${path}` } satisfies ApiError;
		}
		if (/missing|nonexistent/i.test(path)) {
			throw { code: 'not_found', message: `no such file: ${path}` } satisfies ApiError;
		}
		const file = path.split(/[\\/]/).pop() ?? path;
		const format = /\.tsv/i.test(file) ? 'tsv' : /\.jsonl/i.test(file) ? 'jsonl' : 'csv';
		if (this.imported.has(path)) {
			await this.progress(args.jobId, [['hashing', 1]], onProgress);
			return { import_id: 3, file, format, encoding: 'UTF-8', rows_read: 1200, rows_imported: 0, rows_duplicate: 1200, rows_rejected: 0, events_imported: 0, already_imported: true, pseudonymised: true, notes: [], errors: [] };
		}
		await this.progress(args.jobId, [['reading', 1200], ['validating', 1200], ['writing', 1195]], onProgress);
		this.imported.add(path);
		const errors = [
			{ line: 17, column: 'price', reason: '"12,5O" is not a non-negative decimal number' },
			{ line: 242, column: 'event_type', reason: 'unknown value "clickk"' },
			{ line: 1033, column: 'user_id', reason: 'empty' }
		];
		const summary: ImportSummary = {
			import_id: 3,
			file,
			format,
			encoding: 'UTF-8',
			rows_read: 1200,
			rows_imported: 1195 - 2,
			rows_duplicate: 2,
			rows_rejected: errors.length,
			events_imported: 1195 - 2,
			already_imported: false,
			pseudonymised: true,
			notes: [],
			errors
		};
		this.events[0].count += 900;
		this.events[1].count += 200;
		this.events[3].count += 93;
		this.imports.push({
			id: this.imports.length + 1,
			file_name: file,
			format,
			rows_imported: summary.rows_imported,
			rows_rejected: summary.rows_rejected,
			imported_at: new Date(Date.UTC(2025, 2, 2, 10, this.imports.length)).toISOString()
		});
		return clone(summary);
	}

	async cancelJob(jobId: string): Promise<null> {
		this.fail('cancel_job');
		if (this.running.has(jobId)) this.cancelled.add(jobId);
		return null;
	}

	async trainSegments(args: { k: number | null; seed: number; jobId: string }, onProgress: ProgressFn): Promise<TrainReport> {
		this.fail('train_segments');
		if (args.k !== null && (args.k < 2 || args.k > 12)) {
			throw { code: 'invalid_input', message: `k must be between 2 and 12, got ${args.k}` } satisfies ApiError;
		}
		await this.progress(args.jobId, [['features', 4820], ['kmeans', 40], ['naming', args.k ?? 5]], onProgress);
		const k = args.k ?? 5;
		this.segments = this.makeSegments(k, args.seed);
		return clone({ k, users: 4820, seed: args.seed, inertia: Math.round(10000 / k) / 10, silhouette: [[k, 0.31]], merged: 0, segments: this.segments });
	}

	async listSegments(): Promise<SegmentRow[]> {
		await this.sleep(5);
		this.fail('list_segments');
		return clone(this.segments);
	}

	async listCampaigns(): Promise<CampaignRow[]> {
		await this.sleep(5);
		this.fail('list_campaigns');
		return clone(
			this.campaigns.map((c) => ({
				...c,
				variants: this.variants.filter((v) => v.campaign_id === c.id).length,
				approved: this.variants.filter((v) => v.campaign_id === c.id && v.status === 'approved').length
			}))
		);
	}

	async createCampaign(args: { name: string; jobId: string }, onProgress: ProgressFn): Promise<CampaignRow> {
		this.fail('create_campaign');
		const name = args.name.trim();
		if (!name) throw { code: 'invalid_input', message: 'campaign name is empty' } satisfies ApiError;
		if (this.campaigns.some((c) => c.name === name)) {
			throw { code: 'conflict', message: `a campaign named "${name}" already exists` } satisfies ApiError;
		}
		if (this.segments.length === 0) {
			throw { code: 'invalid_input', message: 'train segments first' } satisfies ApiError;
		}
		await this.progress(args.jobId, [['copy', this.segments.length], ['banners', this.segments.length]], onProgress);
		const id = this.campaigns.length + 1;
		const row: CampaignRow = {
			id,
			name,
			created_at: new Date(Date.UTC(2025, 2, 3, 8, id)).toISOString(),
			variants: this.segments.length,
			approved: 0
		};
		this.campaigns.push(row);
		for (const s of this.segments) {
			const i = (s.id - 1) % SEGMENT_CTAS.length;
			const [hEn, hZh, dEn, dZh] = SEGMENT_CTAS[i];
			const product =
				this.products.find((p) => p.category.startsWith(s.top_categories[0] ?? '')) ?? this.products[0];
			const zh = (s.id + id) % 2 === 0;
			this.variants.push({
				id: this.nextId++,
				campaign_id: id,
				segment_id: s.id,
				segment_name_en: s.name_en,
				segment_name_zh: s.name_zh,
				product_name: zh ? product.name_zh : product.name_en,
				lang: zh ? 'zh-CN' : 'en',
				headline: zh ? hZh : hEn,
				description: (zh ? dZh : dEn).replace('{p}', zh ? product.name_zh : product.name_en),
				cta: zh ? '立即抢购' : 'Shop now',
				reasons: [
					`top category: ${s.top_categories.join(', ')}`,
					`purchase rate ${(s.purchase_rate * 100).toFixed(1)}%`,
					`avg price ¥${s.avg_price.toFixed(0)} → product ${product.id}`
				],
				status: 'draft',
				banner_data_url: BANNERS[i % BANNERS.length],
				width: 1200,
				height: 400
			});
		}
		return clone(row);
	}

	async listVariants(campaignId: number): Promise<VariantRow[]> {
		await this.sleep(5);
		this.fail('list_variants');
		if (!this.campaigns.some((c) => c.id === campaignId)) {
			throw { code: 'not_found', message: `campaign ${campaignId} not found` } satisfies ApiError;
		}
		return clone(this.variants.filter((v) => v.campaign_id === campaignId));
	}

	async runSimulation(
		args: { campaignId: number; impressions: number; seed: number },
		onFrame: FrameFn
	): Promise<SimFrame> {
		this.fail('run_simulation');
		const vs = this.variants.filter((v) => v.campaign_id === args.campaignId);
		if (!this.campaigns.some((c) => c.id === args.campaignId)) {
			throw { code: 'not_found', message: `campaign ${args.campaignId} not found` } satisfies ApiError;
		}
		if (args.impressions <= 0) {
			throw { code: 'invalid_input', message: 'impressions must be > 0' } satisfies ApiError;
		}
		const rnd = prng(args.seed);
		const trueCtr = vs.map(() => 0.01 + rnd() * 0.05);
		const arms: ArmStat[] = vs.map((v) => ({
			variant_id: v.id,
			label: `${v.segment_name_zh} · ${v.headline}`,
			impressions: 0,
			clicks: 0,
			ctr: 0
		}));
		const history: number[][] = vs.map(() => []);
		let frame: SimFrame | null = null;
		const total = this.frames;
		for (let step = 1; step <= total; step++) {
			await this.sleep();
			const slice = Math.round((args.impressions * step) / total) - Math.round((args.impressions * (step - 1)) / total);
			for (let j = 0; j < slice && arms.length; j++) {
				// Thompson-ish: favour the arm with the best observed CTR most of the time.
				const best = arms.reduce((b, a, idx) => ((a.clicks + 1) / (a.impressions + 2) > (arms[b].clicks + 1) / (arms[b].impressions + 2) ? idx : b), 0);
				const idx = rnd() < 0.7 ? best : Math.floor(rnd() * arms.length);
				arms[idx].impressions++;
				if (rnd() < trueCtr[idx]) arms[idx].clicks++;
			}
			arms.forEach((a, idx) => {
				a.ctr = a.impressions ? a.clicks / a.impressions : 0;
				history[idx].push(a.ctr);
			});
			frame = {
				run_id: 1,
				step,
				total_steps: total,
				impressions: arms.reduce((s, a) => s + a.impressions, 0),
				clicks: arms.reduce((s, a) => s + a.clicks, 0),
				arms: clone(arms),
				chart_svg: mockChartSvg(history, step, total),
				done: step === total,
				simulated: true
			};
			onFrame(clone(frame));
		}
		if (!frame) throw { code: 'internal', message: 'no frames' } satisfies ApiError;
		return clone(frame);
	}

	async approveVariant(args: { variantId: number; reviewer: string }): Promise<VariantRow> {
		await this.sleep(5);
		this.fail('approve_variant');
		if (!args.reviewer.trim()) throw { code: 'invalid_input', message: 'reviewer is empty' } satisfies ApiError;
		const v = this.variants.find((x) => x.id === args.variantId);
		if (!v) throw { code: 'not_found', message: `variant ${args.variantId} not found` } satisfies ApiError;
		v.status = 'approved';
		return clone(v);
	}

	async exportCampaign(args: { campaignId: number; outDir: string }): Promise<ExportSummary> {
		await this.sleep(5);
		this.fail('export_campaign');
		if (!args.outDir.trim()) throw { code: 'invalid_input', message: 'output folder is empty' } satisfies ApiError;
		const vs = this.variants.filter((v) => v.campaign_id === args.campaignId && v.status === 'approved');
		if (vs.length === 0) {
			throw { code: 'invalid_input', message: 'no approved variants to export' } satisfies ApiError;
		}
		const hex = (n: number) => {
			const r = prng(n);
			return Array.from({ length: 64 }, () => Math.floor(r() * 16).toString(16)).join('');
		};
		const files = [
			...vs.map((v) => ({ name: `variant-${v.id}.png`, bytes: 48000 + v.id * 731, sha256: hex(v.id) })),
			{ name: 'copy.csv', bytes: 512 + vs.length * 180, sha256: hex(1000 + vs.length) },
			{ name: 'manifest.json', bytes: 900 + vs.length * 120, sha256: hex(2000 + vs.length) }
		];
		return { dir: args.outDir.trim(), files, variants: vs.length };
	}

	async pickImportFile(): Promise<string | null> {
		return '/home/demo/data/events-2025-03.csv';
	}

	async pickDirectory(): Promise<string | null> {
		return '/home/demo/exports';
	}
}

function mockChartSvg(history: number[][], step: number, total: number): string {
	const W = 640;
	const H = 260;
	const colors = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'];
	const max = Math.max(0.02, ...history.flat()) * 1.15;
	const lines = history
		.map((h, i) => {
			const pts = h
				.map((v, x) => `${(40 + (x / Math.max(1, total - 1)) * (W - 60)).toFixed(1)},${(H - 30 - (v / max) * (H - 60)).toFixed(1)}`)
				.join(' ');
			return `<polyline fill="none" stroke="${colors[i % colors.length]}" stroke-width="2" points="${pts}"/>`;
		})
		.join('');
	return (
		`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
		`<rect width="${W}" height="${H}" fill="#ffffff"/>` +
		`<text x="40" y="20" font-family="sans-serif" font-size="13" fill="#334155">点击率 CTR · 模拟 Simulated · ${step}/${total}</text>` +
		`<line x1="40" y1="${H - 30}" x2="${W - 20}" y2="${H - 30}" stroke="#cbd5e1"/>` +
		`<line x1="40" y1="30" x2="40" y2="${H - 30}" stroke="#cbd5e1"/>` +
		lines +
		`</svg>`
	);
}

// ---------------------------------------------------------------------------

let current: Backend | null = null;

export function inTauri(): boolean {
	return typeof window !== 'undefined' && '__TAURI_INTERNALS__' in window;
}

/** The backend of this window, chosen once: Tauri inside the app, the mock elsewhere. */
export function getBackend(): Backend {
	if (!current) current = inTauri() ? new TauriBackend() : new MockBackend();
	return current;
}

/** For tests. */
export function setBackend(b: Backend | null): void {
	current = b;
}
