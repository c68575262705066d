import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MockBackend } from '$lib/backend';
import { setLang } from '$lib/lang.svelte';
import DataScreen from './DataScreen.svelte';

beforeEach(() => setLang('en'));

function cells(testid: string, root: HTMLElement = document.body): string[] {
	return within(root)
		.queryAllByTestId(testid)
		.map((e) => e.textContent?.trim() ?? '');
}

async function choose(testid: string, value: string) {
	await fireEvent.change(screen.getByTestId(testid), { target: { value } });
}

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
		expect(screen.getByTestId('sum-imported').textContent).toBe('1,195');
		expect(screen.getByTestId('sum-duplicate').textContent).toBe('2');
		expect(screen.getByTestId('sum-rejected').textContent).toBe('3');
		expect(screen.getByTestId('sum-events').textContent).toBe('1,195');
		expect(screen.getByTestId('sum-format').textContent).toBe('REES46 e-commerce events');
		expect(screen.getByTestId('sum-encoding').textContent).toBe('UTF-8');
		expect(screen.getByTestId('sum-pseudonymised').textContent).toBe('Yes');
		expect(cells('rejected-line')).toEqual(['Line 17', 'Line 242', 'Line 1033']);
		expect(cells('rejected-column')).toEqual(['price', 'event_type', 'user_id']);
		expect(cells('rejected-reason')).toEqual([
			'"12,5O" is not a non-negative decimal number',
			'unknown value "clickk"',
			'empty'
		]);
		// the line text comes from rejected_lines
		await waitFor(() => expect(cells('rejected-raw')[0]).toContain('"12,5O"'));
		expect(screen.getByTestId('rejected-range').textContent?.trim()).toBe('Lines 1–3 of 3');
		expect(summary.textContent).toContain('events.csv');
		summary.querySelectorAll('td').forEach((td) => expect(td.children.length).toBe(0));
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

	it('imports a recognised file in one click: preview first, then import with auto-detect', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const previewSpy = vi.spyOn(backend, 'previewImport');
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		await typePath('/data/2019-Oct.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		await screen.findByTestId('import-summary', {}, { timeout: 3000 });
		expect(previewSpy).toHaveBeenCalledOnce();
		expect(previewSpy).toHaveBeenCalledWith('/data/2019-Oct.csv');
		expect(importSpy).toHaveBeenCalledOnce();
		expect(importSpy.mock.calls[0][0]).toEqual({
			path: '/data/2019-Oct.csv',
			jobId: expect.any(String),
			format: null,
			mapping: null,
			pseudonymise: true,
			currency: null
		});
		expect(screen.queryByTestId('mapping-step')).toBeNull();
	});

	it('shows the preview with format, encoding, layout, rows and the contact-data warning', async () => {
		render(DataScreen, { backend: new MockBackend({ tickMs: 1 }) });
		await typePath('/data/shop-export-2025-03.csv.gz');
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const preview = await screen.findByTestId('import-preview');
		expect(screen.getByTestId('preview-format').textContent?.trim()).toBe('Not recognised — map the columns');
		expect(screen.getByTestId('preview-encoding').textContent).toBe('UTF-8+gzip');
		expect(screen.getByTestId('preview-layout').textContent).toBe('Comma-separated (CSV)');
		const table = screen.getByTestId('preview-table');
		expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['ts', 'uid', 'email', 'sku', 'action', 'amount']);
		expect(table.querySelectorAll('tbody tr')).toHaveLength(10);
		const pii = screen.getByTestId('pii-warning');
		expect(pii.textContent).toContain('will not be stored');
		expect(pii.textContent).toContain('email');
		expect(preview.textContent).toContain('Pseudonymise user IDs');
		expect((screen.getByTestId('pseudonymise') as HTMLInputElement).checked).toBe(true);
		// a recognised file has no warning and no mapping step
		await typePath('/data/events.csv');
		await fireEvent.click(screen.getByTestId('preview-btn'));
		await waitFor(() => expect(screen.getByTestId('preview-format').textContent?.trim()).toBe('REES46 e-commerce events'));
		expect(screen.queryByTestId('pii-warning')).toBeNull();
		expect(screen.queryByTestId('mapping-step')).toBeNull();
	});

	it('stops at the mapping step for an unrecognised file and imports with the mapping text', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		await typePath('/data/shop-export.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		await screen.findByTestId('mapping-step');
		expect(importSpy).not.toHaveBeenCalled();
		expect(screen.getByTestId('pii-warning').textContent).toContain('email');
		// guessed from the names
		const value = (id: string) => (screen.getByTestId(id) as HTMLSelectElement).value;
		expect([value('map-user'), value('map-item'), value('map-time'), value('map-event'), value('map-price')]).toEqual([
			'uid',
			'sku',
			'ts',
			'action',
			'amount'
		]);
		expect(screen.getByTestId('mapping-text').textContent).toBe('user=uid,item=sku,time=ts,event=action,price=amount');

		// a required field left empty blocks the import
		await choose('map-user', '');
		expect((screen.getByTestId('import-btn') as HTMLButtonElement).disabled).toBe(true);
		expect((screen.getByTestId('mapping-import') as HTMLButtonElement).disabled).toBe(true);
		expect(screen.getByTestId('mapping-incomplete')).toBeTruthy();
		await choose('map-user', 'uid');
		await choose('map-event', '');
		await choose('map-session', 'action');
		expect(screen.getByTestId('mapping-text').textContent).toBe('user=uid,item=sku,time=ts,price=amount,session=action');

		await fireEvent.click(screen.getByTestId('import-btn'));
		await screen.findByTestId('import-summary', {}, { timeout: 3000 });
		expect(importSpy).toHaveBeenCalledOnce();
		expect(importSpy.mock.calls[0][0]).toMatchObject({
			path: '/data/shop-export.csv',
			format: null,
			mapping: 'user=uid,item=sku,time=ts,price=amount,session=action',
			pseudonymise: true
		});
		expect(screen.getByTestId('sum-format').textContent).toBe('Custom column mapping');
		expect(screen.getByTestId('sum-rejected').textContent).toBe('120');

		// the mapping is remembered for the next file with these columns
		await typePath('/data/shop-export-2.csv');
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const step = await screen.findByTestId('mapping-step');
		expect(step.textContent).toContain('mapping used last time');
		expect(screen.getByTestId('mapping-text').textContent).toBe('user=uid,item=sku,time=ts,price=amount,session=action');
	});

	it('passes the pseudonymise checkbox and a format override to import_file', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		await typePath('/data/events.csv');
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const box = (await screen.findByTestId('pseudonymise')) as HTMLInputElement;
		await fireEvent.click(box);
		expect(box.checked).toBe(false);
		await choose('format-select', 'taobao');
		await fireEvent.click(screen.getByTestId('import-btn'));
		await screen.findByTestId('import-summary', {}, { timeout: 3000 });
		expect(importSpy.mock.calls[0][0]).toMatchObject({ format: 'taobao', mapping: null, pseudonymise: false });
		expect(screen.getByTestId('sum-pseudonymised').textContent).toBe('No');
	});

	it('picking "Custom mapping" for a recognised file shows the mapping step', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		await typePath('/data/events.csv');
		await fireEvent.click(screen.getByTestId('preview-btn'));
		await screen.findByTestId('import-preview');
		expect(screen.queryByTestId('mapping-step')).toBeNull();
		await choose('format-select', 'generic');
		await screen.findByTestId('mapping-step');
		await fireEvent.click(screen.getByTestId('mapping-import'));
		await screen.findByTestId('import-summary', {}, { timeout: 3000 });
		expect(importSpy.mock.calls[0][0]).toMatchObject({
			format: null,
			mapping: 'user=user_id,item=product_id,time=event_time,event=event_type,price=price,session=user_session,category=category_id,brand=brand'
		});
	});

	it('lists the notes of an import as count × note', async () => {
		render(DataScreen, { backend: new MockBackend({ tickMs: 1 }) });
		await typePath('/data/online-retail-2010.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		const notes = await screen.findByTestId('import-notes', {}, { timeout: 3000 });
		const items = cells('import-note', notes);
		expect(items).toHaveLength(2);
		expect(items[0]).toMatch(/^58 × cancellations/);
		expect(items[1]).toBe('86 × no customer (NA) → catalog row only, no event');
	});

	it('pages through rejected lines with rejected_lines, 50 at a time', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		render(DataScreen, { backend });
		await typePath('/data/shop-export.csv');
		await fireEvent.click(screen.getByTestId('import-btn'));
		await screen.findByTestId('mapping-step');
		await fireEvent.click(screen.getByTestId('import-btn'));
		const summary = await screen.findByTestId('import-summary', {}, { timeout: 3000 });
		const id = (await backend.projectOverview()).imports.at(-1)!.id;
		const expected = await backend.rejectedLines({ importId: id, offset: 0, limit: 1000 });
		expect(expected).toHaveLength(120);
		const spy = vi.spyOn(backend, 'rejectedLines');
		const range = () => within(summary).getByTestId('rejected-range').textContent?.trim();
		const lines = () => cells('rejected-line', summary);

		await waitFor(() => expect(within(summary).getAllByTestId('rejected-row')).toHaveLength(50));
		expect(range()).toBe('Lines 1–50 of 120');
		expect((within(summary).getByTestId('rejected-prev') as HTMLButtonElement).disabled).toBe(true);

		await fireEvent.click(within(summary).getByTestId('rejected-next'));
		await waitFor(() => expect(range()).toBe('Lines 51–100 of 120'));
		expect(spy).toHaveBeenLastCalledWith({ importId: id, offset: 50, limit: 50 });
		expect(lines()[0]).toBe(`Line ${expected[50].line}`);
		expect(cells('rejected-raw', summary)[0]).toBe(expected[50].raw);

		await fireEvent.click(within(summary).getByTestId('rejected-next'));
		await waitFor(() => expect(range()).toBe('Lines 101–120 of 120'));
		expect(spy).toHaveBeenLastCalledWith({ importId: id, offset: 100, limit: 50 });
		expect(lines()).toHaveLength(20);
		expect((within(summary).getByTestId('rejected-next') as HTMLButtonElement).disabled).toBe(true);

		await fireEvent.click(within(summary).getByTestId('rejected-prev'));
		await waitFor(() => expect(range()).toBe('Lines 51–100 of 120'));
		expect(spy).toHaveBeenLastCalledWith({ importId: id, offset: 50, limit: 50 });
	});

	it('opens the rejected lines of an earlier import from the history', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		const spy = vi.spyOn(backend, 'rejectedLines');
		render(DataScreen, { backend });
		await screen.findByTestId('import-history');
		const buttons = screen.getAllByTestId('history-rejected');
		expect(buttons.map((b) => b.textContent?.trim())).toEqual(['12', '120']);
		await fireEvent.click(buttons[1]);
		const panel = await screen.findByTestId('history-rejected-panel');
		expect(panel.textContent).toContain('shop-export-2025-02.csv');
		await waitFor(() => expect(within(panel).getAllByTestId('rejected-row')).toHaveLength(50));
		expect(spy).toHaveBeenCalledWith({ importId: 3, offset: 0, limit: 50 });
		await fireEvent.click(within(panel).getByTestId('rejected-next'));
		await waitFor(() => expect(spy).toHaveBeenLastCalledWith({ importId: 3, offset: 50, limit: 50 }));
		await fireEvent.click(screen.getByTestId('history-rejected-close'));
		expect(screen.queryByTestId('history-rejected-panel')).toBeNull();
	});

	it('speaks Chinese in the preview and mapping step', async () => {
		setLang('zh-CN');
		render(DataScreen, { backend: new MockBackend({ tickMs: 1 }) });
		await typePath('/data/shop-export.csv');
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const preview = await screen.findByTestId('import-preview');
		expect(preview.textContent).toContain('检测到的格式');
		expect(preview.textContent).toContain('用户ID脱敏');
		expect(screen.getByTestId('mapping-step').textContent).toContain('字段映射');
		expect(screen.getByTestId('preview-btn').textContent?.trim()).toBe('预览');
	});
});
