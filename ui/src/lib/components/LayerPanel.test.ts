import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LayerColor } from '$lib/bindings';
import { layerRows } from '$lib/campaign';
import { setLang } from '$lib/lang.svelte';
import { bridge } from '$lib/testing/bridge';
import LayerPanel from './LayerPanel.svelte';

const swatch = (kind: string) => screen.getByTestId(`layer-color-${kind}`) as HTMLInputElement;

describe('LayerPanel swatches', () => {
	it("show each layer's drawn colour, the user's colour over it, and grey only for a layer not drawn", async () => {
		setLang('en');
		const rows = layerRows([{ kind: 'headline', text: null, color: [1, 2, 3], rect: null, hidden: false, locked: false }]);
		const colors: LayerColor[] = [
			{ kind: 'background', color: [150, 20, 40] },
			{ kind: 'cta', color: [255, 196, 61] },
			{ kind: 'headline', color: [255, 255, 255] }
		];
		render(LayerPanel, { backend: await bridge(), rows, colors });
		expect(swatch('background').value).toBe('#961428');
		expect(swatch('cta').value).toBe('#ffc43d');
		expect(swatch('headline').value).toBe('#010203');
		expect(swatch('badge').value).toBe('#808080');
		expect(swatch('cta').title).toContain('#ffc43d');
	});

	it('keeps the colour control inside a table cell, so the Position column is not pushed out', async () => {
		setLang('en');
		render(LayerPanel, { backend: await bridge(), rows: layerRows([]), colors: [] });
		const cell = swatch('cta').closest('td');
		expect(cell).not.toBeNull();
		expect(cell?.classList.contains('color')).toBe(false);
		expect(screen.getByTestId('layer-pos-toggle-cta').closest('td')?.classList.contains('pos')).toBe(true);
	});
});
