//! Injection: hostile campaign, business and segment names stay text in every tab- or
//! comma-separated file the export writes (a leading `'`, no extra cell or row), while the
//! manifest and the Meta request bodies (JSON) keep them exactly.

use super::files::tsv_rows;
use super::{fixture, read_dir};
use crate::export::{google, meta, MANIFEST};

const CAMPAIGN: &str = "=HYPERLINK(\"http://x\",\"y\")";

#[test]
fn hostile_names_are_inert_in_the_editor_file_and_exact_in_json() {
    let f = fixture();
    f.sql(&format!("UPDATE campaigns SET name = '{}', business_name = '-2+3' WHERE id = {}", CAMPAIGN.replace('\'', "''"), f.campaign));
    f.sql("UPDATE segments SET name_en = CASE label WHEN 0 THEN '+1+1' WHEN 1 THEN '@SUM(A1)' ELSE '-2+3 shoppers#Original' END");
    let out = f.out("export");
    f.export(&out, false).unwrap();
    let files = read_dir(&out);
    let rows = tsv_rows(&files[google::TSV]);
    assert!(rows.len() > 1);
    let header = &google::tsv::decode(&files[google::TSV]).unwrap()[0];
    assert!(header.iter().all(|h| !h.contains("#Original")), "a name never becomes a column: {header:?}");
    let mut seen = 0;
    for row in &rows {
        for cell in row.values() {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']) || cell.parse::<f64>().is_ok_and(f64::is_finite), "live formula {cell:?}");
        }
        seen += row.values().filter(|c| c.starts_with("'+1+1") || c.starts_with("'@SUM(A1)") || c.starts_with("'-2+3")).count();
        if !row["Campaign"].is_empty() {
            assert!(row["Campaign"].starts_with(&format!("'{CAMPAIGN}")), "{row:?}");
        }
    }
    assert!(seen >= 3, "ad group and business names were written, quoted ({seen})");
    assert!(rows.iter().filter(|r| !r["Business name"].is_empty()).all(|r| r["Business name"] == "'-2+3"));
    let mut r = csv::Reader::from_reader(files[meta::IMAGES_CSV].as_slice());
    assert!(r.records().all(|rec| rec.unwrap().iter().all(|c| !c.starts_with(['=', '+', '-', '@']))));
    let set = files.iter().find(|(n, _)| n.starts_with("meta_") && n.ends_with(".json")).unwrap().1;
    let body = String::from_utf8(set.clone()).unwrap();
    let manifest = String::from_utf8(files[MANIFEST].clone()).unwrap();
    assert!(files.iter().any(|(n, b)| n.starts_with("meta_") && String::from_utf8_lossy(b).contains("\"+1+1 (")), "JSON keeps names exactly");
    assert!(!body.contains("'+1+1") && !body.contains("'@SUM"));
    assert!(manifest.contains(&serde_json::to_string(CAMPAIGN).unwrap()), "JSON keeps names exactly");
}
