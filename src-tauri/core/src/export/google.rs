//! Google Ads Editor CSV files: responsive display ads (`google_ads_editor.csv`) and responsive
//! search ads (`google_ads_editor_search.csv`), one row per ad group (= segment + language).
//!
//! Column layout, and what it is based on:
//! - Google Ads Editor's help article "CSV file columns" (support.google.com, answer 57747):
//!   headers are English, matched ignoring case and spaces; an empty cell means "no change";
//!   `Campaign` and `Ad group` name the parents; `Headline N`, `Description N`, `Final URL`,
//!   `Path 1`/`Path 2` as in Editor's ad columns.
//! - Google Ads API `ResponsiveDisplayAdInfo` for the display ad's fields and limits: 1–5
//!   headlines (30), one long headline (90), 1–5 descriptions (90), business name (display
//!   width 25), at least one marketing (1.91:1) and one square marketing image (1:1), at most 15
//!   images; `ResponsiveSearchAdInfo`: 3–15 headlines (30), 2–4 descriptions (90), paths (15).
//!   The image columns are named after the API's `marketing_images` / `square_marketing_images`
//!   and hold the exported file names separated by `;` (Editor's list separator); the exact
//!   Editor header for images could not be confirmed from public docs and may need mapping.
//!   Widths count a CJK character as 2, as Google does.
//!
//! Filling the slots never invents text: the ad group's approved variants give their headlines
//! first, then their other copy fields (long headline, description, primary text, CTA) that fit
//! the slot's limit, deduplicated (ignoring case and surrounding spaces) — descriptions also
//! skip texts already used as headlines or as the long headline. Path 1/2 come from the
//! landing URL's path segments. A display ad needs the campaign's Google landscape and square
//! placements; without both, the display file is left out with one warning.

use super::collect::{AdGroup, Bundle};
use super::validate::{self, Problem, Rule, Severity, TextRule};
use crate::csv_cell::write_row;
use crate::placements::{Family, Platform, Role};

/// Responsive display ads file.
pub const DISPLAY_CSV: &str = "google_ads_editor.csv";
/// Responsive search ads file.
pub const SEARCH_CSV: &str = "google_ads_editor_search.csv";

const DISPLAY_HEADLINES: usize = 5;
const DISPLAY_DESCRIPTIONS: usize = 5;
const DISPLAY_IMAGES_MAX: usize = 15;
const SEARCH_HEADLINES: usize = 15;
const SEARCH_HEADLINES_MIN: usize = 3;
const SEARCH_DESCRIPTIONS: usize = 4;
const SEARCH_DESCRIPTIONS_MIN: usize = 2;
const SEARCH_HEADLINE_MAX: u32 = 30;
const SEARCH_DESCRIPTION_MAX: u32 = 90;
const PATH_MAX: u32 = 15;
/// Google's hard limits, used when the table has no Google placement.
const HEADLINE_MAX: u32 = 30;
const LONG_HEADLINE_MAX: u32 = 90;
const DESCRIPTION_MAX: u32 = 90;
const BUSINESS_NAME_MAX: u32 = 25;

/// The display CSV's header.
pub fn display_header() -> Vec<String> {
    let mut h: Vec<String> = ["Campaign", "Ad group", "Ad type"].map(String::from).to_vec();
    h.extend((1..=DISPLAY_HEADLINES).map(|i| format!("Headline {i}")));
    h.push("Long headline".into());
    h.extend((1..=DISPLAY_DESCRIPTIONS).map(|i| format!("Description {i}")));
    h.extend(["Business name", "Final URL", "Marketing images", "Square marketing images"].map(String::from));
    h
}

/// The search CSV's header.
pub fn search_header() -> Vec<String> {
    let mut h: Vec<String> = ["Campaign", "Ad group", "Ad type"].map(String::from).to_vec();
    h.extend((1..=SEARCH_HEADLINES).map(|i| format!("Headline {i}")));
    h.extend((1..=SEARCH_DESCRIPTIONS).map(|i| format!("Description {i}")));
    h.extend(["Path 1", "Path 2", "Final URL"].map(String::from));
    h
}

