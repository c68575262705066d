//! Closed-form values on tiny hand-made logs, one test per invariant, and input errors.

use std::io::Write;
use std::path::PathBuf;

use super::estimators::{round_rewards, Estimator};
use super::*;
use crate::error::{ErrorCode, HasCode};

#[track_caller]
fn close(got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-12, "got {got}, want {want}");
}

/// Four rows, items {0, 1}, positions {0, 1} (0-based):
///
/// | row | item | pos | click | pscore | π(item\|pos) | w = π / pscore |
/// |---|---|---|---|---|---|---|
/// | 0 | 0 | 0 | 1 | 0.5  | 0.8 | 1.6 |
/// | 1 | 1 | 0 | 0 | 0.5  | 0.2 | 0.4 |
/// | 2 | 1 | 1 | 1 | 0.25 | 0.5 | 2   |
/// | 3 | 0 | 1 | 0 | 0.75 | 0.5 | 2/3 |
fn four_rows() -> (Logs, EvalPolicy) {
    let logs = Logs::from_columns("four", vec![0, 1, 1, 0], vec![0, 0, 1, 1], vec![1.0, 0.0, 1.0, 0.0], vec![0.5, 0.5, 0.25, 0.75]).unwrap();
    let policy = EvalPolicy::from_table("pi", 2, 2, vec![0.8, 0.2, 0.5, 0.5]).unwrap();
    (logs, policy)
}

fn params(n_bootstrap: usize, seed: u32) -> ValidOpeParams {
    OpeParams { n_bootstrap, alpha: 0.05, seed }.check().unwrap()
}

fn report(logs: &Logs, policy: &EvalPolicy, p: &ValidOpeParams) -> OpeReport {
    evaluate(logs, &RewardModel::fit(logs), policy, p).unwrap()
}

fn value(r: &OpeReport, e: Estimator) -> &Estimate {
    r.estimates.iter().find(|x| x.estimator == e).unwrap()
}

// IPW   = (1·1.6 + 0·0.4 + 1·2 + 0·⅔) / 4 = 3.6 / 4 = 0.9
// SNIPW = 3.6 / Σw = 3.6 / (14/3) = 27/35
// q̂: prior = 2/4 = 0.5; each (item, pos) cell has 1 impression, so q̂ = (c + 0.5) / 2:
//   q̂(0,0) = 0.75, q̂(1,0) = 0.25, q̂(1,1) = 0.75, q̂(0,1) = 0.25
// DM term: pos 0: 0.8·0.75 + 0.2·0.25 = 0.65; pos 1: 0.5·0.25 + 0.5·0.75 = 0.5
// DR rows: 0.65 + 1.6·0.25 = 1.05; 0.65 − 0.4·0.25 = 0.55; 0.5 + 2·0.25 = 1; 0.5 − ⅔·0.25 = ⅓
// DR    = (1.05 + 0.55 + 1 + ⅓) / 4 = 11/15
// ESS   = (14/3)² / (1.6² + 0.4² + 2² + (⅔)²) = 3.0397022332506207
#[test]
fn estimators_equal_their_closed_forms_on_four_rows() {
    let (logs, policy) = four_rows();
    let model = RewardModel::fit(&logs);
    close(model.prior(), 0.5);
    close(model.q(0, 0), 0.75);
    close(model.q(0, 1), 0.25);
    let r = report(&logs, &policy, &params(10, 0));
    close(value(&r, Estimator::Ipw).value, 0.9);
    close(value(&r, Estimator::Snipw).value, 27.0 / 35.0);
    close(value(&r, Estimator::Dr).value, 11.0 / 15.0);
    close(value(&r, Estimator::Ipw).mean_weight, 7.0 / 6.0);
    close(value(&r, Estimator::Snipw).mean_weight, 1.0);
    close(value(&r, Estimator::Ipw).effective_sample_size, 3.0397022332506207);
    close(value(&r, Estimator::Snipw).effective_sample_size, 3.0397022332506207);
    close(r.on_policy_value, 0.5);
    assert_eq!((r.rows, r.clicks, r.n_items, r.n_positions), (4, 2, 2, 2));
}

