// Every user-visible string of the UI, in English and Simplified Chinese.
// `zh-CN` is written for Chinese e-commerce marketing teams, not translated word by word.
// The type of `zhCN` is `Record<MessageKey, string>`, so the compiler already refuses
// a missing key; i18n.test.ts checks the same at run time (and that nothing is empty).

import { en } from './i18n/en';
import { zhCN } from './i18n/zh-CN';

export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

export type MessageKey = keyof typeof en;

export const messages: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** Looks a key up and fills `{name}` placeholders. Unknown placeholders stay as they are. */
export function translate(
	lang: Lang,
	key: MessageKey,
	params?: Record<string, string | number>
): string {
	const text = messages[lang][key] ?? messages.en[key] ?? key;
	if (!params) return text;
	return text.replace(/\{(\w+)\}/g, (m, name: string) =>
		name in params ? String(params[name]) : m
	);
}

/** zh* → zh-CN, anything else (or nothing) → en. */
export function langFromNavigator(navLang: string | undefined | null): Lang {
	return navLang && navLang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const LANG_STORAGE_KEY = 'creative-studio.lang';

export function isLang(v: unknown): v is Lang {
	return typeof v === 'string' && (LANGS as readonly string[]).includes(v);
}

/** The remembered language if any, else the one that follows the browser/OS. */
export function initialLang(
	storage: Pick<Storage, 'getItem'> | undefined,
	navLang: string | undefined
): Lang {
	try {
		const saved = storage?.getItem(LANG_STORAGE_KEY);
		if (isLang(saved)) return saved;
	} catch {
		// storage may be unavailable; fall through
	}
	return langFromNavigator(navLang);
}
