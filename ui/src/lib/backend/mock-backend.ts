// The mock backend: `MockCore` (data, import, segments, campaigns) plus live simulation runs,
// profiles and the review workflow, each delegating to its own mock module.
import type { ReportRef, RemovedReport, ReportSummary, SegmentGroup, ApprovalParams, DashboardChart, DashboardFormat, DashboardView, PerformanceImport, AuditEntry, Comment, Comparison, LiveFrame, Profile, ProfileParams, ProfileRole, ReviewStatus, RunRecord, Scope, SimulationSetup, VariantRow, Action, ApprovalCheck, BulkOutcome, BulkReport, Permission, Refusal, LiveServiceInfo, LiveStats, ReplaySummary } from '$lib/bindings';
import type { Backend, ControlSimulationArgs, ExportChartArgs, FrameFn, StartSimulationArgs } from './api';
import { clone, type MockOptions } from './mock-data';
import { MockCore } from './mock';
import type { MockAction } from './mock-review';
import { toApiError } from './api';

function refusal(e: unknown): Refusal {
	const a = toApiError(e);
	return { code: a.code, message: a.message, keyed: a.key ? { key: a.key, params: a.params ?? {} } : null };
}
import { MockSimulations } from './mock-sim';
import { MockLive } from './mock-live';

export class MockBackend extends MockCore implements Backend {
	private sims = new MockSimulations(
		(id) => (this.campaigns.campaign(id), this.campaigns.variants.filter((v) => v.campaign_id === id)),
		() => this.tickMs
	);
	/** The Live screen's decision service (tests add real traffic with `live.record`). */
	live = new MockLive((id) => this.campaigns.variants.filter((v) => v.campaign_id === id));
	/** Imported performance reports, oldest first (only their list is kept). */
	private reports: { campaignId: number; ref: ReportRef }[] = [];
	/** Chart and audit files written by the export commands (path → format), for tests. */
	savedCharts = new Map<string, string>();

	constructor(opts: MockOptions = {}) {
		super(opts);
	}

	async simulationSetup(campaignId: number): Promise<SimulationSetup> {
		await this.sleep(1);
		this.fail('simulation_setup');
		return this.sims.setup(campaignId);
	}

	async startSimulation(args: StartSimulationArgs, onFrame: FrameFn): Promise<RunRecord> {
		await this.sleep(1);
		this.fail('start_simulation');
		return this.sims.start(args.campaignId, args.name, args.params, args.speed, onFrame);
	}

	async resumeSimulation(args: { runId: number; speed: number }, onFrame: FrameFn): Promise<RunRecord> {
		await this.sleep(1);
		this.fail('resume_simulation');
		return this.sims.resume(args.runId, args.speed, onFrame);
	}

	async controlSimulation(args: ControlSimulationArgs): Promise<null> {
		this.fail('control_simulation');
		this.sims.control(args.runId, args.command ?? null, args.speed ?? null, args.scope ?? null);
		return null;
	}

	async listSimulationRuns(campaignId: number): Promise<RunRecord[]> {
		await this.sleep(1);
		this.fail('list_simulation_runs');
		return this.sims.list(campaignId);
	}

	async simulationFrame(args: { runId: number; scope: Scope }): Promise<LiveFrame> {
		await this.sleep(1);
		this.fail('simulation_frame');
		return this.sims.frame(args.runId, args.scope);
	}

	async compareSimulationRuns(runIds: number[]): Promise<Comparison> {
		await this.sleep(1);
		this.fail('compare_simulation_runs');
		return this.sims.compare(runIds);
	}

	async exportSimulationChart(args: ExportChartArgs): Promise<null> {
		this.fail('export_simulation_chart');
		this.sims.frame(args.runId, args.scope);
		this.savedCharts.set(args.path, args.format);
		return null;
	}

	async exportSimulationComparison(args: { runIds: number[]; format: 'svg' | 'png'; path: string }): Promise<null> {
		this.fail('export_simulation_comparison');
		this.sims.compare(args.runIds);
		this.savedCharts.set(args.path, args.format);
		return null;
	}

	async deleteSimulationRun(runId: number): Promise<null> {
		this.fail('delete_simulation_run');
		this.sims.remove(runId);
		return null;
	}

	/** A profile by name (tests). */
	profileNamed(name: string): Profile | undefined {
		return this.review.profiles.find((p) => p.name === name);
	}

	async listProfiles(): Promise<Profile[]> {
		this.fail('list_profiles');
		return clone(this.review.profiles);
	}

	async currentProfile(): Promise<Profile | null> {
		return clone(this.review.profiles.find((p) => p.id === this.review.current) ?? null);
	}

	async signIn(profileId: number): Promise<Profile> {
		this.fail('sign_in');
		return this.review.signIn(profileId);
	}

	async signOut(): Promise<null> {
		this.review.current = null;
		return null;
	}

	async createProfile(params: ProfileParams): Promise<Profile> {
		this.fail('create_profile');
		return this.review.create(params);
	}

