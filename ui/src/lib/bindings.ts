// Generated from the Rust types by ts-rs (src-tauri/api/src/bindings.rs). Do not edit:
// run `make bindings` after changing a type that crosses IPC.
export type ApiError = { code: ErrorCode, message: string, key?: string, params?: { [key in string]?: string }, };
export type CampaignCheck = { problems: Array<FieldProblem>, business_width: number, };
export type FieldProblem = { field: string, error: ApiError, };
export type ErrorCode = "invalid_input" | "not_found" | "io" | "cancelled" | "conflict" | "forbidden" | "busy" | "read_only" | "internal";
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
 * Why, in English.
 */
reason: string, 
/**
 * Why, as a message key (`row.*`) with parameters, when the studio has one.
 */
keyed?: Keyed, };
export type NoteCount = { note: string, count: number, };
export type RejectedLine = { line: number, column: string, 
/**
 * Why, in English.
 */
reason: string, 
/**
 * The line's text (contact data masked, capped at [`MAX_RAW_CHARS`]).
 */
raw: string, 
/**
 * Why, as a message key (`row.*`) with parameters (none for lines rejected before v16).
 */
keyed?: Keyed, };
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
 * The column mapping to start from when the format needs one: the one remembered for
 * files with this header, else a guess from the column names (contact columns left out).
 */
mapping: SuggestedMapping, };
export type SuggestedMapping = { 
/**
 * Field (`user`, `item`, `time`, …; see [`FIELDS`]) → column name. Fields without a
 * likely column are left out.
 */
columns: { [key in string]?: string }, 
/**
 * Whether it is the mapping remembered for files with this header (else a guess).
 */
remembered: boolean, };
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
export type ProjectOverview = { path: string, 
/**
 * `events` (behaviour imported, the usual) or `aggregates` (per-user aggregates from a
 * features file, `studio import --features`: no events; users are the model's).
 */
kind: string, products: number, events: number, users: number, categories: number, segments: number, campaigns: number, event_mix: Array<EventCount>, imports: Array<ImportRecord>, };
export type EventCount = { kind: string, count: number, };
export type SegmentRow = { id: number, label: number, name_en: string, name_zh: string, size: number, 
/**
 * Members ÷ all users.
 */
share: number, top_categories: Array<string>, 
/**
 * Mean unit price of priced events; `None` (shown "—") with `price_note` as the reason.
 */
avg_price: number | null, 
/**
 * Purchases per product view (≤ 1); `None` (shown "—") with `rate_note` as the reason.
 */
purchase_rate: number | null, 
/**
 * Carts per product view (≤ 1); `None` like `purchase_rate`.
 */
cart_rate: number | null, 
/**
 * Members with a purchase ÷ members.
 */
buyer_share: number, rate_note: string | null, price_note: string | null, top_brands: Array<string>, 
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
export type TrainReport = { model_id: number, k: number, users: number, seed: number, inertia: number, 
/**
 * (k, sampled silhouette) for every k tried.
 */
silhouette: Array<[number, number]>, 
/**
 * (k, mean adjusted Rand index across seeds) for every k tried (see [`choose`]).
 */
k_stability: Array<[number, number]>, 
/**
 * Why this k (the criterion and the scores behind it).
 */
k_reason: string, 
/**
 * The minimum segment size applied.
 */
min_size: number, 
/**
 * Clusters dissolved for being smaller than the minimum size.
 */
merged: number, segments: Array<SegmentRow>, 
/**
 * Agreement of the chosen k's clustering across five seeds.
 */
stability: Stability | null, 
/**
 * Set when one segment holds more than [`DOMINANT_SHARE`] of users.
 */
dominant_segment: DominantSegment | null, 
/**
 * Interest prediction quality on the held-out window (see [`crate::interest`]).
 */
prediction: PredictionReport | null, 
/**
 * Why there is no prediction, when there is none.
 */
prediction_note: string | null, };
export type Stability = { k: number, seeds: number[], 
/**
 * Rows clustered under every seed (all users, or a seeded sample of [`STABILITY_SAMPLE`]).
 */
rows: number, 
/**
 * Adjusted Rand index of each seed's labels against the first seed's (first is 1).
 */
ari: Array<number>, 
/**
 * Mean and minimum over the other seeds.
 */
mean_ari: number, min_ari: number, };
export type DominantSegment = { segment_id: number, share: number, message: string, };
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
 * What to write instead, or what to do, for people to read (the editor shows it).
 */
suggestion: string | null, 
/**
 * What the one-click fix puts in the span's place: the suggestion when it is replacement
 * text, `""` (remove the span) when it is advice.
 */
replacement: string | null, };
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
variants_per_segment: number, seed: number, 
/**
 * The promotion the marketer entered: the only thing that lets copy and banners make a
 * price claim (discount, was/now price, badge). `None`: no price claims at all.
 */
promotion?: Promotion, 
/**
 * Days before the data's last event within which a product's first event makes it
 * "new" (1..=365; default [`copy::NEW_WITHIN_DAYS`]).
 */
