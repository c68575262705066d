//! The Google Ads Editor file against the real Editor files' facts in `fixtures/reference/`
//! (read here at test time): columns, typed values, entities, one display ad per variant.

use std::collections::BTreeMap;
use std::path::Path;

use super::{fixture, read_dir};
use crate::campaign::{self, Variant};
use crate::export::{google, names, validate, ExportParams, Rule};
use crate::placements::Platform;

/// Rows of the Editor file as column → value (header row dropped).
pub(super) fn tsv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let rows = google::tsv::decode(bytes).expect("UTF-16 LE with BOM, tab-separated");
    let header = rows[0].clone();
    rows[1..].iter().map(|r| header.iter().cloned().zip(r.iter().cloned()).collect()).collect()
}

fn reference(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/reference/google-ads-editor").join(name)).unwrap()
}

pub(super) fn utm_content(suffix: &str) -> String {
    suffix.split('&').find_map(|kv| kv.strip_prefix("utm_content=")).unwrap_or_else(|| panic!("no utm_content in {suffix:?}")).to_string()
}

fn approved(f: &super::Fixture) -> Vec<Variant> {
    campaign::variants(&f.project, f.campaign).unwrap().into_iter().filter(|v| v.status == "approved").collect()
}

#[test]
fn every_google_column_and_typed_value_is_one_of_editors_own() {
    let f = fixture();
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let bytes = &read_dir(&out)[google::TSV];
    assert_eq!(&bytes[..2], &[0xFF, 0xFE], "UTF-16 LE BOM");
    let text = String::from_utf16(&bytes[2..].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect::<Vec<_>>()).unwrap();
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF line ends only");
    let header = &google::tsv::decode(bytes).unwrap()[0];
    let import = reference("columns-account-import.txt");
    let import: Vec<&str> = import.lines().collect();
    let display = reference("columns-display-export.txt");
    for h in header {
        assert!(import.contains(&h.as_str()) || display.lines().any(|l| l == h), "{h:?} is in no Editor reference file");
    }
    let positions: Vec<usize> = header.iter().map(|h| import.iter().position(|c| c == h).unwrap_or_else(|| panic!("{h} not in the account import list"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "columns in Editor's order: {header:?}");
    let enums = reference("enum-values.txt");
    let rows = tsv_rows(bytes);
    let mut typed = 0;
    for line in enums.lines() {
        let (col, vals) = line.split_once(':').unwrap();
        let vals: Vec<&str> = vals.split('|').map(str::trim).collect();
        for r in &rows {
            let Some(v) = r.get(col.trim()).filter(|v| !v.is_empty()) else { continue };
            typed += 1;
            // Languages takes Google's language codes; the reference files only show `en`/`All`,
            // so zh_CN (Chinese simplified in Google's code table) is the one allowed addition.
            let ok = vals.contains(&v.as_str()) || (col == "Languages" && v == "zh_CN");
            assert!(ok, "{col}: {v:?} is not a value Editor wrote ({vals:?})");
        }
    }
    assert!(typed > 50, "typed values were checked ({typed})");
    assert_eq!(crate::export::reference::google_drift(header), Vec::<String>::new());
    // Chinese copy survives the UTF-16 round trip.
    let zh = approved(&f).into_iter().find(|v| v.lang == "zh-CN").unwrap();
    assert!(rows.iter().any(|r| r.get("Headline 1") == Some(&zh.headline.trim().to_string())), "{}", zh.headline);
}

#[test]
fn campaigns_ad_groups_keywords_one_display_ad_per_variant_search_ads_and_image_assets() {
    let f = fixture();
    let out = f.out("export");
    let params = ExportParams { campaign_id: f.campaign, out_dir: out.display().to_string(), daily_budget: Some(25.0), ..Default::default() }.check().unwrap();
    let s = crate::export::export(&f.project, &params).unwrap();
    let files = read_dir(&out);
    let rows = tsv_rows(&files[google::TSV]);
    let approved = approved(&f);
    let camp = campaign::get(&f.project, f.campaign).unwrap();
    let kind = |r: &BTreeMap<String, String>| r.get("Ad type").cloned().unwrap_or_default();
    // Campaigns: a Display and a Search one per language, paused, with budget and language.
    let campaigns: Vec<_> = rows.iter().filter(|r| !r["Campaign Type"].is_empty()).collect();
    let mut search_campaigns: Vec<&str> = rows.iter().filter(|r| kind(r) == "Responsive search ad").map(|r| r["Campaign"].as_str()).collect();
    search_campaigns.dedup();
    assert_eq!(campaigns.iter().filter(|c| c["Campaign Type"] == "Display").count(), 2, "a Display campaign per language (zh, en)");
    assert_eq!(campaigns.iter().filter(|c| c["Campaign Type"] == "Search").map(|c| c["Campaign"].as_str()).collect::<Vec<_>>(), search_campaigns, "a Search campaign per language with a search ad");
    for c in &campaigns {
        assert_eq!((c["Campaign Status"].as_str(), c["Budget"].as_str(), c["Budget type"].as_str()), ("Paused", "25.00", "Daily"));
        let want = if c["Campaign Type"] == "Display" { "Display Network" } else { "Google search;Search Partners" };
        assert_eq!(c["Networks"], want);
        assert!(c["Campaign"].starts_with(&camp.name) && c["Campaign"].contains(&c["Campaign Type"]), "{c:?}");
    }
    // One responsive display ad per approved variant, its own copy only, tracked by its key.
    let rda: Vec<_> = rows.iter().filter(|r| kind(r) == "Responsive display ad").collect();
    assert_eq!(rda.len(), approved.len(), "one display ad per approved variant, never pooled");
    let mut keys = Vec::new();
    for r in &rda {
        let key = utm_content(&r["Final URL suffix"]);
        let v = approved.iter().find(|v| Some(v.id) == names::variant_id_of_key(&key)).unwrap_or_else(|| panic!("{key} names no approved variant"));
        assert_eq!(key, names::key_of(&camp.name, v));
        assert_eq!((r["Headline 1"].as_str(), r["Long headline 1"].as_str(), r["Description 1"].as_str()), (v.headline.trim(), v.long_headline.trim(), v.description.trim()));
        assert!(r["Campaign"].contains("Display") && r["Campaign"].ends_with(&v.lang), "{r:?}");
        assert!(r["Final URL suffix"].starts_with("utm_source=google&utm_medium=display&utm_campaign=double-11&"), "{r:?}");
        keys.push(key);
    }
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), approved.len(), "utm_content unique per variant");
    // Ad groups: one per segment × language in each campaign; search ads never use a CTA text.
    let groups: Vec<_> = rows.iter().filter(|r| r["Ad Group Type"] == "Standard").collect();
    let mut seg_lang: Vec<(u32, &str)> = approved.iter().map(|v| (v.segment_label, v.lang.as_str())).collect();
    seg_lang.sort();
    seg_lang.dedup();
    let rsa: Vec<_> = rows.iter().filter(|r| kind(r) == "Responsive search ad").collect();
    assert_eq!(groups.len(), seg_lang.len() + rsa.len(), "display groups for all, search groups where a search ad was possible");
    let copy: Vec<&str> = approved.iter().flat_map(|v| [&v.headline, &v.long_headline, &v.description, &v.primary_text]).map(|t| t.trim()).collect();
    for r in &rsa {
        let heads: Vec<&String> = (1..=15).filter_map(|i| r.get(&format!("Headline {i}"))).filter(|t| !t.is_empty()).collect();
        assert!(heads.len() >= 3 && heads.iter().all(|h| validate::units(true, h) <= 30), "{r:?}");
        assert!(heads.iter().all(|h| copy.contains(&h.as_str())), "only approved copy, never a call-to-action text: {heads:?}");
        assert_eq!(names::variant_id_of_key(&utm_content(&r["Final URL suffix"])), None, "a search ad is tracked by its ad group's key");
    }
    assert!(!rsa.is_empty());
    let skipped = s.warnings.iter().filter(|p| p.rule == Rule::TooFewAssets && p.field.as_deref() == Some("Headline 1")).count();
    assert_eq!(rsa.len() + skipped, seg_lang.len(), "each group has a search ad or a warning saying why not");
    // Phrase keywords from the copy, under search ad groups only.
    let kws: Vec<_> = rows.iter().filter(|r| !r["Keyword"].is_empty()).collect();
    assert!(!kws.is_empty());
    let copy_keywords: Vec<String> = approved.iter().flat_map(|v| v.keywords.iter().map(|k| k.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())).collect();
    for k in &kws {
        assert_eq!(k["Criterion Type"], "Phrase");
        assert!(k["Campaign"].contains("Search") && copy_keywords.contains(&k["Keyword"]), "{k:?}");
    }
    // One image asset row per exported Google image, with its size.
    let assets: Vec<_> = rows.iter().filter(|r| !r["Asset name"].is_empty()).collect();
    let google_images: Vec<&String> = files.keys().filter(|n| n.contains("_google-rda-")).collect();
    assert_eq!(assets.len(), google_images.len());
    for a in &assets {
        let bytes = &files[&a["Asset name"]];
        assert_eq!(a["File size"], bytes.len().to_string());
        let img = image::load_from_memory(bytes).unwrap();
        assert_eq!(a["Image Size"], format!("{}x{}", img.width(), img.height()));
    }
}

