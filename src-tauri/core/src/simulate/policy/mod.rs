//! Allocation policies: which arm a simulated user of a segment is shown, and with which
//! probability (the *propensity*, logged with every impression for off-policy evaluation).
//!
//! Every policy learns per segment (contextual by segment). What is logged as propensity:
//!
//! | policy | propensity of the chosen arm |
//! |---|---|
//! | [`Uniform`] | exactly 1/K |
//! | [`EpsilonGreedy`] | exactly 1 − ε + ε/K for the greedy arm, ε/K for the others |
//! | [`Ucb1`] | exactly 1 (deterministic) |
//! | [`Thompson`], [`Factorised`] | a Monte-Carlo estimate of P(policy picks the arm): [`MC_DRAWS`] posterior draws from a dedicated random stream (so estimating never changes the run), smoothed to (wins + ½)/(draws + K/2) so it is never 0, refreshed after every max(32, d/8) decisions d of the segment |
//!
//! In every case [`Policy::allocation`] returns the full distribution the propensity was
//! taken from (it sums to 1).

mod factorised;
mod segmented;
mod thompson;

pub use factorised::Factorised;
pub use segmented::{RunPolicy, Segmented};
pub use thompson::Thompson;

use crate::error::{keyed_text, KeyedText};
use serde::{Deserialize, Serialize};

use super::rng::SimRng;
use super::scenario::Scenario;
use super::SimulateError;

/// A learning allocator over `K` arms for several segments.
pub trait Policy {
    /// The arm shown to a user of `segment`, and the probability with which this policy, in its
    /// current state, picks that arm.
    fn choose(&mut self, segment: usize, rng: &mut SimRng) -> (usize, f64);
    /// Learn that `arm` shown in `segment` was clicked (`reward`) or not.
    fn update(&mut self, segment: usize, arm: usize, reward: bool);
    /// The probability of each arm being chosen next in `segment` (`out.len()` = K; sums to 1).
    fn allocation(&self, segment: usize, out: &mut [f64]);
}

/// Which policy a run uses, with its settings (serde: `{"kind": "thompson", …}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PolicySpec {
    /// Fixed uniform split (a classic A/B/n test).
    Uniform,
    /// Explore uniformly with probability `epsilon` (0–1), else show the best mean.
    EpsilonGreedy { epsilon: f64 },
    /// UCB1 (Auer et al. 2002): mean + √(2 ln t / n), every arm once first.
    Ucb1,
    /// Bernoulli Thompson sampling with Beta(1 + clicks, 1 + misses) per segment × arm
    /// (default). Arms whose smaller Beta shape is below `exact_below` are sampled exactly
    /// (two gamma draws); the others from a skewness-corrected normal approximation of
    /// logit(X) (see [`Thompson`]).
    Thompson {
        #[serde(default = "default_exact_below")]
        exact_below: u32,
    },
    /// Element-level Thompson sampling over a Bayesian logistic model of headline angle ×
    /// image × CTA main effects plus a small per-variant residual (see [`Factorised`]).
    Factorised {
        /// Prior standard deviation of each element effect on the log-odds (0.01–10).
        prior_sd: f64,
        /// Prior standard deviation of each variant's residual (0.001–10).
        residual_sd: f64,
        /// Refit the posterior at least every this many impressions of a segment (1–100,000).
        refit_every: u32,
    },
}

/// Default `exact_below` of Thompson sampling.
pub const EXACT_BELOW: u32 = 8;
/// Default exploration rate of ε-greedy.
pub const DEFAULT_EPSILON: f64 = 0.1;

fn default_exact_below() -> u32 {
    EXACT_BELOW
}

impl Default for PolicySpec {
    fn default() -> Self {
        PolicySpec::Thompson { exact_below: EXACT_BELOW }
    }
}

impl PolicySpec {
    /// Every policy with its default settings, as the window offers them (the default first).
    pub fn choices() -> [PolicySpec; 5] {
        [PolicySpec::default(), PolicySpec::factorised(), PolicySpec::Ucb1, PolicySpec::EpsilonGreedy { epsilon: DEFAULT_EPSILON }, PolicySpec::Uniform]
    }

    /// The factorised policy's defaults.
    pub fn factorised() -> PolicySpec {
        PolicySpec::Factorised { prior_sd: 1.0, residual_sd: 0.2, refit_every: 64 }
    }

