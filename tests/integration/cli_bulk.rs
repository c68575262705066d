//! `studio review submit-all|approve-all`: one core call each, one outcome per variant with the
//! same per-variant checks as the single commands (state, compliance gate, four eyes); a role
//! that may not act at all is refused before anything moves; refusals exit 1 after printing.

use std::ffi::OsStr;
use std::path::Path;

use crate::support::{query_i64, Sandbox};

fn review(sb: &Sandbox, project: &Path, args: &[&str]) -> crate::support::Output {
    let mut all: Vec<&OsStr> = vec![OsStr::new("review")];
    all.push(OsStr::new(args[0]));
    all.extend([OsStr::new("--project"), project.as_os_str()]);
    all.extend(args[1..].iter().map(OsStr::new));
    sb.run(&all)
}

#[test]
fn submit_all_then_approve_all_with_a_refusal() {
    let sb = Sandbox::new();
    let p = sb.path("bulk.studio");
    crate::support::demo_at(&p, &sb.path("out"));
    let run = |args: &[&str]| sb.run(&args.iter().map(OsStr::new).collect::<Vec<_>>());
    run(&["campaign", "--project", p.to_str().unwrap(), "--name", "Bulk", "--variants", "1", "--placements", "google-rda-landscape", "--as", "demo-marketer", "--json"]).ok();
    let cid = query_i64(&p, "SELECT max(id) FROM campaigns").to_string();
    let drafts = query_i64(&p, &format!("SELECT count(*) FROM variants WHERE campaign_id = {cid} AND review_state = 'draft'"));
    assert!(drafts >= 2, "{drafts}");

    // A reviewer may not submit: one forbidden error, nothing moved.
    review(&sb, &p, &["submit-all", "--campaign", &cid, "--as", "demo-reviewer"]).code(1).stderr_has(&["error[forbidden]", "only marketers and admins may submit for review"]);
    assert_eq!(query_i64(&p, &format!("SELECT count(*) FROM variants WHERE campaign_id = {cid} AND review_state = 'in_review'")), 0);

    let r = review(&sb, &p, &["submit-all", "--campaign", &cid, "--as", "demo-marketer", "--json"]).ok().json();
    assert_eq!((r["done"].as_i64(), r["refused"].as_i64()), (Some(drafts), Some(0)));
    assert!(r["outcomes"].as_array().unwrap().iter().all(|o| o["done"] == true && o["state"] == "in_review"));
    assert_eq!(query_i64(&p, &format!("SELECT count(*) FROM audit_log WHERE action = 'submit' AND entity_id IN (SELECT id FROM variants WHERE campaign_id = {cid})")), drafts);

    // One variant fails the compliance gate: approve-all approves the rest and refuses it,
    // naming the reason and its message key; exit 1 after printing the report.
    let blocked = query_i64(&p, &format!("SELECT min(id) FROM variants WHERE campaign_id = {cid}"));
    rusqlite::Connection::open(&p).unwrap().execute("UPDATE variants SET headline = '全网最低价 FREE' WHERE id = ?1", [blocked]).unwrap();
    let out = review(&sb, &p, &["approve-all", "--campaign", &cid, "--as", "demo-reviewer", "--json"]);
    out.code(1).stderr_has(&["error[conflict]", "1 of"]);
    let r = out.json();
    assert_eq!((r["done"].as_i64(), r["refused"].as_i64()), (Some(drafts - 1), Some(1)));
    let refused: Vec<&serde_json::Value> = r["outcomes"].as_array().unwrap().iter().filter(|o| o["done"] == false).collect();
    assert_eq!(refused[0]["variant_id"].as_i64(), Some(blocked));
    assert_eq!((refused[0]["reason"]["code"].as_str(), refused[0]["reason"]["keyed"]["key"].as_str()), (Some("conflict"), Some("err.review.not_compliant")));
    assert_eq!(query_i64(&p, &format!("SELECT count(*) FROM variants WHERE campaign_id = {cid} AND review_state = 'approved'")), drafts - 1);
    assert_eq!(query_i64(&p, &format!("SELECT count(*) FROM variants WHERE id = {blocked} AND review_state = 'in_review'")), 1);

    // The marketer (an author) may not approve at all; explicit ids are accepted.
    let b = blocked.to_string();
    review(&sb, &p, &["approve-all", "--campaign", &cid, "--variants", &b, "--as", "demo-marketer"]).code(1).stderr_has(&["error[forbidden]", "only reviewers may approve"]);
    let text = review(&sb, &p, &["approve-all", "--campaign", &cid, "--variants", &b, "--as", "demo-reviewer"]);
    text.code(1);
    assert!(text.stdout.contains(&format!("variant {blocked}: refused (conflict)")), "{text}");
}
