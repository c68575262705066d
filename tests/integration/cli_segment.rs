//! `studio segment` and `studio info`.

use serde_json::Value;

use crate::support::{count, u, Sandbox};

fn sizes(v: &Value) -> Vec<u64> {
    v["segments"].as_array().expect("segments").iter().map(|s| u(s, "size")).collect()
}

#[test]
fn segment_fixed_k_on_the_demo_store_is_complete_named_and_reproducible() {
    let sb = Sandbox::new();
    let project = sb.path("demo.studio");
    sb.run(&["demo".as_ref(), "--project".as_ref(), project.as_os_str(), "--out".as_ref(), sb.path("out").as_os_str()]).ok();

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
