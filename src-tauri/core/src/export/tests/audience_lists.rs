//! Audiences per segment (issue 16, item 4): every list holds exactly its segment's users, a
//! segment under the minimum is refused by name and never written, pseudonymised projects
//! export pseudonyms, and the export's `audiences/` folder is written and replaced atomically.

use super::{fixture, manifest_of, read_dir};
use crate::error::{ErrorCode, HasCode};
use crate::export::audiences::{self, AudienceParams, DEFAULT_MIN_AUDIENCE, MIN_AUDIENCE_FLOOR};
use crate::export::{ExportError, FileKind};

/// (segment id, label, stored size, users in `user_segments`) of the campaign's model.
fn sizes(p: &crate::store::Project, campaign: i64) -> Vec<(i64, u32, u64, u64)> {
    let sql = "SELECT s.id, s.label, s.size, (SELECT count(*) FROM user_segments u WHERE u.segment_id = s.id) FROM segments s
               WHERE s.model_id = (SELECT model_id FROM campaigns WHERE id = ?1) ORDER BY s.label";
    let mut stmt = p.conn().prepare(sql).unwrap();
    stmt.query_map([campaign], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u32, r.get::<_, i64>(2)? as u64, r.get::<_, i64>(3)? as u64))).unwrap().collect::<Result<_, _>>().unwrap()
}

fn data_rows(bytes: &[u8], header: &str) -> Vec<String> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    assert_eq!(lines.next(), Some(header));
    lines.map(String::from).collect()
}

#[test]
fn audience_counts_equal_segment_sizes_and_a_segment_under_the_minimum_is_refused_by_name() {
    let f = fixture();
    let segs = sizes(&f.project, f.campaign);
    assert!(segs.len() >= 2 && segs.iter().all(|s| s.2 == s.3 && s.2 > 0), "{segs:?}");
    let out = f.out("aud");
    let params = AudienceParams { campaign_id: f.campaign, out_dir: out.display().to_string(), min_audience: Some(MIN_AUDIENCE_FLOOR) }.check().unwrap();
    let s = audiences::export_audiences(&f.project, &params).unwrap();
    assert!(s.refused.is_empty());
    let files = read_dir(&out);
    for (a, (id, label, size, _)) in s.audiences.iter().zip(&segs) {
        assert_eq!((a.segment_id, a.label, a.users), (*id, *label, *size));
        let google = data_rows(&files[&a.google_file], "User ID");
        let meta = data_rows(&files[&a.meta_file], "extern_id");
        assert_eq!(google.len() as u64, *size, "{}", a.google_file);
        assert_eq!(google, meta, "the same people in both formats");
        let mut sorted = google.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, google, "sorted, each user once");
    }
    let m = manifest_of(&out);
    for a in &s.audiences {
        let entry = m.files.iter().find(|x| x.name == a.google_file).unwrap();
        assert_eq!((entry.kind, entry.rows), (FileKind::GoogleAudienceCsv, Some(a.users)));
    }
    assert!(files.contains_key(audiences::README));

    // A minimum one above the smallest segment refuses exactly that segment, by name; the rest
    // are written, replacing the previous lists.
    let smallest = segs.iter().min_by_key(|s| s.2).unwrap();
    let min = (smallest.2 + 1).max(u64::from(MIN_AUDIENCE_FLOOR)) as u32;
    let params = AudienceParams { campaign_id: f.campaign, out_dir: out.display().to_string(), min_audience: Some(min) }.check().unwrap();
    let s = audiences::export_audiences(&f.project, &params).unwrap();
    assert!(s.replaced_previous);
    assert_eq!(s.refused.iter().map(|r| r.label).collect::<Vec<_>>(), segs.iter().filter(|x| x.2 < u64::from(min)).map(|x| x.1).collect::<Vec<_>>());
    let refused = &s.refused[0];
    assert!(refused.reason.contains(&format!("has {} users, under the minimum audience of {min}", refused.users)) && refused.reason.contains(&refused.segment), "{}", refused.reason);
    let files = read_dir(&out);
    assert!(!files.keys().any(|n| n.starts_with(&format!("seg{}", refused.label))), "nothing of the refused segment: {:?}", files.keys());
    assert!(String::from_utf8_lossy(&files[audiences::README]).contains(&refused.reason));

    // Every segment refused: an error naming them, and nothing written.
    let none = f.out("none");
    let largest = segs.iter().map(|s| s.2).max().unwrap() as u32;
    let params = AudienceParams { campaign_id: f.campaign, out_dir: none.display().to_string(), min_audience: Some(largest + 1) }.check().unwrap();
    let e = audiences::export_audiences(&f.project, &params).unwrap_err();
    assert!(matches!(e, ExportError::AllAudiencesRefused { ref refused, .. } if refused.len() == segs.len()), "{e}");
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(!none.exists());
}

