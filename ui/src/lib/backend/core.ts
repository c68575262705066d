// Every method of the `Backend` is one command of the Rust core (`src-tauri/api/src/dispatch.rs`,
// the one list): `CoreBackend` names it and its arguments; a transport carries the call — Tauri's
// IPC inside the app (`tauri.ts`), the dev bridge over HTTP in a browser and in the UI tests
// (`http.ts`).
import type { ApiError, CampaignCheck, CampaignParams, LayerKind, ApprovalParams, DashboardChart, DashboardFormat, DashboardView, PerformanceImport, AuditEntry, CampaignRow, Comment, Profile, ProfileParams, ProfileRole, ReviewStatus, CopyLint, ExportParams, ExportPreview, ExportSummary, FilePreview, ImportSummary, Placement, ProductRow, ProjectOverview, RejectedLine, SegmentRow, Comparison, LiveFrame, RunRecord, Scope, SegmentInsights, SimulationSetup, TrainReport, VariantRow, ReportRef, RemovedReport, ReportSummary, ApprovalCheck, BulkReport, Permission, LiveServiceInfo, LiveStats, ReplaySummary } from '$lib/bindings';
import type { Lang } from '$lib/i18n';
import {
	normalised,
	type Backend,
	type ControlSimulationArgs,
	type CreateCampaignArgs,
	type ExportChartArgs,
	type EditVariantArgs,
	type FrameFn,
	type ImportArgs,
	type LintArgs,
	type ProgressFn,
	type RejectedPageArgs,
	type StartSimulationArgs,
	type VariantImageArgs
} from './api';

/** Carries one command: its name, its arguments (camelCase, as the Rust command names them) and
 * where its events go (a job's progress, a live run's frames). Rejects with what the core
 * answered. */
export type Transport = <T>(command: string, args: Record<string, unknown>, onEvent?: (event: unknown) => void) => Promise<T>;

export abstract class CoreBackend implements Backend {
	abstract readonly kind: 'tauri' | 'http';
	protected abstract readonly transport: Transport;

	protected call<T>(cmd: string, args: Record<string, unknown> = {}, onEvent?: (event: never) => void): Promise<T> {
		return normalised(() => this.transport<T>(cmd, args, onEvent as ((event: unknown) => void) | undefined));
	}

