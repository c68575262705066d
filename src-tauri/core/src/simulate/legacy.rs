//! The original one-shot simulated serving (Thompson sampling per segment over a fixed truth),
//! kept unchanged for the desktop shell's `run_simulation`, the CLI demo and the export's
//! `simulated_ctr` column (table `sim_runs`). Everything here is **simulated**; frames say so.
//!
//! Ground-truth response model (seeded, documented): a user from segment `s` shown the variant
//! made for segment `t` clicks with probability
//! `base(s) × (2.0 if t == s else 0.6 + 0.6 × overlap(s, t))`, where `base(s) = clamp(0.008 +
//! 0.25 × cart_rate(s), 0.005, 0.06)` is calibrated from the segment's own funnel, and
//! `overlap` is the share of `t`'s top categories that are also `s`'s.

use rand::distributions::{Distribution, WeightedIndex};
use rand::{Rng, SeedableRng};
use rand_distr::Beta;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

use super::SimulateError;
use crate::campaign;
use crate::chart::{self, Series};
use crate::segments;
use crate::store::{now_text, Project};

/// Per-variant running totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArmStat {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    pub label: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    pub ctr: f64,
}

/// A snapshot of a run, streamed to the UI while it goes. `simulated` is always true.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SimFrame {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub run_id: i64,
    pub step: u32,
    pub total_steps: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    pub arms: Vec<ArmStat>,
    pub chart_svg: String,
    pub done: bool,
    pub simulated: bool,
}

/// Validated run parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimParams {
    pub impressions: u64,
    pub seed: u64,
    pub steps: u32,
}

impl SimParams {
    /// Check ranges once.
    pub fn check(self) -> Result<SimParams, SimulateError> {
        if !(100..=10_000_000).contains(&self.impressions) || self.steps == 0 {
            return Err(SimulateError::BadImpressions);
        }
        Ok(self)
    }
}

/// A run in progress. Advance with [`Simulation::step`]; read with [`Simulation::frame`].
pub struct Simulation {
    params: SimParams,
    rng: Xoshiro256PlusPlus,
    labels: Vec<String>,
    variant_ids: Vec<i64>,
    audience: WeightedIndex<f64>,
    weights: Vec<f64>,
    /// truth[s][a]: click probability of arm a for a user of segment s.
    pub(super) truth: Vec<Vec<f64>>,
    /// Beta posteriors per (segment, arm): (clicks, misses).
    posterior: Vec<Vec<(u64, u64)>>,
    pub(super) arms: Vec<(u64, u64)>,
    history: Vec<Vec<(f64, f64)>>,
    served: u64,
    step: u32,
}

impl Simulation {
    /// Set up a run over the variants of `campaign_id` and the segments they target.
    pub fn new(project: &Project, campaign_id: i64, params: SimParams) -> Result<Self, SimulateError> {
        let params = params.check()?;
        let variants = campaign::variants(project, campaign_id)?;
        if variants.is_empty() {
            return Err(SimulateError::NoVariants(campaign_id));
        }
        let mut profiles = Vec::new();
        for v in &variants {
            profiles.push(segments::profile_of(project, v.segment_id)?);
        }
        let truth = profiles
            .iter()
            .enumerate()
            .map(|(s, ps)| {
                let base = (0.008 + 0.25 * ps.cart_rate).clamp(0.005, 0.06);
                profiles
                    .iter()
                    .enumerate()
                    .map(|(t, pt)| {
                        let overlap = pt.top_categories.iter().filter(|c| ps.top_categories.contains(c)).count() as f64 / pt.top_categories.len().max(1) as f64;
                        base * if s == t { 2.0 } else { 0.6 + 0.6 * overlap }
                    })
                    .collect()
            })
            .collect();
        let n = variants.len();
        Ok(Simulation {
            params,
            rng: Xoshiro256PlusPlus::seed_from_u64(params.seed),
            labels: variants.iter().map(|v| format!("#{} {}", v.id, v.segment_name_en)).collect(),
            variant_ids: variants.iter().map(|v| v.id).collect(),
            audience: WeightedIndex::new(profiles.iter().map(|p| p.size.max(1) as f64)).expect("positive sizes"),
            weights: profiles.iter().map(|p| p.size.max(1) as f64).collect(),
            truth,
            posterior: vec![vec![(0, 0); n]; n],
            arms: vec![(0, 0); n],
            history: vec![Vec::new(); n],
            served: 0,
            step: 0,
        })
    }

