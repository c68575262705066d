import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { LANG_STORAGE_KEY } from '$lib/i18n';
import { setLang } from '$lib/lang.svelte';
import { bridge, profileId } from '$lib/testing/bridge';
import App from './App.svelte';

/** Loading a screen on the real core, on a busy machine. */
const slow = { timeout: 10_000 };
/** Training, rendering a campaign's banners: real work. */
const work = { timeout: 60_000 };

/** Export folders made by the tests, removed after each. */
const folders: string[] = [];
afterEach(() => {
	for (const d of folders.splice(0)) rmSync(d, { recursive: true, force: true });
});

const visible = (id: string) => !screen.getByTestId(id).closest('[hidden]');

describe('App', () => {
	it('navigates between screens and toggles the language (remembered)', async () => {
		setLang('en');
		render(App, { backend: await bridge() });
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
		render(App, { backend: await bridge() });
		await fireEvent.click(screen.getByTestId('nav-segments'));
		await waitFor(() => expect(screen.getAllByTestId('segment-row')).toHaveLength(4), slow);
		const select = screen.getByTestId('k-select') as HTMLSelectElement;
		expect(select.options).toHaveLength(12); // auto + 2..12
		await fireEvent.change(select, { target: { value: '6' } });
		await fireEvent.click(screen.getByTestId('train-btn'));
		await waitFor(() => expect(screen.getAllByTestId('segment-row')).toHaveLength(6), work);
		// k = 6, seed 42: the first segment the core names
		expect(screen.getAllByTestId('segment-row')[0].textContent).toContain('母婴童装买家');
	}, 90_000);

	it('creates a campaign, shows variant cards and exports after approval', async () => {
		setLang('en');
		const backend = await bridge();
		const out = mkdtempSync(join(tmpdir(), 'studio-export-'));
		folders.push(out);
		// A browser has no folder picker: the test's picker answers with a real folder.
		backend.pickDirectory = async () => out;
		render(App, { backend });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('Marketer'), slow);
		await fireEvent.click(screen.getByTestId('nav-campaign'));
		await fireEvent.input(screen.getByTestId('campaign-name'), { target: { value: 'Double 11' } });
		await fireEvent.input(screen.getByTestId('campaign-n'), { target: { value: '1' } });
		await fireEvent.click(screen.getByTestId('create-campaign-btn'));
		await waitFor(() => expect(screen.getAllByTestId('variant-card').length).toBe(4), work);
		const row = screen.getAllByTestId('variant-row')[0];
		await waitFor(() => {
			const primary = row.querySelector('[data-testid="placement-cell"][data-placement="google-rda-landscape"] img');
			expect(primary?.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
		}, slow);

		const first = Number(row.closest('[data-variant-id]')?.getAttribute('data-variant-id') ?? (await backend.listVariants(1))[0].id);
		await backend.submitVariant(first);

		// A reviewer approves it with the keyboard; a marketer may not.
		const select = screen.getByTestId('profile-select') as HTMLSelectElement;
		await fireEvent.change(select, { target: { value: String(await profileId(backend, 'demo-reviewer')) } });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('Reviewer'), slow);
		await fireEvent.click(screen.getByTestId('nav-review'));
		await waitFor(() => expect(screen.getByTestId('review-current').getAttribute('data-variant-id')).toBe(String(first)), slow);
		await waitFor(() => expect((screen.getByTestId('approve-btn') as HTMLButtonElement).disabled).toBe(false), slow);
		await fireEvent.keyDown(window, { key: 'a' });
		await waitFor(() => expect(screen.getByTestId('review-notice').textContent).toContain(`#${first}`), slow);
		expect((await backend.reviewStatus(first)).state).toBe('approved');
		await fireEvent.change(select, { target: { value: String(await profileId(backend, 'demo-marketer')) } });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('Marketer'), slow);

		await fireEvent.click(screen.getByTestId('nav-export'));
		await fireEvent.click(screen.getByTestId('export-browse'));
		await waitFor(() => expect((screen.getByTestId('export-dir') as HTMLInputElement).value).toBe(out), slow);
		const btn = screen.getByTestId('export-btn') as HTMLButtonElement;
		await waitFor(() => expect(btn.disabled).toBe(false), slow);
		await fireEvent.click(btn);
		const summary = await screen.findByTestId('export-summary', {}, work);
		expect(summary.textContent).toContain(`Exported 1 variants to ${out}`);
		const banner = /double-11_seg\d+-[a-z0-9-]+_v\d+_google-rda-landscape\.png/.exec(summary.textContent ?? '');
		expect(banner).not.toBeNull();
		expect(summary.textContent).toContain('manifest.json');
		expect(summary.textContent).toMatch(/[0-9a-f]{64}/);
		// written for real
		expect(existsSync(join(out, banner![0]))).toBe(true);
		expect(readdirSync(out)).toContain('manifest.json');
	}, 90_000);
});
