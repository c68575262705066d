//! `studio segment` and `studio info`.

use serde_json::Value;

use crate::support::{count, parse_csv, query_i64, u, Sandbox};

fn sizes(v: &Value) -> Vec<u64> {
    v["segments"].as_array().expect("segments").iter().map(|s| u(s, "size")).collect()
}

#[test]
fn segment_fixed_k_on_the_demo_store_is_complete_named_and_reproducible() {
    let sb = Sandbox::new();
    let project = sb.path("demo.studio");
    crate::support::demo_at(&project, &sb.path("out"));

    let args = ["segment".as_ref(), "--project".as_ref(), project.as_os_str(), "--k".as_ref(), "4".as_ref(), "--seed".as_ref(), "7".as_ref(), "--json".as_ref()];
    let v = sb.run(&args).ok().json();
    let segs = v["segments"].as_array().expect("segments");
    assert!(!segs.is_empty() && segs.len() <= 4, "1..=4 segments (small ones may merge): {}", segs.len());
    assert_eq!(u(&v, "k") as usize, segs.len(), "k reports the segments kept");
    assert_eq!(u(&v, "seed"), 7);
    let users = u(&v, "users");
    assert!(users > 0);
    assert_eq!(sizes(&v).iter().sum::<u64>(), users, "every user is in exactly one segment");
    let mut share = 0.0;
    for s in segs {
        assert!(u(s, "size") > 0, "{s}");
        assert!(!s["name_en"].as_str().unwrap_or("").trim().is_empty(), "English name: {s}");
        let zh = s["name_zh"].as_str().unwrap_or("");
        assert!(!zh.trim().is_empty(), "Chinese name: {s}");
        assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "name_zh is Chinese: {zh:?}");
        share += s["share"].as_f64().expect("share");
    }
    assert!((share - 1.0).abs() < 1e-9, "shares sum to 1: {share}");

    // Same seed, same data → same segmentation.
    let again = sb.run(&args).ok().json();
    assert_eq!(sizes(&again), sizes(&v));
    assert_eq!(again["users"], v["users"]);

    // info reports the project's totals, including the latest segments.
    let info = sb.run(&["info".as_ref(), "--project".as_ref(), project.as_os_str(), "--json".as_ref()]).ok().json();
    assert_eq!(u(&info, "users"), users);
    assert_eq!(u(&info, "segments") as usize, segs.len());
    assert_eq!(u(&info, "events") as i64, count(&project, "events"));
    assert_eq!(u(&info, "campaigns"), 1);
}

#[test]
fn segment_rejects_bad_k_before_touching_the_project() {
    let sb = Sandbox::new();
    for k in ["banana", "1", "21"] {
        let out = sb.run(&["segment", "--project", "p.studio", "--k", k, "--json"]);
        out.code(1).stderr_has(&["error[invalid_input]", "k"]);
        assert!(out.stdout.is_empty(), "{out}");
    }
    let out = sb.run(&["segment", "--project", "p.studio", "--k", "banana"]);
    out.stderr_has(&["banana"]);
    assert!(!sb.path("p.studio").exists(), "bad arguments create no project");
    // Unknown flags are clap usage errors.
    sb.run(&["segment", "--project", "p.studio", "--clusters", "4"]).code(2).stderr_has(&["--clusters"]);
}

#[test]
fn info_on_a_missing_project_is_not_found() {
    let sb = Sandbox::new();
    let out = sb.run(&["info", "--project", "missing.studio", "--json"]);
    out.code(1).stderr_has(&["error[not_found]", "missing.studio"]);
    assert!(out.stdout.is_empty(), "{out}");
    assert!(!sb.path("missing.studio").exists(), "info must not create a project");
}

#[test]
fn segment_reports_silhouette_prediction_against_popularity_and_stability_across_seeds() {
    let sb = Sandbox::new();
    let project = sb.path("demo.studio");
    crate::support::demo_at(&project, &sb.path("out"));
    let v = sb.run(&["segment".as_ref(), "--project".as_ref(), project.as_os_str(), "--ari".as_ref(), "--json".as_ref()]).ok().json();
    let tried: Vec<u64> = v["silhouette"].as_array().expect("silhouette").iter().map(|p| p[0].as_u64().unwrap()).collect();
    assert_eq!(tried, (3..=8).collect::<Vec<_>>(), "auto k tries 3..=8");
    assert!(sizes(&v).iter().all(|&s| s >= 50), "no segment under the 50-user minimum: {:?}", sizes(&v));
    let p = &v["prediction"];
    let f = |k: &str| p[k].as_f64().unwrap_or_else(|| panic!("{k} in {p}"));
    assert!(f("auc") > f("baseline_auc"), "the model beats popularity on planted interests: {p}");
    assert!(f("precision_at_3") > f("baseline_precision_at_3"), "{p}");
    assert!(p["cut_train"].as_i64() < p["cut_test"].as_i64());
    assert!(query_i64(&project, "SELECT count(DISTINCT user_id) FROM user_interests") > 0, "top interests stored");
    let s = &v["stability"];
    assert_eq!(s["seeds"].as_array().unwrap().len(), 5);
    let mean = s["mean_ari"].as_f64().unwrap();
    assert!((-1.0..=1.0).contains(&mean) && mean > 0.8, "demo personas are stable across seeds: {s}");
}

