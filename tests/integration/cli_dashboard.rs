//! `studio performance`, `studio ope --project --campaign` and `studio dashboard`: a real
//! performance report is imported once (bad rows named by line and column, good rows kept),
//! off-policy estimates are stored for the campaign, and the dashboard writes every chart as
//! PNG, SVG and CSV with the numbers behind them.

use std::path::Path;

use crate::support::{count, fixture, parse_csv, u, Sandbox};

fn demo_project(sb: &Sandbox) -> std::path::PathBuf {
    let p = sb.path("demo.studio");
    let out = sb.path("export");
    crate::support::demo_at(&p, &out);
    p
}

fn run(sb: &Sandbox, cmd: &str, project: &Path, rest: &[&str]) -> crate::support::Output {
    let mut args = vec![cmd, "--project", project.to_str().unwrap(), "--campaign", "1"];
    args.extend(rest);
    sb.run(&args)
}

#[test]
fn a_performance_report_is_imported_once_and_bad_rows_are_named() {
    let sb = Sandbox::new();
    let p = demo_project(&sb);
    let good = fixture("performance/report.csv");
    let first = run(&sb, "performance", &p, &[good.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((u(&first, "rows_read"), u(&first, "rows_imported"), u(&first, "rows_rejected")), (4, 4, 0));
    assert_eq!(first["already_imported"], false);
    let again = run(&sb, "performance", &p, &[good.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(again["already_imported"], true);
    assert_eq!((count(&p, "performance_reports"), count(&p, "performance_rows")), (1, 4));

    let bad = fixture("performance/report_malformed.csv");
    let s = run(&sb, "performance", &p, &[bad.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((u(&s, "rows_imported"), u(&s, "rows_rejected")), (1, 5));
    let errors: Vec<(u64, String)> = s["errors"].as_array().unwrap().iter().map(|e| (u(e, "line"), e["column"].as_str().unwrap().to_string())).collect();
    let want: Vec<(u64, String)> = [(3, "clicks"), (4, "conversions"), (5, "impressions"), (6, "ad_id"), (7, "*")].iter().map(|(l, c)| (*l, c.to_string())).collect();
    assert_eq!(errors, want);
    let human = run(&sb, "performance", &p, &[bad.to_str().unwrap()]).ok().stdout.clone();
    assert!(human.contains("already imported"), "{human}");

    // A later report repeating a day already counted: rejected, naming where it was counted.
    let overlap = sb.path("overlap.csv");
    std::fs::write(&overlap, "ad_id,impressions,clicks,conversions,date\n1,1000,30,3,2026-11-01\n1,500,9,0,2026-11-03\n").unwrap();
    let s = run(&sb, "performance", &p, &[overlap.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!((u(&s, "rows_imported"), u(&s, "rows_rejected")), (1, 1));
    assert!(s["errors"][0]["reason"].as_str().unwrap().contains("variant 1 on 2026-11-01 is already counted (report.csv, line 2)"), "{s}");

    let missing = sb.path("nope.csv");
    run(&sb, "performance", &p, &[missing.to_str().unwrap()]).code(1).stderr_has(&["error[not_found]", "nope.csv"]);
    let headerless = sb.path("headerless.csv");
    std::fs::write(&headerless, "1,10,1,0\n").unwrap();
    run(&sb, "performance", &p, &[headerless.to_str().unwrap()]).code(1).stderr_has(&["error[invalid_input]", "headerless.csv", "required column"]);
}

#[test]
fn the_dashboard_writes_every_chart_and_the_numbers_behind_it() {
    let sb = Sandbox::new();
    let p = demo_project(&sb);
    run(&sb, "performance", &p, &[fixture("performance/report.csv").to_str().unwrap()]).ok();
    let ope = sb.run(&["ope", "--logs", fixture("ope/tiny_logs.csv").to_str().unwrap(), "--policy", "uniform", "--project", p.to_str().unwrap(), "--campaign", "1", "--json"]).ok().json();
    assert_eq!(ope["stored"].as_array().map(Vec::len), Some(3));
    sb.run(&["ope", "--logs", fixture("ope/tiny_logs.csv").to_str().unwrap(), "--policy", "uniform", "--campaign", "1"]).code(2);

    let out = sb.path("dash");
    let d = run(&sb, "dashboard", &p, &["--lang", "en", "--out", out.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(d["campaign_id"], 1);
    // `studio demo` runs the app's simulator and stores its run: the dashboard shows it, and its
    // simulated figures are that run's (every impression of the run is in some cell).
    let sim = &d["run"];
    assert_eq!((sim["name"].as_str(), sim["status"].as_str(), sim["policy"].as_str(), sim["served"].as_u64()), (Some("Demo run"), Some("done"), Some("thompson"), Some(50_000)), "{sim}");
    assert_eq!(d["lift"]["run_id"], sim["id"], "the lift is the demo run's");
    assert_eq!(d["lift"]["simulated"], true);
    let cells: Vec<&serde_json::Value> = d["rows"].as_array().unwrap().iter().map(|r| &r["simulated"]).filter(|c| !c.is_null()).collect();
    assert!(!cells.is_empty());
    assert_eq!(cells.iter().map(|c| u(c, "impressions")).sum::<u64>(), 50_000, "the cells add up to the run");
    assert!(cells.iter().all(|c| u(c, "clicks") <= u(c, "impressions")));
    assert_eq!((u(&d["approval"], "approved"), u(&d["approval"], "total")), (7, 7));
    let rows = d["rows"].as_array().unwrap();
    let v2 = rows.iter().find(|r| r["variant_id"] == 2 && !r["real"].is_null()).unwrap();
    assert_eq!((u(&v2["real"], "impressions"), u(&v2["real"], "clicks"), u(&v2["real"], "conversions")), (3000, 70, 7));
    assert!((v2["real"]["ctr"].as_f64().unwrap() - 70.0 / 3000.0).abs() < 1e-12);
    assert!((v2["real"]["cvr"].as_f64().unwrap() - 0.1).abs() < 1e-12);
    assert_eq!(rows.iter().find(|r| r["variant_id"] == 3 && !r["real"].is_null()).map(|r| u(&r["real"], "impressions")), Some(500), "named by its export stem");
    assert_eq!(d["ope"].as_array().map(Vec::len), Some(3));
    assert_eq!(d["files"].as_array().map(Vec::len), Some(12));
    for kind in ["ctr", "approval", "lift", "ope"] {
        let png = std::fs::read(out.join(format!("dashboard_{kind}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{kind}");
        let svg = std::fs::read_to_string(out.join(format!("dashboard_{kind}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{kind}");
    }
    let svg = std::fs::read_to_string(out.join("dashboard_approval.svg")).unwrap();
    assert!(svg.contains("Approval progress") && svg.contains("Approved · 7"));
    let ope = std::fs::read_to_string(out.join("dashboard_ope.svg")).unwrap();
    assert!(ope.contains("Off-policy estimates") && ope.contains("uniform · DR · tiny_logs.csv"), "{ope}");
    let csv = parse_csv(&std::fs::read_to_string(out.join("dashboard_ctr.csv")).unwrap());
    assert_eq!(csv[0][6], "simulated");
    let real: Vec<&Vec<String>> = csv[1..].iter().filter(|r| r.len() > 6 && r[6] == "false").collect();
    assert_eq!(real.len(), 3);
    assert_eq!(real[0][3..11], ["1", "true", "approved", "false", "1000", "30", "3", "0.03"]);

    let zh = sb.path("dash-zh");
    run(&sb, "dashboard", &p, &["--out", zh.to_str().unwrap()]).ok();
    let svg = std::fs::read_to_string(zh.join("dashboard_approval.svg")).unwrap();
    assert!(svg.contains("审批进度") && svg.contains("已批准 · 7"));
    let lift = std::fs::read_to_string(zh.join("dashboard_lift.svg")).unwrap();
    assert!(lift.contains("模拟提升") && lift.contains("SIMULATED"));
    run(&sb, "dashboard", &p, &["--lang", "fr"]).code(1).stderr_has(&["error[invalid_input]", "--lang"]);
    sb.run(&["dashboard", "--project", p.to_str().unwrap(), "--campaign", "99"]).code(1).stderr_has(&["error[not_found]", "campaign 99"]);
}

#[test]
fn performance_reports_are_listed_and_removed_as_a_marketer_with_an_audit_row() {
    let sb = Sandbox::new();
    let p = demo_project(&sb);
    let good = fixture("performance/report.csv");
    let imported = run(&sb, "performance", &p, &[good.to_str().unwrap(), "--json"]).ok().json();
    let id = u(&imported, "report_id").to_string();
    let listed = run(&sb, "performance", &p, &["--list", "--json"]).ok().json();
    assert_eq!(
        listed.as_array().map(|a| a.iter().map(|r| (u(r, "id"), r["file_name"].as_str().unwrap().to_string())).collect::<Vec<_>>()),
        Some(vec![(u(&imported, "report_id"), "report.csv".to_string())])
    );
    assert!(run(&sb, "performance", &p, &["--list"]).ok().stdout.contains("report.csv"));

    let project = p.to_str().unwrap();
    sb.run(&["performance", "--project", project, "--remove", &id]).code(1).stderr_has(&["error[forbidden]", "--as"]);
    sb.run(&["performance", "--project", project, "--remove", &id, "--as", "demo-reviewer"]).code(1).stderr_has(&["error[forbidden]", "demo-reviewer"]);
    sb.run(&["performance", "--project", project, "--remove", "999", "--as", "demo-marketer"]).code(1).stderr_has(&["error[not_found]", "999"]);
    sb.run(&["performance", "--project", project, "--campaign", "1", good.to_str().unwrap(), "--list"]).code(2);
    assert_eq!(count(&p, "performance_rows"), 4, "refusals change nothing");

    let removed = sb.run(&["performance", "--project", project, "--remove", &id, "--as", "demo-marketer", "--json"]).ok().json();
    assert_eq!((u(&removed, "rows_removed"), removed["report"]["file_name"].as_str()), (4, Some("report.csv")));
    assert_eq!((count(&p, "performance_reports"), count(&p, "performance_rows")), (0, 0));
    let audit = sb.run(&["audit", "--project", project, "--format", "json"]).ok().json();
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["action"].as_str(), last["actor"].as_str(), last["entity"].as_str()), (Some("remove_report"), Some("demo-marketer"), Some("campaign")), "{last}");
    // The removed report can be imported again.
    let again = run(&sb, "performance", &p, &[good.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(again["already_imported"], false);
}
