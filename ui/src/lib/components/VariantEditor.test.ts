import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { VariantRow } from '$lib/bindings';
import type { EditVariantArgs } from '$lib/backend';
import { setLang } from '$lib/lang.svelte';
import { bridge } from '$lib/testing/bridge';
import VariantEditor from './VariantEditor.svelte';

const T = { timeout: 10_000 };

/** The editor on an English variant of the `campaign` template ("Spring", a draft). */
async function setup() {
	setLang('en');
	const backend = await bridge({ project: 'campaign' });
	const [campaign] = await backend.listCampaigns();
	const variant = (await backend.listVariants(campaign.id)).find((v) => v.lang === 'en')!;
	const placements = (await backend.listPlacements()).filter((p) => campaign.placements.includes(p.id));
	const edits: EditVariantArgs[] = [];
	const edit = backend.editVariant.bind(backend);
	backend.editVariant = (a) => (edits.push(a), edit(a));
	const changes: VariantRow[] = [];
	render(VariantEditor, { backend, variant, campaign, placements, lintDelay: 1, onchange: (v: VariantRow) => changes.push(v), onclose: () => {} });
	return { backend, variant, edits, edit, changes };
}

const input = (id: string) => screen.getByTestId(id) as HTMLInputElement;

async function typePosition(kind: string, [x, y, w, h]: string[]) {
	if (!screen.queryByTestId(`layer-pos-x-${kind}`)) await fireEvent.click(screen.getByTestId(`layer-pos-toggle-${kind}`));
	await fireEvent.input(input(`layer-pos-x-${kind}`), { target: { value: x } });
	await fireEvent.input(input(`layer-pos-y-${kind}`), { target: { value: y } });
	await fireEvent.input(input(`layer-pos-w-${kind}`), { target: { value: w } });
	await fireEvent.input(input(`layer-pos-h-${kind}`), { target: { value: h } });
	// The core has judged the position (`check_layer_rect`).
	await waitFor(() => expect(screen.getByTestId(`layer-pos-${kind}`).getAttribute('aria-busy')).toBe('false'), T);
}

