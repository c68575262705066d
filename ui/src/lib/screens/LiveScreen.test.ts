import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { MockBackend } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import { approveAs } from '$lib/backend/mock-flow';
import { setLang } from '$lib/lang.svelte';
import LiveScreen from './LiveScreen.svelte';

async function servedCampaign() {
	const backend = new MockBackend({ tickMs: 1 });
	const c = await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
	const [v] = await backend.listVariants(c.id);
	await approveAs(backend, v.id);
	return { backend, campaignId: c.id, variantId: v.id };
}

describe('LiveScreen', () => {
	it('starts the service, shows URL and key, counts real traffic live and keeps replayed traffic apart', async () => {
		setLang('en');
		const { backend, campaignId, variantId } = await servedCampaign();
		render(LiveScreen, { backend, pollMs: 20 });
		await waitFor(() => expect((screen.getByTestId('live-start') as HTMLButtonElement).disabled).toBe(false));
		await fireEvent.input(screen.getByTestId('live-port'), { target: { value: '0' } });
		await fireEvent.click(screen.getByTestId('live-start'));
		expect((await screen.findByTestId('live-url')).textContent).toBe('http://127.0.0.1:41234');
		expect(screen.getByTestId('live-status').textContent).toBe('Running');
		expect(screen.getByTestId('live-key').textContent).toBe('k'.repeat(64));
		expect(backend.live.info?.campaign_id).toBe(campaignId);
		expect(screen.getByTestId('live-real-label').textContent).toBe('Real');
		expect(screen.getByTestId('live-real').textContent).not.toMatch(/simulated/i);

		// A shop's calls (here: the mock's) show up without any click on the screen: polled.
		backend.live.record(variantId, true);
		backend.live.record(variantId, false);
		await waitFor(() => expect(screen.getByTestId('live-real-totals').textContent).toBe('2 impressions · 1 clicks · CTR 50.00% [45.00%–55.00%]'));
		const row = screen.getAllByTestId('live-row-real').find((r) => r.dataset.variantId === String(variantId))!;
		expect(row.querySelector('[data-testid="live-impressions"]')!.textContent).toBe('2');
		expect(row.querySelector('[data-testid="live-clicks"]')!.textContent).toBe('1');

		// Replay: simulated shoppers are counted in their own table, labelled simulated.
		await fireEvent.input(screen.getByTestId('live-replay-n'), { target: { value: '40' } });
		await fireEvent.click(screen.getByTestId('live-replay'));
		expect((await screen.findByTestId('live-notice')).textContent).toContain('Replayed 40 simulated shoppers');
		await waitFor(() => expect(screen.getByTestId('live-sim-totals').textContent).toContain('40 impressions · 2 clicks'));
		expect(screen.getByTestId('live-sim-label').textContent).toBe('Simulated');
		expect(screen.getByTestId('live-real-totals').textContent).toContain('2 impressions');

		await fireEvent.click(screen.getByTestId('live-rotate'));
		await waitFor(() => expect(screen.getByTestId('live-key').textContent).toBe('r'.repeat(64)));

		await fireEvent.click(screen.getByTestId('live-stop'));
		await waitFor(() => expect(screen.getByTestId('live-status').textContent).toBe('Stopped'));
		expect(screen.queryByTestId('live-real')).toBeNull();
		expect(backend.live.info).toBeNull();
	});

	it('shows the core error when the campaign has nothing approved to serve', async () => {
		setLang('en');
		const backend = new MockBackend({ tickMs: 1 });
		await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		render(LiveScreen, { backend, pollMs: 20 });
		await waitFor(() => expect((screen.getByTestId('live-start') as HTMLButtonElement).disabled).toBe(false));
		await fireEvent.click(screen.getByTestId('live-start'));
		expect((await screen.findByTestId('error-code')).textContent).toContain('conflict');
		expect(screen.getByTestId('live-status').textContent).toBe('Stopped');
	});
});
