// The contract between the screens and the Rust core: the `Backend` interface, its
// argument types, and error normalisation (whatever is thrown, an `ApiError` comes out).
// A leaf module (types from `$lib/bindings` only), so the implementations can import it
// without an import cycle through `$lib/backend`.
import type { ApiError, CampaignCheck, CampaignParams, CampaignRow, CopyFields, LayerKind, CopyLint, ErrorCode, ExportParams, ExportPreview, ExportSummary, FilePreview, ImportSummary, Placement, ProductRow, Progress, ProjectOverview, RejectedLine, SegmentRow, ApprovalParams, DashboardChart, DashboardFormat, DashboardView, PerformanceImport, AuditEntry, ChartFormat, Comment, Profile, ProfileParams, ProfileRole, ReviewStatus, ChartKind, Comparison, LiveCommand, LiveFrame, RunParams, RunRecord, Scope, SegmentInsights, SimulationSetup, TrainReport, VariantEdit, VariantRow, ReportRef, RemovedReport, ReportSummary, ApprovalCheck, BulkReport, Permission, LiveServiceInfo, LiveStats, ReplaySummary } from '$lib/bindings';
import { IMPORT_CURRENCIES, IMPORT_FORMATS } from '$lib/bindings';
import type { Lang } from '$lib/i18n';

export type ProgressFn = (p: Progress) => void;
export type FrameFn = (f: LiveFrame) => void;

// Format names `import_file` accepts as an override (`generic` needs a mapping instead) and the
// currencies it accepts (one per project): the core's lists, through the bindings.
export { IMPORT_CURRENCIES, IMPORT_FORMATS };
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface ImportArgs {
	path: string;
	jobId: string;
	/** Force a format by name; null/omitted = auto-detect. */
	format?: string | null;
	/** `user=COL,item=COL,time=COL[,…]` for a file in no known format; null/omitted = none. */
	mapping?: string | null;
	/** Replace user ids by keyed pseudonyms; null/omitted = on. */
	pseudonymise?: boolean | null;
	/** The file's currency; null/omitted = the file's own. The first import sets the project's;
	 * rows in another currency are rejected. */
	currency?: string | null;
}

export interface RejectedPageArgs {
	importId: number;
	offset: number;
	limit: number;
}

export interface CreateCampaignArgs {
	params: CampaignParams;
	jobId: string;
}

export interface VariantImageArgs {
	variantId: number;
	/** A placement id of the variant's campaign. */
	placement: string;
}

export interface EditVariantArgs {
	variantId: number;
	/** Fields left out (or null) stay as they are; `layers` replaces all layer edits. */
	edit: Partial<VariantEdit>;
}

export interface LintArgs {
	campaignId: number;
	/** The variant being edited: its promotion and data evidence back claims (none: every claim is unsupported). */
	variantId?: number;
	fields: CopyFields;
}

export interface StartSimulationArgs {
	campaignId: number;
	name: string;
	params: RunParams;
	/** Impressions per second; 0 = as fast as the machine serves. */
	speed: number;
}

export interface ControlSimulationArgs {
	runId: number;
	command?: LiveCommand | null;
	speed?: number | null;
	scope?: Scope | null;
}

export interface ExportChartArgs {
	runId: number;
	kind: ChartKind;
	scope: Scope;
	format: ChartFormat;
	path: string;
}