    /// A short stable name (`uniform`, `epsilon_greedy`, `ucb1`, `thompson`, `factorised`).
    pub fn name(&self) -> &'static str {
        match self {
            PolicySpec::Uniform => "uniform",
            PolicySpec::EpsilonGreedy { .. } => "epsilon_greedy",
            PolicySpec::Ucb1 => "ucb1",
            PolicySpec::Thompson { .. } => "thompson",
            PolicySpec::Factorised { .. } => "factorised",
        }
    }

    /// The policy named `name` with default settings: `thompson`, `uniform`, `egreedy`
    /// (ε = `epsilon`), `ucb`, `factorised` (also their [`PolicySpec::name`]s).
    /// Errors: `BadParam("policy")` listing the names.
    pub fn parse(name: &str, epsilon: f64) -> Result<PolicySpec, SimulateError> {
        match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "thompson" => Ok(PolicySpec::default()),
            "uniform" => Ok(PolicySpec::Uniform),
            "egreedy" | "epsilon_greedy" => Ok(PolicySpec::EpsilonGreedy { epsilon }),
            "ucb" | "ucb1" => Ok(PolicySpec::Ucb1),
            "factorised" | "factorized" => Ok(PolicySpec::factorised()),
            _ => Err(SimulateError::bad("policy", keyed_text!("simparam.policy"; "must be one of thompson, uniform, egreedy, ucb, factorised; got {value:?}", value = name))),
        }
    }

    /// Check the settings. Errors: `BadParam` naming the field (`policy.epsilon`, …).
    pub fn check(self) -> Result<PolicySpec, SimulateError> {
        let bad = |f: &str, r: KeyedText| Err(SimulateError::bad(format!("policy.{f}"), r));
        match &self {
            PolicySpec::EpsilonGreedy { epsilon } if !(0.0..=1.0).contains(epsilon) => {
                bad("epsilon", keyed_text!("simparam.range"; "must be in {range}, is {value}", range = "[0, 1]", value = epsilon))
            }
            PolicySpec::Thompson { exact_below: 0 } => bad("exact_below", keyed_text!("simparam.at_least_one"; "must be at least 1")),
            PolicySpec::Factorised { prior_sd, .. } if !(0.01..=10.0).contains(prior_sd) => {
                bad("prior_sd", keyed_text!("simparam.range"; "must be in {range}, is {value}", range = "[0.01, 10]", value = prior_sd))
            }
            PolicySpec::Factorised { residual_sd, .. } if !(0.001..=10.0).contains(residual_sd) => {
                bad("residual_sd", keyed_text!("simparam.range"; "must be in {range}, is {value}", range = "[0.001, 10]", value = residual_sd))
            }
            PolicySpec::Factorised { refit_every, .. } if !(1..=100_000).contains(refit_every) => {
                bad("refit_every", keyed_text!("simparam.range"; "must be in {range}, is {value}", range = "1–100,000", value = refit_every))
            }
            _ => Ok(self),
        }
    }

    /// A fresh run policy for `scenario`: one per segment over the arms it is served
    /// ([`Segmented`]); `seed` seeds the propensity estimators.
    pub fn build(&self, scenario: &Scenario, seed: u64) -> RunPolicy {
        RunPolicy::Segmented(Segmented::new(self, scenario, seed))
    }

    /// A fresh policy over every segment × arm of `scenario` (one segment's share of a
    /// [`Segmented`] policy, or the joint policy of runs stored before it).
    pub fn build_joint(&self, scenario: &Scenario, seed: u64) -> PolicyState {
        let (s, k) = (scenario.segments.len(), scenario.arms.len());
        match *self {
            PolicySpec::Uniform => PolicyState::Uniform(Uniform { arms: k }),
            PolicySpec::EpsilonGreedy { epsilon } => PolicyState::EpsilonGreedy(EpsilonGreedy::new(s, k, epsilon)),
            PolicySpec::Ucb1 => PolicyState::Ucb1(Ucb1::new(s, k)),
            PolicySpec::Thompson { exact_below } => PolicyState::Thompson(Thompson::new(s, k, exact_below, seed)),
            PolicySpec::Factorised { prior_sd, residual_sd, refit_every } => PolicyState::Factorised(Factorised::new(scenario, prior_sd, residual_sd, refit_every, seed)),
        }
    }
}