#[test]
fn paths_come_from_the_landing_url_only() {
    assert_eq!(google::paths("https://shop.example.com/sale/d11?utm=x"), ("sale".into(), "d11".into()));
    assert_eq!(google::paths("https://shop.example.com/"), (String::new(), String::new()));
    assert_eq!(google::paths("https://shop.example.com/a-very-long-path-segment/x"), (String::new(), String::new()), "over 15: left empty");
    assert_eq!(google::paths("https://shop.example.com/双十一大促销活动/x"), (String::new(), String::new()), "8 CJK = 16 width units");
    assert_eq!(google::paths("https://shop.example.com/双十一/x"), ("双十一".into(), "x".into()));
}

#[test]
fn a_platform_minimum_not_met_is_refused_with_the_reason_and_the_others_still_export() {
    let f = fixture();
    let out = f.out("meta-only");
    let params = ExportParams { campaign_id: f.campaign, out_dir: out.display().to_string(), platforms: vec![Platform::Meta], ..Default::default() }.check().unwrap();
    let s = crate::export::export(&f.project, &params).unwrap();
    let names: Vec<String> = read_dir(&out).into_keys().collect();
    assert!(names.iter().all(|n| n.contains("_meta-feed-square.") || n.starts_with("meta_") || n == "manifest.json" || n.ends_with("_meta.csv") || n == "audiences/README.md"), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("audiences/") && n.ends_with("_meta.csv")), "Meta's audiences only: {names:?}");
    assert!(s.warnings.iter().all(|w| w.platform != Some(Platform::Google)));

    // No square Google image: no display ads (one warning with the reason), search ads and Meta
    // still export. Dropping a placement changes every content hash: refresh the approvals.
    f.sql(r#"UPDATE campaigns SET placements = '["google-rda-landscape","meta-feed-square","iab-300x250","iab-320x50"]'"#);
    for v in campaign::variants(&f.project, f.campaign).unwrap() {
        f.project.conn().execute("UPDATE approvals SET content_hash = ?1 WHERE variant_id = ?2", rusqlite::params![crate::review::content_hash(&v), v.id]).unwrap();
    }
    let out = f.out("no-square");
    let s = f.export(&out, false).unwrap();
    let files = read_dir(&out);
    let rows = tsv_rows(&files[google::TSV]);
    assert!(rows.iter().all(|r| r.get("Ad type").is_none_or(|t| t != "Responsive display ad") && r["Campaign Type"] != "Display"), "no display campaign");
    assert!(rows.iter().any(|r| r.get("Ad type").is_some_and(|t| t == "Responsive search ad")));
    assert!(files.keys().any(|n| n.starts_with("meta_") && n.ends_with(".json")), "Meta still exported");
    let display: Vec<_> = s.warnings.iter().filter(|w| w.platform == Some(Platform::Google) && w.message.contains("display")).collect();
    assert_eq!(display.len(), 1, "one warning with the reason, not one per variant: {display:?}");
    assert!(display[0].message.contains("square"), "{}", display[0].message);
}

#[test]
fn segments_sharing_a_name_still_get_distinct_ad_groups() {
    let f = fixture();
    f.sql("UPDATE segments SET name_en = 'Shoppers'");
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let rows = tsv_rows(&read_dir(&out)[google::TSV]);
    let groups: Vec<(&str, &str)> = rows.iter().filter(|r| r["Ad Group Type"] == "Standard").map(|r| (r["Campaign"].as_str(), r["Ad Group"].as_str())).collect();
    assert!(groups.iter().all(|(_, g)| g.starts_with("Shoppers [S")), "{groups:?}");
    let mut distinct = groups.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), groups.len(), "ad group names are distinct within each campaign");
}
