// The contract between the screens and the Rust core: the `Backend` interface, its
// argument types, and error normalisation (whatever is thrown, an `ApiError` comes out).
// A leaf module (types from `$lib/bindings` only), so the implementations can import it
// without an import cycle through `$lib/backend`.
import type {
	ApiError,
	CampaignRow,
	ErrorCode,
	ExportSummary,
	FilePreview,
	ImportSummary,
	ProductRow,
	Progress,
	ProjectOverview,
	RejectedLine,
	SegmentRow,
	SimFrame,
	SegmentInsights,
	TrainReport,
	VariantRow
} from '$lib/bindings';
import type { Lang } from '$lib/i18n';

export type ProgressFn = (p: Progress) => void;
export type FrameFn = (f: SimFrame) => void;

/** Format names `import_file` accepts as an override (`generic` needs a mapping instead). */
export const IMPORT_FORMATS = ['rees46', 'taobao', 'retailrocket', 'online_retail', 'catalog'] as const;
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
}

export interface RejectedPageArgs {
	importId: number;
	offset: number;
	limit: number;
}

export interface Backend {
	readonly kind: 'tauri' | 'mock';
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
	listSegments(): Promise<SegmentRow[]>;
	/** Rename a segment in both languages (names unique within its model). */
	renameSegment(args: { segmentId: number; nameEn: string; nameZh: string }): Promise<SegmentRow>;
	/** Charts and the interest-prediction report of the newest segment model. */
	segmentInsights(lang: Lang): Promise<SegmentInsights>;
	listCampaigns(): Promise<CampaignRow[]>;
	createCampaign(args: { name: string; jobId: string }, onProgress: ProgressFn): Promise<CampaignRow>;
	listVariants(campaignId: number): Promise<VariantRow[]>;
	runSimulation(
		args: { campaignId: number; impressions: number; seed: number },
		onFrame: FrameFn
	): Promise<SimFrame>;
	approveVariant(args: { variantId: number; reviewer: string }): Promise<VariantRow>;
	exportCampaign(args: { campaignId: number; outDir: string }): Promise<ExportSummary>;
	/** Native file picker (plugin-dialog); null when the user closes it. Not a core command. */
	pickImportFile(filterName: string): Promise<string | null>;
	/** Native folder picker (plugin-dialog); null when the user closes it. Not a core command. */
	pickDirectory(): Promise<string | null>;
}

const ERROR_CODES: readonly ErrorCode[] = [
	'invalid_input',
	'not_found',
	'io',
	'cancelled',
	'conflict',
	'forbidden',
	'internal'
];

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
	if (isApiError(e)) return { code: e.code, message: e.message };
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