/// A policy with its learnt state, serialisable for checkpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PolicyState {
    Uniform(Uniform),
    EpsilonGreedy(EpsilonGreedy),
    Ucb1(Ucb1),
    Thompson(Thompson),
    Factorised(Factorised),
}

macro_rules! each {
    ($self:expr, $p:ident => $e:expr) => {
        match $self {
            PolicyState::Uniform($p) => $e,
            PolicyState::EpsilonGreedy($p) => $e,
            PolicyState::Ucb1($p) => $e,
            PolicyState::Thompson($p) => $e,
            PolicyState::Factorised($p) => $e,
        }
    };
}

impl PolicyState {
    /// The same name as its [`PolicySpec::name`].
    pub fn name(&self) -> &'static str {
        match self {
            PolicyState::Uniform(_) => "uniform",
            PolicyState::EpsilonGreedy(_) => "epsilon_greedy",
            PolicyState::Ucb1(_) => "ucb1",
            PolicyState::Thompson(_) => "thompson",
            PolicyState::Factorised(_) => "factorised",
        }
    }

    /// True when the state's sizes fit `segments` × `arms` (checked when restoring).
    pub(crate) fn fits(&self, segments: usize, arms: usize) -> bool {
        match self {
            PolicyState::Uniform(p) => p.arms == arms,
            PolicyState::EpsilonGreedy(p) => p.counts.fits(segments, arms),
            PolicyState::Ucb1(p) => p.counts.fits(segments, arms) && p.total.len() == segments,
            PolicyState::Thompson(p) => p.fits(segments, arms),
            PolicyState::Factorised(p) => p.fits(segments, arms),
        }
    }
}

impl Policy for PolicyState {
    fn choose(&mut self, segment: usize, rng: &mut SimRng) -> (usize, f64) {
        each!(self, p => p.choose(segment, rng))
    }
    fn update(&mut self, segment: usize, arm: usize, reward: bool) {
        each!(self, p => p.update(segment, arm, reward))
    }
    fn allocation(&self, segment: usize, out: &mut [f64]) {
        each!(self, p => p.allocation(segment, out))
    }
}

/// Fixed uniform split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Uniform {
    arms: usize,
}

impl Policy for Uniform {
    #[inline]
    fn choose(&mut self, _segment: usize, rng: &mut SimRng) -> (usize, f64) {
        (rng.below(self.arms), 1.0 / self.arms as f64)
    }
    fn update(&mut self, _: usize, _: usize, _: bool) {}
    fn allocation(&self, _: usize, out: &mut [f64]) {
        out.fill(1.0 / self.arms as f64);
    }
}

/// Clicks and impressions per segment × arm, with the Laplace mean (c + 1)/(n + 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Counts {
    k: usize,
    n: Vec<u64>,
    c: Vec<u64>,
}

impl Counts {
    fn new(s: usize, k: usize) -> Counts {
        Counts { k, n: vec![0; s * k], c: vec![0; s * k] }
    }
    fn add(&mut self, s: usize, a: usize, reward: bool) {
        self.n[s * self.k + a] += 1;
        self.c[s * self.k + a] += reward as u64;
    }
    fn fits(&self, s: usize, k: usize) -> bool {
        self.k == k && self.n.len() == s * k && self.c.len() == s * k
    }
    fn mean(&self, i: usize) -> f64 {
        (self.c[i] as f64 + 1.0) / (self.n[i] as f64 + 2.0)
    }
    /// The arm with the highest Laplace mean (lowest index on ties).
    fn greedy(&self, s: usize) -> usize {
        let mut best = (0, f64::NEG_INFINITY);
        for a in 0..self.k {
            let m = self.mean(s * self.k + a);
            if m > best.1 {
                best = (a, m);
            }
        }
        best.0
    }
}

/// ε-greedy: with probability ε a uniformly random arm, else the arm with the highest Laplace
/// mean (c + 1)/(n + 2) in the segment (lowest index on ties).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpsilonGreedy {
    epsilon: f64,
    counts: Counts,
}

impl EpsilonGreedy {
    fn new(s: usize, k: usize, epsilon: f64) -> Self {
        EpsilonGreedy { epsilon, counts: Counts::new(s, k) }
    }
}

