//! One policy per segment over only the arms that segment is served (its own variants and the
//! generic control, see [`Scenario::serving`]), behind the same [`Policy`] interface over the
//! run's global arm indices. Each segment's policy is a one-segment [`PolicyState`] over its
//! local arms; its propensity-estimator seed is the run's seed mixed with the segment index.

use serde::{Deserialize, Serialize};

use super::{Policy, PolicySpec, PolicyState};
use crate::simulate::rng::SimRng;
use crate::simulate::scenario::Scenario;

/// Per-segment policies (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segmented {
    /// Arms of the run.
    k: usize,
    /// Per segment, its policy over its local arms.
    states: Vec<PolicyState>,
    /// Per segment, the global index of each local arm.
    arms: Vec<Vec<u32>>,
    /// Row-major `[segment × global arm]`: the local index, or `u32::MAX` when not served.
    #[serde(skip)]
    local: Vec<u32>,
}

impl Segmented {
    /// Fresh policies `spec` for every segment of `scenario`; `seed` seeds their estimators.
    pub fn new(spec: &PolicySpec, scenario: &Scenario, seed: u64) -> Segmented {
        let arms: Vec<Vec<u32>> = scenario.serving().into_iter().map(|a| a.into_iter().map(|i| i as u32).collect()).collect();
        let states = scenario
            .segments
            .iter()
            .zip(&arms)
            .enumerate()
            .map(|(s, (seg, own))| {
                let sub = Scenario { segments: vec![seg.clone()], arms: own.iter().map(|&a| scenario.arms[a as usize].clone()).collect() };
                spec.build_joint(&sub, seed ^ (s as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
            })
            .collect();
        let mut out = Segmented { k: scenario.arms.len(), states, arms, local: Vec::new() };
        out.index();
        out
    }

    /// Rebuild the global → local map (after deserialising).
    pub(crate) fn index(&mut self) {
        self.local = vec![u32::MAX; self.arms.len() * self.k];
        for (s, own) in self.arms.iter().enumerate() {
            for (l, &a) in own.iter().enumerate() {
                if (a as usize) < self.k {
                    self.local[s * self.k + a as usize] = l as u32;
                }
            }
        }
    }

    /// The policy name (every segment runs the same).
    pub fn name(&self) -> &'static str {
        self.states.first().map_or("uniform", PolicyState::name)
    }

    /// True when the sizes fit `segments` × `arms` (checked when restoring).
    pub(crate) fn fits(&self, segments: usize, arms: usize) -> bool {
        self.k == arms
            && self.states.len() == segments
            && self.arms.len() == segments
            && self.arms.iter().all(|own| !own.is_empty() && own.iter().all(|&a| (a as usize) < arms))
            && self.states.iter().zip(&self.arms).all(|(p, own)| p.fits(1, own.len()))
            && self.states.iter().all(|p| p.name() == self.name())
    }

    /// The state of segment `s`'s policy and the global indices of its arms.
    pub fn segment(&self, s: usize) -> (&PolicyState, &[u32]) {
        (&self.states[s], &self.arms[s])
    }
}

impl Policy for Segmented {
    #[inline]
    fn choose(&mut self, segment: usize, rng: &mut SimRng) -> (usize, f64) {
        let (a, p) = self.states[segment].choose(0, rng);
        (self.arms[segment][a] as usize, p)
    }
    #[inline]
    fn update(&mut self, segment: usize, arm: usize, reward: bool) {
        let l = self.local[segment * self.k + arm];
        debug_assert!(l != u32::MAX, "arm {arm} is not served in segment {segment}");
        self.states[segment].update(0, l as usize, reward);
    }
    fn allocation(&self, segment: usize, out: &mut [f64]) {
        let own = &self.arms[segment];
        let mut local = vec![0.0; own.len()];
        self.states[segment].allocation(0, &mut local);
        out.fill(0.0);
        for (&a, p) in own.iter().zip(local) {
            out[a as usize] = p;
        }
    }
}

/// The learning policy of a run: per segment ([`Segmented`], every run since the generic
/// control) or one joint state over all arms (runs stored before; still restored and served
/// as they were). Serialised untagged: a joint state is a [`PolicyState`] as before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
// One value per run, matched on the hot path without a pointer chase: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum RunPolicy {
    Segmented(Segmented),
    Joint(PolicyState),
}

impl RunPolicy {
    /// The policy's short name ([`PolicySpec::name`]).
    pub fn name(&self) -> &'static str {
        match self {
            RunPolicy::Segmented(p) => p.name(),
            RunPolicy::Joint(p) => p.name(),
        }
    }

    /// True when the sizes fit `segments` × `arms`.
    pub(crate) fn fits(&self, segments: usize, arms: usize) -> bool {
        match self {
            RunPolicy::Segmented(p) => p.fits(segments, arms),
            RunPolicy::Joint(p) => p.fits(segments, arms),
        }
    }

    /// The allocation in `segment` over all arms of the run (0 for arms it is not served).
    pub fn allocation(&self, segment: usize, out: &mut [f64]) {
        match self {
            RunPolicy::Segmented(p) => p.allocation(segment, out),
            RunPolicy::Joint(p) => p.allocation(segment, out),
        }
    }
}
