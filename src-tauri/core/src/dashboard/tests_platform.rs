//! Reports as the platforms export them: a Google Ads ad report and a Meta Ads Manager export,
//! told apart by their header, mapped to variants by the variant key, totals skipped and
//! listed, periods under the no-double-count rule.

use std::path::PathBuf;

use super::performance::{self, totals};
use crate::export::names::key_of;
use crate::store::Project;
use crate::{campaign, testkit};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let f = dir.path().join(name);
    std::fs::write(&f, text).unwrap();
    f
}

/// The variant keys of the campaign's first `n` variants, with their ids.
fn keys(p: &Project, cid: i64, n: usize) -> Vec<(i64, String)> {
    let c = campaign::get(p, cid).unwrap();
    campaign::variants(p, cid).unwrap().iter().take(n).map(|v| (v.id, key_of(&c.name, v))).collect()
}

#[test]
fn a_google_ads_ad_report_is_read_with_its_title_lines_separators_dashes_and_totals() {
    let (mut p, cid) = testkit::campaign_project();
    let k = keys(&p, cid, 3);
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "Ad report\n\"November 1, 2026 - November 2, 2026\"\nAd status,Ad name,Ad ID,Campaign,Ad group,Day,Currency code,Impr.,Clicks,CTR,Conversions,Cost\n\
         Enabled,{a},7012,Double 11,G (zh-CN),2026-11-01,CNY,\"1,200\",36,3.00%,3.00,\"1,045.20\"\n\
         Enabled,{a},7012,Double 11,G (zh-CN),\"Nov 2, 2026\",CNY,800,20,2.50%,1.50,30.00\n\
         Enabled,{b},7013,Double 11,G (zh-CN),2026-11-01,CNY,\"2,500\",50,2.00%,--,--\n\
         Enabled,Spring sale 2025,7099,Other,O,2026-11-01,CNY,300,3,1.00%,0.00,2.00\n\
         Enabled,{c},7014,Double 11,G (zh-CN),2026-11-01,CNY,100,200,200%,0.00,1.00\n\
         Enabled,{c},7014,Double 11,G (zh-CN),2026-11-01,CNY,1.5,0,0%,0.00,1.00\n\
         Total: Account,--,--,--,--,--,CNY,\"4,900\",309,6.31%,4.50,\"1,078.20\"\n\
         Total: Display,--,--,--,--,--,CNY,\"4,600\",306,6.65%,4.50,\"1,076.20\"\n",
        a = k[0].1,
        b = k[1].1,
        c = k[2].1
    );
    let s = performance::import(&mut p, cid, &write(&dir, "google.csv", &text)).unwrap();
    assert_eq!((s.format.as_str(), s.currency.as_deref()), ("google_ads", Some("CNY")));
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected, s.rows_skipped), (8, 3, 3, 2), "{:?}", s.errors);
    let rejected: Vec<(u64, &str)> = s.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(rejected, [(7, "Ad name"), (8, "Clicks"), (9, "Impr.")]);
    assert!(s.errors[0].reason.contains("\"Spring sale 2025\"") && s.errors[0].reason.contains("not mapped"), "{}", s.errors[0].reason);
    assert!(s.errors[2].reason.contains("whole number"), "{}", s.errors[2].reason);
    let skipped: Vec<u64> = s.skipped.iter().map(|e| e.line).collect();
    assert_eq!(skipped, [10, 11]);
    assert!(s.skipped[0].reason.contains("Total: Account"), "{}", s.skipped[0].reason);
    let t = totals(&p, cid).unwrap();
    let a = &t[&k[0].0];
    assert_eq!((a.impressions, a.clicks, a.conversions), (2000, 56, 5), "1,200 + 800; 3 + round(1.50)");
    assert!((a.cost.unwrap() - 1075.20).abs() < 1e-9);
    let b = &t[&k[1].0];
    assert_eq!((b.impressions, b.clicks, b.conversions, b.cost), (2500, 50, 0, None), "`--` is 0 in a count and no cost");
    // Only `Total` / `Total: …` marks a total: an ad merely named so is an unmapped row.
    let s = performance::import(&mut p, cid, &write(&dir, "named.csv", "Ad name,Impr.,Clicks,Conversions\nTotally new,10,1,0\n")).unwrap();
    assert_eq!((s.rows_rejected, s.rows_skipped, s.errors[0].column.as_str()), (1, 0, "Ad name"));
    // Google's numeric Ad ID alone names no studio variant: such a report is refused.
    let no_name = "Ad ID,Campaign,Day,Impr.,Clicks,Conversions\n7012,Double 11,2026-11-03,10,1,0\n";
    let e = performance::import(&mut p, cid, &write(&dir, "ids.csv", no_name)).unwrap_err();
    assert!(e.to_string().contains("line 1") && e.to_string().contains("\"Ad name\""), "{e}");
}

