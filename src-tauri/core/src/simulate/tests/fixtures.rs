//! Planted scenarios and helpers for the simulator's tests.

use crate::simulate::model::{Element, ElementEffect, ResponseModel};
use crate::simulate::{ArmSpec, PolicySpec, Run, RunParams, Scenario, SegmentSpec};

const CATS: [&str; 6] = ["digital", "beauty", "home", "sports", "food", "pets"];

fn segment(i: usize, top: &[&str]) -> SegmentSpec {
    SegmentSpec {
        segment_id: 10 + i as i64,
        name_en: format!("Segment {i}"),
        name_zh: format!("人群{i}"),
        size: 1_000,
        cart_rate: 0.1,
        purchase_rate: 0.02,
        price_index: 0.0,
        top_categories: top.iter().map(|c| c.to_string()).collect(),
    }
}

fn arm(i: usize, angle: &str, image: &str, cta: &str) -> ArmSpec {
    ArmSpec {
        variant_id: 100 + i as i64,
        label: format!("#{i} {angle}/{image}/{cta}"),
        segment_id: 10,
        angle: angle.into(),
        image: image.into(),
        cta: cta.into(),
        discount: false,
        copy_width: 20,
        placement: "google-rda-landscape".into(),
        generic: false,
    }
}

/// `n` segments of equal size and `n` arms; arm j pictures segment j's only top category, so
/// in segment s arm s has twice the CTR of every other arm (under [`quiet_model`]).
pub fn planted(n: usize) -> Scenario {
    Scenario { segments: (0..n).map(|s| segment(s, &[CATS[s]])).collect(), arms: (0..n).map(|a| arm(a, "quality", CATS[a], "Shop now")).collect() }
}

/// A model where only the affinity matters: base CTR 0.004 + 0.1 × 0.1 + 0.3 × 0.02 = 2 %, no
/// fatigue, no placement, copy or discount effects. Built on the uncalibrated model (absolute
/// base CTRs): the planted tests need CTRs of per cent to tell arms apart in a few thousand
/// impressions; at the calibrated 0.4 % they would need 5–10× more (see `budget`).
pub fn quiet_model() -> ResponseModel {
    ResponseModel { placements: Vec::new(), fatigue_half_life: None, discount_weight: 0.0, copy_penalty: 0.0, ..ResponseModel::uncalibrated() }
}

/// One segment and the 3 × 3 × 2 = 18 combinations of three angles, three images and two CTAs,
/// with multiplicative element effects (best: quality × beauty × "Get offer").
pub fn grid() -> (Scenario, ResponseModel) {
    let (angles, images, ctas) = (["discount", "quality", "bundle"], ["digital", "beauty", "home"], ["Shop now", "Get offer"]);
    let mut arms = Vec::new();
    for h in angles {
        for i in images {
            for c in ctas {
                arms.push(arm(arms.len(), h, i, c));
            }
        }
    }
    let fx = |element, key: &str, multiplier| ElementEffect { element, key: key.into(), multiplier };
    let model = ResponseModel {
        affinity_weight: 0.0,
        elements: vec![
            fx(Element::Headline, "quality", 1.35),
            fx(Element::Headline, "bundle", 0.8),
            fx(Element::Image, "beauty", 1.4),
            fx(Element::Image, "home", 0.85),
            fx(Element::Cta, "Get offer", 1.25),
        ],
        ..quiet_model()
    };
    (Scenario { segments: vec![segment(0, &["toys"])], arms }, model)
}

/// Run parameters with the given policy, length, seed and model.
pub fn params(policy: PolicySpec, impressions: u64, seed: u64, model: ResponseModel) -> RunParams {
    RunParams { impressions, seed, policy, model, placement: None, control_variant: None, model_name: String::new() }
}

/// A finished run.
pub fn finished(scenario: &Scenario, params: RunParams) -> Run {
    let mut run = Run::new(scenario.clone(), params).unwrap();
    while run.advance(7_777) > 0 {}
    run
}

/// Every policy with test settings.
pub fn all_policies() -> Vec<PolicySpec> {
    vec![PolicySpec::Uniform, PolicySpec::EpsilonGreedy { epsilon: 0.1 }, PolicySpec::Ucb1, PolicySpec::default(), PolicySpec::factorised()]
}
