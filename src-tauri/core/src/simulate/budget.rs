//! How many impressions a decision needs at the simulated rates — the planning number shown
//! next to a run (with the calibrated model, at real display CTRs of about 0.4 %, it is large).
//!
//! The rate is the paired uniform split's expected CTR: the audience-weighted mean of the true
//! click probabilities over the arms each segment is served, times the mean slot multiplier
//! (simulated ground truth; for the calibrated model the Open Bandit base CTR). For each minimum
//! relative lift in [`LIFTS`], [`super::calibrate::impressions_per_arm`] gives the impressions
//! one arm needs (two-sided test at the statistics' confidence, power [`POWER`]); a per-segment
//! decision over k_s served arms under an even split needs k_s of those in the segment, so the
//! whole audience must see `max_s per_arm × k_s / share_s` impressions.

use serde::Serialize;

use super::calibrate::impressions_per_arm;
use super::run::Run;
use super::stats::StatsParams;

/// Minimum relative lifts planned for (+10 %, +20 %, +50 %).
pub const LIFTS: [f64; 3] = [0.1, 0.2, 0.5];
/// Power of the planned test.
pub const POWER: f64 = 0.8;

/// The impressions needed to detect one minimum lift.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BudgetRow {
    /// Relative lift to detect (0.1 = +10 %).
    pub min_lift: f64,
    /// Impressions per arm; `None` when the rate leaves nothing to detect.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub per_arm: Option<u64>,
    /// Impressions of the whole audience until every segment can decide.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub total: Option<u64>,
}

/// Impressions a decision needs at the run's rates (see the module docs). Simulated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Budget {
    /// The uniform split's expected CTR.
    pub base_ctr: f64,
    pub confidence: f64,
    pub power: f64,
    /// Arms served per segment.
    pub arms_per_segment: Vec<u32>,
    pub rows: Vec<BudgetRow>,
    pub simulated: bool,
}

/// The budget of `run` at `params.confidence`.
pub fn budget(run: &Run, params: &StatsParams) -> Budget {
    let sc = run.scenario();
    let k = sc.arms.len();
    let serving = sc.serving();
    let shares = run.segment_shares();
    let truth = run.truth();
    let slots = &run.params().model.positions;
    let slot = if slots.is_empty() { 1.0 } else { slots.iter().sum::<f64>() / slots.len() as f64 };
    let base_ctr = slot * (0..shares.len()).map(|s| shares[s] * serving[s].iter().map(|&a| truth[s * k + a]).sum::<f64>() / serving[s].len() as f64).sum::<f64>();
    let rows = LIFTS
        .iter()
        .map(|&min_lift| {
            let per_arm = impressions_per_arm(base_ctr, min_lift, params.confidence, POWER);
            let total = per_arm.map(|n| (0..shares.len()).map(|s| (n as f64 * serving[s].len() as f64 / shares[s]).ceil() as u64).max().unwrap_or(0));
            BudgetRow { min_lift, per_arm, total }
        })
        .collect();
    Budget { base_ctr, confidence: params.confidence, power: POWER, arms_per_segment: serving.iter().map(|a| a.len() as u32).collect(), rows, simulated: true }
}
