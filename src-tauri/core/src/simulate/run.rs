//! A paired, seeded, checkpointable simulation run.
//!
//! Each simulated impression draws, from the *users* random stream: a segment (alias table over
//! the segments' population sizes), an arm of the uniform split, and one uniform number `r`.
//! The learning policy picks its arm (from its own *choices* stream); the user clicks an arm
//! with probability p iff `r < p`. The same user (segment and `r`) is served by both the policy
//! and the uniform split, so their cumulative clicks are directly comparable (common random
//! numbers), and two runs with the same seed but different policies see the same users.
//!
//! Regret is expected regret: Σ (p of the best arm for the user's segment − p of the arm
//! shown), with both probabilities from the true model at that moment (fatigue included),
//! each world against its own fatigue state.
//!
//! A run advances in bounded chunks ([`Run::advance`]); a [`Checkpoint`] (serde) restores it
//! exactly: N impressions, checkpoint, restore, M more ≡ N + M straight (chart points are taken
//! at fixed impression counts, policy refits and propensity refreshes on counts, never on
//! chunk boundaries).

use crate::error::keyed_text;
use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::engine::{serve, Derived, RunState};
use super::history::{Cell, History, Point};
use super::model::ResponseModel;
use super::policy::{PolicySpec, PolicyState, RunPolicy};
use super::rng::SimRng;
use super::scenario::Scenario;
use super::SimulateError;
use crate::store::Project;

/// Everything that defines a run besides its scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RunParams {
    /// Impressions to simulate (1–10⁹).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    pub policy: PolicySpec,
    pub model: ResponseModel,
    /// Placement served (a placement of the campaign); `None`: each variant's primary one.
    #[serde(default)]
    pub placement: Option<String>,
    /// The control variant of "probability to beat control"; `None`: the first arm.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub control_variant: Option<i64>,
    /// Name of the response model (`calibrated-obd-v1` or `custom`, see
    /// [`ResponseModel::name`]), set by [`RunParams::check`]: any value given is replaced.
    #[serde(default)]
    pub model_name: String,
}

impl Default for RunParams {
    fn default() -> Self {
        let model = ResponseModel::default();
        RunParams { impressions: 1_000_000, seed: 0, policy: PolicySpec::default(), model_name: model.name().into(), model, placement: None, control_variant: None }
    }
}

/// The most impressions of one run.
pub const MAX_IMPRESSIONS: u64 = 1_000_000_000;

impl RunParams {
    /// Check every range. Errors: `BadParam` naming the field.
    pub fn check(self) -> Result<RunParams, SimulateError> {
        if !(1..=MAX_IMPRESSIONS).contains(&self.impressions) {
            return Err(SimulateError::bad("impressions", keyed_text!("simparam.impressions"; "must be in 1–{max}, is {value}", max = MAX_IMPRESSIONS, value = self.impressions)));
        }
        let model = self.model.check()?;
        Ok(RunParams { policy: self.policy.check()?, model_name: model.name().into(), model, ..self })
    }
}

/// One simulated impression, as handed to a log sink.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Impression {
    /// 0-based position in the run.
    pub index: u64,
    pub segment: u32,
    /// 0-based display slot (0 when the model has no slots).
    pub position: u32,
    /// Arm shown by the learning policy.
    pub arm: u32,
    /// Probability with which the policy chose `arm` (see [`super::policy`] for what is logged).
    pub propensity: f64,
    /// True click probability of `arm` for this user.
    pub click_probability: f64,
    pub clicked: bool,
    /// Arm shown to the same user by the paired uniform split (propensity 1/K).
    pub uniform_arm: u32,
    pub uniform_clicked: bool,
}

/// A bounded log sink: keeps the last `capacity` impressions and counts all.
#[derive(Debug, Clone, Default)]
pub struct ImpressionLog {
    capacity: usize,
    recent: VecDeque<Impression>,
    seen: u64,
}

impl ImpressionLog {
    /// A ring buffer of `capacity` impressions.
    pub fn new(capacity: usize) -> ImpressionLog {
        ImpressionLog { capacity, recent: VecDeque::with_capacity(capacity.min(1 << 20)), seen: 0 }
    }
    /// Record one impression (dropping the oldest when full).
    pub fn push(&mut self, imp: &Impression) {
        self.seen += 1;
        if self.capacity == 0 {
            return;
        }
        if self.recent.len() == self.capacity {
            self.recent.pop_front();
        }
        self.recent.push_back(*imp);
    }
    /// The kept impressions, oldest first.
    pub fn recent(&self) -> impl Iterator<Item = &Impression> {
        self.recent.iter()
    }
    /// Impressions pushed so far.
    pub fn seen(&self) -> u64 {
        self.seen
    }
}

