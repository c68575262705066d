// Messages the core sends by key (`studio_core::messages`): errors, refusals and the labels of
// identifiers. The core keeps an English `message` for the CLI and logs; the window renders
// the key in its language, translating the parameters that are identifiers (roles, actions,
// review states, audit actions, text kinds). An error without a key shows its English message.
import type { ApiError, FieldProblem, Keyed, Problem, Reason, Refusal } from '$lib/bindings';
import { messages, translate, type Lang, type MessageKey } from '$lib/i18n';

function has(key: string): key is MessageKey {
	return key in messages.en;
}

/** The label of `prefix.value` when the dictionary has one, else `value` itself. */
export function label(lang: Lang, prefix: string, value: string): string {
	const key = `${prefix}.${value}`;
	return has(key) ? translate(lang, key) : value;
}

const PARAM_LABELS: Record<string, string> = { role: 'role', action: 'action', from: 'state', to: 'state', state: 'state', audit_action: 'audit', what: 'text', status: 'sim.status', lang: 'form.lang', name_field: 'namefield', layer: 'layer', copy_field: 'copyfield' };
/** A copy reason's identifier parameters (`studio_core::copy::reason::LABELLED`); `fields` and
 * `layers` are comma-separated lists. */
const REASON_LABELS: Record<string, string> = { category: 'category', tone: 'tone', goal: 'goal', field: 'copyfield', fields: 'copyfield', layers: 'layer' };
const LISTS: Record<string, string> = { roles: 'role', fields: 'copyfield', layers: 'layer' };

/** The reason a keyed error nests (`reason_key` with `r.`-prefixed parameters), if any. */
function nestedReason(params: Keyed['params']): Keyed | null {
	const key = params.reason_key;
	if (!key) return null;
	const nested: Record<string, string> = {};
	for (const [name, value] of Object.entries(params)) if (name.startsWith('r.') && value !== undefined) nested[name.slice(2)] = value;
	return { key, params: nested };
}

/** `keyed` in `lang`, or null when the dictionary lacks its key. */
export function keyedText(lang: Lang, keyed: Keyed, labels: Record<string, string> = PARAM_LABELS): string | null {
	if (!has(keyed.key)) return null;
	const params: Record<string, string> = {};
	// A nested reason is rendered first and fills `{reason}`.
	const nested = nestedReason(keyed.params);
	if (nested) {
		const text = keyedText(lang, nested, labels);
		if (text !== null) params.reason = text;
	}
	for (const [name, value] of Object.entries(keyed.params)) {
		if (value === undefined || name === 'reason_key' || name.startsWith('r.') || (name === 'reason' && 'reason' in params)) continue;
		if (LISTS[name] && (name === 'roles' || labels[name])) {
			const items = value.split(',').filter(Boolean).map((r) => label(lang, LISTS[name], r));
			params[name] = items.join(translate(lang, 'common.and'));
		} else params[name] = labels[name] ? label(lang, labels[name], value) : value;
	}
	return translate(lang, keyed.key, params);
}

/** A copy reason in `lang`: the core's English sentence in English, else its keyed text with
 * the identifiers (category, tone, goal, copy fields, layers) named in `lang`. */
export function reasonText(lang: Lang, r: Reason): string {
	if (lang === 'en') return r.text;
	return keyedText(lang, { key: r.key, params: r.params }, REASON_LABELS) ?? r.text;
}

/** What to show for an error: in English the core's own message (it names more than the
 * template can); in another language its keyed text, else the core's English message. */
export function errorText(lang: Lang, e: Pick<ApiError, 'message' | 'key' | 'params'>): string {
	if (lang === 'en' && e.message) return e.message;
	if (e.key) {
		const text = keyedText(lang, { key: e.key, params: e.params ?? {} });
		if (text !== null) return text;
	}
	return e.message;
}

/** A form field's problem as the core names it (`check_campaign`): the reason alone when the
 * error nests one (the form shows which field), else the whole error. */
export function fieldProblemText(lang: Lang, p: FieldProblem): string {
	const nested = nestedReason(p.error.params ?? {});
	const text = nested && keyedText(lang, nested);
	return text ?? errorText(lang, p.error);
}

/** What to show for a refusal (a permission or bulk outcome). */
export function refusalText(lang: Lang, r: Refusal | null): string {
	if (!r) return '';
	return errorText(lang, { message: r.message, key: r.keyed?.key, params: r.keyed?.params });
}

/** A placement's name in `lang` (the core's table has both). */
export function placementName(lang: Lang, p: { name: string; name_zh: string }): string {
	return lang === 'zh-CN' ? p.name_zh : p.name;
}

/** An export problem in `lang`: the rule's text filled with the problem's field, value and
 * limit; the core's English sentence in English (it is more specific). */
export function problemText(lang: Lang, p: Problem): string {
	const key = `export.rule.${p.rule}`;
	if (lang === 'en' || !has(key)) return p.message;
	return translate(lang, key, { field: p.field ?? '', value: p.value, limit: p.limit });
}
