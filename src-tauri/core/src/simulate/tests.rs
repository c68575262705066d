use super::*;
use crate::store::Project;
use crate::testkit;

mod fixtures;
mod live_tests;
mod model_tests;
mod policy_tests;
mod run_tests;
mod stats_tests;
mod store_tests;

#[test]
fn same_seed_same_run_and_frames_are_labelled_simulated() {
    let (p, cid) = testkit::campaign_project();
    let params = SimParams { impressions: 20_000, seed: 3, steps: 10 };
    let run = |p: &Project| {
        let mut s = Simulation::new(p, cid, params).unwrap();
        while s.step() {}
        s.frame(0).unwrap()
    };
    let a = run(&p);
    let b = run(&p);
    assert_eq!(a.arms, b.arms);
    assert!(a.simulated && a.done);
    assert_eq!(a.impressions, 20_000);
    assert_eq!(a.arms.iter().map(|x| x.impressions).sum::<u64>(), 20_000);
    assert!(a.chart_svg.contains("Simulated"));
}

#[test]
fn thompson_beats_uniform_serving_on_clicks() {
    // Uniform expected clicks = mean over arms of each segment's truth; the learning policy
    // must find the personalised variants and clearly beat that.
    let (p, cid) = testkit::campaign_project();
    let mut wins = 0;
    for seed in 0..5 {
        let mut s = Simulation::new(&p, cid, SimParams { impressions: 40_000, seed, steps: 20 }).unwrap();
        while s.step() {}
        let clicks: u64 = s.arms.iter().map(|a| a.0).sum();
        let sizes: Vec<f64> = s.truth.iter().enumerate().map(|(i, _)| s.audience_weight(i)).collect();
        let total: f64 = sizes.iter().sum();
        let uniform: f64 = s.truth.iter().zip(&sizes).map(|(row, w)| w / total * row.iter().sum::<f64>() / row.len() as f64).sum::<f64>() * 40_000.0;
        if clicks as f64 > uniform * 1.2 {
            wins += 1;
        }
    }
    assert!(wins >= 4, "thompson beat uniform by 20% in {wins}/5 seeds");
}

#[test]
fn bad_params_are_rejected() {
    assert_eq!(SimParams { impressions: 5, seed: 0, steps: 1 }.check().unwrap_err().code(), ErrorCode::InvalidInput);
}
