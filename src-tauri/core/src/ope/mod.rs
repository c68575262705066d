//! Off-policy evaluation: what another recommendation policy *would* have earned, estimated
//! from logged bandit feedback in the Open Bandit Dataset format.
//!
//! ```text
//! logs CSV ──► Logs ──► RewardModel (q̂ per item × position)
//!                  └──► EvalPolicy (π(a | position): a CSV table, uniform, or best-item)
//!                         └──► estimators: IPW, SNIPW, DR + bootstrap CIs ──► OpeReport
//! ```
//!
//! The numbers are the ones the Python `obp` package (0.5.7) computes on the same inputs —
//! `InverseProbabilityWeighting`, `SelfNormalizedInverseProbabilityWeighting` and
//! `DoublyRobust`, `estimate_policy_value` and `estimate_interval` — including the bootstrap
//! intervals, whose resampling replays numpy's legacy `RandomState` stream ([`mt19937`]) and
//! whose sums follow numpy's pairwise order ([`numeric`]). `tests/ope/compare_obp.py` checks
//! this against obp itself.
//!
//! Entry points: [`evaluate_file`] (paths in, report out, as `studio ope` does) and
//! [`evaluate`] (in-memory logs and policy).

pub mod dsjson;
pub mod estimators;
pub mod logs;
pub mod mt19937;
pub mod numeric;
pub mod policy;
pub mod reward;

#[cfg(test)]
mod tests;

use std::path::Path;

use serde::Serialize;
use thiserror::Error;

use crate::error::{io_code, ErrorCode, HasCode};

pub use estimators::{Estimate, Estimator};
pub use logs::Logs;
pub use policy::{EvalPolicy, PolicySpec};
pub use reward::RewardModel;

/// Why logs or a policy could not be used. Every input problem names the file, and the line
/// and column where there is one.
#[derive(Debug, Error)]
pub enum OpeError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// A structural problem on one line (malformed CSV, missing header columns).
    #[error("{path}: line {line}: {reason}")]
    Malformed { path: String, line: u64, reason: String },
    /// A value that is not acceptable.
    #[error("{path}: line {line}, column {column}: {reason}")]
    BadValue { path: String, line: u64, column: &'static str, reason: String },
    /// A problem of the file as a whole (no rows, positions not consecutive, a policy
    /// position without probabilities).
    #[error("{path}: {reason}")]
    BadFile { path: String, reason: String },
    /// A policy that is neither a built-in name nor an existing file.
    #[error("{path}: no such policy file (a policy is `uniform`, `best-item` or a CSV file item_id,position,probability)")]
    PolicyNotFound { path: String },
    #[error("invalid OPE parameters: {0}")]
    InvalidParams(String),
}

impl HasCode for OpeError {
    fn code(&self) -> ErrorCode {
        match self {
            OpeError::Read { source, .. } => io_code(source),
            OpeError::PolicyNotFound { .. } => ErrorCode::NotFound,
            OpeError::Malformed { .. } | OpeError::BadValue { .. } | OpeError::BadFile { .. } | OpeError::InvalidParams(_) => ErrorCode::InvalidInput,
        }
    }
}

/// Bootstrap settings, checked once by [`OpeParams::check`]. Defaults: 100 replicates (obp's
/// `OffPolicyEvaluation` default), α = 0.05, seed 12345.
#[derive(Debug, Clone, PartialEq)]
pub struct OpeParams {
    /// Bootstrap replicates (obp's `n_bootstrap_samples`), 1..=1,000,000.
    pub n_bootstrap: usize,
    /// Significance level, 0 < α < 1: the interval is the (α/2, 1 − α/2) percentile range.
    pub alpha: f64,
    /// obp's `random_state`: the seed of numpy's `RandomState` (any 32-bit unsigned value).
    pub seed: u32,
}

impl Default for OpeParams {
    fn default() -> Self {
        OpeParams { n_bootstrap: 100, alpha: 0.05, seed: 12345 }
    }
}

