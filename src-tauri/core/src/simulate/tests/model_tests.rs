use super::fixtures;
use crate::simulate::model::{Drift, Element, ElementEffect, PlacementEffect, ResponseModel};
use crate::simulate::*;
use crate::{ErrorCode, HasCode};

fn field_of(e: SimulateError) -> String {
    assert_eq!(e.code(), ErrorCode::InvalidInput, "{e}");
    match e {
        SimulateError::BadParam { field, .. } => field,
        other => panic!("expected BadParam, got {other}"),
    }
}

#[test]
fn model_check_rejects_bad_values_naming_the_field() {
    assert!(ResponseModel::default().check().is_ok());
    let d = ResponseModel::default;
    let cases: Vec<(ResponseModel, &str)> = vec![
        (ResponseModel { base_intercept: -0.1, ..d() }, "model.base_intercept"),
        (ResponseModel { base_min: 0.1, base_max: 0.05, ..d() }, "model.base_max"),
        (ResponseModel { affinity_weight: f64::NAN, ..d() }, "model.affinity_weight"),
        (ResponseModel { copy_penalty: 1.0, ..d() }, "model.copy_penalty"),
        (ResponseModel { placements: vec![PlacementEffect { placement: "x".into(), multiplier: 0.0 }], ..d() }, "model.placements[0].multiplier"),
        (ResponseModel { elements: vec![ElementEffect { element: Element::Cta, key: " ".into(), multiplier: 1.0 }], ..d() }, "model.elements[0].key"),
        (ResponseModel { fatigue_half_life: Some(0.0), ..d() }, "model.fatigue_half_life"),
        (ResponseModel { audience_scale: 0.5, ..d() }, "model.audience_scale"),
        (ResponseModel { max_ctr: 1.0, ..d() }, "model.max_ctr"),
        (ResponseModel { drift: Some(Drift { segment_id: 1, at_impression: 0, new_top_category: None, multiplier: 1.0 }), ..d() }, "model.drift.at_impression"),
    ];
    for (m, field) in cases {
        assert_eq!(field_of(m.check().unwrap_err()), field);
    }
}

#[test]
fn run_policy_and_stats_params_check_reject_bad_values() {
    let p = |policy| fixtures::params(policy, 1000, 0, ResponseModel::default());
    assert_eq!(field_of(p(PolicySpec::EpsilonGreedy { epsilon: 1.5 }).check().unwrap_err()), "policy.epsilon");
    assert_eq!(field_of(p(PolicySpec::Thompson { exact_below: 0 }).check().unwrap_err()), "policy.exact_below");
    assert_eq!(field_of(p(PolicySpec::Factorised { prior_sd: 0.0, residual_sd: 0.2, refit_every: 1 }).check().unwrap_err()), "policy.prior_sd");
    assert_eq!(field_of(RunParams { impressions: 0, ..p(PolicySpec::Uniform) }.check().unwrap_err()), "impressions");
    assert_eq!(field_of(stats::StatsParams { draws: 10, ..Default::default() }.check().unwrap_err()), "stats.draws");
    // Run::new checks against the scenario too.
    let bad_drift = ResponseModel { drift: Some(Drift { segment_id: 999, at_impression: 5, new_top_category: None, multiplier: 2.0 }), ..ResponseModel::default() };
    assert_eq!(field_of(Run::new(fixtures::planted(2), p(PolicySpec::Uniform).with_model(bad_drift)).unwrap_err()), "model.drift.segment_id");
    let control = RunParams { control_variant: Some(7), ..p(PolicySpec::Uniform) };
    assert_eq!(field_of(Run::new(fixtures::planted(2), control).unwrap_err()), "control_variant");
}

trait WithModel {
    fn with_model(self, m: ResponseModel) -> Self;
}

impl WithModel for RunParams {
    fn with_model(self, model: ResponseModel) -> Self {
        RunParams { model, ..self }
    }
}

