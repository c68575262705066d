// Live simulation runs of the mock backend: the same shapes and rules as the core's
// `simulate::live` (start / pause / resume / stop / speed / scope, frames on a timer, runs that
// can be listed, re-opened, compared), over a tiny seeded epsilon-greedy model.
import type {
	ApiError,
	ChartKind,
	Comparison,
	Decision,
	LiveCommand,
	LiveFrame,
	Report,
	RunParams,
	RunRecord,
	RunStatus,
	Scenario,
	Scope,
	SimulationSetup,
	VariantRow
} from '$lib/bindings';
import { clone, mockChartSvg, prng } from './mock-data';

const KINDS: ChartKind[] = ['ctr', 'traffic_share', 'cumulative_clicks', 'regret'];
export const MOCK_MAX_SPEED = 100_000_000;

interface Cell {
	impressions: number;
	clicks: number;
}

interface MockRun {
	record: RunRecord;
	scenario: Scenario;
	truth: number[][];
	cells: Cell[][];
	uniformClicks: number;
	regret: number;
	history: Array<[number, number]>;
	rnd: () => number;
	speed: number;
	scope: Scope;
	command: LiveCommand;
	live: boolean;
	seq: number;
	onFrame: ((f: LiveFrame) => void) | null;
}

function invalid(message: string): ApiError {
	return { code: 'invalid_input', message };
}

export function defaultParams(): RunParams {
	return {
		impressions: 1_000_000,
		seed: 0,
		policy: { kind: 'thompson', exact_below: 8 },
		model: {
			base_intercept: 0.01,
			cart_weight: 0.3,
			purchase_weight: 1,
			base_min: 0.002,
			base_max: 0.2,
			base_overrides: [],
			affinity_weight: 0.8,
			discount_weight: 0.6,
			copy_threshold: 120,
			copy_penalty: 0.03,
			placements: [],
			elements: [],
			fatigue_half_life: 50,
			audience_scale: 100,
			max_ctr: 0.5,
			drift: null,
			base_ctr: 0.0038,
			positions: [1.03, 1.08, 0.886],
			item_sd: 0.43,
			item_seed: 0
		},
		placement: null,
		control_variant: null,
		model_name: 'calibrated-obd-v1'
	};
}

function scenarioOf(variants: VariantRow[]): Scenario {
	const segs = new Map<number, VariantRow>();
	for (const v of variants) if (!segs.has(v.segment_id)) segs.set(v.segment_id, v);
	return {
		segments: [...segs.values()].map((v) => ({
			segment_id: v.segment_id,
			name_en: v.segment_name_en,
			name_zh: v.segment_name_zh,
			size: 100,
			cart_rate: 0.05,
			purchase_rate: 0.01,
			price_index: 0,
			top_categories: []
		})),
		arms: variants.map((v) => ({
			variant_id: v.id,
			label: `#${v.id} ${v.segment_name_en} · ${v.angle}`,
			segment_id: v.segment_id,
			angle: v.angle,
			image: v.product_id,
			cta: v.cta,
			discount: v.angle === 'discount',
			copy_width: v.headline.length + v.description.length,
			placement: v.placement,
			generic: false
		}))
	};
}

function chartSvg(kind: ChartKind, run: MockRun): string {
	const ys = run.history.map(([, y]) => y);
	return mockChartSvg(`Simulated ${kind}`, [ys, ys.map((y) => y * 0.8)]);
}

