import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { EditVariantArgs } from '$lib/backend';
import type { HttpBackend } from '$lib/backend/http';
import { defaultParams } from '$lib/campaign';
import { setLang, ui } from '$lib/lang.svelte';
import { reasonText } from '$lib/messages';
import { bridge, profileId } from '$lib/testing/bridge';
import CampaignScreen from './CampaignScreen.svelte';

// The `campaign` template: "Spring", en + zh-CN, one copy set per segment (4 segments → 8
// variants, zh-CN before en within a segment), these placements, every variant a draft.
const PLACEMENTS = ['google-rda-landscape', 'iab-300x250', 'iab-300x600'];

async function withCampaign() {
	const backend = await bridge({ project: 'campaign' });
	const [c] = await backend.listCampaigns();
	const variants = await backend.listVariants(c.id);
	const en = variants.filter((v) => v.lang === 'en');
	return { backend, c, variants, en };
}

/** Record the `editVariant` calls while the real core answers them. */
function recordEdits(backend: HttpBackend): EditVariantArgs[] {
	const edits: EditVariantArgs[] = [];
	const edit = backend.editVariant.bind(backend);
	backend.editVariant = (a) => (edits.push(a), edit(a));
	return edits;
}

/** Submit as the signed-in marketer, approve as the demo reviewer, back to the marketer. */
async function approve(backend: HttpBackend, variantId: number) {
	await backend.submitVariant(variantId);
	await backend.signIn(await profileId(backend, 'demo-reviewer'));
	await backend.approveVariant({ variantId, params: { note: '', override_reason: null } });
	await backend.signIn(await profileId(backend, 'demo-marketer'));
}

const rows = () => screen.getAllByTestId('variant-row');
const row = (id: number) => rows().find((r) => r.dataset.variantId === String(id))!;
const T = { timeout: 10_000 };

