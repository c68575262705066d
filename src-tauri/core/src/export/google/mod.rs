//! The Google Ads Editor import file `google_ads_editor.tsv`, in Editor's own format ([`tsv`]):
//! everything Editor needs to create the campaigns, paused.
//!
//! Rows, per language of the approved variants (each column name is one of Editor's, checked
//! against `fixtures/reference/google-ads-editor/` by [`super::reference::google_drift`]):
//! - a **Display** campaign (`Campaign Type` Display, `Networks` Display Network) and a
//!   **Search** campaign (Search; `Google search;Search Partners`), each with `Budget` (the
//!   export's daily budget), `Budget type` Daily, `Languages` (Google's language code: `en`,
//!   `zh_CN`), `Bid Strategy Type` Maximize clicks, `EU political ads` Doesn't have EU
//!   political ads, and `Campaign Status` **Paused**, so an import spends nothing;
//! - one ad group per segment × language in each campaign (`Ad Group Type` Standard);
//! - one **responsive display ad per approved variant** (never pooled): its headline, long
//!   headline, description (and primary text as a second description when it fits), the
//!   business name and landing URL; `Final URL suffix` carries the UTM parameters with
//!   `utm_content` = the variant's key ([`super::names::variant_key`]), so a report maps back
//!   to exactly one variant;
//! - one **responsive search ad per ad group** from the group's approved copy (3–15 headlines,
//!   2–4 descriptions, never a call-to-action text), `utm_content` = the ad group's key;
//! - **phrase-match keyword** rows from the group's copy keywords;
//! - one **image asset** row per exported Google image (`Asset name` = the file name,
//!   `Image Size` `WxH`, `File size` in bytes).
//!
//! Editor's files carry no link from an ad to its images (no ad row in the reference files
//! names an image), so the images are attached in Editor by hand; the file names say where:
//! `campaign_seg<label>-<segment>_v<variant id>_<placement>.ext` (see README).
//!
//! Minimums: a display ad needs the variant's landscape and square Google image; a search ad
//! needs 3 headlines and 2 descriptions. What cannot be filled is left out with a warning
//! naming the reason, and the Google file is not written at all when nothing can be — the
//! other platforms still export.

mod text;
pub mod tsv;

pub use text::paths;
use tsv::Row;

use super::collect::{AdGroup, Approved, Bundle};
use super::names;
use super::validate::{self, Problem, Rule, Severity, TextRule};
use crate::placements::{Family, Platform, Role};
use text::Slot;

/// The Editor import file.
pub const TSV: &str = "google_ads_editor.tsv";

/// Editor's values for the typed columns the export fills (all seen in the reference files).
const PAUSED: &str = "Paused";
const ENABLED: &str = "Enabled";
const BID_STRATEGY: &str = "Maximize clicks";
const NO_EU_POLITICAL: &str = "Doesn't have EU political ads";

/// The built file: bytes and the ids of the variants whose copy or images it holds.
pub(super) struct GoogleFile {
    pub bytes: Vec<u8>,
    pub variant_ids: Vec<i64>,
}

/// Google's language code for a studio language tag (`zh-CN` → `zh_CN`, `en` → `en`).
pub fn language_code(tag: &str) -> String {
    tag.replace('-', "_")
}

/// The tracking parameters of one ad (`Final URL suffix` / Meta `url_tags`).
pub fn utm(source: &str, medium: &str, campaign: &str, content: &str) -> String {
    format!("utm_source={source}&utm_medium={medium}&utm_campaign={}&utm_content={content}", names::campaign_part(campaign))
}

