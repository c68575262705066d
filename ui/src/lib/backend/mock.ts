// The backend in tests and in a plain browser: deterministic, in memory, with small timers
// for progress and frames. Its checks and messages follow the core's.
import { formatMapping, parseMapping } from '$lib/mapping';
import type {
	ApiError,
	CampaignRow,
	CopyLint,
	EventCount,
	ExportParams,
	ExportPreview,
	ExportSummary,
	FilePreview,
	ImportRecord,
	ImportSummary,
	ProductRow,
	ProjectOverview,
	RejectedLine,
	RowError,
	PredictionReport,
	SegmentInsights,
	SegmentRow,
	Placement,
	TrainReport,
	VariantRow,
	Comparison,
	LiveFrame,
	RunRecord,
	Scope,
	SimulationSetup
} from '$lib/bindings';
import type { Lang } from '$lib/i18n';
import type {
	Backend,
	ControlSimulationArgs,
	CreateCampaignArgs,
	EditVariantArgs,
	ExportChartArgs,
	FrameFn,
	ImportArgs,
	LintArgs,
	ProgressFn,
	RejectedPageArgs,
	StartSimulationArgs,
	VariantImageArgs
} from './api';
import { checkParams, filterProducts, MockCampaigns } from './mock-campaign';
import {
	clone,
	type MockOptions,
	makeProducts,
	makeSegments,
	mockInsights,
	mockTrainReport,
	renameInPlace,
	seedEvents,
	seedImports, splitInPlace } from './mock-data';
import {
	checkMockPath,
	fileName,
	MOCK_FILES,
	MOCK_RESULTS,
	mockEncoding,
	mockKind,
	mockPreview,
	mockRejected,
	resolveImportFormat,
	type MockKind
} from './mock-files';
import { MOCK_PLACEMENTS } from './mock-rules';
import { MockReview } from './mock-review';

export type { MockOptions } from './mock-data';

/** Data, import, segments and campaigns of the mock backend; `MockBackend` (mock-backend.ts)
 * adds simulation, profiles and review. */
export abstract class MockCore {
	readonly kind = 'mock' as const;
	protected tickMs: number;
	failures: Partial<Record<string, ApiError>>;
	private products: ProductRow[] = makeProducts();
	private events: EventCount[] = seedEvents();
	private imports: ImportRecord[] = seedImports();
	/** Rejected lines per import id (what `rejected_lines` pages through). */
	private rejected = new Map<number, RejectedLine[]>([
		[1, []],
		[2, mockRejected('rees46', 12, 5)],
		[3, mockRejected('generic', 120, 3)]
	]);
	/** Summaries of the files imported in this session, by path (for `already_imported`). */
	private imported = new Map<string, ImportSummary>();
	/** The project's currency, set by the first import (the core keeps it in project_meta). */
	private currency: string | null = null;
	/** Mappings remembered per header (the core keys them by a hash of line 1). */
	private mappings = new Map<string, string>();
	protected segments: SegmentRow[] = [];
	private prediction: PredictionReport | null = null;
	private silhouette: [number, number][] = [];
	protected campaigns = new MockCampaigns(() => this.products);
	protected review: MockReview;
	private cancelled = new Set<string>();
	private running = new Set<string>();

	constructor(opts: MockOptions = {}) {
		this.tickMs = opts.tickMs ?? 120;
		this.failures = { ...(opts.failures ?? {}) };
		this.segments = makeSegments(4, 42);
		this.review = new MockReview(opts.profile === undefined ? 'demo-marketer' : opts.profile);
	}

	protected fail(cmd: string): void {
		const f = this.failures[cmd];
		if (f) throw clone(f);
	}

	protected sleep(ms = this.tickMs): Promise<void> {
		return new Promise((r) => setTimeout(r, ms));
	}