	async setProfileRole(args: { profileId: number; role: ProfileRole }): Promise<Profile> {
		return this.review.update(args.profileId, { role: args.role });
	}

	async deactivateProfile(profileId: number): Promise<Profile> {
		return this.review.update(profileId, { active: false });
	}

	/** The mock's stand-in for the core's `permissions` (its own copy of the matrix). */
	async permissions(): Promise<Permission[]> {
		const ACTIONS: Array<[Action, MockAction]> = [
			['manage_profiles', 'manage_profiles'], ['create_campaign', 'create_campaign'], ['edit_copy', 'edit'], ['submit', 'submit'],
			['approve', 'approve'], ['request_changes', 'request_changes'], ['override', 'override'], ['comment', 'comment'],
			['export', 'export'], ['remove_report', 'export'], ['rename_segment', 'rename_segment']
		];
		return ACTIONS.map(([action, mock]) => {
			try {
				this.review.actor(mock);
				return { action, allowed: true, reason: null };
			} catch (e) {
				return { action, allowed: false, reason: refusal(e) };
			}
		});
	}

	async approvalCheck(variantId: number): Promise<ApprovalCheck> {
		const v = this.campaigns.variant(variantId);
		const needs_override = v.findings.some((f) => f.severity === 'error');
		try {
			this.review.actor('approve');
			if (v.status !== 'in_review') throw { code: 'conflict', message: `variant ${v.id} is ${v.status}` };
			return { variant_id: variantId, allowed: true, reason: null, needs_override };
		} catch (e) {
			return { variant_id: variantId, allowed: false, reason: refusal(e), needs_override };
		}
	}

	async submitAll(args: { campaignId: number; segmentId: number | null }): Promise<BulkReport> {
		this.review.actor('submit');
		const ids = this.campaigns.variants.filter((v) => v.campaign_id === args.campaignId && (args.segmentId === null || v.segment_id === args.segmentId) && (v.status === 'draft' || v.status === 'changes_requested')).map((v) => v.id);
		return this.bulk(ids, (id) => this.review.submit(this.campaigns.variant(id)));
	}

	async approveAll(args: { variantIds: number[] }): Promise<BulkReport> {
		this.review.actor('approve');
		return this.bulk([...new Set(args.variantIds)], (id) => this.review.approve(this.campaigns.variant(id), null));
	}

	private bulk(ids: number[], act: (id: number) => VariantRow): BulkReport {
		const outcomes: BulkOutcome[] = ids.map((id) => {
			try {
				return { variant_id: id, done: true, state: act(id).status, reason: null };
			} catch (e) {
				return { variant_id: id, done: false, state: this.campaigns.variant(id).status, reason: refusal(e) };
			}
		});
		const done = outcomes.filter((o) => o.done).length;
		return { outcomes, done, refused: outcomes.length - done };
	}

	async reviewStatus(variantId: number): Promise<ReviewStatus> {
		return this.review.status(this.campaigns.variant(variantId));
	}

	async submitVariant(variantId: number): Promise<VariantRow> {
		await this.sleep(2);
		this.fail('submit_variant');
		return this.review.submit(this.campaigns.variant(variantId));
	}

	async approveVariant(args: { variantId: number; params: ApprovalParams }): Promise<VariantRow> {
		await this.sleep(2);
		this.fail('approve_variant');
		return this.review.approve(this.campaigns.variant(args.variantId), args.params.override_reason);
	}

	async requestChanges(args: { variantId: number; comment: string }): Promise<VariantRow> {
		await this.sleep(2);
		this.fail('request_changes');
		return this.review.requestChanges(this.campaigns.variant(args.variantId), args.comment);
	}

	async addComment(args: { variantId: number; text: string }): Promise<Comment> {
		this.fail('add_comment');
		this.campaigns.variant(args.variantId);
		return this.review.addComment(args.variantId, args.text);
	}

	async listComments(variantId: number): Promise<Comment[]> {
		return this.review.commentsOf(variantId);
	}

	async variantAudit(variantId: number): Promise<AuditEntry[]> {
		return this.review.auditOf(variantId);
	}

