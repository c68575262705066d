import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ReplaySummary } from '$lib/bindings';
import { setLang } from '$lib/lang.svelte';
import { bridge, profileId } from '$lib/testing/bridge';
import LiveScreen from './LiveScreen.svelte';

// The `campaign` project: campaign "Spring" (#1), 4 segments × (en + zh-CN) = 8 draft variants.

/** The campaign with every variant submitted (demo-marketer) and approved (demo-reviewer). */
async function servedCampaign() {
	const backend = await bridge({ project: 'campaign' });
	const variants = await backend.listVariants(1);
	await backend.submitAll({ campaignId: 1, segmentId: null });
	await backend.signIn(await profileId(backend, 'demo-reviewer'));
	await backend.approveAll({ variantIds: variants.map((v) => v.id) });
	await backend.signIn(await profileId(backend, 'demo-marketer'));
	return backend;
}

/** A shop's call to the running decision service. */
async function call<T>(url: string, body: unknown): Promise<T> {
	const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	expect(r.status).toBe(200);
	return (await r.json()) as T;
}

describe('LiveScreen', () => {
	it('starts the service, shows URL and key, counts real traffic live and keeps replayed traffic apart', async () => {
		setLang('en');
		const backend = await servedCampaign();
		const replays: ReplaySummary[] = [];
		const replay = backend.replayLiveService.bind(backend);
		backend.replayLiveService = async (args) => {
			const s = await replay(args);
			replays.push(s);
			return s;
		};
		const keys: string[] = [];
		const rotate = backend.rotateApiKey.bind(backend);
		backend.rotateApiKey = async () => {
			const k = await rotate();
			keys.push(k);
			return k;
		};
		render(LiveScreen, { backend, pollMs: 50 });
		await waitFor(() => expect((screen.getByTestId('live-start') as HTMLButtonElement).disabled).toBe(false), { timeout: 10_000 });
		await fireEvent.input(screen.getByTestId('live-port'), { target: { value: '0' } });
		await fireEvent.click(screen.getByTestId('live-start'));
		const url = (await screen.findByTestId('live-url', {}, { timeout: 10_000 })).textContent!;
		expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		const info = (await backend.liveService())!;
		expect(info).toMatchObject({ campaign_id: 1, url });
		expect(screen.getByTestId('live-status').textContent).toBe('Running');
		const key = screen.getByTestId('live-key').textContent!;
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(key).toBe(info.api_key);
		await waitFor(() => expect(screen.getByTestId('live-real-label').textContent).toBe('Real'), { timeout: 10_000 });
		expect(screen.getByTestId('live-real').textContent).not.toMatch(/simulated/i);

		// A shop's calls to the real service show up without any click on the screen: polled.
		type Rank = { event_id: string; variant_id: number };
		const ranks: Rank[] = [];
		for (let i = 0; i < 2; i++) ranks.push(await call<Rank>(`${url}/v1/rank`, { user_id: 'shopper-1', placement: 'google-rda-landscape', lang: 'en' }));
		expect(await call(`${url}/v1/events/${ranks[0].event_id}/reward`, { value: 1 })).toMatchObject({ accepted: true });
		await waitFor(() => expect(screen.getByTestId('live-real-totals').textContent).toMatch(/^Impressions 2 · clicks 1 · CTR 50\.00% \[\d+\.\d\d%–\d+\.\d\d%\]$/), { timeout: 10_000 });
		for (const id of new Set(ranks.map((r) => r.variant_id))) {
			const row = screen.getAllByTestId('live-row-real').find((r) => r.dataset.variantId === String(id))!;
			expect(row.querySelector('[data-testid="live-impressions"]')!.textContent).toBe(String(ranks.filter((r) => r.variant_id === id).length));
			expect(row.querySelector('[data-testid="live-clicks"]')!.textContent).toBe(id === ranks[0].variant_id ? '1' : '0');
		}

		// Replay: simulated shoppers are counted in their own table, labelled simulated.
		await fireEvent.input(screen.getByTestId('live-replay-n'), { target: { value: '40' } });
		await fireEvent.click(screen.getByTestId('live-replay'));
		expect((await screen.findByTestId('live-notice', {}, { timeout: 10_000 })).textContent).toContain('Replayed 40 simulated shoppers');
		expect(replays).toHaveLength(1);
		const [sim] = replays;
		expect(sim.shoppers).toBe(40);
		await waitFor(() => expect(screen.getByTestId('live-sim-totals').textContent).toContain(`Impressions ${sim.impressions} · clicks ${sim.clicks}`));
		expect(screen.getAllByTestId('live-row-sim').length).toBeGreaterThan(0);
		expect(screen.getByTestId('live-sim-label').textContent).toBe('Simulated');
		expect(screen.getByTestId('live-real-totals').textContent).toContain('Impressions 2 · clicks 1');

		await fireEvent.click(screen.getByTestId('live-rotate'));
		await waitFor(() => expect(keys).toHaveLength(1));
		expect(keys[0]).not.toBe(key);
		await waitFor(() => expect(screen.getByTestId('live-key').textContent).toBe(keys[0]));

		await fireEvent.click(screen.getByTestId('live-stop'));
		await waitFor(() => expect(screen.getByTestId('live-status').textContent).toBe('Stopped'), { timeout: 10_000 });
		expect(screen.queryByTestId('live-real')).toBeNull();
		expect(await backend.liveService()).toBeNull();
		await waitFor(() => expect(fetch(`${url}/healthz`)).rejects.toThrow(), { timeout: 10_000 });
	});

	it('shows the core error when the port is taken, and stays stopped', async () => {
		setLang('en');
		const backend = await servedCampaign();
		// another program listens on the port asked for
		const taken = createServer();
		await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
		try {
			const port = (taken.address() as AddressInfo).port;
			render(LiveScreen, { backend, pollMs: 50 });
			await waitFor(() => expect((screen.getByTestId('live-start') as HTMLButtonElement).disabled).toBe(false), { timeout: 10_000 });
			await fireEvent.input(screen.getByTestId('live-port'), { target: { value: String(port) } });
			await fireEvent.click(screen.getByTestId('live-start'));
			expect((await screen.findByTestId('error-code', {}, { timeout: 10_000 })).textContent).toBe('io');
			// in English the core's own sentence; in Chinese its key's text (err.serve.bind)
			expect(screen.getByTestId('error-message').textContent).toMatch(new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: `));
			expect(screen.getByTestId('live-status').textContent).toBe('Stopped');
			expect(screen.queryByTestId('live-url')).toBeNull();
			expect(await backend.liveService()).toBeNull();
			setLang('zh-CN');
			await waitFor(() => expect(screen.getByTestId('error-message').textContent).toContain(`无法在 127.0.0.1:${port} 上监听`));
			expect(screen.getByTestId('error-message').textContent).toContain('端口可能已被占用');
		} finally {
			await new Promise((done) => taken.close(done));
		}
	});
});