	/**
	 * Emits progress events, 4 steps per stage; throws `cancelled` if cancel_job was called.
	 * With `bytes`, emits an import's events instead: `parse` with bytes done/total and
	 * "N rows" (of `rows`), then `done`.
	 */
	private async progress(jobId: string, stages: Array<[string, number]>, onProgress: ProgressFn, bytes?: number, rows = 0) {
		this.running.add(jobId);
		try {
			if (bytes !== undefined) {
				const steps = 4;
				for (let i = 0; i <= steps; i++) {
					if (this.cancelled.has(jobId)) {
						throw { code: 'cancelled', message: 'job cancelled by user' } satisfies ApiError;
					}
					const done = Math.round((bytes * i) / steps);
					onProgress({ job: jobId, stage: 'parse', done, total: bytes, message: `${Math.round((rows * i) / steps)} rows` });
					if (i < steps) await this.sleep();
				}
				onProgress({ job: jobId, stage: 'done', done: bytes, total: bytes, message: `${rows} rows` });
			}
			for (const [stage, total] of stages) {
				const steps = 4;
				for (let i = 0; i <= steps; i++) {
					if (this.cancelled.has(jobId)) {
						throw { code: 'cancelled', message: 'job cancelled by user' } satisfies ApiError;
					}
					const done = Math.round((total * i) / steps);
					onProgress({ job: jobId, stage, done, total, message: `${stage} ${done}/${total}` });
					if (i < steps) await this.sleep();
				}
			}
		} finally {
			this.running.delete(jobId);
		}
	}

	async projectOverview(): Promise<ProjectOverview> {
		await this.sleep(5);
		this.fail('project_overview');
		const cats = new Set(this.products.map((p) => p.category));
		return clone({
			path: '/home/demo/Creative Studio/demo.studio',
			kind: 'events',
			products: this.products.length,
			events: this.events.reduce((a, e) => a + e.count, 0),
			users: 4820,
			categories: cats.size,
			segments: this.segments.length,
			campaigns: this.campaigns.count,
			event_mix: this.events,
			imports: this.imports
		});
	}

	async listProducts(args: { limit: number; offset: number; search: string | null }): Promise<ProductRow[]> {
		await this.sleep(5);
		this.fail('list_products');
		if (args.limit < 0 || args.offset < 0) {
			throw { code: 'invalid_input', message: 'limit/offset must be >= 0' } satisfies ApiError;
		}
		const q = (args.search ?? '').trim().toLowerCase();
		const rows = q
			? this.products.filter((p) =>
					[p.id, p.name_en, p.name_zh, p.brand, p.category].some((f) => f.toLowerCase().includes(q))
				)
			: this.products;
		return clone(rows.slice(args.offset, args.offset + args.limit));
	}

	async previewImport(path: string): Promise<FilePreview> {
		await this.sleep(5);
		this.fail('preview_import');
		return clone(mockPreview(checkMockPath(path), this.mappings));
	}

	async importFile(args: ImportArgs, onProgress: ProgressFn): Promise<ImportSummary> {
		this.fail('import_file');
		const path = checkMockPath(args.path);
		const stated = args.currency ? args.currency.toUpperCase() : null;
		if (stated && this.currency && stated !== this.currency) {
			throw { code: 'invalid_input', message: `${path}: the project uses ${this.currency}, not ${stated}: one currency per project (convert the file's prices, or import it into another project)` } satisfies ApiError;
		}
		this.currency ??= stated ?? 'CNY';
		const file = fileName(path);
		const kind = mockKind(path);
		const sample = MOCK_FILES[kind];
		const signature = sample.columns.join(',');
		const format = resolveImportFormat(path, args, kind, this.mappings.has(signature));
		const bytes = sample.bytes;
		const earlier = this.imported.get(path);
		if (earlier) {
			await this.progress(args.jobId, [], onProgress, bytes, 0);
			return clone({ ...earlier, rows_imported: 0, rows_duplicate: earlier.rows_read, rows_rejected: 0, events_imported: 0, already_imported: true, notes: [], errors: [] });
		}
		const plan = MOCK_RESULTS[format as MockKind] ?? MOCK_RESULTS.rees46;
		await this.progress(args.jobId, [], onProgress, bytes, plan.read);
		const id = this.imports.length + 1;
		const lines = plan.rejectedLines ?? mockRejected(format as MockKind, plan.rejected, id);
		this.rejected.set(id, lines);
		if (args.mapping) this.mappings.set(signature, formatMapping(parseMapping(args.mapping, sample.columns)));
		const summary: ImportSummary = {
			import_id: id,
			file,
			format,
			encoding: mockEncoding(path),
			rows_read: plan.read,
			rows_imported: plan.read - plan.duplicate - lines.length,
			rows_duplicate: plan.duplicate,
			rows_rejected: lines.length,
			events_imported: plan.events,
			already_imported: false,
			pseudonymised: args.pseudonymise ?? true,
			notes: clone(plan.notes),
			errors: lines.slice(0, 200).map(({ line, column, reason }): RowError => ({ line, column, reason }))
		};
		this.imported.set(path, summary);
		this.events[0].count += 900;
		this.events[1].count += 200;
		this.events[3].count += 93;
		this.imports.push({
			id,
			file_name: file,
			format,
			rows_imported: summary.rows_imported,
			rows_rejected: summary.rows_rejected,
			imported_at: new Date(Date.UTC(2025, 2, 2, 10, this.imports.length)).toISOString()
		});
		return clone(summary);
	}