describe('CampaignScreen grid', () => {
	it('shows one row per variant, one cell per placement with its budget mark, grouped by segment', async () => {
		setLang('zh-CN');
		const { backend, variants } = await withCampaign();
		const v = variants[1];
		expect(v.lang).toBe('en');
		// The real renders fit their budgets; one is shown over budget to see the mark.
		const list = backend.listVariants.bind(backend);
		backend.listVariants = async (id) =>
			(await list(id)).map((x) =>
				x.id === v.id ? { ...x, renders: x.renders.map((r) => (r.placement === 'iab-300x600' ? { ...r, bytes: 200_000, within_budget: false } : r)) } : x
			);
		render(CampaignScreen, { backend });

		await waitFor(() => expect(rows()).toHaveLength(8), T);
		expect(screen.getAllByTestId('variant-card')).toHaveLength(8);
		expect(screen.getAllByTestId('compliance-ok')).toHaveLength(8);
		const headings = screen.getAllByTestId('segment-heading').map((h) => h.textContent);
		expect(headings).toHaveLength(4);
		expect(headings[0]).toContain('服饰鞋包爱好者');
		expect(headings[0]).toContain('2 个素材');
		await waitFor(() => expect(screen.getAllByTestId('placement-col')).toHaveLength(3 * 4));
		for (const r of rows()) {
			const cells = within(r).getAllByTestId('placement-cell');
			expect(cells.map((c) => c.dataset.placement)).toEqual(PLACEMENTS);
		}
		expect(screen.getAllByTestId('budget-ok')).toHaveLength(8 * 3 - 1);
		const over = within(row(v.id)).getByTestId('budget-over');
		expect(over.closest('[data-testid="placement-cell"]')?.getAttribute('data-placement')).toBe('iab-300x600');
		// Each card: language, set number, angle, reasons.
		const card = within(row(v.id)).getByTestId('variant-card');
		expect(within(card).getByTestId('variant-set').textContent).toBe('#1');
		expect(within(card).getByTestId('variant-lang').textContent).toBe('en');
		expect(within(card).getByTestId('variant-angle').textContent).toBe('创意角度: 兴趣预测');
		// The reasons in the window's language (zh-CN here: keyed by the core, named in Chinese).
		expect(v.reasons[0].key).toBe('reason.product.interest');
		expect(card.textContent).toContain(reasonText(ui.lang, v.reasons[0]));
		expect(card.textContent).toContain('平均概率 0.27');
		expect(card.textContent).not.toContain(v.reasons[0].text);

		// The primary placement comes inline; the others load on demand.
		const first = row(variants[0].id);
		const primary = within(first).getAllByTestId('placement-cell')[0];
		expect(within(primary).getByTestId('preview-img').getAttribute('src')).toBe(variants[0].banner_data_url);
		const square = within(first).getAllByTestId('placement-cell')[1];
		expect(within(square).getByTestId('render-meta').textContent).toMatch(/300×250\s*PNG\s*[\d.]+ KiB \/ 150 KiB/);
		await fireEvent.click(within(square).getByTestId('load-preview'));
		await waitFor(() => expect(within(square).getByTestId('preview-img').getAttribute('src')).toMatch(/^data:image\/png;base64,/), T);
	});

	it('shows the core error message when creating fails, and progress with cancel while it runs', async () => {
		setLang('en');
		const backend = await bridge();
		render(CampaignScreen, { backend });
		await fireEvent.input(screen.getByTestId('campaign-name'), { target: { value: 'Old promo' } });
		// A promotion that has ended: the core's live check names it, and nothing is sent.
		await fireEvent.change(screen.getByTestId('promo-kind'), { target: { value: 'percent' } });
		await fireEvent.input(screen.getByTestId('promo-value'), { target: { value: '15' } });
		await fireEvent.input(screen.getByTestId('promo-from'), { target: { value: '2020-01-01' } });
		await fireEvent.input(screen.getByTestId('promo-to'), { target: { value: '2020-01-10' } });
		await fireEvent.click(screen.getByTestId('create-campaign-btn'));
		await waitFor(() => expect(screen.getByTestId('form-problems').textContent).toContain('the promotion ended on 2020-01-10'), T);
		expect(screen.queryByTestId('error-banner')).toBeNull();
		expect(await backend.listCampaigns()).toEqual([]);

		// What the core answers when a create fails anyway (the spec sent past the form, as a
		// script would) is shown as the core words it: the real refusal, replayed once.
		const refusal = await backend.createCampaign({ params: defaultParams('Old promo', { promotion: { kind: { percent: 15 }, starts: '2020-01-01', ends: '2020-01-10', products: [] } }), jobId: 'x' }, () => {}).catch((e) => e);
		const create = backend.createCampaign.bind(backend);
		backend.createCampaign = () => ((backend.createCampaign = create), Promise.reject(refusal));
		await fireEvent.change(screen.getByTestId('promo-kind'), { target: { value: 'none' } });
		await fireEvent.click(screen.getByTestId('create-campaign-btn'));
		const banner = await screen.findByTestId('error-banner', {}, T);
		expect(screen.getByTestId('error-code').textContent).toBe('invalid_input');
		expect(banner.textContent).toContain('campaign promotion.ends: the promotion ended on 2020-01-10');
		expect((screen.getByTestId('campaign-name') as HTMLInputElement).value).toBe('Old promo');
		expect(await backend.listCampaigns()).toEqual([]);

		// Without the promotion, the form's defaults (8 placements × 8 copy sets per segment)
		// keep the core rendering long enough to watch and cancel.
		await fireEvent.change(screen.getByTestId('promo-kind'), { target: { value: 'none' } });
		await fireEvent.click(screen.getByTestId('create-campaign-btn'));
		await waitFor(() => expect(screen.queryByTestId('error-banner')).toBeNull());
		await waitFor(() => expect(screen.getByTestId('progress-stage').textContent).toMatch(/Writing copy|Rendering banners/), T);
		await waitFor(() => expect(screen.getByTestId('progress-eta').textContent).toMatch(/Time remaining: \d+:\d\d/), T);
		await fireEvent.click(screen.getByTestId('cancel-btn'));
		await waitFor(() => expect(screen.getByText('The job was cancelled. Nothing was changed.')).toBeTruthy(), T);
		expect(screen.queryByTestId('error-banner')).toBeNull();
		expect(await backend.listCampaigns()).toEqual([]);
	});
});

