//! `studio user`, `studio review` and `studio audit`: profiles bootstrap once, roles are
//! enforced by the core (a refusal is `error[forbidden]`, exit 1), a variant goes draft →
//! in_review → approved, and the append-only audit log exports as CSV and JSON.

use std::ffi::OsStr;
use std::path::Path;

use crate::support::{parse_csv, query_i64, Sandbox};

/// `studio CMD [SUB] --project P REST…` (`user` and `review` take a subcommand).
fn run(sb: &Sandbox, project: &Path, args: &[&str]) -> crate::support::Output {
    let mut all: Vec<&OsStr> = Vec::new();
    let words = if matches!(args[0], "user" | "review") { 2 } else { 1 };
    let (head, tail) = args.split_at(words);
    all.extend(head.iter().map(OsStr::new));
    all.extend([OsStr::new("--project"), project.as_os_str()]);
    all.extend(tail.iter().map(OsStr::new));
    sb.run(&all)
}

#[test]
fn the_first_admin_bootstraps_then_only_admins_manage_profiles() {
    let sb = Sandbox::new();
    let p = sb.path("team.studio");
    run(&sb, &p, &["user", "add", "--name", "Rui", "--role", "reviewer"]).code(1).stderr_has(&["error[invalid_input]", "must be an admin"]);
    let ada = run(&sb, &p, &["user", "add", "--name", "Ada", "--role", "admin", "--json"]).ok().json();
    assert_eq!((ada["name"].as_str(), ada["role"].as_str(), ada["active"].as_bool()), (Some("Ada"), Some("admin"), Some(true)));
    run(&sb, &p, &["user", "add", "--name", "Eve", "--role", "admin"]).code(1).stderr_has(&["error[forbidden]", "only an admin may add"]);
    run(&sb, &p, &["user", "add", "--name", "Mia", "--role", "marketer", "--as", "ada"]).ok();
    run(&sb, &p, &["user", "add", "--name", "Max", "--role", "manager", "--as", "Mia"]).code(1).stderr_has(&["error[forbidden]", "Mia is a marketer", "only admins may manage profiles"]);
    run(&sb, &p, &["user", "add", "--name", "MIA", "--role", "manager", "--as", "Ada"]).code(1).stderr_has(&["error[conflict]"]);
    run(&sb, &p, &["user", "add", "--name", "Max", "--role", "boss", "--as", "Ada"]).code(1).stderr_has(&["error[invalid_input]", "not a role"]);
    run(&sb, &p, &["user", "set-role", "--name", "Ada", "--role", "reviewer", "--as", "Ada"]).code(1).stderr_has(&["error[forbidden]", "own role"]);
    run(&sb, &p, &["user", "deactivate", "--name", "Mia", "--as", "Ada"]).ok();
    let list = run(&sb, &p, &["user", "list", "--json"]).ok().json();
    let got: Vec<(String, bool)> = list.as_array().unwrap().iter().map(|x| (x["name"].as_str().unwrap().to_string(), x["active"].as_bool().unwrap())).collect();
    assert_eq!(got, [("Ada".to_string(), true), ("Mia".to_string(), false)]);
    run(&sb, &p, &["user", "add", "--name", "Max", "--role", "manager", "--as", "Mia"]).code(1).stderr_has(&["error[forbidden]", "deactivated"]);
    // Three profile changes were logged; the store refuses to rewrite them.
    assert_eq!(query_i64(&p, "SELECT count(*) FROM audit_log WHERE entity = 'profile'"), 3);
    let conn = rusqlite::Connection::open(&p).unwrap();
    assert!(conn.execute("DELETE FROM audit_log", []).is_err());
    assert!(conn.execute("UPDATE audit_log SET actor = 'x'", []).is_err());
    assert_eq!(query_i64(&p, "SELECT count(*) FROM audit_log"), 3);
}