	async rejectedLines(args: RejectedPageArgs): Promise<RejectedLine[]> {
		await this.sleep(5);
		this.fail('rejected_lines');
		if (args.offset < 0 || args.limit < 0) {
			throw { code: 'invalid_input', message: 'offset/limit must be >= 0' } satisfies ApiError;
		}
		const all = this.rejected.get(args.importId) ?? [];
		return clone(all.slice(args.offset, args.offset + Math.min(args.limit, 1000)));
	}

	async cancelJob(jobId: string): Promise<null> {
		this.fail('cancel_job');
		if (this.running.has(jobId)) this.cancelled.add(jobId);
		return null;
	}

	async trainSegments(args: { k: number | null; seed: number; jobId: string }, onProgress: ProgressFn): Promise<TrainReport> {
		this.fail('train_segments');
		if (args.k !== null && (args.k < 2 || args.k > 12)) {
			throw { code: 'invalid_input', message: `k must be between 2 and 12, got ${args.k}` } satisfies ApiError;
		}
		await this.progress(args.jobId, [['features', 4820], ['kmeans', 40], ['naming', args.k ?? 5]], onProgress);
		const report = mockTrainReport(args.k, args.seed);
		[this.segments, this.silhouette, this.prediction] = [report.segments, report.silhouette, report.prediction];
		return clone(report);
	}

	async splitSegment(args: { segmentId: number; seed: number }): Promise<TrainReport> {
		await this.sleep(5);
		this.fail('split_segment');
		const report = splitInPlace(this.segments, args.segmentId, args.seed);
		this.segments = report.segments;
		return clone(report);
	}

	async renameSegment(args: { segmentId: number; nameEn: string; nameZh: string }): Promise<SegmentRow> {
		await this.sleep(5);
		this.fail('rename_segment');
		const who = this.review.actor('rename_segment');
		const old = this.segments.find((s) => s.id === args.segmentId);
		const before = old ? `${JSON.stringify(old.name_en)} / ${JSON.stringify(old.name_zh)}` : '';
		const row = renameInPlace(this.segments, args.segmentId, args.nameEn, args.nameZh);
		this.review.log(who, 'rename_segment', row.id, null, null, `${before} → ${JSON.stringify(row.name_en)} / ${JSON.stringify(row.name_zh)}`, 'segment');
		return clone(row);
	}

	async segmentInsights(lang: Lang): Promise<SegmentInsights> {
		await this.sleep(5);
		this.fail('segment_insights');
		return clone(mockInsights(this.segments, this.silhouette, this.prediction, lang));
	}

	async listSegments(): Promise<SegmentRow[]> {
		await this.sleep(5);
		this.fail('list_segments');
		return clone(this.segments);
	}

	async listCampaigns(): Promise<CampaignRow[]> {
		await this.sleep(5);
		this.fail('list_campaigns');
		return this.campaigns.list();
	}

	async listPlacements(): Promise<Placement[]> {
		await this.sleep(5);
		this.fail('list_placements');
		return clone(MOCK_PLACEMENTS);
	}