describe('CampaignScreen editor', () => {
	it('marks a "!" live, applies the suggested fix, saves (editVariant) and the card returns to draft', async () => {
		setLang('en');
		const { backend, en } = await withCampaign();
		const v = en[0];
		await approve(backend, v.id);
		const edits = recordEdits(backend);
		render(CampaignScreen, { backend });
		await waitFor(() => expect(within(row(v.id)).getByTestId('status-approved')).toBeTruthy(), T);

		await fireEvent.click(within(row(v.id)).getByTestId('edit-btn'));
		const editor = await screen.findByTestId('variant-editor');
		const headline = within(editor).getByTestId('edit-headline') as HTMLInputElement;
		expect(headline.value).toBe(v.headline);
		// The counters are the core's lengths (`lint_copy`), asked as soon as the editor opens.
		await waitFor(() => expect(within(editor).getAllByTestId('length-counter').map((c) => c.textContent?.trim())).toContain(`Google 1200×628: ${v.headline.length}/30`), T);

		await fireEvent.input(headline, { target: { value: 'Picked for you!' } });
		const finding = await within(editor).findByTestId('live-finding', {}, T);
		expect(finding.dataset.rule).toBe('google-headline-exclamation');
		expect(finding.textContent).toContain('Headlines may not contain an exclamation mark.');
		expect(within(editor).getAllByTestId('live-finding')).toHaveLength(1);
		expect(within(editor).getByTestId('finding-mark').textContent).toBe('!');
		expect(within(editor).getByTestId('editor-dirty')).toBeTruthy();

		await fireEvent.click(within(editor).getByTestId('apply-fix'));
		expect(headline.value).toBe('Picked for you.');
		await waitFor(() => expect(within(editor).queryByTestId('live-finding')).toBeNull(), T);
		await waitFor(() => expect(within(editor).getByTestId('lint-state').textContent).toContain('Passes compliance checks'), T);

		await fireEvent.click(within(editor).getByTestId('save-edit'));
		await waitFor(() => expect(within(row(v.id)).getByTestId('status-draft')).toBeTruthy(), T);
		expect(edits).toEqual([{ variantId: v.id, edit: { headline: 'Picked for you.' } }]);
		expect(within(row(v.id)).getByTestId('variant-headline').textContent).toBe('Picked for you.');
		expect(within(editor).getByTestId('editor-status').textContent).toContain('back to draft');
		expect(within(editor).queryByTestId('editor-dirty')).toBeNull();
		// The core stored it.
		expect((await backend.listVariants(v.campaign_id)).find((x) => x.id === v.id)).toMatchObject({ headline: 'Picked for you.', status: 'draft' });
	});

	it('shows the core refusal of a headline that is too long', async () => {
		setLang('en');
		const { backend, en } = await withCampaign();
		render(CampaignScreen, { backend });
		await waitFor(() => expect(rows()).toHaveLength(8), T);
		await fireEvent.click(within(row(en[0].id)).getByTestId('edit-btn'));
		const editor = await screen.findByTestId('variant-editor');
		await fireEvent.input(within(editor).getByTestId('edit-headline'), { target: { value: 'x'.repeat(34) } });
		await waitFor(() => expect(within(editor).getByTestId('length-over').textContent).toContain('34/30'), T);
		await fireEvent.click(within(editor).getByTestId('save-edit'));
		await waitFor(
			() => expect(within(editor).getByTestId('error-message').textContent).toBe('the edit does not fit: Headline is 34 units, google-rda-landscape allows 30'),
			T
		);
		expect(within(editor).getByTestId('error-code').textContent).toBe('invalid_input');
		expect(within(row(en[0].id)).getByTestId('variant-headline').textContent).toBe(en[0].headline);
	});

	it('sends lock toggles in `layers`, and regenerate keeps the locked headline', async () => {
		setLang('en');
		// Two copy sets per segment, so regenerating has another set to take the rest from.
		const backend = await bridge();
		const c = await backend.createCampaign(
			{ params: defaultParams('Locks', { languages: ['en'], variants_per_segment: 2, placements: ['google-rda-landscape', 'iab-300x250'] }), jobId: 'locks' },
			() => {}
		);
		const variants = await backend.listVariants(c.id);
		const v = variants[2];
		const edits = recordEdits(backend);
		render(CampaignScreen, { backend });
		await waitFor(() => expect(rows()).toHaveLength(8), T);
		await fireEvent.click(within(row(v.id)).getByTestId('edit-btn'));
		const editor = await screen.findByTestId('variant-editor');
		expect(within(editor).getAllByTestId('layer-row')).toHaveLength(8);
		expect(within(editor).getByTestId('lock-hint').textContent).toContain('keep its text');

		const lock = within(editor).getByTestId('layer-lock-headline');
		expect(lock.getAttribute('aria-pressed')).toBe('false');
		await fireEvent.click(lock);
		expect(lock.getAttribute('aria-pressed')).toBe('true');
		expect(within(editor).getByTestId('layer-locked')).toBeTruthy();
		await fireEvent.click(within(editor).getByTestId('layer-hide-badge'));
		await fireEvent.click(within(editor).getByTestId('regenerate-btn'));

		await waitFor(() => expect(within(editor).getByTestId('editor-status').textContent).toContain('Kept locked: Headline'), T);
		expect(edits).toEqual([
			{
				variantId: v.id,
				edit: {
					// In the core's drawing order (LAYER_KINDS).
					layers: [
						{ kind: 'badge', text: null, color: null, rect: null, hidden: true, locked: false },
						{ kind: 'headline', text: null, color: null, rect: null, hidden: false, locked: true }
					]
				}
			}
		]);
		const card = within(row(v.id)).getByTestId('variant-card');
		expect(within(card).getByTestId('variant-headline').textContent).toBe(v.headline);
		expect((within(editor).getByTestId('edit-headline') as HTMLInputElement).value).toBe(v.headline);
		expect((within(editor).getByTestId('edit-description') as HTMLTextAreaElement).value).not.toBe(v.description);
		expect(card.textContent).toContain('locked layers kept: headline');
		expect(within(card).getByTestId('locked-layers').textContent).toContain('Headline');
		// Unlocked edits (the hidden badge) are dropped by regeneration; the lock stays.
		expect(within(editor).getByTestId('layer-lock-headline').getAttribute('aria-pressed')).toBe('true');
		expect((within(editor).getByTestId('layer-hide-badge') as HTMLInputElement).checked).toBe(false);
	});
});

