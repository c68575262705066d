//! Issue 16, items 4 and 5 through the CLI: `studio audiences` (a list per segment, counts equal
//! to the segment sizes, small segments refused by name) and real results back — a Google Ads
//! ad report and a Meta Ads Manager export keyed by the exported ads' names are imported by
//! `studio performance`, and the dashboard shows each variant's real CTR.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::{fixture, parse_csv, query_i64, u, Sandbox};

const AS: [&str; 2] = ["--as", "demo-marketer"];

fn demo(sb: &Sandbox) -> (PathBuf, PathBuf) {
    let (p, out) = (sb.path("demo.studio"), sb.path("export"));
    crate::support::demo_at(&p, &out);
    (p, out)
}

fn cmd(sb: &Sandbox, project: &Path, args: &[&str]) -> crate::support::Output {
    let mut all = vec![args[0], "--project", project.to_str().unwrap(), "--campaign", "1"];
    all.extend(&args[1..]);
    sb.run(&all)
}

#[test]
fn audiences_hold_each_segment_and_refuse_small_ones_by_name() {
    let sb = Sandbox::new();
    let (p, export) = demo(&sb);
    let out = sb.path("aud");
    // A minimum just above the smallest segment, so at least one is refused whatever the model.
    let model = "(SELECT model_id FROM campaigns WHERE id = 1)";
    let min = (query_i64(&p, &format!("SELECT min(size) FROM segments WHERE model_id = {model}")) + 1).max(20);
    let s = cmd(&sb, &p, &["audiences", "--out", out.to_str().unwrap(), "--min-audience", &min.to_string(), "--json", AS[0], AS[1]]).ok().json();
    let written = s["audiences"].as_array().unwrap();
    assert!(!written.is_empty());
    for a in written {
        let size = query_i64(&p, &format!("SELECT size FROM segments WHERE id = {}", a["segment_id"]));
        assert_eq!(u(a, "users") as i64, size, "{a}");
        for (file, header) in [(&a["google_file"], "User ID"), (&a["meta_file"], "extern_id")] {
            let rows = parse_csv(&std::fs::read_to_string(out.join(file.as_str().unwrap())).unwrap());
            assert_eq!(rows[0], [header]);
            assert_eq!(rows.len() as i64 - 1, size, "{file}");
        }
    }
    // The smallest segment is under the minimum: refused by name, not written.
    let refused = s["refused"].as_array().unwrap();
    assert_eq!(written.len() + refused.len(), query_i64(&p, "SELECT count(*) FROM segments WHERE model_id = (SELECT model_id FROM campaigns WHERE id = 1)") as usize);
    for r in refused {
        assert!((u(r, "users") as i64) < min);
        assert!(r["reason"].as_str().unwrap().contains(r["segment"].as_str().unwrap()), "{r}");
        assert!(!out.join(format!("seg{}", r["label"])).exists());
    }
    assert!(!refused.is_empty(), "a segment under {min} users is refused");
    // The export (default minimum 100) wrote the same lists into audiences/, listed with their rows.
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(export.join("manifest.json")).unwrap()).unwrap();
    let big = written.iter().find(|a| u(a, "users") >= 100).expect("a segment of 100 users or more");
    let google = big["google_file"].as_str().unwrap();
    let entry = manifest["files"].as_array().unwrap().iter().find(|f| f["name"] == format!("audiences/{google}")).unwrap();
    assert_eq!(entry["rows"], big["users"]);
    assert_eq!(std::fs::read(export.join("audiences").join(google)).unwrap(), std::fs::read(out.join(google)).unwrap());
    // Every segment refused: exit 1 naming them, nothing written; a minimum under the floor is refused.
    let none = sb.path("none");
    cmd(&sb, &p, &["audiences", "--out", none.to_str().unwrap(), "--min-audience", "100000", AS[0], AS[1]]).code(1).stderr_has(&["error[invalid_input]", "every segment", "100000"]);
    assert!(!none.exists());
    cmd(&sb, &p, &["audiences", "--out", none.to_str().unwrap(), "--min-audience", "3", AS[0], AS[1]]).code(1).stderr_has(&["error[invalid_input]", "single people out"]);
    cmd(&sb, &p, &["audiences", "--out", none.to_str().unwrap(), "--as", "demo-reviewer"]).code(1).stderr_has(&["error[forbidden]"]);
}

