// Column mapping for files in no known format: the `user=COL,item=COL,time=COL[,event=COL]…`
// text that `import_file` takes (and `preview_import` returns as `remembered_mapping`),
// plus a best guess from the column names. Pure: no Svelte, no backend.

export const MAPPING_FIELDS = ['user', 'item', 'time', 'event', 'price', 'session', 'category', 'brand'] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];
export const REQUIRED_FIELDS: readonly MappingField[] = ['user', 'item', 'time'];

/** Field → column name; a missing or empty entry means "not mapped". */
export type ColumnMapping = Partial<Record<MappingField, string>>;

/** Keys the core also accepts, mapped to the field they stand for. */
const KEY_ALIASES: Record<string, MappingField> = { product: 'item' };

function fieldOf(key: string): MappingField | null {
	const k = key.trim().toLowerCase();
	if ((MAPPING_FIELDS as readonly string[]).includes(k)) return k as MappingField;
	return KEY_ALIASES[k] ?? null;
}

/**
 * Reads `key=COL,…` text. With `columns`, each COL is matched to a column name
 * case-insensitively (or as a 1-based number, as the core allows) and entries naming no
 * column are dropped; without, COL is kept as written. Unknown keys are ignored.
 */
export function parseMapping(text: string | null | undefined, columns?: readonly string[]): ColumnMapping {
	const out: ColumnMapping = {};
	if (!text) return out;
	for (const part of text.split(',')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		const field = fieldOf(part.slice(0, eq));
		const col = part.slice(eq + 1).trim();
		if (!field || !col) continue;
		if (!columns) {
			out[field] = col;
			continue;
		}
		const byName = columns.find((c) => c.trim().toLowerCase() === col.toLowerCase());
		if (byName !== undefined) {
			out[field] = byName;
			continue;
		}
		if (/^\d+$/.test(col)) {
			const n = Number(col);
			if (n >= 1 && n <= columns.length) out[field] = columns[n - 1];
		}
	}
	return out;
}

/** The mapping as `key=COL` text, fields in canonical order, unmapped fields left out. */
export function formatMapping(m: ColumnMapping): string {
	return MAPPING_FIELDS.filter((f) => m[f]).map((f) => `${f}=${m[f]}`).join(',');
}

/** True when user, item and time are all mapped. */
export function isComplete(m: ColumnMapping): boolean {
	return REQUIRED_FIELDS.every((f) => !!m[f]);
}

/** Fields mapped to a column that another field also uses. */
export function duplicateFields(m: ColumnMapping): MappingField[] {
	const seen = new Map<string, number>();
	for (const f of MAPPING_FIELDS) if (m[f]) seen.set(m[f]!, (seen.get(m[f]!) ?? 0) + 1);
	return MAPPING_FIELDS.filter((f) => m[f] && (seen.get(m[f]!) ?? 0) > 1);
}

// Name synonyms per field, lower case. A whole-name match beats a word match
// (`user_id` → user), which beats a substring match (only for synonyms of 4+ letters, or
// Chinese ones: `下单时间` → time).
const SYNONYMS: Record<MappingField, string[]> = {
	user: ['uid', 'user', 'userid', 'visitor', 'visitorid', 'customer', 'customerid', 'member', 'memberid', 'buyer', 'buyerid', 'client', 'clientid', '用户', '用户id', '会员', '顾客', '客户'],
	item: ['item', 'itemid', 'sku', 'skuid', 'product', 'productid', 'goods', 'goodsid', 'pid', 'stockcode', 'article', '商品', '商品id', '货号'],
	time: ['ts', 'time', 'timestamp', 'date', 'datetime', 'eventtime', 'createdat', 'occurredat', '时间', '日期'],
	event: ['event', 'eventtype', 'action', 'behavior', 'behaviour', 'type', 'activity', '行为', '事件', '动作'],
	price: ['price', 'amount', 'unitprice', 'cost', 'value', 'revenue', '价格', '金额', '单价'],
	session: ['session', 'sessionid', 'usersession', 'visit', 'visitid', '会话'],
	category: ['category', 'categoryid', 'categorycode', 'cat', 'catid', '类目', '品类', '分类'],
	brand: ['brand', 'brandname', 'maker', '品牌']
};

/** Words of a column name: `visitorId` / `user_id` / `Event Time` → ['visitor','id'] … */
function words(name: string): string[] {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);
}

function score(field: MappingField, column: string): number {
	const w = words(column);
	const whole = w.join('');
	if (!whole) return 0;
	const syn = SYNONYMS[field];
	if (syn.includes(whole)) return 3;
	if (w.some((x) => syn.includes(x))) return 2;
	if (syn.some((s) => (s.length >= 4 || /[^\x00-\x7f]/.test(s)) && whole.includes(s))) return 1;
	return 0;
}

/**
 * A best-guess mapping from column names. Each column is used at most once; the strongest
 * matches are taken first, ties go to the earlier field (user, item, time, …) and then to
 * the earlier column. Columns in `exclude` (e.g. contact data) are never proposed.
 */
export function guessMapping(columns: readonly string[], exclude: readonly string[] = []): ColumnMapping {
	const pairs: Array<{ field: MappingField; col: number; s: number }> = [];
	MAPPING_FIELDS.forEach((field) => {
		columns.forEach((c, col) => {
			if (exclude.includes(c)) return;
			const s = score(field, c);
			if (s > 0) pairs.push({ field, col, s });
		});
	});
	pairs.sort(
		(a, b) => b.s - a.s || MAPPING_FIELDS.indexOf(a.field) - MAPPING_FIELDS.indexOf(b.field) || a.col - b.col
	);
	const out: ColumnMapping = {};
	const used = new Set<number>();
	for (const p of pairs) {
		if (out[p.field] !== undefined || used.has(p.col)) continue;
		out[p.field] = columns[p.col];
		used.add(p.col);
	}
	return out;
}

/**
 * The mapping the mapping step starts from: the remembered one when it still maps the
 * required fields onto this file's columns, else a guess from the names.
 */
export function initialMapping(
	columns: readonly string[],
	remembered: string | null | undefined,
	exclude: readonly string[] = []
): { mapping: ColumnMapping; source: 'remembered' | 'guessed' } {
	const r = parseMapping(remembered, columns);
	if (remembered && isComplete(r)) return { mapping: r, source: 'remembered' };
	return { mapping: guessMapping(columns, exclude), source: 'guessed' };
}
