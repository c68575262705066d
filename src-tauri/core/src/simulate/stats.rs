//! Statistics a marketer can act on, per segment and overall, from the learning policy's counts
//! (Beta(1 + clicks, 1 + misses) posteriors, Monte-Carlo over exact Beta draws, seeded).
//!
//! * **P(best)**: share of joint posterior draws in which the arm has the highest CTR (sums to 1).
//! * **P(beat control)**: share of draws in which the arm's CTR exceeds the control's.
//! * **Expected loss**: mean of (best CTR in the draw − the arm's CTR): the clicks per impression
//!   given up by choosing it.
//! * **Impressions still needed** (a projection, not a promise): 0 once the leader's P(best)
//!   reaches the confidence; otherwise posterior means are assumed to stay, and each arm's
//!   posterior variance to shrink as μ(1 − μ)/n. Rival b needs x_b more impressions (the leader
//!   as many) until the leader's margin is z standard errors, z = Φ⁻¹(1 − (1 − confidence)/(K − 1))
//!   (Bonferroni over the K − 1 rivals). Total = max_b x_b (leader) + Σ_b x_b; `None` when the
//!   leader is not ahead on its mean.
//! * **Peeking warning**: when the leader's P(best) is below the confidence, or an arm has fewer
//!   than `min_per_arm` impressions: deciding now is deciding too early.
//! * **Lift of personalisation**: the personalised choice (per segment the served arm with the
//!   best posterior mean) against the shared generic control g that every segment is also
//!   served, Σ_s w_s θ(s, d_s) / Σ_s w_s θ(s, g) − 1 over joint posterior draws: mean, central
//!   credible interval, P(lift > 0). `true_lift` is the model's own value of perfect
//!   personalisation over the control (simulated ground truth). Runs without a generic control
//!   (stored before it existed) use the arm with the best audience-weighted mean as g.
//! * **Decisions per segment** are over the arms the segment is served (its own variants and the
//!   control, [`super::Scenario::serving`]); `arm`, `control` and `leader` are run-wide arm indices.
//! * **Decision budget** ([`Budget`]): impressions a decision needs at the simulated rates.
//!
//! Pooled ("overall") counts come from an adaptive policy, so they can mislead (Simpson's
//! paradox); the per-segment decisions are the ones to act on.

use crate::error::keyed_text;
use serde::{Deserialize, Serialize};

use super::history::Cell;
use super::math;
use super::rng::SimRng;
use super::run::Run;
use super::SimulateError;

/// Settings of the statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct StatsParams {
    /// Joint posterior draws (100–1,000,000).
    pub draws: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    /// Fewer impressions than this on any arm triggers the peeking warning.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub min_per_arm: u64,
    /// Decision threshold for P(best) and interval level (0.5–0.999).
    pub confidence: f64,
}

impl Default for StatsParams {
    fn default() -> Self {
        StatsParams { draws: 4000, seed: 0, min_per_arm: 100, confidence: 0.95 }
    }
}

impl StatsParams {
    /// Check ranges. Errors: `BadParam` naming the field.
    pub fn check(self) -> Result<StatsParams, SimulateError> {
        if !(100..=1_000_000).contains(&self.draws) {
            return Err(SimulateError::bad("stats.draws", keyed_text!("simparam.draws"; "must be in 100–1,000,000, is {value}", value = self.draws)));
        }
        if !(0.5..=0.999).contains(&self.confidence) {
            return Err(SimulateError::bad("stats.confidence", keyed_text!("simparam.confidence"; "must be in [0.5, 0.999], is {value}", value = self.confidence)));
        }
        Ok(self)
    }
}

/// One arm's numbers within a decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArmDecision {
    pub arm: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub clicks: u64,
    /// Posterior mean CTR and central credible interval at the confidence level.
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    pub p_best: f64,
    /// `None` for the control itself.
    pub p_beat_control: Option<f64>,
    pub expected_loss: f64,
}

/// Why deciding now would be peeking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PeekReason {
    LeaderNotConfident,
    TooFewImpressions,
}