function decision(cells: Cell[], rnd: () => number): Decision {
	const means = cells.map((c) => (c.clicks + 1) / (c.impressions + 2));
	const sds = cells.map((c, i) => Math.sqrt((means[i] * (1 - means[i])) / (c.impressions + 3)));
	const wins = cells.map(() => 0);
	const draws = 200;
	for (let d = 0; d < draws; d++) {
		let best = 0;
		let top = -Infinity;
		means.forEach((m, i) => {
			const x = m + sds[i] * (rnd() + rnd() + rnd() - 1.5) * 2;
			if (x > top) [top, best] = [x, i];
		});
		wins[best]++;
	}
	const leader = wins.indexOf(Math.max(...wins));
	const bestMean = Math.max(...means);
	const few = cells.some((c) => c.impressions < 100);
	const confident = wins[leader] / draws >= 0.95;
	return {
		impressions: cells.reduce((s, c) => s + c.impressions, 0),
		control: 0,
		leader,
		arms: cells.map((c, i) => ({
			arm: i,
			impressions: c.impressions,
			clicks: c.clicks,
			mean: means[i],
			low: Math.max(0, means[i] - 1.96 * sds[i]),
			high: Math.min(1, means[i] + 1.96 * sds[i]),
			p_best: wins[i] / draws,
			p_beat_control: i === 0 ? null : means[i] > means[0] ? 0.8 : 0.2,
			expected_loss: bestMean - means[i]
		})),
		impressions_to_decide: confident ? 0 : 5000,
		warning:
			few || !confident
				? {
						reason: few ? 'too_few_impressions' : 'leader_not_confident',
						message_en: 'Deciding now would be peeking: the leader is not yet 95% likely to be best.',
						message_zh: '现在做决定属于过早偷看：领先素材为最优的概率尚未达到 95%。'
					}
				: null
	};
}

export class MockSimulations {
	private runs = new Map<number, MockRun>();
	private nextId = 1;

	constructor(
		private variantsOf: (campaignId: number) => VariantRow[],
		private tickMs: () => number
	) {}

	setup(campaignId: number): SimulationSetup {
		const vs = this.variantsOf(campaignId);
		if (!vs.length) throw { code: 'conflict', message: `campaign ${campaignId} has no variants to simulate` } satisfies ApiError;
		return { scenario: scenarioOf(vs), params: defaultParams(), max_speed: MOCK_MAX_SPEED };
	}

	start(campaignId: number, name: string, params: RunParams, speed: number, onFrame: (f: LiveFrame) => void): RunRecord {
		const setup = this.setup(campaignId);
		if (!(params.impressions >= 1 && params.impressions <= 1e9)) throw invalid(`simulation parameter \`impressions\` must be in 1–1000000000, is ${params.impressions}`);
		if (params.policy.kind === 'epsilon_greedy' && !(params.policy.epsilon >= 0 && params.policy.epsilon <= 1)) {
			throw invalid(`simulation parameter \`policy.epsilon\` must be in [0, 1], is ${params.policy.epsilon}`);
		}
		if (!(params.model.max_ctr > 0 && params.model.max_ctr <= 0.95)) throw invalid(`simulation parameter \`model.max_ctr\` must be in (0, 0.95], is ${params.model.max_ctr}`);
		if (!(speed >= 0 && speed <= MOCK_MAX_SPEED)) throw invalid(`simulation parameter \`speed\` must be at most ${MOCK_MAX_SPEED} impressions/s (0 = full speed), is ${speed}`);
		const rnd = prng(params.seed + 1);
		const id = this.nextId++;
		const sc = setup.scenario;
		const now = new Date().toISOString();
		const run: MockRun = {
			record: { id, campaign_id: campaignId, name: name.trim(), created_at: now, updated_at: now, status: 'running', policy: params.policy.kind, seed: params.seed, planned: params.impressions, served: 0, clicks: 0, uniform_clicks: 0, regret: 0, model: 'calibrated-obd-v1', params: clone(params), simulated: true },
			scenario: sc,
			truth: sc.segments.map(() => sc.arms.map(() => 0.01 + rnd() * 0.05)),
			cells: sc.segments.map(() => sc.arms.map(() => ({ impressions: 0, clicks: 0 }))),
			uniformClicks: 0,
			regret: 0,
			history: [],
			rnd,
			speed,
			scope: 'overall',
			command: 'resume',
			live: false,
			seq: 0,
			onFrame
		};
		this.runs.set(id, run);
		this.drive(run);
		return clone(run.record);
	}