describe('VariantEditor layer position and text', () => {
	it('sends a position typed in percent as `rect` in fractions, and echoes it back', async () => {
		const { variant, edits, changes } = await setup();
		const toggle = screen.getByTestId('layer-pos-toggle-badge');
		expect(toggle.getAttribute('aria-expanded')).toBe('false');
		expect(screen.queryByTestId('layer-pos-x-badge')).toBeNull();
		await fireEvent.click(toggle);
		expect(toggle.getAttribute('aria-expanded')).toBe('true');
		// Empty = the template's position.
		expect(input('layer-pos-x-badge').value).toBe('');
		expect(input('layer-pos-w-badge').getAttribute('aria-label')).toBe('Width of the Badge layer, in percent');

		await typePosition('badge', ['10', '20', '50', '30']);
		expect(screen.queryByTestId('layer-pos-error-badge')).toBeNull();
		await fireEvent.click(screen.getByTestId('save-edit'));
		await waitFor(() => expect(screen.getByTestId('editor-status')).toBeTruthy(), T);
		expect(edits).toEqual([
			{ variantId: variant.id, edit: { layers: [{ kind: 'badge', text: null, color: null, rect: [0.1, 0.2, 0.5, 0.3], hidden: false, locked: false }] } }
		]);
		// The saved variant comes back with the rect (the core keeps it as f32), and the fields show it.
		const saved = changes.at(-1)!.layers.find((l) => l.kind === 'badge')!.rect!;
		[0.1, 0.2, 0.5, 0.3].forEach((v, i) => expect(saved[i]).toBeCloseTo(v, 5));
		expect(input('layer-pos-x-badge').value).toBe('10');
		expect(input('layer-pos-h-badge').value).toBe('30');
		expect(screen.getByTestId('layer-pos-moved-badge')).toBeTruthy();
		expect(screen.queryByTestId('editor-dirty')).toBeNull();
	});

	it('shows why the core refuses a position and does not save it', async () => {
		const { edits } = await setup();
		await typePosition('price', ['60', '0', '50', '10']);
		expect(screen.getByTestId('layer-pos-error-price').textContent).toContain('x + width passes the right edge');
		expect(input('layer-pos-x-price').getAttribute('aria-invalid')).toBe('true');
		// It stays open while it is invalid.
		expect((screen.getByTestId('layer-pos-toggle-price') as HTMLButtonElement).disabled).toBe(true);
		await fireEvent.click(screen.getByTestId('layer-pos-toggle-price'));
		expect(screen.getByTestId('layer-pos-x-price')).toBeTruthy();
		await fireEvent.click(screen.getByTestId('save-edit'));
		await fireEvent.click(screen.getByTestId('regenerate-btn'));
		expect(screen.getByTestId('editor-pos-invalid').textContent).toContain('Fix the layer position');
		expect(edits).toEqual([]);

		// A zero height and a missing value have their own messages; the last after Save.
		await typePosition('price', ['10', '0', '50', '0']);
		expect(screen.getByTestId('layer-pos-error-price').textContent).toContain('width and height must be above 0');
		await typePosition('price', ['10', '0', '101', '5']);
		expect(screen.getByTestId('layer-pos-error-price').textContent).toContain('from 0 to 100 %');
		await fireEvent.input(input('layer-pos-h-price'), { target: { value: '' } });
		expect(screen.getByTestId('layer-pos-error-price').textContent).toContain('Enter all four values');
		await fireEvent.click(screen.getByTestId('save-edit'));
		expect(edits).toEqual([]);
	});

	it('sends a badge text override as `text`; empty is no override', async () => {
		const { variant, edits } = await setup();
		expect(screen.queryByTestId('layer-text-headline')).toBeNull();
		expect(screen.getByTestId('layer-text-price')).toBeTruthy();
		expect(screen.getByTestId('layer-text-logo')).toBeTruthy();
		const badge = input('layer-text-badge');
		expect(badge.getAttribute('aria-label')).toContain('Badge');
		await fireEvent.input(badge, { target: { value: 'NEW' } });
		await fireEvent.click(screen.getByTestId('layer-lock-badge'));
		await fireEvent.click(screen.getByTestId('save-edit'));
		await waitFor(() => expect(edits).toHaveLength(1), T);
		expect(edits[0]).toEqual({ variantId: variant.id, edit: { layers: [{ kind: 'badge', text: 'NEW', color: null, rect: null, hidden: false, locked: true }] } });
		await waitFor(() => expect(screen.getByTestId('editor-status')).toBeTruthy(), T);
		expect(input('layer-text-badge').value).toBe('NEW');

		// Regenerate keeps the locked badge's text.
		await fireEvent.click(screen.getByTestId('regenerate-btn'));
		await waitFor(() => expect(screen.getByTestId('editor-status').textContent).toContain('Kept locked: Badge'), T);
		expect(input('layer-text-badge').value).toBe('NEW');

		await fireEvent.input(input('layer-text-badge'), { target: { value: '  ' } });
		await fireEvent.click(screen.getByTestId('save-edit'));
		await waitFor(() => expect(edits).toHaveLength(2), T);
		expect(edits[1].edit.layers).toEqual([{ kind: 'badge', text: null, color: null, rect: null, hidden: false, locked: true }]);
	});

	it('resets a moved layer to the template position (rect null), keeping its other edits', async () => {
		const { edits } = await setup();
		await fireEvent.click(screen.getByTestId('layer-hide-logo'));
		await typePosition('logo', ['5', '80', '20', '10']);
		await fireEvent.click(screen.getByTestId('save-edit'));
		await waitFor(() => expect(edits).toHaveLength(1), T);
		expect(edits[0].edit.layers).toEqual([{ kind: 'logo', text: null, color: null, rect: [0.05, 0.8, 0.2, 0.1], hidden: true, locked: false }]);
		await waitFor(() => expect(screen.getByTestId('editor-status')).toBeTruthy(), T);

		await fireEvent.click(screen.getByTestId('layer-pos-reset-logo'));
		expect(input('layer-pos-x-logo').value).toBe('');
		expect(screen.getByTestId('editor-dirty')).toBeTruthy();
		await fireEvent.click(screen.getByTestId('save-edit'));
		await waitFor(() => expect(edits).toHaveLength(2), T);
		expect(edits[1].edit.layers).toEqual([{ kind: 'logo', text: null, color: null, rect: null, hidden: true, locked: false }]);
	});

	it('clears an invalid position on Revert, and shows the core refusing a position', async () => {
		const { backend, variant, edits, edit } = await setup();
		await typePosition('cta', ['90', '0', '20', '10']);
		expect(screen.getByTestId('layer-pos-error-cta')).toBeTruthy();
		await fireEvent.click(screen.getByTestId('revert-edit'));
		expect(screen.queryByTestId('layer-pos-error-cta')).toBeNull();
		expect(input('layer-pos-x-cta').value).toBe('');
		expect(screen.queryByTestId('editor-dirty')).toBeNull();

		// The form asks the core before it sends a position, so the save cannot meet this
		// refusal; when it does (stubbed here), it is shown as the core words it.
		const refusal = await edit({
			variantId: variant.id,
			edit: { layers: [{ kind: 'cta', text: null, color: null, rect: [0.9, 0, 0.2, 0.1], hidden: false, locked: false }] }
		}).catch((e) => e);
		expect(refusal).toMatchObject({ code: 'invalid_input', message: 'the edit does not fit: layer Cta would leave the canvas: x + width passes the right edge' });
		backend.editVariant = (a) => (edits.push(a), Promise.reject(refusal));
		await typePosition('cta', ['10', '10', '20', '10']);
		await fireEvent.click(screen.getByTestId('save-edit'));
		const banner = await screen.findByTestId('error-banner', {}, T);
		expect(within(banner).getByTestId('error-code').textContent).toBe('invalid_input');
		expect(within(banner).getByTestId('error-message').textContent).toBe('the edit does not fit: layer Cta would leave the canvas: x + width passes the right edge');
		expect(edits).toHaveLength(1);
	});

	it("offers the core's one-click fix: advice removes the span, a replacement is put in place", async () => {
		await setup();
		const headline = input('edit-headline');
		// A price claim without a promotion: the core advises (a sentence, not replacement text).
		await fireEvent.input(headline, { target: { value: 'Big sale on earbuds' } });
		const claim = await screen.findByTestId('live-finding', {}, T);
		expect(claim.dataset.rule).toBe('unsupported-claim');
		expect(claim.textContent).toContain('add a promotion to the campaign');
		expect(within(claim).getByTestId('apply-fix').textContent?.trim()).toBe('Remove');
		await fireEvent.click(within(claim).getByTestId('apply-fix'));
		expect(headline.value).toBe('Big on earbuds');
		// Gimmicky capitals: the core's replacement text goes in.
		await fireEvent.input(headline, { target: { value: 'FREE earbuds' } });
		await waitFor(() => expect(screen.getByTestId('live-finding').dataset.rule).toBe('google-gimmicky-caps'), T);
		expect(within(screen.getByTestId('live-finding')).getByTestId('apply-fix').textContent?.trim()).toBe('Apply');
		await fireEvent.click(within(screen.getByTestId('live-finding')).getByTestId('apply-fix'));
		expect(headline.value).toBe('Free earbuds');
	});
});
