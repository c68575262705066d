//! The upload files' shapes: Google Ads Editor CSVs and Meta's asset feed + flat CSV.

use std::collections::BTreeMap;

use super::{fixture, read_dir};
use crate::campaign::{self, Variant};
use crate::export::{google, meta, validate, Rule};

fn csv_rows(bytes: &[u8]) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records().map(|rec| header.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect()).collect()
}

/// Every copy field of the group's variants: a cell may hold nothing else.
fn fields(vs: &[&Variant]) -> Vec<String> {
    vs.iter().flat_map(|v| [&v.headline, &v.long_headline, &v.description, &v.primary_text, &v.cta]).map(|s| s.trim().to_string()).collect()
}

#[test]
fn google_csvs_have_editor_headers_one_row_per_ad_group_and_only_approved_text() {
    let f = fixture();
    let out = f.out("export");
    let s = f.export(&out, false).unwrap();
    let files = read_dir(&out);
    let approved: Vec<Variant> = campaign::variants(&f.project, f.campaign).unwrap().into_iter().filter(|v| v.status == "approved").collect();
    let camp = campaign::get(&f.project, f.campaign).unwrap();

    let mut h = vec!["Campaign", "Ad group", "Ad type"].into_iter().map(String::from).collect::<Vec<_>>();
    h.extend((1..=5).map(|i| format!("Headline {i}")));
    h.push("Long headline".into());
    h.extend((1..=5).map(|i| format!("Description {i}")));
    h.extend(["Business name", "Final URL", "Marketing images", "Square marketing images"].map(String::from));
    assert_eq!(google::display_header(), h);
    let display = &files[google::DISPLAY_CSV];
    assert_eq!(csv::Reader::from_reader(display.as_slice()).headers().unwrap().iter().collect::<Vec<_>>(), h);
    let search = &files[google::SEARCH_CSV];
    let sh: Vec<String> = csv::Reader::from_reader(search.as_slice()).headers().unwrap().iter().map(String::from).collect();
    assert_eq!(sh.len(), 3 + 15 + 4 + 3);
    assert_eq!(
        (&sh[3], &sh[17], &sh[18], &sh[21], &sh[22], &sh[24]),
        (&"Headline 1".to_string(), &"Headline 15".to_string(), &"Description 1".to_string(), &"Description 4".to_string(), &"Path 1".to_string(), &"Final URL".to_string())
    );

    let groups: usize = {
        let mut g: Vec<(u32, &str)> = approved.iter().map(|v| (v.segment_label, v.lang.as_str())).collect();
        g.sort();
        g.dedup();
        g.len()
    };
    let rows = csv_rows(display);
    assert_eq!(rows.len(), groups, "one display ad per segment × language");
    for row in &rows {
        let group: Vec<&Variant> = approved.iter().filter(|v| row["Ad group"] == format!("{} ({})", v.segment_name_en, v.lang)).collect();
        assert_eq!(group.len(), 2, "{}", row["Ad group"]);
        let allowed = fields(&group);
        assert_eq!((row["Campaign"].as_str(), row["Ad type"].as_str()), (camp.name.as_str(), "Responsive display ad"));
        assert_eq!((row["Business name"].as_str(), row["Final URL"].as_str()), (camp.business_name.as_str(), camp.landing_url.as_str()));
        let heads: Vec<&String> = (1..=5).map(|i| &row[&format!("Headline {i}")]).filter(|t| !t.is_empty()).collect();
        assert_eq!(heads[0], group[0].headline.trim(), "the variant's own headline leads");
        assert_eq!(heads[1], group[1].headline.trim());
        for t in heads.iter().chain([&&row["Long headline"]]).chain((1..=5).map(|i| &row[&format!("Description {i}")]).filter(|t| !t.is_empty()).collect::<Vec<_>>().iter()) {
            assert!(allowed.contains(t), "{t:?} is not one of the group's approved texts");
        }
        let lower: Vec<String> = heads.iter().map(|t| t.to_lowercase()).collect();
        assert!(lower.iter().enumerate().all(|(i, t)| !lower[..i].contains(t)), "deduplicated: {heads:?}");
        assert!(heads.iter().all(|t| validate::units(true, t) <= 30), "{heads:?}");
        assert!(validate::units(true, &row["Long headline"]) <= 90);
        for col in ["Marketing images", "Square marketing images"] {
            let names: Vec<&str> = row[col].split(';').collect();
            assert_eq!(names.len(), 2, "{col}: one per approved variant");
            assert!(names.iter().all(|n| files.contains_key(*n)), "{col} names exported files: {names:?}");
        }
        assert!(row["Marketing images"].contains("google-rda-landscape") && row["Square marketing images"].contains("google-rda-square"));
    }
    // Search ads: 3–15 headlines, 2–4 descriptions, never invented; the fixture's URL has no path.
    let rows = csv_rows(search);
    let skipped = s.warnings.iter().filter(|p| p.rule == Rule::TooFewAssets && p.file.as_deref() == Some(google::SEARCH_CSV)).count();
    assert_eq!(rows.len() + skipped, groups, "each group has a search ad or a warning saying why not");
    assert!(!rows.is_empty());
    for row in &rows {
        let group: Vec<&Variant> = approved.iter().filter(|v| row["Ad group"] == format!("{} ({})", v.segment_name_en, v.lang)).collect();
        let allowed = fields(&group);
        let heads: Vec<&String> = (1..=15).map(|i| &row[&format!("Headline {i}")]).filter(|t| !t.is_empty()).collect();
        let descs: Vec<&String> = (1..=4).map(|i| &row[&format!("Description {i}")]).filter(|t| !t.is_empty()).collect();
        assert!(heads.len() >= 3 && descs.len() >= 2, "{row:?}");
        assert!(heads.iter().chain(&descs).all(|t| allowed.contains(t)), "{row:?}");
        assert!(descs.iter().all(|d| !heads.contains(d)), "descriptions do not repeat headlines");
        assert_eq!((row["Path 1"].as_str(), row["Path 2"].as_str()), ("", ""));
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
fn meta_feed_has_the_asset_feed_spec_shape_and_the_flat_csv_one_row_per_image() {
    let f = fixture();
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let files = read_dir(&out);
    let approved: Vec<Variant> = campaign::variants(&f.project, f.campaign).unwrap().into_iter().filter(|v| v.status == "approved").collect();
    let feed: serde_json::Value = serde_json::from_slice(&files[meta::FEED_JSON]).unwrap();
    assert_eq!(feed["campaign"], "Double 11");
    let sets = feed["ad_sets"].as_array().unwrap();
    let mut seen = Vec::new();
    for set in sets {
        let spec = &set["asset_feed_spec"];
        let keys: Vec<&str> = spec.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["bodies", "titles", "descriptions", "images", "call_to_action_types", "link_urls", "ad_formats"] {
            assert!(keys.contains(&k), "asset_feed_spec lacks {k}: {keys:?}");
        }
        let ids: Vec<i64> = set["variant_ids"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap()).collect();
        seen.extend(ids.iter().copied());
        let group: Vec<&Variant> = approved.iter().filter(|v| ids.contains(&v.id)).collect();
        assert!(group.iter().all(|v| format!("{} ({})", v.segment_name_en, v.lang) == set["name"]), "one segment × language per ad set");
        let texts = |k: &str| spec[k].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap().to_string()).collect::<Vec<_>>();
        let distinct = |l: Vec<String>| {
            l.into_iter().fold(Vec::new(), |mut acc: Vec<String>, t| {
                if !acc.contains(&t) {
                    acc.push(t);
                }
                acc
            })
        };
        assert_eq!(texts("bodies"), distinct(group.iter().map(|v| v.primary_text.trim().to_string()).collect()));
        assert_eq!(texts("titles"), distinct(group.iter().map(|v| v.headline.trim().to_string()).collect()));
        assert!(texts("descriptions").len() <= 5);
        let images: Vec<&str> = spec["images"].as_array().unwrap().iter().map(|i| i["file_name"].as_str().unwrap()).collect();
        assert_eq!(images.len(), group.len(), "one meta-feed-square image per variant");
        assert!(images.iter().all(|n| n.contains("_meta-feed-square.") && files.contains_key(*n)));
        for cta in spec["call_to_action_types"].as_array().unwrap() {
            assert!(["SHOP_NOW", "LEARN_MORE"].contains(&cta.as_str().unwrap()));
        }
        assert_eq!(spec["link_urls"][0]["website_url"], "https://shop.example.com/");
        assert_eq!(spec["ad_formats"][0], "SINGLE_IMAGE");
    }
    seen.sort();
    let mut all: Vec<i64> = approved.iter().map(|v| v.id).collect();
    all.sort();
    assert_eq!(seen, all, "every approved variant in exactly one ad set");
    let rows = csv_rows(&files[meta::ADS_CSV]);
    assert_eq!(rows.len(), approved.len(), "one Meta placement: one row per variant");
    for row in &rows {
        let v = approved.iter().find(|v| v.id.to_string() == row["Variant ID"]).unwrap();
        assert_eq!((row["Primary text"].as_str(), row["Headline"].as_str(), row["Call to action"].as_str()), (v.primary_text.as_str(), v.headline.as_str(), meta::call_to_action_type(&v.cta)));
        assert!(files.contains_key(&row["Image file"]));
        assert_eq!(row["Ad name"], row["Image file"].rsplit_once('.').unwrap().0);
    }
}

#[test]
fn call_to_action_types_map_browsing_to_learn_more_and_buying_to_shop_now() {
    for (cta, want) in [("Discover more", "LEARN_MORE"), ("查看详情", "LEARN_MORE"), ("去看看", "LEARN_MORE"), ("Buy now", "SHOP_NOW"), ("立即结算", "SHOP_NOW"), ("Complete your order", "SHOP_NOW")]
    {
        assert_eq!(meta::call_to_action_type(cta), want, "{cta}");
    }
}

#[test]
fn platforms_can_be_chosen_and_a_campaign_without_square_google_images_gets_no_display_file() {
    let f = fixture();
    let out = f.out("meta-only");
    let params = crate::export::ExportParams { campaign_id: f.campaign, out_dir: out.display().to_string(), zip: false, platforms: vec![crate::placements::Platform::Meta] }.check().unwrap();
    let s = crate::export::export(&f.project, &params).unwrap();
    let names: Vec<String> = read_dir(&out).into_keys().collect();
    let upload = |n: &String| n.contains("_meta-feed-square.") || [meta::FEED_JSON, meta::ADS_CSV, "manifest.json"].contains(&n.as_str());
    assert!(names.iter().all(|n| upload(n) || n.ends_with("_meta.csv") || n == "audiences/README.md"), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("audiences/") && n.ends_with("_meta.csv")), "Meta's audiences only: {names:?}");
    assert!(s.warnings.iter().all(|w| w.platform != Some(crate::placements::Platform::Google)));

    // Dropping a placement from the campaign changes every variant's content hash (the render
    // list is hashed): re-approve by refreshing the stored hashes.
    f.sql(r#"UPDATE campaigns SET placements = '["google-rda-landscape","meta-feed-square","iab-300x250","iab-320x50"]'"#);
    assert!(crate::export::export(&f.project, &f.params(&f.out("stale"), false)).is_err(), "all approvals are stale now");
    for v in campaign::variants(&f.project, f.campaign).unwrap() {
        f.project.conn().execute("UPDATE approvals SET content_hash = ?1 WHERE variant_id = ?2", rusqlite::params![crate::review::content_hash(&v), v.id]).unwrap();
    }
    let out = f.out("no-square");
    let s = f.export(&out, false).unwrap();
    let files = read_dir(&out);
    assert!(!files.contains_key(google::DISPLAY_CSV) && files.contains_key(google::SEARCH_CSV));
    assert!(files.keys().all(|n| !n.contains("google-rda-square")), "only the campaign's placements are exported");
    let display: Vec<_> = s.warnings.iter().filter(|w| w.file.as_deref() == Some(google::DISPLAY_CSV)).collect();
    assert_eq!(display.len(), 1, "one warning, not one per ad group: {display:?}");
    assert_eq!(display[0].rule, Rule::TooFewAssets);
}

#[test]
fn segments_sharing_a_name_still_get_distinct_ad_groups() {
    let f = fixture();
    f.sql("UPDATE segments SET name_en = 'Shoppers'");
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let rows = csv_rows(&read_dir(&out)[google::DISPLAY_CSV]);
    let mut names: Vec<&str> = rows.iter().map(|r| r["Ad group"].as_str()).collect();
    assert!(names.iter().all(|n| n.starts_with("Shoppers [S")), "{names:?}");
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n, "ad group names are distinct");
}
