//! Meta request bodies against a JSON Schema written from the Marketing API reference (read
//! here at test time), images by hash or URL, and UTM keys that map every ad to one variant.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use super::files::{tsv_rows, utm_content};
use super::{fixture, manifest_of, read_dir};
use crate::campaign;
use crate::export::{google, meta, names, reference, ExportParams};

fn schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/reference/meta/ad_set_requests.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn meta_bodies_validate_against_the_marketing_api_schema_with_images_by_hash() {
    let f = fixture();
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let files = read_dir(&out);
    let approved: Vec<_> = campaign::variants(&f.project, f.campaign).unwrap().into_iter().filter(|v| v.status == "approved").collect();
    let schema = schema();
    let sets: Vec<(&String, Value)> = files.iter().filter(|(n, _)| n.starts_with("meta_") && n.ends_with(".json")).map(|(n, b)| (n, serde_json::from_slice(b).unwrap())).collect();
    assert_eq!(sets.len(), 6, "one file per segment × language");
    let mut ads = Vec::new();
    for (name, body) in &sets {
        assert_eq!(reference::validate_json(&schema, body), vec![], "{name}");
        let set_key = body["adset"]["name"].as_str().unwrap();
        assert_eq!(name.as_str(), format!("meta_{set_key}.json"));
        assert!(body["adset"]["targeting"]["custom_audiences"][0]["id"].as_str().unwrap().contains(set_key), "the segment's audience");
        for ad in body["ads"].as_array().unwrap() {
            let spec = &ad["adcreative"]["asset_feed_spec"];
            let key = ad["ad"]["name"].as_str().unwrap();
            assert_eq!(ad["adcreative"]["name"], key);
            let v = approved.iter().find(|v| Some(v.id) == names::variant_id_of_key(key)).unwrap();
            assert_eq!((spec["bodies"][0]["text"].as_str(), spec["titles"][0]["text"].as_str()), (Some(v.primary_text.trim()), Some(v.headline.trim())));
            assert_eq!(spec["call_to_action_types"][0], meta::call_to_action_type(&v.cta));
            let tags = spec["link_urls"][0]["url_tags"].as_str().unwrap();
            assert_eq!(utm_content(tags), key);
            assert!(tags.starts_with("utm_source=meta&utm_medium=paid_social&utm_campaign=double-11&"), "{tags}");
            for img in spec["images"].as_array().unwrap() {
                let hash = img["hash"].as_str().unwrap();
                let file = hash.strip_prefix("{{hash:").and_then(|h| h.strip_suffix("}}")).unwrap();
                assert!(files.contains_key(file) && file.contains(&format!("_v{}_meta-", v.id)), "{hash}");
            }
            ads.push(key.to_string());
        }
    }
    assert_eq!(ads.len(), approved.len(), "one ad per approved variant with a Meta image");
    // The upload list: every image once per ad, with the placeholder the bodies use.
    let mut r = csv::Reader::from_reader(files[meta::IMAGES_CSV].as_slice());
    assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), meta::IMAGES_HEADER);
    let rows: Vec<Vec<String>> = r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect();
    assert_eq!(rows.len(), approved.len());
    assert!(rows.iter().all(|row| row[1] == meta::hash_placeholder(&row[0]) && ads.contains(&row[2])));
}

#[test]
fn with_an_asset_base_url_images_go_by_url_and_nothing_is_left_to_upload() {
    let f = fixture();
    let out = f.out("export");
    let params = ExportParams { campaign_id: f.campaign, out_dir: out.display().to_string(), asset_base_url: Some("https://cdn.example.com/d11/".into()), ..Default::default() }.check().unwrap();
    crate::export::export(&f.project, &params).unwrap();
    let files = read_dir(&out);
    assert!(!files.contains_key(meta::IMAGES_CSV));
    let schema = schema();
    let mut n = 0;
    for (name, bytes) in files.iter().filter(|(n, _)| n.starts_with("meta_")) {
        let body: Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(reference::validate_json(&schema, &body), vec![], "{name}");
        for ad in body["ads"].as_array().unwrap() {
            for img in ad["adcreative"]["asset_feed_spec"]["images"].as_array().unwrap() {
                let url = img["url"].as_str().unwrap();
                let file = url.strip_prefix("https://cdn.example.com/d11/").unwrap();
                assert!(files.contains_key(file), "{url}");
                n += 1;
            }
        }
    }
    assert!(n > 0);
    for bad in ["ftp://x/", "https://", "https://cdn.example.com/a b", "https://cdn.example.com/?x=1"] {
        let e = ExportParams { campaign_id: f.campaign, out_dir: "x".into(), asset_base_url: Some(bad.into()), ..Default::default() }.check().unwrap_err();
        assert!(e.to_string().starts_with("asset_base_url:"), "{bad}: {e}");
    }
    for bad in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(ExportParams { campaign_id: f.campaign, out_dir: "x".into(), daily_budget: Some(bad), ..Default::default() }.check().is_err(), "{bad}");
    }
}

#[test]
fn utm_content_is_unique_per_variant_and_every_ad_maps_back_through_the_manifest() {
    let f = fixture();
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let files = read_dir(&out);
    let m = manifest_of(&out);
    let keys: BTreeSet<&str> = m.variant_keys.iter().map(|k| k.key.as_str()).collect();
    assert_eq!(keys.len(), m.variant_keys.len(), "one key per variant");
    assert_eq!(m.variant_keys.len() as u32, m.variants_exported);
    for k in &m.variant_keys {
        assert_eq!(names::variant_id_of_key(&k.key), Some(k.variant_id));
    }
    let group_keys: BTreeSet<&str> = m.variant_keys.iter().map(|k| k.ad_group_key.as_str()).collect();
    // Every Google ad's and every Meta ad's utm_content is a key of the manifest.
    for r in tsv_rows(&files[google::TSV]).iter().filter(|r| !r["Final URL suffix"].is_empty()) {
        let c = utm_content(&r["Final URL suffix"]);
        let display = r["Ad type"] == "Responsive display ad";
        assert!(if display { keys.contains(c.as_str()) } else { group_keys.contains(c.as_str()) }, "{c}");
    }
    let mut meta_keys = Vec::new();
    for (_, bytes) in files.iter().filter(|(n, _)| n.starts_with("meta_") && n.ends_with(".json")) {
        let body: Value = serde_json::from_slice(bytes).unwrap();
        for ad in body["ads"].as_array().unwrap() {
            meta_keys.push(utm_content(ad["adcreative"]["asset_feed_spec"]["link_urls"][0]["url_tags"].as_str().unwrap()));
        }
    }
    let distinct: BTreeSet<&String> = meta_keys.iter().collect();
    assert_eq!(distinct.len(), meta_keys.len(), "unique per Meta ad");
    assert!(meta_keys.iter().all(|k| keys.contains(k.as_str())));
}

#[test]
fn check_reports_each_platforms_format_against_its_reference() {
    let f = fixture();
    let pv = crate::export::preview(&f.project, &f.params(&f.out("x"), false)).unwrap();
    let platforms: Vec<_> = pv.formats.iter().map(|c| c.platform).collect();
    assert_eq!(platforms, vec![crate::placements::Platform::Google, crate::placements::Platform::Meta]);
    for c in &pv.formats {
        assert!(c.checked > 10 && c.unknown.is_empty(), "{c:?}");
    }
    assert!(pv.problems.iter().all(|p| p.rule != crate::export::Rule::FormatDrift));
    assert!(pv.files.contains(&google::TSV.to_string()) && pv.files.contains(&meta::IMAGES_CSV.to_string()));
}
