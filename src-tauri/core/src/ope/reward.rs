//! The simple reward model the doubly robust estimator (and the `best-item` policy) uses.
//!
//! Context-free on purpose, so it can be reproduced exactly in a few lines of numpy and handed
//! to obp as `estimated_rewards_by_reg_model` (the same value for every row):
//!
//! ```text
//! prior    = total clicks / rows                      (the logs' overall click rate)
//! q̂(a, k) = (clicks(a, k) + prior) / (impressions(a, k) + 1)
//! ```
//!
//! i.e. the empirical click rate of item `a` at position `k`, smoothed by one pseudo-impression
//! whose click rate is the overall rate. An item never shown at a position gets the prior;
//! one shown often gets (nearly) its own rate. Counts are exact integers in f64, so numpy's
//! `(clicks + prior) / (shows + 1)` gives the same bits.

use super::Logs;

/// The formula, as reported in `studio ope` output.
pub const FORMULA: &str = "q(a,k) = (clicks(a,k) + prior) / (impressions(a,k) + 1), prior = clicks / rows";

/// q̂ per (item, position), fitted on logs.
#[derive(Debug, Clone, PartialEq)]
pub struct RewardModel {
    n_items: usize,
    n_positions: usize,
    prior: f64,
    /// q̂, position-major: `q[k * n_items + a]`.
    q: Vec<f64>,
}

impl RewardModel {
    /// Count clicks and impressions per (item, position) in one pass and smooth them.
    pub fn fit(logs: &Logs) -> RewardModel {
        let (n_items, n_positions) = (logs.n_items(), logs.n_positions());
        let mut clicks = vec![0u64; n_items * n_positions];
        let mut shows = vec![0u64; n_items * n_positions];
        for ((&a, &k), &r) in logs.action().iter().zip(logs.position()).zip(logs.reward()) {
            let cell = k as usize * n_items + a as usize;
            shows[cell] += 1;
            clicks[cell] += (r == 1.0) as u64;
        }
        let prior = logs.mean_reward();
        let q = clicks.iter().zip(&shows).map(|(&c, &s)| (c as f64 + prior) / (s as f64 + 1.0)).collect();
        RewardModel { n_items, n_positions, prior, q }
    }

    /// A model with given values `q[k * n_items + a]` (e.g. from another regression), and the
    /// prior to report with them. `None` when the table has the wrong size or a value is not
    /// finite.
    pub fn from_values(n_items: usize, n_positions: usize, prior: f64, q: Vec<f64>) -> Option<RewardModel> {
        (q.len() == n_items * n_positions && n_items > 0 && q.iter().all(|v| v.is_finite())).then_some(RewardModel { n_items, n_positions, prior, q })
    }

    /// q̂(item, position), position 0-based.
    #[inline]
    pub fn q(&self, item: usize, position: usize) -> f64 {
        self.q[position * self.n_items + item]
    }

    /// q̂ of every item at one 0-based position.
    pub fn at_position(&self, position: usize) -> &[f64] {
        &self.q[position * self.n_items..(position + 1) * self.n_items]
    }

    /// The overall click rate q̂ shrinks toward.
    pub fn prior(&self) -> f64 {
        self.prior
    }

    pub fn n_items(&self) -> usize {
        self.n_items
    }

    pub fn n_positions(&self) -> usize {
        self.n_positions
    }

    /// The item with the largest q̂ at a position; ties go to the smallest item id (as
    /// `np.argmax`).
    pub fn best_item(&self, position: usize) -> usize {
        let row = self.at_position(position);
        let mut best = 0;
        for (a, &v) in row.iter().enumerate() {
            if v > row[best] {
                best = a;
            }
        }
        best
    }
}
