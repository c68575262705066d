import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { LiveFrame, RunParams } from '$lib/bindings';
import { MockBackend } from '$lib/backend';
import { defaultParams } from '$lib/campaign';
import { base64ToUtf8 } from '$lib/format';
import { session } from '$lib/session.svelte';
import SimulationScreen from './SimulationScreen.svelte';

function decode(src: string): string {
	return base64ToUtf8(src.replace('data:image/svg+xml;base64,', ''));
}

async function withCampaign(backend: MockBackend) {
	await backend.createCampaign({ params: defaultParams('Spring', { languages: ['en'], variants_per_segment: 2 }), jobId: 'j' }, () => {});
}

function spy(backend: MockBackend): LiveFrame[] {
	const seen: LiveFrame[] = [];
	const start = backend.startSimulation.bind(backend);
	backend.startSimulation = (args, onFrame) => start(args, (f) => (seen.push(f), onFrame(f)));
	return seen;
}

describe('SimulationScreen', () => {
	it('streams frames into four charts and the decision table, labelled simulated', async () => {
		const backend = new MockBackend({ tickMs: 10 });
		await withCampaign(backend);
		const seen = spy(backend);
		render(SimulationScreen, { backend });
		await waitFor(() => expect(session.campaignId).toBe(1));
		await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false));
		expect(screen.queryByTestId('sim-live')).toBeNull();
		await fireEvent.input(screen.getByTestId('sim-impressions'), { target: { value: '3000' } });
		await fireEvent.click(screen.getByTestId('run-sim-btn'));

		await waitFor(() => expect(Number(screen.getByTestId('sim-frames').textContent)).toBeGreaterThanOrEqual(2));
		const first = screen.getAllByTestId('sim-chart').map((i) => i.getAttribute('src'));
		expect(first).toHaveLength(4);
		await waitFor(() => expect(seen.at(-1)?.totals).toMatchObject({ planned: 3000 }));
		await waitFor(() => expect(screen.getByTestId('sim-status').textContent).toBe('done'), { timeout: 5000 });
		const last = seen.at(-1)!;
		expect(last.totals.impressions).toBe(3000);
		const srcs = screen.getAllByTestId('sim-chart').map((i) => i.getAttribute('src')!);
		expect(srcs.map(decode)).toEqual(last.charts.map((c) => c.svg));
		expect(srcs[0]).not.toBe(first[0]);
		expect(screen.getAllByTestId('sim-arm-row')).toHaveLength(last.report.overall.arms.length);
		expect(screen.getByTestId('sim-label-chart').textContent).toBe('Simulated / 模拟数据');
		expect(screen.getByTestId('sim-lift').textContent).toContain('12.0%');
		// the finished run is listed and can be re-opened
		await waitFor(() => expect(screen.getAllByTestId('sim-run-status').map((s) => s.textContent)).toEqual(['done']));
	});

	it('pauses, resumes and stops a live run, and switches the watched segment', async () => {
		const backend = new MockBackend({ tickMs: 10 });
		await withCampaign(backend);
		const seen = spy(backend);
		render(SimulationScreen, { backend });
		await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false));
		await fireEvent.change(screen.getByTestId('sim-speed'), { target: { value: '1000' } });
		await fireEvent.click(screen.getByTestId('run-sim-btn'));
		await screen.findByTestId('sim-pause');
		expect(screen.getByTestId('sim-eta').textContent).toMatch(/left/);
		await fireEvent.click(screen.getByTestId('sim-pause'));
		await waitFor(() => expect(screen.getByTestId('sim-status').textContent).toBe('paused'));
		const served = seen.at(-1)!.totals.impressions;
		await new Promise((r) => setTimeout(r, 60));
		expect(seen.at(-1)!.totals.impressions).toBe(served);

		const tabs = screen.getAllByTestId('sim-scope-segment');
		expect(tabs.length).toBeGreaterThan(1);
		await fireEvent.click(screen.getByTestId('sim-resume'));
		await fireEvent.click(tabs[1]);
		await waitFor(() => expect(seen.at(-1)!.scope).toEqual({ segment: 1 }));
		await waitFor(() => expect(seen.at(-1)!.totals.impressions).toBeGreaterThan(served));
		await fireEvent.click(screen.getByTestId('sim-stop'));
		await waitFor(() => expect(screen.getByTestId('sim-status').textContent).toBe('stopped'));
		expect(screen.queryByTestId('sim-pause')).toBeNull();
		await waitFor(() => expect(screen.getByTestId('sim-run-status').textContent).toBe('stopped'));
	});

	it('compares runs and exports a chart through the save dialog', async () => {
		const backend = new MockBackend({ tickMs: 5 });
		await withCampaign(backend);
		render(SimulationScreen, { backend });
		await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false));
		await fireEvent.input(screen.getByTestId('sim-impressions'), { target: { value: '500' } });
		await fireEvent.change(screen.getByTestId('sim-speed'), { target: { value: '0' } });
		for (const [i, policy] of ['thompson', 'uniform'].entries()) {
			await fireEvent.change(screen.getByTestId('sim-policy'), { target: { value: policy } });
			await fireEvent.click(screen.getByTestId('run-sim-btn'));
			await waitFor(() => expect(screen.getAllByTestId('sim-run-status').map((s) => s.textContent)).toEqual(Array(i + 1).fill('done')));
		}
		for (const box of screen.getAllByTestId('sim-run-pick')) await fireEvent.click(box);
		await fireEvent.click(screen.getByTestId('compare-btn'));
		const rows = await screen.findAllByTestId('sim-comparison-row');
		expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('Thompson'), expect.stringContaining('uniform split')]);

		await fireEvent.click(screen.getByTestId('export-png-ctr'));
		await screen.findByTestId('sim-notice');
		expect([...backend.savedCharts.entries()]).toEqual([['/home/demo/exports/simulated-run2-ctr-all.png', 'png']]);
	});

	it('shows backend errors, naming the bad parameter', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		await withCampaign(backend);
		render(SimulationScreen, { backend });
		await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false));
		await fireEvent.click(screen.getByText('Response model (ground truth)'));
		await fireEvent.input(screen.getByTestId('model-max_ctr'), { target: { value: '2' } });
		await fireEvent.click(screen.getByTestId('run-sim-btn'));
		const banner = await screen.findByTestId('error-banner');
		expect(banner.textContent).toContain('invalid_input');
		expect(banner.textContent).toContain('model.max_ctr');
		expect(screen.queryByTestId('sim-live')).toBeNull();
	});

	it('edits the model lists: a base CTR per segment and multipliers per placement and element reach the run', async () => {
		const backend = new MockBackend({ tickMs: 1 });
		await withCampaign(backend);
		const sent: RunParams[] = [];
		const start = backend.startSimulation.bind(backend);
		backend.startSimulation = (args, onFrame) => (sent.push(structuredClone(args.params)), start(args, onFrame));
		render(SimulationScreen, { backend });
		await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false));
		const setup = await backend.simulationSetup(1);
		const [firstSegment, secondSegment] = setup.scenario.segments;
		const placements = [...new Set(setup.scenario.arms.map((a) => a.placement))].sort();
		const ctas = [...new Set(setup.scenario.arms.map((a) => a.cta))].sort();

		await fireEvent.click(screen.getByText('Response model (ground truth)'));
		await fireEvent.click(screen.getByTestId('effect-add-base'));
		await fireEvent.click(screen.getByTestId('effect-add-base'));
		await fireEvent.input(screen.getAllByTestId('effect-base-ctr')[1], { target: { value: '0.05' } });
		// each segment once: the first row's segment is not offered again
		const secondRow = within(screen.getByTestId('effects-base')).getAllByRole('combobox')[1] as HTMLSelectElement;
		expect(secondRow.value).toBe(String(secondSegment.segment_id));
		expect([...secondRow.options].find((o) => o.value === String(firstSegment.segment_id))?.disabled).toBe(true);
		await fireEvent.click(within(screen.getByTestId('effects-base')).getAllByText('Remove')[0]);

		await fireEvent.click(screen.getByTestId('effect-add-placement'));
		await fireEvent.input(screen.getByTestId('effect-placement-multiplier'), { target: { value: '1.5' } });
		expect((screen.getByTestId('effect-add-placement') as HTMLButtonElement).disabled).toBe(placements.length === 1);

		await fireEvent.click(screen.getByTestId('effect-add-element'));
		await fireEvent.change(screen.getByTestId('effect-element-kind'), { target: { value: 'cta' } });
		await fireEvent.input(screen.getByTestId('effect-element-multiplier'), { target: { value: '0.8' } });
		const keys = [...(screen.getByTestId('effect-element-key') as HTMLSelectElement).options].map((o) => o.value);
		expect(keys).toEqual(ctas);

		await fireEvent.click(screen.getByTestId('run-sim-btn'));
		await waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0].model.base_overrides).toEqual([{ segment_id: secondSegment.segment_id, ctr: 0.05 }]);
		expect(sent[0].model.placements).toEqual([{ placement: placements[0], multiplier: 1.5 }]);
		expect(sent[0].model.elements).toEqual([{ element: 'cta', key: ctas[0], multiplier: 0.8 }]);
	});
});
