//! IPW, self-normalised IPW and doubly robust estimates with bootstrap intervals, computed as
//! obp 0.5.7 computes them (`obp/ope/estimators.py`, `obp/utils.py`), operation for operation.
//!
//! With w_i = π(a_i | k_i) / pscore_i (no clipping: obp's default `lambda_ = inf`), each
//! estimator is the mean of per-row "round rewards":
//!
//! | estimator | round reward | obp |
//! |---|---|---|
//! | IPW | r_i · w_i | `reward * iw` |
//! | SNIPW | r_i · w_i / mean(w) | `reward * iw / iw.mean()` |
//! | DR | Σ_a π(a\|k_i) q̂(a,k_i) / Σ_a π(a\|k_i) + w_i (r_i − q̂(a_i,k_i)) | `np.average(q̂, weights=π) + iw * (reward - q̂_factual)` |
//!
//! The bootstrap is obp's `estimate_confidence_interval_by_bootstrap`: a fresh
//! `RandomState(seed)` per estimator, `n_bootstrap` times the mean of `choice(round_rewards,
//! size=n)`, then `np.percentile` at 100·α/2 and 100·(1 − α/2). Because every estimator
//! starts from the same seed it resamples the same rows, so one index stream serves all
//! three: the hot loop draws n indices and sums three gathered values per index, with no
//! allocation inside it.

use serde::Serialize;

use super::mt19937::Mt19937;
use super::numeric::{self, pairwise_sum, Sums3};
use super::{EvalPolicy, Logs, RewardModel, ValidOpeParams};

/// The three estimators, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Estimator {
    Ipw,
    Snipw,
    Dr,
}

impl Estimator {
    pub const ALL: [Estimator; 3] = [Estimator::Ipw, Estimator::Snipw, Estimator::Dr];

    /// obp's `estimator_name`.
    pub fn as_str(self) -> &'static str {
        match self {
            Estimator::Ipw => "ipw",
            Estimator::Snipw => "snipw",
            Estimator::Dr => "dr",
        }
    }
}

/// One estimator's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub estimator: Estimator,
    /// `estimate_policy_value`.
    pub value: f64,
    /// `estimate_interval`: the bootstrap percentiles at 100·α/2 and 100·(1 − α/2) …
    pub ci_lower: f64,
    pub ci_upper: f64,
    /// … and the mean of the bootstrap replicates (obp's `"mean"`).
    pub bootstrap_mean: f64,
    /// Mean of the importance weights the estimator applies to rewards (w for IPW and DR,
    /// w / mean(w) — so 1 — for SNIPW). Far from 1 for IPW: the target strays from the logs.
    pub mean_weight: f64,
    /// Kish's effective sample size of those weights, (Σw)² / Σw²: how many rows the estimate
    /// effectively rests on (the row count when all weights are equal).
    pub effective_sample_size: f64,
}

/// Per-row round rewards of the three estimators plus the importance weights.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundRewards {
    /// `[ipw, snipw, dr]` per row, interleaved so one bootstrap gather fetches all three.
    pub rows: Vec<[f64; 3]>,
    pub weights: Vec<f64>,
    /// mean(w), SNIPW's normaliser.
    pub mean_weight: f64,
}

/// Round rewards of IPW, SNIPW and DR for `policy` on `logs`, with q̂ from `model`.
pub fn round_rewards(logs: &Logs, model: &RewardModel, policy: &EvalPolicy) -> RoundRewards {
    let n_positions = logs.n_positions();
    // The direct-method term depends on the position only (π and q̂ are context-free):
    // np.average over the items, i.e. pairwise Σ q̂·π / pairwise Σ π.
    let dm: Vec<f64> = (0..n_positions)
        .map(|k| {
            let (q, pi) = (model.at_position(k), policy.at_position(k));
            pairwise_sum(q.len(), &|a| q[a] * pi[a]) / pairwise_sum(pi.len(), &|a| pi[a])
        })
        .collect();
    let (action, position, reward, pscore) = (logs.action(), logs.position(), logs.reward(), logs.pscore());
    let weights: Vec<f64> = (0..logs.len()).map(|i| policy.prob(action[i] as usize, position[i] as usize) / pscore[i]).collect();
    let mean_weight = numeric::mean(&weights);
    let rows = (0..logs.len())
        .map(|i| {
            let (a, k, r, w) = (action[i] as usize, position[i] as usize, reward[i], weights[i]);
            let ipw = r * w;
            [ipw, ipw / mean_weight, dm[k] + w * (r - model.q(a, k))]
        })
        .collect();
    RoundRewards { rows, weights, mean_weight }
}

/// Kish's effective sample size (Σw)² / Σw².
pub fn effective_sample_size(weights: &[f64]) -> f64 {
    let s = pairwise_sum(weights.len(), &|i| weights[i]);
    let s2 = pairwise_sum(weights.len(), &|i| weights[i] * weights[i]);
    if s2 > 0.0 {
        s * s / s2
    } else {
        0.0
    }
}

/// The bootstrap replicate means, per estimator (`[ipw, snipw, dr]`), each list in draw order.
/// No replicates for no rows; at most 2^32 rows (numpy's 32-bit draw path).
pub fn bootstrap(rows: &[[f64; 3]], n_bootstrap: usize, seed: u32) -> [Vec<f64>; 3] {
    let n = rows.len();
    let mut out = [Vec::with_capacity(n_bootstrap), Vec::with_capacity(n_bootstrap), Vec::with_capacity(n_bootstrap)];
    if n == 0 {
        return out;
    }
    assert!(n - 1 <= u32::MAX as usize, "bootstrap over more than 2^32 rows");
    let mut rng = Mt19937::new(seed);
    let mut idx = vec![0u32; n];
    for _ in 0..n_bootstrap {
        rng.fill_bounded((n - 1) as u32, &mut idx);
        let Sums3(sums) = pairwise_sum(n, &|i| Sums3(rows[idx[i] as usize]));
        for (reps, s) in out.iter_mut().zip(sums) {
            reps.push(s / n as f64);
        }
    }
    out
}

/// All three estimates with their intervals and weight diagnostics.
pub fn estimate_all(logs: &Logs, model: &RewardModel, policy: &EvalPolicy, params: &ValidOpeParams) -> Vec<Estimate> {
    let rr = round_rewards(logs, model, policy);
    let n = rr.rows.len();
    let boot = bootstrap(&rr.rows, params.n_bootstrap, params.seed);
    let ess = effective_sample_size(&rr.weights);
    let snipw_weights: Vec<f64> = rr.weights.iter().map(|w| w / rr.mean_weight).collect();
    Estimator::ALL
        .iter()
        .zip(boot)
        .enumerate()
        .map(|(k, (&estimator, mut reps))| {
            let value = pairwise_sum(n, &|i| rr.rows[i][k]) / n as f64;
            let bootstrap_mean = numeric::mean(&reps);
            let ci_lower = numeric::percentile(&mut reps, 100.0 * (params.alpha / 2.0));
            let ci_upper = numeric::percentile(&mut reps, 100.0 * (1.0 - params.alpha / 2.0));
            let (mean_weight, effective_sample_size) = match estimator {
                Estimator::Snipw => (numeric::mean(&snipw_weights), effective_sample_size(&snipw_weights)),
                Estimator::Ipw | Estimator::Dr => (rr.mean_weight, ess),
            };
            Estimate { estimator, value, ci_lower, ci_upper, bootstrap_mean, mean_weight, effective_sample_size }
        })
        .collect()
}