	async createCampaign(args: CreateCampaignArgs, onProgress: ProgressFn): Promise<CampaignRow> {
		this.fail('create_campaign');
		this.review.actor('create_campaign');
		const params = checkParams(args.params);
		if (this.segments.length === 0) {
			throw { code: 'conflict', message: 'no segments yet: train segments before creating a campaign' } satisfies ApiError;
		}
		if (filterProducts(this.products, params.products).length === 0) {
			throw { code: 'conflict', message: "no product matches the campaign's product filter" } satisfies ApiError;
		}
		const banners = this.campaigns.plannedCount(params, this.segments) * params.placements.length;
		await this.progress(args.jobId, [['plan', this.segments.length], ['render', banners]], onProgress);
		const n = this.campaigns.count + 1;
		return this.campaigns.create(params, this.segments, new Date(Date.UTC(2025, 2, 3, 8, n)).toISOString());
	}

	async listVariants(campaignId: number): Promise<VariantRow[]> {
		await this.sleep(5);
		this.fail('list_variants');
		this.campaigns.campaign(campaignId);
		return clone(this.campaigns.variants.filter((v) => v.campaign_id === campaignId));
	}

	async variantImage(args: VariantImageArgs): Promise<string> {
		await this.sleep(5);
		this.fail('variant_image');
		return this.campaigns.image(args.variantId, args.placement);
	}

	async editVariant(args: EditVariantArgs): Promise<VariantRow> {
		await this.sleep(5);
		this.fail('edit_variant');
		this.review.actor('edit');
		return this.review.edited(this.campaigns.edit(args.variantId, args.edit));
	}

	async regenerateVariant(variantId: number): Promise<VariantRow> {
		await this.sleep(5);
		this.fail('regenerate_variant');
		this.review.actor('edit');
		return this.review.edited(this.campaigns.regenerate(variantId, this.segments));
	}

	async lintCopy(args: LintArgs): Promise<CopyLint> {
		await this.sleep(1);
		this.fail('lint_copy');
		return this.campaigns.lint(args.campaignId, args.fields);
	}

	async previewExport(params: ExportParams): Promise<ExportPreview> {
		await this.sleep(2);
		this.fail('preview_export');
		const { vs, skipped } = this.exportable(params);
		const files = this.campaigns.exportFiles(params.campaign_id).map((f) => f.name);
		return { problems: [], files, variants: vs.length, skipped, formats: [] };
	}

	async exportCampaign(params: ExportParams): Promise<ExportSummary> {
		await this.sleep(5);
		this.fail('export_campaign');
		this.review.actor('export');
		const { vs, skipped } = this.exportable(params);
		if (vs.length === 0) throw { code: 'conflict', message: `nothing to export: campaign ${params.campaign_id} has no currently approved variants` } satisfies ApiError;
		const files = this.campaigns.exportFiles(params.campaign_id);
		return { campaign_id: params.campaign_id, dir: params.out_dir.trim(), files, variants: vs.length, variant_ids: vs.map((v) => v.id), skipped, warnings: [], zip: params.zip ? `${params.out_dir.trim()}/campaign.zip` : null, manifest_sha256: files.at(-1)!.sha256, contains_simulated: false, replaced_previous: false };
	}

	private exportable(params: ExportParams) {
		if (!params.out_dir.trim()) throw { code: 'invalid_input', message: 'export folder "" is not usable: give a folder path that ends in a folder name' } satisfies ApiError;
		this.campaigns.campaign(params.campaign_id);
		const all = this.campaigns.variants.filter((v) => v.campaign_id === params.campaign_id);
		const vs = all.filter((v) => v.status === 'approved');
		return { vs, skipped: { not_approved: all.length - vs.length, stale_approval: 0 } };
	}

	async pickImportFile(): Promise<string | null> {
		return '/home/demo/data/events-2025-03.csv';
	}

	async pickDirectory(): Promise<string | null> {
		return '/home/demo/exports';
	}

	async pickSavePath(defaultName: string): Promise<string | null> {
		return `/home/demo/exports/${defaultName}`;
	}
}
