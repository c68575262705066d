import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import DataScreen from './DataScreen.svelte';

async function typePath(value: string) {
	const input = screen.getByTestId('import-path') as HTMLInputElement;
	await fireEvent.input(input, { target: { value } });
}

describe('DataScreen', () => {
	it('shows the import summary with the rejected line numbers', async () => {
		render(DataScreen, { backend: new MockBackend({ tickMs: 2 }) });
		await typePath('/data/events.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		// the progress bar with its cancel button appears while the job runs
		await waitFor(() => expect(screen.getByTestId('cancel-btn')).toBeTruthy());

		const summary = await screen.findByTestId('import-summary', {}, { timeout: 3000 });
		expect(screen.getByTestId('sum-read').textContent).toBe('1,200');
		expect(screen.getByTestId('sum-imported').textContent).toBe('1,193');
		expect(screen.getByTestId('sum-duplicate').textContent).toBe('2');
		expect(screen.getByTestId('sum-rejected').textContent).toBe('3');
		const rows = screen
			.getAllByTestId('rejected-row')
			.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent?.trim()).join(' '));
		expect(rows).toEqual([
			'Line 17 — "12,5O" is not a non-negative decimal number',
			'Line 242 — unknown value "clickk"',
			'Line 1033 — empty'
		]);
		expect(summary.textContent).toContain('events.csv');
		expect(screen.queryByTestId('error-banner')).toBeNull();
		expect(screen.queryByTestId('cancel-btn')).toBeNull();
	});

	it('shows code and message in the error banner when the backend rejects', async () => {
		render(DataScreen, { backend: new MockBackend({ tickMs: 1 }) });
		await typePath('/data/missing.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		const banner = await screen.findByTestId('error-banner');
		expect(banner.textContent).toContain('not_found');
		expect(banner.textContent).toContain('no such file: /data/missing.csv');
		expect(screen.queryByTestId('import-summary')).toBeNull();
	});

	it('maps a non-ApiError rejection to internal', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		backend.importFile = () => Promise.reject(new TypeError('kaput'));
		render(DataScreen, { backend });
		await typePath('/data/events.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		const banner = await screen.findByTestId('error-banner');
		expect(screen.getByTestId('error-code').textContent).toBe('internal');
		expect(banner.textContent).toContain('kaput');
	});

	it('shows a neutral notice, not an error, when the job is cancelled', async () => {
		render(DataScreen, { backend: new MockBackend({ tickMs: 20 }) });
		await typePath('/data/events.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		const cancel = await screen.findByTestId('cancel-btn');
		await fireEvent.click(cancel);
		const notice = await screen.findByTestId('notice', {}, { timeout: 3000 });
		expect(notice.textContent).toContain('cancelled');
		expect(screen.queryByTestId('error-banner')).toBeNull();
		expect(screen.queryByTestId('import-summary')).toBeNull();
	});

	it('shows the overview and fills the path from the picker', async () => {
		render(DataScreen, { backend: new MockBackend({ tickMs: 1 }) });
		const overview = await screen.findByTestId('overview');
		expect(overview.textContent).toContain('61');
		await fireEvent.click(screen.getByTestId('import-browse'));
		await waitFor(() =>
			expect((screen.getByTestId('import-path') as HTMLInputElement).value).toBe('/home/demo/data/events-2025-03.csv')
		);
	});
});
