//! Issue 21 (hardening) through the real `studio` binary: four eyes across a role change
//! (`error[forbidden]` naming the audit row), look-alike and control-character profile names,
//! `rename-segment --as` gated and audited, and hostile names inert in the dashboard CSVs.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::support::{parse_csv, query_i64, Output, Sandbox};

/// `studio CMD [SUB] --project P REST…` (`user` and `review` take a subcommand).
fn run(sb: &Sandbox, project: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&OsStr> = Vec::new();
    let words = if matches!(args[0], "user" | "review") { 2 } else { 1 };
    let (head, tail) = args.split_at(words);
    all.extend(head.iter().map(OsStr::new));
    all.extend([OsStr::new("--project"), project.as_os_str()]);
    all.extend(tail.iter().map(OsStr::new));
    sb.run(&all)
}

/// The demo project (profiles demo-admin, demo-marketer, demo-reviewer, demo-manager) with a
/// second campaign created by demo-marketer, whose variants are drafts.
fn demo(sb: &Sandbox) -> PathBuf {
    let p = sb.path("demo.studio");
    crate::support::demo_at(&p, &sb.path("out"));
    run(sb, &p, &["campaign", "--name", "Second", "--variants", "1", "--placements", "google-rda-landscape", "--as", "demo-marketer"]).ok();
    p
}

#[test]
fn an_author_made_reviewer_cannot_approve_their_own_content() {
    let sb = Sandbox::new();
    let p = demo(&sb);
    run(&sb, &p, &["user", "add", "--name", "Mia", "--role", "marketer", "--as", "demo-admin"]).ok();
    let drafts = |n: i64| query_i64(&p, &format!("SELECT id FROM variants WHERE review_state = 'draft' ORDER BY id LIMIT 1 OFFSET {n}")).to_string();
    let (v, w) = (drafts(0), drafts(1));

    // The report: Mia submits, an admin makes her a reviewer, she approves her own variant.
    run(&sb, &p, &["review", "submit", "--variant", &v, "--as", "Mia"]).ok();
    let submitted = query_i64(&p, &format!("SELECT max(id) FROM audit_log WHERE action = 'submit' AND entity_id = {v}"));
    run(&sb, &p, &["user", "set-role", "--name", "Mia", "--role", "reviewer", "--as", "demo-admin"]).ok();
    run(&sb, &p, &["review", "approve", "--variant", &v, "--as", "Mia"])
        .code(1)
        .stderr_has(&["error[forbidden]", &format!("Mia cannot approve variant {v}: they submitted its current content (audit #{submitted})")]);
    run(&sb, &p, &["review", "approve", "--variant", &v, "--as", "Mia", "--reason", "Legal cleared every claim here"]).code(1).stderr_has(&["error[forbidden]", "Mia cannot approve"]);

    // The campaign's creator, made reviewer, cannot approve its variants either.
    run(&sb, &p, &["review", "submit", "--variant", &w, "--as", "demo-admin"]).ok();
    run(&sb, &p, &["user", "set-role", "--name", "demo-marketer", "--role", "reviewer", "--as", "demo-admin"]).ok();
    run(&sb, &p, &["review", "approve", "--variant", &w, "--as", "demo-marketer"]).code(1).stderr_has(&["error[forbidden]", "demo-marketer cannot approve", "created its campaign"]);

    // Nobody's refusal was logged as an approval; an uninvolved reviewer approves both.
    assert_eq!(query_i64(&p, &format!("SELECT count(*) FROM audit_log WHERE action = 'approve' AND entity_id IN ({v}, {w})")), 0);
    for id in [&v, &w] {
        let s = run(&sb, &p, &["review", "approve", "--variant", id, "--as", "demo-reviewer", "--json"]).ok().json();
        assert_eq!((s["state"].as_str(), s["approval"]["reviewer"].as_str()), (Some("approved"), Some("demo-reviewer")));
    }
}

