use super::fixtures;
use crate::simulate::history::Cell;
use crate::simulate::stats::{self, PeekReason, StatsParams};
use crate::simulate::*;

fn cells(v: &[(u64, u64)]) -> Vec<Cell> {
    v.iter().map(|&(impressions, clicks)| Cell { impressions, clicks }).collect()
}

#[test]
fn p_best_sums_to_one_and_the_true_best_loses_nothing_with_enough_data() {
    let params = StatsParams::default();
    let mut rng = SimRng::new(0, 0);
    let d = stats::decide(&cells(&[(100_000, 2_000), (100_000, 3_000), (100_000, 5_000)]), 0, &params, &mut rng);
    let sum: f64 = d.arms.iter().map(|a| a.p_best).sum();
    assert!((sum - 1.0).abs() < 1e-12);
    assert_eq!(d.leader, 2);
    assert!(d.arms[2].p_best > 0.999);
    assert!(d.arms[2].expected_loss < 1e-5, "{}", d.arms[2].expected_loss);
    assert!((d.arms[0].expected_loss - 0.03).abs() < 1e-3, "loss of the worst ≈ 5% − 2%");
    assert_eq!(d.arms[0].p_beat_control, None);
    assert!(d.arms[2].p_beat_control.unwrap() > 0.999);
    assert!(d.arms.iter().all(|a| a.low < a.mean && a.mean < a.high));
    assert_eq!(d.impressions_to_decide, Some(0));
    assert!(d.warning.is_none());
    // with little data P(best) still sums to 1
    let d = stats::decide(&cells(&[(10, 0), (12, 1), (0, 0)]), 1, &params, &mut rng);
    assert!((d.arms.iter().map(|a| a.p_best).sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn impressions_to_decide_shrinks_as_data_grow() {
    let params = StatsParams::default();
    let mut rng = SimRng::new(1, 0);
    let mut last = u64::MAX;
    for n in [500u64, 1_000, 2_000, 4_000] {
        let d = stats::decide(&cells(&[(n, n * 20 / 1000), (n, n * 24 / 1000)]), 0, &params, &mut rng);
        let needed = d.impressions_to_decide.unwrap();
        assert!(needed > 0 && needed < last, "{needed} after {last}");
        last = needed;
    }
}

#[test]
fn peeking_warning_is_raised_early_and_not_late() {
    let sc = fixtures::planted(3);
    let mut run = Run::new(sc, fixtures::params(PolicySpec::Uniform, 150_000, 8, fixtures::quiet_model())).unwrap();
    let params = StatsParams::default();
    run.advance(300);
    let early = stats::report(&run, &params).unwrap();
    for s in &early.segments {
        let w = s.decision.warning.as_ref().expect("early decisions are peeking");
        assert!(!w.message_en.is_empty() && !w.message_zh.is_empty());
    }
    assert!(early.segments.iter().any(|s| s.decision.warning.as_ref().unwrap().reason == PeekReason::LeaderNotConfident));
    while run.advance(50_000) > 0 {}
    let late = stats::report(&run, &params).unwrap();
    for (s, seg) in late.segments.iter().enumerate() {
        assert!(seg.decision.warning.is_none(), "segment {s}: {:?}", seg.decision.warning);
        assert_eq!(seg.decision.leader, s, "the planted best arm leads");
    }
    // too few impressions on some arm also warns, even when the leader looks confident
    let d = stats::decide(&cells(&[(50, 0), (40_000, 4_000)]), 0, &params, &mut SimRng::new(2, 0));
    assert_eq!(d.warning.unwrap().reason, PeekReason::TooFewImpressions);
}

#[test]
fn personalisation_lift_has_a_credible_interval_around_the_truth() {
    // Planted: personalised 2× base everywhere; best generic creative 2× in one of 4 equal
    // segments and 1× in three: 1.25× base. True lift 2 / 1.25 − 1 = 0.6.
    let sc = fixtures::planted(4);
    let run = fixtures::finished(&sc, fixtures::params(PolicySpec::Uniform, 400_000, 2, fixtures::quiet_model()));
    let r = stats::report(&run, &StatsParams::default()).unwrap();
    assert!(r.simulated);
    assert!((r.lift.true_lift - 0.6).abs() < 1e-9, "{}", r.lift.true_lift);
    assert!(r.lift.low > 0.0 && r.lift.low < r.lift.mean && r.lift.mean < r.lift.high, "{:?}", r.lift);
    assert!(r.lift.low < 0.6 && 0.6 < r.lift.high, "{:?}", r.lift);
    assert!(r.lift.probability_positive > 0.99);
    assert_eq!(r.lift.personalised, sc.arms.iter().map(|a| a.variant_id).collect::<Vec<_>>());
    assert_eq!(r.overall.arms.len(), 4);
}

#[test]
fn reports_are_seeded() {
    let sc = fixtures::planted(2);
    let run = fixtures::finished(&sc, fixtures::params(PolicySpec::default(), 3_000, 1, fixtures::quiet_model()));
    let p = StatsParams { draws: 500, ..Default::default() };
    assert_eq!(stats::report(&run, &p).unwrap(), stats::report(&run, &p).unwrap());
}
