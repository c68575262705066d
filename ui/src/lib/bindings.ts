// Generated from the Rust types by ts-rs (src-tauri/src/dto.rs). Do not edit:
// run `make bindings` after changing a type that crosses IPC.
export type ApiError = { code: ErrorCode, message: string, };
export type ErrorCode = "invalid_input" | "not_found" | "io" | "cancelled" | "conflict" | "forbidden" | "internal";
export type Progress = { 
/**
 * The job id the adapter gave (empty in the core).
 */
job: string, 
/**
 * Machine-readable stage name, e.g. `parse`, `cluster`, `render`.
 */
stage: string, 
/**
 * Units done so far (bytes, rows, users, banners — see `stage`).
 */
done: number, 
/**
 * Units in all, 0 if unknown.
 */
total: number, 
/**
 * A short human-readable line.
 */
message: string, };
export type RowError = { 
/**
 * 1-based physical line number in the file (line 1 is the header, if any).
 */
line: number, 
/**
 * The column that failed (`*` for the line as a whole).
 */
column: string, 
/**
 * Why.
 */
reason: string, };
export type NoteCount = { note: string, count: number, };
export type RejectedLine = { line: number, column: string, reason: string, 
/**
 * The line's text (contact data masked, capped at [`MAX_RAW_CHARS`]).
 */
raw: string, };
export type FilePreview = { file: string, 
/**
 * Detected format name, or `None` when a column mapping is needed.
 */
format: string | null, encoding: string, 
/**
 * `csv`, `tsv`, `semicolon` or `jsonl`.
 */
layout: string, 
/**
 * Header names (for a headerless format: `column 1`, `column 2`, …).
 */
columns: Array<string>, 
/**
 * Up to `rows` data records, as text.
 */
rows: Array<Array<string>>, 
/**
 * Columns whose name or values look like e-mail addresses or phone numbers.
 */
pii_columns: Array<string>, 
/**
 * A mapping remembered for files with this header, as `user=…,item=…` text.
 */
remembered_mapping: string | null, };
export type ImportSummary = { 
/**
 * The stored import (the earlier one when `already_imported`).
 */
import_id: number, file: string, format: string, 
/**
 * `UTF-8` or `gb18030`, with `+bom` / `+gzip` when present.
 */
encoding: string, rows_read: number, 
/**
 * Lines that stored something (an event, a catalog row, or both).
 */
rows_imported: number, 
/**
 * Lines whose event was already stored (exactly the same time, user, product, kind,
 * price and session).
 */
rows_duplicate: number, rows_rejected: number, 
/**
 * Events stored (≤ rows_imported: catalog-only lines store none).
 */
events_imported: number, 
/**
 * True when this exact file had been imported before and nothing was done.
 */
already_imported: boolean, pseudonymised: boolean, notes: Array<NoteCount>, 
/**
 * The first [`MAX_REPORTED_ERRORS`] rejected lines.
 */
errors: Array<RowError>, };
export type ImportRecord = { id: number, file_name: string, format: string, rows_imported: number, rows_rejected: number, imported_at: string, };
export type ProductRow = { id: string, name_en: string, name_zh: string, category: string, brand: string, price: number, 
/**
 * ISO 4217 code of `price`.
 */
currency: string, };
export type ProjectOverview = { path: string, products: number, events: number, users: number, categories: number, segments: number, campaigns: number, event_mix: Array<EventCount>, imports: Array<ImportRecord>, };
export type EventCount = { kind: string, count: number, };
export type SegmentRow = { id: number, label: number, name_en: string, name_zh: string, size: number, share: number, top_categories: Array<string>, avg_price: number, purchase_rate: number, cart_rate: number, top_brands: Array<string>, 
/**
 * `budget`, `mid` or `premium`.
 */
price_band: string, 
/**
 * `champions`, `loyal`, `at_risk`, `new_or_occasional` or `hibernating`.
 */
rfm_tier: string, };
export type PredictionReport = { 
/**
 * Pooled ROC AUC over (user, category) pairs of the held-out window.
 */
auc: number, baseline_auc: number, 
/**
 * Mean share of hits among each user's top three categories (users with a positive).
 */
precision_at_3: number, baseline_precision_at_3: number, 
/**
 * Users scored in the held-out window, and how many of them had a positive.
 */
test_users: number, test_users_with_positive: number, 
/**
 * Categories predicted, in feature-column order.
 */
categories: Array<string>, 
/**
 * The cut times (Unix seconds): training labels from `cut_train`, test labels from `cut_test`.
 */
cut_train: number, cut_test: number, };
export type TrainReport = { k: number, users: number, seed: number, inertia: number, 
/**
 * (k, sampled silhouette) for every k tried.
 */
silhouette: Array<[number, number]>, 
/**
 * Clusters dissolved for being smaller than the minimum size.
 */
merged: number, segments: Array<SegmentRow>, 
/**
 * Interest prediction quality on the held-out window (see [`crate::interest`]).
 */
prediction: PredictionReport | null, 
/**
 * Why there is no prediction, when there is none.
 */
prediction_note: string | null, };
export type SegmentInsights = { silhouette_svg: string, projection_svg: string, 
/**
 * Share of the feature variance the two plotted components explain.
 */
explained: number, prediction: PredictionReport | null, };
export type Severity = "error" | "warning";
export type Field = "headline" | "long_headline" | "description" | "primary_text" | "cta";
export type Finding = { rule: string, severity: Severity, field: Field, 
/**
 * Character span `start..end` in the field's text.
 */
start: number, end: number, 
/**
 * The offending text (the span's characters).
 */
text: string, 
/**
 * What to write instead, when a mechanical fix exists.
 */
suggestion: string | null, };
export type CampaignRow = { id: number, name: string, created_at: string, variants: number, approved: number, goal: string, tone: string, 
/**
 * Language tags, e.g. `["zh-CN", "en"]`.
 */
languages: Array<string>, 
/**
 * Placement ids, in the order chosen.
 */
placements: Array<string>, landing_url: string, business_name: string, variants_per_segment: number, };
export type CampaignParams = { name: string, goal: Goal, 
/**
 * Languages to write copy in, each once (zh-CN, en).
 */
languages: Array<Lang>, 
/**
 * Placement ids from `assets/placements.json`.
 */
placements: Array<string>, tone: Tone, 
/**
 * Where the ad leads: an http(s) URL.
 */
landing_url: string, 
/**
 * The advertiser as shown in ads (Google allows 25 width units).
 */
business_name: string, kit: BrandKit, products: ProductFilter, 
/**
 * Copy sets per segment and language (1..=20; the studio's default is 8).
 */
variants_per_segment: number, seed: number, };
export type ProductFilter = { 
/**
 * Explicit product ids picked from the catalog.
 */
ids: Array<string>, 
/**
 * The products' stored category, matched exactly (for REES46-style imports the top-level
 * key such as `electronics`; for catalogs the category text as imported).
 */
category: string | null, brand: string | null, };
export type RenderInfo = { placement: string, width: number, height: number, format: ImageFormat, bytes: number, max_bytes: number, 
/**
 * JPEG quality when the PNG did not fit the budget.
 */
quality: number | null, within_budget: boolean, sha256: string, contrast: Array<ContrastCheck>, };
export type CopyFields = { headline: string, long_headline: string, description: string, primary_text: string, cta: string, };
export type VariantEdit = { headline: string | null, long_headline: string | null, description: string | null, primary_text: string | null, cta: string | null, layers: Array<LayerEdit> | null, };
export type CopyLint = { findings: Array<Finding>, lengths: Array<LengthProblem>, };
export type Placement = { id: string, platform: Platform, name: string, width: number, height: number, family: Family, role: Role, 
/**
 * File-size budget of one image, bytes.
 */
max_bytes: number, 
/**
 * Whether a CJK (double-width) character counts as 2 towards the text limits.
 */
cjk_double_width: boolean, text: TextLimits, };
export type Platform = "google" | "iab" | "meta";
export type Family = "landscape" | "square" | "portrait" | "leaderboard" | "skyscraper" | "mobile_banner";
export type Role = "image" | "logo";
export type TextLimits = { headline: number | null, long_headline: number | null, description: number | null, business_name: number | null, primary_text: number | null, };
export type LengthProblem = { placement: string, field: Field, length: number, limit: number, };
export type Lang = "zh-CN" | "en";
export type Tone = "playful" | "premium" | "urgent" | "informative";
export type Goal = "clicks" | "purchases";
export type BrandKit = { 
/**
 * Mixed into the segment palette's background.
 */
primary: [number, number, number], 
/**
 * CTA button and badge fill; price text where it passes AA.
 */
accent: [number, number, number], font: FontChoice, 
/**
 * Wordmark text drawn as the logo layer (business name or logo text); empty for none.
 */
logo_text: string, };
export type FontChoice = "sans" | "serif";
export type LayerKind = "background" | "product" | "headline" | "subline" | "price" | "badge" | "cta" | "logo";
export type LayerEdit = { kind: LayerKind, text: string | null, color: [number, number, number] | null, rect: [number, number, number, number] | null, hidden: boolean, locked: boolean, };
export type ImageFormat = "png" | "jpeg";
export type ContrastCheck = { layer: LayerKind, ratio: number, passes_aa: boolean, };
export type VariantRow = { id: number, campaign_id: number, segment_id: number, segment_label: number, segment_name_en: string, segment_name_zh: string, product_id: string, product_name: string, lang: string, set_index: number, headline: string, long_headline: string, description: string, primary_text: string, cta: string, angle: string, keywords: Array<string>, reasons: Array<string>, 
/**
 * Compliance findings of the copy (an error blocks approval).
 */
findings: Array<Finding>, status: VariantStatus, 
/**
 * The user's layer edits (text, colour, position, hidden, locked).
 */
layers: Array<LayerEdit>, renders: Array<RenderInfo>, 
/**
 * Primary placement id and its render.
 */
placement: string, banner_data_url: string, width: number, height: number, };
export type VariantStatus = "draft" | "approved";
export type ArmStat = { variant_id: number, label: string, impressions: number, clicks: number, ctr: number, };
export type SimFrame = { run_id: number, step: number, total_steps: number, impressions: number, clicks: number, arms: Array<ArmStat>, chart_svg: string, done: boolean, simulated: boolean, };
export type ExportedFile = { name: string, bytes: number, sha256: string, };
export type ExportSummary = { dir: string, files: Array<ExportedFile>, variants: number, };
