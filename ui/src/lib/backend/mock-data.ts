// Seed data and pure helpers of the mock backend: products, segments, the starting event mix
// and import history, and the simulated CTR chart (campaigns live in mock-campaign.ts).
import type {
	ApiError,
	EventCount,
	ImportRecord,
	PredictionReport,
	ProductRow,
	SegmentInsights,
	SegmentRow,
	TrainReport
} from '$lib/bindings';
import type { Lang } from '$lib/i18n';

/** Knobs of the mock backend. */
export interface MockOptions {
	/** Delay between progress events / frames, ms. Tests use 1-5. */
	tickMs?: number;
	/** The profile signed in at start (default `demo-marketer`; null: nobody). */
	profile?: string | null;
	/** Reject a command with this error (by command name). */
	failures?: Partial<Record<string, ApiError>>;
}

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

export function clone<T>(v: T): T {
	return JSON.parse(JSON.stringify(v)) as T;
}

/** The demo catalogue: 60 products in 5 categories, plus one with hostile markup. */
export function makeProducts(): ProductRow[] {
	const products: ProductRow[] = [];
	const rnd = prng(7);
	let n = 1;
	for (const [cat, catZh, brand, items] of CATEGORIES) {
		for (let round = 0; round < 4; round++) {
			for (const [en, zh] of items) {
				const edition = round === 0 ? '' : ` ${['Lite', 'Pro', 'Max'][round - 1]}`;
				const editionZh = round === 0 ? '' : ` ${['轻享版', '专业版', '旗舰版'][round - 1]}`;
				products.push({
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
	products.splice(2, 0, {
		id: 'P0666',
		name_en: 'Mystery Box "<b>bold</b>"',
		name_zh: '神秘盲盒 <script>alert(2)</script>',
		category: 'misc/其他',
		brand: XSS_BRAND,
		price: 66.6,
		currency: 'USD'
	});
	return products;
}

/** The event mix of a fresh mock project (new objects: imports add to the counts). */
export function seedEvents(): EventCount[] {
	return [
		{ kind: 'view', count: 48210 },
		{ kind: 'cart', count: 6120 },
		{ kind: 'fav', count: 3305 },
		{ kind: 'purchase', count: 1874 }
	];
}

/** The import history of a fresh mock project (ids 1-3; their rejected lines are seeded too). */
export function seedImports(): ImportRecord[] {
	return [
		{ id: 1, file_name: 'products.csv', format: 'catalog', rows_imported: 61, rows_rejected: 0, imported_at: '2025-03-01T09:12:00Z' },
		{ id: 2, file_name: 'events-2025-02.csv.gz', format: 'rees46', rows_imported: 59509, rows_rejected: 12, imported_at: '2025-03-01T09:14:31Z' },
		{ id: 3, file_name: 'shop-export-2025-02.csv', format: 'generic', rows_imported: 4880, rows_rejected: 120, imported_at: '2025-03-01T09:20:05Z' }
	];
}

/** `k` segments of a k-means run over the mock's 4820 users; sizes and stats from `seed`. */
/** A held-out report shaped like the core's on the demo store. */
export const MOCK_PREDICTION: PredictionReport = {
	auc: 0.758,
	baseline_auc: 0.555,
	precision_at_3: 0.403,
	baseline_precision_at_3: 0.227,
	test_users: 1946,
	test_users_with_positive: 1187,
	categories: ['electronics', 'apparel', 'kids', 'appliances'],
	cut_train: 1_572_480_000,
	cut_test: 1_573_344_000
};

const MOCK_BRANDS = ['Voltix', 'Lumo', 'Qingfeng', 'Hearth'];
const PRICE_BANDS = ['premium', 'mid', 'budget'];
const RFM_TIERS = ['champions', 'loyal', 'new_or_occasional', 'at_risk', 'hibernating'];

/** A training report shaped like the core's: automatic k (`k` null) comes with a prediction. */
export function mockTrainReport(k: number | null, seed: number): TrainReport & { silhouette: [number, number][] } {
	const n = k ?? 5;
	const prediction = k === null ? MOCK_PREDICTION : null;
	const segments = makeSegments(n, seed);
	return {
		model_id: 1,
		k: n,
		users: 4820,
		seed,
		inertia: Math.round(10000 / n) / 10,
		silhouette: k === null ? [[3, 0.18], [4, 0.24], [5, 0.31], [6, 0.27]] : [],
		k_stability: k === null ? [[3, 0.99], [4, 0.97], [5, 0.96], [6, 0.93]] : [],
		k_reason: k === null ? 'k=5: best sampled silhouette 0.310 over k 3..=6' : `k=${n} as asked`,
		min_size: 50,
		merged: 0,
		segments,
		stability: { k: n, seeds: [seed, seed + 1, seed + 2, seed + 3, seed + 4], rows: 4820, ari: [1, 0.97, 0.95, 0.99, 0.96], mean_ari: 0.9675, min_ari: 0.95 },
		dominant_segment: dominantOf(segments),
		prediction,
		prediction_note: prediction ? null : 'not enough history to predict interests: 0.1 days of events, need at least 2'
	};
}

/** The core's dominant-segment warning: a segment holding more than half of the users. */
export function dominantOf(segments: SegmentRow[]): TrainReport['dominant_segment'] {
	const s = segments.find((x) => x.share > 0.5);
	return s ? { segment_id: s.id, share: s.share, message: `segment ${s.id} “${s.name_en}” holds ${Math.round(s.share * 100)}% of users; split it to see the groups inside` } : null;
}

/** Split segment `id` in two like the core (halves of at least 50 users; other segments unchanged). */
export function splitInPlace(segments: SegmentRow[], id: number, seed: number): TrainReport {
	const s = segments.find((x) => x.id === id);
	if (!s) throw { code: 'not_found', message: `no segment with id ${id}` } satisfies ApiError;
	if (s.size < 100) throw { code: 'invalid_input', message: `cannot split segment ${id}: it has ${s.size} users; two segments of at least 50 need 100` } satisfies ApiError;
	const users = segments.reduce((a, x) => a + x.size, 0);
	const first = Math.ceil(s.size / 2);
	const nextId = Math.max(...segments.map((x) => x.id)) + 1;
	const halves: SegmentRow[] = [
		{ ...s, id: nextId, size: first, share: first / users, name_en: `${s.name_en} (A)`, name_zh: `${s.name_zh}（甲）` },
		{ ...s, id: nextId + 1, size: s.size - first, share: (s.size - first) / users, name_en: `${s.name_en} (B)`, name_zh: `${s.name_zh}（乙）` }
	];
	const rest = segments.filter((x) => x.id !== id).map((x, i) => ({ ...x, id: nextId + 2 + i }));
	const all = [...halves, ...rest].sort((a, b) => b.size - a.size).map((x, i) => ({ ...x, label: i }));
	return {
		model_id: 2,
		k: all.length,
		users,
		seed,
		inertia: 0,
		silhouette: [],
		k_stability: [],
		k_reason: `segment ${id} (${s.size} users) split in two (${first} + ${s.size - first})`,
		min_size: 50,
		merged: 0,
		segments: all,
		stability: null,
		dominant_segment: dominantOf(all),
		prediction: null,
		prediction_note: null
	};
}

/** Rename segment `id` of `segments` in place with the core's rules; the updated row. */
export function renameInPlace(segments: SegmentRow[], id: number, nameEn: string, nameZh: string): SegmentRow {
	const [en, zh] = [nameEn.trim(), nameZh.trim()];
	const seg = segments.find((s) => s.id === id);
	if (!seg) throw { code: 'not_found', message: `no segment with id ${id}` } satisfies ApiError;
	if (!en || !zh) throw { code: 'invalid_input', message: `invalid segment name: the ${en ? 'Chinese' : 'English'} name is empty` } satisfies ApiError;
	if (segments.some((s) => s.id !== seg.id && (s.name_en.toLowerCase() === en.toLowerCase() || s.name_zh === zh))) {
		throw { code: 'invalid_input', message: `invalid segment name: another segment is already called "${en}" / "${zh}"` } satisfies ApiError;
	}
	seg.name_en = en;
	seg.name_zh = zh;
	return seg;
}

/** Segment charts shaped like the core's: silhouette markers per k, segment names in the legend. */
export function mockInsights(segments: SegmentRow[], silhouette: [number, number][], prediction: PredictionReport | null, lang: Lang): SegmentInsights {
	if (segments.length === 0) return { silhouette_svg: '', projection_svg: '', explained: 0, prediction: null };
	const label = lang === 'zh-CN' ? '轮廓系数' : 'Silhouette';
	const dots = silhouette.map(([k, s]) => `<circle cx="${k * 40}" cy="${200 - s * 400}" r="3"/>`).join('');
	const names = segments.map((s) => `<text>${lang === 'zh-CN' ? s.name_zh : s.name_en}</text>`).join('');
	return {
		silhouette_svg: silhouette.length ? `<svg xmlns="http://www.w3.org/2000/svg"><text>${label}</text>${dots}</svg>` : '',
		projection_svg: `<svg xmlns="http://www.w3.org/2000/svg">${names}</svg>`,
		explained: 0.42,
		prediction
	};
}

export function makeSegments(k: number, seed: number): SegmentRow[] {
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
			purchase_rate: Math.round((0.01 + rnd() * 0.12) * 10000) / 10000,
			cart_rate: Math.round((0.02 + rnd() * 0.2) * 10000) / 10000,
			buyer_share: Math.round((0.1 + rnd() * 0.5) * 1000) / 1000,
			rate_note: null,
			price_note: null,
			top_brands: MOCK_BRANDS.slice(i % 3, (i % 3) + 2),
			price_band: PRICE_BANDS[i % PRICE_BANDS.length],
			rfm_tier: RFM_TIERS[i % RFM_TIERS.length]
		};
	});
}

/** A simulated line chart: `title`, one line per series (values spread evenly over x). */
export function mockChartSvg(title: string, history: number[][]): string {
	const total = Math.max(2, ...history.map((h) => h.length));
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
		`<text x="40" y="20" font-family="sans-serif" font-size="13" fill="#334155">${title} · 模拟 Simulated</text>` +
		`<line x1="40" y1="${H - 30}" x2="${W - 20}" y2="${H - 30}" stroke="#cbd5e1"/>` +
		`<line x1="40" y1="30" x2="40" y2="${H - 30}" stroke="#cbd5e1"/>` +
		lines +
		`</svg>`
	);
}
