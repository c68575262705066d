//! Meta files: `meta_asset_feed.json`, one `asset_feed_spec`-style object per ad set (= segment
//! + language), and `meta_ads.csv`, one flat row per approved variant × Meta image.
//!
//! The spec follows the Marketing API's `asset_feed_spec` field names: `bodies`, `titles`,
//! `descriptions` (`[{"text"}]`), `images`, `call_to_action_types`, `link_urls`
//! (`[{"website_url"}]`), `ad_formats`. Images are referenced by exported file name
//! (`{"file_name"}`): upload them to the ad account's image library and replace each with the
//! `hash` it returns. Caps: 5 bodies, 5 titles, 5 descriptions, 10 images (the rest are left
//! out with a warning).
//!
//! Lengths are Meta's recommendations (characters): primary text and headline from the
//! placement table (feed: 125 and 27), link description 30. Meta truncates longer text rather
//! than refusing it, so these are warnings; an empty primary text or headline is an error.

use serde::Serialize;

use super::collect::{AdGroup, Bundle};
use super::validate::{self, Problem, Rule, Severity, TextRule, META_DESCRIPTION_RECOMMENDED};
use crate::csv_cell::write_row;
use crate::placements::Platform;

/// The asset feed file.
pub const FEED_JSON: &str = "meta_asset_feed.json";
/// The flat file.
pub const ADS_CSV: &str = "meta_ads.csv";

const TEXTS_MAX: usize = 5;
const IMAGES_MAX: usize = 10;

/// The flat CSV's header.
pub const ADS_HEADER: [&str; 11] = ["Ad set", "Ad name", "Language", "Variant ID", "Primary text", "Headline", "Description", "Call to action", "Website URL", "Image file", "Placement"];

#[derive(Serialize)]
struct Feed<'a> {
    campaign: &'a str,
    ad_sets: Vec<AdSet>,
}

#[derive(Serialize)]
struct AdSet {
    name: String,
    language: String,
    variant_ids: Vec<i64>,
    asset_feed_spec: Spec,
}

#[derive(Serialize)]
struct Spec {
    ad_formats: Vec<&'static str>,
    bodies: Vec<Text>,
    titles: Vec<Text>,
    descriptions: Vec<Text>,
    images: Vec<ImageRef>,
    call_to_action_types: Vec<&'static str>,
    link_urls: Vec<Link>,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct ImageRef {
    file_name: String,
}

#[derive(Serialize)]
struct Link {
    website_url: String,
}

/// Meta's call-to-action type for a CTA text: browsing CTAs ("Discover more", "查看详情", …)
/// are `LEARN_MORE`, everything else (buy, shop, checkout) `SHOP_NOW`.
pub fn call_to_action_type(cta: &str) -> &'static str {
    let c = cta.to_lowercase();
    const BROWSE: [&str; 9] = ["peek", "explore", "see what", "discover", "learn", "去看看", "探索", "看看", "查看"];
    if BROWSE.iter().any(|k| c.contains(k)) {
        "LEARN_MORE"
    } else {
        "SHOP_NOW"
    }
}

