//! `studio ope`: off-policy evaluation of logged bandit feedback (Open Bandit Dataset format).

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::support::{fixture, plain, repo, u, Sandbox, STUDIO};

/// An Open Bandit sample (`fixtures/data/open-bandit/{name}/all.csv.gz`) as plain CSV.
fn obd(name: &str) -> PathBuf {
    plain(&format!("open-bandit/{name}/all.csv"))
}

fn estimate<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["estimates"].as_array().expect("estimates").iter().find(|e| e["estimator"] == name).unwrap_or_else(|| panic!("{name} in {v}"))
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("{key} is not a number in {v}"))
}

fn ope(sb: &Sandbox, logs: &PathBuf, policy: &str, extra: &[&str]) -> crate::support::Output {
    let mut args: Vec<std::ffi::OsString> = vec!["ope".into(), "--logs".into(), logs.into(), "--policy".into(), policy.into()];
    args.extend(extra.iter().map(Into::into));
    sb.run(&args)
}

#[test]
fn ope_uniform_on_the_uniformly_logged_sample_is_the_mean_click_rate() {
    let sb = Sandbox::new();
    let v = ope(&sb, &obd("random"), "uniform", &["--json"]).ok().json();
    assert_eq!((u(&v, "rows"), u(&v, "clicks"), u(&v, "n_items"), u(&v, "n_positions"), u(&v, "position_base")), (10_000, 38, 80, 3, 1));
    // Logged uniformly (pscore 1/80) and evaluated uniformly: every weight is exactly 1.
    assert_eq!(f(&v, "on_policy_value"), 0.0038);
    for name in ["ipw", "snipw"] {
        let e = estimate(&v, name);
        assert_eq!(f(e, "value"), 0.0038, "{e}");
        assert_eq!(f(e, "effective_sample_size"), 10_000.0);
    }
    for name in ["ipw", "snipw", "dr"] {
        let e = estimate(&v, name);
        assert!(f(e, "ci_lower") <= f(e, "value") && f(e, "value") <= f(e, "ci_upper"), "{e}");
        assert_eq!(f(e, "mean_weight"), 1.0);
    }
    // obp 0.5.7's IPW interval on this file (n_bootstrap_samples=100, random_state=12345).
    assert_eq!(f(estimate(&v, "ipw"), "ci_lower"), 0.0026475);
    assert!((f(estimate(&v, "ipw"), "ci_upper") - 0.005157499999999997).abs() <= 1e-15);
    assert_eq!((u(&v, "n_bootstrap"), u(&v, "seed")), (100, 12345));
}

// Values recorded from obp 0.5.7 (tests/ope/compare_obp.py, which checks every number).
#[test]
fn ope_on_the_bts_sample_with_a_policy_file_equals_obp() {
    let sb = Sandbox::new();
    let policy = fixture("ope/policy_80x3.csv");
    let out = ope(&sb, &obd("bts"), policy.to_str().unwrap(), &["--json"]);
    let v = out.ok().json();
    assert_eq!((u(&v, "rows"), u(&v, "clicks")), (10_000, 42));
    for (name, obp) in [("ipw", 0.0019194706690519598), ("snipw", 0.0015773742872583893), ("dr", 0.00271399124158621)] {
        let e = estimate(&v, name);
        assert!((f(e, "value") - obp).abs() <= 1e-12, "{name}: {} vs obp {obp}", f(e, "value"));
        assert!(f(e, "ci_lower") < f(e, "value") && f(e, "value") < f(e, "ci_upper"), "{e}");
        assert!(f(e, "effective_sample_size") < 10_000.0, "BTS propensities vary: {e}");
    }
    let again = ope(&sb, &obd("bts"), policy.to_str().unwrap(), &["--json"]).ok().json();
    assert_eq!(again["estimates"], v["estimates"], "same seed, same numbers");
    let other = ope(&sb, &obd("bts"), policy.to_str().unwrap(), &["--json", "--seed", "7", "--bootstrap", "50", "--alpha", "0.1"]).ok().json();
    assert_eq!(estimate(&other, "dr")["value"], estimate(&v, "dr")["value"]);
    assert_ne!(estimate(&other, "dr")["ci_lower"], estimate(&v, "dr")["ci_lower"]);

    // best-item and the human table.
    let human = ope(&sb, &obd("bts"), "best-item", &[]);
    human.ok();
    for needle in ["10000 rows, 42 clicks", "best-item", "ipw", "snipw", "dr", "95% low", "ESS"] {
        assert!(human.stdout.contains(needle), "{needle:?} in\n{human}");
    }
}

