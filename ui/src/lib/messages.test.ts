import { describe, expect, it } from 'vitest';
import { reasonText } from './messages';

// A copy reason as the core stores it (studio_core::copy::reason): key, parameters, English text.
const businessName = {
	key: 'reason.business_name',
	params: { name: 'Acme', fields: 'long_headline,primary_text' },
	text: 'business name “Acme” in the long headline and primary text'
};

describe('reasonText', () => {
	it('shows the core’s English sentence in English', () => {
		expect(reasonText('en', businessName)).toBe(businessName.text);
	});

	it('names identifiers in Chinese: copy fields as a list, categories, tones', () => {
		expect(reasonText('zh-CN', businessName)).toBe('商家名称「Acme」用于长标题和正文');
		const bundle = { key: 'reason.bundle', params: { category: 'appliances' }, text: 'home appliances product with add-ons to suggest → bundle angle' };
		expect(reasonText('zh-CN', bundle)).toBe('家用电器商品，可搭配推荐配件 → 搭配购买角度');
		const tone = { key: 'reason.tone', params: { tone: 'playful' }, text: 'tone: playful → playful phrase bank' };
		expect(reasonText('zh-CN', tone)).toBe('语气：活泼有趣 → 活泼有趣短语库');
	});

	it('keeps data as it is: an unknown category, a stored plain sentence, an unknown key', () => {
		const odd = { key: 'reason.bundle', params: { category: 'Cat_4756105' }, text: 'Cat_4756105 product with add-ons to suggest → bundle angle' };
		expect(reasonText('zh-CN', odd)).toBe('Cat_4756105商品，可搭配推荐配件 → 搭配购买角度');
		const legacy = { key: 'reason.text', params: { text: 'tone: playful → playful phrase bank' }, text: 'tone: playful → playful phrase bank' };
		expect(reasonText('zh-CN', legacy)).toBe(legacy.text);
		expect(reasonText('zh-CN', { key: 'reason.from_a_newer_core', params: {}, text: 'something new' })).toBe('something new');
	});
});

describe('row rejections', () => {
	it('are shown in Chinese from their key, and nested into the all-rejected error', async () => {
		const { errorText } = await import('./messages');
		const row = { message: '"soon" is not a Unix timestamp', key: 'row.not_unix_time', params: { value: 'soon' } };
		expect(errorText('zh-CN', row)).toBe('soon 不是 Unix 时间戳');
		expect(errorText('en', row)).toBe(row.message);
		const all = {
			message: 'x.csv: the first 1000 rows were all rejected …',
			key: 'err.ingest.all_rejected',
			params: { path: 'x.csv', rows: '1000', column: 'time', reason: '"soon" is not a Unix timestamp', line: '2', reason_key: 'row.not_unix_time', 'r.value': 'soon' }
		};
		expect(errorText('zh-CN', all)).toBe('x.csv：前 1000 行都因同一原因被拒绝，导入已停止，未写入任何数据：time 列：soon 不是 Unix 时间戳（例如第 2 行）。请检查列映射或格式。');
		// A stored line from before the keys (no key) keeps its English reason.
		expect(errorText('zh-CN', { message: 'empty' })).toBe('empty');
	});
});
