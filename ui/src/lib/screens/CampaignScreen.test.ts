import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CampaignParams, VariantRow } from '$lib/bindings';
import { MockBackend, type EditVariantArgs } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import { setLang, ui } from '$lib/lang.svelte';
import { reasonText } from '$lib/messages';
import { approveAs } from '$lib/backend/mock-flow';
import CampaignScreen from './CampaignScreen.svelte';

const PLACEMENTS = ['google-rda-landscape', 'iab-300x250', 'iab-728x90'];

async function withCampaign(over: Partial<CampaignParams> = {}) {
	const backend = new MockBackend({ tickMs: 1 });
	const c = await backend.createCampaign(
		{ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 2, placements: PLACEMENTS, ...over }), jobId: 'j' },
		() => {}
	);
	const variants = await backend.listVariants(c.id);
	return { backend, c, variants };
}

const rows = () => screen.getAllByTestId('variant-row');
const row = (id: number) => rows().find((r) => r.dataset.variantId === String(id))!;

describe('CampaignScreen grid', () => {
	it('shows one row per variant, one cell per placement with its budget mark, grouped by segment', async () => {
		setLang('zh-CN');
		const { backend, variants } = await withCampaign();
		const seen = variants.map((v) => (v.id === variants[1].id ? { ...v, renders: v.renders.map((r, i) => (i === 2 ? { ...r, bytes: 200_000, within_budget: false } : r)) } : v));
		backend.listVariants = async () => seen as VariantRow[];
		render(CampaignScreen, { backend });

		await waitFor(() => expect(rows()).toHaveLength(8));
		expect(screen.getAllByTestId('variant-card')).toHaveLength(8);
		expect(screen.getAllByTestId('compliance-ok')).toHaveLength(8);
		const headings = screen.getAllByTestId('segment-heading').map((h) => h.textContent);
		expect(headings).toHaveLength(4);
		expect(headings[0]).toContain('美妆达人');
		expect(headings[0]).toContain('2 个素材');
		await waitFor(() => expect(screen.getAllByTestId('placement-col')).toHaveLength(3 * 4));
		for (const r of rows()) {
			const cells = within(r).getAllByTestId('placement-cell');
			expect(cells.map((c) => c.dataset.placement)).toEqual(PLACEMENTS);
		}
		expect(screen.getAllByTestId('budget-ok')).toHaveLength(8 * 3 - 1);
		const over = within(row(variants[1].id)).getByTestId('budget-over');
		expect(over.closest('[data-testid="placement-cell"]')?.getAttribute('data-placement')).toBe('iab-728x90');
		// Each card: language, set number, angle, reasons.
		const card = within(row(variants[1].id)).getByTestId('variant-card');
		expect(within(card).getByTestId('variant-set').textContent).toBe('#2');
		expect(within(card).getByTestId('variant-lang').textContent).toBe('en');
		expect(within(card).getByTestId('variant-angle').textContent).toMatch(/创意角度/);
		// The reasons in the window's language (zh-CN here: keyed by the core, named in Chinese).
		expect(card.textContent).toContain(reasonText(ui.lang, variants[1].reasons[0]));

		// The primary placement comes inline; the others load on demand.
		const first = row(variants[0].id);
		const primary = within(first).getAllByTestId('placement-cell')[0];
		expect(within(primary).getByTestId('preview-img').getAttribute('src')).toBe(variants[0].banner_data_url);
		const square = within(first).getAllByTestId('placement-cell')[1];
		expect(within(square).getByTestId('render-meta').textContent).toMatch(/300×250\s*PNG\s*[\d.]+ KiB \/ 150 KiB/);
		await fireEvent.click(within(square).getByTestId('load-preview'));
		await waitFor(() => expect(within(square).getByTestId('preview-img').getAttribute('src')).toMatch(/^data:image\/png;base64,/));
	});

	it('shows the core error message when creating fails, and progress with cancel while it runs', async () => {
		setLang('en');
		const backend = new MockBackend({ tickMs: 1 });
		render(CampaignScreen, { backend });
		await fireEvent.input(screen.getByTestId('campaign-name'), { target: { value: 'Nothing fits' } });
		backend.failures.create_campaign = { code: 'conflict', message: "no product matches the campaign's product filter" };
		await fireEvent.click(screen.getByTestId('create-campaign-btn'));
		const banner = await screen.findByTestId('error-banner');
		expect(screen.getByTestId('error-code').textContent).toBe('conflict');
		expect(banner.textContent).toContain("no product matches the campaign's product filter");
		expect((screen.getByTestId('campaign-name') as HTMLInputElement).value).toBe('Nothing fits');

		const slow = new MockBackend({ tickMs: 30 });
		backend.createCampaign = slow.createCampaign.bind(slow);
		backend.cancelJob = slow.cancelJob.bind(slow);
		await fireEvent.click(screen.getByTestId('create-campaign-btn'));
		await waitFor(() => expect(screen.getByTestId('progress-stage').textContent).toMatch(/Writing copy|Rendering banners/));
		expect(screen.getByTestId('progress-eta').textContent).toContain('Time remaining');
		await fireEvent.click(screen.getByTestId('cancel-btn'));
		await waitFor(() => expect(screen.getByText('The job was cancelled. Nothing was changed.')).toBeTruthy());
		expect(await slow.listCampaigns()).toEqual([]);
	});
});

