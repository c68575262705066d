//! The calibration to the Open Bandit random logs, the calibrated default model, the generic
//! control and the decision budget.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::ope::Logs;
use crate::simulate::calibrate::{self, Calibration, CALIBRATED_MODEL, CUSTOM_MODEL};
use crate::simulate::model::ResponseModel;
use crate::simulate::*;
use crate::testkit;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The OBD random-policy sample, unpacked into a temporary file and read.
fn obd_random() -> Logs {
    let mut text = Vec::new();
    let gz = std::fs::File::open(repo().join("fixtures/data/open-bandit/random/all.csv.gz")).unwrap();
    flate2::read::GzDecoder::new(gz).read_to_end(&mut text).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.csv");
    std::fs::write(&path, text).unwrap();
    Logs::read(&path).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1e-300)
}

#[test]
fn the_checked_in_calibration_is_the_fit_of_the_open_bandit_random_logs() {
    let source = calibrate::calibration().source.clone();
    let fit = calibrate::fit(&obd_random(), &source);
    if std::env::var("REGENERATE").is_ok_and(|v| v == "1") {
        let path = repo().join("assets/simulator/calibration-obd-v1.json");
        std::fs::write(&path, serde_json::to_string_pretty(&fit).unwrap() + "\n").unwrap();
    }
    let stored: &Calibration = calibrate::calibration();
    assert_eq!((fit.rows, fit.clicks, fit.items, fit.positions.len()), (10_000, 38, 80, 3), "the known facts of the sample (fixtures/README.md)");
    assert_eq!((stored.rows, stored.clicks, stored.items, &stored.name), (fit.rows, fit.clicks, fit.items, &fit.name));
    assert!(close(stored.base_ctr, fit.base_ctr) && close(stored.item_sd, fit.item_sd) && close(stored.base_ctr_se, fit.base_ctr_se), "refit with REGENERATE=1: {fit:?}");
    for (s, f) in stored.positions.iter().zip(&fit.positions) {
        assert_eq!((s.position, s.impressions, s.clicks), (f.position, f.impressions, f.clicks));
        assert!(close(s.ctr, f.ctr) && close(s.multiplier, f.multiplier) && close(s.ctr_se, f.ctr_se));
    }
    assert_eq!(fit.base_ctr, 0.0038);
    assert_eq!(fit.positions.iter().map(|p| p.position).collect::<Vec<_>>(), vec![1, 2, 3], "OBD numbers positions from 1");
    // Weighted by the logged position shares the effects average exactly 1.
    let weighted: f64 = fit.positions.iter().map(|p| p.multiplier * p.impressions as f64).sum::<f64>() / fit.rows as f64;
    assert!((weighted - 1.0).abs() < 1e-12);
    // The excess of between-item variance over sampling variance is small but positive here.
    assert!(fit.item_ctr_variance > fit.item_sampling_variance && fit.item_sd > 0.0 && fit.item_sd < 1.0, "{fit:?}");
}

#[test]
fn item_spread_is_zero_when_items_differ_only_by_chance() {
    // 40 items × 1,000 impressions each with exactly the same 5 clicks: no variance at all.
    let (mut action, mut reward) = (Vec::new(), Vec::new());
    for item in 0..40u32 {
        for j in 0..1000 {
            action.push(item);
            reward.push(if j < 5 { 1.0 } else { 0.0 });
        }
    }
    let n = action.len();
    let logs = Logs::from_columns("flat", action, vec![0; n], reward, vec![1.0 / 40.0; n]).unwrap();
    let fit = calibrate::fit(&logs, "flat");
    assert_eq!((fit.base_ctr, fit.item_sd, fit.positions[0].multiplier), (0.005, 0.0, 1.0));
}

/// One segment of a huge audience (fatigue negligible) and the log's 80 items as arms with no
/// affinity, discount, copy or placement effect: the Open Bandit setting in the simulator.
fn obd_like() -> Scenario {
    let segment = SegmentSpec {
        segment_id: 1,
        name_en: "ZOZOTOWN visitors".into(),
        name_zh: "ZOZOTOWN 访客".into(),
        size: 1_000_000,
        cart_rate: 0.05,
        purchase_rate: 0.01,
        price_index: 0.0,
        top_categories: vec!["fashion".into()],
    };
    let arm = |i: i64| ArmSpec {
        variant_id: i + 1,
        label: format!("item {i}"),
        segment_id: 1,
        angle: "item".into(),
        image: String::new(),
        cta: "Shop now".into(),
        discount: false,
        copy_width: 0,
        placement: "obd-widget".into(),
        generic: false,
    };
    Scenario { segments: vec![segment], arms: (0..80).map(arm).collect() }
}

