// The Chinese UI is fully Chinese: render every screen of the app in zh-CN with data (a
// campaign, variants in review, comments, an audit trail, an error from the core) and fail on
// any visible text or hover text that is untranslated English. Brand names, units, ids,
// formats and user data (names typed by people, the copy itself) are allowed.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { messages } from '$lib/i18n';
import { setLang } from '$lib/lang.svelte';
import { bridge, profileId } from '$lib/testing/bridge';
import App from './App.svelte';

/** Latin words allowed in the Chinese UI: brands, platforms, formats, units, model names, and
 * the developer badge of a window on `studio bridge` ("dev", hover "studio bridge"; the app
 * itself never shows it). */
const ALLOWED = new Set(
	[
		'Google', 'Meta', 'IAB', 'Facebook', 'Creative', 'Studio', 'CSV', 'JSON', 'PNG', 'SVG', 'JPEG', 'PDF', 'ZIP', 'CTR', 'CVR', 'ID', 'IDs',
		'SHA', 'UCB', 'UCB1', 'REES46', 'Taobao', 'RetailRocket', 'KiB', 'MiB', 'GiB', 'KB', 'MB', 'px', 'ms', 'UTF', 'GBK', 'CNY', 'USD', 'EUR',
		'GBP', 'JPY', 'A/B', 'Thompson', 'OPE', 'IPS', 'SNIPS', 'DR', 'demo', 'Esc', 'TF', 'IDF', 'jieba', 'Online', 'Retail', 'Open', 'Bandit',
		'dev', 'bridge', 'Ads', 'epsilon', 'greedy', 'RFM', 'AUC', 'English', 'TSV', 'Lines', 'gzip', 'YYYY', 'HTTP', 'POST', 'API', 'URL', 'MIT', 'impressions', 'clicks', 'conversions', 'date', 'cost'
	].map((w) => w.toLowerCase())
);

/** Elements whose text is data, not UI: codes, and the names in pickers. (The reasons behind a
 * copy set are keyed by the core and checked like any other text.) */
const DATA = ['code', 'pre', 'option'];

function offenders(root: HTMLElement, data: string[]): string[] {
	const bad = new Set<string>();
	const check = (text: string, where: string) => {
		let t = text;
		for (const d of data) if (d) t = t.split(d).join(' ');
		// File names, paths, URLs, ids (`google-rda-square`, `ad_id`), colours and key pairs
		// such as `beauty/美妆` are data, not words.
		t = t.replace(/\S*[./#_:@]\S*/g, ' ').replace(/\b[A-Za-z0-9]+(-[A-Za-z0-9]+)+\b/g, ' ');
		const words = t.match(/[A-Za-z][A-Za-z0-9]{2,}/g) ?? [];
		const english = words.filter((w) => !ALLOWED.has(w.toLowerCase()) && !/\d/.test(w));
		if (english.length) bad.add(`${where}: ${text.trim().slice(0, 120)}`);
	};
	const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const el = n.parentElement;
		if (!el || el.closest('script,style,' + DATA.join(','))) continue;
		if (n.textContent?.trim()) check(n.textContent, el.tagName.toLowerCase() + (el.dataset.testid ? `[${el.dataset.testid}]` : ''));
	}
	for (const el of root.querySelectorAll<HTMLElement>('[title],[aria-label],[placeholder],[alt]')) {
		if (el.closest(DATA.join(','))) continue;
		for (const a of ['title', 'aria-label', 'placeholder', 'alt']) {
			const v = el.getAttribute(a);
			if (v) check(v, `${el.tagName.toLowerCase()}@${a}${el.dataset.testid ? `[${el.dataset.testid}]` : ''}`);
		}
	}
	return [...bad];
}

/** Loading a screen on the real core, on a busy machine. */
const slow = { timeout: 10_000 };

describe('the Chinese UI', () => {
	it('shows no untranslated English on any screen', async () => {
		setLang('zh-CN');
		// The campaign "Spring" (copy in en and zh-CN: the copy is data, the UI around it is not).
		const backend = await bridge({ project: 'campaign' });
		const [c] = await backend.listCampaigns();
		const vs = await backend.listVariants(c.id);
		await backend.submitVariant(vs[0].id);
		await backend.submitVariant(vs[1].id);
		await backend.signIn(await profileId(backend, 'demo-reviewer'));
		await backend.requestChanges({ variantId: vs[1].id, comment: '标题请再短一些' });
		await backend.signIn(await profileId(backend, 'demo-marketer'));
		render(App, { backend });
		await waitFor(() => expect(screen.getByTestId('profile-role').textContent).toBe('营销'), slow);
		// Each screen loads its data from the core when shown: wait for it where there is some.
		const loaded: Record<string, string | null> = { segments: 'segment-row', campaign: 'variant-row', simulation: null, review: 'review-current', dashboard: 'dash-table', live: null, team: 'team-row', export: null, data: 'product-row' };
		for (const [nav, probe] of Object.entries(loaded)) {
			await fireEvent.click(screen.getByTestId(`nav-${nav}`));
			if (probe) await waitFor(() => expect(screen.getAllByTestId(probe).length, nav).toBeGreaterThan(0), slow);
			else await new Promise((r) => setTimeout(r, 50));
		}
		await fireEvent.click(screen.getByTestId('nav-campaign'));
		await waitFor(() => expect(screen.getAllByTestId('variant-row').length).toBe(vs.length), slow);
		await fireEvent.click(screen.getAllByTestId('edit-btn')[1]);
		await waitFor(() => expect(screen.getAllByTestId('editor-comment').length).toBe(1), slow);
		// The names people typed, the catalog (product titles, brands) and the generated copy are
		// data, not UI.
		const products = await backend.listProducts({ limit: 1000, offset: 0, search: null });
		const segments = await backend.listSegments();
		// A category key the core's catalog does not know is shown as it came in the data.
		const unknownCategories = products.map((p) => p.category.split('/')[0]).filter((k) => !(`category.${k}` in messages.en));
		const data = [
			c.name,
			// the imports' names (the demo data's is "demo store")
			...(await backend.projectOverview()).imports.map((i) => i.file_name),
			...segments.flatMap((s) => [s.name_en, s.name_zh, ...s.top_brands]),
			...unknownCategories,
			...(await backend.listProfiles()).map((p) => p.name),
			...products.flatMap((p) => [p.name_en, p.name_zh, p.brand]),
			...vs.flatMap((v) => [v.headline, v.long_headline, v.description, v.primary_text, v.cta]),
			c.business_name,
			c.landing_url
		].sort((a, b) => b.length - a.length);
		const bad = offenders(document.body, data);
		expect(bad).toEqual([]);
	}, 60_000);
});
