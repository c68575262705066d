// The backend inside the desktop app: every method is one Tauri command of the Rust core.
import { Channel, invoke } from '@tauri-apps/api/core';
import type {
	CampaignRow,
	CopyLint,
	ExportSummary,
	FilePreview,
	ImportSummary,
	Placement,
	ProductRow,
	ProjectOverview,
	RejectedLine,
	SegmentRow,
	SimFrame,
	SegmentInsights,
	TrainReport,
	VariantRow
} from '$lib/bindings';
import type { Lang } from '$lib/i18n';
import {
	normalised,
	type Backend,
	type CreateCampaignArgs,
	type EditVariantArgs,
	type FrameFn,
	type ImportArgs,
	type LintArgs,
	type ProgressFn,
	type RejectedPageArgs,
	type VariantImageArgs
} from './api';

export class TauriBackend implements Backend {
	readonly kind = 'tauri' as const;

	private call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
		return normalised(() => invoke<T>(cmd, args));
	}

	private channel<T>(cb: (v: T) => void): Channel<T> {
		const ch = new Channel<T>();
		ch.onmessage = cb;
		return ch;
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
			onProgress: this.channel(onProgress)
		});
	}
	rejectedLines(args: RejectedPageArgs) {
		return this.call<RejectedLine[]>('rejected_lines', { importId: args.importId, offset: args.offset, limit: args.limit });
	}
	cancelJob(jobId: string) {
		return this.call<null>('cancel_job', { jobId });
	}
	trainSegments(args: { k: number | null; seed: number; jobId: string }, onProgress: ProgressFn) {
		return this.call<TrainReport>('train_segments', { ...args, onProgress: this.channel(onProgress) });
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
	listCampaigns() {
		return this.call<CampaignRow[]>('list_campaigns');
	}
	listPlacements() {
		return this.call<Placement[]>('list_placements');
	}
	createCampaign(args: CreateCampaignArgs, onProgress: ProgressFn) {
		return this.call<CampaignRow>('create_campaign', { params: args.params, jobId: args.jobId, onProgress: this.channel(onProgress) });
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
	lintCopy(args: LintArgs) {
		return this.call<CopyLint>('lint_copy', { campaignId: args.campaignId, fields: args.fields });
	}
	runSimulation(args: { campaignId: number; impressions: number; seed: number }, onFrame: FrameFn) {
		return this.call<SimFrame>('run_simulation', { ...args, onFrame: this.channel(onFrame) });
	}
	approveVariant(args: { variantId: number; reviewer: string }) {
		return this.call<VariantRow>('approve_variant', args);
	}
	exportCampaign(args: { campaignId: number; outDir: string }) {
		return this.call<ExportSummary>('export_campaign', args);
	}
	async pickImportFile(filterName: string) {
		return normalised(async () => {
			const { open } = await import('@tauri-apps/plugin-dialog');
			const r = await open({
				multiple: false,
				directory: false,
				filters: [{ name: filterName, extensions: ['csv', 'tsv', 'gz', 'jsonl'] }]
			});
			return typeof r === 'string' ? r : null;
		});
	}
	async pickDirectory() {
		return normalised(async () => {
			const { open } = await import('@tauri-apps/plugin-dialog');
			const r = await open({ multiple: false, directory: true });
			return typeof r === 'string' ? r : null;
		});
	}
}