new_within_days?: number, };
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
export type CopyLint = { findings: Array<Finding>, 
/**
 * The texts longer than a placement allows.
 */
lengths: Array<TextLength>, 
/**
 * Every text a placement limits, with its length there (over the limit or not).
 */
counts: Array<TextLength>, };
export type Placement = { id: string, platform: Platform, 
/**
 * English display name.
 */
name: string, 
/**
 * Chinese display name (the window shows it in the Chinese UI).
 */
name_zh: string, width: number, height: number, family: Family, role: Role, 
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
export type TextLength = { placement: string, field: Field, length: number, limit: number, 
/**
 * Whether the text is longer than the placement allows (`length > limit`).
 */
over: boolean, };
export type Lang = "zh-CN" | "en";
export type Tone = "playful" | "premium" | "urgent" | "informative";
export type Promotion = { kind: PromoKind, 
/**
 * First day of the promotion, `YYYY-MM-DD`.
 */
starts: string, 
/**
 * Last day of the promotion, `YYYY-MM-DD` (inclusive).
 */
ends: string, 
/**
 * Product ids it applies to; empty = every product of the campaign.
 */
products: Array<string>, };
export type PromoKind = { "percent": number } | { "amount": number };
export type Goal = "clicks" | "purchases";
export type BrandKit = { 
/**
 * The banner background's colour (it wins over the segment palette unless
 * `use_segment_palette`).
 */
primary: [number, number, number], 
/**
 * CTA button and badge fill; price text where it passes AA.
 */
accent: [number, number, number], font: FontChoice, 
/**
 * Wordmark text drawn as the logo layer (business name or logo text); empty for none.
 */
logo_text: string, 
/**
 * The marketer's choice to colour each segment's banners by the segment palette (with the
 * primary mixed in) instead of the brand's primary colour. Off by default: the brand wins.
 */
use_segment_palette: boolean, };
export type FontChoice = "sans" | "serif";
export type LayerKind = "background" | "product" | "headline" | "subline" | "price" | "badge" | "cta" | "logo";
export type LayerEdit = { kind: LayerKind, text: string | null, color: [number, number, number] | null, rect: [number, number, number, number] | null, hidden: boolean, locked: boolean, };
export type LayerColor = { kind: LayerKind, color: [number, number, number], };
export type ImageFormat = "png" | "jpeg";
export type ContrastCheck = { layer: LayerKind, ratio: number, passes_aa: boolean, };
export type VariantRow = { id: number, campaign_id: number, segment_id: number, segment_label: number, segment_name_en: string, segment_name_zh: string, product_id: string, product_name: string, lang: string, set_index: number, headline: string, long_headline: string, description: string, primary_text: string, cta: string, angle: string, keywords: Array<string>, reasons: Array<Reason>, 
/**
 * Compliance findings of the copy (an error blocks approval).
 */
findings: Array<Finding>, 
/**
 * Where the variant is in review (draft → in review → approved | changes requested).
 */
status: ReviewState, 
/**
 * The user's layer edits (text, colour, position, hidden, locked).
 */
layers: Array<LayerEdit>, 
/**
 * The colour each drawn layer shows at the primary placement (the swatches of the layer
 * panel; a layer left out is missing).
 */
layer_colors: Array<LayerColor>, renders: Array<RenderInfo>, 
/**
 * Primary placement id and its render.
 */
placement: string, banner_data_url: string, width: number, height: number, };
export type ReviewState = "draft" | "in_review" | "approved" | "changes_requested";
export type ProfileRole = "marketer" | "reviewer" | "manager" | "admin";
export type Profile = { id: number, name: string, role: ProfileRole, created_at: string, 
/**
 * A deactivated profile may not act; it stays for the history.
 */
active: boolean, };
export type ProfileParams = { name: string, role: ProfileRole, };
export type ApprovalParams = { 
/**
 * Optional note kept with the approval (≤ 2000 characters).
 */
note: string, 
/**
 * Why error-severity findings may be overridden (≥ 10 characters after trimming). Only
 * used when the gate is closed; ignored otherwise.
 */
override_reason: string | null, };
export type Approval = { 
/**
 * The reviewer's profile name (or the free-text name of an approval made before profiles existed).
 */
reviewer: string, 
/**
 * The reviewer's profile; `None` for approvals made before profiles existed.
 */
profile_id: number | null, approved_at: string, 
/**
 * [`content_hash`] of the variant when approved (equal to its current one).
 */
content_hash: string, note: string, 
/**
 * The reviewer's written reason when error-severity findings were overridden.
 */
override_reason: string | null, };
export type ReviewStatus = { variant_id: number, state: ReviewState, 
/**
 * [`content_hash`] of the current content.
 */
content_hash: string, 
/**
 * The approval that counts, if any.
 */
approval: Approval | null, 
/**
 * Every compliance finding of the current copy.
 */
findings: Array<Finding>, 
/**
 * An error-severity finding closes the gate (approval needs an override).
 */
blocked: boolean, comments: number, };
export type Comment = { id: number, variant_id: number, profile_id: number, author: string, 
/**
 * The author's role when writing.
 */
role: ProfileRole, at: string, text: string, };
export type AuditEntry = { id: number, 
/**
 * RFC 3339 UTC.
 */
at: string, actor: string, role: string, profile_id: number | null, action: string, entity: string, entity_id: number, before_hash: string | null, after_hash: string | null, detail: string, };
export type Keyed = { 
/**
 * One of [`crate::messages::KEYS`].
 */
key: string, params: { [key in string]?: string }, };
export type Reason = { key: string, params: { [key in string]?: string }, text: string, };
export type Action = "manage_profiles" | "create_campaign" | "edit_copy" | "submit" | "approve" | "request_changes" | "override" | "comment" | "export" | "remove_report" | "rename_segment";
export type Refusal = { code: ErrorCode, 
/**
 * English, for the CLI and logs.
 */
message: string, 
/**
 * The message key and parameters, for the window's language (`None` for the rare error
 * that has no key yet; the window then shows `message`).
 */
keyed: Keyed | null, };
export type Permission = { action: Action, allowed: boolean, 
/**
 * Why not (`None` when allowed).
 */
reason: Refusal | null, };
export type ApprovalCheck = { variant_id: number, 
/**
 * Role, state and four eyes allow it (the compliance gate aside).
 */
allowed: boolean, 
/**
 * Why not, when not allowed.
 */
reason: Refusal | null, 
/**
 * An error-severity finding closes the gate: approval needs a written override reason.
 */
needs_override: boolean, };
export type BulkOutcome = { variant_id: number, 
/**
 * Moved (submitted or approved).
 */
done: boolean, 
/**
 * The variant's state afterwards (unchanged when refused; `draft` for an unknown id).
 */
state: ReviewState, 
/**
 * Why it was refused (`None` when done).
 */
reason: Refusal | null, };
export type BulkReport = { outcomes: Array<BulkOutcome>, done: number, refused: number, };
export type Scenario = { segments: Array<SegmentSpec>, arms: Array<ArmSpec>, };
export type SegmentSpec = { segment_id: number, name_en: string, name_zh: string, 
/**
 * Users in the segment in the project's data (≥ 1). The simulated population is this ×
 * the model's `audience_scale`; segments are drawn in proportion to it.
 */
size: number, 
/**
 * Carts per view in the segment's history (funnel data).
 */
cart_rate: number, 
/**
 * Purchases per view.
 */
purchase_rate: number, 
/**
 * Mean price index: < 0 price-sensitive, > 0 premium.
 */
price_index: number, 
/**
 * Most characteristic categories first (≤ 3 used).
 */
top_categories: Array<string>, };
export type ArmSpec = { variant_id: number, 
/**
 * Short legend label, e.g. `#12 Digital lovers · discount`.
 */
label: string, 
/**
 * The segment the variant was written for (informational: the model does not favour it
 * except through its product's affinity).
 */
segment_id: number, 
/**
 * Headline element: the copy angle (`discount`, `quality`, …; the headline text when the
 * angle is empty).
 */
angle: string, 
/**
 * Image element: the product category pictured.
 */
image: string, 
/**
 * Call-to-action text.
 */
cta: string, 
/**
 * True when the creative promises a discount (a badge such as "-15%", or the discount angle).
 */
discount: boolean, 
/**
 * Width units of headline + description (CJK counted 2).
 */
copy_width: number, 
/**
 * Placement id the arm is served at.
 */
placement: string, 
/**
 * True for the shared generic control creative (written for no segment; see
 * [`Scenario::serving`]).
 */
generic: boolean, };
export type RunParams = { 
/**
 * Impressions to simulate (1–10⁹).
 */
impressions: number, seed: number, policy: PolicySpec, model: ResponseModel, 
/**
 * Placement served (a placement of the campaign); `None`: each variant's primary one.
 */
placement: string | null, 
/**
 * The control variant of "probability to beat control"; `None`: the first arm.
 */
control_variant: number | null, 
/**
 * Name of the response model (`calibrated-obd-v1` or `custom`, see
 * [`ResponseModel::name`]), set by [`RunParams::check`]: any value given is replaced.
 */
model_name: string, };
export type PolicySpec = { "kind": "uniform" } | { "kind": "epsilon_greedy", epsilon: number, } | { "kind": "ucb1" } | { "kind": "thompson", exact_below: number, } | { "kind": "factorised", 
/**
 * Prior standard deviation of each element effect on the log-odds (0.01–10).
 */
prior_sd: number, 
/**
 * Prior standard deviation of each variant's residual (0.001–10).
 */
residual_sd: number, 
/**
 * Refit the posterior at least every this many impressions of a segment (1–100,000).
 */
refit_every: number, };
export type ResponseModel = { 
/**
 * CTR every segment has before funnel effects (0–0.5).
 */
base_intercept: number, 
/**
 * CTR added per unit of the segment's cart rate (carts per view; 0–10).
 */
cart_weight: number, 
/**
 * CTR added per unit of the segment's purchase rate (purchases per view; 0–10).
 */
purchase_weight: number, 
/**
 * Lower clamp of the base CTR (0 < base_min ≤ base_max ≤ 0.5).
 */
base_min: number, 
/**
 * Upper clamp of the base CTR.
 */
base_max: number, 
/**
 * Base CTR set by hand for some segments (replaces the funnel calibration).
 */
base_overrides: Array<BaseOverride>, 
/**
 * Strength of segment–product category affinity (0–10): the top category multiplies the CTR by 1 + this.
 */
affinity_weight: number, 
/**
 * Strength of discount framing × price sensitivity (0–5).
 */
discount_weight: number, 
/**
 * Copy width (headline + description, width units) without penalty (0–1000).
 */
copy_threshold: number, 
/**
 * CTR lost per 10 width units over the threshold, as a fraction (0 ≤ x < 1).
 */
copy_penalty: number, 
/**
 * CTR multiplier per placement id (each 0 < x ≤ 10).
 */
placements: Array<PlacementEffect>, 
/**
 * CTR multipliers of single creative elements (each 0 < x ≤ 10).
 */
elements: Array<ElementEffect>, 
/**
 * Exposures after which an arm's CTR is halved for a user; `None`: no fatigue (0.1–10⁶).
 */
fatigue_half_life: number | null, 
/**
 * Simulated people per user of the project's data (1–10⁶).
 */
audience_scale: number, 
/**
 * Cap of any click probability (0 < x ≤ 0.95).
 */
max_ctr: number, 
/**
 * Optional change of one segment's taste mid-run.
 */
drift: Drift | null, 
/**
 * Calibration anchor (0 < x ≤ 0.5): the CTR of the uniform split (see the module docs);
 * `None`: base CTRs are absolute.
 */
base_ctr: number | null, 
/**
 * CTR multiplier per display slot (each 0 < x ≤ 10, at most [`MAX_POSITIONS`]); each
 * impression is shown in a uniformly drawn slot. Empty: no slot effect.
 */
positions: Array<number>, 
/**
 * Spread (σ of the log) of the creatives' own appeal (0–3; 0: none).
 */
item_sd: number, 
/**
 * Seed of the creatives' own appeal.
 */
item_seed: number, };
export type BaseOverride = { segment_id: number, 
/**
 * 0 < ctr ≤ 0.5.
 */
ctr: number, };
export type PlacementEffect = { placement: string, multiplier: number, };
export type Element = "headline" | "image" | "cta";
export type ElementEffect = { element: Element, key: string, multiplier: number, };
export type Drift = { segment_id: number, at_impression: number, 
/**
 * The category the segment now prefers most.
 */
new_top_category: string | null, 
/**
 * Multiplier of the segment's base CTR (0 < x ≤ 10; 1 = unchanged).
 */
multiplier: number, };
export type SimulationSetup = { scenario: Scenario, params: RunParams, max_speed: number, };
export type LiveCommand = "resume" | "pause" | "stop";
export type RunStatus = "running" | "paused" | "stopped" | "done";
export type RunRecord = { id: number, campaign_id: number, name: string, created_at: string, updated_at: string, status: RunStatus, policy: string, seed: number, planned: number, served: number, clicks: number, uniform_clicks: number, regret: number, 
/**
 * The response model the run used: `calibrated-obd-v1` or `custom` (its numbers are in
 * `params.model`).
 */
model: string, params: RunParams, simulated: boolean, };
export type Totals = { 
/**
 * Served so far.
 */
impressions: number, planned: number, 
/**
 * Clicks earned by the learning policy.
 */
clicks: number, 
/**
 * Clicks the paired uniform split earned on the same users.
 */
uniform_clicks: number, 
/**
 * Cumulative expected regret of the policy (clicks lost against the best arm per user).
 */
regret: number, uniform_regret: number, done: boolean, simulated: boolean, };
export type ChartKind = "ctr" | "traffic_share" | "cumulative_clicks" | "regret";
export type Scope = "overall" | { "segment": number };
export type ChartFrame = { kind: ChartKind, 
/**
 * A standalone SVG document (titles say "Simulated").
 */
svg: string, };
export type LiveFrame = { run_id: number, 
/**
 * Frames sent by this task so far (1-based; 0 for a frame of a run nobody drives).
 */
seq: number, status: RunStatus, totals: Totals, 
/**
 * Impressions per second (`0`: full speed).
 */
speed: number, scope: Scope, 
/**
 * The four charts of `scope`, in [`ChartKind::ALL`] order.
 */
charts: Array<ChartFrame>, report: Report, 
/**
 * Time spent drawing the charts of this frame, milliseconds.
 */
chart_ms: number, 
/**
 * When the frame was drawn, milliseconds since the Unix epoch (the window can tell how
 * far behind it is).
 */
drawn_at_ms: number, simulated: boolean, };
export type ArmDecision = { arm: number, impressions: number, clicks: number, 
/**
 * Posterior mean CTR and central credible interval at the confidence level.
 */
mean: number, low: number, high: number, p_best: number, 
/**
 * `None` for the control itself.
 */
p_beat_control: number | null, expected_loss: number, };
export type PeekReason = "leader_not_confident" | "too_few_impressions";
export type PeekingWarning = { reason: PeekReason, message_en: string, message_zh: string, };
export type Decision = { impressions: number, control: number, 
/**
 * The arm with the highest P(best).
 */
leader: number, arms: Array<ArmDecision>, impressions_to_decide: number | null, warning: PeekingWarning | null, };
export type SegmentReport = { segment_id: number, name_en: string, name_zh: string, 
/**
 * Share of the simulated audience.
 */
share: number, decision: Decision, };
export type Lift = { 
/**
 * Posterior mean of the relative lift (0.2 = +20 % clicks per impression).
 */
mean: number, 
/**
 * Central credible interval at the confidence level.
 */
low: number, high: number, 
/**
 * P(lift > 0).
 */
probability_positive: number, 
/**
 * The personalised choice: a variant id per segment.
 */
personalised: number[], 
/**
 * The generic creative's variant id.
 */
generic: number, 
/**
 * The model's value of perfect personalisation over the best generic creative.
 */
true_lift: number, };
export type ArmRef = { variant_id: number, label: string, };
export type Report = { impressions: number, arms: Array<ArmRef>, segments: Array<SegmentReport>, overall: Decision, lift: Lift, 
/**
 * Impressions a decision needs at these rates.
 */
budget: Budget, simulated: boolean, };
export type Budget = { 
/**
 * The uniform split's expected CTR.
 */
base_ctr: number, confidence: number, power: number, 
/**
 * Arms served per segment.
 */
arms_per_segment: Array<number>, rows: Array<BudgetRow>, simulated: boolean, };
export type BudgetRow = { 
/**
 * Relative lift to detect (0.1 = +10 %).
 */
min_lift: number, 
/**
 * Impressions per arm; `None` when the rate leaves nothing to detect.
 */
per_arm: number | null, 
/**
 * Impressions of the whole audience until every segment can decide.
 */
total: number | null, };
export type RunSummary = { record: RunRecord, 
/**
 * Clicks per impression of the learning policy.
 */
ctr: number, 
/**
 * Clicks per impression of the paired uniform split on the same simulated users.
 */
uniform_ctr: number, 
/**
 * `ctr / uniform_ctr − 1`; `None` before the uniform split has a click.
 */
lift_over_uniform: number | null, };
export type Comparison = { runs: Array<RunSummary>, chart_svg: string, simulated: boolean, };
export type ChartFormat = "svg" | "png";
export type DashboardChart = "ctr" | "approval" | "lift" | "ope";
export type DashboardFormat = "png" | "svg" | "csv";
export type RunRef = { id: number, name: string, status: RunStatus, policy: string, served: number, };
export type SimulatedCell = { impressions: number, clicks: number, 
/**
 * Posterior mean CTR, (clicks + 1) / (impressions + 2).
 */
ctr: number, 
/**
 * 95 % central credible interval of the CTR.
 */
ctr_low: number, ctr_high: number, 
/**
 * P(this variant has the highest CTR in the segment).
 */
p_best: number, };
export type RealCell = { impressions: number, clicks: number, conversions: number, 
/**
 * clicks / impressions (`None` without impressions), with a 95 % Wilson interval.
 */
ctr: number | null, ctr_low: number | null, ctr_high: number | null, 
/**
 * conversions / clicks (`None` without clicks).
 */
cvr: number | null, 
/**
 * Summed cost where the reports gave one.
 */
cost: number | null, };
export type CellRow = { segment_id: number, segment_en: string, segment_zh: string, variant_id: number, headline: string, 
/**
 * The variant was written for this segment.
 */
targeted: boolean, 
/**
 * `None` for a variant the run served that no longer exists.
 */
review_state: ReviewState | null, simulated: SimulatedCell | null, real: RealCell | null, };
export type SimulatedLift = { run_id: number, lift: Lift, simulated: boolean, };
export type ApprovalProgress = { draft: number, in_review: number, approved: number, changes_requested: number, total: number, };
export type OpeRow = { id: number, logs_path: string, policy: string, 
/**
 * `ipw`, `snipw` or `dr`.
 */
estimator: string, 
/**
 * `None` where the estimator is undefined (SNIPW when the policy never picks a logged action).
 */
value: number | null, low: number | null, high: number | null, 
/**
 * Logged rows the estimate rests on.
 */
n: number, created_at: string, };
export type ReportRef = { id: number, file_name: string, sha256: string, rows_imported: number, rows_rejected: number, imported_at: string, };
export type SegmentGroup = { segment_id: number, segment_en: string, segment_zh: string, 
/**
 * Indices into [`Dashboard::rows`], best first: by simulated posterior mean CTR, else by
 * real CTR, rows with neither last; ties by variant id.
 */
rows: Array<number>, 
/**
 * How many of `rows` are shown before folding (at most [`TOP_N`]).
 */
shown: number, };
export type ReportSource = "real" | "simulated";
export type Rate = { impressions: number, clicks: number, ctr: number, low: number, high: number, source: ReportSource, };
export type SegmentCtr = { 
/**
 * `None` for the all-segments total.
 */
segment_id: number | null, name_en: string, name_zh: string, simulated: Rate | null, real: Rate | null, };
export type ReportSummary = { path: string, lang: Lang, campaign_id: number, pages: number, bytes: number, 
/**
 * The labelled figures, as printed.
 */
segments: Array<SegmentCtr>, generated_at: string, };
export type Dashboard = { campaign_id: number, campaign_name: string, 
/**
 * The run behind every simulated figure, if any.
 */
run: RunRef | null, 
/**
 * Segment × variant, by segment id then variant id.
 */
rows: Array<CellRow>, 
/**
 * The rows per segment, best first, top [`TOP_N`] shown ([`group`]).
 */
segments: Array<SegmentGroup>, lift: SimulatedLift | null, approval: ApprovalProgress, 
/**
 * Imported performance reports, oldest first.
 */
reports: Array<ReportRef>, 
/**
 * Stored off-policy estimates, oldest first.
 */
ope: Array<OpeRow>, };
export type PerformanceImport = { 
/**
 * The file as given.
 */
file: string, 
/**
 * The format read from its header: `studio`, `google_ads` or `meta_ads`.
 */
format: string, 
/**
 * The cost's currency, when the file says (Meta's `Amount spent (CNY)`, Google's
 * `Currency code`).
 */
currency: string | null, report_id: number, sha256: string, 
/**
 * Data rows in the file (header and title lines not counted): imported + rejected + skipped.
 */
rows_read: number, rows_imported: number, rows_rejected: number, 
/**
 * Platform total rows, not counted by design (their ads' rows are).
 */
rows_skipped: number, 
/**
 * The file was imported into this campaign before: nothing changed, counts are the
 * earlier import's and `errors` is empty.
 */
already_imported: boolean, 
/**
 * Rejected rows (at most [`MAX_ERRORS`]), by line.
 */
errors: Array<RowError>, 
/**
 * Skipped total rows (at most [`MAX_ERRORS`]), by line, with what they were.
 */
skipped: Array<RowError>, };
export type RemovedReport = { campaign_id: number, report: ReportRef, 
/**
 * Its stored rows, now deleted.
 */
rows_removed: number, };
export type DashboardChartSvg = { kind: DashboardChart, svg: string, width: number, height: number, };
export type DashboardView = { dashboard: Dashboard, 
/**
 * SVG documents in [`ChartKind::ALL`] order.
 */
charts: Array<DashboardChartSvg>, };
export type ExportParams = { campaign_id: number, 
/**
 * The export folder: created, or replaced when it holds a previous export.
 */
out_dir: string, 
/**
 * Also write `<campaign>.zip` of every file into the folder.
 */
zip: boolean, 
/**
 * Platforms to export for; empty: every platform among the campaign's placements.
 */
platforms: Array<Platform>, 
/**
 * Where the exported images will be served (http(s)); Meta bodies then give images by
 * `url` instead of by `hash` (no `meta_images.csv`).
 */
asset_base_url?: string, 
/**
 * Daily budget of each Google campaign, in the account's currency (default
 * [`DEFAULT_DAILY_BUDGET`], with a warning); the campaigns are written paused.
 */
daily_budget?: number, };
export type ExportedFile = { name: string, bytes: number, sha256: string, };
export type Skipped = { 
/**
 * Draft (never approved, or edited since and so back to draft).
 */
not_approved: number, 
/**
 * Approved, but the content changed since (hash mismatch).
 */
stale_approval: number, };
export type ProblemSeverity = "error" | "warning";
export type ExportRule = "text_too_long" | "text_over_recommended" | "text_empty" | "pixel_size" | "aspect_ratio" | "byte_budget" | "image_format" | "unknown_placement" | "missing_render" | "stale_approval" | "too_few_assets" | "asset_cap" | "no_platform_images" | "format_drift" | "default_budget" | "audience_too_small";
export type Problem = { severity: ProblemSeverity, rule: ExportRule, platform: Platform | null, 
/**
 * The file the value would be written to.
 */
file: string | null, variant_id: number | null, placement: string | null, 
/**
 * The field or column, e.g. `headline`, `Long headline`, `bytes`.
 */
field: string | null, 
/**
 * What was found (a text, or a measurement such as `1201×628`).
 */
value: string, 
/**
 * What is allowed (e.g. `30 width units`), empty when the rule has no number.
 */
limit: string, 
/**
 * One readable sentence.
 */
message: string, };
export type ExportSummary = { campaign_id: number, 
/**
 * The export folder.
 */
dir: string, 
/**
 * Every file in the folder, by name (images, CSV/JSON, `manifest.json`, the zip).
 */
files: Array<ExportedFile>, 
/**
 * Approved variants exported.
 */
variants: number, variant_ids: Array<number>, skipped: Skipped, 
/**
 * Problems of warning severity (errors abort the export).
 */
warnings: Array<Problem>, 
/**
 * The zip's file name inside `dir`, when one was written.
 */
zip: string | null, 
/**
 * SHA-256 of `manifest.json`: identifies the export's content (e.g. for the audit log).
 */
manifest_sha256: string, 
/**
 * Whether the manifest carries simulated figures.
 */
contains_simulated: boolean, 
/**
 * Whether a previous export in `dir` was replaced.
 */
replaced_previous: boolean, };
export type ExportPreview = { problems: Array<Problem>, files: Array<string>, variants: number, skipped: Skipped, 
/**
 * Per exported platform, the columns/fields checked against its reference format.
 */
formats: Array<FormatCheck>, };
export type FormatCheck = { platform: Platform, 
/**
 * The reference checked against.
 */
reference: string, checked: number, 
/**
 * `file: column or JSON path` of everything not in the reference.
 */
unknown: Array<string>, };
export type Refusals = { unknown_event: number, duplicate_reward: number, expired: number, };
export type LiveCell = { segment_id: number, segment_en: string, segment_zh: string, variant_id: number, variant_key: string, headline: string, lang: string, 
/**
 * The variant's approval still counts (it is being served now).
 */
servable: boolean, impressions: number, clicks: number, reward_value: number, ctr: number | null, 
/**
 * Wilson 95 % interval of the CTR.
 */
ctr_low: number | null, ctr_high: number | null, 
/**
 * This variant's share of the segment's impressions (of the same traffic kind).
 */
share: number | null, };
export type LiveTraffic = { impressions: number, clicks: number, ctr: number | null, ctr_low: number | null, ctr_high: number | null, 
/**
 * By segment id, then variant id.
 */
cells: Array<LiveCell>, };
export type LiveStats = { campaign_id: number, 
/**
 * Real shoppers' traffic. Every servable variant has a row for its own segment, traffic or not.
 */
real: LiveTraffic, 
/**
 * Replayed simulated shoppers (`--replay`); never part of `real`.
 */
simulated: LiveTraffic, 
/**
 * Impressions the policy has learnt from, checkpoints of earlier runs included.
 */
learnt_impressions: number, refused: Refusals, servable_variants: number, };
export type ReplaySummary = { 
/**
 * Shoppers driven through `POST /v1/rank`.
 */
shoppers: number, 
/**
 * Ranks answered (impressions of simulated traffic).
 */
impressions: number, 
/**
 * Simulated clicks sent as rewards and accepted.
 */
clicks: number, 
/**
 * Calls the service refused (none expected; counted, never hidden).
 */
refused: number, };
export type LiveServiceInfo = { campaign_id: number, 
/**
 * Base URL, e.g. `http://127.0.0.1:8080`.
 */
url: string, 
/**
 * The project's API key (`null` in a read-only project that has none yet). Required on
 * rank, reward and activate only when the service listens on another address than loopback.
 */
api_key: string | null, key_required: boolean, 
/**
 * Decision log and checkpoint folder.
 */
log_dir: string, };
export const STUDIO_VERSION = "0.1.0";
/** The ad-image placements, as `list_placements` returns them. */
export const IMAGE_PLACEMENTS: Placement[] = [{"id":"google-rda-landscape","platform":"google","name":"Google responsive display, landscape image","name_zh":"Google 自适应展示广告·横版图片","width":1200,"height":628,"family":"landscape","role":"image","max_bytes":5242880,"cjk_double_width":true,"text":{"headline":30,"long_headline":90,"description":90,"business_name":25,"primary_text":null}},{"id":"google-rda-square","platform":"google","name":"Google responsive display, square image","name_zh":"Google 自适应展示广告·方形图片","width":1200,"height":1200,"family":"square","role":"image","max_bytes":5242880,"cjk_double_width":true,"text":{"headline":30,"long_headline":90,"description":90,"business_name":25,"primary_text":null}},{"id":"iab-300x250","platform":"iab","name":"IAB medium rectangle","name_zh":"IAB 中矩形","width":300,"height":250,"family":"square","role":"image","max_bytes":153600,"cjk_double_width":false,"text":{"headline":null,"long_headline":null,"description":null,"business_name":null,"primary_text":null}},{"id":"iab-728x90","platform":"iab","name":"IAB leaderboard","name_zh":"IAB 通栏横幅","width":728,"height":90,"family":"leaderboard","role":"image","max_bytes":153600,"cjk_double_width":false,"text":{"headline":null,"long_headline":null,"description":null,"business_name":null,"primary_text":null}},{"id":"iab-160x600","platform":"iab","name":"IAB wide skyscraper","name_zh":"IAB 宽摩天楼","width":160,"height":600,"family":"skyscraper","role":"image","max_bytes":153600,"cjk_double_width":false,"text":{"headline":null,"long_headline":null,"description":null,"business_name":null,"primary_text":null}},{"id":"iab-320x50","platform":"iab","name":"IAB mobile banner","name_zh":"IAB 移动横幅","width":320,"height":50,"family":"mobile_banner","role":"image","max_bytes":51200,"cjk_double_width":false,"text":{"headline":null,"long_headline":null,"description":null,"business_name":null,"primary_text":null}},{"id":"iab-300x600","platform":"iab","name":"IAB half page","name_zh":"IAB 半页广告","width":300,"height":600,"family":"portrait","role":"image","max_bytes":153600,"cjk_double_width":false,"text":{"headline":null,"long_headline":null,"description":null,"business_name":null,"primary_text":null}},{"id":"iab-970x250","platform":"iab","name":"IAB billboard","name_zh":"IAB 广告牌","width":970,"height":250,"family":"leaderboard","role":"image","max_bytes":153600,"cjk_double_width":false,"text":{"headline":null,"long_headline":null,"description":null,"business_name":null,"primary_text":null}},{"id":"meta-feed-square","platform":"meta","name":"Meta feed, square","name_zh":"Meta 信息流·方形","width":1080,"height":1080,"family":"square","role":"image","max_bytes":31457280,"cjk_double_width":false,"text":{"headline":27,"long_headline":null,"description":null,"business_name":null,"primary_text":125}},{"id":"meta-feed-landscape","platform":"meta","name":"Meta feed, landscape","name_zh":"Meta 信息流·横版","width":1200,"height":628,"family":"landscape","role":"image","max_bytes":31457280,"cjk_double_width":false,"text":{"headline":27,"long_headline":null,"description":null,"business_name":null,"primary_text":125}}];
/** The business name's limit in width units (`studio_core::campaign::spec::MAX_BUSINESS_WIDTH`). */
export const MAX_BUSINESS_WIDTH = 25;
/** The formats an import may be forced to (`studio_core::ingest::FORMAT_NAMES`). */
export const IMPORT_FORMATS = ["rees46","taobao","retailrocket","online_retail","catalog"] as const;
/** The currencies a project may use (`studio_core::ingest::product_checks::CURRENCIES`). */
export const IMPORT_CURRENCIES = ["CNY","USD","EUR","GBP","JPY"] as const;
/** The variant id of a run's shared generic control arm. */
export const GENERIC_CONTROL_ID = 0;
/** The placements a new campaign targets unless chosen otherwise. */
export const DEFAULT_PLACEMENTS: readonly string[] = ["google-rda-landscape","google-rda-square","meta-feed-square","iab-300x250","iab-728x90","iab-160x600","iab-320x50","iab-300x600"];
/** Copy sets per segment and language: the default, and the most a campaign may ask for. */
export const DEFAULT_VARIANTS = 8;
export const MAX_VARIANTS = 20;
export const GOALS: readonly Goal[] = ["clicks","purchases"];
export const TONES: readonly Tone[] = ["playful","premium","urgent","informative"];
/** The copy fields of a variant, in the editor's order. */
export const COPY_FIELDS: readonly Field[] = ["headline","long_headline","description","primary_text","cta"];
/** Every banner layer, in the usual drawing order. */
export const LAYER_KINDS: readonly LayerKind[] = ["background","product","badge","logo","headline","subline","price","cta"];
/** The fields a column mapping names, in canonical order, and those it must name (`ingest::formats::generic`). */
export const MAPPING_FIELDS = ["user","item","time","event","price","session","category","brand"] as const;
export const REQUIRED_MAPPING_FIELDS = ["user","item","time"] as const;
/** Every policy with its default settings, the default first. */
export const POLICY_CHOICES: PolicySpec[] = [{"kind":"thompson","exact_below":8},{"kind":"factorised","prior_sd":1.0,"residual_sd":0.2,"refit_every":64},{"kind":"ucb1"},{"kind":"epsilon_greedy","epsilon":0.1},{"kind":"uniform"}];
/** Speeds offered, impressions/s (0 = full speed), and the default. */
export const SPEED_CHOICES: readonly number[] = [1000,10000,50000,250000,1000000,0];
export const DEFAULT_SPEED = 50000;
export const SIM_ELEMENTS: readonly Element[] = ["headline","image","cta"];
export const ROLES: readonly ProfileRole[] = ["marketer","reviewer","manager","admin"];
/** A new campaign's settings (`CampaignParams::new`); the form fills in the name and languages. */
export const NEW_CAMPAIGN: CampaignParams = {"name":"","goal":"clicks","languages":["en"],"placements":["google-rda-landscape","google-rda-square","meta-feed-square","iab-300x250","iab-728x90","iab-160x600","iab-320x50","iab-300x600"],"tone":"informative","landing_url":"https://shop.example.com/","business_name":"Demo Store","kit":{"primary":[33,37,41],"accent":[255,196,61],"font":"sans","logo_text":"","use_segment_palette":false},"products":{"ids":[],"category":null,"brand":null},"variants_per_segment":8,"seed":42};