// Four hand-made rows (see src-tauri/core/src/ope/tests.rs for the arithmetic):
// IPW 0.9, SNIPW 27/35, DR 11/15.
#[test]
fn ope_on_tiny_hand_made_logs_gives_the_closed_forms() {
    let sb = Sandbox::new();
    let v = ope(&sb, &fixture("ope/tiny_logs.csv"), fixture("ope/tiny_policy.csv").to_str().unwrap(), &["--json"]).ok().json();
    for (name, want) in [("ipw", 0.9), ("snipw", 27.0 / 35.0), ("dr", 11.0 / 15.0)] {
        assert!((f(estimate(&v, name), "value") - want).abs() <= 1e-12, "{name}: {v}");
    }
    assert_eq!(f(&v["reward_model"], "prior"), 0.5);
}

#[test]
fn ope_bad_inputs_exit_1_naming_file_and_line_and_bad_flags_exit_2() {
    let sb = Sandbox::new();
    let header = ",timestamp,item_id,position,click,propensity_score\n";
    let bad_p = sb.path("bad_pscore.csv");
    std::fs::write(&bad_p, format!("{header}0,t,0,1,1,0.5\n1,t,1,1,0,0\n")).unwrap();
    let out = ope(&sb, &bad_p, "uniform", &["--json"]);
    out.code(1).stderr_has(&["error[invalid_input]", "bad_pscore.csv", "line 3", "propensity_score"]);
    assert!(out.stdout.is_empty(), "{out}");

    let no_cols = sb.path("no_cols.csv");
    std::fs::write(&no_cols, ",item_id,position\n0,1,1\n").unwrap();
    ope(&sb, &no_cols, "uniform", &[]).code(1).stderr_has(&["no_cols.csv", "line 1", "click, propensity_score"]);

    let policy = sb.path("policy.csv");
    std::fs::write(&policy, "item_id,position,probability\n0,1,0.5\n99,1,0.5\n").unwrap();
    let logs = fixture("ope/tiny_logs.csv");
    ope(&sb, &logs, policy.to_str().unwrap(), &[]).code(1).stderr_has(&["error[invalid_input]", "policy.csv", "line 3", "item 99"]);
    std::fs::write(&policy, "item_id,position,probability\n0,1,0.5\n1,1,0.4\n0,2,1\n").unwrap();
    ope(&sb, &logs, policy.to_str().unwrap(), &[]).code(1).stderr_has(&["policy.csv", "line 3", "sum to 0.9"]);

    ope(&sb, &sb.path("missing.csv"), "uniform", &[]).code(1).stderr_has(&["error[not_found]", "missing.csv"]);
    ope(&sb, &logs, "no-such-policy.csv", &[]).code(1).stderr_has(&["error[not_found]", "no-such-policy.csv", "`best-item`"]);
    ope(&sb, &logs, "uniform", &["--alpha", "1.5"]).code(1).stderr_has(&["error[invalid_input]", "alpha"]);
    ope(&sb, &logs, "uniform", &["--bootstrap", "0"]).code(1).stderr_has(&["error[invalid_input]", "bootstrap"]);
    ope(&sb, &logs, "uniform", &["--seed", "-1"]).code(2);
    sb.run(&["ope", "--logs", "x.csv"]).code(2).stderr_has(&["--policy"]);
}

/// The comparison script: against obp where it is installed (`$OPE_PYTHON`, else `python3`),
/// and always against its numpy transcription of obp's formulas; each skips (exit 0, "SKIP")
/// when its library is missing.
#[test]
fn ope_matches_obp_or_its_numpy_transcription() {
    let script = repo().join("tests/ope/compare_obp.py");
    let python = std::env::var("OPE_PYTHON").unwrap_or_else(|_| "python3".into());
    for (interpreter, mode) in [("python3", Some("--numpy")), (python.as_str(), None)] {
        let mut cmd = Command::new(interpreter);
        cmd.arg(&script).args(["--studio", STUDIO]).args(mode);
        let out = match cmd.output() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("SKIP: {interpreter} not available ({e})");
                continue;
            }
        };
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "compare_obp.py {mode:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("— OK") || stdout.starts_with("SKIP"), "{stdout}");
        eprintln!("{}", stdout.lines().last().unwrap_or(""));
    }
}
