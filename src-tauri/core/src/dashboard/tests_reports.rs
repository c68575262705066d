//! Performance reports: value ranges, sums that cannot overflow, hostile files, and listing
//! and removing reports (audited, by role).

use std::path::PathBuf;

use super::performance::{self, list_reports, remove_report};
use super::*;
use crate::review::profiles::{self, ProfileParams};
use crate::review::{audit, Role};
use crate::testkit;
use crate::{campaign, ErrorCode, HasCode};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let f = dir.path().join(name);
    std::fs::write(&f, text).unwrap();
    f
}

fn first_variant(p: &Project, cid: i64) -> i64 {
    campaign::variants(p, cid).unwrap()[0].id
}

#[test]
fn out_of_range_counts_and_costs_are_rejected_with_line_column_and_reason() {
    let (mut p, cid) = testkit::campaign_project();
    let v = first_variant(&p, cid);
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "ad_id,impressions,clicks,conversions,date,cost\n{v},9223372036854775807,0,0,2026-11-01,\n{v},100,5,1,2026-11-02,1.5\n{v},1000000000001,0,0,2026-11-03,\n{v},10,99999999999999999999,0,2026-11-04,\n{v},10,1,0,2026-11-05,1e13\n{v},10,1,0,2026-11-06,inf\n{v},1000000000000,1,0,2026-11-07,1000000000000\n"
    );
    let s = performance::import(&mut p, cid, &write(&dir, "huge.csv", &text)).unwrap();
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected), (7, 2, 5), "{:?}", s.errors);
    let got: Vec<(u64, &str)> = s.errors.iter().map(|e| (e.line, e.column.as_str())).collect();
    assert_eq!(got, [(2, "impressions"), (4, "impressions"), (5, "clicks"), (6, "cost"), (7, "cost")]);
    assert!(s.errors[0].reason.contains("at most 10^12, is 9223372036854775807"), "{}", s.errors[0].reason);
    assert!(s.errors[2].reason.contains("at most 10^12"), "{}", s.errors[2].reason);
    let d = build(&p, cid).unwrap();
    let real = d.rows.iter().find_map(|r| r.real.clone()).unwrap();
    assert_eq!(real.impressions, 1_000_000_000_100);
}

#[test]
fn huge_rows_already_stored_give_a_clear_error_not_an_overflow() {
    let (p, cid) = testkit::campaign_project();
    let v = first_variant(&p, cid);
    p.conn().execute("INSERT INTO performance_reports(campaign_id,file_name,sha256,rows_read,rows_imported,rows_rejected,imported_at) VALUES (?1,'old.csv','h',3,3,0,'t')", [cid]).unwrap();
    let rid = p.conn().last_insert_rowid();
    for line in 2..5 {
        p.conn().execute("INSERT INTO performance_rows(report_id,variant_id,line,impressions,clicks,conversions) VALUES (?1,?2,?3,?4,?4,0)", rusqlite::params![rid, v, line, i64::MAX]).unwrap();
    }
    let e = build(&p, cid).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    assert!(e.to_string().contains(&format!("variant {v}")) && e.to_string().contains("impressions"), "{e}");
    // Two such rows still fit an exact sum: the dashboard builds.
    p.conn().execute("DELETE FROM performance_rows WHERE line = 4", []).unwrap();
    let real = build(&p, cid).unwrap().rows.into_iter().find_map(|r| r.real).unwrap();
    assert_eq!(real.impressions, 2 * i64::MAX as u64);
    assert_eq!(real.ctr, Some(1.0));
}