#[test]
fn response_model_follows_its_documented_formula() {
    let sc = fixtures::planted(2);
    let m = fixtures::quiet_model();
    let (seg, arm) = (&sc.segments[0], &sc.arms[0]);
    let base = 0.004 + 0.1 * 0.1 + 0.3 * 0.02;
    let e = m.effects(seg, arm);
    assert!((e.base - base).abs() < 1e-12);
    assert!((e.ctr - 2.0 * base).abs() < 1e-12, "top category doubles the CTR at affinity weight 1");
    assert!((m.effects(seg, &sc.arms[1]).ctr - base).abs() < 1e-12, "no affinity, no effect");

    // discount framing × price sensitivity: price-sensitive segments respond more
    let model = ResponseModel { discount_weight: 1.5, ..m.clone() };
    let discount = ArmSpec { discount: true, ..arm.clone() };
    let sensitive = SegmentSpec { price_index: -0.4, ..seg.clone() };
    let premium = SegmentSpec { price_index: 0.4, ..seg.clone() };
    assert!((model.effects(&sensitive, &discount).discount - (0.6f64).exp()).abs() < 1e-12);
    assert!(model.effects(&sensitive, &discount).ctr > model.effects(&sensitive, arm).ctr);
    assert!(model.effects(&premium, &discount).ctr < model.effects(&premium, arm).ctr);

    // copy length: 4 % per 10 width units over 40
    let long = ArmSpec { copy_width: 60, ..arm.clone() };
    let model = ResponseModel { copy_threshold: 40, copy_penalty: 0.04, ..m.clone() };
    assert!((model.effects(seg, &long).copy_length - 0.96f64.powi(2)).abs() < 1e-12);
    assert_eq!(model.effects(seg, arm).copy_length, 1.0);

    // placement and element multipliers, and the cap
    let model = ResponseModel {
        placements: vec![PlacementEffect { placement: arm.placement.clone(), multiplier: 0.5 }],
        elements: vec![ElementEffect { element: Element::Cta, key: arm.cta.clone(), multiplier: 3.0 }],
        ..m.clone()
    };
    assert!((model.effects(seg, arm).ctr - 2.0 * base * 0.5 * 3.0).abs() < 1e-12);
    let capped = ResponseModel { max_ctr: 0.01, ..m.clone() };
    assert_eq!(capped.effects(seg, arm).ctr, 0.01);
    // overrides replace the funnel calibration
    let o = ResponseModel { base_overrides: vec![model::BaseOverride { segment_id: seg.segment_id, ctr: 0.05 }], ..m };
    assert_eq!(o.base_ctr(seg), 0.05);
}

#[test]
fn fatigue_base_halves_the_ctr_every_half_life_per_user() {
    let sc = fixtures::planted(1);
    let m = ResponseModel { fatigue_half_life: Some(4.0), audience_scale: 1.0, ..fixtures::quiet_model() };
    let q = m.fatigue_bases(&sc).unwrap()[0];
    // 1,000 users; after 4 exposures per user on average the expected factor is
    // (1 − (1 − 2^(−1/4))/1000)^4000 ≈ exp(−4 (1 − 2^(−1/4))) ≈ 0.52: close to a half, a bit
    // more because exposures vary between users.
    let f = q.powi(4_000);
    assert!((0.5..0.56).contains(&f), "{f}");
    assert!(q.powi(8_000) < f && q < 1.0);
    assert!(fixtures::quiet_model().fatigue_bases(&sc).is_none());
}

#[test]
fn drift_moves_the_top_category_and_changes_the_best_arm() {
    let sc = fixtures::planted(3);
    let drift = Drift { segment_id: sc.segments[0].segment_id, at_impression: 100, new_top_category: Some(sc.arms[2].image.clone()), multiplier: 1.0 };
    let m = ResponseModel { drift: Some(drift), ..fixtures::quiet_model() };
    let best = |t: &[f64]| (0..3).fold(0, |b, a| if t[a] > t[b] { a } else { b });
    assert_eq!(best(&m.truth(&sc, false)[..3]), 0);
    assert_eq!(best(&m.truth(&sc, true)[..3]), 2);
    assert_eq!(m.truth(&sc, true)[3..], m.truth(&sc, false)[3..], "other segments unchanged");
}