	projectOverview() {
		return this.call<ProjectOverview>('project_overview');
	}
	listProducts(args: { limit: number; offset: number; search: string | null }) {
		return this.call<ProductRow[]>('list_products', args);
	}
	previewImport(path: string) {
		return this.call<FilePreview>('preview_import', { path });
	}
	importFile(args: ImportArgs, onProgress: ProgressFn) {
		return this.call<ImportSummary>('import_file', {
			path: args.path,
			jobId: args.jobId,
			format: args.format ?? null,
			mapping: args.mapping ?? null,
			pseudonymise: args.pseudonymise ?? null,
			currency: args.currency ?? null
		}, onProgress);
	}
	rejectedLines(args: RejectedPageArgs) {
		return this.call<RejectedLine[]>('rejected_lines', { importId: args.importId, offset: args.offset, limit: args.limit });
	}
	cancelJob(jobId: string) {
		return this.call<null>('cancel_job', { jobId });
	}
	trainSegments(args: { k: number | null; seed: number; jobId: string }, onProgress: ProgressFn) {
		return this.call<TrainReport>('train_segments', { ...args
		}, onProgress);
	}
	splitSegment(args: { segmentId: number; seed: number }) {
		return this.call<TrainReport>('split_segment', args);
	}
	listSegments() {
		return this.call<SegmentRow[]>('list_segments');
	}
	renameSegment(args: { segmentId: number; nameEn: string; nameZh: string }) {
		return this.call<SegmentRow>('rename_segment', args);
	}
	segmentInsights(lang: Lang) {
		return this.call<SegmentInsights>('segment_insights', { lang });
	}
	checkCampaign(params: CampaignParams) {
		return this.call<CampaignCheck>('check_campaign', { params });
	}
	listCampaigns() {
		return this.call<CampaignRow[]>('list_campaigns');
	}
	listPlacements() {
		return this.call<Placement[]>('list_placements');
	}
	createCampaign(args: CreateCampaignArgs, onProgress: ProgressFn) {
		return this.call<CampaignRow>('create_campaign', { params: args.params, jobId: args.jobId
		}, onProgress);
	}
	listVariants(campaignId: number) {
		return this.call<VariantRow[]>('list_variants', { campaignId });
	}
	variantImage(args: VariantImageArgs) {
		return this.call<string>('variant_image', { variantId: args.variantId, placement: args.placement });
	}
	editVariant(args: EditVariantArgs) {
		const e = args.edit;
		const edit = {
			headline: e.headline ?? null,
			long_headline: e.long_headline ?? null,
			description: e.description ?? null,
			primary_text: e.primary_text ?? null,
			cta: e.cta ?? null,
			layers: e.layers ?? null
		};
		return this.call<VariantRow>('edit_variant', { variantId: args.variantId, edit });
	}
	regenerateVariant(variantId: number) {
		return this.call<VariantRow>('regenerate_variant', { variantId });
	}
	checkLayerRect(kind: LayerKind, rect: readonly [number, number, number, number]) {
		return this.call<ApiError | null>('check_layer_rect', { kind, rect });
	}
	lintCopy(args: LintArgs) {
		return this.call<CopyLint>('lint_copy', { campaignId: args.campaignId, variantId: args.variantId ?? null, fields: args.fields });
	}
	simulationSetup(campaignId: number) {
		return this.call<SimulationSetup>('simulation_setup', { campaignId });
	}
	startSimulation(args: StartSimulationArgs, onFrame: FrameFn) {
		return this.call<RunRecord>('start_simulation', { ...args }, onFrame);
	}
	resumeSimulation(args: { runId: number; speed: number }, onFrame: FrameFn) {
		return this.call<RunRecord>('resume_simulation', { ...args }, onFrame);
	}
	controlSimulation(args: ControlSimulationArgs) {
		return this.call<null>('control_simulation', {
			runId: args.runId,
			command: args.command ?? null,
			speed: args.speed ?? null,
			scope: args.scope ?? null
		});
	}
	listSimulationRuns(campaignId: number) {
		return this.call<RunRecord[]>('list_simulation_runs', { campaignId });
	}
	simulationFrame(args: { runId: number; scope: Scope }) {
		return this.call<LiveFrame>('simulation_frame', args);
	}
	compareSimulationRuns(runIds: number[]) {
		return this.call<Comparison>('compare_simulation_runs', { runIds });
	}
	exportSimulationChart(args: ExportChartArgs) {
		return this.call<null>('export_simulation_chart', { ...args });
	}
	exportSimulationComparison(args: { runIds: number[]; format: 'svg' | 'png'; path: string }) {
		return this.call<null>('export_simulation_comparison', args);
	}
	deleteSimulationRun(runId: number) {
		return this.call<null>('delete_simulation_run', { runId });
	}
	listProfiles() {
		return this.call<Profile[]>('list_profiles');
	}
	currentProfile() {
		return this.call<Profile | null>('current_profile');
	}
	signIn(profileId: number) {
		return this.call<Profile>('sign_in', { profileId });
	}
	signOut() {
		return this.call<null>('sign_out');
	}
	createProfile(params: ProfileParams) {
		return this.call<Profile>('create_profile', { params });
	}
	setProfileRole(args: { profileId: number; role: ProfileRole }) {
		return this.call<Profile>('set_profile_role', args);
	}
	deactivateProfile(profileId: number) {
		return this.call<Profile>('deactivate_profile', { profileId });
	}
	reviewStatus(variantId: number) {
		return this.call<ReviewStatus>('review_status', { variantId });
	}
	permissions() {
		return this.call<Permission[]>('permissions');
	}
	approvalCheck(variantId: number) {
		return this.call<ApprovalCheck>('approval_check', { variantId });
	}
	submitAll(args: { campaignId: number; segmentId: number | null }) {
		return this.call<BulkReport>('submit_all', args);
	}
	approveAll(args: { variantIds: number[] }) {
		return this.call<BulkReport>('approve_all', args);
	}
	submitVariant(variantId: number) {
		return this.call<VariantRow>('submit_variant', { variantId });
	}
	approveVariant(args: { variantId: number; params: ApprovalParams }) {
		return this.call<VariantRow>('approve_variant', args);
	}
	requestChanges(args: { variantId: number; comment: string }) {
		return this.call<VariantRow>('request_changes', args);
	}
	addComment(args: { variantId: number; text: string }) {
		return this.call<Comment>('add_comment', args);
	}
	listComments(variantId: number) {
		return this.call<Comment[]>('list_comments', { variantId });
	}
	variantAudit(variantId: number) {
		return this.call<AuditEntry[]>('variant_audit', { variantId });
	}
	exportAudit(args: { variantId: number | null; json: boolean; path: string }) {
		return this.call<null>('export_audit', args);
	}
	startLiveService(args: { campaignId: number; port: number }) {
		return this.call<LiveServiceInfo>('start_live_service', args);
	}
	stopLiveService() {
		return this.call<null>('stop_live_service');
	}
	liveService() {
		return this.call<LiveServiceInfo | null>('live_service');
	}
	liveServiceStats() {
		return this.call<LiveStats | null>('live_service_stats');
	}
	rotateApiKey() {
		return this.call<string>('rotate_api_key');
	}
	replayLiveService(args: { shoppers: number }) {
		return this.call<ReplaySummary>('replay_live_service', args);
	}
	campaignDashboard(args: { campaignId: number; lang: 'zh-CN' | 'en' }) {
		return this.call<DashboardView>('campaign_dashboard', args);
	}
	exportDashboard(args: { campaignId: number; kind: DashboardChart; format: DashboardFormat; lang: 'zh-CN' | 'en'; path: string }) {
		return this.call<null>('export_dashboard', args);
	}
	exportReport(args: { campaignId: number; lang: 'zh-CN' | 'en'; path: string }) {
		return this.call<ReportSummary>('export_report', args);
	}
	importPerformance(args: { campaignId: number; path: string }) {
		return this.call<PerformanceImport>('import_performance', args);
	}

	listPerformanceReports(args: { campaignId: number }) {
		return this.call<ReportRef[]>('list_performance_reports', args);
	}

	removePerformanceReport(args: { reportId: number }) {
		return this.call<RemovedReport>('remove_performance_report', args);
	}
	previewExport(params: ExportParams) {
		return this.call<ExportPreview>('preview_export', { params });
	}
	exportCampaign(params: ExportParams) {
		return this.call<ExportSummary>('export_campaign', { params });
	}
	abstract pickImportFile(filterName: string): Promise<string | null>;
	abstract pickSavePath(defaultName: string, extension: string): Promise<string | null>;
	abstract pickDirectory(): Promise<string | null>;
}