#[test]
fn a_variant_is_submitted_approved_commented_and_audited() {
    let sb = Sandbox::new();
    let p = sb.path("demo.studio");
    crate::support::demo_at(&p, &sb.path("out"));
    // The demo ran the review as its own profiles: every exported variant was submitted and approved.
    assert_eq!(query_i64(&p, "SELECT count(*) FROM variants WHERE review_state = 'approved'"), query_i64(&p, "SELECT count(*) FROM audit_log WHERE action = 'approve'"));
    run(&sb, &p, &["campaign", "--name", "Second", "--variants", "1", "--placements", "google-rda-landscape", "--as", "demo-marketer"]).ok();
    run(&sb, &p, &["user", "add", "--name", "Mia", "--role", "marketer", "--as", "demo-admin"]).ok();
    run(&sb, &p, &["user", "add", "--name", "Rui", "--role", "reviewer", "--as", "demo-admin"]).ok();
    run(&sb, &p, &["user", "add", "--name", "Max", "--role", "manager", "--as", "demo-admin"]).ok();
    let v = query_i64(&p, "SELECT min(id) FROM variants WHERE review_state = 'draft'").to_string();
    let v = v.as_str();

    run(&sb, &p, &["review", "approve", "--variant", v, "--as", "Rui"]).code(1).stderr_has(&["error[conflict]", "is draft", "approved"]);
    run(&sb, &p, &["review", "submit", "--variant", v, "--as", "Rui"]).code(1).stderr_has(&["error[forbidden]", "Rui is a reviewer"]);
    let s = run(&sb, &p, &["review", "submit", "--variant", v, "--as", "Mia", "--json"]).ok().json();
    assert_eq!(s["state"], "in_review");
    for who in ["Mia", "Max", "demo-admin"] {
        run(&sb, &p, &["review", "approve", "--variant", v, "--as", who]).code(1).stderr_has(&["error[forbidden]", "only reviewers may approve"]);
    }
    let s = run(&sb, &p, &["review", "approve", "--variant", v, "--as", "Rui", "--note", "fine", "--json"]).ok().json();
    assert_eq!((s["state"].as_str(), s["approval"]["reviewer"].as_str()), (Some("approved"), Some("Rui")));
    assert_eq!(s["approval"]["content_hash"], s["content_hash"], "the approval covers the current content");
    run(&sb, &p, &["review", "comment", "--variant", v, "--as", "Max", "--text", " "]).code(1).stderr_has(&["error[invalid_input]", "comment is empty"]);
    let c = run(&sb, &p, &["review", "comment", "--variant", v, "--as", "Max", "--text", "=1+1, \"nice\"", "--json"]).ok().json();
    assert_eq!((c["author"].as_str(), c["role"].as_str()), (Some("Max"), Some("manager")));
    run(&sb, &p, &["review", "request-changes", "--variant", v, "--as", "Rui", "--text", "late"]).code(1).stderr_has(&["error[conflict]", "is approved"]);
    run(&sb, &p, &["review", "submit", "--variant", "999999", "--as", "Mia"]).code(1).stderr_has(&["error[not_found]"]);
    run(&sb, &p, &["review", "submit", "--variant", v, "--as", "nobody"]).code(1).stderr_has(&["error[not_found]", "nobody"]);

    let json = run(&sb, &p, &["audit", "--variant", v, "--format", "json"]).ok().json();
    let rows = json.as_array().unwrap();
    let got: Vec<(&str, &str)> = rows.iter().map(|r| (r["action"].as_str().unwrap(), r["actor"].as_str().unwrap())).collect();
    assert_eq!(got, [("submit", "Mia"), ("approve", "Rui"), ("comment", "Max")]);
    assert!(rows.iter().all(|r| r["before_hash"] == s["content_hash"] && r["after_hash"] == s["content_hash"]), "{json}");
    let csv = parse_csv(&run(&sb, &p, &["audit", "--variant", v, "--format", "csv"]).ok().stdout);
    assert_eq!(csv[0], ["id", "at", "actor", "role", "profile_id", "action", "entity", "entity_id", "before_hash", "after_hash", "detail"]);
    assert_eq!(csv.len(), 4);
    assert_eq!((csv[3][5].as_str(), csv[3][10].as_str()), ("comment", "'=1+1, \"nice\""), "spreadsheet formulas are made inert");
    let all = run(&sb, &p, &["audit"]);
    assert_eq!(all.ok().stdout.lines().count() as i64, query_i64(&p, "SELECT count(*) FROM audit_log"));
    let shown = run(&sb, &p, &["review", "show", "--variant", v, "--json"]).ok().json();
    assert_eq!((shown["state"].as_str(), shown["comments"].as_array().map(Vec::len)), (Some("approved"), Some(1)));
}