export interface Backend {
	readonly kind: 'tauri' | 'http';
	projectOverview(): Promise<ProjectOverview>;
	listProducts(args: { limit: number; offset: number; search: string | null }): Promise<ProductRow[]>;
	/** Format, encoding, columns and first rows of a file, before importing it. */
	previewImport(path: string): Promise<FilePreview>;
	importFile(args: ImportArgs, onProgress: ProgressFn): Promise<ImportSummary>;
	/** A page of an import's rejected lines, by line number. */
	rejectedLines(args: RejectedPageArgs): Promise<RejectedLine[]>;
	cancelJob(jobId: string): Promise<null>;
	trainSegments(
		args: { k: number | null; seed: number; jobId: string },
		onProgress: ProgressFn
	): Promise<TrainReport>;
	/** Split a segment of the newest model in two (offered when it holds most users). */
	splitSegment(args: { segmentId: number; seed: number }): Promise<TrainReport>;
	listSegments(): Promise<SegmentRow[]>;
	/** Rename a segment in both languages (names unique within its model). */
	renameSegment(args: { segmentId: number; nameEn: string; nameZh: string }): Promise<SegmentRow>;
	/** Charts and the interest-prediction report of the newest segment model. */
	segmentInsights(lang: Lang): Promise<SegmentInsights>;
	/** Every problem the core would refuse a campaign for, while the form is filled in (call debounced). */
	checkCampaign(params: CampaignParams): Promise<CampaignCheck>;
	/** All campaigns, newest first. */
	listCampaigns(): Promise<CampaignRow[]>;
	/** The ad-image placements a campaign can target. */
	listPlacements(): Promise<Placement[]>;
	/** A long job: stages `plan` then `render` (done/total banners); cancellable. */
	createCampaign(args: CreateCampaignArgs, onProgress: ProgressFn): Promise<CampaignRow>;
	/** Ordered by segment label, language, set index. */
	listVariants(campaignId: number): Promise<VariantRow[]>;
	/** One placement's image of a variant, as a data URL (PNG or JPEG). */
	variantImage(args: VariantImageArgs): Promise<string>;
	/** Edit copy and/or layers; the variant is re-rendered and back to draft. */
	editVariant(args: EditVariantArgs): Promise<VariantRow>;
	/** New copy for a variant; locked layers keep their text, colour and position. */
	regenerateVariant(variantId: number): Promise<VariantRow>;
	/** Why a layer cannot sit at `rect` (fractions of the canvas), as saving would refuse it; null when it fits. */
	checkLayerRect(kind: LayerKind, rect: readonly [number, number, number, number]): Promise<ApiError | null>;
	/** Compliance findings, over-long texts and every limited text's length, of copy being typed (cheap; call debounced). */
	lintCopy(args: LintArgs): Promise<CopyLint>;
	/** Audience, arms and default parameters of a run of the campaign. */
	simulationSetup(campaignId: number): Promise<SimulationSetup>;
	/** Store and start a run; resolves at once, frames (≥ 10/s) stream to `onFrame`. */
	startSimulation(args: StartSimulationArgs, onFrame: FrameFn): Promise<RunRecord>;
	/** Continue a paused (or cut-off) run; frames stream to `onFrame`. */
	resumeSimulation(args: { runId: number; speed: number }, onFrame: FrameFn): Promise<RunRecord>;
	/** Pause / resume / stop a live run, change its speed or the watched scope. */
	controlSimulation(args: ControlSimulationArgs): Promise<null>;
	/** Stored runs of a campaign, oldest first. */
	listSimulationRuns(campaignId: number): Promise<RunRecord[]>;
	/** A stored run as last saved, drawn for `scope`. */
	simulationFrame(args: { runId: number; scope: Scope }): Promise<LiveFrame>;
	compareSimulationRuns(runIds: number[]): Promise<Comparison>;
	exportSimulationChart(args: ExportChartArgs): Promise<null>;
	exportSimulationComparison(args: { runIds: number[]; format: ChartFormat; path: string }): Promise<null>;
	deleteSimulationRun(runId: number): Promise<null>;
	/** Every profile (who may act, and as what). */
	listProfiles(): Promise<Profile[]>;
	/** The profile acting in this window, or null. */
	currentProfile(): Promise<Profile | null>;
	signIn(profileId: number): Promise<Profile>;
	signOut(): Promise<null>;
	/** The first profile of a project becomes its admin (and signs in); later ones need an admin. */
	createProfile(params: ProfileParams): Promise<Profile>;
	setProfileRole(args: { profileId: number; role: ProfileRole }): Promise<Profile>;
	deactivateProfile(profileId: number): Promise<Profile>;
	/** What the signed-in profile may do (the core's role matrix), with the reason when not. */
	permissions(): Promise<Permission[]>;
	/** May the signed-in profile approve this variant now (role, state, four eyes)? */
	approvalCheck(variantId: number): Promise<ApprovalCheck>;
	/** Submit every draft of a campaign (or of one segment); one outcome per variant. */
	submitAll(args: { campaignId: number; segmentId: number | null }): Promise<BulkReport>;
	/** Approve the selected variants without override; one outcome per variant. */
	approveAll(args: { variantIds: number[] }): Promise<BulkReport>;
	/** State, approval that counts, findings and whether the compliance gate is closed. */
	reviewStatus(variantId: number): Promise<ReviewStatus>;
	/** Draft or changes requested → in review (marketers). */
	submitVariant(variantId: number): Promise<VariantRow>;
	/** In review → approved (reviewers; `override_reason` opens a closed gate). */
	approveVariant(args: { variantId: number; params: ApprovalParams }): Promise<VariantRow>;
	/** In review → changes requested, with a comment (reviewers). */
	requestChanges(args: { variantId: number; comment: string }): Promise<VariantRow>;
	addComment(args: { variantId: number; text: string }): Promise<Comment>;
	listComments(variantId: number): Promise<Comment[]>;
	/** Who did what to the variant, oldest first. */
	variantAudit(variantId: number): Promise<AuditEntry[]>;
	/** Write the audit log (one variant's, or all) as CSV or JSON. */
	exportAudit(args: { variantId: number | null; json: boolean; path: string }): Promise<null>;
	/** A campaign's dashboard: numbers and charts (labels in `lang`). */
	campaignDashboard(args: { campaignId: number; lang: 'zh-CN' | 'en' }): Promise<DashboardView>;
	/** One dashboard chart as PNG/SVG, or the numbers behind it as CSV. */
	exportDashboard(args: { campaignId: number; kind: DashboardChart; format: DashboardFormat; lang: 'zh-CN' | 'en'; path: string }): Promise<null>;
	/** The campaign report as a PDF (A4) in `lang`, written to `path`. */
	exportReport(args: { campaignId: number; lang: 'zh-CN' | 'en'; path: string }): Promise<ReportSummary>;
	/** Import a real performance report (ad_id, impressions, clicks, conversions). */
	importPerformance(args: { campaignId: number; path: string }): Promise<PerformanceImport>;
	/** The performance reports imported into a campaign, newest first. */
	listPerformanceReports(args: { campaignId: number }): Promise<ReportRef[]>;
	/** Remove an imported report and its rows (marketers and admins; audited). */
	removePerformanceReport(args: { reportId: number }): Promise<RemovedReport>;
	/** Dry run: every problem and the files an export would write; nothing is written. */
	previewExport(params: ExportParams): Promise<ExportPreview>;
	/** Approved variants for upload (marketers and admins); logged in the audit log. */
	exportCampaign(params: ExportParams): Promise<ExportSummary>;
	/** Start the decision service for a campaign on 127.0.0.1:`port` (0: any free port). */
	startLiveService(args: { campaignId: number; port: number }): Promise<LiveServiceInfo>;
	/** Stop it gracefully (log fsynced, policy checkpointed); a stopped service stays stopped. */
	stopLiveService(): Promise<null>;
	/** The running service, or null. */
	liveService(): Promise<LiveServiceInfo | null>;
	/** Its traffic since start (the numbers of GET /v1/stats), real and simulated apart; null when stopped. */
	liveServiceStats(): Promise<LiveStats | null>;
	/** Replace the project's API key; returns the new one. */
	rotateApiKey(): Promise<string>;
	/** Drive simulated shoppers through the running service's HTTP API (counted as simulated). */
	replayLiveService(args: { shoppers: number }): Promise<ReplaySummary>;
	/** Native file picker (plugin-dialog); null when the user closes it. Not a core command. */
	pickImportFile(filterName: string): Promise<string | null>;
	/** Native folder picker (plugin-dialog); null when the user closes it. Not a core command. */
	pickDirectory(): Promise<string | null>;
	/** Native save dialog (plugin-dialog); null when the user closes it. Not a core command. */
	pickSavePath(defaultName: string, extension: string): Promise<string | null>;
}

