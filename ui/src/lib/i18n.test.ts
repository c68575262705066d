import { describe, expect, it } from 'vitest';
import { initialLang, LANG_STORAGE_KEY, langFromNavigator, LANGS, messages, translate } from './i18n';

describe('i18n dictionary', () => {
	it('has exactly the same keys in every language', () => {
		const en = Object.keys(messages.en).sort();
		for (const lang of LANGS) {
			expect(Object.keys(messages[lang]).sort(), lang).toEqual(en);
		}
	});

	it('has no empty strings', () => {
		for (const lang of LANGS) {
			for (const [key, value] of Object.entries(messages[lang])) {
				expect(typeof value === 'string' && value.trim().length > 0, `${lang}:${key}`).toBe(true);
			}
		}
	});

	it('uses the same placeholders in both languages', () => {
		const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(messages.en) as Array<keyof typeof messages.en>) {
			expect(ph(messages['zh-CN'][key]), key).toEqual(ph(messages.en[key]));
		}
	});

	it('uses natural Chinese for the main navigation', () => {
		expect(messages['zh-CN']['nav.data']).toBe('导入数据');
		expect(messages['zh-CN']['nav.segments']).toBe('人群分群');
		expect(messages['zh-CN']['common.cancel']).toBe('取消');
		expect(messages['zh-CN']['progress.eta']).toBe('预计剩余时间');
		expect(messages['zh-CN']['variant.approved']).toBe('已通过');
	});

	it('uses natural Chinese for the import flow', () => {
		const zh = messages['zh-CN'];
		expect(zh['data.preview']).toBe('预览');
		expect(zh['data.mappingTitle']).toBe('字段映射');
		expect(zh['data.pseudonymise']).toBe('用户ID脱敏');
		expect(zh['data.detectedFormat']).toBe('检测到的格式');
		expect(zh['data.encoding']).toBe('编码');
		expect(zh['data.rejectedLines']).toBe('被拒绝的行');
		expect([zh['data.prev'], zh['data.next']]).toEqual(['上一页', '下一页']);
		expect(translate('zh-CN', 'data.rejectedRange', { from: 51, to: 100, total: 120 })).toBe('第 51–100 条，共 120 条');
	});

	it('fills placeholders', () => {
		expect(translate('en', 'data.line', { n: 17 })).toBe('Line 17');
		expect(translate('zh-CN', 'data.line', { n: 17 })).toBe('第 17 行');
	});
});

describe('language choice', () => {
	it('follows navigator.language', () => {
		expect(langFromNavigator('zh-TW')).toBe('zh-CN');
		expect(langFromNavigator('zh')).toBe('zh-CN');
		expect(langFromNavigator('en-US')).toBe('en');
		expect(langFromNavigator('de')).toBe('en');
		expect(langFromNavigator(undefined)).toBe('en');
	});

	it('prefers the remembered choice', () => {
		const store = (v: string | null) => ({ getItem: (k: string) => (k === LANG_STORAGE_KEY ? v : null) });
		expect(initialLang(store('en'), 'zh-CN')).toBe('en');
		expect(initialLang(store('zh-CN'), 'en-GB')).toBe('zh-CN');
		expect(initialLang(store('fr'), 'zh-CN')).toBe('zh-CN');
		expect(initialLang(undefined, 'en')).toBe('en');
	});
});