describe('CampaignScreen editor', () => {
	it('marks a "!" live, applies the suggested fix, saves (editVariant) and the card returns to draft', async () => {
		setLang('en');
		const { backend, variants } = await withCampaign();
		const v = variants[0];
		await approveAs(backend, v.id);
		const edits: EditVariantArgs[] = [];
		const edit = backend.editVariant.bind(backend);
		backend.editVariant = (a) => (edits.push(a), edit(a));
		render(CampaignScreen, { backend });
		await waitFor(() => expect(within(row(v.id)).getByTestId('status-approved')).toBeTruthy());

		await fireEvent.click(within(row(v.id)).getByTestId('edit-btn'));
		const editor = await screen.findByTestId('variant-editor');
		const headline = within(editor).getByTestId('edit-headline') as HTMLInputElement;
		expect(headline.value).toBe(v.headline);
		expect(within(editor).getAllByTestId('length-counter').map((c) => c.textContent?.trim())).toContain(`Google 1200×628: ${v.headline.length}/30`);

		await fireEvent.input(headline, { target: { value: 'Big sale!' } });
		const finding = await within(editor).findByTestId('live-finding', {}, { timeout: 2000 });
		expect(finding.dataset.rule).toBe('google-headline-exclamation');
		expect(finding.textContent).toContain('Headlines may not contain an exclamation mark.');
		expect(within(editor).getByTestId('finding-mark').textContent).toBe('!');
		expect(within(editor).getByTestId('editor-dirty')).toBeTruthy();

		await fireEvent.click(within(editor).getByTestId('apply-fix'));
		expect(headline.value).toBe('Big sale.');
		await waitFor(() => expect(within(editor).queryByTestId('live-finding')).toBeNull(), { timeout: 2000 });
		await waitFor(() => expect(within(editor).getByTestId('lint-state').textContent).toContain('Passes compliance checks'));

		await fireEvent.click(within(editor).getByTestId('save-edit'));
		await waitFor(() => expect(within(row(v.id)).getByTestId('status-draft')).toBeTruthy());
		expect(edits).toEqual([{ variantId: v.id, edit: { headline: 'Big sale.' } }]);
		expect(within(row(v.id)).getByTestId('variant-headline').textContent).toBe('Big sale.');
		expect(within(editor).getByTestId('editor-status').textContent).toContain('back to draft');
		expect(within(editor).queryByTestId('editor-dirty')).toBeNull();
	});

	it('shows the core refusal of a headline that is too long', async () => {
		setLang('en');
		const { backend, variants } = await withCampaign();
		render(CampaignScreen, { backend });
		await waitFor(() => expect(rows()).toHaveLength(8));
		await fireEvent.click(within(row(variants[0].id)).getByTestId('edit-btn'));
		const editor = await screen.findByTestId('variant-editor');
		await fireEvent.input(within(editor).getByTestId('edit-headline'), { target: { value: 'x'.repeat(34) } });
		await waitFor(() => expect(within(editor).getByTestId('length-over').textContent).toContain('34/30'));
		await fireEvent.click(within(editor).getByTestId('save-edit'));
		await waitFor(() =>
			expect(within(editor).getByTestId('error-message').textContent).toBe('the edit does not fit: Headline is 34 units, google-rda-landscape allows 30')
		);
	});

	it('sends lock toggles in `layers`, and regenerate keeps the locked headline', async () => {
		setLang('en');
		const { backend, variants } = await withCampaign();
		const v = variants[2];
		const edits: EditVariantArgs[] = [];
		const edit = backend.editVariant.bind(backend);
		backend.editVariant = (a) => (edits.push(a), edit(a));
		render(CampaignScreen, { backend });
		await waitFor(() => expect(rows()).toHaveLength(8));
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

		await waitFor(() => expect(within(editor).getByTestId('editor-status').textContent).toContain('Kept locked: Headline'));
		expect(edits).toEqual([
			{
				variantId: v.id,
				edit: {
					layers: [
						{ kind: 'headline', text: null, color: null, rect: null, hidden: false, locked: true },
						{ kind: 'badge', text: null, color: null, rect: null, hidden: true, locked: false }
					]
				}
			}
		]);
		const card = within(row(v.id)).getByTestId('variant-card');
		expect(within(card).getByTestId('variant-headline').textContent).toBe(v.headline);
		expect((within(editor).getByTestId('edit-headline') as HTMLInputElement).value).toBe(v.headline);
		expect((within(editor).getByTestId('edit-long_headline') as HTMLTextAreaElement).value).not.toBe(v.long_headline);
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
		const [a, b] = [variants[0], variants[5]];
		render(CampaignScreen, { backend });
		await waitFor(() => expect(rows()).toHaveLength(8));
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

		await fireEvent.change(within(view).getByTestId('compare-placement'), { target: { value: 'iab-728x90' } });
		await waitFor(() => expect(within(view).getAllByTestId('preview-img')).toHaveLength(2));
		for (const c of cols) expect(within(c).getByTestId('render-meta').textContent).toContain('728×90');
		await fireEvent.click(within(view).getByTestId('compare-close'));
		expect(screen.queryByTestId('compare-view')).toBeNull();
	});
});