#[test]
fn the_minimum_has_a_default_and_a_floor() {
    let p = |m| AudienceParams { campaign_id: 1, out_dir: "x".into(), min_audience: m }.check();
    assert_eq!(p(None).unwrap().min_audience, DEFAULT_MIN_AUDIENCE);
    assert_eq!(p(Some(MIN_AUDIENCE_FLOOR)).unwrap().min_audience, MIN_AUDIENCE_FLOOR);
    let e = p(Some(MIN_AUDIENCE_FLOOR - 1)).unwrap_err();
    assert!(matches!(e, ExportError::MinAudienceTooLow { .. }) && e.code() == ErrorCode::InvalidInput, "{e}");
    assert!(matches!(p(Some(1)).unwrap_err(), ExportError::MinAudienceTooLow { .. }));
}

#[test]
fn a_pseudonymised_project_exports_pseudonyms_the_shop_can_recompute() {
    let f = fixture();
    let key = crate::ingest::privacy::project_key(f.project.conn()).unwrap();
    let originals: Vec<String> =
        f.project.conn().prepare("SELECT DISTINCT user_id FROM user_segments ORDER BY user_id").unwrap().query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
    for u in &originals {
        f.project.conn().execute("UPDATE user_segments SET user_id = ?1 WHERE user_id = ?2", [crate::ingest::privacy::pseudonym(&key, u), u.clone()]).unwrap();
    }
    let set = audiences::build(&f.project, f.campaign, MIN_AUDIENCE_FLOOR, "").unwrap();
    let written: u64 = set.audiences.iter().map(|a| a.users).sum();
    assert_eq!(set.pseudonymised_ids, written);
    let readme = String::from_utf8(set.files.iter().find(|x| x.0 == audiences::README).unwrap().1.clone()).unwrap();
    assert!(readme.contains("HMAC-SHA256") && readme.contains("pseudonym_key") && !readme.contains(&hex::encode(key)), "explains the construction, never the key");
    // The construction the README gives, recomputed here from an original id.
    let first = &set.audiences[0];
    let google = &set.files.iter().find(|x| x.0 == first.google_file).unwrap().1;
    let listed = data_rows(google, "User ID");
    let recomputed: Vec<String> = originals.iter().map(|u| format!("p_{}", &hex::encode(crate::ingest::privacy::hmac_sha256(&key, u.as_bytes()))[..16])).collect();
    assert!(listed.iter().all(|id| recomputed.contains(id)), "every listed id is a recomputable pseudonym");
}

#[test]
fn the_export_writes_audiences_and_replaces_them_but_never_a_file_it_did_not_write() {
    let f = fixture();
    let out = f.out("export");
    let s = f.export(&out, true).unwrap();
    let files = read_dir(&out);
    let lists: Vec<&String> = files.keys().filter(|n| n.starts_with("audiences/") && n.ends_with(".csv")).collect();
    assert_eq!(lists.len(), 2 * sizes(&f.project, f.campaign).iter().filter(|x| x.2 >= u64::from(DEFAULT_MIN_AUDIENCE)).count(), "{lists:?}");
    let m = manifest_of(&out);
    assert_eq!(m.min_audience, Some(DEFAULT_MIN_AUDIENCE));
    assert!(m.files.iter().filter(|x| x.name.starts_with("audiences/") && x.name.ends_with(".csv")).all(|x| x.rows.is_some() && x.segment.is_some()));
    assert!(s.files.iter().any(|x| x.name == "audiences/README.md"));
    let again = f.export(&out, true).unwrap();
    assert!(again.replaced_previous);
    assert_eq!(read_dir(&out), files, "re-export: same files, same bytes");
    std::fs::write(out.join("audiences/extra.csv"), "User ID\r\nsomeone\r\n").unwrap();
    let e = f.export(&out, true).unwrap_err();
    assert!(matches!(&e, ExportError::ForeignFiles { files, .. } if files == &vec!["audiences/extra.csv".to_string()]), "{e}");
    assert!(out.join("audiences/extra.csv").is_file(), "kept");
}
