//! CSV injection: hostile campaign, business and segment names stay text in every CSV the
//! export writes (a leading `'`), while the manifest and the Meta feed (JSON) keep them exactly.

use super::{fixture, read_dir};
use crate::export::{google, meta, MANIFEST};

fn cells(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(bytes);
    r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect()
}

const CAMPAIGN: &str = "=HYPERLINK(\"http://x\",\"y\")";

#[test]
fn hostile_names_are_inert_in_every_exported_csv_and_exact_in_json() {
    let f = fixture();
    f.sql(&format!("UPDATE campaigns SET name = '{}', business_name = '-2+3' WHERE id = {}", CAMPAIGN.replace('\'', "''"), f.campaign));
    f.sql("UPDATE segments SET name_en = CASE label WHEN 0 THEN '+1+1' WHEN 1 THEN '@SUM(A1)' ELSE '-2+3 shoppers' END");
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let files = read_dir(&out);
    let mut seen = 0;
    for name in [google::DISPLAY_CSV, google::SEARCH_CSV, meta::ADS_CSV] {
        let rows = cells(&files[name]);
        assert!(rows.len() > 1, "{name} has rows");
        for row in &rows[1..] {
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || cell.parse::<f64>().is_ok_and(f64::is_finite), "{name}: live formula {cell:?}");
            }
            seen += row.iter().filter(|c| c.starts_with("'+1+1") || c.starts_with("'@SUM(A1)") || c.starts_with("'-2+3")).count();
        }
        if name != meta::ADS_CSV {
            assert!(rows[1..].iter().all(|r| r[0] == format!("'{CAMPAIGN}")), "{name}: the campaign cell is quoted text");
        }
    }
    assert!(seen >= 3, "ad group and business names were written, quoted ({seen})");
    let display = cells(&files[google::DISPLAY_CSV]);
    let business = display[0].iter().position(|h| h == "Business name").unwrap();
    assert!(display[1..].iter().all(|r| r[business] == "'-2+3"), "{:?}", display[1]);
    let feed = String::from_utf8(files[meta::FEED_JSON].clone()).unwrap();
    let manifest = String::from_utf8(files[MANIFEST].clone()).unwrap();
    assert!(feed.contains("\"+1+1 (") && !feed.contains("'+1+1"), "JSON keeps names exactly");
    assert!(manifest.contains(&serde_json::to_string(CAMPAIGN).unwrap()), "JSON keeps names exactly");
}