fn row(cells: &[(&str, &str)]) -> Row {
    cells.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn warn(msg: String, field: &str) -> Problem {
    Problem::new(Severity::Warning, Rule::TooFewAssets, msg).platform(Platform::Google).file(TSV).field(field)
}

/// Validate every approved variant's Google texts and build the file; `None` (with the
/// reasons as warnings) when neither a display nor a search ad can be made.
pub(super) fn build(bundle: &Bundle, daily_budget: f64, problems: &mut Vec<Problem>) -> Option<GoogleFile> {
    let lim = text::limits();
    let rule = |field, limit| TextRule { platform: Platform::Google, file: TSV, field, limit, double_width: true, severity: Severity::Error, required: true };
    for a in &bundle.variants {
        let v = &a.variant;
        for (field, text, limit) in [("headline", &v.headline, lim.headline), ("long_headline", &v.long_headline, lim.long_headline), ("description", &v.description, lim.description)] {
            problems.extend(validate::text(&rule(field, limit), Some(v.id), text));
        }
    }
    problems.extend(validate::text(&rule("business_name", lim.business_name), None, &bundle.campaign.business_name));
    let c = &bundle.campaign;
    let budget = format!("{daily_budget:.2}");
    let has_family = |family| bundle.variants.iter().flat_map(|a| Bundle::images_of(a, Platform::Google)).any(|i| i.placement.family == family && i.placement.role == Role::Image);
    let display_possible = has_family(Family::Landscape) && has_family(Family::Square);
    if !display_possible {
        problems.push(warn(
            "no responsive display ads: they need a landscape (google-rda-landscape) and a square (google-rda-square) image, and the campaign does not have both placements; only search ads are written".into(),
            "Ad type",
        ));
    }
    let groups = bundle.ad_groups();
    let mut langs: Vec<&str> = Vec::new();
    for g in &groups {
        if !langs.contains(&g.lang.as_str()) {
            langs.push(&g.lang);
        }
    }
    let (mut rows, mut ids, mut with_display): (Vec<Row>, Vec<i64>, Vec<&Approved>) = (Vec::new(), Vec::new(), Vec::new());
    for lang in langs {
        let in_lang: Vec<&AdGroup> = groups.iter().filter(|g| g.lang == lang).collect();
        let campaign = |kind: &str| format!("{} - {kind} - {lang}", c.name);
        let campaign_row = |name: &str, kind: &str, networks: &str| {
            row(&[
                ("Campaign", name),
                ("Campaign Type", kind),
                ("Networks", networks),
                ("Budget", &budget),
                ("Budget type", "Daily"),
                ("EU political ads", NO_EU_POLITICAL),
                ("Languages", &language_code(lang)),
                ("Bid Strategy Type", BID_STRATEGY),
                ("Campaign Status", PAUSED),
            ])
        };
        let group_row = |camp: &str, g: &AdGroup| row(&[("Campaign", camp), ("Ad Group", &g.name), ("Ad Group Type", "Standard"), ("Ad Group Status", ENABLED)]);
        // Display: one ad per approved variant with both images.
        let display_name = campaign("Display");
        let mut display_rows = Vec::new();
        for g in in_lang.iter().filter(|_| display_possible) {
            let ads: Vec<Row> = g.variants.iter().filter_map(|a| display_ad(bundle, &display_name, g, a, &lim, problems).inspect(|_| with_display.push(a))).collect();
            if !ads.is_empty() {
                display_rows.push(group_row(&display_name, g));
                display_rows.extend(ads);
            }
        }
        if !display_rows.is_empty() {
            rows.push(campaign_row(&display_name, "Display", "Display Network"));
            rows.extend(display_rows);
        }
        // Search: one responsive search ad per ad group, with its keywords.
        let search_name = campaign("Search");
        let mut search_rows = Vec::new();
        for g in &in_lang {
            if let Some(ad) = search_ad(bundle, &search_name, g, problems) {
                search_rows.push(group_row(&search_name, g));
                search_rows.extend(text::keywords(g).iter().map(|k| row(&[("Campaign", &search_name), ("Ad Group", &g.name), ("Keyword", k), ("Criterion Type", "Phrase"), ("Status", ENABLED)])));
                search_rows.push(ad);
                ids.extend(g.variants.iter().map(|a| a.variant.id));
            }
        }
        if !search_rows.is_empty() {
            rows.push(campaign_row(&search_name, "Search", "Google search;Search Partners"));
            rows.extend(search_rows);
        }
    }
    // Image assets of every variant with a display ad (each file once).
    for a in &with_display {
        ids.push(a.variant.id);
        for img in Bundle::images_of(a, Platform::Google) {
            rows.push(row(&[("Asset name", &img.name), ("Image Size", &format!("{}x{}", img.info.width, img.info.height)), ("File size", &img.bytes.len().to_string())]));
        }
    }
    if rows.is_empty() {
        problems.push(warn(format!("{TSV} is not written: no approved variant fills a Google display ad (images) or an ad group a search ad (text); the other platforms are exported"), "Ad type"));
        return None;
    }
    ids.sort_unstable();
    ids.dedup();
    Some(GoogleFile { bytes: tsv::encode(&rows), variant_ids: ids })
}

/// The responsive display ad of one variant, or `None` (with a warning) when it lacks an image.
fn display_ad(bundle: &Bundle, campaign: &str, g: &AdGroup, a: &Approved, lim: &text::Limits, problems: &mut Vec<Problem>) -> Option<Row> {
    let v = &a.variant;
    let c = &bundle.campaign;
    let has = |family| Bundle::images_of(a, Platform::Google).any(|i| i.placement.family == family && i.placement.role == Role::Image);
    if !has(Family::Landscape) || !has(Family::Square) {
        problems.push(warn(format!("variant {}: no responsive display ad, Google needs a landscape (1.91:1) and a square image of it", v.id), "Ad type").variant(v.id));
        return None;
    }
    let (head, long, desc) = (v.headline.trim(), v.long_headline.trim(), v.description.trim());
    if head.is_empty()
        || long.is_empty()
        || desc.is_empty()
        || validate::units(true, head) > lim.headline
        || validate::units(true, long) > lim.long_headline
        || validate::units(true, desc) > lim.description
    {
        return None; // reported as an error by the text checks
    }
    let primary = v.primary_text.trim();
    let fits = !primary.is_empty() && validate::units(true, primary) <= lim.description && primary.to_lowercase() != desc.to_lowercase();
    let second = if fits { primary } else { "" };
    let suffix = utm("google", "display", &c.name, &names::key_of(&c.name, v));
    Some(row(&[
        ("Campaign", campaign),
        ("Ad Group", &g.name),
        ("Ad type", "Responsive display ad"),
        ("Headline 1", head),
        ("Long headline 1", long),
        ("Description 1", desc),
        ("Description 2", second),
        ("Business name", &c.business_name),
        ("Final URL", &c.landing_url),
        ("Final URL suffix", &suffix),
        ("Status", ENABLED),
    ]))
}

/// The ad group's responsive search ad, or `None` (with a warning) when its approved copy has
/// too few distinct headlines or descriptions within Google's limits.
fn search_ad(bundle: &Bundle, campaign: &str, g: &AdGroup, problems: &mut Vec<Problem>) -> Option<Row> {
    let c = &bundle.campaign;
    let heads = text::fill(g, text::SEARCH_HEADLINES, Slot::Headline, &[]);
    let descs = text::fill(g, text::SEARCH_DESCRIPTIONS, Slot::Description, &heads);
    if heads.len() < text::SEARCH_HEADLINES_MIN || descs.len() < text::SEARCH_DESCRIPTIONS_MIN {
        let (min_h, min_d) = (text::SEARCH_HEADLINES_MIN, text::SEARCH_DESCRIPTIONS_MIN);
        problems.push(
            warn(
                format!(
                    "ad group {:?}: no responsive search ad, it has {} distinct headlines and {} descriptions within Google's limits (needs {min_h} and {min_d}); approve more variants",
                    g.name,
                    heads.len(),
                    descs.len()
                ),
                "Headline 1",
            )
            .value(format!("{} headlines, {} descriptions", heads.len(), descs.len()), format!("{min_h} headlines, {min_d} descriptions")),
        );
        return None;
    }
    let (path1, path2) = paths(&c.landing_url);
    let label = g.variants[0].variant.segment_label;
    let suffix = utm("google", "cpc", &c.name, &names::ad_group_key(&c.name, label, &g.lang));
    let mut r = row(&[
        ("Campaign", campaign),
        ("Ad Group", &g.name),
        ("Ad type", "Responsive search ad"),
        ("Path 1", &path1),
        ("Path 2", &path2),
        ("Final URL", &c.landing_url),
        ("Final URL suffix", &suffix),
        ("Status", ENABLED),
    ]);
    for (i, h) in heads.iter().enumerate() {
        r.insert(format!("Headline {}", i + 1), h.clone());
    }
    for (i, d) in descs.iter().enumerate() {
        r.insert(format!("Description {}", i + 1), d.clone());
    }
    Some(r)
}
