import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { CampaignParams } from '$lib/bindings';
import { DEFAULT_PLACEMENTS } from '$lib/campaign';
import { setLang } from '$lib/lang.svelte';
import { bridge } from '$lib/testing/bridge';
import CampaignForm from './CampaignForm.svelte';

async function setup() {
	const backend = await bridge();
	const placements = await backend.listPlacements();
	const oncreate = vi.fn(async (_p: CampaignParams) => true);
	render(CampaignForm, { backend, placements, oncreate, checkDelay: 10 });
	return { backend, oncreate };
}

// Far enough ahead that the core never finds the promotion ended.
const FROM = '2099-11-01';
const TO = '2099-11-11';

const el = <T extends HTMLElement = HTMLInputElement>(id: string) => screen.getByTestId(id) as T;

describe('CampaignForm', () => {
	it('starts from the core defaults: 8 placements, 8 copy sets, the UI language', async () => {
		setLang('zh-CN');
		await setup();
		const checked = DEFAULT_PLACEMENTS.filter((id) => el(`placement-${id}`).checked);
		expect(checked).toHaveLength(8);
		expect(el('placement-iab-970x250').checked).toBe(false);
		expect(el('campaign-n').value).toBe('8');
		expect(el('lang-zh-CN').checked).toBe(true);
		expect(el('lang-en').checked).toBe(false);
		// The width is the core's count (a Chinese character counts 2).
		await waitFor(() => expect(el('business-width').textContent?.trim()).toBe('10/25'));
		expect(screen.getAllByTestId(/^placement-/).length).toBeGreaterThanOrEqual(10);
		// In the Chinese UI placements carry their Chinese names (assets/placements.json).
		expect(screen.getByText('IAB 中矩形').closest('label')?.textContent).toContain('300×250 · IAB · ≤ 150 KiB');
	});

	it('sends every chosen field: goal, languages, placements, tone, kit colours as [r,g,b], filter, n', async () => {
		setLang('en');
		const { oncreate } = await setup();
		await fireEvent.input(el('campaign-name'), { target: { value: '  Double 11 ' } });
		await fireEvent.change(el('campaign-goal'), { target: { value: 'purchases' } });
		await fireEvent.change(el('campaign-tone'), { target: { value: 'urgent' } });
		await fireEvent.click(el('lang-zh-CN'));
		await fireEvent.click(el('placements-clear'));
		await fireEvent.click(el('placement-iab-300x250'));
		await fireEvent.click(el('placement-google-rda-landscape'));
		await fireEvent.input(el('campaign-url'), { target: { value: 'https://shop.example.cn/11' } });
		await fireEvent.input(el('campaign-business'), { target: { value: '光年数码' } });
		await waitFor(() => expect(el('business-width').textContent?.trim()).toBe('8/25'));
		await fireEvent.input(el('kit-primary'), { target: { value: '#ff8800' } });
		await fireEvent.input(el('kit-accent'), { target: { value: '#0a0b0c' } });
		await fireEvent.change(el('kit-font'), { target: { value: 'serif' } });
		await fireEvent.input(el('kit-logo'), { target: { value: 'GY' } });
		await fireEvent.click(el('kit-segment-palette'));
		// The demo catalogue's categories and brands, as the core lists them.
		await waitFor(() => expect(el<HTMLSelectElement>('filter-category').options.length).toBeGreaterThan(3), { timeout: 10_000 });
		await fireEvent.change(el('filter-category'), { target: { value: 'electronics' } });
		expect([...el<HTMLSelectElement>('filter-brand').options].map((o) => o.value).filter(Boolean)).toEqual(['Lumina', 'Orbit', 'Voltix']);
		await fireEvent.change(el('filter-brand'), { target: { value: 'Voltix' } });
		expect(el('filter-count').textContent).toContain('16 products match');
		await fireEvent.input(el('campaign-n'), { target: { value: '3' } });
		await fireEvent.click(el('create-campaign-btn'));

		await waitFor(() => expect(oncreate).toHaveBeenCalledTimes(1));
		expect(oncreate.mock.calls[0][0]).toEqual({
			name: 'Double 11',
			goal: 'purchases',
			languages: ['zh-CN', 'en'],
			// table order: the landscape image first, so it is the primary placement
			placements: ['google-rda-landscape', 'iab-300x250'],
			tone: 'urgent',
			landing_url: 'https://shop.example.cn/11',
			business_name: '光年数码',
			kit: { primary: [255, 136, 0], accent: [10, 11, 12], font: 'serif', logo_text: 'GY', use_segment_palette: true },
			products: { ids: [], category: 'electronics', brand: 'Voltix' },
			variants_per_segment: 3,
			seed: 42
		});
		await waitFor(() => expect(el('campaign-name').value).toBe(''));
	});

	it('sends a promotion only when one is entered; the core judges its value, dates and products', async () => {
		setLang('en');
		const { backend, oncreate } = await setup();
		const [p1, p2] = (await backend.listProducts({ limit: 2, offset: 0, search: null })).map((p) => p.id);
		await fireEvent.input(el('campaign-name'), { target: { value: 'Double 11' } });
		const btn = el<HTMLButtonElement>('create-campaign-btn');
		await fireEvent.change(el('promo-kind'), { target: { value: 'percent' } });
		await fireEvent.input(el('promo-value'), { target: { value: '95' } });
		await fireEvent.input(el('promo-from'), { target: { value: FROM } });
		await fireEvent.input(el('promo-to'), { target: { value: TO } });
		await waitFor(() => expect(el('form-problems').textContent).toContain('Promotion: must be 1–90 (percent off); it is 95'));
		expect(btn.disabled).toBe(true);
		await fireEvent.input(el('promo-value'), { target: { value: '15' } });
		// Rules only the core knows: the products must be in the catalog, the promotion not over.
		await fireEvent.input(el('promo-products'), { target: { value: 'NO-SUCH-SKU' } });
		await waitFor(() => expect(el('form-problems').textContent).toContain('no product NO-SUCH-SKU in the catalog'));
		await fireEvent.input(el('promo-to'), { target: { value: '2020-01-02' } });
		await fireEvent.input(el('promo-from'), { target: { value: '2020-01-01' } });
		await waitFor(() => expect(el('form-problems').textContent).toContain('the promotion ended on 2020-01-02'));
		await fireEvent.input(el('promo-from'), { target: { value: FROM } });
		await fireEvent.input(el('promo-to'), { target: { value: TO } });
		await fireEvent.input(el('promo-products'), { target: { value: ` ${p1}, ,${p2} ` } });
		await waitFor(() => expect(btn.disabled).toBe(false));
		expect(screen.queryByTestId('form-problems')).toBeNull();
		await fireEvent.click(btn);
		await waitFor(() => expect(oncreate).toHaveBeenCalledTimes(1));
		expect(oncreate.mock.calls[0][0].promotion).toEqual({ kind: { percent: 15 }, starts: FROM, ends: TO, products: [p1, p2] });
		await fireEvent.change(el('promo-kind'), { target: { value: 'amount' } });
		await fireEvent.input(el('promo-value'), { target: { value: '1' } });
		await fireEvent.input(el('campaign-name'), { target: { value: 'Again' } });
		await fireEvent.click(btn);
		await waitFor(() => expect(oncreate).toHaveBeenCalledTimes(2));
		expect(oncreate.mock.calls[1][0].promotion?.kind).toEqual({ amount: 100 });
		await fireEvent.change(el('promo-kind'), { target: { value: 'none' } });
		await fireEvent.input(el('campaign-name'), { target: { value: 'Plain' } });
		await fireEvent.click(btn);
		await waitFor(() => expect(oncreate).toHaveBeenCalledTimes(3));
		expect(oncreate.mock.calls[2][0].promotion).toBeUndefined();
	});

	it("shows the core's problems while the marketer types, and never submits past them", async () => {
		setLang('en');
		const { oncreate } = await setup();
		const btn = el<HTMLButtonElement>('create-campaign-btn');
		await waitFor(() => expect(btn.disabled).toBe(true));
		await fireEvent.input(el('campaign-name'), { target: { value: 'Spring' } });
		await waitFor(() => expect(btn.disabled).toBe(false));
		await fireEvent.input(el('campaign-url'), { target: { value: 'shop.example.com' } });
		await waitFor(() => expect(el('url-error').textContent).toBe('must start with https:// or http://'));
		expect(btn.disabled).toBe(true);
		await fireEvent.input(el('campaign-url'), { target: { value: 'https://exa mple.com' } });
		await waitFor(() => expect(el('url-error').textContent).toBe('contains spaces or control characters'));
		await fireEvent.input(el('campaign-url'), { target: { value: 'http://shop.example.com' } });
		await waitFor(() => expect(screen.queryByTestId('url-error')).toBeNull());
		await fireEvent.input(el('campaign-business'), { target: { value: '一二三四五六七八九十一二三' } });
		await waitFor(() => expect(el('business-width').textContent?.trim()).toBe('26/25'));
		expect(el('business-width').classList.contains('err')).toBe(true);
		expect(el('form-problems').textContent).toContain('Business name: must be 1–25 width units');
		expect(btn.disabled).toBe(true);
		await fireEvent.input(el('campaign-business'), { target: { value: '一二三四五六七八九十一二' } });
		await fireEvent.click(el('lang-en'));
		await waitFor(() => expect(el('form-problems').textContent).toContain('Languages: choose at least one language'));
		expect(btn.disabled).toBe(true);
		await fireEvent.click(el('lang-en'));
		await fireEvent.click(el('placements-clear'));
		await waitFor(() => expect(el('form-problems').textContent).toContain('Placements: choose at least one placement'));
		// Submitting before the check has answered asks the core first, and stops at its problems.
		await fireEvent.click(btn);
		await fireEvent.click(el('placements-default'));
		await waitFor(() => expect(btn.disabled).toBe(false));
		await fireEvent.input(el('campaign-n'), { target: { value: '21' } });
		await fireEvent.click(btn);
		await waitFor(() => expect(el('form-problems').textContent).toContain('must be 1–20'));
		expect(oncreate).not.toHaveBeenCalled();
		setLang('zh-CN');
		await waitFor(() => expect(el('form-problems').textContent).toContain('1–20'));
	});
});
