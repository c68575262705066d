import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import { approveAs } from '$lib/backend/mock-flow';
import DashboardScreen from './DashboardScreen.svelte';

describe('DashboardScreen', () => {
	it('shows approval progress, a row per variant, four exportable charts and imported reports', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const c = await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		const [v] = await backend.listVariants(c.id);
		await approveAs(backend, v.id);
		render(DashboardScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('dash-row')).toHaveLength(4));
		expect(screen.getByTestId('dash-progress').textContent).toContain('Approved: 1/4');
		for (const kind of ['ctr', 'approval', 'lift', 'ope']) expect(screen.getByTestId(`dash-chart-${kind}`).querySelector('img')).toBeTruthy();

		await fireEvent.click(screen.getByTestId('dash-export-ctr-csv'));
		await waitFor(() => expect([...backend.savedCharts.entries()]).toEqual([[`/home/demo/exports/dashboard-${c.id}-ctr.csv`, 'csv']]));

		await fireEvent.click(screen.getByTestId('import-report'));
		expect((await screen.findByTestId('report-summary')).textContent).toBe('4 of 5 rows imported, 1 rejected');
		expect(screen.getByTestId('report-errors').textContent).toContain('line 6 clicks: clicks (12) exceed impressions (10)');
	});

	it('lists imported reports and removes one through the backend', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const c = await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		await backend.importPerformance({ campaignId: c.id, path: '/home/demo/google.csv' });
		await backend.importPerformance({ campaignId: c.id, path: '/home/demo/meta.csv' });
		render(DashboardScreen, { backend });
		const list = await screen.findByTestId('report-list');
		expect([...list.querySelectorAll('li span')].map((s) => s.textContent)).toEqual([
			'meta.csv · imported 2026-12-02T08:00:00Z · 4 rows',
			'google.csv · imported 2026-12-02T08:00:00Z · 4 rows'
		]);
		await fireEvent.click(screen.getByTestId('remove-report-1'));
		await waitFor(() => expect(screen.getByTestId('report-list').querySelectorAll('li')).toHaveLength(1));
		expect(screen.getByRole('status').textContent).toContain('Removed report google.csv');
		expect(await backend.listPerformanceReports({ campaignId: c.id })).toEqual([expect.objectContaining({ id: 2, file_name: 'meta.csv' })]);
	});

	it('lists stored off-policy estimates newest first, as percentages with their logs file', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		const build = backend.campaignDashboard.bind(backend);
		const row = { logs_path: '/data/open-bandit/random/all.csv', policy: 'uniform', n: 10000, created_at: '2026-11-29T03:00:00Z' };
		backend.campaignDashboard = async (args) => {
			const view = await build(args);
			view.dashboard.ope = [
				{ ...row, id: 1, estimator: 'ipw', value: 0.0038, low: 0.0031, high: 0.0045 },
				{ ...row, id: 2, estimator: 'snipw', value: null, low: null, high: null }
			];
			return view;
		};
		render(DashboardScreen, { backend });
		const items = (await screen.findByTestId('dash-ope')).querySelectorAll('li');
		expect([...items].map((li) => li.textContent)).toEqual([
			'SNIPW · uniform: — [—, —] · n = 10,000 · all.csv · 2026-11-29T03:00:00Z',
			'IPW · uniform: 0.380% [0.310%, 0.450%] · n = 10,000 · all.csv · 2026-11-29T03:00:00Z'
		]);
	});

	it('shows each segment’s top five variants with the rest folded, charts at their own size, and writes the PDF report', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const c = await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 8 }), jobId: 'j' }, () => {});
		render(DashboardScreen, { backend });
		const segments = new Set((await backend.listVariants(c.id)).map((v) => v.segment_id)).size;
		await waitFor(() => expect(screen.getAllByTestId('dash-row')).toHaveLength(5 * segments));
		const first = (await backend.listVariants(c.id))[0].segment_id;
		const more = screen.getByTestId(`dash-more-${first}`);
		expect(more.textContent?.trim()).toBe('+ 3 more');
		await fireEvent.click(more);
		await waitFor(() => expect(screen.getAllByTestId('dash-row')).toHaveLength(5 * segments + 3));
		expect(screen.getByTestId(`dash-more-${first}`).textContent?.trim()).toBe('Show top 5 only');

		const img = screen.getByTestId('dash-chart-ctr').querySelector('img');
		expect([img?.getAttribute('width'), img?.getAttribute('height')]).toEqual(['900', '300']);
		expect(screen.getByTestId('dash-ope-empty').textContent).toContain('No off-policy estimates are stored');
		expect(screen.getByTestId('dash-table').querySelector('th.sim-col')?.textContent).toContain('Simulated');

		await fireEvent.click(screen.getByTestId('export-report'));
		await waitFor(() => expect(backend.savedCharts.get(`/home/demo/exports/report-${c.id}-en.pdf`)).toBe('pdf'));
		expect(screen.getByRole('status').textContent).toContain(`Report written to /home/demo/exports/report-${c.id}-en.pdf (3 pages).`);
	});
});