impl Policy for EpsilonGreedy {
    fn choose(&mut self, segment: usize, rng: &mut SimRng) -> (usize, f64) {
        let k = self.counts.k;
        let greedy = self.counts.greedy(segment);
        let arm = if rng.unit() < self.epsilon { rng.below(k) } else { greedy };
        let explore = self.epsilon / k as f64;
        (arm, if arm == greedy { 1.0 - self.epsilon + explore } else { explore })
    }
    fn update(&mut self, segment: usize, arm: usize, reward: bool) {
        self.counts.add(segment, arm, reward);
    }
    fn allocation(&self, segment: usize, out: &mut [f64]) {
        out.fill(self.epsilon / out.len() as f64);
        out[self.counts.greedy(segment)] += 1.0 - self.epsilon;
    }
}

/// UCB1: each arm once (in order), then argmax of mean + √(2 ln t / n) with t the segment's
/// impressions (lowest index on ties). Deterministic: propensity 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ucb1 {
    counts: Counts,
    total: Vec<u64>,
}

impl Ucb1 {
    fn new(s: usize, k: usize) -> Self {
        Ucb1 { counts: Counts::new(s, k), total: vec![0; s] }
    }
    fn pick(&self, s: usize) -> usize {
        let k = self.counts.k;
        if let Some(a) = (0..k).find(|&a| self.counts.n[s * k + a] == 0) {
            return a;
        }
        let log_t = 2.0 * (self.total[s] as f64).ln();
        let mut best = (0, f64::NEG_INFINITY);
        for a in 0..k {
            let i = s * k + a;
            let n = self.counts.n[i] as f64;
            let v = self.counts.c[i] as f64 / n + (log_t / n).sqrt();
            if v > best.1 {
                best = (a, v);
            }
        }
        best.0
    }
}

impl Policy for Ucb1 {
    fn choose(&mut self, segment: usize, _rng: &mut SimRng) -> (usize, f64) {
        (self.pick(segment), 1.0)
    }
    fn update(&mut self, segment: usize, arm: usize, reward: bool) {
        self.counts.add(segment, arm, reward);
        self.total[segment] += 1;
    }
    fn allocation(&self, segment: usize, out: &mut [f64]) {
        out.fill(0.0);
        out[self.pick(segment)] = 1.0;
    }
}

/// Posterior draws per Monte-Carlo propensity estimate.
pub const MC_DRAWS: u32 = 256;

/// Cached Monte-Carlo estimates of a sampling policy's allocation per segment (see the
/// module docs for the schedule and smoothing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct McAllocation {
    k: usize,
    alloc: Vec<f64>,
    decisions: Vec<u64>,
    next: Vec<u64>,
    rng: SimRng,
}

impl McAllocation {
    fn new(s: usize, k: usize, seed: u64) -> Self {
        McAllocation { k, alloc: vec![1.0 / k as f64; s * k], decisions: vec![0; s], next: vec![0; s], rng: SimRng::new(seed, 0x50_52_4F_50) }
    }

    fn fits(&self, s: usize, k: usize) -> bool {
        self.k == k && self.alloc.len() == s * k && self.decisions.len() == s && self.next.len() == s
    }

    /// Re-estimate segment `s` if due, with `draw` (one posterior sample's argmax).
    #[inline]
    fn refresh_if_due(&mut self, s: usize, mut draw: impl FnMut(&mut SimRng) -> usize) {
        let d = self.decisions[s];
        if d < self.next[s] {
            return;
        }
        let mut wins = vec![0u32; self.k];
        for _ in 0..MC_DRAWS {
            wins[draw(&mut self.rng)] += 1;
        }
        let denom = MC_DRAWS as f64 + 0.5 * self.k as f64;
        for (a, w) in wins.iter().enumerate() {
            self.alloc[s * self.k + a] = (*w as f64 + 0.5) / denom;
        }
        self.next[s] = d + (d / 8).max(32);
    }

    /// Count a decision for `arm` in `s`; its propensity.
    #[inline]
    fn tick(&mut self, s: usize, arm: usize) -> f64 {
        self.decisions[s] += 1;
        self.alloc[s * self.k + arm]
    }

    fn get(&self, s: usize, out: &mut [f64]) {
        out.copy_from_slice(&self.alloc[s * self.k..(s + 1) * self.k]);
    }
}