/// Simulated impressions and clicks per slot of a uniform run of `model` over [`obd_like`].
fn uniform_by_position(model: ResponseModel, impressions: u64) -> Vec<(u64, u64)> {
    let params = RunParams { impressions, seed: 2026, policy: PolicySpec::Uniform, model, ..RunParams::default() };
    let mut run = Run::new(obd_like(), params).unwrap();
    let mut by = vec![(0u64, 0u64); 3];
    while run.advance_logged(250_000, |i| {
        by[i.position as usize].0 += 1;
        by[i.position as usize].1 += i.clicked as u64;
    }) > 0
    {}
    by
}

#[test]
fn a_uniform_policy_in_the_calibrated_simulator_reproduces_the_logged_ctr_by_position() {
    let cal = calibrate::calibration();
    let sim = uniform_by_position(ResponseModel::calibrated(), 3_000_000);
    let (mut n, mut c) = (0, 0);
    eprintln!("position  logged CTR (± SE, clicks/impressions)   simulated CTR (± SE)   |Δ|/SE");
    for (p, &(n_p, c_p)) in cal.positions.iter().zip(&sim) {
        let ctr = c_p as f64 / n_p as f64;
        let se_sim = (ctr * (1.0 - ctr) / n_p as f64).sqrt();
        let se = (se_sim.powi(2) + p.ctr_se.powi(2)).sqrt();
        let z = (ctr - p.ctr).abs() / se;
        eprintln!("{}  {:.4}% ± {:.4}% ({}/{})   {:.4}% ± {:.4}% ({c_p}/{n_p})   {z:.2}", p.position, 100.0 * p.ctr, 100.0 * p.ctr_se, p.clicks, p.impressions, 100.0 * ctr, 100.0 * se_sim);
        assert!(z <= 3.0, "position {}: simulated {ctr} vs logged {} (SE {se})", p.position, p.ctr);
        // The simulation is far more precise than the log: it is pinned to the fitted value.
        assert!((ctr - p.ctr).abs() <= 3.0 * se_sim + 0.05 * p.ctr, "position {}: {ctr} vs {}", p.position, p.ctr);
        n += n_p;
        c += c_p;
    }
    let overall = c as f64 / n as f64;
    eprintln!("overall   logged {:.4}% ± {:.4}%   simulated {:.4}%", 100.0 * cal.base_ctr, 100.0 * cal.base_ctr_se, 100.0 * overall);
    assert!((overall - cal.base_ctr).abs() <= 3.0 * cal.base_ctr_se);
    // The test can fail: the earlier, uncalibrated default is far outside the logged CTR.
    let old = uniform_by_position(ResponseModel::uncalibrated(), 200_000);
    let old_ctr = old.iter().map(|x| x.1).sum::<u64>() as f64 / 200_000.0;
    assert!(old_ctr > cal.base_ctr + 5.0 * cal.base_ctr_se, "uncalibrated CTR {old_ctr}");
}

#[test]
fn the_calibrated_model_is_the_default_and_every_run_records_its_model() {
    let m = ResponseModel::default();
    assert_eq!(m, ResponseModel::calibrated());
    assert_eq!(m.name(), CALIBRATED_MODEL);
    assert_eq!(m.base_ctr, Some(0.0038));
    assert_eq!(m.positions.len(), 3);
    let round_trip: ResponseModel = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
    assert_eq!(round_trip.name(), CALIBRATED_MODEL);
    assert_eq!(ResponseModel { affinity_weight: 2.0, ..m.clone() }.name(), CUSTOM_MODEL);
    assert_eq!(ResponseModel::uncalibrated().name(), CUSTOM_MODEL);
    let field = |m: ResponseModel| match m.check().unwrap_err() {
        SimulateError::BadParam { field, .. } => field,
        e => panic!("{e}"),
    };
    assert_eq!(field(ResponseModel { base_ctr: Some(0.0), ..m.clone() }), "model.base_ctr");
    assert_eq!(field(ResponseModel { positions: vec![1.0, 0.0], ..m.clone() }), "model.positions[1]");
    assert_eq!(field(ResponseModel { item_sd: 5.0, ..m.clone() }), "model.item_sd");
    // A stored model from before the calibration has none of the new fields: it stays uncalibrated.
    let mut old = serde_json::to_value(ResponseModel::uncalibrated()).unwrap();
    for f in ["base_ctr", "positions", "item_sd", "item_seed"] {
        old.as_object_mut().unwrap().remove(f);
    }
    assert_eq!(serde_json::from_value::<ResponseModel>(old).unwrap(), ResponseModel::uncalibrated());

    let (mut p, cid) = testkit::campaign_project();
    let given = RunParams { impressions: 2_000, model_name: "forged".into(), ..RunParams::default() };
    let id = run_to_end(&mut p, cid, "calibrated", given.clone()).unwrap();
    let custom = run_to_end(&mut p, cid, "custom", RunParams { model: ResponseModel { discount_weight: 1.0, ..m }, ..given }).unwrap();
    let rec = saved::get(&p, id).unwrap();
    assert_eq!((rec.model.as_str(), rec.params.model_name.as_str()), (CALIBRATED_MODEL, CALIBRATED_MODEL));
    assert_eq!(saved::get(&p, custom).unwrap().model, CUSTOM_MODEL);
}

