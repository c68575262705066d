// What the mock pretends the files it is asked to preview or import contain: the kind of
// file a path stands for (by its name), the header and first rows of each kind, and what
// importing it yields (counts, notes, rejected lines).
import type { ApiError, FilePreview, NoteCount, RejectedLine } from '$lib/bindings';
import { parseMapping, REQUIRED_FIELDS } from '$lib/mapping';
import { IMPORT_FORMATS, type ImportFormat } from './api';
import { prng } from './mock-data';

export type MockKind = ImportFormat | 'generic';

export function fileName(path: string): string {
	return path.split(/[\\/]/).pop() ?? path;
}

/** Which kind of file a mock path stands for, by its name. */
export function mockKind(path: string): MockKind {
	const f = fileName(path);
	if (/generic|custom|shop[-_ ]?export|mapping/i.test(f)) return 'generic';
	if (/taobao|userbehavio/i.test(f)) return 'taobao';
	if (/retailrocket/i.test(f)) return 'retailrocket';
	if (/online[-_ ]?retail/i.test(f)) return 'online_retail';
	if (/catalog|products/i.test(f)) return 'catalog';
	return 'rees46';
}

export function mockEncoding(path: string): string {
	return (/gbk|gb18030/i.test(path) ? 'gb18030' : 'UTF-8') + (/\.gz$/i.test(path) ? '+gzip' : '');
}

export const MOCK_FILES: Record<MockKind, { columns: string[]; rows: string[][]; pii: string[]; bytes: number }> = {
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

export const MOCK_RESULTS: Record<MockKind, { read: number; duplicate: number; rejected: number; events: number; notes: NoteCount[]; rejectedLines?: RejectedLine[] }> = {
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
export function mockRejected(kind: MockKind, n: number, seed: number): RejectedLine[] {
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

/** The same path checks as the core's: empty, unsupported extension, missing file. */
export function checkMockPath(raw: string): string {
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

/** What `preview_import` shows of the file at (checked) path `p`; `remembered`: mappings by header. */
export function mockPreview(p: string, remembered: Map<string, string>): FilePreview {
	const kind = mockKind(p);
	const sample = MOCK_FILES[kind];
	return {
		file: fileName(p),
		format: kind === 'generic' ? null : kind,
		encoding: mockEncoding(p),
		layout: /\.tsv/i.test(p) ? 'tsv' : /\.jsonl/i.test(p) ? 'jsonl' : /semicolon/i.test(p) ? 'semicolon' : 'csv',
		columns: sample.columns,
		rows: sample.rows,
		pii_columns: sample.pii,
		remembered_mapping: kind === 'generic' ? (remembered.get(sample.columns.join(',')) ?? null) : null
	};
}

/**
 * The format an import of a `kind` file at `path` runs with, or the core's error: a column
 * mapping makes it `generic` (if it names known columns and every required field), a forced
 * format must be a known one, and an unknown file needs a mapping unless one is `remembered`.
 */
export function resolveImportFormat(
	path: string,
	args: { format?: string | null; mapping?: string | null },
	kind: MockKind,
	remembered: boolean
): string {
	const sample = MOCK_FILES[kind];
	const signature = sample.columns.join(',');
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
		return 'generic';
	}
	if (args.format) {
		if (!(IMPORT_FORMATS as readonly string[]).includes(args.format)) {
			throw { code: 'invalid_input', message: `${path}: unknown format name "${args.format}" (use rees46, taobao, retailrocket, online_retail, catalog or generic)` } satisfies ApiError;
		}
		return args.format;
	}
	if (kind !== 'generic') return kind;
	if (remembered) return 'generic';
	throw { code: 'invalid_input', message: `${path}: unknown format; line 1 is "${signature}". Known: REES46, Taobao UserBehavior, RetailRocket events, UCI Online Retail, catalog (id,title,price,…); for other files give a column mapping, e.g. --map user=COL,item=COL,time=COL,event=COL` } satisfies ApiError;
}
