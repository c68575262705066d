import { render, screen, waitFor } from '@testing-library/svelte';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bridge } from '$lib/testing/bridge';
import ProductTable from './ProductTable.svelte';

const dir = mkdtempSync(join(tmpdir(), 'product-table-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const XSS_BRAND = '<img src=x onerror=alert(1)>';
const WAIT = { timeout: 10000 };

describe('ProductTable', () => {
	it('renders imported text literally: no injected elements', async () => {
		const backend = await bridge();
		// A catalog row with markup in its texts, imported by the real core (id A… sorts before
		// the demo catalog's P… ids, so it is on the first page).
		const path = join(dir, 'xss-catalog.csv');
		writeFileSync(
			path,
			'product_id,title,title_zh,category_code,brand,price,currency\n' +
				`A0666,Mystery Box "<b>bold</b>",神秘盲盒 <script>alert(2)</script>,misc,${XSS_BRAND},66.60,CNY\n`
		);
		const imported = await backend.importFile({ path, jobId: 'setup', format: null, mapping: null, pseudonymise: true, currency: null }, () => {});
		expect([imported.format, imported.rows_imported]).toEqual(['catalog', 1]);

		const { container } = render(ProductTable, { backend });
		await waitFor(() => expect(screen.getAllByTestId('product-row').length).toBe(50), WAIT);

		const brands = screen.getAllByTestId('product-brand').map((td) => td.textContent);
		expect(brands[0]).toBe(XSS_BRAND);
		expect(screen.getByText(XSS_BRAND).tagName).toBe('TD');
		expect(container.querySelector('img[src="x"]')).toBeNull();
		expect(container.querySelector('img')).toBeNull();
		expect(container.querySelector('script')).toBeNull();
		expect(container.querySelector('b')).toBeNull();
		expect(container.textContent).toContain('<script>alert(2)</script>');
		expect(container.textContent).toContain('Mystery Box "<b>bold</b>"');
	});

	it('searches', async () => {
		const backend = await bridge();
		const { container } = render(ProductTable, { backend });
		await waitFor(() => expect(screen.getAllByTestId('product-row').length).toBe(50), WAIT);
		const input = container.querySelector<HTMLInputElement>('[data-testid="product-search"]')!;
		input.value = 'voltix';
		input.dispatchEvent(new Event('input', { bubbles: true }));
		// the demo catalog has 16 Voltix products
		await waitFor(() => expect(screen.getAllByTestId('product-row').length).toBe(16), WAIT);
		expect(screen.getAllByTestId('product-brand').every((td) => td.textContent === 'Voltix')).toBe(true);
	});
});