/// A clear, bilingual warning that a decision would be taken too early.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PeekingWarning {
    pub reason: PeekReason,
    pub message_en: String,
    pub message_zh: String,
}

/// The decision over one group of arms (a segment, or all segments pooled).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Decision {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    pub control: usize,
    /// The arm with the highest P(best).
    pub leader: usize,
    pub arms: Vec<ArmDecision>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub impressions_to_decide: Option<u64>,
    pub warning: Option<PeekingWarning>,
}

/// A segment's decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SegmentReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub segment_id: i64,
    pub name_en: String,
    pub name_zh: String,
    /// Share of the simulated audience.
    pub share: f64,
    pub decision: Decision,
}

/// Lift of personalisation over the best generic creative.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Lift {
    /// Posterior mean of the relative lift (0.2 = +20 % clicks per impression).
    pub mean: f64,
    /// Central credible interval at the confidence level.
    pub low: f64,
    pub high: f64,
    /// P(lift > 0).
    pub probability_positive: f64,
    /// The personalised choice: a variant id per segment.
    #[cfg_attr(feature = "ts", ts(type = "number[]"))]
    pub personalised: Vec<i64>,
    /// The generic creative's variant id.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub generic: i64,
    /// The model's value of perfect personalisation over the best generic creative.
    pub true_lift: f64,
}

/// An arm's identity, for joining decisions (by index) to variants.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ArmRef {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub variant_id: i64,
    pub label: String,
}

/// Everything above for one run. `simulated` is always true.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub impressions: u64,
    pub arms: Vec<ArmRef>,
    pub segments: Vec<SegmentReport>,
    pub overall: Decision,
    pub lift: Lift,
    /// Impressions a decision needs at these rates.
    pub budget: super::budget::Budget,
    pub simulated: bool,
}

fn z_two_sided(confidence: f64) -> f64 {
    math::normal_quantile(1.0 - (1.0 - confidence) / 2.0)
}

/// The decision over arms with counts `cells` against arm `control` (see the module docs).
pub fn decide(cells: &[Cell], control: usize, params: &StatsParams, rng: &mut SimRng) -> Decision {
    let k = cells.len();
    let shapes: Vec<(f64, f64)> = cells.iter().map(|c| (c.clicks as f64 + 1.0, (c.impressions - c.clicks) as f64 + 1.0)).collect();
    let (mut wins, mut beat, mut loss) = (vec![0u64; k], vec![0u64; k], vec![0.0; k]);
    let mut theta = vec![0.0; k];
    for _ in 0..params.draws {
        for (t, &(a, b)) in theta.iter_mut().zip(&shapes) {
            *t = math::beta(rng, a, b);
        }
        let (best, top) = theta.iter().enumerate().fold((0, f64::NEG_INFINITY), |m, (i, &t)| if t > m.1 { (i, t) } else { m });
        wins[best] += 1;
        for a in 0..k {
            loss[a] += top - theta[a];
            beat[a] += (theta[a] > theta[control]) as u64;
        }
    }
    let m = params.draws as f64;
    let z = z_two_sided(params.confidence);
    let arms: Vec<ArmDecision> = (0..k)
        .map(|a| {
            let (low, high) = math::beta_interval(shapes[a].0, shapes[a].1, z);
            ArmDecision {
                arm: a,
                impressions: cells[a].impressions,
                clicks: cells[a].clicks,
                mean: shapes[a].0 / (shapes[a].0 + shapes[a].1),
                low,
                high,
                p_best: wins[a] as f64 / m,
                p_beat_control: (a != control).then(|| beat[a] as f64 / m),
                expected_loss: loss[a] / m,
            }
        })
        .collect();
    let leader = arms.iter().fold(0, |l, a| if a.p_best > arms[l].p_best { a.arm } else { l });
    let needed = impressions_to_decide(&arms, leader, params.confidence);
    let p = arms[leader].p_best;
    let warning = if p < params.confidence {
        let more = needed.map_or(String::new(), |n| format!(" About {n} more impressions are needed."));
        let more_zh = needed.map_or(String::new(), |n| format!("预计还需约 {n} 次曝光。"));
        Some(PeekingWarning {
            reason: PeekReason::LeaderNotConfident,
            message_en: format!("Too early to decide: the leading variant is best with only {:.0}% probability (needs {:.0}%).{more}", p * 100.0, params.confidence * 100.0),
            message_zh: format!("现在下结论为时过早：领先变体为最优的概率仅 {:.0}%（需要 {:.0}%）。{more_zh}", p * 100.0, params.confidence * 100.0),
        })
    } else {
        arms.iter().find(|a| a.impressions < params.min_per_arm).map(|a| PeekingWarning {
            reason: PeekReason::TooFewImpressions,
            message_en: format!("Too early to decide: a variant has only {} impressions (minimum {}).", a.impressions, params.min_per_arm),
            message_zh: format!("现在下结论为时过早：有变体仅获得 {} 次曝光（至少需要 {} 次）。", a.impressions, params.min_per_arm),
        })
    };
    Decision { impressions: cells.iter().map(|c| c.impressions).sum(), control, leader, arms, impressions_to_decide: needed, warning }
}