#[test]
fn a_meta_export_counts_each_row_for_its_period_and_overlapping_periods_are_refused() {
    let (mut p, cid) = testkit::campaign_project();
    let k = keys(&p, cid, 2);
    let dir = tempfile::tempdir().unwrap();
    let head = "Reporting starts,Reporting ends,Campaign name,Ad set name,Ad name,Ad delivery,Results,Result indicator,Reach,Impressions,Cost per result,Amount spent (CNY),Link clicks,CTR (link click-through rate)\n";
    let text = format!(
        "{head}2026-11-01,2026-11-07,Double 11,S,{a},active,5,actions:offsite_conversion.fb_pixel_purchase,3100,\"4,000\",17.62,88.10,80,2.00\n\
         2026-11-01,2026-11-07,Double 11,S,{b},active,,,1200,1500,,40.00,,\n\
         2026-11-05,2026-11-11,Double 11,S,{a},active,1,x,900,1000,5,5.00,10,1.00\n\
         2026-11-08,2026-11-14,Double 11,S,{a},active,1,x,900,1000,5,5.00,10,1.00\n\
         2026-11-09,2026-11-02,Double 11,S,{b},active,0,x,1,10,0,0,1,10.00\n",
        a = k[0].1,
        b = k[1].1
    );
    let s = performance::import(&mut p, cid, &write(&dir, "meta.csv", &text)).unwrap();
    assert_eq!((s.format.as_str(), s.currency.as_deref()), ("meta_ads", Some("CNY")));
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected, s.rows_skipped), (5, 3, 2, 0), "{:?}", s.errors);
    assert_eq!((s.errors[0].line, s.errors[0].column.as_str()), (4, "date"));
    assert!(s.errors[0].reason.contains("overlaps the period 2026-11-01 to 2026-11-07 already counted (meta.csv, line 2)"), "{}", s.errors[0].reason);
    assert_eq!((s.errors[1].line, s.errors[1].column.as_str()), (6, "Reporting ends"));
    let t = totals(&p, cid).unwrap();
    assert_eq!((t[&k[0].0].impressions, t[&k[0].0].clicks, t[&k[0].0].conversions), (5000, 90, 6));
    assert_eq!((t[&k[1].0].impressions, t[&k[1].0].clicks, t[&k[1].0].conversions), (1500, 0, 0), "empty Meta cells count 0");

    // A studio report's single day inside a counted period is refused, naming the period.
    let day = write(&dir, "day.csv", &format!("ad_id,impressions,clicks,conversions,date\n{},10,1,0,2026-11-03\n{},10,1,0,2026-11-15\n", k[0].0, k[0].0));
    let s = performance::import(&mut p, cid, &day).unwrap();
    assert_eq!((s.rows_imported, s.rows_rejected), (1, 1));
    assert!(s.errors[0].reason.contains("overlaps the period 2026-11-01 to 2026-11-07"), "{}", s.errors[0].reason);
    // A period covering a counted day is refused, naming the day.
    let over = write(&dir, "later.csv", &format!("{head}2026-11-15,2026-11-20,D,S,{},active,0,x,1,10,0,0,1,1\n", k[0].1));
    let s = performance::import(&mut p, cid, &over).unwrap();
    assert_eq!(s.rows_rejected, 1);
    assert!(s.errors[0].reason.contains("is already counted on 2026-11-15 (day.csv, line 3)"), "{}", s.errors[0].reason);
}

#[test]
fn a_header_that_is_no_known_format_within_the_title_lines_is_refused() {
    let (mut p, cid) = testkit::campaign_project();
    let dir = tempfile::tempdir().unwrap();
    let titles = "Ad report\n".repeat(12) + "Ad name,Impr.,Clicks,Conversions\nx,1,1,0\n";
    let e = performance::import(&mut p, cid, &write(&dir, "late.csv", &titles)).unwrap_err();
    assert!(e.to_string().contains("line 1") && e.to_string().contains("Google Ads"), "{e}");
    let meta_no_clicks = "Reporting starts,Reporting ends,Ad name,Impressions,Results\n2026-11-01,2026-11-02,x,1,0\n";
    let e = performance::import(&mut p, cid, &write(&dir, "m.csv", meta_no_clicks)).unwrap_err();
    assert!(e.to_string().contains("\"Link clicks\""), "{e}");
}
