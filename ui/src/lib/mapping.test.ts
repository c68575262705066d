import { describe, expect, it } from 'vitest';
import { duplicateFields, formatMapping, guessMapping, initialMapping, isComplete, parseMapping } from './mapping';

describe('parseMapping', () => {
	it('reads key=COL text, trimming and ignoring unknown keys and bad entries', () => {
		expect(parseMapping(' user=uid, item=sku ,time=ts,who=x,broken,price=')).toEqual({ user: 'uid', item: 'sku', time: 'ts' });
		expect(parseMapping('product=sku')).toEqual({ item: 'sku' });
		expect(parseMapping(null)).toEqual({});
		expect(parseMapping('')).toEqual({});
	});

	it('matches columns case-insensitively or by 1-based number, dropping unknown columns', () => {
		const cols = ['TS', 'uid', 'email', 'sku', 'action', 'amount'];
		expect(parseMapping('user=UID,item=4,time=ts,event=nope,price=7', cols)).toEqual({ user: 'uid', item: 'sku', time: 'TS' });
	});
});

describe('formatMapping', () => {
	it('writes fields in canonical order and leaves out unmapped ones', () => {
		expect(formatMapping({ price: 'amount', time: 'ts', user: 'uid', item: 'sku', event: '', brand: undefined })).toBe(
			'user=uid,item=sku,time=ts,price=amount'
		);
		expect(formatMapping({})).toBe('');
	});

	it('round-trips with parseMapping', () => {
		const text = 'user=uid,item=sku,time=ts,event=action,price=amount,session=sid,category=cat,brand=maker';
		expect(formatMapping(parseMapping(text))).toBe(text);
	});
});

describe('isComplete / duplicateFields', () => {
	it('needs user, item and time', () => {
		expect(isComplete({ user: 'a', item: 'b', time: 'c' })).toBe(true);
		expect(isComplete({ user: 'a', item: 'b', event: 'c' })).toBe(false);
		expect(isComplete({ user: 'a', item: '', time: 'c' })).toBe(false);
	});
	it('finds a column used twice', () => {
		expect(duplicateFields({ user: 'a', item: 'a', time: 'c' })).toEqual(['user', 'item']);
		expect(duplicateFields({ user: 'a', item: 'b', time: 'c' })).toEqual([]);
	});
});

describe('guessMapping', () => {
	it('maps the generic shop export', () => {
		expect(guessMapping(['ts', 'uid', 'email', 'sku', 'action', 'amount'], ['email'])).toEqual({
			time: 'ts',
			user: 'uid',
			item: 'sku',
			event: 'action',
			price: 'amount'
		});
	});

	it('prefers whole-name matches and uses each column once', () => {
		expect(
			guessMapping(['event_time', 'event_type', 'product_id', 'category_id', 'category_code', 'brand', 'price', 'user_id', 'user_session'])
		).toEqual({
			user: 'user_id',
			item: 'product_id',
			time: 'event_time',
			event: 'event_type',
			price: 'price',
			session: 'user_session',
			category: 'category_id',
			brand: 'brand'
		});
	});

	it('handles camelCase, other synonyms and Chinese headers', () => {
		expect(guessMapping(['visitorId', 'itemId', 'timestamp', 'behavior'])).toEqual({
			user: 'visitorId',
			item: 'itemId',
			time: 'timestamp',
			event: 'behavior'
		});
		expect(guessMapping(['InvoiceDate', 'CustomerID', 'StockCode', 'UnitPrice'])).toMatchObject({
			user: 'CustomerID',
			item: 'StockCode',
			time: 'InvoiceDate',
			price: 'UnitPrice'
		});
		expect(guessMapping(['用户ID', '商品ID', '下单时间', '行为类型'])).toEqual({
			user: '用户ID',
			item: '商品ID',
			time: '下单时间',
			event: '行为类型'
		});
	});

	it('proposes nothing for unrelated or excluded columns', () => {
		expect(guessMapping(['email', 'phone', 'notes'], ['email'])).toEqual({});
		expect(guessMapping(['uid'], ['uid'])).toEqual({});
	});
});

describe('initialMapping', () => {
	const cols = ['ts', 'uid', 'email', 'sku', 'action', 'amount'];
	it('uses a remembered mapping that fits the columns', () => {
		expect(initialMapping(cols, 'user=uid,item=sku,time=ts', ['email'])).toEqual({
			mapping: { user: 'uid', item: 'sku', time: 'ts' },
			source: 'remembered'
		});
	});
	it('guesses when nothing (usable) is remembered', () => {
		expect(initialMapping(cols, 'user=customer,item=sku,time=ts', ['email']).source).toBe('guessed');
		expect(initialMapping(cols, null, ['email']).mapping.user).toBe('uid');
	});
});
