use super::fixtures;
use crate::simulate::model::{Drift, ResponseModel};
use crate::simulate::*;
use crate::testkit;

fn json(cp: &Checkpoint) -> String {
    serde_json::to_string(cp).unwrap()
}

/// A model with everything on: fatigue on a small audience and a drift at 3,000.
fn busy_model(sc: &Scenario) -> ResponseModel {
    ResponseModel {
        fatigue_half_life: Some(3.0),
        audience_scale: 1.0,
        drift: Some(Drift { segment_id: sc.segments[1].segment_id, at_impression: 3_000, new_top_category: Some(sc.arms[0].image.clone()), multiplier: 1.3 }),
        ..ResponseModel::default()
    }
}

#[test]
fn same_seed_same_run_and_another_seed_another_run() {
    let sc = fixtures::planted(3);
    let run = |seed| json(&fixtures::finished(&sc, fixtures::params(PolicySpec::default(), 20_000, seed, busy_model(&sc))).checkpoint());
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
}

#[test]
fn paused_run_resumes_exactly_for_every_policy() {
    let sc = fixtures::planted(3);
    for policy in fixtures::all_policies() {
        let params = fixtures::params(policy.clone(), 9_000, 11, busy_model(&sc));
        let mut straight = Run::new(sc.clone(), params.clone()).unwrap();
        let mut straight_log = ImpressionLog::new(10_000);
        straight.advance_logged(9_000, |i| straight_log.push(i));

        let mut first = Run::new(sc.clone(), params).unwrap();
        first.advance(1_234);
        first.advance(2_000); // 3,234: past the drift point and mid-way between chart points
        let saved = json(&first.checkpoint());
        drop(first);
        let mut resumed = Run::restore(serde_json::from_str(&saved).unwrap()).unwrap();
        let mut resumed_log = ImpressionLog::new(10_000);
        while resumed.advance_logged(1_000, |i| resumed_log.push(i)) > 0 {}

        assert_eq!(json(&resumed.checkpoint()), json(&straight.checkpoint()), "{}", policy.name());
        let tail: Vec<_> = straight_log.recent().skip(3_234).copied().collect();
        assert_eq!(resumed_log.recent().copied().collect::<Vec<_>>(), tail, "{}: same impressions after resuming", policy.name());
        assert!(resumed.is_done());
    }
}

#[test]
fn advance_is_bounded_and_chunk_sizes_do_not_matter() {
    let sc = fixtures::planted(2);
    let params = fixtures::params(PolicySpec::default(), 5_000, 2, busy_model(&fixtures::planted(2)));
    let mut a = Run::new(sc.clone(), params.clone()).unwrap();
    assert_eq!(a.advance(123), 123);
    assert_eq!(a.advance(0), 0);
    assert_eq!(a.advance(1_000_000), 5_000 - 123, "never past the planned impressions");
    assert_eq!(a.advance(10), 0);
    assert!(a.is_done() && a.totals().done && a.totals().simulated);
    let b = fixtures::finished(&sc, params);
    assert_eq!(json(&a.checkpoint()), json(&b.checkpoint()));
    // chart points at every multiple of ⌈5000 / 128⌉ = 40 impressions, starting at 0
    let h = a.history();
    assert_eq!(h.every, 40);
    assert_eq!(h.points.len(), 5_000 / 40 + 1);
    assert!(h.points.iter().enumerate().all(|(i, p)| p.impressions == i as u64 * 40));
}

#[test]
fn uniform_split_sees_the_same_users_whatever_the_policy() {
    let sc = fixtures::planted(3);
    let runs: Vec<Run> = fixtures::all_policies().into_iter().map(|p| fixtures::finished(&sc, fixtures::params(p, 6_000, 4, fixtures::quiet_model()))).collect();
    for r in &runs[1..] {
        assert_eq!(r.uniform_counts(), runs[0].uniform_counts(), "{}", r.params().policy.name());
        assert_eq!(r.totals().uniform_clicks, runs[0].totals().uniform_clicks);
    }
}

#[test]
fn thompson_beats_uniform_on_cumulative_clicks_in_a_planted_scenario() {
    // In each of 4 segments one of 4 arms has twice the CTR of the others: an oracle earns
    // 2/1.25 = 1.6× the uniform split's clicks. Thompson must earn ≥ 1.15× on every one of 20
    // seeds, on the same simulated users.
    let sc = fixtures::planted(4);
    let mut ratios = Vec::new();
    for seed in 0..20 {
        let t = fixtures::finished(&sc, fixtures::params(PolicySpec::default(), 40_000, seed, fixtures::quiet_model())).totals();
        ratios.push(t.clicks as f64 / t.uniform_clicks as f64);
        assert!(t.regret < t.uniform_regret, "seed {seed}: regret {} vs uniform {}", t.regret, t.uniform_regret);
    }
    assert!(ratios.iter().all(|&r| r > 1.15), "{ratios:?}");
}

#[test]
fn factorised_matches_or_beats_thompson_when_combinations_share_elements() {
    let (sc, model) = fixtures::grid();
    let (mut fact, mut ts) = (0u64, 0u64);
    for seed in 0..10 {
        fact += fixtures::finished(&sc, fixtures::params(PolicySpec::factorised(), 15_000, seed, model.clone())).totals().clicks;
        ts += fixtures::finished(&sc, fixtures::params(PolicySpec::default(), 15_000, seed, model.clone())).totals().clicks;
    }
    assert!(fact as f64 >= ts as f64 * 1.02, "factorised {fact} vs thompson {ts} clicks over 10 seeds");
}

