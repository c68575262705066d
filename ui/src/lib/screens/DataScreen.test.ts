import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend, ImportArgs } from '$lib/backend';
import { setLang } from '$lib/lang.svelte';
import { bridge } from '$lib/testing/bridge';
import DataScreen from './DataScreen.svelte';

beforeEach(() => setLang('en'));

// Real files for the real core to read.
const dir = mkdtempSync(join(tmpdir(), 'data-screen-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: string[]): string {
	const path = join(dir, name);
	writeFileSync(path, lines.join('\n') + '\n');
	return path;
}

const REES46_HEADER = 'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session';

/** A REES46 line at second `s` of 2019-10-01. */
function rees(s: number, type: string, product: string, price: string, user: string, session: string, brand = 'apple', code = 'electronics.smartphone'): string {
	const t = `2019-10-01 00:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')} UTC`;
	return [t, type, product, '2053013552326770905', code, brand, price, user, session].join(',');
}

/**
 * A REES46 export (USD by its format; the demo project uses CNY, so the user states the file's
 * currency). Lines: 2 good, 3 good, 4 duplicate of 3, 5 price, 6 event_type, 7 user_id, 8 good.
 */
function eventsFile(name = 'events.csv'): string {
	return file(name, [
		REES46_HEADER,
		rees(0, 'view', '1001', '999.99', '500000001', 's1'),
		rees(1, 'cart', '1001', '999.99', '500000001', 's1'),
		rees(1, 'cart', '1001', '999.99', '500000001', 's1'),
		rees(2, 'view', '1003', '"12,5O"', '500000003', 's3', 'xiaomi', ''),
		rees(3, 'clickk', '1004', '12.00', '500000004', 's4', 'huawei', ''),
		rees(4, 'purchase', '1005', '30.00', '', 's5', 'lg', ''),
		rees(5, 'purchase', '1001', '999.99', '500000001', 's1')
	]);
}

/** A REES46 file with `bad` lines whose price is `abc` (lines 5 …) after three good rows of
 * one product (lines 2–4). */
function manyRejected(name: string, bad: number): string {
	const lines = [REES46_HEADER];
	for (let i = 0; i < 3; i++) lines.push(rees(i, 'view', '2001', '10.00', `60000000${i}`, `t${i}`));
	for (let i = 0; i < bad; i++) lines.push(rees(10 + i, 'view', '2002', 'abc', `6100${i}`, `u${i}`));
	return file(name, lines);
}

/** An export the core does not recognise (a column mapping is needed), with an e-mail column. */
function shopExport(name: string): string {
	const lines = ['ts,uid,email,sku,action,amount'];
	for (let i = 0; i < 14; i++) {
		lines.push(
			`2025-03-0${1 + (i % 9)}T10:00:${String(i).padStart(2, '0')}Z,u${i % 5},user${i % 5}@example.com,SKU-${i % 4},${['view', 'add_to_cart', 'purchase'][i % 3]},${10 + i}.50`
		);
	}
	lines.push('not-a-time,u9,u9@example.com,SKU-1,view,1.00');
	return file(name, lines);
}

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

/** Hold `backend.importFile` until `release()` (the call then goes to the core unchanged). */
function holdImport(backend: Backend): () => void {
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	const real = backend.importFile.bind(backend);
	backend.importFile = async (args, onProgress) => {
		await gate;
		return real(args, onProgress);
	};
	return release;
}

const SUMMARY = { timeout: 10000 };

/** Import the typed file stating its currency in the preview: the demo project uses CNY, and a
 * REES46 export (USD by its format) or a UCI Online Retail file (GBP) is refused unless the user
 * says its prices are in the project's currency. */
async function importIn(currency: string) {
	if (!screen.queryByTestId('currency-select')) await fireEvent.click(screen.getByTestId('preview-btn'));
	await screen.findByTestId('currency-select', {}, SUMMARY);
	await choose('currency-select', currency);
	await waitFor(() => expect((screen.getByTestId('import-btn') as HTMLButtonElement).disabled).toBe(false), SUMMARY);
	await fireEvent.click(screen.getByTestId('import-btn'));
}

describe('DataScreen', () => {
	it('shows the import summary with the rejected line numbers', async () => {
		const backend = await bridge();
		render(DataScreen, { backend });
		await typePath(eventsFile());
		// In one click, a USD export is refused as a whole by the CNY project, saying why.
		await fireEvent.click(screen.getByTestId('import-btn'));
		const banner = await screen.findByTestId('error-banner', {}, SUMMARY);
		expect(screen.getByTestId('error-code').textContent).toBe('invalid_input');
		expect(banner.textContent).toContain('the project uses CNY, not USD');
		// Stating the file's currency imports it.
		const release = holdImport(backend);
		await importIn('CNY');
		// the progress bar with its cancel button appears while the job runs
		await screen.findByTestId('cancel-btn', {}, SUMMARY);
		release();

		const summary = await screen.findByTestId('import-summary', {}, SUMMARY);
		expect(screen.getByTestId('sum-read').textContent).toBe('7');
		expect(screen.getByTestId('sum-imported').textContent).toBe('3');
		expect(screen.getByTestId('sum-duplicate').textContent).toBe('1');
		expect(screen.getByTestId('sum-rejected').textContent).toBe('3');
		expect(screen.getByTestId('sum-events').textContent).toBe('3');
		expect(screen.getByTestId('sum-format').textContent).toBe('REES46 e-commerce events');
		expect(screen.getByTestId('sum-encoding').textContent).toBe('UTF-8');
		expect(screen.getByTestId('sum-pseudonymised').textContent).toBe('Yes');
		expect(cells('rejected-line')).toEqual(['Line 5', 'Line 6', 'Line 7']);
		expect(cells('rejected-column')).toEqual(['price', 'event_type', 'user_id']);
		expect(cells('rejected-reason')).toEqual([
			'"12,5O" is not a non-negative decimal number',
			'unknown value "clickk"',
			'empty'
		]);
		// the line text comes from rejected_lines (user ids pseudonymised)
		await waitFor(() => expect(cells('rejected-raw')[0]).toContain('xiaomi,12,5O,p_'), SUMMARY);
		expect(cells('rejected-raw')[2]).toBe('2019-10-01 00:00:04 UTC,purchase,1005,2053013552326770905,,lg,30.00,,s5');
		expect(screen.getByTestId('rejected-range').textContent?.trim()).toBe('Lines 1–3 of 3');
		expect(summary.textContent).toContain('events.csv');
		summary.querySelectorAll('td').forEach((td) => expect(td.children.length).toBe(0));
		expect(screen.queryByTestId('error-banner')).toBeNull();
		expect(screen.queryByTestId('cancel-btn')).toBeNull();
		// the overview counts the new events
		await waitFor(() => expect(screen.getByTestId('overview').textContent).toContain('121,248'), SUMMARY);
	});

	it('shows code and message in the error banner when the backend rejects', async () => {
		const backend = await bridge();
		render(DataScreen, { backend });
		const missing = join(dir, 'missing.csv');
		await typePath(missing);
		await fireEvent.click(screen.getByTestId('import-btn'));
		const banner = await screen.findByTestId('error-banner', {}, SUMMARY);
		expect(screen.getByTestId('error-code').textContent).toBe('not_found');
		expect(banner.textContent).toContain(`cannot read ${missing}: No such file or directory`);
		expect(screen.queryByTestId('import-summary')).toBeNull();
	});

	it('maps a non-ApiError rejection to internal', async () => {
		const backend = await bridge();
		backend.importFile = () => Promise.reject(new TypeError('kaput'));
		render(DataScreen, { backend });
		await typePath(eventsFile());
		await fireEvent.click(screen.getByTestId('import-btn'));
		const banner = await screen.findByTestId('error-banner', {}, SUMMARY);
		expect(screen.getByTestId('error-code').textContent).toBe('internal');
		expect(banner.textContent).toContain('kaput');
	});

	it('shows a neutral notice, not an error, when the job is cancelled', async () => {
		// Long enough to be cancelled while it runs (the core reads it in a few seconds).
		const lines = [REES46_HEADER];
		for (let i = 0; i < 400_000; i++) lines.push(rees(i, 'view', String(1000 + (i % 500)), '10.99', String(500000000 + (i % 7000)), `s${i % 9000}`));
		const big = file('big.csv', lines);
		const backend = await bridge();
		const cancelSpy = vi.spyOn(backend, 'cancelJob');
		let progressed!: () => void;
		const firstProgress = new Promise<void>((r) => (progressed = r));
		const real = backend.importFile.bind(backend);
		// (The file's prices stated as CNY, the project's currency, as the preview's choice would.)
		backend.importFile = (args: ImportArgs, onProgress) =>
			real({ ...args, currency: 'CNY' }, (p) => {
				progressed();
				onProgress(p);
			});
		render(DataScreen, { backend });
		await typePath(big);
		await fireEvent.click(screen.getByTestId('import-btn'));
		const cancel = await screen.findByTestId('cancel-btn', {}, SUMMARY);
		// the core has the job once it reports progress
		await firstProgress;
		await fireEvent.click(cancel);
		const notice = await screen.findByTestId('notice', {}, { timeout: 15000 });
		expect(notice.textContent).toContain('cancelled');
		expect(cancelSpy).toHaveBeenCalledOnce();
		expect(screen.queryByTestId('error-banner')).toBeNull();
		expect(screen.queryByTestId('import-summary')).toBeNull();
		// nothing was imported
		expect((await backend.projectOverview()).imports.map((i) => i.file_name)).toEqual(['demo store']);
	}, 30000);

	it('shows the overview and fills the path from the picker', async () => {
		const backend = await bridge();
		const picked = resolve(process.cwd(), '../fixtures/rees46_crlf.csv');
		backend.pickImportFile = vi.fn(async () => picked);
		render(DataScreen, { backend });
		const overview = await screen.findByTestId('overview', {}, SUMMARY);
		// products, events, users, categories, segments, campaigns of the trained demo project
		expect([...overview.querySelectorAll('dd')].map((dd) => dd.textContent)).toEqual(['400', '121,245', '2,000', '10', '4', '0']);
		await fireEvent.click(screen.getByTestId('import-browse'));
		await waitFor(() => expect((screen.getByTestId('import-path') as HTMLInputElement).value).toBe(picked), SUMMARY);
		// a picked file is previewed at once
		const preview = await screen.findByTestId('import-preview', {}, SUMMARY);
		expect(preview.textContent).toContain('rees46_crlf.csv');
		expect(screen.getByTestId('preview-format').textContent?.trim()).toBe('REES46 e-commerce events');
	});

	it('imports a recognised file in one click: preview first, then import with auto-detect', async () => {
		const backend = await bridge();
		const previewSpy = vi.spyOn(backend, 'previewImport');
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		const path = eventsFile('2019-Oct.csv');
		await typePath(path);
		await fireEvent.click(screen.getByTestId('import-btn'));
		// (the core then refuses the USD export in the CNY project: see the summary test)
		await screen.findByTestId('error-banner', {}, SUMMARY);
		expect(previewSpy).toHaveBeenCalledOnce();
		expect(previewSpy).toHaveBeenCalledWith(path);
		expect(importSpy).toHaveBeenCalledOnce();
		expect(importSpy.mock.calls[0][0]).toEqual({
			path,
			jobId: expect.any(String),
			format: null,
			mapping: null,
			pseudonymise: true,
			currency: null
		});
		expect(screen.queryByTestId('mapping-step')).toBeNull();
	});

	it('shows the preview with format, encoding, layout, rows and the contact-data warning', async () => {
		const backend = await bridge();
		render(DataScreen, { backend });
		const csv = shopExport('shop-export-2025-03.csv');
		const gz = join(dir, 'shop-export-2025-03.csv.gz');
		writeFileSync(gz, gzipSync(readFileSync(csv)));
		await typePath(gz);
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const preview = await screen.findByTestId('import-preview', {}, SUMMARY);
		expect(screen.getByTestId('preview-format').textContent?.trim()).toBe('Not recognised — map the columns');
		expect(screen.getByTestId('preview-encoding').textContent).toBe('UTF-8+gzip');
		expect(screen.getByTestId('preview-layout').textContent).toBe('Comma-separated (CSV)');
		const table = screen.getByTestId('preview-table');
		expect([...table.querySelectorAll('th')].map((th) => th.textContent)).toEqual(['ts', 'uid', 'email', 'sku', 'action', 'amount']);
		expect(table.querySelectorAll('tbody tr')).toHaveLength(10);
		expect(table.querySelector('tbody td')?.textContent).toBe('2025-03-01T10:00:00Z');
		const pii = screen.getByTestId('pii-warning');
		expect(pii.textContent).toContain('will not be stored');
		expect(pii.textContent).toContain('email');
		expect(preview.textContent).toContain('Pseudonymise user IDs');
		expect((screen.getByTestId('pseudonymise') as HTMLInputElement).checked).toBe(true);
		// a recognised file has no warning and no mapping step
		await typePath(eventsFile());
		await fireEvent.click(screen.getByTestId('preview-btn'));
		await waitFor(() => expect(screen.getByTestId('preview-format').textContent?.trim()).toBe('REES46 e-commerce events'), SUMMARY);
		expect(screen.queryByTestId('pii-warning')).toBeNull();
		expect(screen.queryByTestId('mapping-step')).toBeNull();
	});

	it('stops at the mapping step for an unrecognised file and imports with the mapping text', async () => {
		const backend = await bridge();
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		const path = shopExport('shop-export.csv');
		await typePath(path);
		await fireEvent.click(screen.getByTestId('import-btn'));
		await screen.findByTestId('mapping-step', {}, SUMMARY);
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
		await screen.findByTestId('import-summary', {}, SUMMARY);
		expect(importSpy).toHaveBeenCalledOnce();
		expect(importSpy.mock.calls[0][0]).toMatchObject({
			path,
			format: null,
			mapping: 'user=uid,item=sku,time=ts,price=amount,session=action',
			pseudonymise: true
		});
		expect(screen.getByTestId('sum-format').textContent).toBe('Custom column mapping');
		expect(screen.getByTestId('sum-imported').textContent).toBe('14');
		expect(screen.getByTestId('sum-rejected').textContent).toBe('1');
		expect(cells('rejected-column')).toEqual(['ts']);
		expect(cells('rejected-line')).toEqual(['Line 16']);

		// the mapping is remembered for the next file with these columns
		await typePath(shopExport('shop-export-2.csv'));
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const step = await screen.findByTestId('mapping-step', {}, SUMMARY);
		expect(step.textContent).toContain('mapping used last time');
		expect(screen.getByTestId('mapping-text').textContent).toBe('user=uid,item=sku,time=ts,price=amount,session=action');
	});

	it('passes the pseudonymise checkbox and a format override to import_file', async () => {
		const backend = await bridge();
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		await typePath(eventsFile());
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const box = (await screen.findByTestId('pseudonymise', {}, SUMMARY)) as HTMLInputElement;
		await fireEvent.click(box);
		expect(box.checked).toBe(false);
		await choose('format-select', 'taobao');
		await fireEvent.click(screen.getByTestId('import-btn'));
		await screen.findByTestId('import-summary', {}, SUMMARY);
		expect(importSpy.mock.calls[0][0]).toMatchObject({ format: 'taobao', mapping: null, pseudonymise: false });
		expect(screen.getByTestId('sum-pseudonymised').textContent).toBe('No');
		// read as Taobao (5 fields, no header) every line of the REES46 file is rejected
		expect(screen.getByTestId('sum-format').textContent).toBe('Taobao UserBehavior');
		expect(screen.getByTestId('sum-read').textContent).toBe('8');
		expect(screen.getByTestId('sum-rejected').textContent).toBe('8');
		expect(cells('rejected-reason')[0]).toBe('expected 5 fields, found 9 (truncated or malformed line)');
	});

	it('picking "Custom mapping" for a recognised file shows the mapping step', async () => {
		const backend = await bridge();
		const importSpy = vi.spyOn(backend, 'importFile');
		render(DataScreen, { backend });
		await typePath(eventsFile());
		await fireEvent.click(screen.getByTestId('preview-btn'));
		await screen.findByTestId('import-preview', {}, SUMMARY);
		expect(screen.queryByTestId('mapping-step')).toBeNull();
		await choose('format-select', 'generic');
		await screen.findByTestId('mapping-step');
		await fireEvent.click(screen.getByTestId('mapping-import'));
		await screen.findByTestId('import-summary', {}, SUMMARY);
		expect(importSpy.mock.calls[0][0]).toMatchObject({
			format: null,
			mapping: 'user=user_id,item=product_id,time=event_time,event=event_type,price=price,session=user_session,category=category_id,brand=brand'
		});
		// mapped, the rows are events with CNY stubs: no currency rejection, "clickk" is kept
		expect(screen.getByTestId('sum-format').textContent).toBe('Custom column mapping');
		expect(screen.getByTestId('sum-imported').textContent).toBe('4');
		expect(screen.getByTestId('sum-duplicate').textContent).toBe('1');
		expect(cells('rejected-line')).toEqual(['Line 5', 'Line 7']);
	});

	it('lists the notes of an import as count × note', async () => {
		const backend = await bridge();
		render(DataScreen, { backend });
		await typePath(
			file('online-retail-2010.csv', [
				'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
				'536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
				'536366,85123A,WHITE HANGING HEART T-LIGHT HOLDER,2,2010-12-01 08:28:00,2.55,17851,United Kingdom',
				'C536379,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-1,2010-12-01 09:41:00,2.55,17850,United Kingdom',
				'C536380,85123A,WHITE HANGING HEART T-LIGHT HOLDER,-2,2010-12-01 09:42:00,2.55,17851,United Kingdom',
				'536381,85123A,WHITE HANGING HEART T-LIGHT HOLDER,3,2010-12-01 09:45:00,2.55,NA,United Kingdom'
			])
		);
		await importIn('CNY');
		const notes = await screen.findByTestId('import-notes', {}, SUMMARY);
		expect(screen.getByTestId('sum-format').textContent).toBe('UCI Online Retail invoices');
		expect(cells('import-note', notes)).toEqual([
			"2 × cancellations (C… invoices) → kind 'other', raw cancel qty",
			'1 × no customer (NA) → catalog row only, no event'
		]);
	});

	it('pages through rejected lines with rejected_lines, 50 at a time', async () => {
		const backend = await bridge();
		render(DataScreen, { backend });
		// the 120 lines priced "abc"
		await typePath(manyRejected('many-rejected.csv', 120));
		await importIn('CNY');
		const summary = await screen.findByTestId('import-summary', {}, SUMMARY);
		const id = (await backend.projectOverview()).imports[0].id;
		const expected = await backend.rejectedLines({ importId: id, offset: 0, limit: 1000 });
		expect(expected).toHaveLength(120);
		const spy = vi.spyOn(backend, 'rejectedLines');
		const range = () => within(summary).getByTestId('rejected-range').textContent?.trim();
		const lines = () => cells('rejected-line', summary);

		await waitFor(() => expect(within(summary).getAllByTestId('rejected-row')).toHaveLength(50), SUMMARY);
		expect(range()).toBe('Lines 1–50 of 120');
		expect((within(summary).getByTestId('rejected-prev') as HTMLButtonElement).disabled).toBe(true);

		await fireEvent.click(within(summary).getByTestId('rejected-next'));
		await waitFor(() => expect(range()).toBe('Lines 51–100 of 120'), SUMMARY);
		expect(spy).toHaveBeenLastCalledWith({ importId: id, offset: 50, limit: 50 });
		expect(lines()[0]).toBe(`Line ${expected[50].line}`);
		expect(lines()[0]).toBe('Line 55');
		expect(cells('rejected-raw', summary)[0]).toBe(expected[50].raw);

		await fireEvent.click(within(summary).getByTestId('rejected-next'));
		await waitFor(() => expect(range()).toBe('Lines 101–120 of 120'), SUMMARY);
		expect(spy).toHaveBeenLastCalledWith({ importId: id, offset: 100, limit: 50 });
		expect(lines()).toHaveLength(20);
		expect((within(summary).getByTestId('rejected-next') as HTMLButtonElement).disabled).toBe(true);

		await fireEvent.click(within(summary).getByTestId('rejected-prev'));
		await waitFor(() => expect(range()).toBe('Lines 51–100 of 120'), SUMMARY);
		expect(spy).toHaveBeenLastCalledWith({ importId: id, offset: 50, limit: 50 });
	});

	it('opens the rejected lines of an earlier import from the history', async () => {
		const backend = await bridge();
		const noProgress = () => {};
		const args = { format: null, mapping: null, pseudonymise: true, currency: 'CNY' };
		const few = await backend.importFile({ ...args, path: manyRejected('few-rejected.csv', 12), jobId: 'setup-1' }, noProgress);
		const many = await backend.importFile({ ...args, path: manyRejected('shop-export-2025-02.csv', 120), jobId: 'setup-2' }, noProgress);
		expect([few.rows_rejected, many.rows_rejected]).toEqual([12, 120]);
		const spy = vi.spyOn(backend, 'rejectedLines');
		render(DataScreen, { backend });
		await screen.findByTestId('import-history', {}, SUMMARY);
		// newest first; the demo store import rejected nothing: no button
		const buttons = await screen.findAllByTestId('history-rejected', {}, SUMMARY);
		expect(buttons.map((b) => b.textContent?.trim())).toEqual(['120', '12']);
		await fireEvent.click(buttons[0]);
		const panel = await screen.findByTestId('history-rejected-panel');
		expect(panel.textContent).toContain('shop-export-2025-02.csv');
		await waitFor(() => expect(within(panel).getAllByTestId('rejected-row')).toHaveLength(50), SUMMARY);
		expect(spy).toHaveBeenCalledWith({ importId: many.import_id, offset: 0, limit: 50 });
		await fireEvent.click(within(panel).getByTestId('rejected-next'));
		await waitFor(() => expect(spy).toHaveBeenLastCalledWith({ importId: many.import_id, offset: 50, limit: 50 }), SUMMARY);
		await waitFor(() => expect(within(panel).getByTestId('rejected-range').textContent?.trim()).toBe('Lines 51–100 of 120'), SUMMARY);
		await fireEvent.click(screen.getByTestId('history-rejected-close'));
		expect(screen.queryByTestId('history-rejected-panel')).toBeNull();
	});

	it('speaks Chinese in the preview and mapping step', async () => {
		setLang('zh-CN');
		const backend = await bridge();
		render(DataScreen, { backend });
		await typePath(shopExport('shop-export.csv'));
		await fireEvent.click(screen.getByTestId('preview-btn'));
		const preview = await screen.findByTestId('import-preview', {}, SUMMARY);
		expect(preview.textContent).toContain('检测到的格式');
		expect(preview.textContent).toContain('用户ID脱敏');
		expect(screen.getByTestId('mapping-step').textContent).toContain('字段映射');
		expect(screen.getByTestId('preview-btn').textContent?.trim()).toBe('预览');
	});
});
