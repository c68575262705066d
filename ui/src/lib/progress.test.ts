import { describe, expect, it } from 'vitest';
import {
	emptyJobProgress,
	estimate,
	formatDuration,
	formatRate,
	onProgressEvent,
	pushSample,
	RATE_WINDOW_MS,
	formatMB,
	rowsFromMessage
} from './progress';

describe('estimate', () => {
	it('has no rate or ETA from a single sample, but a percentage', () => {
		expect(estimate([{ t: 1000, done: 250 }], 1000)).toEqual({ percent: 25, rate: null, etaSeconds: null });
	});

	it('computes rows per second and seconds remaining from timestamps', () => {
		const e = estimate(
			[
				{ t: 10_000, done: 0 },
				{ t: 12_000, done: 400 }
			],
			1000
		);
		expect(e.rate).toBeCloseTo(200);
		expect(e.etaSeconds).toBeCloseTo(3);
		expect(e.percent).toBeCloseTo(40);
	});

	it('is indeterminate when the total is unknown', () => {
		const e = estimate(
			[
				{ t: 0, done: 0 },
				{ t: 1000, done: 50 }
			],
			0
		);
		expect(e.percent).toBeNull();
		expect(e.rate).toBeCloseTo(50);
		expect(e.etaSeconds).toBeNull();
	});

	it('gives no rate when nothing moved or no time passed', () => {
		expect(estimate([{ t: 0, done: 10 }, { t: 500, done: 10 }], 100).rate).toBeNull();
		expect(estimate([{ t: 500, done: 10 }, { t: 500, done: 20 }], 100).rate).toBeNull();
	});

	it('clamps the percentage and never returns a negative ETA', () => {
		const e = estimate([{ t: 0, done: 0 }, { t: 1000, done: 120 }], 100);
		expect(e.percent).toBe(100);
		expect(e.etaSeconds).toBe(0);
	});
});

describe('pushSample', () => {
	it('keeps only the window (plus one older anchor sample)', () => {
		let s = pushSample([], { t: 0, done: 0 });
		s = pushSample(s, { t: 1000, done: 10 });
		s = pushSample(s, { t: RATE_WINDOW_MS + 2000, done: 100 });
		s = pushSample(s, { t: RATE_WINDOW_MS + 3000, done: 110 });
		expect(s[0].t).toBe(1000);
		expect(s).toHaveLength(3);
		// the rate follows the recent speed
		const e = estimate(s, 1000);
		expect(e.rate).toBeCloseTo(100 / ((RATE_WINDOW_MS + 2000) / 1000));
	});

	it('restarts when the counter goes backwards', () => {
		const s = pushSample([{ t: 0, done: 90 }], { t: 100, done: 5 });
		expect(s).toEqual([{ t: 100, done: 5 }]);
	});
});

describe('onProgressEvent', () => {
	it('resets the samples on a new stage', () => {
		let st = emptyJobProgress();
		st = onProgressEvent(st, { job: 'j', stage: 'reading', done: 0, total: 10, message: '' }, 0);
		st = onProgressEvent(st, { job: 'j', stage: 'reading', done: 5, total: 10, message: '' }, 1000);
		expect(st.samples).toHaveLength(2);
		st = onProgressEvent(st, { job: 'j', stage: 'writing', done: 6, total: 10, message: '' }, 1100);
		expect(st.samples).toHaveLength(1);
		expect(st.latest?.stage).toBe('writing');
	});
});

describe('formatting', () => {
	it('formats durations', () => {
		expect(formatDuration(5)).toBe('0:05');
		expect(formatDuration(65)).toBe('1:05');
		expect(formatDuration(3725)).toBe('1:02:05');
		expect(formatDuration(null)).toBeNull();
		expect(formatDuration(Infinity)).toBeNull();
	});
	it('formats rates', () => {
		expect(formatRate(0.54)).toBe('0.5');
		expect(formatRate(1234.5)).toBe('1,235');
		expect(formatRate(null)).toBeNull();
	});
});

describe('import progress (bytes + rows)', () => {
	it('reads the row count from the message', () => {
		expect(rowsFromMessage('123456 rows')).toBe(123456);
		expect(rowsFromMessage('1,234 rows')).toBe(1234);
		expect(rowsFromMessage('1 row')).toBe(1);
		expect(rowsFromMessage('parse 5/10')).toBeNull();
		expect(rowsFromMessage('')).toBeNull();
		expect(rowsFromMessage(undefined)).toBeNull();
	});

	it('formats bytes as MB', () => {
		expect(formatMB(0)).toBe('0.0 MB');
		expect(formatMB(1_234_567)).toBe('1.2 MB');
		expect(formatMB(123_456_789)).toBe('123 MB');
		expect(formatMB(-1)).toBe('—');
	});

	it('tracks rows beside bytes, so rows/s and a byte ETA can both be shown', () => {
		let st = emptyJobProgress();
		st = onProgressEvent(st, { job: 'j', stage: 'parse', done: 0, total: 4_000_000, message: '0 rows' }, 0);
		st = onProgressEvent(st, { job: 'j', stage: 'parse', done: 1_000_000, total: 4_000_000, message: '20000 rows' }, 2000);
		expect(estimate(st.rowSamples, 0).rate).toBeCloseTo(10_000);
		const bytes = estimate(st.samples, 4_000_000);
		expect(bytes.percent).toBeCloseTo(25);
		expect(bytes.etaSeconds).toBeCloseTo(6);
		// an event without a row count keeps the row series; a new stage resets it
		st = onProgressEvent(st, { job: 'j', stage: 'parse', done: 1_500_000, total: 4_000_000, message: '' }, 3000);
		expect(st.rowSamples).toHaveLength(2);
		st = onProgressEvent(st, { job: 'j', stage: 'done', done: 4_000_000, total: 4_000_000, message: 'x' }, 4000);
		expect(st.rowSamples).toHaveLength(0);
	});
});