/** Every code, checked against the generated `ErrorCode` union: a code added in the core
 * fails type-checking here until it is listed. */
const ERROR_CODE_SET: Record<ErrorCode, true> = {
	invalid_input: true,
	not_found: true,
	io: true,
	cancelled: true,
	conflict: true,
	forbidden: true,
	busy: true,
	read_only: true,
	internal: true
};
const ERROR_CODES = Object.keys(ERROR_CODE_SET) as readonly ErrorCode[];

export function isApiError(e: unknown): e is ApiError {
	return (
		typeof e === 'object' &&
		e !== null &&
		typeof (e as ApiError).code === 'string' &&
		(ERROR_CODES as readonly string[]).includes((e as ApiError).code) &&
		typeof (e as ApiError).message === 'string'
	);
}

/** Whatever was thrown, an ApiError comes out. */
export function toApiError(e: unknown): ApiError {
	if (isApiError(e)) {
		const out: ApiError = { code: e.code, message: e.message };
		if (typeof e.key === 'string') out.key = e.key;
		if (e.params && typeof e.params === 'object') out.params = { ...e.params };
		return out;
	}
	if (e instanceof Error) return { code: 'internal', message: e.message || String(e) };
	return { code: 'internal', message: String(e) };
}

/** Runs `p`, rethrowing whatever it throws as an ApiError. */
export async function normalised<T>(p: () => Promise<T>): Promise<T> {
	try {
		return await p();
	} catch (e) {
		throw toApiError(e);
	}
}
