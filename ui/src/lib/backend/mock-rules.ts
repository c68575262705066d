// The mock's placements (the core's table, from the bindings) and a subset of the core's
// compliance rules (compliance.rs): absolute terms, exclamation marks,
// repeated punctuation, gimmicky capitals and decorative symbols, with the same spans and fixes.
import { IMAGE_PLACEMENTS, type CopyFields, type Field, type Finding, type LengthProblem, type Placement } from '$lib/bindings';
import { fieldLimit, FIELDS, placementLength } from '$lib/campaign';

/** The ad-image placements, as `list_placements` returns them: the core's table from the
 * generated bindings. */
export const MOCK_PLACEMENTS: Placement[] = IMAGE_PLACEMENTS.map((p) => ({ ...p, text: { ...p.text } }));

export function placementById(id: string): Placement | undefined {
	return MOCK_PLACEMENTS.find((p) => p.id === id);
}

/** Debug names of the core's `Field` (its error messages use `{:?}`). */
export const FIELD_DEBUG: Record<Field, string> = {
	headline: 'Headline',
	long_headline: 'LongHeadline',
	description: 'Description',
	primary_text: 'PrimaryText',
	cta: 'Cta'
};

/** Every text of `fields` longer than one of `placements` allows. */
export function mockLengths(placements: Placement[], fields: CopyFields): LengthProblem[] {
	const out: LengthProblem[] = [];
	for (const p of placements) {
		for (const field of FIELDS) {
			const limit = fieldLimit(p, field);
			const length = placementLength(p, fields[field]);
			if (limit !== null && length > limit) out.push({ placement: p.id, field, length, limit });
		}
	}
	return out;
}

const ABSOLUTE: Array<[string, string]> = [
	['国家级', '（删除，或注明可核实的认证名称）'],
	['世界级', '高水准'],
	['最高级', '高级'],
	['全网最低', '超值'],
	['史上最', '（删除）'],
	['唯一', '专属'],
	['顶级', '高品质'],
	['首选', '推荐'],
	['极品', '精品'],
	['绝对', '（删除）'],
	['NO.1', '（删除，或注明可核实的来源）']
];
const ZUI_ORDINARY = ['最近', '最新款', '最新上市', '最后', '最终', '最初', '最少', '最多', '最早'];
const DIYI_ORDINARY = '次步天件个单批季期时眼口站波';
const ACRONYMS = new Set(['USB', 'LED', 'OLED', 'HDMI', 'WIFI', 'NFC', 'GPS', 'CPU', 'GPU', 'RAM', 'SSD', 'HD', 'UHD', '4K', '8K', 'AI', 'VIP', 'SPF', 'UV', 'CBD', 'DIY', 'NBA', 'OK', 'XL']);
const isHan = (c: string) => /[\u3400-\u4dbf\u4e00-\u9fff]/.test(c);
const at = (chars: string[], i: number, word: string) => [...word].every((w, j) => chars[i + j] === w);

function finding(rule: string, field: Field, chars: string[], start: number, end: number, suggestion: string | null): Finding {
	return { rule, severity: 'error', field, start, end, text: chars.slice(start, end).join(''), suggestion };
}

function absolute(field: Field, chars: string[], out: Finding[]) {
	const upper = chars.map((c) => c.toUpperCase());
	let i = 0;
	while (i < chars.length) {
		const hit = ABSOLUTE.find(([t]) => at(/^[\x00-\x7f]+$/.test(t) ? upper : chars, i, t));
		if (hit) {
			const n = [...hit[0]].length;
			out.push(finding('cn-ad-law-9-absolute', field, chars, i, i + n, hit[1]));
			i += n;
		} else if (chars[i] === '最' && !ZUI_ORDINARY.some((w) => at(chars, i, w))) {
			let end = i + 1;
			while (end < Math.min(chars.length, i + 4) && isHan(chars[end])) end++;
			const claim = chars.slice(i, end).join('');
			const fix = /^最(佳|好|优)/.test(claim) ? '优质' : /^最(低|便宜)/.test(claim) ? '实惠' : claim.startsWith('最新') ? '新' : '（删除最高级用语）';
			out.push(finding('cn-ad-law-9-absolute', field, chars, i, Math.min(chars.length, Math.max(end, i + 2)), fix));
			i = Math.max(end, i + 1);
		} else if (chars[i] === '最') {
			i += 2;
		} else if (at(chars, i, '第一') && !DIYI_ORDINARY.includes(chars[i + 2] ?? '∅')) {
			out.push(finding('cn-ad-law-9-absolute', field, chars, i, i + 2, '（删除，或注明可核实的来源）'));
			i += 2;
		} else i++;
	}
}

function punctuation(field: Field, chars: string[], out: Finding[], count: { n: number }) {
	chars.forEach((c, i) => {
		if (c !== '!' && c !== '！') return;
		count.n++;
		const fix = c === '!' ? '.' : '。';
		if (field === 'headline' || field === 'long_headline') out.push(finding('google-headline-exclamation', field, chars, i, i + 1, fix));
		else if (count.n > 1) out.push(finding('google-one-exclamation', field, chars, i, i + 1, fix));
	});
	for (let i = 0; i < chars.length; ) {
		const c = chars[i];
		let run = 1;
		while (chars[i + run] === c) run++;
		if ('!?.,;:！？。，；：、'.includes(c) && run >= 2 && !(c === '.' && run === 3)) {
			out.push(finding('google-repeated-punctuation', field, chars, i, i + run, c));
		}
		i += run;
	}
}

function capitals(field: Field, chars: string[], out: Finding[]) {
	for (let i = 0; i < chars.length; ) {
		if (!/[A-Za-z0-9]/.test(chars[i])) {
			i++;
			continue;
		}
		let end = i;
		while (end < chars.length && /[A-Za-z0-9]/.test(chars[end])) end++;
		const word = chars.slice(i, end).join('');
		const letters = word.replace(/[^A-Za-z]/g, '').length;
		if (letters >= 4 && !/[a-z]/.test(word) && !ACRONYMS.has(word)) {
			out.push(finding('google-gimmicky-caps', field, chars, i, end, word[0] + word.slice(1).toLowerCase()));
		}
		i = end;
	}
}

function symbols(field: Field, chars: string[], out: Finding[]) {
	chars.forEach((c, i) => {
		const u = c.codePointAt(0) ?? 0;
		const deco = (u >= 0x1f000 && u <= 0x1faff) || (u >= 0x2600 && u <= 0x27bf) || (u >= 0x2190 && u <= 0x21ff) || (u >= 0x25a0 && u <= 0x25ff) || (u >= 0x2b00 && u <= 0x2bff) || u === 0xfe0f;
		if (deco) out.push(finding('google-symbols', field, chars, i, i + 1, ''));
	});
}

/** The compliance findings of one ad's copy, in field order, then by position. */
export function mockFindings(fields: CopyFields): Finding[] {
	const out: Finding[] = [];
	const count = { n: 0 };
	for (const field of FIELDS) {
		const chars = [...fields[field]];
		const mine: Finding[] = [];
		absolute(field, chars, mine);
		punctuation(field, chars, mine, count);
		capitals(field, chars, mine);
		symbols(field, chars, mine);
		out.push(...mine.sort((a, b) => a.start - b.start || a.end - b.end));
	}
	return out;
}