#[test]
fn each_segment_is_served_its_own_variants_and_one_shared_generic_control() {
    let (p, cid) = testkit::campaign_project();
    let mut run = Run::from_campaign(&p, cid, RunParams { impressions: 200_000, seed: 3, ..RunParams::default() }).unwrap();
    let sc = run.scenario().clone();
    let control = sc.generic_control().expect("a generic control");
    assert_eq!((control, sc.arms[control].variant_id), (sc.arms.len() - 1, scenario::GENERIC_CONTROL_ID));
    assert_eq!(run.control_arm(), control);
    let serving = sc.serving();
    for (s, seg) in sc.segments.iter().enumerate() {
        let own: Vec<usize> = (0..sc.arms.len()).filter(|&a| sc.arms[a].segment_id == seg.segment_id).collect();
        assert!(!own.is_empty());
        assert_eq!(serving[s], own.iter().copied().chain([control]).collect::<Vec<_>>());
    }
    while run.advance(50_000) > 0 {}
    let k = sc.arms.len();
    for (s, own) in serving.iter().enumerate() {
        for a in 0..k {
            let n = run.counts()[s * k + a].impressions + run.uniform_counts()[s * k + a].impressions;
            assert_eq!(n > 0, own.contains(&a), "segment {s}, arm {a}: served iff its own or the control");
        }
        let alloc = run.allocation(s);
        assert!((alloc.iter().sum::<f64>() - 1.0).abs() < 1e-9 && (0..k).all(|a| own.contains(&a) || alloc[a] == 0.0));
    }
    let report = stats::report(&run, &StatsParams::default()).unwrap();
    for (s, seg) in report.segments.iter().enumerate() {
        assert_eq!(seg.decision.arms.iter().map(|a| a.arm).collect::<Vec<_>>(), serving[s], "decisions only over the served arms");
        assert_eq!(seg.decision.control, control);
        assert!((seg.decision.arms.iter().map(|a| a.p_best).sum::<f64>() - 1.0).abs() < 1e-9);
    }
    assert_eq!(report.lift.generic, scenario::GENERIC_CONTROL_ID, "the lift is measured against the control");
    assert!(report.lift.true_lift > 0.0);
    // Overall CTR at display rates: the uniform split is anchored at the logged 0.38 %.
    let t = run.totals();
    let (ctr, uniform) = (t.clicks as f64 / t.impressions as f64, t.uniform_clicks as f64 / t.impressions as f64);
    assert!((0.003..=0.006).contains(&ctr) && (0.003..=0.0046).contains(&uniform), "policy {ctr}, uniform {uniform}");
    // A segment's chart draws its own variants and the control only.
    let svg = charts::svg(&run, ChartKind::Ctr, Scope::Segment(0), charts::FRAME_SIZE).unwrap();
    let other = sc.arms.iter().find(|a| !serving[0].contains(&sc.arm_index(a.variant_id).unwrap())).map(|a| a.label.chars().take(24).collect::<String>());
    assert!(svg.contains("Generic control"));
    if let Some(label) = other {
        assert!(!svg.contains(&label), "{label} is not served to segment 0");
    }
}

#[test]
fn the_budget_is_a_two_proportion_power_calculation_at_the_simulated_rate() {
    // 0.38 % → 0.418 %, 95 % two-sided, 80 % power (value from the textbook formula).
    let n = calibrate::impressions_per_arm(0.0038, 0.1, 0.95, 0.8).unwrap();
    assert!((n as f64 - 430_000.0).abs() < 10_000.0, "{n}");
    let n20 = calibrate::impressions_per_arm(0.0038, 0.2, 0.95, 0.8).unwrap();
    assert!(n20 < n / 3 && n20 > n / 5, "a doubled lift needs about a quarter: {n20}");
    assert_eq!(calibrate::impressions_per_arm(0.0, 0.1, 0.95, 0.8), None);
    let (p, cid) = testkit::campaign_project();
    let mut run = Run::from_campaign(&p, cid, RunParams { impressions: 1_000, ..RunParams::default() }).unwrap();
    run.advance(1_000);
    let b = budget::budget(&run, &StatsParams::default());
    assert!((b.base_ctr - 0.0038).abs() < 1e-4, "the uniform split's rate is the anchor: {}", b.base_ctr);
    assert_eq!(b.rows.len(), budget::LIFTS.len());
    let row = &b.rows[0];
    let worst = (0..b.arms_per_segment.len()).map(|s| row.per_arm.unwrap() as f64 * b.arms_per_segment[s] as f64 / run.segment_shares()[s]).fold(0.0, f64::max);
    assert_eq!(row.total, Some(worst.ceil() as u64));
    assert!(b.rows.windows(2).all(|w| w[0].per_arm > w[1].per_arm));
}