/// The projection of the module docs.
fn impressions_to_decide(arms: &[ArmDecision], leader: usize, confidence: f64) -> Option<u64> {
    if arms.len() < 2 || arms[leader].p_best >= confidence {
        return Some(0);
    }
    let z = math::normal_quantile(1.0 - (1.0 - confidence) / (arms.len() - 1) as f64);
    let l = &arms[leader];
    let (mut lead_max, mut sum) = (0.0f64, 0.0);
    for b in arms.iter().filter(|b| b.arm != leader) {
        let delta = l.mean - b.mean;
        if delta <= 0.0 {
            return None;
        }
        let target = (delta / z).powi(2);
        let var = |x: f64| l.mean * (1.0 - l.mean) / (l.impressions as f64 + x) + b.mean * (1.0 - b.mean) / (b.impressions as f64 + x);
        let x = if var(0.0) <= target {
            0.0
        } else {
            let (mut lo, mut hi) = (0.0, 1e13);
            for _ in 0..100 {
                let mid = 0.5 * (lo + hi);
                if var(mid) <= target {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            hi
        };
        lead_max = lead_max.max(x);
        sum += x;
    }
    Some((lead_max + sum).ceil() as u64)
}

/// The lift of the module docs from per-segment counts (`cells` row-major `[segment × arm]`),
/// audience `shares`, the arms each segment is served (`serving`), the generic control arm
/// (`None`: the best generic arm) and the true click probabilities `truth` (same layout).
#[allow(clippy::too_many_arguments, reason = "the run's parts, named; a struct would only rename them")]
pub fn lift(cells: &[Cell], shares: &[f64], serving: &[Vec<usize>], control: Option<usize>, truth: &[f64], variant_ids: &[i64], params: &StatsParams, rng: &mut SimRng) -> Lift {
    let k = variant_ids.len();
    let s = shares.len();
    let shape = |i: usize| (cells[i].clicks as f64 + 1.0, (cells[i].impressions - cells[i].clicks) as f64 + 1.0);
    let mean = |i: usize| shape(i).0 / (shape(i).0 + shape(i).1);
    let argmax = |arms: &[usize], f: &dyn Fn(usize) -> f64| arms.iter().copied().fold(arms[0], |b, a| if f(a) > f(b) { a } else { b });
    let personal: Vec<usize> = (0..s).map(|seg| argmax(&serving[seg], &|a| mean(seg * k + a))).collect();
    let all: Vec<usize> = (0..k).collect();
    let generic = control.unwrap_or_else(|| argmax(&all, &|a| (0..s).map(|seg| shares[seg] * mean(seg * k + a)).sum()));
    let mut lifts = Vec::with_capacity(params.draws as usize);
    for _ in 0..params.draws {
        let (mut p, mut g) = (0.0, 0.0);
        for seg in 0..s {
            let (a, b) = shape(seg * k + personal[seg]);
            let x = math::beta(rng, a, b);
            let y = if personal[seg] == generic {
                x
            } else {
                let (a, b) = shape(seg * k + generic);
                math::beta(rng, a, b)
            };
            p += shares[seg] * x;
            g += shares[seg] * y;
        }
        lifts.push(p / g - 1.0);
    }
    lifts.sort_by(f64::total_cmp);
    let q = |f: f64| lifts[((lifts.len() - 1) as f64 * f).round() as usize];
    let tail = (1.0 - params.confidence) / 2.0;
    let oracle: f64 = (0..s).map(|seg| shares[seg] * serving[seg].iter().map(|&a| truth[seg * k + a]).fold(0.0, f64::max)).sum();
    let baseline = match control {
        Some(c) => (0..s).map(|seg| shares[seg] * truth[seg * k + c]).sum::<f64>(),
        None => (0..k).map(|a| (0..s).map(|seg| shares[seg] * truth[seg * k + a]).sum::<f64>()).fold(0.0, f64::max),
    };
    Lift {
        mean: lifts.iter().sum::<f64>() / lifts.len() as f64,
        low: q(tail),
        high: q(1.0 - tail),
        probability_positive: lifts.iter().filter(|&&l| l > 0.0).count() as f64 / lifts.len() as f64,
        personalised: personal.iter().map(|&a| variant_ids[a]).collect(),
        generic: variant_ids[generic],
        true_lift: if baseline > 0.0 { oracle / baseline - 1.0 } else { 0.0 },
    }
}

/// [`decide`] over the arms `served` (run-wide indices into `row`, a segment's counts) with
/// run-wide `control` (the first served arm when it is not served); indices in the result are
/// run-wide.
pub fn decide_among(row: &[Cell], served: &[usize], control: usize, params: &StatsParams, rng: &mut SimRng) -> Decision {
    let cells: Vec<Cell> = served.iter().map(|&a| row[a]).collect();
    let local_control = served.iter().position(|&a| a == control).unwrap_or(0);
    let mut d = decide(&cells, local_control, params, rng);
    d.control = served[d.control];
    d.leader = served[d.leader];
    for a in &mut d.arms {
        a.arm = served[a.arm];
    }
    d
}

/// The statistics settings of record of `run`: the defaults, seeded with the run's own seed.
pub fn record_params(run: &Run) -> StatsParams {
    StatsParams { seed: run.params().seed, ..StatsParams::default() }
}

/// The report of record of `run` ([`record_params`]). The one place a stored run's numbers —
/// its lift and interval above all — are computed for the Simulation screen's stored and final
/// frames, the dashboard and the PDF report, so a run shows one interval everywhere.
/// Errors: as [`report`] (never for the defaults).
pub fn of_record(run: &Run) -> Result<Report, SimulateError> {
    report(run, &record_params(run))
}

/// The full report of a run. Errors: `BadParam` for bad `params`.
pub fn report(run: &Run, params: &StatsParams) -> Result<Report, SimulateError> {
    let params = params.clone().check()?;
    let mut rng = SimRng::new(params.seed, 3);
    let sc = run.scenario();
    let k = sc.arms.len();
    let control = run.control_arm();
    let shares = run.segment_shares();
    let serving = sc.serving();
    let segments = sc
        .segments
        .iter()
        .enumerate()
        .map(|(s, seg)| SegmentReport {
            segment_id: seg.segment_id,
            name_en: seg.name_en.clone(),
            name_zh: seg.name_zh.clone(),
            share: shares[s],
            decision: decide_among(&run.counts()[s * k..(s + 1) * k], &serving[s], control, &params, &mut rng),
        })
        .collect();
    let pooled = run.current_point().arm_cells(k, None);
    let overall = decide(&pooled, control, &params, &mut rng);
    let ids: Vec<i64> = sc.arms.iter().map(|a| a.variant_id).collect();
    let lift = lift(run.counts(), &shares, &serving, sc.generic_control(), run.truth(), &ids, &params, &mut rng);
    let budget = super::budget::budget(run, &params);
    Ok(Report { impressions: run.served(), arms: sc.arms.iter().map(|a| ArmRef { variant_id: a.variant_id, label: a.label.clone() }).collect(), segments, overall, lift, budget, simulated: true })
}
