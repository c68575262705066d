//! `make bench` (cargo bench --bench ope): off-policy evaluation against obp in the same run.
//!
//! On both 10,000-row Open Bandit samples (`fixtures/data/open-bandit/{random,bts}/all.csv.gz`,
//! decompressed to cargo's scratch dir first: `studio ope` and obp read plain CSV),
//! with the hand-made policy `fixtures/ope/policy_80x3.csv`, IPW + SNIPW + DR each with a
//! 100-replicate bootstrap interval (α 0.05, seed 12345):
//!
//! - studio, in process (`studio_core::ope`), best of 5: *estimate* = fit the reward model,
//!   resolve the policy, all estimators and intervals; *end to end* = also read the CSV.
//! - obp 0.5.7 via `tests/ope/compare_obp.py --bench` (best of 5): *estimate* = reward model,
//!   policy table, obp's per-row arrays, then obp's three `estimate_policy_value` +
//!   `estimate_interval`; *end to end* = also `pandas.read_csv`. Skipped with a message when
//!   obp is not installed, unless `OPE_REQUIRE_OBP` is set (then that fails the bench). The
//!   interpreter is `$OPE_PYTHON` (default `python3`): obp 0.5.7 pins Python < 3.11, so it lives
//!   in its own virtual environment; `make bench` makes it (`make obp`) and sets both variables.
//!
//! Prints both times and the ratios (goal: studio ≥ 20× faster on the estimate), and checks
//! that both sides computed the same estimates.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use studio_core::ope::{self, EvalPolicy, Logs, OpeParams, PolicySpec, RewardModel};

#[path = "../integration/fixture_data.rs"]
mod fixture_data;

const RUNS: usize = 5;

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        last = Some(v);
    }
    (best, last.expect("at least one run"))
}

/// Why the obp side of the benchmark has no timings (printed, and the bench goes on).
struct ObpSkipped(String);

impl std::fmt::Display for ObpSkipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// obp's timings for one file, or why there are none.
fn obp(python: &str, script: &Path, logs: &Path, policy: &Path) -> Result<serde_json::Value, ObpSkipped> {
    let out = Command::new(python)
        .arg(script)
        .args(["--bench", "--repeat", &RUNS.to_string(), "--bootstrap", "100", "--alpha", "0.05", "--seed", "12345"])
        .arg("--logs")
        .arg(logs)
        .arg("--policy")
        .arg(policy)
        .output()
        .map_err(|e| ObpSkipped(format!("cannot run {python}: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(ObpSkipped(format!("obp side failed: {}", String::from_utf8_lossy(&out.stderr))));
    }
    if let Some(skip) = stdout.lines().find(|l| l.starts_with("SKIP")) {
        return Err(ObpSkipped(format!("{skip} — set OPE_PYTHON to an interpreter that has it")));
    }
    serde_json::from_str(stdout.trim()).map_err(|e| ObpSkipped(format!("obp side printed no JSON ({e}): {stdout}")))
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("tests/ope/compare_obp.py");
    let policy_file = root.join("fixtures/ope/policy_80x3.csv");
    let python = std::env::var("OPE_PYTHON").unwrap_or_else(|_| "python3".into());
    let params = OpeParams::default().check().expect("default params");
    let spec = PolicySpec::File(policy_file.clone());
    println!("OPE: IPW + SNIPW + DR, {} bootstrap samples each (alpha {}, seed {}), policy {}", params.n_bootstrap, params.alpha, params.seed, policy_file.display());
    for name in ["random", "bts"] {
        let logs_path = fixture_data::plain(&format!("open-bandit/{name}/all.csv"));
        let logs = Logs::read(&logs_path).expect("logs");
        let (read_s, _) = best_of(RUNS, || Logs::read(&logs_path).expect("logs"));
        let (est_s, report) = best_of(RUNS, || {
            let model = RewardModel::fit(&logs);
            let policy = EvalPolicy::resolve(&spec, &logs, &model).expect("policy");
            ope::evaluate(&logs, &model, &policy, &params).expect("evaluate")
        });
        let (e2e_s, _) = best_of(RUNS, || ope::evaluate_file(&logs_path, &spec, &params).expect("evaluate_file"));
        println!("{name} ({} rows): studio estimate {:.2} ms, end to end {:.2} ms (read {:.2} ms), best of {RUNS}", logs.len(), est_s * 1e3, e2e_s * 1e3, read_s * 1e3);
        let rounds = {
            let model = RewardModel::fit(&logs);
            ope::estimators::round_rewards(&logs, &model, &EvalPolicy::resolve(&spec, &logs, &model).expect("policy"))
        };
        let (boot_s, _) = best_of(RUNS, || ope::estimators::bootstrap(&rounds.rows, params.n_bootstrap, params.seed));
        let mut idx = vec![0u32; logs.len()];
        let (draw_s, _) = best_of(RUNS, || {
            let mut rng = ope::mt19937::Mt19937::new(params.seed);
            for _ in 0..params.n_bootstrap {
                rng.fill_bounded(logs.len() as u32 - 1, &mut idx);
            }
        });
        println!("{name}: of which bootstrap {:.2} ms ({:.2} ms drawing indices)", boot_s * 1e3, draw_s * 1e3);
        match obp(&python, &script, &logs_path, &policy_file) {
            // `make bench` provides obp (`make obp`) and sets OPE_REQUIRE_OBP: no silent skip there.
            Err(why) if std::env::var_os("OPE_REQUIRE_OBP").is_some() => panic!("{name}: obp side failed and OPE_REQUIRE_OBP is set: {why}"),
            Err(why) => println!("{name}: obp side skipped: {why}"),
            Ok(v) => {
                let s = &v["seconds"];
                let f = |k: &str| s[k].as_f64().unwrap_or(f64::NAN);
                let (obp_est, obp_e2e) = (f("prepare") + f("estimators"), f("load") + f("prepare") + f("estimators"));
                println!(
                    "{name}: obp estimate {:.2} ms (estimators alone {:.2} ms), end to end {:.2} ms (read {:.2} ms), best of {RUNS}",
                    obp_est * 1e3,
                    f("estimators") * 1e3,
                    obp_e2e * 1e3,
                    f("load") * 1e3
                );
                println!(
                    "{name}: studio is {:.1}x faster on the estimate (goal >= 20x; {:.1}x vs obp's estimators alone), {:.1}x end to end",
                    obp_est / est_s,
                    f("estimators") / est_s,
                    obp_e2e / e2e_s
                );
                for e in &report.estimates {
                    let theirs = v["estimates"][e.estimator.as_str()].as_f64().unwrap_or(f64::NAN);
                    assert!((theirs - e.value).abs() <= 1e-9, "{name} {}: studio {} vs obp {theirs}", e.estimator.as_str(), e.value);
                }
            }
        }
    }
}
