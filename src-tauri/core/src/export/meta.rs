//! Meta files: one `meta_<ad set key>.json` per ad set (segment × language) holding the
//! Marketing API request bodies to create it, and `meta_images.csv` when images go by hash.
//!
//! Each file is `{"adset": …, "ads": [{"adcreative": …, "ad": …}, …]}`: every member is one
//! request body exactly as the Marketing API reference defines it (checked against
//! `fixtures/reference/meta/ad_set_requests.schema.json`), sent in that order:
//! - `adset` (POST `/act_<id>/adsets`): name = the ad set key, `PAUSED`, `targeting` with the
//!   segment's audience as `custom_audiences` (`{{audience:<ad set key>}}` stands for its id);
//! - per approved variant with a Meta image, an `adcreative` (POST `/act_<id>/adcreatives`)
//!   named by the variant key with `object_story_spec.page_id` (`{{page_id}}`) and an
//!   `asset_feed_spec`: `images` (`[{url}]` when the export has an asset base URL, otherwise
//!   `[{hash}]` with `{{hash:<file>}}` to replace by the hash Meta returns when the file is
//!   uploaded — `meta_images.csv` lists file, placeholder and ad), `bodies` (primary text),
//!   `titles` (headline), `descriptions`, `link_urls` (landing URL + `url_tags` with
//!   `utm_content` = the variant key), `call_to_action_types`, `ad_formats` `SINGLE_IMAGE`;
//! - and its `ad` (POST `/act_<id>/ads`), named by the variant key, `PAUSED`, pointing at the
//!   ad set and creative created before it (`{{adset_id:…}}`, `{{creative_id:…}}`).
//!
//! One creative per variant, so every Meta ad (and its report row) is exactly one variant. Caps:
//! 10 images and 5 of each text per `asset_feed_spec` (extra images are left out with a
//! warning). Lengths are Meta's recommendations (primary text and headline from the placement
//! table, link description 30): Meta truncates longer text, so these are warnings; an empty
//! primary text or headline is an error.

use serde_json::{json, Value};

use super::collect::{AdGroup, Bundle};
use super::names;
use super::validate::{self, Problem, Rule, Severity, TextRule, META_DESCRIPTION_RECOMMENDED};
use crate::csv_cell::write_row;
use crate::placements::Platform;

/// The image upload list (written when images go by hash).
pub const IMAGES_CSV: &str = "meta_images.csv";
/// Its header.
pub const IMAGES_HEADER: [&str; 3] = ["file", "hash", "ad"];

const IMAGES_MAX: usize = 10;

/// One built Meta file: name, bytes, ids of the variants it holds.
pub(super) struct MetaFile {
    pub name: String,
    pub bytes: Vec<u8>,
    pub variant_ids: Vec<i64>,
    /// An ad set's request bodies (else the image list).
    pub ad_set: bool,
}

