//! `studio simulate run|list|show|compare`: the Simulation screen, headless. Runs are stored
//! like the screen stores them (the demo's own run is listed too), `--json` carries the overall
//! CTR, per-segment CTRs with intervals, the lift over the generic control, the decision budget
//! and the model's name; bad input is `invalid_input` naming the flag, unknown ids `not_found`.

use serde_json::Value;

use crate::support::{count, u, Sandbox};

fn demo_project(sb: &Sandbox) -> std::path::PathBuf {
    let p = sb.path("demo.studio");
    let out = sb.path("export");
    crate::support::demo_at(&p, &out);
    p
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[test]
fn simulate_runs_lists_shows_and_compares_stored_runs() {
    let sb = Sandbox::new();
    let p = demo_project(&sb);
    let ps = p.to_str().unwrap();
    let before = count(&p, "simulation_runs");
    let run = |policy: &str| sb.run(&["simulate", "run", "--project", ps, "--campaign", "1", "--policy", policy, "--impressions", "200000", "--seed", "4", "--json"]).ok().json();
    let t = run("thompson");
    let s = &t["summary"];
    assert_eq!((s["record"]["status"].as_str(), u(&s["record"], "served"), s["record"]["policy"].as_str()), (Some("done"), 200_000, Some("thompson")));
    assert_eq!((t["model"].as_str(), s["record"]["model"].as_str(), t["simulated"].as_bool()), (Some("calibrated-obd-v1"), Some("calibrated-obd-v1"), Some(true)));
    let ctr = f(s, "ctr");
    assert!((0.002..0.008).contains(&ctr), "display-like CTR, not 5–20 %: {ctr}");
    assert!((f(s, "uniform_ctr") - 0.0038).abs() < 0.0008, "the uniform split sits at the logged rate: {s}");
    assert_eq!(count(&p, "simulation_runs"), before + 1, "stored like the screen's runs");
    let segs = t["segments"].as_array().unwrap();
    assert!(!segs.is_empty());
    assert_eq!(segs.iter().map(|g| u(g, "impressions")).sum::<u64>(), 200_000);
    assert!(segs.iter().all(|g| f(g, "low") <= f(g, "ctr") + 1e-9 && f(g, "ctr") <= f(g, "high") + 1e-9), "{segs:?}");
    assert_eq!(t["lift"]["generic"], 0, "lift over the generic control (variant 0)");
    let budget = &t["budget"];
    assert!(u(&budget["rows"][0], "per_arm") > 100_000, "at 0.4 % a +10 % lift needs hundreds of thousands per arm: {budget}");
    // each segment decides among its own variants and the control only
    let arms = t["report"]["arms"].as_array().unwrap().len();
    for seg in t["report"]["segments"].as_array().unwrap() {
        let n = seg["decision"]["arms"].as_array().unwrap().len();
        assert!(n >= 2 && n < arms, "{n} of {arms}");
    }

    let id = u(&s["record"], "id");
    let uniform = run("uniform");
    let uid = u(&uniform["summary"]["record"], "id");
    let shown = sb.run(&["simulate", "show", "--project", ps, "--run", &id.to_string(), "--json"]).ok().json();
    assert_eq!(shown["summary"], t["summary"], "show reads back what run stored");
    let list = sb.run(&["simulate", "list", "--project", ps, "--campaign", "1", "--json"]).ok().json();
    let ids: Vec<u64> = list.as_array().unwrap().iter().map(|r| u(&r["record"], "id")).collect();
    assert!(ids.ends_with(&[id, uid]) && ids.len() as i64 == before + 2, "{ids:?}");
    let cmp = sb.run(&["simulate", "compare", "--project", ps, "--runs", &format!("{id},{uid}"), "--json"]).ok().json();
    let runs = cmp["runs"].as_array().unwrap();
    assert_eq!(runs.iter().map(|r| r["record"]["policy"].as_str().unwrap()).collect::<Vec<_>>(), ["thompson", "uniform"]);
    assert!(runs.iter().all(|r| r["ctr"].is_f64()));
    // Human text says what is simulated and names the model.
    let text = sb.run(&["simulate", "show", "--project", ps, "--run", &id.to_string()]).ok().stdout.clone();
    assert!(text.contains("(simulated)") && text.contains("calibrated-obd-v1") && text.contains("generic control"), "{text}");
    // A model file: the given fields replace the calibrated ones; the run is "custom".
    let model = sb.path("model.json");
    std::fs::write(&model, r#"{"affinity_weight": 1.5}"#).unwrap();
    let custom = sb.run(&["simulate", "run", "--project", ps, "--campaign", "1", "--impressions", "5000", "--model", model.to_str().unwrap(), "--json"]).ok().json();
    assert_eq!(custom["model"], "custom");
    assert_eq!(custom["summary"]["record"]["params"]["model"]["base_ctr"], 0.0038, "the calibration is kept");
}

#[test]
fn simulate_refuses_bad_input_naming_the_flag() {
    let sb = Sandbox::new();
    let p = demo_project(&sb);
    let ps = p.to_str().unwrap();
    let before = count(&p, "simulation_runs");
    let go = |extra: &[&str]| {
        let mut args = vec!["simulate", "run", "--project", ps, "--campaign", "1", "--impressions", "1000"];
        args.extend(extra);
        sb.run(&args)
    };
    go(&["--policy", "greedy"]).code(1).stderr_has(&["error[invalid_input]", "--policy", "greedy", "thompson"]);
    sb.run(&["simulate", "run", "--project", ps, "--campaign", "1", "--impressions", "0"]).code(1).stderr_has(&["error[invalid_input]", "--impressions"]);
    go(&["--policy", "egreedy", "--epsilon", "2"]).code(1).stderr_has(&["error[invalid_input]", "--epsilon", "policy.epsilon"]);
    let bad = sb.path("bad.json");
    std::fs::write(&bad, "{\"max_ctr\": 2}").unwrap();
    go(&["--model", bad.to_str().unwrap()]).code(1).stderr_has(&["error[invalid_input]", "--model", "model.max_ctr"]);
    std::fs::write(&bad, "{\"affinity\": 1}").unwrap();
    go(&["--model", bad.to_str().unwrap()]).code(1).stderr_has(&["error[invalid_input]", "--model", "bad.json", "unknown model field `affinity`"]);
    std::fs::write(&bad, "{oops").unwrap();
    go(&["--model", bad.to_str().unwrap()]).code(1).stderr_has(&["error[invalid_input]", "bad.json", "line 1"]);
    sb.run(&["simulate", "run", "--project", ps, "--campaign", "999", "--impressions", "1000"]).code(1).stderr_has(&["error[not_found]", "999"]);
    sb.run(&["simulate", "show", "--project", ps, "--run", "4242"]).code(1).stderr_has(&["error[not_found]", "simulation run 4242 does not exist"]);
    sb.run(&["simulate", "compare", "--project", ps, "--runs", "1,4242"]).code(1).stderr_has(&["error[not_found]", "4242"]);
    sb.run(&["simulate", "show", "--project", ps]).code(2);
    assert_eq!(count(&p, "simulation_runs"), before, "refused runs store nothing");
    let missing = sb.path("nope.studio");
    sb.run(&["simulate", "list", "--project", missing.to_str().unwrap()]).code(1);
}