	async campaignDashboard(args: { campaignId: number; lang: 'zh-CN' | 'en' }): Promise<DashboardView> {
		await this.sleep(2);
		this.fail('campaign_dashboard');
		const { row } = this.campaigns.campaign(args.campaignId);
		const vs = this.campaigns.variants.filter((v) => v.campaign_id === args.campaignId);
		const count = (st: string) => vs.filter((v) => v.status === st).length;
		const title = (k: string) => (args.lang === 'zh-CN' ? `模拟 ${k}` : `Simulated ${k}`);
		const rows = vs
			.map((v) => ({ segment_id: v.segment_id, segment_en: v.segment_name_en, segment_zh: v.segment_name_zh, variant_id: v.id, headline: v.headline, targeted: true, review_state: v.status, simulated: null, real: null }))
			.sort((a, b) => a.segment_id - b.segment_id || a.variant_id - b.variant_id);
		// The core ranks each segment's rows by CTR; the mock has no figures, so keeps their order.
		const segments: SegmentGroup[] = [];
		rows.forEach((r, i) => {
			const last = segments[segments.length - 1];
			if (last && last.segment_id === r.segment_id) last.rows.push(i);
			else segments.push({ segment_id: r.segment_id, segment_en: r.segment_en, segment_zh: r.segment_zh, rows: [i], shown: 0 });
		});
		segments.forEach((g) => (g.shown = Math.min(5, g.rows.length)));
		return {
			dashboard: {
				campaign_id: row.id,
				campaign_name: row.name,
				run: null,
				rows,
				segments,
				lift: null,
				approval: { draft: count('draft'), in_review: count('in_review'), approved: count('approved'), changes_requested: count('changes_requested'), total: vs.length },
				reports: [],
				ope: []
			},
			charts: (['ctr', 'approval', 'lift', 'ope'] as DashboardChart[]).map((kind) => ({ kind, width: 900, height: 300, svg: `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300"><text x="10" y="20" font-size="18">${title(kind)}</text></svg>` }))
		};
	}

	async exportDashboard(args: { campaignId: number; kind: DashboardChart; format: DashboardFormat; lang: 'zh-CN' | 'en'; path: string }): Promise<null> {
		this.fail('export_dashboard');
		this.campaigns.campaign(args.campaignId);
		this.savedCharts.set(args.path, args.format);
		return null;
	}

	async exportReport(args: { campaignId: number; lang: 'zh-CN' | 'en'; path: string }): Promise<ReportSummary> {
		await this.sleep(2);
		this.fail('export_report');
		this.campaigns.campaign(args.campaignId);
		this.savedCharts.set(args.path, 'pdf');
		return { path: args.path, lang: args.lang, campaign_id: args.campaignId, pages: 3, bytes: 250_000, segments: [], generated_at: '2026-12-02T08:00:00Z' };
	}

	async importPerformance(args: { campaignId: number; path: string }): Promise<PerformanceImport> {
		await this.sleep(2);
		this.fail('import_performance');
		this.campaigns.campaign(args.campaignId);
		const vs = this.campaigns.variants.filter((v) => v.campaign_id === args.campaignId);
		const report_id = this.reports.length ? Math.max(...this.reports.map((r) => r.ref.id)) + 1 : 1;
		const ref: ReportRef = { id: report_id, file_name: args.path.split('/').pop() ?? args.path, sha256: 'a'.repeat(64), rows_imported: vs.length, rows_rejected: 1, imported_at: '2026-12-02T08:00:00Z' };
		this.reports.push({ campaignId: args.campaignId, ref });
		return {
			file: args.path,
			format: 'studio',
			currency: null,
			report_id,
			sha256: 'a'.repeat(64),
			rows_read: vs.length + 1,
			rows_imported: vs.length,
			rows_rejected: 1,
			rows_skipped: 0,
			already_imported: false,
			errors: [{ line: vs.length + 2, column: 'clicks', reason: 'clicks (12) exceed impressions (10)' }],
			skipped: []
		};
	}

	async listPerformanceReports(args: { campaignId: number }): Promise<ReportRef[]> {
		await this.sleep(1);
		this.fail('list_performance_reports');
		return clone(this.reports.filter((r) => r.campaignId === args.campaignId).map((r) => r.ref).reverse());
	}

	async removePerformanceReport(args: { reportId: number }): Promise<RemovedReport> {
		await this.sleep(1);
		this.fail('remove_performance_report');
		const i = this.reports.findIndex((r) => r.ref.id === args.reportId);
		if (i < 0) throw { code: 'not_found', message: `performance report ${args.reportId} does not exist` };
		const [gone] = this.reports.splice(i, 1);
		return { campaign_id: gone.campaignId, report: gone.ref, rows_removed: gone.ref.rows_imported };
	}

	async exportAudit(args: { variantId: number | null; json: boolean; path: string }): Promise<null> {
		this.fail('export_audit');
		this.savedCharts.set(args.path, args.json ? 'json' : 'csv');
		return null;
	}

	async startLiveService(args: { campaignId: number; port: number }): Promise<LiveServiceInfo> {
		await this.sleep(1);
		this.fail('start_live_service');
		this.campaigns.campaign(args.campaignId);
		return this.live.start(args.campaignId, args.port);
	}

	async stopLiveService(): Promise<null> {
		this.fail('stop_live_service');
		this.live.stop();
		return null;
	}

	async liveService(): Promise<LiveServiceInfo | null> {
		return this.live.info ? { ...this.live.info } : null;
	}

	async liveServiceStats(): Promise<LiveStats | null> {
		this.fail('live_service_stats');
		return this.live.stats();
	}

	async rotateApiKey(): Promise<string> {
		this.fail('rotate_api_key');
		return this.live.rotate();
	}

	async replayLiveService(args: { shoppers: number }): Promise<ReplaySummary> {
		await this.sleep(1);
		this.fail('replay_live_service');
		return this.live.replay(args.shoppers);
	}
}