/// The Meta files: (name, bytes, ids of the variants they hold), after validating every
/// variant with Meta images; nothing when no variant has one.
pub(super) fn build(bundle: &Bundle, problems: &mut Vec<Problem>) -> Vec<(&'static str, Vec<u8>, Vec<i64>)> {
    let with_images: Vec<_> = bundle.variants.iter().filter(|a| Bundle::images_of(a, Platform::Meta).next().is_some()).collect();
    if with_images.is_empty() {
        return Vec::new();
    }
    let limits = validate::text_placement(Platform::Meta).map(|p| p.text.clone()).unwrap_or_default();
    let rule = |field, limit, required| TextRule { platform: Platform::Meta, file: ADS_CSV, field, limit, double_width: false, severity: Severity::Warning, required };
    for a in &with_images {
        let v = &a.variant;
        problems.extend(validate::text(&rule("primary_text", limits.primary_text.unwrap_or(125), true), Some(v.id), &v.primary_text));
        problems.extend(validate::text(&rule("headline", limits.headline.unwrap_or(40), true), Some(v.id), &v.headline));
        problems.extend(validate::text(&rule("description", META_DESCRIPTION_RECOMMENDED, false), Some(v.id), &v.description));
    }
    let c = &bundle.campaign;
    let mut ids = Vec::new();
    let mut sets = Vec::new();
    for g in bundle.ad_groups() {
        let members: Vec<_> = g.variants.iter().copied().filter(|a| Bundle::images_of(a, Platform::Meta).next().is_some()).collect();
        if members.is_empty() {
            continue;
        }
        ids.extend(members.iter().map(|a| a.variant.id));
        let group = AdGroup { name: g.name.clone(), lang: g.lang.clone(), variants: members };
        sets.push(ad_set(&group, &c.landing_url, problems));
    }
    let feed = Feed { campaign: &c.name, ad_sets: sets };
    let mut json = serde_json::to_vec_pretty(&feed).expect("serialisable");
    json.push(b'\n');

    let mut w = csv::Writer::from_writer(Vec::new());
    write_row(&mut w, ADS_HEADER).expect("in-memory csv");
    for g in bundle.ad_groups() {
        for a in &g.variants {
            let v = &a.variant;
            for img in Bundle::images_of(a, Platform::Meta) {
                let ad_name = img.name.rsplit_once('.').map_or(img.name.as_str(), |(stem, _)| stem);
                let id = v.id.to_string();
                write_row(&mut w, [g.name.as_str(), ad_name, &v.lang, &id, &v.primary_text, &v.headline, &v.description, call_to_action_type(&v.cta), &c.landing_url, &img.name, &img.placement.id])
                    .expect("in-memory csv");
            }
        }
    }
    vec![(FEED_JSON, json, ids.clone()), (ADS_CSV, w.into_inner().expect("in-memory csv"), ids)]
}

fn ad_set(g: &AdGroup, url: &str, problems: &mut Vec<Problem>) -> AdSet {
    let mut capped = |field: &str, all: Vec<String>, max: usize| -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for t in all {
            let t = t.trim().to_string();
            if !t.is_empty() && !seen.contains(&t) {
                seen.push(t);
            }
        }
        if seen.len() > max {
            let rest = seen.split_off(max);
            problems.push(
                Problem::new(Severity::Warning, Rule::AssetCap, format!("ad set {:?}: asset_feed_spec takes {max} {field}, left out: {}", g.name, rest.join(" | ")))
                    .platform(Platform::Meta)
                    .file(FEED_JSON)
                    .field(field)
                    .value((seen.len() + rest.len()).to_string(), max.to_string()),
            );
        }
        seen
    };
    let vs = || g.variants.iter().map(|a| &a.variant);
    let texts = |l: Vec<String>| l.into_iter().map(|text| Text { text }).collect::<Vec<_>>();
    let bodies = texts(capped("bodies", vs().map(|v| v.primary_text.clone()).collect(), TEXTS_MAX));
    let titles = texts(capped("titles", vs().map(|v| v.headline.clone()).collect(), TEXTS_MAX));
    let descriptions = texts(capped("descriptions", vs().map(|v| v.description.clone()).collect(), TEXTS_MAX));
    let files = g.variants.iter().flat_map(|a| Bundle::images_of(a, Platform::Meta)).map(|i| i.name.clone()).collect();
    let images = capped("images", files, IMAGES_MAX).into_iter().map(|file_name| ImageRef { file_name }).collect();
    let mut ctas: Vec<&'static str> = vs().map(|v| call_to_action_type(&v.cta)).collect();
    ctas.dedup();
    ctas.sort_unstable();
    ctas.dedup();
    AdSet {
        name: g.name.clone(),
        language: g.lang.clone(),
        variant_ids: vs().map(|v| v.id).collect(),
        asset_feed_spec: Spec { ad_formats: vec!["SINGLE_IMAGE"], bodies, titles, descriptions, images, call_to_action_types: ctas, link_urls: vec![Link { website_url: url.to_string() }] },
    }
}