	resume(runId: number, speed: number, onFrame: (f: LiveFrame) => void): RunRecord {
		const run = this.get(runId);
		if (run.live) {
			run.speed = speed;
			run.command = 'resume';
			return clone(run.record);
		}
		if (run.record.status === 'done' || run.record.status === 'stopped') {
			throw { code: 'conflict', message: `simulation run ${runId} is ${run.record.status} and cannot be continued` } satisfies ApiError;
		}
		run.onFrame = onFrame;
		run.speed = speed;
		run.command = 'resume';
		this.drive(run);
		return clone(run.record);
	}

	control(runId: number, command: LiveCommand | null, speed: number | null, scope: Scope | null): void {
		const run = this.get(runId);
		if (!run.live) {
			if (command === 'stop') {
				run.record.status = 'stopped';
				return;
			}
			throw { code: 'not_found', message: `simulation run ${runId} is not running in this window; resume it first` } satisfies ApiError;
		}
		if (speed !== null) {
			if (!(speed >= 0 && speed <= MOCK_MAX_SPEED)) throw invalid(`simulation parameter \`speed\` must be at most ${MOCK_MAX_SPEED}`);
			run.speed = speed;
		}
		if (scope !== null) run.scope = scope;
		if (command !== null && run.command !== 'stop') run.command = command;
	}

	list(campaignId: number): RunRecord[] {
		return [...this.runs.values()].filter((r) => r.record.campaign_id === campaignId).map((r) => clone(r.record));
	}

	frame(runId: number, scope: Scope): LiveFrame {
		const run = this.get(runId);
		if (typeof scope === 'object' && scope.segment >= run.scenario.segments.length) throw invalid(`simulation parameter \`scope\` segment ${scope.segment} does not exist`);
		return this.frameOf(run, run.record.status, scope);
	}

	compare(runIds: number[]): Comparison {
		if (runIds.length < 1 || runIds.length > 10) throw invalid(`simulation parameter \`runs\` choose 1–10 runs to compare, got ${runIds.length}`);
		const runs = runIds.map((id) => this.get(id).record);
		return {
			runs: runs.map((r) => ({
				record: clone(r),
				ctr: r.served ? r.clicks / r.served : 0,
				uniform_ctr: r.served ? r.uniform_clicks / r.served : 0,
				lift_over_uniform: r.uniform_clicks ? r.clicks / r.uniform_clicks - 1 : null
			})),
			chart_svg: `<svg xmlns="http://www.w3.org/2000/svg" width="860" height="420"><text x="10" y="20">Simulated cumulative CTR per run · ${runs.map((r) => r.name).join(', ')}</text></svg>`,
			simulated: true
		};
	}

	remove(runId: number): void {
		const run = this.get(runId);
		if (run.live) throw { code: 'conflict', message: `simulation run ${runId} is running; stop it before deleting it` } satisfies ApiError;
		this.runs.delete(runId);
	}

	get(runId: number): MockRun {
		const run = this.runs.get(runId);
		if (!run) throw { code: 'not_found', message: `simulation run ${runId} does not exist` } satisfies ApiError;
		return run;
	}

	private serve(run: MockRun, n: number) {
		const k = run.scenario.arms.length;
		const s = run.scenario.segments.length;
		for (let i = 0; i < n && run.record.served < run.record.planned; i++) {
			const seg = Math.floor(run.rnd() * s);
			const cells = run.cells[seg];
			const best = cells.reduce((b, c, a) => ((c.clicks + 1) / (c.impressions + 2) > (cells[b].clicks + 1) / (cells[b].impressions + 2) ? a : b), 0);
			const arm = run.record.policy === 'uniform' || run.rnd() < 0.2 ? Math.floor(run.rnd() * k) : best;
			const p = run.truth[seg][arm];
			cells[arm].impressions++;
			if (run.rnd() < p) {
				cells[arm].clicks++;
				run.record.clicks++;
			}
			if (run.rnd() < run.truth[seg][Math.floor(run.rnd() * k)]) run.record.uniform_clicks++;
			run.regret += Math.max(...run.truth[seg]) - p;
			run.record.served++;
		}
		run.record.regret = run.regret;
		run.history.push([run.record.served, run.record.served ? run.record.clicks / run.record.served : 0]);
	}

