import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { SimFrame } from '$lib/bindings';
import { MockBackend } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import { base64ToUtf8 } from '$lib/format';
import { session } from '$lib/session.svelte';
import SimulationScreen from './SimulationScreen.svelte';

function decode(src: string): string {
	const b64 = src.replace('data:image/svg+xml;base64,', '');
	return base64ToUtf8(b64);
}

describe('SimulationScreen', () => {
	it('replaces the chart and counts frames as they arrive', async () => {
		const backend = new MockBackend({ tickMs: 15, frames: 5 });
		await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		const seen: SimFrame[] = [];
		const run = backend.runSimulation.bind(backend);
		backend.runSimulation = (args, onFrame) => run(args, (f) => (seen.push(f), onFrame(f)));

		render(SimulationScreen, { backend });
		await waitFor(() => expect(session.campaignId).toBe(1));
		expect(screen.getByTestId('sim-frames').textContent).toBe('0');
		expect((screen.getByTestId('sim-impressions') as HTMLInputElement).value).toBe('20000');
		await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false));
		await fireEvent.click(screen.getByTestId('run-sim-btn'));

		// an intermediate frame: the chart shows that frame's SVG
		await waitFor(() => expect(Number(screen.getByTestId('sim-frames').textContent)).toBeGreaterThanOrEqual(1));
		const firstSrc = (screen.getByTestId('sim-chart') as HTMLImageElement).getAttribute('src')!;
		expect(firstSrc.startsWith('data:image/svg+xml;base64,')).toBe(true);

		await waitFor(() => expect(screen.getByTestId('sim-frames').textContent).toBe('5'), { timeout: 3000 });
		const lastSrc = (screen.getByTestId('sim-chart') as HTMLImageElement).getAttribute('src')!;
		expect(lastSrc).not.toBe(firstSrc);
		expect(decode(lastSrc)).toBe(seen[4].chart_svg);
		expect(decode(lastSrc)).toContain('点击率');
		// arms table
		const rows = screen.getAllByTestId('sim-arm-row');
		expect(rows.length).toBe(seen[4].arms.length);
		expect(screen.getByTestId('sim-label-chart').textContent).toBe('Simulated / 模拟数据');
		expect(screen.getByTestId('sim-label-table').textContent).toBe('Simulated / 模拟数据');
		await waitFor(() => expect(screen.getByTestId('run-sim-btn').textContent?.trim()).toBe('Run simulation'));
	});

	it('shows backend errors', async () => {
		const backend = new MockBackend({
			tickMs: 1,
			failures: { run_simulation: { code: 'conflict', message: 'a run is already going' } }
		});
		await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 1 }), jobId: 'j' }, () => {});
		render(SimulationScreen, { backend });
		await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false));
		await fireEvent.click(screen.getByTestId('run-sim-btn'));
		const banner = await screen.findByTestId('error-banner');
		expect(banner.textContent).toContain('conflict');
		expect(banner.textContent).toContain('a run is already going');
	});
});
