import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import { LANG_STORAGE_KEY } from '$lib/i18n';
import { setLang } from '$lib/lang.svelte';
import App from './App.svelte';

const visible = (id: string) => !screen.getByTestId(id).closest('[hidden]');

describe('App', () => {
	it('navigates between screens and toggles the language (remembered)', async () => {
		setLang('en');
		render(App, { backend: new MockBackend({ tickMs: 1 }) });
		expect(visible('import-btn')).toBe(true);
		expect(visible('train-btn')).toBe(false);

		for (const [nav, probe] of [
			['nav-segments', 'train-btn'],
			['nav-campaign', 'create-campaign-btn'],
			['nav-simulation', 'run-sim-btn'],
			['nav-review', 'only-in-review'],
			['nav-dashboard', 'import-report'],
			['nav-live', 'live-start'],
			['nav-team', 'team-table'],
			['nav-export', 'export-btn'],
			['nav-data', 'import-btn']
		] as const) {
			await fireEvent.click(screen.getByTestId(nav));
			expect(visible(probe), nav).toBe(true);
		}

		expect(screen.getByTestId('nav-segments').textContent).toContain('Segments');
		await fireEvent.click(screen.getByTestId('lang-toggle'));
		expect(screen.getByTestId('nav-segments').textContent).toContain('人群分群');
		expect(screen.getByTestId('import-btn').textContent?.trim()).toBe('开始导入');
		expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('zh-CN');
		expect(document.documentElement.lang).toBe('zh-CN');
		await fireEvent.click(screen.getByTestId('lang-toggle'));
		expect(screen.getByTestId('nav-segments').textContent).toContain('Segments');
		expect(localStorage.getItem(LANG_STORAGE_KEY)).toBe('en');
	});

	it('trains segments and shows one row per segment in the UI language', async () => {
		setLang('zh-CN');
		render(App, { backend: new MockBackend({ tickMs: 1 }) });
		await fireEvent.click(screen.getByTestId('nav-segments'));
		await waitFor(() => expect(screen.getAllByTestId('segment-row')).toHaveLength(4));
		const select = screen.getByTestId('k-select') as HTMLSelectElement;
		expect(select.options).toHaveLength(12); // auto + 2..12
		await fireEvent.change(select, { target: { value: '6' } });
		await fireEvent.click(screen.getByTestId('train-btn'));
		await waitFor(() => expect(screen.getAllByTestId('segment-row')).toHaveLength(6), { timeout: 3000 });
		expect(screen.getAllByTestId('segment-row')[0].textContent).toContain('美妆达人');
	});

	it('creates a campaign, shows variant cards and exports after approval', async () => {
		setLang('en');
		const backend = new MockBackend({ tickMs: 1 });
		render(App, { backend });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('Marketer'));
		await fireEvent.click(screen.getByTestId('nav-campaign'));
		await fireEvent.input(screen.getByTestId('campaign-name'), { target: { value: 'Double 11' } });
		await fireEvent.input(screen.getByTestId('campaign-n'), { target: { value: '1' } });
		await fireEvent.click(screen.getByTestId('create-campaign-btn'));
		await waitFor(() => expect(screen.getAllByTestId('variant-card').length).toBe(4), { timeout: 3000 });
		const row = screen.getAllByTestId('variant-row')[0];
		const primary = row.querySelector('[data-testid="placement-cell"][data-placement="google-rda-landscape"] img');
		expect(primary?.getAttribute('src')).toMatch(/^data:image\/png;base64,/);

		const first = Number(row.closest('[data-variant-id]')?.getAttribute('data-variant-id') ?? (await backend.listVariants(1))[0].id);
		await backend.submitVariant(first);

		// A reviewer approves it with the keyboard; a marketer may not.
		const select = screen.getByTestId('profile-select') as HTMLSelectElement;
		await fireEvent.change(select, { target: { value: String(backend.profileNamed('demo-reviewer')!.id) } });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('Reviewer'));
		await fireEvent.click(screen.getByTestId('nav-review'));
		await waitFor(() => expect(screen.getByTestId('review-current').getAttribute('data-variant-id')).toBe(String(first)));
		await fireEvent.keyDown(window, { key: 'a' });
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toContain(`#${first}`));
		await fireEvent.change(select, { target: { value: String(backend.profileNamed('demo-marketer')!.id) } });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('Marketer'));

		await fireEvent.click(screen.getByTestId('nav-export'));
		await fireEvent.click(screen.getByTestId('export-browse'));
		await waitFor(() => expect((screen.getByTestId('export-dir') as HTMLInputElement).value).toBe('/home/demo/exports'));
		await fireEvent.click(screen.getByTestId('export-btn'));
		const summary = await screen.findByTestId('export-summary');
		expect(summary.textContent).toMatch(/double-11_seg\d+_v\d+_google-rda-landscape\.png/);
		expect(summary.textContent).toContain('manifest.json');
		expect(summary.textContent).toMatch(/[0-9a-f]{64}/);
	});
});