#[test]
fn profile_names_refuse_look_alikes_and_control_characters() {
    let sb = Sandbox::new();
    let p = sb.path("team.studio");
    run(&sb, &p, &["user", "add", "--name", "\u{0410}da", "--role", "admin"]).ok();
    run(&sb, &p, &["user", "add", "--name", "Ada", "--role", "marketer", "--as", "\u{0410}da"]).code(1).stderr_has(&["error[conflict]", "looks the same as the existing profile \"\u{0410}da\""]);
    for bad in ["Mia\u{1b}[31m", "Mia\nRoot", "Mia\u{202E}", "M\u{200B}ia"] {
        run(&sb, &p, &["user", "add", "--name", bad, "--role", "marketer", "--as", "\u{0410}da"]).code(1).stderr_has(&["error[invalid_input]", "profile name"]);
    }
    assert_eq!(query_i64(&p, "SELECT count(*) FROM profiles"), 1);
}

#[test]
fn rename_segment_needs_a_marketer_or_admin_and_is_audited() {
    let sb = Sandbox::new();
    let p = demo(&sb);
    let seg = query_i64(&p, "SELECT min(id) FROM segments").to_string();
    let old_en = {
        let conn = rusqlite::Connection::open(&p).unwrap();
        conn.query_row("SELECT name_en FROM segments WHERE id = ?1", [&seg], |r| r.get::<_, String>(0)).unwrap()
    };
    let rename = |who: Option<&str>, en: &str| {
        let mut args = vec!["rename-segment", "--segment", seg.as_str(), "--en", en, "--zh", "夜猫子"];
        if let Some(w) = who {
            args.extend(["--as", w]);
        }
        run(&sb, &p, &args)
    };
    rename(None, "Night owls").code(1).stderr_has(&["error[forbidden]", "--as"]);
    rename(Some("demo-reviewer"), "Night owls").code(1).stderr_has(&["error[forbidden]", "demo-reviewer is a reviewer", "only marketers and admins may rename segments"]);
    rename(Some("demo-manager"), "Night owls").code(1).stderr_has(&["error[forbidden]"]);
    rename(Some("demo-marketer"), "Night\u{1b}[2Jowls").code(1).stderr_has(&["error[invalid_input]", "name_en", "U+001B"]);
    assert_eq!(query_i64(&p, "SELECT count(*) FROM audit_log WHERE action = 'rename_segment'"), 0, "refusals log nothing");

    rename(Some("demo-marketer"), "Night owls").ok();
    let log = run(&sb, &p, &["audit", "--format", "json"]).ok().json();
    let row = log.as_array().unwrap().iter().find(|r| r["action"] == "rename_segment").expect("a rename row");
    assert_eq!((row["actor"].as_str(), row["role"].as_str(), row["entity"].as_str()), (Some("demo-marketer"), Some("marketer"), Some("segment")));
    assert_eq!(row["entity_id"].as_i64().map(|i| i.to_string()), Some(seg.clone()));
    let detail = row["detail"].as_str().unwrap();
    assert!(detail.contains(&old_en) && detail.contains("→ \"Night owls\" / \"夜猫子\""), "{detail}");

    // A hostile name is stored as typed but stays text in the dashboard's CSV (campaign 2 has
    // no simulation run, so its rows carry the segments' current names; a real report gives
    // the segment's variant a row).
    rename(Some("demo-admin"), "=HYPERLINK(\"http://x\",\"y\")").ok();
    let v = query_i64(&p, &format!("SELECT min(id) FROM variants WHERE campaign_id = 2 AND segment_id = {seg}"));
    let report = sb.path("report.csv");
    std::fs::write(&report, format!("ad_id,impressions,clicks,conversions\n{v},1000,30,3\n")).unwrap();
    run(&sb, &p, &["performance", "--campaign", "2", report.to_str().unwrap()]).ok();
    let out = sb.path("dash");
    run(&sb, &p, &["dashboard", "--campaign", "2", "--lang", "en", "--out", out.to_str().unwrap()]).ok();
    let rows = parse_csv(&std::fs::read_to_string(out.join("dashboard_ctr.csv")).unwrap());
    let hostile: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[0] == seg).collect();
    assert!(!hostile.is_empty() && hostile.iter().all(|r| r[1] == "'=HYPERLINK(\"http://x\",\"y\")"), "{:?}", rows.get(1));
    assert!(rows[1..].iter().flatten().all(|c| !c.starts_with(['=', '+', '@']) && (!c.starts_with('-') || c.parse::<f64>().is_ok())));
}