#[test]
fn the_platform_fixtures_are_read_line_by_line() {
    let sb = Sandbox::new();
    let (p, _) = demo(&sb);
    let g = fixture("performance/google_ads_ad_report.csv");
    let s = cmd(&sb, &p, &["performance", g.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((s["format"].as_str(), s["currency"].as_str()), (Some("google_ads"), Some("CNY")));
    assert_eq!((u(&s, "rows_read"), u(&s, "rows_imported"), u(&s, "rows_rejected"), u(&s, "rows_skipped")), (9, 4, 2, 3));
    let lines = |k: &str| s[k].as_array().unwrap().iter().map(|e| (u(e, "line"), e["column"].as_str().unwrap().to_string())).collect::<Vec<_>>();
    assert_eq!(lines("errors"), [(8, "Ad name".to_string()), (9, "Clicks".to_string())]);
    assert_eq!(lines("skipped").iter().map(|l| l.0).collect::<Vec<_>>(), [10, 11, 12]);
    let m = fixture("performance/meta_ads_manager_export.csv");
    let s = cmd(&sb, &p, &["performance", m.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((s["format"].as_str(), u(&s, "rows_imported"), u(&s, "rows_rejected")), (Some("meta_ads"), 3, 2));
    assert!(s["errors"][0]["reason"].as_str().unwrap().contains("overlaps the period 2026-11-01 to 2026-11-07 already counted (meta_ads_manager_export.csv, line 2)"), "{s}");
    let d = cmd(&sb, &p, &["dashboard", "--out", sb.path("dash").to_str().unwrap(), "--json"]).ok().json();
    let real = |v: i64| d["rows"].as_array().unwrap().iter().find(|r| r["variant_id"] == v && !r["real"].is_null()).map(|r| r["real"].clone());
    let v1 = real(1).unwrap();
    assert_eq!((u(&v1, "impressions"), u(&v1, "clicks"), u(&v1, "conversions")), (2000, 56, 5), "1,200 + 800 impressions; 3 + round(1.50) conversions");
    let v5 = real(5).unwrap();
    assert_eq!((u(&v5, "impressions"), u(&v5, "clicks"), u(&v5, "conversions")), (5000, 90, 6), "two adjacent Meta weeks");
    assert!(real(4).is_none() && real(7).is_none(), "rejected rows count nothing");
}

#[test]
fn results_round_trip_from_the_export_to_the_dashboard() {
    let sb = Sandbox::new();
    let (p, _) = demo(&sb);
    let out = sb.path("upload");
    cmd(&sb, &p, &["export", "--out", out.to_str().unwrap(), AS[0], AS[1]]).ok();
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let mut ids: Vec<i64> = manifest["files"].as_array().unwrap().iter().filter_map(|f| f["variant_id"].as_i64()).collect();
    ids.dedup();
    assert!(ids.len() >= 4, "{ids:?}");
    // The ad names the platforms report: each exported variant's key.
    let project = studio_core::Project::open(&p).unwrap();
    let campaign = manifest["campaign"].as_str().unwrap();
    let variants = studio_core::campaign::variants(&project, 1).unwrap();
    drop(project);
    let key = |id: i64| {
        let v = variants.iter().find(|v| v.id == id).unwrap();
        studio_core::export::names::key_of(campaign, v)
    };
    let figures = |id: i64| (1000 + 250 * id as u64, 10 + 7 * id as u64);
    let (google_ids, meta_ids) = ids.split_at(ids.len() / 2);
    let mut google = String::from("Ad report\n\"December 1, 2026 - December 1, 2026\"\nAd name,Campaign,Ad group,Day,Currency code,Impr.,Clicks,CTR,Conversions,Cost\n");
    for &id in google_ids {
        let (imp, clk) = figures(id);
        google += &format!("{},{campaign},G,2026-12-01,CNY,\"{},{:03}\",{clk},--,1.00,12.50\n", key(id), imp / 1000, imp % 1000);
    }
    google += "Total: Account,--,--,--,CNY,--,--,--,--,--\n";
    let mut meta = String::from("Reporting starts,Reporting ends,Ad name,Impressions,Link clicks,Results,Amount spent (CNY)\n");
    for &id in meta_ids {
        let (imp, clk) = figures(id);
        meta += &format!("2026-12-01,2026-12-07,{},{imp},{clk},2,30.00\n", key(id));
    }
    let (gf, mf) = (sb.path("google.csv"), sb.path("meta.csv"));
    std::fs::write(&gf, google).unwrap();
    std::fs::write(&mf, meta).unwrap();
    let g = cmd(&sb, &p, &["performance", gf.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((u(&g, "rows_imported"), u(&g, "rows_rejected"), u(&g, "rows_skipped")), (google_ids.len() as u64, 0, 1), "{g}");
    let m = cmd(&sb, &p, &["performance", mf.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((u(&m, "rows_imported"), u(&m, "rows_rejected")), (meta_ids.len() as u64, 0), "{m}");
    let d = cmd(&sb, &p, &["dashboard", "--out", sb.path("dash").to_str().unwrap(), "--json"]).ok().json();
    for &id in &ids {
        let row = d["rows"].as_array().unwrap().iter().find(|r| r["variant_id"] == id && !r["real"].is_null()).unwrap_or_else(|| panic!("variant {id} has real figures"));
        let (imp, clk) = figures(id);
        assert_eq!((u(&row["real"], "impressions"), u(&row["real"], "clicks")), (imp, clk), "variant {id}");
        assert!((row["real"]["ctr"].as_f64().unwrap() - clk as f64 / imp as f64).abs() < 1e-12, "variant {id}: {}", row["real"]);
    }
}