describe('CampaignScreen compare', () => {
	it('shows two variants side by side at a chosen placement', async () => {
		setLang('en');
		const { backend, variants } = await withCampaign();
		const [a, b] = [variants[1], variants[5]];
		render(CampaignScreen, { backend });
		await waitFor(() => expect(rows()).toHaveLength(8), T);
		await fireEvent.click(within(row(a.id)).getByTestId('compare-toggle'));
		expect(screen.getByTestId('compare-hint')).toBeTruthy();
		await fireEvent.click(within(row(b.id)).getByTestId('compare-toggle'));
		const view = await screen.findByTestId('compare-view');
		const cols = within(view).getAllByTestId('compare-col');
		expect(cols.map((c) => c.dataset.variantId)).toEqual([String(a.id), String(b.id)]);
		expect(within(cols[0]).getByTestId('compare-headline').textContent).toBe(a.headline);
		expect(within(cols[1]).getByTestId('compare-headline').textContent).toBe(b.headline);
		expect(within(cols[1]).getByTestId('compare-cta').textContent).toBe(b.cta);
		expect(within(cols[0]).getByTestId('compare-reasons').textContent).toContain(a.reasons[0].text);
		expect(within(cols[0]).getByTestId('compare-ok')).toBeTruthy();
		expect(within(cols[0]).getByTestId('preview-img').getAttribute('src')).toBe(a.banner_data_url);

		await fireEvent.change(within(view).getByTestId('compare-placement'), { target: { value: 'iab-300x600' } });
		await waitFor(() => expect(within(view).getAllByTestId('preview-img')).toHaveLength(2), T);
		for (const c of cols) expect(within(c).getByTestId('render-meta').textContent).toContain('300×600');
		await fireEvent.click(within(view).getByTestId('compare-close'));
		expect(screen.queryByTestId('compare-view')).toBeNull();
	});
});
