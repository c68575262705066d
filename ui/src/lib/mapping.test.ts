import { describe, expect, it } from 'vitest';
import { duplicateFields, formatMapping, fromSuggestion, isComplete } from './mapping';

describe('formatMapping', () => {
	it('writes fields in canonical order and leaves out unmapped ones', () => {
		expect(formatMapping({ price: 'amount', time: 'ts', user: 'uid', item: 'sku', event: '', brand: undefined })).toBe(
			'user=uid,item=sku,time=ts,price=amount'
		);
		expect(formatMapping({})).toBe('');
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

describe('fromSuggestion', () => {
	it("takes the core's suggestion field by field, and says where it came from", () => {
		expect(fromSuggestion({ columns: { user: 'uid', item: 'sku', time: 'ts', junk: 'x' }, remembered: true })).toEqual({
			mapping: { user: 'uid', item: 'sku', time: 'ts' },
			source: 'remembered'
		});
		expect(fromSuggestion({ columns: {}, remembered: false })).toEqual({ mapping: {}, source: 'guessed' });
	});
});