#[test]
fn long_lines_devices_and_oversized_reports_are_bounded() {
    let (mut p, cid) = testkit::campaign_project();
    let v = first_variant(&p, cid);
    let dir = tempfile::tempdir().unwrap();
    let long = format!("{v},{}", "1".repeat(performance::MAX_LINE_BYTES + 10));
    let text = format!("ad_id,impressions,clicks,conversions\n{v},100,5,1\n{long}\n");
    let s = performance::import(&mut p, cid, &write(&dir, "long.csv", &text)).unwrap();
    assert_eq!((s.rows_read, s.rows_imported, s.rows_rejected), (2, 1, 1));
    assert_eq!((s.errors[0].line, s.errors[0].column.as_str()), (3, "*"));
    assert!(s.errors[0].reason.contains(&format!("{} bytes long", long.len())), "{}", s.errors[0].reason);
    let e = performance::import(&mut p, cid, std::path::Path::new("/dev/zero")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().contains("character device"), "{e}");
    let big = dir.path().join("big.csv");
    std::fs::File::create(&big).unwrap().set_len(performance::MAX_REPORT_BYTES + 1).unwrap();
    let e = performance::import(&mut p, cid, &big).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    assert!(e.to_string().contains("over the limit"), "{e}");
    let quote = format!("ad_id,impressions,clicks,conversions\n\"{}", "1,2,3,4\n".repeat(20_000));
    let e = performance::import(&mut p, cid, &write(&dir, "quote.csv", &quote)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
}

#[test]
fn reports_are_listed_and_removed_with_an_audit_row_by_permitted_roles_only() {
    let (mut p, cid) = testkit::campaign_project();
    let v = first_variant(&p, cid);
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "week1.csv", &format!("ad_id,impressions,clicks,conversions,date\n{v},100,5,1,2026-11-01\n{v},50,2,0,2026-11-02\n"));
    let first = performance::import(&mut p, cid, &f).unwrap();
    let second = performance::import(&mut p, cid, &write(&dir, "week2.csv", &format!("ad_id,impressions,clicks,conversions,date\n{v},10,1,0,2026-11-09\n"))).unwrap();
    let listed = list_reports(&p, cid).unwrap();
    assert_eq!(listed.iter().map(|r| (r.id, r.file_name.as_str())).collect::<Vec<_>>(), [(first.report_id, "week1.csv"), (second.report_id, "week2.csv")]);
    assert_eq!(list_reports(&p, 999).unwrap_err().code(), ErrorCode::NotFound);

    let (_, admin) = profiles::bootstrap_admin(&mut p, ProfileParams { name: "Ada".into(), role: Role::Admin }).unwrap();
    let mut add = |name: &str, role| {
        let pr = profiles::create(&mut p, &admin, ProfileParams { name: name.into(), role }).unwrap();
        profiles::actor(&p, pr.id).unwrap()
    };
    let (marketer, reviewer, manager) = (add("Mia", Role::Marketer), add("Rui", Role::Reviewer), add("Max", Role::Manager));
    let audit_rows = |p: &Project| audit::all(p, &audit::AuditFilter::default()).unwrap().len();
    let before = audit_rows(&p);
    for who in [Some(&reviewer), Some(&manager), None] {
        let e = remove_report(&mut p, who, first.report_id).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    }
    assert_eq!((audit_rows(&p), list_reports(&p, cid).unwrap().len()), (before, 2), "a refusal changes nothing");
    assert_eq!(remove_report(&mut p, Some(&marketer), 999).unwrap_err().code(), ErrorCode::NotFound);

    let removed = remove_report(&mut p, Some(&marketer), first.report_id).unwrap();
    assert_eq!((removed.campaign_id, removed.rows_removed, removed.report.file_name.as_str()), (cid, 2, "week1.csv"));
    assert_eq!(list_reports(&p, cid).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), [second.report_id]);
    let left: i64 = p.conn().query_row("SELECT count(*) FROM performance_rows", [], |r| r.get(0)).unwrap();
    assert_eq!(left, 1);
    let real = build(&p, cid).unwrap().rows.into_iter().find_map(|r| r.real).unwrap();
    assert_eq!(real.impressions, 10, "only week 2 counts now");
    let log = audit::all(&p, &audit::AuditFilter::default()).unwrap();
    let last = log.last().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str(), last.role.as_str(), last.entity.as_str(), last.entity_id), ("remove_report", "Mia", "marketer", "campaign", cid));
    assert_eq!(last.before_hash.as_deref(), Some(first.sha256.as_str()));
    assert!(last.detail.contains("week1.csv") && last.detail.contains("2 rows"), "{}", last.detail);
    // Removed, the same file can come back.
    assert!(!performance::import(&mut p, cid, &f).unwrap().already_imported);
    remove_report(&mut p, Some(&admin), second.report_id).unwrap();
}

#[test]
fn without_profiles_a_removal_is_ungated_and_still_logged() {
    let (mut p, cid) = testkit::campaign_project();
    let v = first_variant(&p, cid);
    let dir = tempfile::tempdir().unwrap();
    let r = performance::import(&mut p, cid, &write(&dir, "r.csv", &format!("ad_id,impressions,clicks,conversions\n{v},100,5,1\n"))).unwrap();
    remove_report(&mut p, None, r.report_id).unwrap();
    let log = audit::all(&p, &audit::AuditFilter::default()).unwrap();
    let last = log.last().unwrap();
    assert_eq!((last.action.as_str(), last.actor.as_str(), last.role.as_str(), last.profile_id), ("remove_report", audit::NO_PROFILE, "none", None));
    assert!(list_reports(&p, cid).unwrap().is_empty());
}