/// Headline numbers of a run (everything simulated).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Totals {
    /// Served so far.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub planned: u64,
    /// Clicks earned by the learning policy.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    /// Clicks the paired uniform split earned on the same users.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub uniform_clicks: u64,
    /// Cumulative expected regret of the policy (clicks lost against the best arm per user).
    pub regret: f64,
    pub uniform_regret: f64,
    pub done: bool,
    pub simulated: bool,
}

/// The exact state of a run (serde): restore with [`Run::restore`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub version: u32,
    pub scenario: Scenario,
    pub params: RunParams,
    policy: RunPolicy,
    state: RunState,
}

/// Version of the checkpoint format: 2 since per-segment policies (version 1, a joint policy
/// over all arms, is still restored).
pub const CHECKPOINT_VERSION: u32 = 2;

/// A simulation run in progress. Advance with [`Run::advance`]; inspect with the accessors,
/// [`super::stats`] and [`super::charts`]; persist with [`Run::checkpoint`] / [`super::saved`].
#[derive(Debug, Clone)]
pub struct Run {
    scenario: Scenario,
    params: RunParams,
    policy: RunPolicy,
    state: RunState,
    derived: Derived,
}

impl Run {
    /// A fresh run. Errors: `BadParam` for bad parameters, a bad scenario, a drift segment or
    /// control variant that is not in the scenario.
    pub fn new(scenario: Scenario, params: RunParams) -> Result<Run, SimulateError> {
        let params = params.check()?;
        scenario.check()?;
        params.model.check_against(&scenario)?;
        if let Some(v) = params.control_variant.filter(|v| scenario.arm_index(*v).is_none()) {
            return Err(SimulateError::bad("control_variant", keyed_text!("simparam.not_a_variant"; "{value} is not a variant of this run", value = v)));
        }
        let (s, k) = (scenario.segments.len(), scenario.arms.len());
        let policy = params.policy.build(&scenario, params.seed);
        let state = RunState {
            served: 0,
            users: SimRng::new(params.seed, 1),
            choices: SimRng::new(params.seed, 2),
            counts: vec![Cell::default(); s * k],
            uniform: vec![Cell::default(); s * k],
            regret: vec![0.0; s],
            uniform_regret: vec![0.0; s],
            fatigue: [vec![1.0; s * k], vec![1.0; s * k]],
            history: History::new(params.impressions, s, k),
        };
        let derived = Derived::new(&scenario, &params, &state);
        Ok(Run { scenario, params, policy, state, derived })
    }

    /// A fresh run over campaign `campaign_id`'s variants and segments (see
    /// [`Scenario::from_campaign`]).
    pub fn from_campaign(project: &Project, campaign_id: i64, params: RunParams) -> Result<Run, SimulateError> {
        let scenario = Scenario::from_campaign(project, campaign_id, params.placement.as_deref())?;
        Run::new(scenario, params)
    }

    /// Serve up to `max` more impressions (fewer at the end of the run); returns how many.
    pub fn advance(&mut self, max: u64) -> u64 {
        self.advance_logged(max, |_| {})
    }

    /// [`Run::advance`], handing every impression to `log` (e.g. [`ImpressionLog::push`]).
    pub fn advance_logged<F: FnMut(&Impression)>(&mut self, max: u64, mut log: F) -> u64 {
        let start = self.state.served;
        let end = start + max.min(self.params.impressions - start);
        while self.state.served < end {
            let drift_at = self.params.model.drift.as_ref().map(|d| d.at_impression).filter(|_| !self.derived.drifted);
            let stop = end.min(self.state.history.next_due()).min(drift_at.unwrap_or(u64::MAX));
            let n = stop - self.state.served;
            let (st, dv) = (&mut self.state, &mut self.derived);
            match &mut self.policy {
                RunPolicy::Segmented(p) => serve(p, st, dv, n, &mut log),
                RunPolicy::Joint(PolicyState::Uniform(p)) => serve(p, st, dv, n, &mut log),
                RunPolicy::Joint(PolicyState::EpsilonGreedy(p)) => serve(p, st, dv, n, &mut log),
                RunPolicy::Joint(PolicyState::Ucb1(p)) => serve(p, st, dv, n, &mut log),
                RunPolicy::Joint(PolicyState::Thompson(p)) => serve(p, st, dv, n, &mut log),
                RunPolicy::Joint(PolicyState::Factorised(p)) => serve(p, st, dv, n, &mut log),
            }
            if self.state.served == self.state.history.next_due() {
                let point = self.current_point();
                self.state.history.points.push(point);
            }
            if drift_at.is_some_and(|at| self.state.served >= at) {
                // impressions from `at` on see the new taste (Derived::new checks served ≥ at)
                self.derived = Derived::new(&self.scenario, &self.params, &self.state);
            }
        }
        end - start
    }

    /// True when every planned impression is served.
    pub fn is_done(&self) -> bool {
        self.state.served >= self.params.impressions
    }

    /// Impressions served so far.
    pub fn served(&self) -> u64 {
        self.state.served
    }