// numpy, as obp's estimate_confidence_interval_by_bootstrap with random_state=0, 10 samples:
//   rs = np.random.RandomState(0); b = [np.mean(rs.choice(x, size=4)) for _ in range(10)]
//   np.percentile(b, 2.5), np.percentile(b, 97.5), np.mean(b)
// with x the round rewards above (IPW [1.6, 0, 2, 0], SNIPW those / (7/6), DR [1.05, 0.55, 1, ⅓]).
#[test]
fn bootstrap_intervals_equal_numpy_on_four_rows() {
    let (logs, policy) = four_rows();
    let r = report(&logs, &policy, &params(10, 0));
    let want = [
        (Estimator::Ipw, 0.09000000000000001, 1.3, 0.74),
        (Estimator::Snipw, 0.07714285714285715, 1.1142857142857143, 0.6342857142857142),
        (Estimator::Dr, 0.38583333333333336, 0.9003125000000001, 0.6845833333333333),
    ];
    for (e, lo, hi, mean) in want {
        let x = value(&r, e);
        close(x.ci_lower, lo);
        close(x.ci_upper, hi);
        close(x.bootstrap_mean, mean);
    }
}

/// A deterministic pseudo-random log: `n` rows, `items` items, `positions` positions,
/// propensities from `pscore(row)`, clicks with probability ~0.3.
fn synthetic(n: usize, items: u32, positions: u32, pscore: impl Fn(usize) -> f64) -> Logs {
    let mut g = mt19937::Mt19937::new(7);
    let mut next = |m: u32| g.next_u32() % m;
    let (mut a, mut k, mut r, mut p) = (vec![], vec![], vec![], vec![]);
    for i in 0..n {
        a.push(next(items));
        k.push(next(positions));
        r.push(if next(10) < 3 { 1.0 } else { 0.0 });
        p.push(pscore(i));
    }
    // Make sure the largest item and position occur, so the table sizes are `items × positions`.
    (a[0], k[0]) = (items - 1, positions - 1);
    Logs::from_columns("synthetic", a, k, r, p).unwrap()
}

#[test]
fn uniform_logging_and_uniform_target_make_ipw_the_mean_reward() {
    let logs = synthetic(1000, 5, 3, |_| 1.0 / 5.0);
    let r = report(&logs, &EvalPolicy::uniform(5, 3), &params(20, 1));
    assert_eq!(value(&r, Estimator::Ipw).value, r.on_policy_value, "every weight is exactly 1");
    assert_eq!(value(&r, Estimator::Snipw).value, r.on_policy_value);
    assert_eq!(value(&r, Estimator::Ipw).effective_sample_size, 1000.0);
}

#[test]
fn snipw_stays_within_the_reward_range() {
    let logs = synthetic(500, 4, 2, |i| [0.05, 0.3, 0.9, 0.5][i % 4]);
    let model = RewardModel::fit(&logs);
    for policy in [EvalPolicy::uniform(4, 2), EvalPolicy::best_item(&model), EvalPolicy::from_table("skew", 4, 2, vec![0.7, 0.1, 0.1, 0.1, 0.0, 0.0, 0.5, 0.5]).unwrap()] {
        let r = report(&logs, &policy, &params(50, 3));
        let s = value(&r, Estimator::Snipw);
        assert!((0.0..=1.0).contains(&s.value), "{}: {}", policy.name(), s.value);
        assert!(s.ci_lower >= 0.0 && s.ci_upper <= 1.0 + 1e-12, "{s:?}");
    }
}

// Clicks only ever happen for item 0 at position 0, and q̂ is exactly that (1 there, 0
// elsewhere): every residual r − q̂ is 0, so DR equals the direct method Σ_a π(a|k) q̂(a,k)
// averaged over the rows' positions: π(0|0) = 0.6 on rows at position 0, 0 at position 1.
#[test]
fn dr_equals_the_model_value_when_rewards_equal_the_model() {
    let (a, k) = (vec![0, 1, 0, 1, 0, 1], vec![0, 0, 0, 1, 1, 1]);
    let r: Vec<f64> = a.iter().zip(&k).map(|(&a, &k)| if (a, k) == (0, 0) { 1.0 } else { 0.0 }).collect();
    let logs = Logs::from_columns("exact", a, k, r, vec![0.5; 6]).unwrap();
    let model = RewardModel::from_values(2, 2, 1.0 / 3.0, vec![1.0, 0.0, 0.0, 0.0]).unwrap();
    let policy = EvalPolicy::from_table("pi", 2, 2, vec![0.6, 0.4, 0.3, 0.7]).unwrap();
    let r = evaluate(&logs, &model, &policy, &params(30, 5)).unwrap();
    // 3 rows at position 0 contribute 0.6 each, 3 at position 1 contribute 0.
    close(value(&r, Estimator::Dr).value, 3.0 * 0.6 / 6.0);
    let rr = round_rewards(&logs, &model, &policy);
    assert!(rr.rows.iter().zip(logs.position()).all(|(row, &k)| row[2] == if k == 0 { 0.6 } else { 0.0 }));
}

