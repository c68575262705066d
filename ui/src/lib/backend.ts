// The one door to the Rust core. Screens only talk to a `Backend`:
// `TauriBackend` inside the desktop app, `MockBackend` in tests and in a plain browser.
import { Channel, invoke } from '@tauri-apps/api/core';
import { formatMapping, parseMapping, REQUIRED_FIELDS } from '$lib/mapping';
import type {
	ApiError,
	ArmStat,
	CampaignRow,
	ErrorCode,
	EventCount,
	ExportSummary,
	FilePreview,
	ImportRecord,
	ImportSummary,
	NoteCount,
	ProductRow,
	Progress,
	ProjectOverview,
	RejectedLine,
	RowError,
	SegmentRow,
	SimFrame,
	TrainReport,
	VariantRow
} from '$lib/bindings';

export type ProgressFn = (p: Progress) => void;
export type FrameFn = (f: SimFrame) => void;

/** Format names `import_file` accepts as an override (`generic` needs a mapping instead). */
export const IMPORT_FORMATS = ['rees46', 'taobao', 'retailrocket', 'online_retail', 'catalog'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportArgs {
	path: string;
	jobId: string;
	/** Force a format by name; null/omitted = auto-detect. */
	format?: string | null;
	/** `user=COL,item=COL,time=COL[,…]` for a file in no known format; null/omitted = none. */
	mapping?: string | null;
	/** Replace user ids by keyed pseudonyms; null/omitted = on. */
	pseudonymise?: boolean | null;
}

export interface RejectedPageArgs {
	importId: number;
	offset: number;
	limit: number;
}

export interface Backend {
	readonly kind: 'tauri' | 'mock';
	projectOverview(): Promise<ProjectOverview>;
	listProducts(args: { limit: number; offset: number; search: string | null }): Promise<ProductRow[]>;
	/** Format, encoding, columns and first rows of a file, before importing it. */
	previewImport(path: string): Promise<FilePreview>;
	importFile(args: ImportArgs, onProgress: ProgressFn): Promise<ImportSummary>;
	/** A page of an import's rejected lines, by line number. */
	rejectedLines(args: RejectedPageArgs): Promise<RejectedLine[]>;
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
	previewImport(path: string) {
		return this.call<FilePreview>('preview_import', { path });
	}
	importFile(args: ImportArgs, onProgress: ProgressFn) {
		return this.call<ImportSummary>('import_file', {
			path: args.path,
			jobId: args.jobId,
			format: args.format ?? null,
			mapping: args.mapping ?? null,
			pseudonymise: args.pseudonymise ?? null,
			onProgress: this.channel(onProgress)
		});
	}
	rejectedLines(args: RejectedPageArgs) {
		return this.call<RejectedLine[]>('rejected_lines', { importId: args.importId, offset: args.offset, limit: args.limit });
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

type MockKind = ImportFormat | 'generic';

function fileName(path: string): string {
	return path.split(/[\\/]/).pop() ?? path;
}

/** Which kind of file a mock path stands for, by its name. */
function mockKind(path: string): MockKind {
	const f = fileName(path);
	if (/generic|custom|shop[-_ ]?export|mapping/i.test(f)) return 'generic';
	if (/taobao|userbehavio/i.test(f)) return 'taobao';
	if (/retailrocket/i.test(f)) return 'retailrocket';
	if (/online[-_ ]?retail/i.test(f)) return 'online_retail';
	if (/catalog|products/i.test(f)) return 'catalog';
	return 'rees46';
}

function mockEncoding(path: string): string {
	return (/gbk|gb18030/i.test(path) ? 'gb18030' : 'UTF-8') + (/\.gz$/i.test(path) ? '+gzip' : '');
}

const MOCK_FILES: Record<MockKind, { columns: string[]; rows: string[][]; pii: string[]; bytes: number }> = {
	rees46: {
		columns: ['event_time', 'event_type', 'product_id', 'category_id', 'category_code', 'brand', 'price', 'user_id', 'user_session'],
		rows: [
			['2019-10-01 00:00:00 UTC', 'view', '44600062', '2103807459595387724', '', 'shiseido', '35.79', '541312140', '72d76fde-8bb3-4e00-8c23-a032dfed738c'],
			['2019-10-01 00:00:00 UTC', 'view', '3900821', '2053013552326770905', 'appliances.environment.water_heater', 'aqua', '33.20', '554748717', '9333dfbd-b87a-4708-9857-6336556b0fcc'],
			['2019-10-01 00:00:01 UTC', 'view', '17200506', '2053013559792632471', 'furniture.living_room.sofa', '', '543.10', '519107250', '566511c2-e2e3-422b-b695-cf8e6e792ca8'],
			['2019-10-01 00:00:01 UTC', 'view', '1307067', '2053013558920217191', 'computers.notebook', 'lenovo', '251.74', '550050854', '7c90fc70-0e80-4590-96f3-13c02c18c713'],
			['2019-10-01 00:00:04 UTC', 'view', '1004237', '2053013555631882655', 'electronics.smartphone', 'apple', '1081.98', '535871217', 'c6bd7419-2748-4c56-95b4-8cec9ff8b80d'],
			['2019-10-01 00:00:05 UTC', 'view', '1480613', '2053013561092866779', 'computers.desktop', 'pulser', '908.62', '512742880', '0d0d91c2-c9c2-4e81-90a5-86594dec0db9'],
			['2019-10-01 00:00:08 UTC', 'view', '17300353', '2053013553853497655', '', 'creed', '380.96', '555447699', '4fe811e9-91de-46da-90c3-bbd87ed3a65d'],
			['2019-10-01 00:00:08 UTC', 'cart', '31500053', '2053013558031024687', '', 'luminarc', '41.16', '550978835', '6280d577-25c8-4147-99a7-abc6048498d6'],
			['2019-10-01 00:00:10 UTC', 'view', '28719074', '2053013565480109009', 'apparel.shoes.keds', 'baden', '102.71', '520571932', 'ac1cd4e5-a3ce-4224-a2d7-ff660a105880'],
			['2019-10-01 00:00:11 UTC', 'purchase', '1004545', '2053013555631882655', 'electronics.smartphone', 'huawei', '566.01', '537918940', '406c46ed-90a4-4787-a43b-59a410c1a5fb']
		],
		pii: [],
		bytes: 48_213_504
	},
	generic: {
		columns: ['ts', 'uid', 'email', 'sku', 'action', 'amount'],
		rows: [
			['2025-02-01 08:03:11', 'u10234', 'li.na@example.com', 'SKU-2231', 'view', ''],
			['2025-02-01 08:03:40', 'u10234', 'li.na@example.com', 'SKU-2231', 'add_to_cart', '129.00'],
			['2025-02-01 08:05:02', 'u20871', 'wang.wei@example.cn', 'SKU-0418', 'view', ''],
			['2025-02-01 08:06:15', 'u10234', 'li.na@example.com', 'SKU-2231', 'purchase', '129.00'],
			['2025-02-01 08:09:47', 'u30552', 'chen.jie@example.com', 'SKU-7720', 'view', ''],
			['2025-02-01 08:10:03', 'u30552', 'chen.jie@example.com', 'SKU-7720', 'like', ''],
			['2025-02-01 08:12:29', 'u41196', 'zhao.min@example.cn', 'SKU-0418', 'view', ''],
			['2025-02-01 08:14:51', 'u41196', 'zhao.min@example.cn', 'SKU-3305', 'add_to_cart', '59.90'],
			['2025-02-01 08:15:30', 'u20871', 'wang.wei@example.cn', 'SKU-0418', 'purchase', '88.00'],
			['2025-02-01 08:17:08', 'u55003', 'sun.yue@example.com', 'SKU-9001', 'view', '']
		],
		pii: ['email'],
		bytes: 3_404_800
	},
	taobao: {
		columns: ['column 1', 'column 2', 'column 3', 'column 4', 'column 5'],
		rows: [
			['1', '2268318', '2520377', 'pv', '1511544070'],
			['1', '2333346', '2520771', 'pv', '1511561733'],
			['1', '2576651', '149192', 'pv', '1511572885'],
			['1', '3830808', '4181361', 'pv', '1511593493'],
			['1', '4365585', '2520377', 'pv', '1511596146'],
			['1', '4606018', '2735466', 'pv', '1511616481'],
			['1', '230380', '411153', 'pv', '1511644942'],
			['1', '3827899', '2920476', 'pv', '1511713473'],
			['1', '3745169', '2891509', 'pv', '1511725471'],
			['1', '1531036', '2920476', 'fav', '1511733732']
		],
		pii: [],
		bytes: 91_750_400
	},
	retailrocket: {
		columns: ['timestamp', 'visitorid', 'event', 'itemid', 'transactionid'],
		rows: [
			['1433221332117', '257597', 'view', '355908', ''],
			['1433224214164', '992329', 'view', '248676', ''],
			['1433221999827', '111016', 'view', '318965', ''],
			['1433221955914', '483717', 'view', '253185', ''],
			['1433221337106', '951259', 'view', '367447', ''],
			['1433224086234', '972639', 'view', '22556', ''],
			['1433221923240', '810725', 'view', '443030', ''],
			['1433223291897', '794181', 'view', '439202', ''],
			['1433220899221', '824915', 'addtocart', '428805', ''],
			['1433221204592', '339335', 'transaction', '82389', '4000']
		],
		pii: [],
		bytes: 23_068_672
	},
	online_retail: {
		columns: ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'],
		rows: [
			['536365', '85123A', 'WHITE HANGING HEART T-LIGHT HOLDER', '6', '12/1/2010 8:26', '2.55', '17850', 'United Kingdom'],
			['536365', '71053', 'WHITE METAL LANTERN', '6', '12/1/2010 8:26', '3.39', '17850', 'United Kingdom'],
			['536365', '84406B', 'CREAM CUPID HEARTS COAT HANGER', '8', '12/1/2010 8:26', '2.75', '17850', 'United Kingdom'],
			['536366', '22633', 'HAND WARMER UNION JACK', '6', '12/1/2010 8:28', '1.85', '17850', 'United Kingdom'],
			['536367', '84879', 'ASSORTED COLOUR BIRD ORNAMENT', '32', '12/1/2010 8:34', '1.69', '13047', 'United Kingdom'],
			['536367', '22745', "POPPY'S PLAYHOUSE BEDROOM", '6', '12/1/2010 8:34', '2.10', '13047', 'United Kingdom'],
			['536368', '22960', 'JAM MAKING SET WITH JARS', '6', '12/1/2010 8:34', '4.25', '13047', 'United Kingdom'],
			['536369', '21756', 'BATH BUILDING BLOCK WORD', '3', '12/1/2010 8:35', '5.95', '13047', 'United Kingdom'],
			['C536379', 'D', 'Discount', '-1', '12/1/2010 9:41', '27.50', '14527', 'United Kingdom'],
			['536414', '22139', '', '56', '12/1/2010 11:52', '0.00', '', 'United Kingdom']
		],
		pii: [],
		bytes: 45_580_288
	},
	catalog: {
		columns: ['id', 'title', 'category', 'brand', 'price', 'image'],
		rows: [
			['P0001', 'Hydrating Serum', 'beauty/美妆', 'Lumière', '129.00', 'https://img.example.com/p0001.png'],
			['P0002', 'Matte Lipstick', 'beauty/美妆', 'Lumière', '89.00', 'https://img.example.com/p0002.png'],
			['P0003', 'Down Jacket', 'apparel/服饰', 'UrbanWeave', '599.00', 'https://img.example.com/p0003.png'],
			['P0004', 'Wireless Earbuds', 'electronics/数码', 'Voltix', '299.00', 'https://img.example.com/p0004.png'],
			['P0005', 'Memory Foam Pillow', 'home/家居', 'Nestly', '159.00', 'https://img.example.com/p0005.png']
		],
		pii: [],
		bytes: 12_288
	}
};

const NOTE_CANCEL = "cancellations (C… invoices, negative quantity) → 'other' events with raw cancel qty";
const NOTE_NO_CUSTOMER = 'no customer (NA) → catalog row only, no event';

const MOCK_RESULTS: Record<MockKind, { read: number; duplicate: number; rejected: number; events: number; notes: NoteCount[]; rejectedLines?: RejectedLine[] }> = {
	rees46: {
		read: 1200,
		duplicate: 2,
		rejected: 3,
		events: 1195,
		notes: [],
		rejectedLines: [
			{ line: 17, column: 'price', reason: '"12,5O" is not a non-negative decimal number', raw: '2019-10-01 00:00:31 UTC,view,1004767,2053013555631882655,electronics.smartphone,samsung,"12,5O",***,4fe811e9-91de-46da-90c3-bbd87ed3a65d' },
			{ line: 242, column: 'event_type', reason: 'unknown value "clickk"', raw: '2019-10-01 00:04:02 UTC,clickk,1801995,2053013554415534427,electronics.video.tv,haier,193.03,***,e7f6b2a5-1c0e-4b7a-9d7d-2a6c9b1d9f3e' },
			{ line: 1033, column: 'user_id', reason: 'empty', raw: '2019-10-01 00:31:47 UTC,view,5100816,2053013553375346967,,xiaomi,29.95,,7a5a6c2c-3e0e-4c1c-8f0a-6a5d3cdbb1b9' }
		]
	},
	generic: { read: 5000, duplicate: 0, rejected: 120, events: 4880, notes: [] },
	taobao: { read: 3000, duplicate: 0, rejected: 1, events: 2999, notes: [] },
	retailrocket: { read: 3000, duplicate: 4, rejected: 1, events: 2995, notes: [] },
	online_retail: {
		read: 2400,
		duplicate: 0,
		rejected: 4,
		events: 2310,
		notes: [
			{ note: NOTE_CANCEL, count: 58 },
			{ note: NOTE_NO_CUSTOMER, count: 86 }
		]
	},
	catalog: { read: 61, duplicate: 0, rejected: 0, events: 0, notes: [] }
};

/** `n` deterministic rejected lines of a file of `kind`. */
function mockRejected(kind: MockKind, n: number, seed: number): RejectedLine[] {
	const rnd = prng(seed);
	const out: RejectedLine[] = [];
	let line = 1;
	for (let i = 0; i < n; i++) {
		line += 2 + Math.floor(rnd() * 60);
		const k = i % 5;
		if (kind === 'generic') {
			const sku = `SKU-${String(1000 + Math.floor(rnd() * 9000))}`;
			const uid = `u${10000 + Math.floor(rnd() * 90000)}`;
			const cases: Array<[string, string, string]> = [
				['amount', '"12,5O" is not a non-negative decimal number', `2025-02-0${1 + (i % 9)} 09:${String(i % 60).padStart(2, '0')}:00,${uid},***@***,${sku},purchase,"12,5O"`],
				['ts', 'cannot read a time from "2025-02-30 25:61"', `2025-02-30 25:61,${uid},***@***,${sku},view,`],
				['uid', 'empty', `2025-02-0${1 + (i % 9)} 10:15:00,,***@***,${sku},view,`],
				['sku', 'empty', `2025-02-0${1 + (i % 9)} 11:20:00,${uid},***@***,,add_to_cart,59.90`],
				['*', 'expected 6 fields, found 4', `2025-02-0${1 + (i % 9)} 12:00:00,${uid},***@***,${sku}`]
			];
			const [column, reason, raw] = cases[k];
			out.push({ line, column, reason, raw });
		} else {
			const cases: Array<[string, string, string]> = [
				['price', '"n/a" is not a non-negative decimal number', `2019-10-02 0${i % 10}:00:00 UTC,view,1004237,2053013555631882655,electronics.smartphone,apple,n/a,***,c6bd7419-2748-4c56-95b4-8cec9ff8b80d`],
				['event_time', 'cannot read a time from "2019-10-32 00:00:00 UTC"', '2019-10-32 00:00:00 UTC,view,1307067,2053013558920217191,computers.notebook,lenovo,251.74,***,7c90fc70-0e80-4590-96f3-13c02c18c713'],
				['user_id', 'empty', '2019-10-02 03:12:44 UTC,cart,31500053,2053013558031024687,,luminarc,41.16,,6280d577-25c8-4147-99a7-abc6048498d6'],
				['product_id', 'empty', '2019-10-02 04:40:09 UTC,view,,2053013565480109009,apparel.shoes.keds,baden,102.71,***,ac1cd4e5-a3ce-4224-a2d7-ff660a105880'],
				['*', 'expected 9 fields, found 5', '2019-10-02 05:01:17 UTC,view,1004545,2053013555631882655,electr']
			];
			const [column, reason, raw] = cases[k];
			out.push({ line, column, reason, raw });
		}
	}
	return out;
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
		{ id: 1, file_name: 'products.csv', format: 'catalog', rows_imported: 61, rows_rejected: 0, imported_at: '2025-03-01T09:12:00Z' },
		{ id: 2, file_name: 'events-2025-02.csv.gz', format: 'rees46', rows_imported: 59509, rows_rejected: 12, imported_at: '2025-03-01T09:14:31Z' },
		{ id: 3, file_name: 'shop-export-2025-02.csv', format: 'generic', rows_imported: 4880, rows_rejected: 120, imported_at: '2025-03-01T09:20:05Z' }
	];
	/** Rejected lines per import id (what `rejected_lines` pages through). */
	private rejected = new Map<number, RejectedLine[]>([
		[1, []],
		[2, mockRejected('rees46', 12, 5)],
		[3, mockRejected('generic', 120, 3)]
	]);
	/** Summaries of the files imported in this session, by path (for `already_imported`). */
	private imported = new Map<string, ImportSummary>();
	/** Mappings remembered per header (the core keys them by a hash of line 1). */
	private mappings = new Map<string, string>();
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

	/**
	 * Emits progress events, 4 steps per stage; throws `cancelled` if cancel_job was called.
	 * With `bytes`, emits an import's events instead: `parse` with bytes done/total and
	 * "N rows" (of `rows`), then `done`.
	 */
	private async progress(jobId: string, stages: Array<[string, number]>, onProgress: ProgressFn, bytes?: number, rows = 0) {
		this.running.add(jobId);
		try {
			if (bytes !== undefined) {
				const steps = 4;
				for (let i = 0; i <= steps; i++) {
					if (this.cancelled.has(jobId)) {
						throw { code: 'cancelled', message: 'job cancelled by user' } satisfies ApiError;
					}
					const done = Math.round((bytes * i) / steps);
					onProgress({ job: jobId, stage: 'parse', done, total: bytes, message: `${Math.round((rows * i) / steps)} rows` });
					if (i < steps) await this.sleep();
				}
				onProgress({ job: jobId, stage: 'done', done: bytes, total: bytes, message: `${rows} rows` });
			}
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

	/** The same path checks as the core's: empty, unsupported extension, missing file. */
	private checkPath(raw: string): string {
		const path = raw.trim();
		if (!path) throw { code: 'invalid_input', message: 'path is empty' } satisfies ApiError;
		if (!/\.(csv|tsv|jsonl|txt|gz)$/i.test(path)) {
			throw { code: 'invalid_input', message: `unsupported file type: ${path}` } satisfies ApiError;
		}
		if (/missing|nonexistent|no-such-file/i.test(path)) {
			throw { code: 'not_found', message: `no such file: ${path}` } satisfies ApiError;
		}
		return path;
	}

	async previewImport(path: string): Promise<FilePreview> {
		await this.sleep(5);
		this.fail('preview_import');
		const p = this.checkPath(path);
		const kind = mockKind(p);
		const sample = MOCK_FILES[kind];
		return clone({
			file: fileName(p),
			format: kind === 'generic' ? null : kind,
			encoding: mockEncoding(p),
			layout: /\.tsv/i.test(p) ? 'tsv' : /\.jsonl/i.test(p) ? 'jsonl' : /semicolon/i.test(p) ? 'semicolon' : 'csv',
			columns: sample.columns,
			rows: sample.rows,
			pii_columns: sample.pii,
			remembered_mapping: kind === 'generic' ? (this.mappings.get(sample.columns.join(',')) ?? null) : null
		});
	}

	async importFile(args: ImportArgs, onProgress: ProgressFn): Promise<ImportSummary> {
		this.fail('import_file');
		const path = this.checkPath(args.path);
		const file = fileName(path);
		const kind = mockKind(path);
		const sample = MOCK_FILES[kind];
		const signature = sample.columns.join(',');
		let format: string;
		if (args.mapping) {
			const m = parseMapping(args.mapping, sample.columns);
			const unknown = args.mapping
				.split(',')
				.map((part) => part.split('=')[1]?.trim() ?? '')
				.find((col) => col && !sample.columns.some((c) => c.toLowerCase() === col.toLowerCase()) && !/^\d+$/.test(col));
			if (unknown !== undefined) {
				throw { code: 'invalid_input', message: `${path}: bad column mapping: no column "${unknown}" in the header (${sample.columns.join(', ')})` } satisfies ApiError;
			}
			const missing = REQUIRED_FIELDS.find((f) => !m[f]);
			if (missing) throw { code: 'invalid_input', message: `${path}: bad column mapping: mapping needs ${missing}=COLUMN` } satisfies ApiError;
			format = 'generic';
		} else if (args.format) {
			if (!(IMPORT_FORMATS as readonly string[]).includes(args.format)) {
				throw { code: 'invalid_input', message: `${path}: unknown format name "${args.format}" (use rees46, taobao, retailrocket, online_retail, catalog or generic)` } satisfies ApiError;
			}
			format = args.format;
		} else if (kind !== 'generic') {
			format = kind;
		} else if (this.mappings.has(signature)) {
			format = 'generic';
		} else {
			throw { code: 'invalid_input', message: `${path}: unknown format; line 1 is "${signature}". Known: REES46, Taobao UserBehavior, RetailRocket events, UCI Online Retail, catalog (id,title,price,…); for other files give a column mapping, e.g. --map user=COL,item=COL,time=COL,event=COL` } satisfies ApiError;
		}

		const bytes = sample.bytes;
		const earlier = this.imported.get(path);
		if (earlier) {
			await this.progress(args.jobId, [], onProgress, bytes, 0);
			return clone({ ...earlier, rows_imported: 0, rows_duplicate: earlier.rows_read, rows_rejected: 0, events_imported: 0, already_imported: true, notes: [], errors: [] });
		}
		const plan = MOCK_RESULTS[format as MockKind] ?? MOCK_RESULTS.rees46;
		await this.progress(args.jobId, [], onProgress, bytes, plan.read);
		const id = this.imports.length + 1;
		const lines = plan.rejectedLines ?? mockRejected(format as MockKind, plan.rejected, id);
		this.rejected.set(id, lines);
		if (args.mapping) this.mappings.set(signature, formatMapping(parseMapping(args.mapping, sample.columns)));
		const summary: ImportSummary = {
			import_id: id,
			file,
			format,
			encoding: mockEncoding(path),
			rows_read: plan.read,
			rows_imported: plan.read - plan.duplicate - lines.length,
			rows_duplicate: plan.duplicate,
			rows_rejected: lines.length,
			events_imported: plan.events,
			already_imported: false,
			pseudonymised: args.pseudonymise ?? true,
			notes: clone(plan.notes),
			errors: lines.slice(0, 200).map(({ line, column, reason }): RowError => ({ line, column, reason }))
		};
		this.imported.set(path, summary);
		this.events[0].count += 900;
		this.events[1].count += 200;
		this.events[3].count += 93;
		this.imports.push({
			id,
			file_name: file,
			format,
			rows_imported: summary.rows_imported,
			rows_rejected: summary.rows_rejected,
			imported_at: new Date(Date.UTC(2025, 2, 2, 10, this.imports.length)).toISOString()
		});
		return clone(summary);
	}

	async rejectedLines(args: RejectedPageArgs): Promise<RejectedLine[]> {
		await this.sleep(5);
		this.fail('rejected_lines');
		if (args.offset < 0 || args.limit < 0) {
			throw { code: 'invalid_input', message: 'offset/limit must be >= 0' } satisfies ApiError;
		}
		const all = this.rejected.get(args.importId) ?? [];
		return clone(all.slice(args.offset, args.offset + Math.min(args.limit, 1000)));
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
