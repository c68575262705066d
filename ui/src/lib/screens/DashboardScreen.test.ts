import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ReportSummary } from '$lib/bindings';
import type { Backend } from '$lib/backend/api';
import type { HttpBackend } from '$lib/backend/http';
import { defaultParams } from '$lib/campaign';
import { bridge, profileId } from '$lib/testing/bridge';
import DashboardScreen from './DashboardScreen.svelte';

// The `campaign` project: campaign "Spring" (#1), 4 segments × (en + zh-CN) = 8 draft variants.

/** A temporary folder, deleted when the test ends. */
function tempDir(): string {
	const dir = mkdtempSync(join(tmpdir(), 'dash-'));
	onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
	return dir;
}

/** `pickSavePath` answers a file in it (a browser has no dialog). */
function saveInto(backend: HttpBackend): { dir: string; asked: [string, string][] } {
	const dir = tempDir();
	const asked: [string, string][] = [];
	(backend as Backend).pickSavePath = async (name, extension) => (asked.push([name, extension]), join(dir, name));
	return { dir, asked };
}

/** A performance report in the studio's format: `ad_id,impressions,clicks,conversions` rows. */
function report(dir: string, name: string, rows: (string | number)[][]): string {
	const path = join(dir, name);
	writeFileSync(path, ['ad_id,impressions,clicks,conversions', ...rows.map((r) => r.join(','))].join('\n') + '\n');
	return path;
}