#[test]
fn the_interval_contains_the_estimate() {
    let logs = synthetic(3000, 10, 3, |i| [0.1, 0.05, 0.2][i % 3]);
    let model = RewardModel::fit(&logs);
    for policy in [EvalPolicy::uniform(10, 3), EvalPolicy::best_item(&model)] {
        let r = report(&logs, &policy, &params(200, 12345));
        for e in &r.estimates {
            assert!(e.ci_lower <= e.value && e.value <= e.ci_upper, "{}: {e:?}", policy.name());
            assert!(e.ci_lower < e.ci_upper, "{e:?}");
        }
    }
}

#[test]
fn results_are_deterministic_under_a_seed() {
    let logs = synthetic(800, 6, 3, |_| 0.25);
    let policy = EvalPolicy::best_item(&RewardModel::fit(&logs));
    let a = report(&logs, &policy, &params(40, 99));
    assert_eq!(a, report(&logs, &policy, &params(40, 99)));
    let b = report(&logs, &policy, &params(40, 100));
    assert_eq!(a.estimates[0].value, b.estimates[0].value, "the point estimate does not depend on the seed");
    assert_ne!(a.estimates[0].ci_lower, b.estimates[0].ci_lower, "the interval does");
}

#[test]
fn best_item_puts_all_mass_on_the_argmax_with_ties_to_the_lowest_id() {
    let model = RewardModel::from_values(3, 2, 0.1, vec![0.1, 0.3, 0.3, 0.5, 0.2, 0.1]).unwrap();
    let p = EvalPolicy::best_item(&model);
    assert_eq!(p.at_position(0), [0.0, 1.0, 0.0]);
    assert_eq!(p.at_position(1), [1.0, 0.0, 0.0]);
}

#[test]
fn params_are_checked_once() {
    assert!(OpeParams::default().check().is_ok());
    for bad in [
        OpeParams { n_bootstrap: 0, ..Default::default() },
        OpeParams { alpha: 0.0, ..Default::default() },
        OpeParams { alpha: 1.0, ..Default::default() },
        OpeParams { alpha: f64::NAN, ..Default::default() },
    ] {
        let e = bad.check().unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    }
}

// ---- files and input errors ----------------------------------------------------------------

const HEADER: &str = ",timestamp,item_id,position,click,propensity_score,user_feature_0";

fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::File::create(&path).unwrap().write_all(text.as_bytes()).unwrap();
    path
}

fn obd(rows: &[&str]) -> String {
    let mut s = format!("{HEADER}\n");
    for (i, r) in rows.iter().enumerate() {
        s.push_str(&format!("{i},2019-11-24 00:00:00+00:00,{r},abc\n"));
    }
    s
}

#[test]
fn obd_files_are_read_with_their_position_base() {
    let dir = tempfile::tempdir().unwrap();
    let one = file(&dir, "one.csv", &obd(&["0,1,1,0.5", "1,2,0,0.5", "2,3,0,0.25"]));
    let logs = Logs::read(&one).unwrap();
    assert_eq!((logs.position_base(), logs.n_positions(), logs.n_items(), logs.clicks()), (1, 3, 3, 1));
    assert_eq!(logs.position(), [0, 1, 2]);
    let zero = file(&dir, "zero.csv", &obd(&["0,0,1,0.5", "1,1,0,0.5"]));
    assert_eq!(Logs::read(&zero).unwrap().position_base(), 0);
    let gap = file(&dir, "gap.csv", &obd(&["0,1,1,0.5", "1,3,0,0.5"]));
    let e = Logs::read(&gap).unwrap_err().to_string();
    assert!(e.contains("gap.csv") && e.contains("position 2 never occurs"), "{e}");
}