#[test]
fn fatigue_lowers_the_ctr_of_an_arm_with_exposures() {
    let sc = fixtures::planted(1);
    let model = ResponseModel { fatigue_half_life: Some(2.0), audience_scale: 1.0, ..fixtures::quiet_model() };
    let mut run = Run::new(sc, fixtures::params(PolicySpec::Uniform, 6_000, 0, model)).unwrap();
    let fresh = run.click_probability(0, 0);
    assert_eq!(fresh, run.truth()[0]);
    let mut last = fresh;
    for _ in 0..3 {
        run.advance(2_000);
        let now = run.click_probability(0, 0);
        assert!(now < last, "{now} after {last}");
        last = now;
    }
    // 6 exposures per user of 1,000 at half-life 2: about exp(−6 × 0.29) ≈ 0.17 of fresh
    assert!(last < 0.25 * fresh, "{last} vs {fresh}");
}

#[test]
fn drift_changes_the_best_arm_after_the_drift_point() {
    let sc = fixtures::planted(2);
    let drift = Drift { segment_id: sc.segments[0].segment_id, at_impression: 2_000, new_top_category: Some(sc.arms[1].image.clone()), multiplier: 1.0 };
    let model = ResponseModel { drift: Some(drift), ..fixtures::quiet_model() };
    let mut run = Run::new(sc, fixtures::params(PolicySpec::default(), 40_000, 3, model)).unwrap();
    run.advance(1_999);
    assert!(run.truth()[0] > run.truth()[1], "arm 0 is best for segment 0 before the drift");
    run.advance(1);
    assert!(run.truth()[1] > run.truth()[0], "arm 1 is best from impression 2,000 on");
    // the simulated users respond accordingly: in the uniform split after the drift, arm 1
    // out-earns arm 0 in segment 0, both at their drifted true CTRs (4 % and 3.3 %)
    let before = run.uniform_counts()[..2].to_vec();
    run.advance(38_000);
    let ctr = |a: usize| {
        let (c, b) = (run.uniform_counts()[a], before[a]);
        (c.clicks - b.clicks) as f64 / (c.impressions - b.impressions) as f64
    };
    assert!(ctr(1) > ctr(0), "after the drift: arm 1 {} vs arm 0 {}", ctr(1), ctr(0));
    for a in 0..2 {
        assert!((ctr(a) / run.truth()[a] - 1.0).abs() < 0.15, "arm {a}: {} vs true {}", ctr(a), run.truth()[a]);
    }
}

#[test]
fn impression_log_is_bounded_and_carries_propensities() {
    let sc = fixtures::planted(3);
    let mut run = Run::new(sc, fixtures::params(PolicySpec::EpsilonGreedy { epsilon: 0.3 }, 5_000, 1, fixtures::quiet_model())).unwrap();
    let mut log = ImpressionLog::new(100);
    run.advance_logged(5_000, |i| log.push(i));
    assert_eq!(log.seen(), 5_000);
    let kept: Vec<_> = log.recent().collect();
    assert_eq!(kept.len(), 100);
    assert_eq!(kept[0].index, 4_900);
    for i in kept {
        assert!([0.1, 0.8].iter().any(|p| (i.propensity - p).abs() < 1e-12), "ε-greedy propensity {}", i.propensity);
        assert!(i.click_probability > 0.0 && i.segment < 3 && i.arm < 3 && i.uniform_arm < 3);
    }
}

#[test]
fn restore_rejects_a_checkpoint_that_does_not_fit() {
    let sc = fixtures::planted(2);
    let run = fixtures::finished(&sc, fixtures::params(PolicySpec::default(), 1_000, 0, fixtures::quiet_model()));
    let mut cp = run.checkpoint();
    cp.scenario = fixtures::planted(3);
    assert!(matches!(Run::restore(cp).unwrap_err(), SimulateError::BadCheckpoint(_)));
    let mut cp = run.checkpoint();
    cp.version = 99;
    assert!(matches!(Run::restore(cp).unwrap_err(), SimulateError::BadCheckpoint(_)));
    let mut cp = run.checkpoint();
    cp.params.policy = PolicySpec::Ucb1;
    assert!(matches!(Run::restore(cp).unwrap_err(), SimulateError::BadCheckpoint(_)));
}

#[test]
fn a_run_over_a_campaign_uses_its_segments_and_variants() {
    let (p, cid) = testkit::campaign_project();
    // The uncalibrated model (CTRs of per cent): at the calibrated 0.4 % a policy cannot beat
    // the uniform split measurably in 30,000 impressions (see `budget`).
    let params = RunParams { impressions: 30_000, seed: 1, model: ResponseModel::uncalibrated(), ..RunParams::default() };
    let mut run = Run::from_campaign(&p, cid, params).unwrap();
    let variants = crate::campaign::variants(&p, cid).unwrap();
    let sc = run.scenario();
    // the campaign's variants, then the shared generic control
    let ids: Vec<i64> = variants.iter().map(|v| v.id).chain([scenario::GENERIC_CONTROL_ID]).collect();
    assert_eq!(sc.arms.iter().map(|a| a.variant_id).collect::<Vec<_>>(), ids);
    for s in &sc.segments {
        assert_eq!(s.size, crate::segments::profile_of(&p, s.segment_id).unwrap().size as u64);
    }
    let (k, serving) = (sc.arms.len(), sc.serving());
    for (i, &t) in run.truth().iter().enumerate() {
        let served = serving[i / k].contains(&(i % k));
        assert!(if served { t > 0.0 && t <= 0.3 } else { t == 0.0 }, "cell {i}: {t}");
    }
    while run.advance(10_000) > 0 {}
    let t = run.totals();
    assert_eq!(t.impressions, 30_000);
    assert!(t.clicks > t.uniform_clicks, "{t:?}");
    assert!(matches!(Scenario::from_campaign(&p, cid, Some("no-such-placement")).unwrap_err(), SimulateError::BadParam { .. }));
}
