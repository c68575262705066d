import { render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { GENERIC_CONTROL_ID, type Decision, type Report } from '$lib/bindings';
import { setLang } from '$lib/lang.svelte';
import SimDecision from './SimDecision.svelte';

/** A two-arm report: a segment's own variant (#12) and the shared generic control (the core's id). */
function report(): Report {
	const arm = (i: number, mean: number) => ({ arm: i, impressions: 5000, clicks: Math.round(5000 * mean), mean, low: mean * 0.8, high: mean * 1.2, p_best: i === 0 ? 0.97 : 0.03, p_beat_control: i === 0 ? 0.97 : null, expected_loss: 0.0001 });
	const overall = { impressions: 10000, control: 1, leader: 0, arms: [arm(0, 0.006), arm(1, 0.004)], impressions_to_decide: 0, warning: null } as unknown as Decision;
	return {
		impressions: 10000,
		arms: [
			{ variant_id: 12, label: '#12 Digital lovers · discount' },
			{ variant_id: GENERIC_CONTROL_ID, label: 'Generic control · 通用对照' }
		],
		segments: [],
		overall,
		lift: { mean: 0.5, low: 0.1, high: 0.9, probability_positive: 0.97, personalised: [], generic: GENERIC_CONTROL_ID, true_lift: 0.4 },
		budget: { base_ctr: 0.004, rows: [] },
		simulated: true
	} as unknown as Report;
}

describe('SimDecision', () => {
	afterEach(() => setLang('en'));

	it('names the generic control in the window language, other arms by their label', () => {
		setLang('zh-CN');
		render(SimDecision, { report: report(), scope: 'overall' });
		const rows = screen.getAllByTestId('sim-arm-row').map((r) => r.querySelector('td')?.textContent ?? '');
		expect(rows[0]).toContain('#12 Digital lovers');
		expect(rows[1]).toContain('通用对照');
		expect(rows[1]).not.toContain('Generic control');
	});

	it('says Generic control in English', () => {
		setLang('en');
		render(SimDecision, { report: report(), scope: 'overall' });
		const rows = screen.getAllByTestId('sim-arm-row').map((r) => r.querySelector('td')?.textContent ?? '');
		expect(rows[1]).toContain('Generic control');
		expect(rows[1]).not.toContain('通用对照');
	});
});
