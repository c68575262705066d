//! The inner loop of a [`super::Run`]: its exact state, the values derived from it, and the
//! serving of impressions (see the `run` module docs for the pairing and the regret).

use serde::{Deserialize, Serialize};

use super::history::{Cell, History};
use super::policy::Policy;
use super::rng::{Alias, SimRng};
use super::run::{Impression, RunParams};
use super::scenario::Scenario;

/// Everything that changes while a run advances (serialised in checkpoints).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct RunState {
    pub(super) served: u64,
    pub(super) users: SimRng,
    pub(super) choices: SimRng,
    pub(super) counts: Vec<Cell>,
    pub(super) uniform: Vec<Cell>,
    pub(super) regret: Vec<f64>,
    pub(super) uniform_regret: Vec<f64>,
    /// Fatigue factor per cell, [policy world, uniform world]: q(s)^exposures, kept by
    /// multiplying (so it is state, stored exactly, not recomputed).
    pub(super) fatigue: [Vec<f64>; 2],
    pub(super) history: History,
}

/// Functions of (scenario, params, state), rebuilt on restore.
#[derive(Debug, Clone)]
pub(super) struct Derived {
    pub(super) k: usize,
    alias: Alias,
    pub(super) drifted: bool,
    pub(super) truth: Vec<f64>,
    /// Fatigue bases per segment, if fatigue is on.
    q: Option<Vec<f64>>,
    /// Per segment, the arms it is served ([`Scenario::serving`]).
    serving: Vec<Vec<u32>>,
    /// Slot multipliers (empty: no slots).
    positions: Vec<f64>,
    /// Per segment and world [policy, uniform]: the best current click probability with its
    /// arm, and an upper bound of the second best (values only fall, so a recorded second best
    /// stays an upper bound).
    best: [Vec<Best>; 2],
}

impl Derived {
    pub(super) fn new(scenario: &Scenario, params: &RunParams, st: &RunState) -> Derived {
        let model = &params.model;
        let k = scenario.arms.len();
        let drifted = model.drift.as_ref().is_some_and(|d| st.served >= d.at_impression);
        let weights: Vec<f64> = scenario.segments.iter().map(|s| s.size as f64).collect();
        let serving = scenario.serving().into_iter().map(|a| a.into_iter().map(|i| i as u32).collect()).collect();
        let mut d = Derived {
            k,
            alias: Alias::new(&weights),
            drifted,
            truth: model.truth(scenario, drifted),
            q: model.fatigue_bases(scenario),
            serving,
            positions: model.positions.clone(),
            best: [Vec::new(), Vec::new()],
        };
        for w in 0..2 {
            d.best[w] = (0..scenario.segments.len()).map(|s| row_best(&d.truth, &st.fatigue[w], k, s)).collect();
        }
        d
    }
}

/// The best arm of a segment now, its click probability, and the second best's.
#[derive(Debug, Clone, Copy)]
struct Best {
    arm: usize,
    p: f64,
    second: f64,
}

/// [`Best`] of segment `s` (lowest index on ties).
#[inline]
fn row_best(truth: &[f64], fatigue: &[f64], k: usize, s: usize) -> Best {
    let (t, f) = (&truth[s * k..(s + 1) * k], &fatigue[s * k..(s + 1) * k]);
    let mut b = Best { arm: 0, p: f64::NEG_INFINITY, second: f64::NEG_INFINITY };
    for a in 0..k {
        let p = t[a] * f[a];
        if p > b.p {
            b = Best { arm: a, p, second: b.p };
        } else if p > b.second {
            b.second = p;
        }
    }
    b
}

/// After arm `a` of segment `s` was shown (its fatigue factor just fell): keep `best` exact.
/// Only the shown arm's probability fell, so the best changes only if it was that arm and it
/// fell below the (recorded upper bound of the) second best.
#[inline(always)]
fn shown(best: &mut Best, truth: &[f64], fatigue: &[f64], k: usize, s: usize, a: usize) {
    if best.arm == a {
        let p = truth[s * k + a] * fatigue[s * k + a];
        if p >= best.second {
            best.p = p;
        } else {
            *best = row_best(truth, fatigue, k, s);
        }
    }
}

/// Serve `n` impressions with policy `P` (monomorphised: no dispatch per impression). Per
/// impression the users stream gives the segment, the uniform split's arm (among the arms the
/// segment is served), the slot (only when the model has slots) and the click threshold.
#[inline(never)]
pub(super) fn serve<P: Policy, F: FnMut(&Impression)>(policy: &mut P, st: &mut RunState, dv: &mut Derived, n: u64, log: &mut F) {
    let k = dv.k;
    for _ in 0..n {
        let s = dv.alias.sample(st.users.next());
        let own = &dv.serving[s];
        let ua = own[st.users.below(own.len())] as usize;
        let (position, slot) = if dv.positions.is_empty() {
            (0, 1.0)
        } else {
            let j = st.users.below(dv.positions.len());
            (j as u32, dv.positions[j])
        };
        let r = st.users.unit();
        let (a, propensity) = policy.choose(s, &mut st.choices);
        let (i, j) = (s * k + a, s * k + ua);
        let p = dv.truth[i] * st.fatigue[0][i] * slot;
        let pu = dv.truth[j] * st.fatigue[1][j] * slot;
        let (click, uclick) = (r < p, r < pu);
        st.regret[s] += dv.best[0][s].p * slot - p;
        st.uniform_regret[s] += dv.best[1][s].p * slot - pu;
        let c = &mut st.counts[i];
        c.impressions += 1;
        c.clicks += click as u64;
        let u = &mut st.uniform[j];
        u.impressions += 1;
        u.clicks += uclick as u64;
        policy.update(s, a, click);
        if let Some(q) = &dv.q {
            st.fatigue[0][i] *= q[s];
            st.fatigue[1][j] *= q[s];
            shown(&mut dv.best[0][s], &dv.truth, &st.fatigue[0], k, s, a);
            shown(&mut dv.best[1][s], &dv.truth, &st.fatigue[1], k, s, ua);
        }
        log(&Impression { index: st.served, segment: s as u32, position, arm: a as u32, propensity, click_probability: p, clicked: click, uniform_arm: ua as u32, uniform_clicked: uclick });
        st.served += 1;
    }
}