/// Parameters that passed [`OpeParams::check`].
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOpeParams(OpeParams);

impl std::ops::Deref for ValidOpeParams {
    type Target = OpeParams;
    fn deref(&self) -> &OpeParams {
        &self.0
    }
}

impl OpeParams {
    /// Validate once: 1 ≤ n_bootstrap ≤ 1,000,000 and 0 < α < 1.
    pub fn check(self) -> Result<ValidOpeParams, OpeError> {
        if !(1..=1_000_000).contains(&self.n_bootstrap) {
            return Err(OpeError::InvalidParams(format!("the number of bootstrap samples must be between 1 and 1000000, got {}", self.n_bootstrap)));
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(OpeError::InvalidParams(format!("alpha must be strictly between 0 and 1, got {}", self.alpha)));
        }
        Ok(ValidOpeParams(self))
    }
}

/// The reward model as reported: its prior and the formula, so a reader can reproduce q̂.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RewardModelSummary {
    /// q̂(a, k) = (clicks(a, k) + prior) / (impressions(a, k) + 1).
    pub formula: &'static str,
    /// The overall click rate of the logs, the value q̂ shrinks toward.
    pub prior: f64,
}

/// Everything `studio ope` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpeReport {
    /// The logs file.
    pub logs: String,
    /// The evaluation policy: `uniform`, `best-item` or the policy file.
    pub policy: String,
    pub rows: usize,
    pub clicks: u64,
    pub n_items: usize,
    pub n_positions: usize,
    /// How the logs number positions (0 or 1); obp's dense rank makes them 0-based.
    pub position_base: u32,
    /// The logging policy's own value: the mean click of the logs.
    pub on_policy_value: f64,
    pub reward_model: RewardModelSummary,
    pub n_bootstrap: usize,
    pub alpha: f64,
    pub seed: u32,
    /// IPW, SNIPW and DR, in that order.
    pub estimates: Vec<Estimate>,
}

/// Estimate the value of `policy` on `logs` with IPW, SNIPW and DR (q̂ from `model`), each
/// with a bootstrap interval. The policy and the model must cover the logs' items and
/// positions exactly. SNIPW is NaN (`null` in JSON) when the policy gives every logged action
/// probability 0, as in obp.
pub fn evaluate(logs: &Logs, model: &RewardModel, policy: &EvalPolicy, params: &ValidOpeParams) -> Result<OpeReport, OpeError> {
    let shape = (logs.n_items(), logs.n_positions());
    for (what, got) in [("policy", (policy.n_items(), policy.n_positions())), ("reward model", (model.n_items(), model.n_positions()))] {
        if got != shape {
            return Err(OpeError::BadFile {
                path: policy.name().to_string(),
                reason: format!("the {what} covers {} items × {} positions but the logs {} have {} × {}", got.0, got.1, logs.path(), shape.0, shape.1),
            });
        }
    }
    let estimates = estimators::estimate_all(logs, model, policy, params);
    Ok(OpeReport {
        logs: logs.path().to_string(),
        policy: policy.name().to_string(),
        rows: logs.len(),
        clicks: logs.clicks(),
        n_items: logs.n_items(),
        n_positions: logs.n_positions(),
        position_base: logs.position_base(),
        on_policy_value: logs.mean_reward(),
        reward_model: RewardModelSummary { formula: reward::FORMULA, prior: model.prior() },
        n_bootstrap: params.n_bootstrap,
        alpha: params.alpha,
        seed: params.seed,
        estimates,
    })
}

/// Read the logs, fit the reward model, resolve the policy (`uniform`, `best-item` or a CSV
/// file whose positions are numbered as in the logs) and [`evaluate`].
pub fn evaluate_file(logs: &Path, policy: &PolicySpec, params: &ValidOpeParams) -> Result<OpeReport, OpeError> {
    let logs = Logs::read(logs)?;
    let model = RewardModel::fit(&logs);
    let policy = EvalPolicy::resolve(policy, &logs, &model)?;
    evaluate(&logs, &model, &policy, params)
}