	private frameOf(run: MockRun, status: RunStatus, scope: Scope): LiveFrame {
		const k = run.scenario.arms.length;
		const pooled = run.scenario.arms.map((_, a) => run.cells.reduce((c, row) => ({ impressions: c.impressions + row[a].impressions, clicks: c.clicks + row[a].clicks }), { impressions: 0, clicks: 0 }));
		const rnd = prng(run.record.seed + run.record.served);
		const report: Report = {
			impressions: run.record.served,
			arms: run.scenario.arms.map((a) => ({ variant_id: a.variant_id, label: a.label })),
			segments: run.scenario.segments.map((s, i) => ({ segment_id: s.segment_id, name_en: s.name_en, name_zh: s.name_zh, share: 1 / run.scenario.segments.length, decision: decision(run.cells[i], rnd) })),
			overall: decision(pooled, rnd),
			lift: { mean: 0.12, low: 0.02, high: 0.22, probability_positive: 0.97, personalised: run.scenario.segments.map(() => run.scenario.arms[0].variant_id), generic: run.scenario.arms[k - 1].variant_id, true_lift: 0.15 },
			budget: {
				base_ctr: 0.0038,
				confidence: 0.95,
				power: 0.8,
				arms_per_segment: run.scenario.segments.map(() => k),
				rows: [
					{ min_lift: 0.1, per_arm: 432_030, total: 432_030 * k * run.scenario.segments.length },
					{ min_lift: 0.2, per_arm: 111_000, total: 111_000 * k * run.scenario.segments.length }
				],
				simulated: true
			},
			simulated: true
		};
		return {
			run_id: run.record.id,
			seq: ++run.seq,
			status,
			totals: { impressions: run.record.served, planned: run.record.planned, clicks: run.record.clicks, uniform_clicks: run.record.uniform_clicks, regret: run.regret, uniform_regret: run.regret * 1.5, done: run.record.served >= run.record.planned, simulated: true },
			speed: run.speed,
			scope,
			charts: KINDS.map((kind) => ({ kind, svg: chartSvg(kind, run) })),
			report,
			chart_ms: 1,
			drawn_at_ms: Date.now(),
			simulated: true
		};
	}

	private send(run: MockRun, status: RunStatus): void {
		run.record.status = status;
		run.record.updated_at = new Date().toISOString();
		run.onFrame?.(clone(this.frameOf(run, status, run.scope)));
	}

	private drive(run: MockRun): void {
		run.live = true;
		this.send(run, 'running');
		let pausedSent = false;
		const tick = () => {
			if (run.command === 'stop') {
				run.live = false;
				this.send(run, run.record.served >= run.record.planned ? 'done' : 'stopped');
				return;
			}
			if (run.command === 'pause') {
				if (!pausedSent) this.send(run, 'paused');
				pausedSent = true;
				setTimeout(tick, this.tickMs());
				return;
			}
			pausedSent = false;
			const due = run.speed === 0 ? Math.ceil(run.record.planned / 12) : Math.max(1, Math.round((run.speed * this.tickMs()) / 1000));
			this.serve(run, due);
			if (run.record.served >= run.record.planned) {
				run.live = false;
				this.send(run, 'done');
				return;
			}
			this.send(run, 'running');
			setTimeout(tick, this.tickMs());
		};
		setTimeout(tick, this.tickMs());
	}
}