/// The file of one ad set.
pub fn ad_set_file(campaign: &str, segment_label: u32, lang: &str) -> String {
    format!("meta_{}.json", names::ad_group_key(campaign, segment_label, lang))
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

/// The Meta files after validating every variant with a Meta image; nothing when no variant
/// has one. `asset_base_url`: where the exported images will be served (images by `url`).
pub(super) fn build(bundle: &Bundle, asset_base_url: Option<&str>, problems: &mut Vec<Problem>) -> Vec<MetaFile> {
    let c = &bundle.campaign;
    let limits = validate::text_placement(Platform::Meta).map(|p| p.text.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let mut uploads = csv::Writer::from_writer(Vec::new());
    write_row(&mut uploads, IMAGES_HEADER).expect("in-memory csv");
    let mut upload_ids = Vec::new();
    for g in bundle.ad_groups() {
        let members: Vec<_> = g.variants.iter().copied().filter(|a| Bundle::images_of(a, Platform::Meta).next().is_some()).collect();
        let Some(first) = members.first() else { continue };
        let label = first.variant.segment_label;
        let file = ad_set_file(&c.name, label, &g.lang);
        let rule = |field, limit, required| TextRule { platform: Platform::Meta, file: &file, field, limit, double_width: false, severity: Severity::Warning, required };
        for a in &members {
            let v = &a.variant;
            problems.extend(validate::text(&rule("primary_text", limits.primary_text.unwrap_or(125), true), Some(v.id), &v.primary_text));
            problems.extend(validate::text(&rule("headline", limits.headline.unwrap_or(40), true), Some(v.id), &v.headline));
            problems.extend(validate::text(&rule("description", META_DESCRIPTION_RECOMMENDED, false), Some(v.id), &v.description));
        }
        let group = AdGroup { name: g.name.clone(), lang: g.lang.clone(), variants: members };
        let set_key = names::ad_group_key(&c.name, label, &g.lang);
        let body = ad_set(bundle, &group, &set_key, &file, asset_base_url, problems);
        if asset_base_url.is_none() {
            for a in &group.variants {
                let key = names::key_of(&c.name, &a.variant);
                for img in Bundle::images_of(a, Platform::Meta).take(IMAGES_MAX) {
                    write_row(&mut uploads, [img.name.as_str(), &hash_placeholder(&img.name), &key]).expect("in-memory csv");
                }
                upload_ids.push(a.variant.id);
            }
        }
        let mut bytes = serde_json::to_vec_pretty(&body).expect("serialisable");
        bytes.push(b'\n');
        out.push(MetaFile { name: file, bytes, variant_ids: group.variants.iter().map(|a| a.variant.id).collect(), ad_set: true });
    }
    if !upload_ids.is_empty() {
        out.push(MetaFile { name: IMAGES_CSV.into(), bytes: uploads.into_inner().expect("in-memory csv"), variant_ids: upload_ids, ad_set: false });
    }
    out
}

/// The placeholder standing for an uploaded image's hash.
pub fn hash_placeholder(file: &str) -> String {
    format!("{{{{hash:{file}}}}}")
}

/// The request bodies of one ad set.
fn ad_set(bundle: &Bundle, g: &AdGroup, set_key: &str, file: &str, base: Option<&str>, problems: &mut Vec<Problem>) -> Value {
    let c = &bundle.campaign;
    let ads: Vec<Value> = g
        .variants
        .iter()
        .map(|a| {
            let v = &a.variant;
            let key = names::key_of(&c.name, v);
            let mut files: Vec<&str> = Bundle::images_of(a, Platform::Meta).map(|i| i.name.as_str()).collect();
            if files.len() > IMAGES_MAX {
                let rest = files.split_off(IMAGES_MAX);
                problems.push(
                    Problem::new(Severity::Warning, Rule::AssetCap, format!("variant {}: asset_feed_spec takes {IMAGES_MAX} images, left out: {}", v.id, rest.join(", ")))
                        .platform(Platform::Meta)
                        .file(file)
                        .variant(v.id)
                        .field("images")
                        .value((files.len() + rest.len()).to_string(), IMAGES_MAX.to_string()),
                );
            }
            let images: Vec<Value> = files
                .iter()
                .map(|f| match base {
                    Some(b) => json!({ "url": format!("{}/{f}", b.trim_end_matches('/')) }),
                    None => json!({ "hash": hash_placeholder(f) }),
                })
                .collect();
            let text = |t: &str| json!([{ "text": t.trim() }]);
            let mut spec = json!({
                "images": images,
                "bodies": text(&v.primary_text),
                "titles": text(&v.headline),
                "link_urls": [{ "website_url": c.landing_url, "url_tags": super::google::utm("meta", "paid_social", &c.name, &key) }],
                "call_to_action_types": [call_to_action_type(&v.cta)],
                "ad_formats": ["SINGLE_IMAGE"],
            });
            if !v.description.trim().is_empty() {
                spec["descriptions"] = text(&v.description);
            }
            json!({
                "adcreative": { "name": key, "object_story_spec": { "page_id": "{{page_id}}" }, "asset_feed_spec": spec },
                "ad": { "name": key, "adset_id": format!("{{{{adset_id:{set_key}}}}}"), "status": "PAUSED", "creative": { "creative_id": format!("{{{{creative_id:{key}}}}}") } },
            })
        })
        .collect();
    json!({
        "adset": { "name": set_key, "status": "PAUSED", "targeting": { "custom_audiences": [{ "id": format!("{{{{audience:{set_key}}}}}"), "name": g.name }] } },
        "ads": ads,
    })
}
