import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { setLang } from '$lib/lang.svelte';
import { bridge } from '$lib/testing/bridge';
import VariantCard from './VariantCard.svelte';

/** The variants of the `campaign` template ("Spring": drafts, none with findings). */
async function spring() {
	const backend = await bridge({ project: 'campaign' });
	const [c] = await backend.listCampaigns();
	return { backend, variants: await backend.listVariants(c.id) };
}

describe('VariantCard compliance marks', () => {
	it('shows a pass badge when the copy has no findings', async () => {
		const { variants } = await spring();
		expect(variants[0].findings).toEqual([]);
		render(VariantCard, { variant: variants[0] });
		expect(screen.getByTestId('compliance-ok')).toBeTruthy();
		expect(screen.queryAllByTestId('finding')).toHaveLength(0);
		expect(screen.getByTestId('variant-headline').textContent).toBe(variants[0].headline);
		expect(screen.getByTestId('variant-banner').getAttribute('src')).toBe(variants[0].banner_data_url);
	});

	it('lists each finding with its field, text, rule and suggested fix', async () => {
		setLang('en');
		const { backend, variants } = await spring();
		const zh = variants.find((v) => v.lang === 'zh-CN')!;
		// The core saves the copy and reports what its compliance rules find in it.
		const variant = await backend.editVariant({ variantId: zh.id, edit: { headline: '全网最低价 FREE' } });
		expect(variant.findings.map((f) => f.rule)).toEqual(['cn-ad-law-9-absolute', 'google-gimmicky-caps']);
		render(VariantCard, { variant });
		const marks = screen.getAllByTestId('finding');
		expect(marks).toHaveLength(2);
		expect(marks[0].textContent).toContain('Headline: “全网最低” · cn-ad-law-9-absolute');
		expect(marks[0].getAttribute('title')).toBe('Suggested: 超值');
		expect(marks[1].textContent).toContain('Headline: “FREE” · google-gimmicky-caps');
		expect(marks[1].getAttribute('title')).toBe('Suggested: Free');
		expect(marks[1].classList.contains('error')).toBe(true);
		expect(screen.queryByTestId('compliance-ok')).toBeNull();
	});
});