describe('DashboardScreen', () => {
	it('shows approval progress, a row per variant, four exportable charts and imported reports', async () => {
		const backend = await bridge({ project: 'campaign' });
		const [v] = await backend.listVariants(1);
		await backend.submitAll({ campaignId: 1, segmentId: null });
		await backend.signIn(await profileId(backend, 'demo-reviewer'));
		await backend.approveAll({ variantIds: [v.id] });
		await backend.signIn(await profileId(backend, 'demo-marketer'));
		const { dir, asked } = saveInto(backend);
		render(DashboardScreen, { backend });
		await waitFor(() => expect(screen.getAllByTestId('dash-row')).toHaveLength(8), { timeout: 10_000 });
		expect(screen.getByTestId('dash-progress').textContent).toContain('Approved: 1/8');
		expect(screen.getByTestId('dash-progress').textContent).toContain('In review: 7');
		for (const kind of ['ctr', 'approval', 'lift', 'ope']) expect(screen.getByTestId(`dash-chart-${kind}`).querySelector('img')).toBeTruthy();

		await fireEvent.click(screen.getByTestId('dash-export-ctr-csv'));
		const csv = join(dir, 'dashboard-1-ctr.csv');
		expect((await screen.findByRole('status', {}, { timeout: 10_000 })).textContent).toBe(`Saved ${csv}`);
		expect(asked).toEqual([['dashboard-1-ctr.csv', 'csv']]);
		expect(readFileSync(csv, 'utf8').length).toBeGreaterThan(0);

		// lines 2–5 are good (variant ids, and an exported file's name for variant 3); line 6 is not
		const file = report(dir, 'report.csv', [
			[1, 1000, 30, 3],
			[2, 500, 10, 1],
			['spring_seg1_v3_google-rda-landscape', 400, 8, 0],
			[4, 200, 2, 0],
			[5, 10, 12, 0]
		]);
		backend.pickImportFile = async () => file;
		await fireEvent.click(screen.getByTestId('import-report'));
		expect((await screen.findByTestId('report-summary', {}, { timeout: 10_000 })).textContent).toBe('4 of 5 rows imported, 1 rejected');
		expect(screen.getByTestId('report-errors').textContent).toContain('line 6 clicks: clicks (12) exceed impressions (10)');
		// the imported figures reach the table as real CTR, and the report is listed
		await waitFor(() => {
			const row = screen.getAllByTestId('dash-row').find((r) => r.textContent?.includes('#1 '))!;
			expect(row.querySelector('td.real-col')?.textContent).toBe('3.00%');
		});
		expect(screen.getByTestId('report-list').textContent).toContain('report.csv · imported');
		expect(screen.getByTestId('report-list').textContent).toContain('· 4 rows');
	});

	it('lists imported reports and removes one through the backend', async () => {
		const backend = await bridge({ project: 'campaign' });
		const dir = tempDir();
		await backend.importPerformance({ campaignId: 1, path: report(dir, 'google.csv', [[1, 100, 5, 1], [2, 100, 4, 0], [3, 100, 3, 0], [4, 100, 2, 0]]) });
		await backend.importPerformance({ campaignId: 1, path: report(dir, 'meta.csv', [[5, 100, 5, 1], [6, 100, 4, 0], [7, 100, 3, 0], [8, 100, 2, 0]]) });
		const stored = await backend.listPerformanceReports({ campaignId: 1 });
		expect(stored.map((r) => r.file_name)).toEqual(['google.csv', 'meta.csv']); // the core lists them oldest first
		render(DashboardScreen, { backend });
		const list = await screen.findByTestId('report-list', {}, { timeout: 10_000 });
		expect([...list.querySelectorAll('li span')].map((s) => s.textContent)).toEqual(stored.map((r) => `${r.file_name} · imported ${r.imported_at} · 4 rows`));
		const google = stored.find((r) => r.file_name === 'google.csv')!;
		await fireEvent.click(screen.getByTestId(`remove-report-${google.id}`));
		await waitFor(() => expect(screen.getByTestId('report-list').querySelectorAll('li')).toHaveLength(1), { timeout: 10_000 });
		expect(screen.getByRole('status').textContent).toContain('Removed report google.csv');
		expect(await backend.listPerformanceReports({ campaignId: 1 })).toEqual([expect.objectContaining({ file_name: 'meta.csv' })]);
	});

	it('lists stored off-policy estimates newest first, as percentages with their logs file', async () => {
		const backend = await bridge({ project: 'campaign' });
		// The core stores estimates from `studio ope --project --campaign`, which the window does
		// not run: the real view gets two stored rows (one with no value) added here.
		const build = backend.campaignDashboard.bind(backend);
		const row = { logs_path: '/data/open-bandit/random/all.csv', policy: 'uniform', n: 10000, created_at: '2026-11-29T03:00:00Z' };
		backend.campaignDashboard = async (args) => {
			const view = await build(args);
			expect(view.dashboard.ope).toEqual([]);
			view.dashboard.ope = [
				{ ...row, id: 1, estimator: 'ipw', value: 0.0038, low: 0.0031, high: 0.0045 },
				{ ...row, id: 2, estimator: 'snipw', value: null, low: null, high: null }
			];
			return view;
		};
		render(DashboardScreen, { backend });
		const items = (await screen.findByTestId('dash-ope', {}, { timeout: 10_000 })).querySelectorAll('li');
		expect([...items].map((li) => li.textContent)).toEqual([
			'SNIPW · uniform: — [—, —] · n = 10,000 · all.csv · 2026-11-29T03:00:00Z',
			'IPW · uniform: 0.380% [0.310%, 0.450%] · n = 10,000 · all.csv · 2026-11-29T03:00:00Z'
		]);
	});

	it('shows each segment’s top five variants with the rest folded, charts at their own size, and writes the PDF report', async () => {
		const backend = await bridge();
		const c = await backend.createCampaign(
			{ params: defaultParams('Summer', { languages: ['en'], placements: ['google-rda-landscape'], variants_per_segment: 8 }), jobId: 'j' },
			() => {}
		);
		const { dir, asked } = saveInto(backend);
		const written: ReportSummary[] = [];
		const exportReport = backend.exportReport.bind(backend);
		backend.exportReport = async (args) => {
			const r = await exportReport(args);
			written.push(r);
			return r;
		};
		render(DashboardScreen, { backend });
		const variants = await backend.listVariants(c.id);
		const segments = new Set(variants.map((v) => v.segment_id)).size;
		expect(variants).toHaveLength(8 * segments);
		await waitFor(() => expect(screen.getAllByTestId('dash-row')).toHaveLength(5 * segments), { timeout: 10_000 });
		const first = variants[0].segment_id;
		const more = screen.getByTestId(`dash-more-${first}`);
		expect(more.textContent?.trim()).toBe('+ 3 more');
		await fireEvent.click(more);
		await waitFor(() => expect(screen.getAllByTestId('dash-row')).toHaveLength(5 * segments + 3));
		expect(screen.getByTestId(`dash-more-${first}`).textContent?.trim()).toBe('Show top 5 only');

		const { charts } = await backend.campaignDashboard({ campaignId: c.id, lang: 'en' });
		const ctr = charts.find((x) => x.kind === 'ctr')!;
		const img = screen.getByTestId('dash-chart-ctr').querySelector('img');
		expect([img?.getAttribute('width'), img?.getAttribute('height')]).toEqual([String(ctr.width), String(ctr.height)]);
		expect(screen.getByTestId('dash-ope-empty').textContent).toContain('No off-policy estimates are stored');
		expect(screen.getByTestId('dash-table').querySelector('th.sim-col')?.textContent).toContain('Simulated');

		await fireEvent.click(screen.getByTestId('export-report'));
		const path = join(dir, `report-${c.id}-en.pdf`);
		await waitFor(() => expect(written).toHaveLength(1), { timeout: 20_000 });
		expect(asked).toEqual([[`report-${c.id}-en.pdf`, 'pdf']]);
		expect(written[0]).toMatchObject({ path, lang: 'en' });
		expect(written[0].pages).toBeGreaterThan(0);
		await waitFor(() => expect(screen.getByRole('status').textContent).toContain(`Report written to ${path} (${written[0].pages} pages).`));
		expect(existsSync(path)).toBe(true);
		expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
	});
});
