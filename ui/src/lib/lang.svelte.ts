// The UI language as shared reactive state. Reading `ui.lang` (directly or via `t`)
// inside a template makes that part re-render when the language changes.
import {
	initialLang,
	LANG_STORAGE_KEY,
	messages,
	translate,
	type Lang,
	type MessageKey
} from './i18n';

function storage(): Storage | undefined {
	try {
		return typeof localStorage === 'undefined' ? undefined : localStorage;
	} catch {
		return undefined;
	}
}

export const ui = $state<{ lang: Lang }>({
	lang: initialLang(storage(), typeof navigator === 'undefined' ? undefined : navigator.language)
});

export function setLang(lang: Lang): void {
	ui.lang = lang;
	try {
		storage()?.setItem(LANG_STORAGE_KEY, lang);
	} catch {
		// not fatal
	}
	if (typeof document !== 'undefined') document.documentElement.lang = lang;
}

export function toggleLang(): void {
	setLang(ui.lang === 'zh-CN' ? 'en' : 'zh-CN');
}

export function t(key: MessageKey, params?: Record<string, string | number>): string {
	return translate(ui.lang, key, params);
}

/** The label of a format (`fmt`) or file layout (`layout`) name; the name itself if it has none. */
export function nameLabel(prefix: 'fmt' | 'layout', name: string): string {
	const key = `${prefix}.${name}`;
	return key in messages.en ? t(key as MessageKey) : name;
}
