import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { LiveFrame, RunParams } from '$lib/bindings';
import type { Backend } from '$lib/backend/api';
import type { HttpBackend } from '$lib/backend/http';
import { base64ToUtf8, fmtPercent } from '$lib/format';
import { session } from '$lib/session.svelte';
import { bridge } from '$lib/testing/bridge';
import SimulationScreen from './SimulationScreen.svelte';

// The `campaign` project: campaign "Spring" (#1), 4 segments × (en + zh-CN) = 8 variants; a
// run's setup adds the generic control arm.

function decode(src: string): string {
	return base64ToUtf8(src.replace('data:image/svg+xml;base64,', ''));
}

/** Every frame the real core streams to the screen, in order. */
function spy(backend: HttpBackend): LiveFrame[] {
	const seen: LiveFrame[] = [];
	const start = backend.startSimulation.bind(backend);
	backend.startSimulation = (args, onFrame) => start(args, (f) => (seen.push(f), onFrame(f)));
	return seen;
}

async function ready() {
	await waitFor(() => expect((screen.getByTestId('run-sim-btn') as HTMLButtonElement).disabled).toBe(false), { timeout: 10_000 });
}

describe('SimulationScreen', () => {
	it('streams frames into four charts and the decision table, labelled simulated', async () => {
		const backend = await bridge({ project: 'campaign' });
		const seen = spy(backend);
		render(SimulationScreen, { backend });
		await waitFor(() => expect(session.campaignId).toBe(1), { timeout: 10_000 });
		await ready();
		expect(screen.queryByTestId('sim-live')).toBeNull();
		// 20,000 impressions at 10,000/s: about two seconds of frames (one per 66 ms)
		await fireEvent.input(screen.getByTestId('sim-impressions'), { target: { value: '20000' } });
		await fireEvent.change(screen.getByTestId('sim-speed'), { target: { value: '10000' } });
		await fireEvent.click(screen.getByTestId('run-sim-btn'));

		await waitFor(() => expect(Number(screen.getByTestId('sim-frames').textContent)).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
		const first = screen.getAllByTestId('sim-chart').map((i) => i.getAttribute('src'));
		expect(first).toHaveLength(4);
		expect(seen.at(-1)?.totals).toMatchObject({ planned: 20000 });
		await waitFor(() => expect(screen.getByTestId('sim-status').textContent).toBe('done'), { timeout: 15_000 });
		const last = seen.at(-1)!;
		expect(last.status).toBe('done');
		expect(last.totals.impressions).toBe(20000);
		const srcs = screen.getAllByTestId('sim-chart').map((i) => i.getAttribute('src')!);
		expect(srcs.map(decode)).toEqual(last.charts.map((c) => c.svg));
		expect(srcs[0]).not.toBe(first[0]);
		// 8 variants and the generic control, named in the window's language
		const rows = screen.getAllByTestId('sim-arm-row');
		expect(rows).toHaveLength(last.report.overall.arms.length);
		expect(rows).toHaveLength(9);
		expect(rows.filter((r) => r.textContent?.startsWith('Generic control'))).toHaveLength(1);
		expect(screen.getByTestId('sim-label-chart').textContent).toBe('Simulated / 模拟数据');
		expect(screen.getByTestId('sim-lift').textContent).toContain(fmtPercent(last.report.lift.mean, 'en', 1));
		// the finished run is listed and can be re-opened
		await waitFor(() => expect(screen.getAllByTestId('sim-run-status').map((s) => s.textContent)).toEqual(['done']));
	});

	it('pauses, resumes and stops a live run, and switches the watched segment', async () => {
		const backend = await bridge({ project: 'campaign' });
		const seen = spy(backend);
		render(SimulationScreen, { backend });
		await ready();
		await fireEvent.change(screen.getByTestId('sim-speed'), { target: { value: '1000' } });
		await fireEvent.click(screen.getByTestId('run-sim-btn'));
		await screen.findByTestId('sim-pause', {}, { timeout: 10_000 });
		await waitFor(() => expect(screen.getByTestId('sim-eta').textContent).toMatch(/left/));
		await fireEvent.click(screen.getByTestId('sim-pause'));
		await waitFor(() => expect(screen.getByTestId('sim-status').textContent).toBe('paused'), { timeout: 10_000 });
		const served = seen.at(-1)!.totals.impressions;
		// a paused run serves nothing: its next frame (a heartbeat, once a second) repeats the totals
		const framesAtPause = seen.length;
		await waitFor(() => expect(seen.length).toBeGreaterThan(framesAtPause), { timeout: 10_000 });
		expect(seen.at(-1)).toMatchObject({ status: 'paused', totals: { impressions: served } });

		const tabs = screen.getAllByTestId('sim-scope-segment');
		expect(tabs).toHaveLength(4);
		await fireEvent.click(screen.getByTestId('sim-resume'));
		await fireEvent.click(tabs[1]);
		await waitFor(() => expect(seen.at(-1)!.scope).toEqual({ segment: 1 }), { timeout: 10_000 });
		await waitFor(() => expect(seen.at(-1)!.totals.impressions).toBeGreaterThan(served), { timeout: 10_000 });
		await fireEvent.click(screen.getByTestId('sim-stop'));
		await waitFor(() => expect(screen.getByTestId('sim-status').textContent).toBe('stopped'), { timeout: 10_000 });
		expect(screen.queryByTestId('sim-pause')).toBeNull();
		await waitFor(() => expect(screen.getByTestId('sim-run-status').textContent).toBe('stopped'), { timeout: 10_000 });
	});

	it('compares runs and exports a chart through the save dialog', async () => {
		const backend = await bridge({ project: 'campaign' });
		const dir = mkdtempSync(join(tmpdir(), 'sim-export-'));
		onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
		const asked: [string, string][] = [];
		(backend as Backend).pickSavePath = async (name, extension) => (asked.push([name, extension]), join(dir, name));
		render(SimulationScreen, { backend });
		await ready();
		await fireEvent.input(screen.getByTestId('sim-impressions'), { target: { value: '500' } });
		await fireEvent.change(screen.getByTestId('sim-speed'), { target: { value: '0' } });
		for (const [i, policy] of ['thompson', 'uniform'].entries()) {
			await fireEvent.change(screen.getByTestId('sim-policy'), { target: { value: policy } });
			await fireEvent.click(screen.getByTestId('run-sim-btn'));
			await waitFor(() => expect(screen.getAllByTestId('sim-run-status').map((s) => s.textContent)).toEqual(Array(i + 1).fill('done')), { timeout: 10_000 });
		}
		for (const box of screen.getAllByTestId('sim-run-pick')) await fireEvent.click(box);
		await fireEvent.click(screen.getByTestId('compare-btn'));
		const rows = await screen.findAllByTestId('sim-comparison-row', {}, { timeout: 10_000 });
		expect(rows.map((r) => r.textContent)).toEqual([expect.stringContaining('Thompson sampling per segment'), expect.stringContaining('Fixed uniform split (A/B)')]);

		// the second run is the one on screen: its CTR chart, all segments
		await fireEvent.click(screen.getByTestId('export-png-ctr'));
		const path = join(dir, 'simulated-run2-ctr-all.png');
		expect((await screen.findByTestId('sim-notice', {}, { timeout: 10_000 })).textContent).toBe(`Saved ${path}`);
		expect(asked).toEqual([['simulated-run2-ctr-all.png', 'png']]);
		expect(existsSync(path)).toBe(true);
		expect([...readFileSync(path).subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
	});

	it('shows backend errors, naming the bad parameter', async () => {
		const backend = await bridge({ project: 'campaign' });
		render(SimulationScreen, { backend });
		await ready();
		await fireEvent.click(screen.getByText('Response model (ground truth)'));
		await fireEvent.input(screen.getByTestId('model-max_ctr'), { target: { value: '2' } });
		await fireEvent.click(screen.getByTestId('run-sim-btn'));
		const banner = await screen.findByTestId('error-banner', {}, { timeout: 10_000 });
		expect(banner.textContent).toContain('invalid_input');
		expect(banner.textContent).toContain('model.max_ctr');
		expect(screen.queryByTestId('sim-live')).toBeNull();
		expect(await backend.listSimulationRuns(1)).toEqual([]);
	});

	it('edits the model lists: a base CTR per segment and multipliers per placement and element reach the run', async () => {
		const backend = await bridge({ project: 'campaign' });
		const sent: RunParams[] = [];
		const start = backend.startSimulation.bind(backend);
		backend.startSimulation = (args, onFrame) => (sent.push(structuredClone(args.params)), start(args, onFrame));
		render(SimulationScreen, { backend });
		await ready();
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

		// the calibrated model has a multiplier for every placement: each row names its own, and
		// none can be added (the run serves only placements already listed)
		const defaults = setup.params.model.placements;
		expect(defaults.length).toBeGreaterThan(placements.length);
		const placementRows = () => within(screen.getByTestId('effects-placement')).getAllByTestId('effect-row');
		expect(placementRows().map((r) => (within(r).getByRole('combobox') as HTMLSelectElement).value)).toEqual(defaults.map((e) => e.placement));
		expect((screen.getByTestId('effect-add-placement') as HTMLButtonElement).disabled).toBe(true);
		const served = defaults.findIndex((e) => e.placement === placements[0]);
		await fireEvent.input(screen.getAllByTestId('effect-placement-multiplier')[served], { target: { value: '1.5' } });
		const dropped = defaults.findIndex((e) => e.placement !== placements[0]);
		await fireEvent.click(within(placementRows()[dropped]).getByText('Remove'));
		expect(placementRows()).toHaveLength(defaults.length - 1);

		await fireEvent.click(screen.getByTestId('effect-add-element'));
		await fireEvent.change(screen.getByTestId('effect-element-kind'), { target: { value: 'cta' } });
		await fireEvent.input(screen.getByTestId('effect-element-multiplier'), { target: { value: '0.8' } });
		const keys = [...(screen.getByTestId('effect-element-key') as HTMLSelectElement).options].map((o) => o.value);
		expect(keys).toEqual(ctas);

		await fireEvent.click(screen.getByTestId('run-sim-btn'));
		await waitFor(() => expect(sent).toHaveLength(1));
		expect(sent[0].model.base_overrides).toEqual([{ segment_id: secondSegment.segment_id, ctr: 0.05 }]);
		expect(sent[0].model.placements).toEqual(defaults.filter((_, i) => i !== dropped).map((e) => (e.placement === placements[0] ? { ...e, multiplier: 1.5 } : e)));
		expect(sent[0].model.elements).toEqual([{ element: 'cta', key: ctas[0], multiplier: 0.8 }]);
		// the core accepts the edited model: the run is stored
		await waitFor(async () => expect(await backend.listSimulationRuns(1)).toHaveLength(1), { timeout: 10_000 });
	});
});