#[track_caller]
fn err_has(e: OpeError, needles: &[&str]) {
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    let m = e.to_string();
    for n in needles {
        assert!(m.contains(n), "{m:?} lacks {n:?}");
    }
}

#[test]
fn a_zero_propensity_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "zero_p.csv", &obd(&["0,1,1,0.5", "1,1,0,0"]));
    err_has(Logs::read(&path).unwrap_err(), &["zero_p.csv", "line 3", "propensity_score", "(0, 1]"]);
    let path = file(&dir, "bad_click.csv", &obd(&["0,1,1,0.5", "1,1,0,0.5", "1,1,2,0.5"]));
    err_has(Logs::read(&path).unwrap_err(), &["bad_click.csv", "line 4", "click"]);
    let path = file(&dir, "ragged.csv", &format!("{HEADER}\n0,t,1,1,0,0.5,x\n1,t,1,1\n"));
    err_has(Logs::read(&path).unwrap_err(), &["ragged.csv", "line 3", "fields"]);
}

#[test]
fn a_header_without_the_needed_columns_names_line_1_and_the_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = file(&dir, "hdr.csv", ",item_id,position,clicks\n0,1,1,0\n");
    err_has(Logs::read(&path).unwrap_err(), &["hdr.csv", "line 1", "click, propensity_score"]);
    let empty = file(&dir, "empty.csv", "");
    err_has(Logs::read(&empty).unwrap_err(), &["empty.csv"]);
    let missing = Logs::read(&dir.path().join("nope.csv")).unwrap_err();
    assert_eq!(missing.code(), ErrorCode::NotFound);
}

fn policy_err(text: &str) -> OpeError {
    let dir = tempfile::tempdir().unwrap();
    let logs = Logs::read(&file(&dir, "logs.csv", &obd(&["0,1,1,0.5", "1,2,0,0.5", "2,1,0,0.5"]))).unwrap();
    EvalPolicy::read(&file(&dir, "policy.csv", text), &logs).unwrap_err()
}

#[test]
fn policy_files_are_validated_with_file_and_line() {
    let ok = "item_id,position,probability\n0,1,0.5\n1,1,0.5\n2,2,1\n";
    let dir = tempfile::tempdir().unwrap();
    let logs = Logs::read(&file(&dir, "logs.csv", &obd(&["0,1,1,0.5", "1,2,0,0.5", "2,1,0,0.5"]))).unwrap();
    let p = EvalPolicy::read(&file(&dir, "p.csv", ok), &logs).unwrap();
    assert_eq!((p.prob(0, 0), p.prob(2, 1), p.prob(2, 0)), (0.5, 1.0, 0.0));

    err_has(policy_err("item_id,position,probability\n0,1,0.5\n7,1,0.5\n2,2,1\n"), &["policy.csv", "line 3", "item 7 is not in the logs"]);
    err_has(policy_err("item_id,position,probability\n0,1,0.5\n1,1,0.4\n2,2,1\n"), &["policy.csv", "line 3", "position 1", "sum to 0.9"]);
    err_has(policy_err("item_id,position,probability\n0,1,0.5\n1,1,0.5\n2,2,1\n0,1,0\n"), &["policy.csv", "line 5", "already given on line 2"]);
    err_has(policy_err("item_id,position,probability\n0,1,1.5\n"), &["policy.csv", "line 2", "probability"]);
    err_has(policy_err("item_id,position,probability\n0,4,1\n"), &["policy.csv", "line 2", "position 4 is not in the logs"]);
    err_has(policy_err("item_id,position,probability\n0,1,1\n"), &["policy.csv", "no probabilities for position 2"]);
    err_has(policy_err("item,position,probability\n0,1,1\n"), &["policy.csv", "line 1", "item_id"]);
}

#[test]
fn a_policy_of_the_wrong_shape_is_refused() {
    let (logs, _) = four_rows();
    let e = evaluate(&logs, &RewardModel::fit(&logs), &EvalPolicy::uniform(3, 2), &params(5, 0)).unwrap_err();
    err_has(e, &["3 items × 2 positions"]);
}