    /// Serve the next step's impressions. Returns false once the run is complete.
    pub fn step(&mut self) -> bool {
        if self.is_done() {
            return false;
        }
        let per = self.params.impressions / self.params.steps as u64;
        let n = if self.step + 1 == self.params.steps { self.params.impressions - self.served } else { per };
        for _ in 0..n {
            let s = self.audience.sample(&mut self.rng);
            let a = self.choose(s);
            let click = self.rng.gen::<f64>() < self.truth[s][a];
            let (c, m) = &mut self.posterior[s][a];
            let (ac, am) = &mut self.arms[a];
            if click {
                *c += 1;
                *ac += 1;
            } else {
                *m += 1;
                *am += 1;
            }
        }
        self.served += n;
        self.step += 1;
        for (a, h) in self.history.iter_mut().enumerate() {
            let (c, m) = self.arms[a];
            h.push((self.served as f64, (c as f64 + 1.0) / ((c + m) as f64 + 2.0)));
        }
        true
    }

    /// Thompson sampling: draw from each arm's Beta posterior for segment `s`, take the best.
    fn choose(&mut self, s: usize) -> usize {
        let mut best = (0, f64::MIN);
        for (a, &(c, m)) in self.posterior[s].iter().enumerate() {
            let draw = Beta::new(c as f64 + 1.0, m as f64 + 1.0).expect("positive parameters").sample(&mut self.rng);
            if draw > best.1 {
                best = (a, draw);
            }
        }
        best.0
    }

    /// Relative size of audience segment `s` (its share of simulated users).
    pub fn audience_weight(&self, s: usize) -> f64 {
        self.weights[s]
    }

    /// True when all impressions are served.
    pub fn is_done(&self) -> bool {
        self.step >= self.params.steps
    }

    /// A frame of the current state, with its chart.
    pub fn frame(&self, run_id: i64) -> Result<SimFrame, SimulateError> {
        let series: Vec<Series> = self.labels.iter().zip(&self.history).map(|(l, h)| Series { label: l, points: h }).collect();
        let svg = chart::line_svg("Simulated CTR by variant · 模拟点击率", "impressions (simulated)", "CTR", &series, (760, 400))?;
        Ok(SimFrame {
            run_id,
            step: self.step,
            total_steps: self.params.steps,
            impressions: self.served,
            clicks: self.arms.iter().map(|a| a.0).sum(),
            arms: self.arm_stats(),
            chart_svg: svg,
            done: self.is_done(),
            simulated: true,
        })
    }

    fn arm_stats(&self) -> Vec<ArmStat> {
        self.arms
            .iter()
            .enumerate()
            .map(|(a, &(c, m))| ArmStat { variant_id: self.variant_ids[a], label: self.labels[a].clone(), impressions: c + m, clicks: c, ctr: if c + m > 0 { c as f64 / (c + m) as f64 } else { 0.0 } })
            .collect()
    }

    /// Store the finished (or stopped) run; returns its id.
    pub fn save(&self, project: &Project, campaign_id: i64) -> Result<i64, SimulateError> {
        project.conn().execute(
            "INSERT INTO sim_runs(campaign_id,created_at,seed,impressions,policy,params,result) VALUES (?1,?2,?3,?4,'thompson',?5,?6)",
            rusqlite::params![
                campaign_id,
                now_text(),
                self.params.seed as i64,
                self.served as i64,
                serde_json::json!({"impressions": self.params.impressions, "steps": self.params.steps, "truth": self.truth, "simulated": true}).to_string(),
                serde_json::to_string(&self.arm_stats()).expect("json"),
            ],
        )?;
        Ok(project.conn().last_insert_rowid())
    }
}

/// Latest simulated CTR per variant of a campaign: from its newest live run (table
/// `simulation_runs`, the learning policy's clicks per impression over all segments) when one
/// has served anything, else from the newest one-shot run (`sim_runs`); empty when none exists.
/// Errors: store errors, or an unreadable checkpoint (as a conversion failure).
pub fn latest_ctr(project: &Project, campaign_id: i64) -> rusqlite::Result<std::collections::HashMap<i64, f64>> {
    use rusqlite::OptionalExtension;
    let newest: Option<i64> = project.conn().query_row("SELECT id FROM simulation_runs WHERE campaign_id = ?1 AND served > 0 ORDER BY id DESC LIMIT 1", [campaign_id], |r| r.get(0)).optional()?;
    if let Some(run_id) = newest {
        let (_, run) = super::saved::load(project, run_id).map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))?;
        let k = run.scenario().arms.len();
        let mut cells = vec![(0u64, 0u64); k];
        for (i, c) in run.counts().iter().enumerate() {
            cells[i % k].0 += c.clicks;
            cells[i % k].1 += c.impressions;
        }
        return Ok(run.scenario().arms.iter().zip(cells).filter(|(_, (_, n))| *n > 0).map(|(a, (c, n))| (a.variant_id, c as f64 / n as f64)).collect());
    }
    let result: Option<String> = project.conn().query_row("SELECT result FROM sim_runs WHERE campaign_id = ?1 ORDER BY id DESC LIMIT 1", [campaign_id], |r| r.get(0)).optional()?;
    let arms: Vec<serde_json::Value> = result.and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    Ok(arms.iter().filter_map(|a| Some((a["variant_id"].as_i64()?, a["ctr"].as_f64()?))).collect())
}
