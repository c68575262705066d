import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import { setLang } from '$lib/lang.svelte';
import { emptyJobProgress, onProgressEvent } from '$lib/progress';
import ProgressBar from './ProgressBar.svelte';

describe('ProgressBar', () => {
	it('shows stage, counts, percentage, rate and ETA; cancel calls back', async () => {
		setLang('en');
		let st = emptyJobProgress();
		st = onProgressEvent(st, { job: 'j', stage: 'reading', done: 0, total: 1000, message: '' }, 0);
		st = onProgressEvent(st, { job: 'j', stage: 'reading', done: 250, total: 1000, message: 'rows' }, 1000);
		const oncancel = vi.fn();
		render(ProgressBar, { progress: st, oncancel });
		expect(screen.getByTestId('progress-stage').textContent?.trim()).toBe('reading');
		expect(screen.getByTestId('progress-counts').textContent?.trim()).toBe('250 / 1,000');
		expect(screen.getByTestId('progress-percent').textContent).toBe('25%');
		expect(screen.getByTestId('progress-rate').textContent).toBe('250 rows/s');
		expect(screen.getByTestId('progress-eta').textContent).toBe('Time remaining: 0:03');
		await fireEvent.click(screen.getByTestId('cancel-btn'));
		expect(oncancel).toHaveBeenCalledOnce();
	});
});

describe('ProgressBar for an import (bytes)', () => {
	it('shows MB done/total, rows/s from the message and an ETA from bytes', () => {
		setLang('en');
		let st = emptyJobProgress();
		st = onProgressEvent(st, { job: 'j', stage: 'parse', done: 0, total: 48_000_000, message: '0 rows' }, 0);
		st = onProgressEvent(st, { job: 'j', stage: 'parse', done: 12_000_000, total: 48_000_000, message: '150000 rows' }, 2000);
		render(ProgressBar, { progress: st, units: 'bytes' });
		expect(screen.getByTestId('progress-stage').textContent?.trim()).toBe('Reading and checking rows');
		expect(screen.getByTestId('progress-counts').textContent?.trim()).toBe('12.0 MB / 48.0 MB');
		expect(screen.getByTestId('progress-percent').textContent).toBe('25%');
		expect(screen.getByTestId('progress-rate').textContent).toBe('75,000 rows/s');
		expect(screen.getByTestId('progress-eta').textContent).toBe('Time remaining: 0:06');
		expect(screen.getByTestId('progress-rows').textContent).toBe('150,000 rows so far');
	});
});