/// The same rows as `obd`, with the last field quoted: that file takes the csv-crate path.
fn obd_quoted(rows: &[&str]) -> String {
    obd(rows).replace(",abc\n", ",\"abc\"\n")
}

#[test]
fn the_fast_and_the_csv_reader_accept_and_refuse_the_same_files() {
    let cases: [&[&str]; 5] = [&["0,1,1,0.5", "1,2,0,0.5", "2,3,0,0.25"], &["0,1,1,0.5", "1,1,0,0"], &["0,1,1,0.5", "1,1,2,0.5"], &["0,1,1,0.5", "x,1,0,0.5"], &["0,2,1,0.5"]];
    let (fast, slow) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for rows in cases {
        let msg = |dir: &tempfile::TempDir, e: OpeError| e.to_string().replace(&dir.path().display().to_string(), "DIR");
        let a = Logs::read(&file(&fast, "logs.csv", &obd(rows))).map_err(|e| msg(&fast, e));
        let b = Logs::read(&file(&slow, "logs.csv", &obd_quoted(rows))).map_err(|e| msg(&slow, e));
        assert_eq!(a.map(|l| (l.action().to_vec(), l.position().to_vec(), l.pscore().to_vec(), l.clicks())), b.map(|l| (l.action().to_vec(), l.position().to_vec(), l.pscore().to_vec(), l.clicks())));
    }
    // CRLF line ends and a trailing blank line read like plain LF.
    let crlf = obd(&["0,1,1,0.5", "1,2,0,0.5"]).replace('\n', "\r\n") + "\r\n";
    let logs = Logs::read(&file(&fast, "crlf.csv", &crlf)).unwrap();
    assert_eq!((logs.len(), logs.clicks(), logs.pscore()), (2, 1, &[0.5, 0.5][..]));
    // A ragged row names its line on both paths.
    for (dir, quote) in [(&fast, ""), (&slow, "\"")] {
        let text = format!("{HEADER}\n0,t,1,1,0,0.5,{quote}x{quote}\n1,t,1,1\n");
        err_has(Logs::read(&file(dir, "ragged.csv", &text)).unwrap_err(), &["ragged.csv", "line 3", "4 fields where the header has 7"]);
    }
}

/// Bad input never panics the logs reader, on either path: any bytes, and OBD-shaped text
/// with damaged rows (numbers, signs, exponents, quotes, short and long rows, blank lines).
#[test]
fn logs_files_never_panic_the_reader() {
    use proptest::prelude::*;
    let dir = tempfile::tempdir().unwrap();
    let body = "([0-9.eE+-]{0,6}(,[0-9.eE+\"-]{0,6}){0,7}\r?\n){0,12}";
    let input = prop_oneof![proptest::collection::vec(any::<u8>(), 0..1024), body.prop_map(|b| format!("{HEADER}\n{b}").into_bytes()),];
    let path = dir.path().join("logs.csv");
    proptest::test_runner::TestRunner::default()
        .run(&input, |bytes| {
            std::fs::write(&path, &bytes).unwrap();
            if let Ok(logs) = Logs::read(&path) {
                prop_assert!(!logs.is_empty() && logs.pscore().iter().all(|&p| p > 0.0 && p <= 1.0));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_line_over_the_limit_and_a_device_are_refused_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let long = format!("1,t,1,1,0,0.5,{}", "f".repeat(logs::MAX_LINE_BYTES));
    // Without quotes (read whole and split) and with them (streamed through the csv reader).
    for (name, extra) in [("plain.csv", "0,t,1,1,0,0.5,x"), ("quoted.csv", "0,t,1,1,0,0.5,\"x\"")] {
        let path = file(&dir, name, &format!("{HEADER}\n{extra}\n{long}\n2,t,1,1,0,0.5,x\n"));
        let e = Logs::read(&path).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        err_has(e, &[name, "line 3", &format!("{} bytes long", long.len())]);
    }
    let e = Logs::read(std::path::Path::new("/dev/zero")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput);
    err_has(e, &["/dev/zero", "character device, not a regular file"]);
    let e = EvalPolicy::read(std::path::Path::new("/dev/zero"), &four_rows().0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
}