/// The Google files: (name, bytes, ids of the variants whose text or images they hold).
pub(super) type GoogleFile = (&'static str, Vec<u8>, Vec<i64>);

/// Text limits (the table's Google image placement, else Google's published limits).
struct Limits {
    headline: u32,
    long_headline: u32,
    description: u32,
    business_name: u32,
}

fn limits() -> Limits {
    let t = validate::text_placement(Platform::Google).map(|p| p.text.clone()).unwrap_or_default();
    Limits {
        headline: t.headline.unwrap_or(HEADLINE_MAX),
        long_headline: t.long_headline.unwrap_or(LONG_HEADLINE_MAX),
        description: t.description.unwrap_or(DESCRIPTION_MAX),
        business_name: t.business_name.unwrap_or(BUSINESS_NAME_MAX),
    }
}

/// Validate every approved variant's Google texts and build both files (a file is left out,
/// with a warning, when no ad group has enough for one ad).
pub(super) fn build(bundle: &Bundle, problems: &mut Vec<Problem>) -> Vec<GoogleFile> {
    let lim = limits();
    let rule = |file, field, limit| TextRule { platform: Platform::Google, file, field, limit, double_width: true, severity: Severity::Error, required: true };
    for a in &bundle.variants {
        let v = &a.variant;
        for (field, text, limit) in [("headline", &v.headline, lim.headline), ("long_headline", &v.long_headline, lim.long_headline), ("description", &v.description, lim.description)] {
            problems.extend(validate::text(&rule(DISPLAY_CSV, field, limit), Some(v.id), text));
        }
    }
    problems.extend(validate::text(&rule(DISPLAY_CSV, "business_name", lim.business_name), None, &bundle.campaign.business_name));
    let groups = bundle.ad_groups();
    let mut out = Vec::new();
    let has_family = |family| bundle.variants.iter().flat_map(|a| Bundle::images_of(a, Platform::Google)).any(|i| i.placement.family == family && i.placement.role == Role::Image);
    if has_family(Family::Landscape) && has_family(Family::Square) {
        out.extend(display(bundle, &groups, &lim, problems));
    } else {
        problems.push(
            Problem::new(Severity::Warning, Rule::TooFewAssets, format!("{DISPLAY_CSV} is not written: responsive display ads need both a landscape (google-rda-landscape) and a square (google-rda-square) image, and the campaign does not have both placements"))
                .platform(Platform::Google)
                .file(DISPLAY_CSV),
        );
    }
    if let Some(f) = search(bundle, &groups, problems) {
        out.push(f);
    }
    out
}

fn display(bundle: &Bundle, groups: &[AdGroup], lim: &Limits, problems: &mut Vec<Problem>) -> Option<GoogleFile> {
    let c = &bundle.campaign;
    let mut w = csv::Writer::from_writer(Vec::new());
    write_row(&mut w, display_header()).expect("in-memory csv");
    let (mut rows, mut ids) = (0, Vec::new());
    for g in groups {
        let warn = |rule, field: &str, msg: String| Problem::new(Severity::Warning, rule, msg).platform(Platform::Google).file(DISPLAY_CSV).field(field);
        let files = |family| -> Vec<String> {
            g.variants.iter().flat_map(|a| Bundle::images_of(a, Platform::Google)).filter(|i| i.placement.family == family && i.placement.role == Role::Image).map(|i| i.name.clone()).collect()
        };
        let (mut land, mut square) = (files(Family::Landscape), files(Family::Square));
        if land.is_empty() || square.is_empty() {
            let missing = if land.is_empty() { "Marketing images" } else { "Square marketing images" };
            problems.push(warn(Rule::TooFewAssets, missing, format!("ad group {:?}: no responsive display ad, Google needs at least one landscape (1.91:1) and one square image", g.name)));
            continue;
        }
        for (list, col) in [(&mut land, "Marketing images"), (&mut square, "Square marketing images")] {
            if list.len() > DISPLAY_IMAGES_MAX {
                let rest = list.split_off(DISPLAY_IMAGES_MAX);
                problems.push(
                    warn(Rule::AssetCap, col, format!("ad group {:?}: Google takes {DISPLAY_IMAGES_MAX} images, left out: {}", g.name, rest.join(";")))
                        .value(rest.len().to_string(), DISPLAY_IMAGES_MAX.to_string()),
                );
            }
        }
        let heads = fill(g, DISPLAY_HEADLINES, lim.headline, Slot::Headline, &[]);
        let long = g.variants.iter().map(|a| a.variant.long_headline.trim()).find(|t| !t.is_empty() && validate::units(true, t) <= lim.long_headline);
        let used: Vec<String> = heads.iter().cloned().chain(long.map(String::from)).collect();
        let descs = fill(g, DISPLAY_DESCRIPTIONS, lim.description, Slot::Description, &used);
        let (Some(long), false, false) = (long, heads.is_empty(), descs.is_empty()) else {
            problems.push(warn(
                Rule::TooFewAssets,
                "Long headline",
                format!("ad group {:?}: no responsive display ad, it needs a headline, a long headline and a description within Google's limits", g.name),
            ));
            continue;
        };
        let mut rec = vec![c.name.clone(), g.name.clone(), "Responsive display ad".into()];
        rec.extend(padded(&heads, DISPLAY_HEADLINES));
        rec.push(long.to_string());
        rec.extend(padded(&descs, DISPLAY_DESCRIPTIONS));
        rec.extend([c.business_name.clone(), c.landing_url.clone(), land.join(";"), square.join(";")]);
        write_row(&mut w, &rec).expect("in-memory csv");
        rows += 1;
        ids.extend(g.variants.iter().map(|a| a.variant.id));
    }
    if rows == 0 {
        problems.push(
            Problem::new(Severity::Warning, Rule::TooFewAssets, format!("{DISPLAY_CSV} is not written: no ad group has a complete responsive display ad")).platform(Platform::Google).file(DISPLAY_CSV),
        );
        return None;
    }
    Some((DISPLAY_CSV, w.into_inner().expect("in-memory csv"), ids))
}

fn search(bundle: &Bundle, groups: &[AdGroup], problems: &mut Vec<Problem>) -> Option<GoogleFile> {
    let c = &bundle.campaign;
    let (path1, path2) = paths(&c.landing_url);
    let mut w = csv::Writer::from_writer(Vec::new());
    write_row(&mut w, search_header()).expect("in-memory csv");
    let (mut rows, mut ids) = (0, Vec::new());
    for g in groups {
        let heads = fill(g, SEARCH_HEADLINES, SEARCH_HEADLINE_MAX, Slot::Headline, &[]);
        let descs = fill(g, SEARCH_DESCRIPTIONS, SEARCH_DESCRIPTION_MAX, Slot::Description, &heads);
        if heads.len() < SEARCH_HEADLINES_MIN || descs.len() < SEARCH_DESCRIPTIONS_MIN {
            problems.push(
                Problem::new(Severity::Warning, Rule::TooFewAssets, format!("ad group {:?}: no responsive search ad, it has {} distinct headlines and {} descriptions within Google's limits (needs {SEARCH_HEADLINES_MIN} and {SEARCH_DESCRIPTIONS_MIN}); approve more variants", g.name, heads.len(), descs.len()))
                    .platform(Platform::Google)
                    .file(SEARCH_CSV)
                    .field("Headline 1")
                    .value(format!("{} headlines, {} descriptions", heads.len(), descs.len()), format!("{SEARCH_HEADLINES_MIN} headlines, {SEARCH_DESCRIPTIONS_MIN} descriptions")),
            );
            continue;
        }
        let mut rec = vec![c.name.clone(), g.name.clone(), "Responsive search ad".into()];
        rec.extend(padded(&heads, SEARCH_HEADLINES));
        rec.extend(padded(&descs, SEARCH_DESCRIPTIONS));
        rec.extend([path1.clone(), path2.clone(), c.landing_url.clone()]);
        write_row(&mut w, &rec).expect("in-memory csv");
        rows += 1;
        ids.extend(g.variants.iter().map(|a| a.variant.id));
    }
    if rows == 0 {
        problems.push(
            Problem::new(Severity::Warning, Rule::TooFewAssets, format!("{SEARCH_CSV} is not written: no ad group has enough text for a responsive search ad"))
                .platform(Platform::Google)
                .file(SEARCH_CSV),
        );
        return None;
    }
    Some((SEARCH_CSV, w.into_inner().expect("in-memory csv"), ids))
}

#[derive(Clone, Copy)]
enum Slot {
    Headline,
    Description,
}

/// Up to `n` distinct texts of the ad group for a slot, each within `limit` width units, in
/// the documented order; never a text from `exclude`.
fn fill(g: &AdGroup, n: usize, limit: u32, slot: Slot, exclude: &[String]) -> Vec<String> {
    let vs = || g.variants.iter().map(|a| &a.variant);
    let candidates: Vec<&String> = match slot {
        Slot::Headline => vs().map(|v| &v.headline).chain(vs().flat_map(|v| [&v.long_headline, &v.description, &v.primary_text, &v.cta])).collect(),
        Slot::Description => vs().map(|v| &v.description).chain(vs().flat_map(|v| [&v.long_headline, &v.primary_text])).collect(),
    };
    let key = |s: &str| s.trim().to_lowercase();
    let mut seen: Vec<String> = exclude.iter().map(|s| key(s)).collect();
    let mut out = Vec::new();
    for t in candidates {
        let t = t.trim();
        if out.len() == n {
            break;
        }
        if t.is_empty() || validate::units(true, t) > limit || seen.contains(&key(t)) {
            continue;
        }
        seen.push(key(t));
        out.push(t.to_string());
    }
    out
}

fn padded(list: &[String], n: usize) -> impl Iterator<Item = String> + '_ {
    list.iter().cloned().chain(std::iter::repeat(String::new())).take(n)
}

/// Path 1 and Path 2: the landing URL's first two path segments when each fits 15 width units
/// and holds no `/`; empty otherwise (Google makes them optional).
pub fn paths(url: &str) -> (String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let segs: Vec<&str> = path.split('/').skip(1).filter(|s| !s.is_empty()).collect();
    let ok = |s: &&str| validate::units(true, s) <= PATH_MAX && !s.chars().any(|c| c.is_control() || c.is_whitespace());
    match (segs.first().copied().filter(ok), segs.get(1).copied().filter(ok)) {
        (Some(a), Some(b)) => (a.to_string(), b.to_string()),
        (Some(a), None) => (a.to_string(), String::new()),
        _ => (String::new(), String::new()),
    }
}
