import { render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend, XSS_BRAND } from '$lib/backend';
import ProductTable from './ProductTable.svelte';

describe('ProductTable', () => {
	it('renders imported text literally: no injected elements', async () => {
		const { container } = render(ProductTable, { backend: new MockBackend({ tickMs: 1 }) });
		await waitFor(() => expect(screen.getAllByTestId('product-row').length).toBe(50));

		const brands = screen.getAllByTestId('product-brand').map((td) => td.textContent);
		expect(brands).toContain(XSS_BRAND);
		expect(screen.getByText(XSS_BRAND).tagName).toBe('TD');
		expect(container.querySelector('img[src="x"]')).toBeNull();
		expect(container.querySelector('img')).toBeNull();
		expect(container.querySelector('script')).toBeNull();
		expect(container.querySelector('b')).toBeNull();
		expect(container.textContent).toContain('<script>alert(2)</script>');
	});

	it('searches', async () => {
		const { container } = render(ProductTable, { backend: new MockBackend({ tickMs: 1 }) });
		await waitFor(() => expect(screen.getAllByTestId('product-row').length).toBe(50));
		const input = container.querySelector<HTMLInputElement>('[data-testid="product-search"]')!;
		input.value = 'voltix';
		input.dispatchEvent(new Event('input', { bubbles: true }));
		await waitFor(() => expect(screen.getAllByTestId('product-row').length).toBe(12));
		expect(screen.getAllByTestId('product-brand').every((td) => td.textContent === 'Voltix')).toBe(true);
	});
});