    /// The segments and arms served.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The validated parameters (model and policy included).
    pub fn params(&self) -> &RunParams {
        &self.params
    }

    /// The policy with its learnt state.
    pub fn policy(&self) -> &RunPolicy {
        &self.policy
    }

    /// The learning policy's counts, row-major `[segment × arm]`.
    pub fn counts(&self) -> &[Cell] {
        &self.state.counts
    }

    /// The paired uniform split's counts, row-major `[segment × arm]`.
    pub fn uniform_counts(&self) -> &[Cell] {
        &self.state.uniform
    }

    /// True click probabilities now, before fatigue, row-major `[segment × arm]`.
    pub fn truth(&self) -> &[f64] {
        &self.derived.truth
    }

    /// True click probability of `arm` in `segment` now, in the policy's world (fatigue included).
    pub fn click_probability(&self, segment: usize, arm: usize) -> f64 {
        let i = segment * self.derived.k + arm;
        self.derived.truth[i] * self.state.fatigue[0][i]
    }

    /// Each segment's share of the simulated audience (sums to 1).
    pub fn segment_shares(&self) -> Vec<f64> {
        let total: f64 = self.scenario.segments.iter().map(|s| s.size as f64).sum();
        self.scenario.segments.iter().map(|s| s.size as f64 / total).collect()
    }

    /// Index of the control arm: the chosen control variant, else the generic control, else
    /// the first arm.
    pub fn control_arm(&self) -> usize {
        self.params.control_variant.and_then(|v| self.scenario.arm_index(v)).or(self.scenario.generic_control()).unwrap_or(0)
    }

    /// The policy's current allocation in `segment` (sums to 1).
    pub fn allocation(&self, segment: usize) -> Vec<f64> {
        let mut out = vec![0.0; self.derived.k];
        self.policy.allocation(segment, &mut out);
        out
    }

    /// Chart points recorded so far.
    pub fn history(&self) -> &History {
        &self.state.history
    }

    /// The aggregates now, as a chart point.
    pub fn current_point(&self) -> Point {
        let st = &self.state;
        let mut uniform_clicks = vec![0; self.scenario.segments.len()];
        for (i, c) in st.uniform.iter().enumerate() {
            uniform_clicks[i / self.derived.k] += c.clicks;
        }
        Point { impressions: st.served, cells: st.counts.clone(), uniform_clicks, regret: st.regret.clone(), uniform_regret: st.uniform_regret.clone() }
    }

    /// Headline numbers.
    pub fn totals(&self) -> Totals {
        let st = &self.state;
        Totals {
            impressions: st.served,
            planned: self.params.impressions,
            clicks: st.counts.iter().map(|c| c.clicks).sum(),
            uniform_clicks: st.uniform.iter().map(|c| c.clicks).sum(),
            regret: st.regret.iter().sum(),
            uniform_regret: st.uniform_regret.iter().sum(),
            done: self.is_done(),
            simulated: true,
        }
    }

    /// The exact state, for pausing, storing and resuming.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint { version: CHECKPOINT_VERSION, scenario: self.scenario.clone(), params: self.params.clone(), policy: self.policy.clone(), state: self.state.clone() }
    }

    /// The run a checkpoint was taken of. Errors: `BadCheckpoint` for another version or
    /// inconsistent sizes, `BadParam` for parameters out of range.
    pub fn restore(mut cp: Checkpoint) -> Result<Run, SimulateError> {
        if let RunPolicy::Segmented(p) = &mut cp.policy {
            p.index();
        }
        let joint = matches!(cp.policy, RunPolicy::Joint(_));
        if !(cp.version == CHECKPOINT_VERSION || (cp.version == 1 && joint)) {
            return Err(SimulateError::BadCheckpoint(format!("version {} (this studio reads {CHECKPOINT_VERSION})", cp.version)));
        }
        let params = cp.params.check()?;
        cp.scenario.check()?;
        let (s, k) = (cp.scenario.segments.len(), cp.scenario.arms.len());
        let st = &cp.state;
        let sizes_ok = st.counts.len() == s * k
            && st.uniform.len() == s * k
            && st.regret.len() == s
            && st.uniform_regret.len() == s
            && st.fatigue.iter().all(|f| f.len() == s * k)
            && st.served <= params.impressions
            && st.history.points.iter().all(|p| p.cells.len() == s * k && p.regret.len() == s && p.uniform_clicks.len() == s && p.uniform_regret.len() == s)
            && cp.policy.fits(s, k)
            && params.policy.name() == cp.policy.name();
        if !sizes_ok {
            return Err(SimulateError::BadCheckpoint("its state does not fit its scenario and policy".into()));
        }
        let derived = Derived::new(&cp.scenario, &params, &cp.state);
        Ok(Run { scenario: cp.scenario, params, policy: cp.policy, state: cp.state, derived })
    }
}