#[test]
fn features_export_writes_one_row_per_user_with_a_header() {
    let sb = Sandbox::new();
    let project = sb.path("demo.studio");
    crate::support::demo_at(&project, &sb.path("out"));
    let csv = sb.path("features.csv");
    sb.run(&["features".as_ref(), "--project".as_ref(), project.as_os_str(), "--export".as_ref(), csv.as_os_str()]).ok();
    let rows = parse_csv(&std::fs::read_to_string(&csv).unwrap());
    assert_eq!(rows[0][0], "user_id");
    assert!(rows[0].iter().any(|c| c == "share_weekend") && rows[0].iter().any(|c| c.starts_with("affinity_")), "{:?}", rows[0]);
    assert_eq!(rows.len() as i64 - 1, query_i64(&project, "SELECT count(DISTINCT user_id) FROM events"));
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    let out = sb.run(&["features".as_ref(), "--project".as_ref(), project.as_os_str(), "--export".as_ref(), csv.as_os_str(), "--half-life".as_ref(), "0".as_ref()]);
    out.code(1).stderr_has(&["half-life"]);
}

#[test]
fn segment_on_the_rees46_sample_keeps_the_minimum_and_explains_the_missing_prediction() {
    let sb = Sandbox::new();
    let project = sb.path("r.studio");
    sb.run(&["import".as_ref(), "--project".as_ref(), project.as_os_str(), crate::support::rees46_sample().as_os_str(), "--json".as_ref()]).ok();
    let v = sb.run(&["segment".as_ref(), "--project".as_ref(), project.as_os_str(), "--seed".as_ref(), "1".as_ref(), "--json".as_ref()]).ok().json();
    let users = u(&v, "users");
    assert_eq!(users as i64, query_i64(&project, "SELECT count(DISTINCT user_id) FROM events"));
    assert!(sizes(&v).iter().all(|&s| s >= 50), "{:?}", sizes(&v));
    assert_eq!(sizes(&v).iter().sum::<u64>(), users);
    assert!(v["prediction"].is_null());
    assert!(v["prediction_note"].as_str().unwrap_or("").contains("days of events"), "{}", v["prediction_note"]);
}

/// The demo project has profiles, so renaming acts as one (`--as`; see cli_four_eyes for the gate).
#[test]
fn rename_segment_changes_both_names_and_refuses_bad_ones() {
    let sb = Sandbox::new();
    let project = sb.path("demo.studio");
    crate::support::demo_at(&project, &sb.path("out"));
    let v = sb.run(&["segment".as_ref(), "--project".as_ref(), project.as_os_str(), "--k".as_ref(), "4".as_ref(), "--json".as_ref()]).ok().json();
    let id = v["segments"][0]["id"].as_i64().unwrap().to_string();
    let r = sb
        .run(&[
            "rename-segment".as_ref(),
            "--project".as_ref(),
            project.as_os_str(),
            "--as".as_ref(),
            "demo-marketer".as_ref(),
            "--segment".as_ref(),
            id.as_ref(),
            "--en".as_ref(),
            "Night owls".as_ref(),
            "--zh".as_ref(),
            "夜猫子".as_ref(),
            "--json".as_ref(),
        ])
        .ok()
        .json();
    assert_eq!((r["name_en"].as_str(), r["name_zh"].as_str()), (Some("Night owls"), Some("夜猫子")));
    assert_eq!(query_i64(&project, &format!("SELECT count(*) FROM segments WHERE id = {id} AND name_zh = '夜猫子'")), 1);
    let out = sb.run(&[
        "rename-segment".as_ref(),
        "--project".as_ref(),
        project.as_os_str(),
        "--as".as_ref(),
        "demo-marketer".as_ref(),
        "--segment".as_ref(),
        "99999".as_ref(),
        "--en".as_ref(),
        "X".as_ref(),
        "--zh".as_ref(),
        "Y".as_ref(),
    ]);
    out.code(1).stderr_has(&["error[not_found]", "99999"]);
    let out = sb.run(&[
        "rename-segment".as_ref(),
        "--project".as_ref(),
        project.as_os_str(),
        "--as".as_ref(),
        "demo-marketer".as_ref(),
        "--segment".as_ref(),
        id.as_ref(),
        "--en".as_ref(),
        " ".as_ref(),
        "--zh".as_ref(),
        "Y".as_ref(),
    ]);
    out.code(1).stderr_has(&["error[invalid_input]", "English name"]);
}
